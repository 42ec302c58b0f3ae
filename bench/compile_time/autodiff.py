#!/usr/bin/env python3
"""Compile time of hetu-autodiff (figures for the autodiff issue).

An N-layer Megatron training forward pass (the MLP of gen.py with its
weights and biases as trainable arguments and a summed loss, on a
4-device tuple) through

    hetu-autodiff,hetu-deduce-strategy,hetu-grad-sync,hetu-infer-states

in one hetu-opt invocation with --mlir-timing: the time of each pass, the
autodiff time per forward op, and autodiff's time against hetu-infer-states
on the same (differentiated) function. Growth must be linear: the per-op
cost at the largest N against the smallest is printed.

    bench/compile_time/autodiff.py --hetu-opt build/bin/hetu-opt [--layers 1000,5000,20000]
"""

import argparse
import re
import subprocess
import tempfile

B, H, F = 16, 64, 256
PASSES = ["HetuAutodiff", "HetuDeduceStrategy", "HetuGradSync", "HetuInferStates"]


def forward(n, out):
    w = out.write
    t = '#hetu.group<"(gpu:0,gpu:1,gpu:2,gpu:3)">'
    args = ["%%x: tensor<%dx%dxf32>" % (B, H)]
    for i in range(n):
        args += ["%%w1_%d: tensor<%dx%dxf32> {hetu.trainable}" % (i, H, F),
                 "%%b_%d: tensor<%dxf32> {hetu.trainable}" % (i, F),
                 "%%w2_%d: tensor<%dx%dxf32> {hetu.trainable}" % (i, F, H)]
    w("module attributes {hetu.default_ctx = %s} {\n" % t)
    w("  func.func @loss(%s) -> tensor<f32> {\n" % ", ".join(args))
    w("    %zero = arith.constant 0.0 : f32\n")
    h = "%x"
    for i in range(n):
        w("    %%a_%d = hetu.dispatch %s to #hetu.states<[1, 1], duplicate = 4> : tensor<%dx%dxf32>\n" % (i, h, B, H))
        w("    %%c_%d = hetu.dispatch %%w1_%d to #hetu.states<[1, 4]> : tensor<%dx%dxf32>\n" % (i, i, H, F))
        w("    %%bd_%d = hetu.dispatch %%b_%d to #hetu.states<[4]> : tensor<%dxf32>\n" % (i, i, F))
        w("    %%r_%d = hetu.dispatch %%w2_%d to #hetu.states<[4, 1]> : tensor<%dx%dxf32>\n" % (i, i, F, H))
        w("    %%e1_%d = tensor.empty() : tensor<%dx%dxf32>\n" % (i, B, F))
        w("    %%z1_%d = linalg.fill ins(%%zero : f32) outs(%%e1_%d : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>\n" % (i, i, B, F, B, F))
        w("    %%y1_%d = linalg.matmul ins(%%a_%d, %%c_%d : tensor<%dx%dxf32>, tensor<%dx%dxf32>) outs(%%z1_%d : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>\n"
          % (i, i, i, B, H, H, F, i, B, F, B, F))
        w("    %%eb_%d = tensor.empty() : tensor<%dx%dxf32>\n" % (i, B, F))
        w("    %%bb_%d = linalg.broadcast ins(%%bd_%d : tensor<%dxf32>) outs(%%eb_%d : tensor<%dx%dxf32>) dimensions = [0]\n" % (i, i, F, i, B, F))
        w("    %%s_%d = arith.addf %%y1_%d, %%bb_%d : tensor<%dx%dxf32>\n" % (i, i, i, B, F))
        w("    %%g_%d = arith.maximumf %%s_%d, %%z1_%d : tensor<%dx%dxf32>\n" % (i, i, i, B, F))
        w("    %%e2_%d = tensor.empty() : tensor<%dx%dxf32>\n" % (i, B, H))
        w("    %%z2_%d = linalg.fill ins(%%zero : f32) outs(%%e2_%d : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>\n" % (i, i, B, H, B, H))
        w("    %%y2_%d = linalg.matmul ins(%%g_%d, %%r_%d : tensor<%dx%dxf32>, tensor<%dx%dxf32>) outs(%%z2_%d : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>\n"
          % (i, i, i, B, F, F, H, i, B, H, B, H))
        h = "%%y2_%d" % i
    w("    %e0 = tensor.empty() : tensor<f32>\n")
    w("    %z0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>\n")
    w("    %%l = linalg.reduce ins(%s : tensor<%dx%dxf32>) outs(%%z0 : tensor<f32>) dimensions = [0, 1]\n" % (h, B, H))
    w("      (%in: f32, %acc: f32) {\n        %s = arith.addf %in, %acc : f32\n        linalg.yield %s : f32\n      }\n")
    w("    return %l : tensor<f32>\n  }\n}\n")
    return 11 * n + 3  # forward ops (without constants)


def timings(opt, path):
    p = subprocess.run([opt, path, "-o", "/dev/null", "--mlir-timing", "--mlir-timing-display=list",
                        "--pass-pipeline=builtin.module(hetu-autodiff,hetu-deduce-strategy,"
                        "hetu-grad-sync,hetu-infer-states)"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode:
        raise SystemExit(p.stdout[-2000:])
    found = {}
    for line in p.stdout.splitlines():
        m = re.match(r"\s*([0-9.]+)\s+\(\s*[0-9.]+%\)\s+(\S+)", line)
        if m and m.group(2) in PASSES:
            found[m.group(2)] = float(m.group(1))
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hetu-opt", required=True)
    ap.add_argument("--layers", default="1000,2000,5000,10000,20000")
    a = ap.parse_args()
    print("%8s %8s %12s %14s %12s %10s" % ("layers", "ops", "autodiff (s)",
                                           "us/forward op", "infer (s)", "ad/infer"))
    first = None
    for n in [int(x) for x in a.layers.split(",")]:
        with tempfile.NamedTemporaryFile("w", suffix=".mlir") as f:
            ops = forward(n, f)
            f.flush()
            t = timings(a.hetu_opt, f.name)
        ad, inf = t["HetuAutodiff"], t["HetuInferStates"]
        per = 1e6 * ad / ops
        first = first or per
        print("%8d %8d %12.3f %14.2f %12.3f %10.2f" % (n, ops, ad, per, inf, ad / inf))
    print("per-op cost at the largest size / smallest: %.2f" % (per / first))


if __name__ == "__main__":
    main()

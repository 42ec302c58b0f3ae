#!/usr/bin/env python3
"""Compile-time benchmark (figures for the partition issue).

1. The N-layer Megatron MLP of gen.py through
     hetu-deduce-strategy,hetu-infer-states,hetu-partition{rank=0}
   against its twin through upstream
     builtin.module(func.func(sharding-propagation,shard-partition))
   with the same hetu-opt binary, in the same run. Pipeline time = the sum
   of the passes' wall times from --mlir-timing (parsing, printing and
   verification excluded; best of --repeat). Prints both, the ratio
   (hetu / upstream) and the cost per layer.
2. Partitioning one rank as the device count grows: rank 0's pipeline
   time with 8 and with 4096 devices, (a) as data-parallel replicas of a
   4-layer pipeline, (b) as one wide tuple (a Megatron layer split 8 or
   4096 ways).

    bench/compile_time/run.py --hetu-opt build/bin/hetu-opt [--layers 100,1000,10000]
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa: E402

HETU = "--pass-pipeline=builtin.module(hetu-deduce-strategy,hetu-infer-states,hetu-partition{rank=0})"
SHARD = "--pass-pipeline=builtin.module(func.func(sharding-propagation,shard-partition))"


# --mlir-timing-display=list rows: "  0.1234 ( 12.3%)  Name".
ROW = re.compile(r"^\s*([0-9.]+) \(\s*[0-9.]+%\)\s+(.+?)\s*$")
NOT_PASSES = {"root", "Parser", "Output", "Rest", "Total", "Verifier"}


def pipeline_time(opt, path, pipeline, repeat):
    """Seconds spent in the pipeline's passes (best of `repeat`)."""
    best = float("inf")
    for _ in range(repeat):
        p = subprocess.run([opt, path, pipeline, "-o", "/dev/null", "--mlir-timing",
                            "--mlir-timing-display=list"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if p.returncode:
            raise SystemExit("failed: %s %s\n%s" % (opt, pipeline, p.stderr[-2000:]))
        total = 0.0
        for line in p.stderr.splitlines():
            m = ROW.match(line)
            if m and m.group(2) not in NOT_PASSES and not m.group(2).startswith(("Pipeline Collection", "'")):
                total += float(m.group(1))
        best = min(best, total)
    return best


def write(text_fn, *args):
    f = tempfile.NamedTemporaryFile("w", suffix=".mlir", delete=False)
    text_fn(*args, f)
    f.close()
    return f.name


def dp_module(devices, out):
    """`devices` data-parallel replicas, a 4-stage pipeline per replica
    (stage s uses replicas' devices offset by s * devices / 4)."""
    per = devices // 4
    groups = [",".join("gpu:%d" % (s * per + r) for r in range(per)) for s in range(4)]
    out.write('module attributes {hetu.default_ctx = #hetu.group<"%s">} {\n' % groups[0])
    out.write("  func.func @f(%x: tensor<16x64xf32>) -> tensor<16x64xf32> {\n")
    v = "%x"
    for layer in range(8):
        g = groups[layer % 4]
        out.write('    %%t%d = math.tanh %s {hetu.ctx = #hetu.group<"%s">} : tensor<16x64xf32>\n' % (layer, v, g))
        v = "%%t%d" % layer
    out.write("    return %s : tensor<16x64xf32>\n  }\n}\n" % v)


def tuple_module(devices, out):
    """One Megatron layer on a tuple of `devices` devices."""
    t = "(%s)" % ",".join("gpu:%d" % d for d in range(devices))
    out.write('module attributes {hetu.default_ctx = #hetu.group<"%s">} {\n' % t)
    out.write("  func.func @f(%%x: tensor<16x64xf32>, %%w1: tensor<64x%dxf32>, %%w2: tensor<%dx64xf32>) -> tensor<16x64xf32> {\n" % (devices, devices))
    out.write("    %zero = arith.constant 0.0 : f32\n")
    out.write("    %%c = hetu.dispatch %%w1 to #hetu.states<[1, %d]> : tensor<64x%dxf32>\n" % (devices, devices))
    out.write("    %%r = hetu.dispatch %%w2 to #hetu.states<[%d, 1]> : tensor<%dx64xf32>\n" % (devices, devices))
    out.write("    %%e1 = tensor.empty() : tensor<16x%dxf32>\n" % devices)
    out.write("    %%z1 = linalg.fill ins(%%zero : f32) outs(%%e1 : tensor<16x%dxf32>) -> tensor<16x%dxf32>\n" % (devices, devices))
    out.write("    %%y1 = linalg.matmul ins(%%x, %%c : tensor<16x64xf32>, tensor<64x%dxf32>) outs(%%z1 : tensor<16x%dxf32>) -> tensor<16x%dxf32>\n" % (devices, devices, devices))
    out.write("    %%g = math.tanh %%y1 : tensor<16x%dxf32>\n" % devices)
    out.write("    %e2 = tensor.empty() : tensor<16x64xf32>\n")
    out.write("    %z2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<16x64xf32>) -> tensor<16x64xf32>\n")
    out.write("    %%y2 = linalg.matmul ins(%%g, %%r : tensor<16x%dxf32>, tensor<%dx64xf32>) outs(%%z2 : tensor<16x64xf32>) -> tensor<16x64xf32>\n" % (devices, devices))
    out.write("    return %y2 : tensor<16x64xf32>\n  }\n}\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hetu-opt", required=True)
    ap.add_argument("--layers", default="100,1000,10000")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()

    print("%8s %12s %12s %8s %14s %14s" % ("layers", "hetu (s)", "shard (s)",
                                          "ratio", "hetu ms/layer",
                                          "shard ms/layer"))
    for n in [int(x) for x in a.layers.split(",")]:
        h = write(gen.hetu, n)
        s = write(gen.shard, n)
        th = pipeline_time(a.hetu_opt, h, HETU, a.repeat)
        ts = pipeline_time(a.hetu_opt, s, SHARD, a.repeat)
        print("%8d %12.3f %12.3f %8.2f %14.4f %14.4f" % (n, th, ts, th / ts,
                                                          1e3 * th / n,
                                                          1e3 * ts / n))
        os.unlink(h)
        os.unlink(s)

    print()
    print("%-28s %12s %12s %8s" % ("partition rank 0", "8 devices", "4096", "ratio"))
    for name, fn in (("data-parallel replicas", dp_module),
                     ("one wide tuple", tuple_module)):
        times = []
        for devices in (8, 4096):
            path = write(fn, devices)
            times.append(pipeline_time(a.hetu_opt, path, HETU, a.repeat))
            os.unlink(path)
        print("%-28s %12.4f %12.4f %8.2f" % (name, times[0], times[1],
                                            times[1] / times[0]))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Compile time of hetu-autodiff (figures for the autodiff issue).

An N-layer Megatron training forward pass (gen.py's MLP with its weights
and biases as trainable arguments and a summed loss, on a 4-device tuple)
through

    hetu-autodiff,hetu-deduce-strategy,hetu-grad-sync,hetu-infer-states

in one hetu-opt invocation with --mlir-timing: the time of each pass, the
autodiff time per forward op, and autodiff's time against hetu-infer-states
on the same (differentiated) function. Growth must be linear: the per-op
cost at the largest N against the smallest is printed.

    bench/compile_time/autodiff.py --hetu-opt build/bin/hetu-opt [--layers 1000,5000,20000]
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402

PASSES = ["HetuAutodiff", "HetuDeduceStrategy", "HetuGradSync", "HetuInferStates"]


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
            gen.hetu(n, f, training=True)
            ops = 11 * n + 3  # forward ops, without constants
            f.flush()
            t = timings(a.hetu_opt, f.name)
        ad, inf = t["HetuAutodiff"], t["HetuInferStates"]
        per = 1e6 * ad / ops
        first = first or per
        print("%8d %8d %12.3f %14.2f %12.3f %10.2f" % (n, ops, ad, per, inf, ad / inf))
    print("per-op cost at the largest size / smallest: %.2f" % (per / first))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Ahead-of-time benchmark (figures for the GPU/AOT issue).

For each model: the wall time of `hetu-run FILE --verify` (parse, partition,
lower and JIT on every call) against `hetu-launch MODEL.so --verify` on the
same file compiled once by `hetu-compile --target=cpu` (in the same
invocation, best of --repeat), their ratio, the one-off hetu-compile time and
the size of the shared object.

    bench/aot/run.py --build build [--repeat 5]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
MODELS = [("SPEC 7.5 forward", "examples/mlp_dmp_middle.mlir", []),
          ("dp4 training, 3 steps", "examples/mlp_train_dp4.mlir", ["--iterations=3"]),
          ("1F1B training, 3 steps", "examples/mlp_train_dmp_1f1b.mlir", ["--iterations=3"])]


def wall(cmd, repeat):
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        best = min(best, time.perf_counter() - t)
        if p.returncode or "verify: OK" not in p.stdout:
            raise SystemExit("failed: %s\n%s%s" % (" ".join(cmd), p.stdout[-1000:], p.stderr[-1000:]))
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    bin_dir = os.path.join(a.build, "bin")
    print("%-24s %10s %12s %7s %12s %9s" % ("model", "hetu-run s", "hetu-launch s",
                                            "ratio", "compile s", "size KiB"))
    with tempfile.TemporaryDirectory() as tmp:
        for name, path, extra in MODELS:
            src = os.path.join(ROOT, path)
            so = os.path.join(tmp, os.path.basename(path) + ".so")
            t = time.perf_counter()
            subprocess.run([os.path.join(bin_dir, "hetu-compile"), src, "-o", so],
                           check=True, stdout=subprocess.DEVNULL)
            compile_s = time.perf_counter() - t
            jit = wall([os.path.join(bin_dir, "hetu-run"), src, "--verify"] + extra, a.repeat)
            aot = wall([os.path.join(bin_dir, "hetu-launch"), so, "--verify"] + extra, a.repeat)
            print("%-24s %10.3f %12.3f %7.2f %12.3f %9.0f" % (
                name, jit, aot, aot / jit, compile_s, os.path.getsize(so) / 1024))
    return 0


if __name__ == "__main__":
    sys.exit(main())

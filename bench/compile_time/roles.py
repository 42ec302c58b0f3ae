#!/usr/bin/env python3
"""Roles, not ranks: hetu-compile time and shared-object size of the GPT of
examples/gpt as the number of ranks grows (figures for the compile-time
issue).

For each rank count N, the GPT's training step (2 blocks, Adam) in two
layouts, written by examples/gpt/gpt.py --replicas:
  dp        N data-parallel replicas,
  dp-tp-pp  N / 4 replicas of 2 pipeline stages, each a Megatron tuple of 2
            (1F1B over 2 micro-batches),
compiled by hetu-compile (every rank's program, lowered, optimised and
linked). Prints wall seconds, peak memory, .so size, the number of shared
bodies (hetu-share-rank-programs' roles) and the ratio of time and size to
the smallest N in the same invocation (the goal: flat from 64 ranks on).

    /usr/bin/python3 bench/compile_time/roles.py --build build [--ranks 8,64,512,4096]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def emit(layout, replicas, path):
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"))
    with open(path, "w") as out:
        subprocess.run([sys.executable, os.path.join(ROOT, "examples/gpt/gpt.py"),
                        "--layout", layout, "--replicas", str(replicas), "--emit"],
                       stdout=out, env=env, check=True)


def compile_once(build, src, so):
    """(wall seconds, peak resident MiB of hetu-compile)."""
    t = time.perf_counter()
    with tempfile.TemporaryFile("w+") as err:
        p = subprocess.Popen([os.path.join(build, "bin/hetu-compile"), src, "-o", so],
                             stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t
        if status:
            err.seek(0)
            raise SystemExit("hetu-compile failed on %s:\n%s" % (src, err.read()[-2000:]))
    return wall, usage.ru_maxrss / 1024.0


def roles(so):
    out = subprocess.run(["nm", so], stdout=subprocess.PIPE, text=True, check=True).stdout
    return sum(1 for line in out.splitlines() if " T _mlir_main__role" in line)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--ranks", default="8,64,512,4096")
    ap.add_argument("--layouts", default="dp,dp-tp-pp")
    a = ap.parse_args()
    counts = [int(x) for x in a.ranks.split(",")]
    print("%-9s %6s %9s %9s %9s %6s %8s %8s" % ("layout", "ranks", "compile s", "peak MiB",
                                              "so MiB", "roles", "time x", "size x"))
    with tempfile.TemporaryDirectory() as tmp:
        for layout in a.layouts.split(","):
            base = None
            for n in counts:
                replicas = n if layout == "dp" else n // 4
                src = os.path.join(tmp, "%s-%d.mlir" % (layout, n))
                so = os.path.join(tmp, "%s-%d.so" % (layout, n))
                emit(layout, replicas, src)
                wall, peak = compile_once(a.build, src, so)
                size = os.path.getsize(so) / 2.0 ** 20
                base = base or (wall, size)
                print("%-9s %6d %9.1f %9.0f %9.2f %6d %8.2f %8.2f" % (
                    layout, n, wall, peak, size, roles(so), wall / base[0], size / base[1]))
                sys.stdout.flush()
                os.unlink(so)


if __name__ == "__main__":
    main()

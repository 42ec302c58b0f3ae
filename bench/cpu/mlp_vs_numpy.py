#!/usr/bin/env python3
"""The CPU training step against NumPy, in one invocation.

1. The single-rank MLP step of examples/gen_train.py (--config single,
   f32, SGD) at B x I -> H -> O (default 256 x 512 -> 1024 -> 256): hetu's
   steady-state step (median of the steps after the first, from --report)
   through hetu-run (JIT) and through hetu-compile + hetu-launch, against
   the same step written in NumPy (median of as many steps), with the NumPy
   process's OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset.
2. Data parallelism: the same global batch as 2 ranks (threads) against 1
   rank: step time ratio.

    bench/cpu/mlp_vs_numpy.py --build build [--steps 10] [--sizes 256,512,1024,256]

Run it with /usr/bin/python3 (Debian's NumPy).
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
sys.path.insert(0, os.path.join(ROOT, "examples"))
import gen_train  # noqa: E402

NUMPY_STEP = r'''
import os, sys, time
import numpy as np
B, I, H, O, steps = map(int, sys.argv[1:6])
rng = np.random.default_rng(0)
x = rng.uniform(-1, 1, (B, I)).astype(np.float32)
t = rng.uniform(-1, 1, (B, O)).astype(np.float32)
w1 = (rng.uniform(-1, 1, (I, H)) * 0.05).astype(np.float32)
w2 = (rng.uniform(-1, 1, (H, O)) * 0.05).astype(np.float32)
scale = np.float32(1.0 / (B * O))
def step(w1, w2):
    h = x @ w1
    a = np.maximum(h, 0)
    y = a @ w2
    d = y - t
    loss = (d * d).sum() * scale
    dy = d * (2 * scale)
    dw2 = a.T @ dy
    da = dy @ w2.T
    dh = np.where(h > 0, da, 0)
    dw1 = x.T @ dh
    return w1 - np.float32(0.1) * dw1, w2 - np.float32(0.1) * dw2, loss
times = []
for _ in range(steps):
    t0 = time.perf_counter()
    w1, w2, loss = step(w1, w2)
    times.append(time.perf_counter() - t0)
rest = sorted(times[1:])
print("%.6f" % rest[len(rest) // 2])
print(os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3"))
'''


def median_step(report):
    m = re.search(r"report: steps: first [0-9.]+ s, then median ([0-9.]+) s", report)
    if not m:
        raise SystemExit("no step report in:\n" + report[-2000:])
    return float(m.group(1))


def run(cmd, env=None):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    if p.returncode:
        raise SystemExit("failed: %s\n%s" % (" ".join(cmd), p.stdout[-2000:]))
    return p.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--sizes", default="256,512,1024,256")
    a = ap.parse_args()
    b, i, h, o = map(int, a.sizes.split(","))
    tools = os.path.join(a.build, "bin")
    with tempfile.TemporaryDirectory() as tmp:
        single = os.path.join(tmp, "single.mlir")
        with open(single, "w") as f:
            f.write(gen_train.generate("single", b, i, h, o, 0.1))
        jit = median_step(run([os.path.join(tools, "hetu-run"), single,
                               "--iterations=%d" % a.steps, "--report"]))
        model = os.path.join(tmp, "single.so")
        run([os.path.join(tools, "hetu-compile"), single, "--target=cpu", "-o", model])
        aot = median_step(run([os.path.join(tools, "hetu-launch"), model,
                               "--iterations=%d" % a.steps, "--report"]))
        env = dict(os.environ)
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
        out = run([sys.executable, "-c", NUMPY_STEP, str(b), str(i), str(h), str(o),
                   str(a.steps)], env).split()
        numpy, blas = float(out[0]), out[1]
        # Data parallel: 2 ranks on the same global batch.
        dp = os.path.join(tmp, "dp2.mlir")
        with open(dp, "w") as f:
            f.write(gen_train.generate("dp4", b // 2, i, h, o, 0.1).replace(
                "gpu:0,gpu:1,gpu:2,gpu:3", "gpu:0,gpu:1"))
        dp2 = median_step(run([os.path.join(tools, "hetu-run"), dp,
                               "--iterations=%d" % a.steps, "--report"]))
    print("MLP step %dx%d -> %d -> %d (f32, SGD), median of %d steps after the first"
          % (b, i, h, o, a.steps - 1))
    print("  NumPy (%s): %.2f ms" % (blas, 1e3 * numpy))
    print("  hetu-run:    %.2f ms  (%.2fx NumPy's speed)" % (1e3 * jit, numpy / jit))
    print("  hetu-launch: %.2f ms  (%.2fx NumPy's speed)" % (1e3 * aot, numpy / aot))
    print("  2 data-parallel ranks, same global batch: %.2f ms (%.2fx the 1-rank step)"
          % (1e3 * dp2, dp2 / jit))


if __name__ == "__main__":
    main()

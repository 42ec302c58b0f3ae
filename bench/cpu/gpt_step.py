#!/usr/bin/env python3
"""The GPT training step of examples/gpt on one CPU rank, in one invocation:

1. hetu: the Executor compiles the step once (hetu-compile) and runs it in
   process (Executor.run in a loop: median step), the same shared object
   through hetu-launch (--report: median of the steps after the first), and
   the session's own share of Executor.run (the rest is Python: feeding,
   copying the parameters in and out);
2. NumPy: the same step (forward, backward by hand, Adam) with NumPy's
   OpenBLAS, from test/python/gpt_numpy.py, in f32, median step.

    bench/cpu/gpt_step.py [--steps 30] [--vocab 64 --seq 32 --d-model 64 --heads 4 --layers 2 --batch 8]

Run it with /usr/bin/python3 (Debian's NumPy) from the source tree.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "python"))
sys.path.insert(0, os.path.join(ROOT, "examples", "gpt"))
sys.path.insert(0, os.path.join(ROOT, "test", "python"))

import numpy as np  # noqa: E402

import gpt  # noqa: E402


def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def numpy_step(cfg, steps):
    """Median seconds of a NumPy Adam step on one replica's batch (f32)."""
    from gpt_numpy import forward_backward
    tok, lab, loss_node, _, _ = gpt.build(cfg, "single", optimizer=None)
    import hetu_mlir as ht
    params = ht.graph._trainable(loss_node)
    rng = np.random.RandomState(0)
    P = {p.name: rng.normal(0, 0.08, p.shape).astype(np.float32) for p in params}
    m = {k: np.zeros_like(v) for k, v in P.items()}
    v = {k: np.zeros_like(v) for k, v in P.items()}
    t, y = (np.array(a, dtype=np.float32) for a in gpt.corpus(cfg, cfg.batch, 0))
    times = []
    for step in range(1, steps + 1):
        t0 = time.perf_counter()
        _, G = forward_backward(P, t, y, cfg)
        for k in P:
            g = G[k].astype(np.float32)
            m[k] = 0.9 * m[k] + 0.1 * g
            v[k] = 0.999 * v[k] + 0.001 * g * g
            mh = m[k] / (1 - 0.9 ** step)
            vh = v[k] / (1 - 0.999 ** step)
            P[k] -= cfg.lr * mh / (np.sqrt(vh) + 1e-8)
        times.append(time.perf_counter() - t0)
    return median(times[1:])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--vocab", type=int, default=64)
    ap.add_argument("--seq", type=int, default=32)
    ap.add_argument("--d-model", type=int, default=64)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--batch", type=int, default=8)
    a = ap.parse_args()
    cfg = gpt.Config(vocab=a.vocab, seq=a.seq, d_model=a.d_model, heads=a.heads,
                     layers=a.layers, batch=a.batch)
    tokens, labels, ex = gpt.executor(cfg, "single")
    x, y = gpt.corpus(cfg, cfg.batch, 0)
    feed = {tokens: x, labels: y}
    t0 = time.perf_counter()
    ex.run(feed_dict=feed)
    compile_s = time.perf_counter() - t0
    run_times = []
    for _ in range(a.steps):
        t0 = time.perf_counter()
        ex.run(feed_dict=feed)
        run_times.append(time.perf_counter() - t0)
    in_process = median(run_times)
    session = median(ex.step_seconds[1:])

    # The same shared object through hetu-launch, from the same inputs.
    so = os.path.join(ex._tmp.name, "step.so")
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i, v in enumerate(ex._feed(feed)):
            files.append(os.path.join(tmp, "arg%d.npy" % i))
            np.save(files[-1], v)
        walls = {}
        for n in (1, a.steps + 1):
            t0 = time.perf_counter()
            out = subprocess.run([os.path.join(ROOT, "build", "bin", "hetu-launch"), so,
                                  "--iterations=%d" % n, "--report",
                                  "--inputs=" + ",".join(files)],
                                 capture_output=True, text=True, check=True).stdout
            walls[n] = time.perf_counter() - t0
    launch = float(re.search(r"then median ([0-9.e-]+) s", out).group(1))
    # The launcher's wall time per step (loading, inputs and outputs cancel).
    launch_wall = (walls[a.steps + 1] - walls[1]) / a.steps

    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    numpy_s = float(subprocess.run(
        [sys.executable, "-c", "import sys; sys.argv=['x']; sys.path[:0]=%r; import gpt_step; "
         "import gpt; print(gpt_step.numpy_step(gpt.Config(%d, %d, %d, %d, %d, %d), %d))"
         % ([HERE, os.path.join(ROOT, "python"), os.path.join(ROOT, "examples", "gpt"),
             os.path.join(ROOT, "test", "python")], a.vocab, a.seq, a.d_model, a.heads, a.layers, a.batch, a.steps)],
        capture_output=True, text=True, check=True, env=env).stdout.split()[-1])

    print("GPT %d blocks, vocabulary %d, %d x %d tokens, width %d, %d heads (f32, Adam), "
          "1 rank" % (a.layers, a.vocab, a.batch, a.seq, a.d_model, a.heads))
    print("  compile (hetu-compile, first run)   %8.2f s" % compile_s)
    print("  hetu-launch step (median)           %8.3f ms" % (launch * 1e3))
    print("  hetu-launch wall time per step      %8.3f ms" % (launch_wall * 1e3))
    print("  Executor.run step (median)          %8.3f ms  (%.2fx hetu-launch's wall time "
          "per step)" % (in_process * 1e3, in_process / launch_wall))
    print("    of which the session's step       %8.3f ms  (Python around it %.3f ms)"
          % (session * 1e3, (in_process - session) * 1e3))
    print("  NumPy step (median)                 %8.3f ms" % (numpy_s * 1e3))
    print("  hetu speed / NumPy speed            %8.2fx (hetu-launch), %.2fx (Executor.run)"
          % (numpy_s / launch, numpy_s / in_process))


if __name__ == "__main__":
    main()

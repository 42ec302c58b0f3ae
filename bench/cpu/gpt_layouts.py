#!/usr/bin/env python3
"""examples/gpt in every layout: verified steps, step time per rank and
bytes sent per step against the analytic volume of the same layout in
Megatron-LM (ring all-reduces, sharded tensor-parallel weights).

Each layout runs `hetu-run --verify --iterations=STEPS --report` on a real
batch (threads backend). Sent bytes are per rank and per step (the report's
totals over the steps, divided by STEPS); the Megatron volume per rank and
step counts, for the same sizes:

* tensor parallel t: 4 all-reduces of the B x S x D activations per block
  (2 forward, 2 backward), 2 (t-1)/t of the buffer each;
* data parallel d: one all-reduce of the rank's gradients, 2 (d-1)/d of
  the parameters it holds (1/t of the block weights under tensor
  parallelism);
* pipeline: the B x S x D activation forward and its gradient backward at
  each stage boundary (the last stage sends only gradients, the first only
  activations: counted for the sending ranks).

    bench/cpu/gpt_layouts.py [--steps 3] [--layouts single,dp,tp,pp,dp-tp-pp,hybrid]

Run it with /usr/bin/python3 from the source tree.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "python"))
sys.path.insert(0, os.path.join(ROOT, "examples", "gpt"))

import numpy as np  # noqa: E402

import gpt  # noqa: E402


def megatron_bytes(cfg, layout, params, block_params):
    """Analytic bytes sent per rank and step (the busiest rank)."""
    B, S, D, L = cfg.batch, cfg.seq, cfg.d_model, cfg.layers
    act = B * S * D * 4
    dp = {"dp": 2, "dp-tp-pp": 2, "hybrid": 2}.get(layout, 1)
    tp = 2 if layout in ("tp", "dp-tp-pp") else 1
    pp = 2 if layout in ("pp", "dp-tp-pp") else 1
    total = 0.0
    if tp > 1:
        total += 4 * (L // pp) * act * 2.0 * (tp - 1) / tp
    if dp > 1:
        held = (params - block_params) / pp + block_params / pp / tp
        total += 2.0 * (dp - 1) / dp * held * 4
    if pp > 1:
        total += act  # activations forward (first stage) or gradients back
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--layouts", default=",".join(gpt.LAYOUTS))
    a = ap.parse_args()
    cfg = gpt.Config()
    print("%-9s %5s %8s %12s %14s %14s %6s" % ("layout", "ranks", "verified", "step (ms)",
                                              "sent B/step", "Megatron B/step", "ratio"))
    for layout in a.layouts.split(","):
        tokens, labels, ex = gpt.executor(cfg, layout)
        R = gpt.replicas(layout)
        x, y = gpt.corpus(cfg, cfg.batch * R, 0)
        feed = {tokens: x, labels: y}
        ex._bind(feed)
        params = sum(int(np.prod(p.shape)) for p in ex.trainables)
        block_params = sum(int(np.prod(p.shape)) for p in ex.trainables
                           if p.name.startswith("h") and not p.name.endswith(("_g", "_b")))
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "gpt.mlir")
            with open(path, "w") as f:
                f.write(ex.mlir())
            files = []
            for i, v in enumerate(ex._feed(feed)):
                files.append(os.path.join(tmp, "arg%d.npy" % i))
                np.save(files[-1], v)
            cmd = [os.path.join(ROOT, "build", "bin", "hetu-run"), path, "--verify", "--report",
                   "--iterations=%d" % a.steps, "--inputs=" + ",".join(files)]
            out = subprocess.run(cmd, capture_output=True, text=True).stdout
        ok = re.search(r"verify: OK \((\d+) steps", out)
        step = re.search(r"then median ([0-9.e-]+) s", out)
        ranks = re.findall(r"report: rank (\d+) \([^)]*\): run ([0-9.]+) s, communication "
                           r"[0-9.]+ s, sent (\d+) B", out)
        sent = max(int(s) for _, _, s in ranks) / a.steps if ranks else 0
        ideal = megatron_bytes(cfg, layout, params, block_params)
        print("%-9s %5d %8s %12.3f %14.0f %14.0f %6s" % (
            layout, len(ranks), ok.group(1) if ok else "FAILED",
            float(step.group(1)) * 1e3 if step else float("nan"), sent, ideal,
            "%.2f" % (sent / ideal) if ideal else "-"))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The MLP training step of examples/gen_train.py on a GPU: hetu-mlir
(hetu-compile --target=cuda, run by hetu-launch --backend=cuda) against the
same step written in PyTorch, in the same invocation on the same GPU.

    bench/gpu/mlp_vs_torch.py ARTIFACTS [--steps=N]

scripts/gpu-prepare.sh compiles ARTIFACTS/bench/mlp_<config>.so from
`gen_train.py --config <config>` at the sizes in ARTIFACTS/bench/sizes
(batch input hidden output); scripts/gpu-check.sh runs this script.

For each config, hetu's step time is the median of steps 2..N+1 of one
hetu-launch run (its `report: steps` line), so it excludes the first step
(loading kernel images, creating streams and cuBLAS handles). `hetu wall`
is (the launcher's whole time for N+1 steps - for 2 steps) / (N - 1), which
adds the launcher's own work per step (making each step's random batch and
copying it in). `hetu uncached` is hetu's step with the runtime's block
cache off (HETU_CUDA_CACHE=0), every buffer a fresh managed allocation.
PyTorch's is the mean of N steps after a warm-up, synchronised, on batches
already on the GPU. `single` is one rank on the GPU; `dp4` is four
data-parallel ranks sharing it (each with the batch), against PyTorch on
the four batches at once (the same arithmetic per step).
Figures are f32 without TF32 on both sides.
"""

import argparse
import os
import re
import subprocess
import sys
import time


def hetu_run_seconds(launch, model, steps, cache=True):
    env = dict(os.environ, HETU_CUDA_CACHE="1" if cache else "0")
    out = subprocess.run([launch, model, "--backend=cuda", "--report",
                          "--iterations=%d" % steps],
                         capture_output=True, text=True, timeout=300, env=env)
    if out.returncode:
        sys.exit("hetu-launch %s failed:\n%s%s" % (model, out.stdout[-2000:],
                                                  out.stderr[-2000:]))
    m = re.search(r"^report: compile .* total ([0-9.]+) s", out.stdout, re.M)
    steps = re.search(r"^report: steps: first [0-9.]+ s, then median ([0-9.]+) s",
                      out.stdout, re.M)
    if not m or not steps:
        sys.exit("no report lines from hetu-launch %s" % model)
    return float(steps.group(1)), float(m.group(1))


def torch_step_seconds(b, i, h, o, steps, lr=0.1):
    import torch
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    dev = torch.device("cuda")
    g = torch.Generator(device="cpu").manual_seed(1)
    x = torch.randn(b, i, generator=g).to(dev)
    t = torch.randn(b, o, generator=g).to(dev)
    w1 = (torch.randn(i, h, generator=g) * 0.1).to(dev)
    w2 = (torch.randn(h, o, generator=g) * 0.1).to(dev)

    def step(w1, w2):
        # The same forward, explicit backward and SGD as gen_train.py.
        hid = x @ w1
        act = torch.clamp_min(hid, 0.0)
        y = act @ w2
        d = y - t
        loss = (d * d).sum() * (1.0 / (b * o))
        dy = d * (2.0 / (b * o))
        dw2 = act.t() @ dy
        da = dy @ w2.t()
        dh = torch.where(hid > 0, da, torch.zeros_like(da))
        dw1 = x.t() @ dh
        return w1 - lr * dw1, w2 - lr * dw2, loss

    for _ in range(3):
        w1, w2, loss = step(w1, w2)
    torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(steps):
        w1, w2, loss = step(w1, w2)
    loss.item()
    torch.cuda.synchronize()
    return (time.perf_counter() - start) / steps


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("artifacts")
    p.add_argument("--steps", type=int, default=20)
    a = p.parse_args()
    launch = os.path.join(a.artifacts, "bin", "hetu-launch")
    with open(os.path.join(a.artifacts, "bench", "sizes")) as f:
        b, i, h, o = (int(v) for v in f.read().split())
    print("MLP training step %dx%d -> %d -> %d (f32, SGD), %d timed steps"
          % (b, i, h, o, a.steps))
    print("%-8s %12s %12s %14s %12s %10s" % (
        "config", "hetu s/step", "hetu wall", "hetu uncached", "torch s/step",
        "torch/hetu"))
    for config, replicas in (("single", 1), ("dp4", 4)):
        model = os.path.join(a.artifacts, "bench", "mlp_%s.so" % config)
        if not os.path.exists(model):
            continue
        few = hetu_run_seconds(launch, model, 2)
        many = hetu_run_seconds(launch, model, a.steps + 1)
        hetu = many[0]
        wall = (many[1] - few[1]) / (a.steps - 1)
        uncached = hetu_run_seconds(launch, model, a.steps + 1, cache=False)[0]
        torch_s = torch_step_seconds(b * replicas, i, h, o, a.steps)
        print("%-8s %12.6f %12.6f %14.6f %12.6f %10.3f" % (
            config, hetu, wall, uncached, torch_s, torch_s / hetu))


if __name__ == "__main__":
    main()

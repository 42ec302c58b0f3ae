#!/usr/bin/env python3
"""The gradients of the transformer block (transformer_block.py, in f64),
from `hetu-run --autodiff=none` (partitioned for the layout), against the
central difference of its loss along a random direction of every parameter
(hetu-run on the forward pass, no autodiff); relative tolerance 1e-6.

    transformer_fd.py TOOLS_DIR LAYOUT...
"""
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import transformer_block  # noqa: E402

H = 1e-5


def arguments(text):
    """(name, shape, trainable) of each argument of @block."""
    sig = re.search(r"func\.func @block\((.*?)\) ->", text).group(1)
    out = []
    for m in re.finditer(r"%(\w+): tensor<([0-9x]*)x?f64>( \{hetu.trainable\})?", sig):
        dims = tuple(int(d) for d in m.group(2).split("x") if d)
        out.append((m.group(1), dims, bool(m.group(3))))
    return out


def run(tools, path, files, outdir, autodiff):
    cmd = [os.path.join(tools, "hetu-run"), path, "--inputs=" + ",".join(files), "--outputs=" + outdir]
    if autodiff:
        cmd.append("--autodiff=none")
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode:
        raise SystemExit(p.stdout)
    return [np.load(os.path.join(outdir, f)) for f in sorted(os.listdir(outdir), key=lambda f: int(f[6:-4]))]


def main():
    tools, layouts = sys.argv[1], sys.argv[2:]
    bad = 0
    for layout in layouts:
        text = transformer_block.generate(layout, element="f64")
        args = arguments(text)
        rng = np.random.default_rng(3)
        values = [rng.uniform(-1, 1, s) if not tr else rng.uniform(-0.6, 0.6, s) for _, s, tr in args]
        for k, (name, shape, tr) in enumerate(args):
            if name.endswith("_g"):
                values[k] = 1.0 + values[k] * 0.3  # layer-norm scales near 1
        dirs = [rng.uniform(-1, 1, s) if tr else np.zeros(s) for _, s, tr in args]
        with tempfile.TemporaryDirectory() as work:
            path = os.path.join(work, "block.mlir")
            with open(path, "w") as f:
                f.write(text)

            def files(tag, vals):
                names = []
                for k, v in enumerate(vals):
                    names.append(os.path.join(work, "%s%d.npy" % (tag, k)))
                    np.save(names[-1], v)
                return names

            def outdir(tag):
                d = os.path.join(work, tag)
                os.makedirs(d)
                return d

            grads = run(tools, path, files("w", values), outdir("grad"), True)[1:]
            plus = run(tools, path, files("p", [v + H * u for v, u in zip(values, dirs)]), outdir("plus"), False)[0]
            minus = run(tools, path, files("m", [v - H * u for v, u in zip(values, dirs)]), outdir("minus"), False)[0]
        trainable = [u for u, (_, _, tr) in zip(dirs, args) if tr]
        analytic = float(sum(np.sum(g * u) for g, u in zip(grads, trainable)))
        numeric = float((plus - minus) / (2 * H))
        scale = float(sum(np.sum(np.abs(g * u)) for g, u in zip(grads, trainable)))
        ok = abs(analytic - numeric) <= 1e-6 * scale
        bad += not ok
        print("transformer block %-6s %d parameters: %s (autodiff %.10g, finite differences %.10g)"
              % (layout, len(trainable), "ok" if ok else "MISMATCH", analytic, numeric))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

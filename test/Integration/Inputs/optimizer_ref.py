#!/usr/bin/env python3
"""The optimizers hetu-autodiff emits against NumPy implementations written
here from the papers' formulas (sharing nothing with the lowering).

The loss is sum(c * w^2) / 2 over one f64 parameter w, so the gradient is
c * w; `hetu-run --autodiff=OPT --iterations=K` trains K steps from the same
w and the result (the parameter and the optimizer state after K steps) is
compared with K NumPy steps. Also checked: data parallelism, where the
update must come from the mean of the replicas' gradients (Adam is not
linear in the gradient, so the mean of the replicas' updates would differ).

    optimizer_ref.py TOOLS_DIR
"""
import os
import subprocess
import sys
import tempfile

import numpy as np

STEPS = 4
SHAPE = (3, 5)


def module(group):
    return """module attributes {hetu.default_ctx = #hetu.group<"%s">} {
  func.func @f(%%w: tensor<3x5xf64> {hetu.trainable}, %%c: tensor<3x5xf64>) -> tensor<f64> {
    %%sq = arith.mulf %%w, %%w : tensor<3x5xf64>
    %%p = arith.mulf %%sq, %%c : tensor<3x5xf64>
    %%half = arith.constant dense<0.5> : tensor<3x5xf64>
    %%h = arith.mulf %%p, %%half : tensor<3x5xf64>
    %%zero = arith.constant 0.0 : f64
    %%e = tensor.empty() : tensor<f64>
    %%z = linalg.fill ins(%%zero : f64) outs(%%e : tensor<f64>) -> tensor<f64>
    %%s = linalg.reduce ins(%%h : tensor<3x5xf64>) outs(%%z : tensor<f64>) dimensions = [0, 1]
      (%%in: f64, %%acc: f64) {
        %%a = arith.addf %%in, %%acc : f64
        linalg.yield %%a : f64
      }
    return %%s : tensor<f64>
  }
}
""" % group


def numpy_steps(opt, w, grad_of, steps, lr=0.05, mu=0.9, b1=0.9, b2=0.999,
                eps=1e-8, wd=0.0):
    """Returns the parameter and state after `steps` updates."""
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for t in range(1, steps + 1):
        g = grad_of(w)
        if opt in ("sgd", "momentum", "adam"):
            g = g + wd * w
        if opt == "sgd":
            w = w - lr * g
        elif opt == "momentum":
            m = mu * m + g
            w = w - lr * m
        else:
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            mhat = m / (1 - b1 ** t)
            vhat = v / (1 - b2 ** t)
            step = mhat / (np.sqrt(vhat) + eps)
            if opt == "adamw":
                step = step + wd * w
            w = w - lr * step
    state = {"sgd": [], "momentum": [m], "adam": [m, v], "adamw": [m, v]}[opt]
    return [w] + state


def main():
    tools = sys.argv[1]
    rng = np.random.default_rng(7)
    failed = 0
    with tempfile.TemporaryDirectory() as work:
        for group, replicas in (("gpu:0", 1), ("gpu:0,gpu:1", 2)):
            path = os.path.join(work, "f%d.mlir" % replicas)
            with open(path, "w") as f:
                f.write(module(group))
            w = rng.uniform(-1, 1, SHAPE)
            # Every replica's own data (rows of the replicas stacked).
            c = rng.uniform(0.2, 2, (replicas * SHAPE[0], SHAPE[1]))
            np.save(os.path.join(work, "w.npy"), w)
            np.save(os.path.join(work, "c.npy"), c)
            cs = np.split(c, replicas)
            for opt, wd in (("sgd", 0.1), ("momentum", 0.0), ("adam", 0.0),
                            ("adam", 0.1), ("adamw", 0.1)):
                out = os.path.join(work, "%s-%s-%d" % (opt, wd, replicas))
                options = "optimizer=%s lr=0.05 weight-decay=%s" % (opt, wd)
                # Optimizer state arguments start at zero: hetu-run makes
                # them itself, so only w and c are given... as files for
                # every argument: zeros for the state.
                nstate = {"sgd": 0, "momentum": 1, "adam": 2, "adamw": 2}[opt]
                files = [os.path.join(work, "w.npy"), os.path.join(work, "c.npy")]
                for k in range(nstate):
                    np.save(os.path.join(work, "s%d.npy" % k), np.zeros(SHAPE))
                    files.append(os.path.join(work, "s%d.npy" % k))
                if opt.startswith("adam"):
                    np.save(os.path.join(work, "t.npy"), np.zeros((), np.float32))
                    files.append(os.path.join(work, "t.npy"))
                cmd = [os.path.join(tools, "hetu-run"), path, "--autodiff=" + options,
                       "--iterations=%d" % STEPS, "--inputs=" + ",".join(files),
                       "--outputs=" + out]
                p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                if p.returncode:
                    print(p.stdout)
                    failed += 1
                    continue
                # Single-device training on the replicas' batches: the mean
                # of the replicas' gradients.
                want = numpy_steps(opt, w, lambda x: sum(ci * x for ci in cs) / replicas,
                                   STEPS, wd=wd)
                got = [np.load(os.path.join(out, "output%d.npy" % k)) for k in range(len(want))]
                # Every replica holds the same parameter: the first one's.
                got = [g[: SHAPE[0]] if g.shape[0] != SHAPE[0] else g for g in got]
                err = max(float(np.max(np.abs(a - b) / (np.abs(b) + 1e-12))) for a, b in zip(got, want))
                ok = err < 1e-9
                failed += not ok
                print("%-8s weight-decay %-4s replicas %d: %s (largest relative difference %.2g)"
                      % (opt, wd, replicas, "ok" if ok else "MISMATCH", err))
    print("optimizers: %s" % ("all agree with NumPy" if not failed else "%d failed" % failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Every math op a model uses, lowered by hetu-lower-to-cpu and run by
hetu-run on data parallel ranks, against NumPy / Python's math (which share
nothing with the lowering): f32 and f64, relative tolerance 1e-5 / 1e-12
(f32 results below the smallest normal number within 1e-37 absolute).
The f32 functions hetu-approximate-math rewrites (exp, expm1, tanh, log,
log1p, erf) are also checked over their whole range (WIDE: overflow,
underflow into subnormals and zero, saturation, tiny and huge arguments),
on 4,096 points each, against NumPy in f64.

    math_ops.py TOOLS_DIR [--emit f32]   (--emit: print the module only)
"""
import math
import os
import subprocess
import sys
import tempfile

import numpy as np

# op: (reference, input range)
OPS = {
    "math.exp": (np.exp, (-2, 2)), "math.log": (np.log, (0.1, 3)),
    "math.log1p": (np.log1p, (-0.5, 3)), "math.expm1": (np.expm1, (-2, 2)),
    "math.tanh": (np.tanh, (-3, 3)), "math.sqrt": (np.sqrt, (0.1, 4)),
    "math.rsqrt": (lambda x: 1 / np.sqrt(x), (0.1, 4)),
    "math.erf": (np.vectorize(math.erf), (-2, 2)), "math.absf": (np.abs, (-2, 2)),
    "math.sin": (np.sin, (-3, 3)), "math.cos": (np.cos, (-3, 3)),
    "math.floor": (np.floor, (-3, 3)), "math.ceil": (np.ceil, (-3, 3)),
}
N = 8

# The approximated f32 functions over their whole range: (lo, hi, spacing).
WIDE = {
    "math.exp": (-104.0, 88.7, "linear"), "math.expm1": (-30.0, 88.7, "linear"),
    "math.tanh": (-30.0, 30.0, "linear"), "math.log": (1e-37, 3e38, "log"),
    "math.log1p": (-0.999999, 3e38, "log1p"), "math.erf": (-6.0, 6.0, "linear"),
}
WIDE_N = 2048


def module(element):
    t = "tensor<%dx%s>" % (N, element)
    args = ", ".join("%%x%d: %s" % (i, t) for i in range(len(OPS) + 1))
    results = ", ".join([t] * (len(OPS) + 1))
    lines = ['module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:1">} {',
             "  func.func @ops(%s) -> (%s) {" % (args, results)]
    names = []
    for i, op in enumerate(OPS):
        lines.append("    %%r%d = %s %%x%d : %s" % (i, op, i, t))
        names.append("%%r%d" % i)
    # powf(x, y) with x > 0.
    k = len(OPS)
    lines.append("    %%r%d = math.powf %%x%d, %%x0 : %s" % (k, k, t))
    names.append("%%r%d" % k)
    lines += ["    return %s : %s" % (", ".join(names), results), "  }", "}"]
    return "\n".join(lines) + "\n"


def wide_inputs(rng):
    """Per op, both replicas' rows: random points over the range plus its
    ends and zero-crossings."""
    xs = []
    for lo, hi, spacing in WIDE.values():
        if spacing == "log":
            x = np.exp(rng.uniform(np.log(lo), np.log(hi), size=2 * WIDE_N))
        elif spacing == "log1p":
            x = np.concatenate([rng.uniform(lo, 1.0, size=WIDE_N),
                                np.exp(rng.uniform(0.0, np.log(hi), size=WIDE_N))])
        else:
            x = rng.uniform(lo, hi, size=2 * WIDE_N)
        x[:4] = [lo, hi, max(lo, 0.0) if lo <= 0.0 else lo, (lo + hi) / 2]
        xs.append(x.astype(np.float32))
    return xs


def wide_module():
    t = "tensor<%dxf32>" % WIDE_N
    args = ", ".join("%%x%d: %s" % (i, t) for i in range(len(WIDE)))
    results = ", ".join([t] * len(WIDE))
    lines = ['module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:1">} {',
             "  func.func @wide(%s) -> (%s) {" % (args, results)]
    for i, op in enumerate(WIDE):
        lines.append("    %%r%d = %s %%x%d : %s" % (i, op, i, t))
    lines += ["    return %s : %s" % (", ".join("%%r%d" % i for i in range(len(WIDE))), results),
              "  }", "}"]
    return "\n".join(lines) + "\n"


def run(tools, text, xs, work):
    """hetu-run on `text` with inputs `xs`: the outputs, or None (printed)."""
    path = os.path.join(work, "m.mlir")
    with open(path, "w") as f:
        f.write(text)
    files = []
    for i, x in enumerate(xs):
        files.append(os.path.join(work, "x%d.npy" % i))
        np.save(files[-1], x)
    out = os.path.join(work, "out")
    p = subprocess.run([os.path.join(tools, "hetu-run"), path, "--inputs=" + ",".join(files),
                        "--outputs=" + out], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode:
        print(p.stdout)
        return None
    return [np.load(os.path.join(out, "output%d.npy" % i)) for i in range(len(xs))]


def check(name, element, got, want, rtol, atol):
    """Prints the largest error of `got` against `want` (f64); True if within
    rtol relative (atol absolute below the smallest normal number)."""
    with np.errstate(invalid="ignore", over="ignore"):
        same = (got == want) | (np.isnan(got) & np.isnan(want))
        err = np.where(same, 0.0, np.abs(got - want) / np.maximum(np.abs(want), 1e-300))
        tiny = np.abs(want) < 1.2e-38
        ok_each = same | (err <= rtol) | (tiny & (np.abs(got - want) <= atol))
    ok = bool(np.all(ok_each))
    worst = float(np.max(np.where(tiny & ~same, 0.0, err)))
    print("%-12s %s: %s (largest relative error %.2g)" % (name, element, "ok" if ok else "MISMATCH", worst))
    return ok


def main():
    if "--emit" in sys.argv:
        sys.stdout.write(module(sys.argv[-1]))
        return 0
    tools = sys.argv[1]
    bad = 0
    for element, dtype, rtol in (("f32", np.float32, 1e-5), ("f64", np.float64, 1e-12)):
        rng = np.random.default_rng(1)
        # Two replicas: each input holds both replicas' rows.
        xs = [rng.uniform(*rng_range, size=(2 * N,)).astype(dtype) for _, rng_range in OPS.values()]
        xs.append(rng.uniform(0.2, 2.0, size=(2 * N,)).astype(dtype))
        with tempfile.TemporaryDirectory() as work:
            got = run(tools, module(element), xs, work)
        if got is None:
            return 1
        wants = [ref(x.astype(np.float64)) for (ref, _), x in zip(OPS.values(), xs)]
        wants.append(np.power(xs[-1].astype(np.float64), xs[0].astype(np.float64)))
        for name, g, w in zip(list(OPS) + ["math.powf"], got, wants):
            err = float(np.max(np.abs(g - w) / np.maximum(np.abs(w), 1e-30)))
            ok = err <= rtol
            bad += not ok
            print("%-12s %s: %s (largest relative error %.2g)" % (name, element, "ok" if ok else "MISMATCH", err))
    # The approximated f32 functions over their whole range.
    xs = wide_inputs(np.random.default_rng(2))
    with tempfile.TemporaryDirectory() as work:
        got = run(tools, wide_module(), xs, work)
    if got is None:
        return 1
    for (name, ref), g, x in zip(((n, OPS[n][0]) for n in WIDE), got, xs):
        with np.errstate(over="ignore"):
            want = ref(x.astype(np.float64)).astype(np.float32).astype(np.float64)
        bad += not check(name, "f32 wide", g.astype(np.float64), want, 1e-5, 1e-37)
    print("math ops: %s" % ("all agree with NumPy" if not bad else "%d mismatches" % bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

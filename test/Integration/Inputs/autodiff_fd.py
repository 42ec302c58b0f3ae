#!/usr/bin/env python3
"""Finite-difference check of hetu-autodiff, one case per op kind.

Each case is a forward function in f64 whose loss is sum(y * c): the op's
result y weighted by a random constant c, so every element's gradient is
seeded differently. The gradient comes from `hetu-run --autodiff=none`
(the compiled backward pass); the reference is the central difference of
the loss along a random direction u of every parameter,

    (L(w + h u) - L(w - h u)) / 2h  ~  sum_p <dL/dw_p, u_p>,

where L is the forward function run by hetu-run (no autodiff). That shares
nothing with the derivative rules. Tolerance: relative 1e-6 (h = 1e-4 in
f64: truncation ~h^2, rounding ~1e-16/h).

    autodiff_fd.py TOOLS_DIR [CASE...]
"""

import os
import subprocess
import sys
import tempfile

import numpy as np

H = 1e-4
RTOL = 1e-6

ID2 = "affine_map<(d0, d1) -> (d0, d1)>"

# name: (trainable shapes, output shape, body). The body reads %w0, %w1, ...
# (parameters, values in [0.5, 1.5]) and %x (a data argument of the first
# parameter's shape, in [-1, 1]) and defines %y.
CASES = {}


# Cases whose forward pass rounds to f32 on the way: the difference quotient
# itself is only as good as f32.
TOLERANCE = {"payload-extf-truncf": 1e-2}


def case(name, params, out, body):
    CASES[name] = (params, out, body)


def t(shape):
    return "tensor<%sxf64>" % "x".join(str(d) for d in shape) if shape else "tensor<f64>"


def generic_unary(payload):
    """A linalg.generic applying a scalar payload to %w0 (3x4)."""
    return ("%%e = tensor.empty() : tensor<3x4xf64>\n"
            "%%y = linalg.generic {indexing_maps = [%s, %s, %s], iterator_types = [\"parallel\", \"parallel\"]}"
            " ins(%%w0, %%x : tensor<3x4xf64>, tensor<3x4xf64>) outs(%%e : tensor<3x4xf64>) {\n"
            "^bb0(%%a: f64, %%b: f64, %%o: f64):\n%s\n  linalg.yield %%r : f64\n} -> tensor<3x4xf64>"
            % (ID2, ID2, ID2, payload))


# Scalar rules inside a payload (a is the parameter, b data).
for op in ["addf", "subf", "mulf", "divf", "maximumf", "minimumf", "maxnumf", "minnumf"]:
    case("payload-" + op, [(3, 4)], (3, 4),
         generic_unary("  %%r = arith.%s %%a, %%b : f64" % op))
    case("payload-" + op + "-rhs", [(3, 4)], (3, 4),
         generic_unary("  %%r = arith.%s %%b, %%a : f64" % op))
case("payload-negf", [(3, 4)], (3, 4), generic_unary("  %r = arith.negf %a : f64"))
case("payload-select", [(3, 4)], (3, 4), generic_unary(
    "  %c = arith.cmpf ogt, %b, %a : f64\n  %sq = arith.mulf %a, %a : f64\n"
    "  %r = arith.select %c, %a, %sq : f64"))
for op in ["exp", "log", "log1p", "expm1", "tanh", "sqrt", "rsqrt", "erf", "absf", "sin", "cos"]:
    case("payload-" + op, [(3, 4)], (3, 4),
         generic_unary("  %%r = math.%s %%a : f64" % op))
case("payload-powf", [(3, 4)], (3, 4), generic_unary(
    "  %ex = arith.addf %b, %a : f64\n  %r = math.powf %a, %ex : f64"))
case("payload-chain", [(3, 4)], (3, 4), generic_unary(
    "  %m = arith.mulf %a, %b : f64\n  %t = math.tanh %m : f64\n"
    "  %k = arith.constant 0.75 : f64\n  %s = arith.mulf %t, %k : f64\n"
    "  %r = arith.addf %s, %a : f64"))
case("payload-extf-truncf", [(3, 4)], (3, 4), generic_unary(
    "  %n = arith.truncf %a : f64 to f32\n  %s = arith.mulf %n, %n : f32\n"
    "  %r = arith.extf %s : f32 to f64"))

# The same rules on whole tensors.
for op in ["addf", "subf", "mulf", "divf", "maximumf", "minimumf"]:
    case("tensor-" + op, [(3, 4)], (3, 4),
         "%%y = arith.%s %%w0, %%x : tensor<3x4xf64>" % op)
for op in ["exp", "log", "tanh", "sqrt", "rsqrt", "erf", "absf"]:
    case("tensor-" + op, [(3, 4)], (3, 4),
         "%%y = math.%s %%w0 : tensor<3x4xf64>" % op)
case("tensor-select", [(3, 4)], (3, 4),
     "%gt = arith.cmpf ogt, %x, %w0 : tensor<3x4xf64>\n"
     "%y = arith.select %gt, %w0, %x : tensor<3x4xi1>, tensor<3x4xf64>")
case("tensor-reuse", [(3, 4)], (3, 4),
     "%sq = arith.mulf %w0, %w0 : tensor<3x4xf64>\n"
     "%y = arith.divf %sq, %w0 : tensor<3x4xf64>")

# Named linalg ops, through their generic forms.
case("matmul", [(3, 5), (5, 4)], (3, 4),
     "%z = arith.constant 0.0 : f64\n%e = tensor.empty() : tensor<3x4xf64>\n"
     "%f = linalg.fill ins(%z : f64) outs(%e : tensor<3x4xf64>) -> tensor<3x4xf64>\n"
     "%y = linalg.matmul ins(%w0, %w1 : tensor<3x5xf64>, tensor<5x4xf64>) outs(%f : tensor<3x4xf64>) -> tensor<3x4xf64>")
case("matmul-transposed-b", [(3, 5), (4, 5)], (3, 4),
     "%z = arith.constant 0.0 : f64\n%e = tensor.empty() : tensor<3x4xf64>\n"
     "%f = linalg.fill ins(%z : f64) outs(%e : tensor<3x4xf64>) -> tensor<3x4xf64>\n"
     "%y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]"
     " ins(%w0, %w1 : tensor<3x5xf64>, tensor<4x5xf64>) outs(%f : tensor<3x4xf64>) -> tensor<3x4xf64>")
case("matmul-into-param", [(3, 5), (3, 4)], (3, 4),
     # The accumulator's initial value is a parameter too.
     "%k = arith.constant dense<0.3> : tensor<5x4xf64>\n"
     "%y = linalg.matmul ins(%w0, %k : tensor<3x5xf64>, tensor<5x4xf64>) outs(%w1 : tensor<3x4xf64>) -> tensor<3x4xf64>")
case("batch-matmul", [(2, 3, 5), (2, 5, 4)], (2, 3, 4),
     "%z = arith.constant 0.0 : f64\n%e = tensor.empty() : tensor<2x3x4xf64>\n"
     "%f = linalg.fill ins(%z : f64) outs(%e : tensor<2x3x4xf64>) -> tensor<2x3x4xf64>\n"
     "%y = linalg.batch_matmul ins(%w0, %w1 : tensor<2x3x5xf64>, tensor<2x5x4xf64>) outs(%f : tensor<2x3x4xf64>) -> tensor<2x3x4xf64>")
case("transpose", [(4, 3)], (3, 4),
     "%e = tensor.empty() : tensor<3x4xf64>\n"
     "%y = linalg.transpose ins(%w0 : tensor<4x3xf64>) outs(%e : tensor<3x4xf64>) permutation = [1, 0]")
case("broadcast", [(4,)], (3, 4),
     "%e = tensor.empty() : tensor<3x4xf64>\n"
     "%y = linalg.broadcast ins(%w0 : tensor<4xf64>) outs(%e : tensor<3x4xf64>) dimensions = [0]")
case("reduce-sum", [(3, 4)], (3,),
     "%z = arith.constant 0.0 : f64\n%e = tensor.empty() : tensor<3xf64>\n"
     "%f = linalg.fill ins(%z : f64) outs(%e : tensor<3xf64>) -> tensor<3xf64>\n"
     "%y = linalg.reduce ins(%w0 : tensor<3x4xf64>) outs(%f : tensor<3xf64>) dimensions = [1]\n"
     "  (%in: f64, %acc: f64) {\n    %s = arith.addf %in, %acc : f64\n    linalg.yield %s : f64\n  }")
case("reduce-max", [(3, 4)], (3,),
     "%z = arith.constant 0xFFF0000000000000 : f64\n%e = tensor.empty() : tensor<3xf64>\n"
     "%f = linalg.fill ins(%z : f64) outs(%e : tensor<3xf64>) -> tensor<3xf64>\n"
     "%y = linalg.reduce ins(%w0 : tensor<3x4xf64>) outs(%f : tensor<3xf64>) dimensions = [1]\n"
     "  (%in: f64, %acc: f64) {\n    %s = arith.maximumf %in, %acc : f64\n    linalg.yield %s : f64\n  }")
case("reduce-min-init", [(3, 4), (3,)], (3,),
     # The initial value takes part: where it is the minimum, it gets the gradient.
     "%h = arith.constant dense<0.9> : tensor<3xf64>\n%i = arith.mulf %w1, %h : tensor<3xf64>\n"
     "%y = linalg.reduce ins(%w0 : tensor<3x4xf64>) outs(%i : tensor<3xf64>) dimensions = [1]\n"
     "  (%in: f64, %acc: f64) {\n    %s = arith.minimumf %in, %acc : f64\n    linalg.yield %s : f64\n  }")
case("reduce-weighted", [(3, 4)], (4,),
     # An additive reduction of a product: sum_i w[i, j] * x[i, j]^2.
     "%z = arith.constant 0.0 : f64\n%e = tensor.empty() : tensor<4xf64>\n"
     "%f = linalg.fill ins(%z : f64) outs(%e : tensor<4xf64>) -> tensor<4xf64>\n"
     "%y = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>],"
     " iterator_types = [\"reduction\", \"parallel\"]} ins(%w0, %x : tensor<3x4xf64>, tensor<3x4xf64>) outs(%f : tensor<4xf64>) {\n"
     "^bb0(%a: f64, %b: f64, %o: f64):\n  %bb = arith.mulf %b, %b : f64\n  %p = arith.mulf %a, %bb : f64\n"
     "  %s = arith.addf %o, %p : f64\n  linalg.yield %s : f64\n} -> tensor<4xf64>")
for op in ["add", "sub", "mul", "div", "max"]:
    case("linalg-" + op, [(3, 4)], (3, 4),
         "%%e = tensor.empty() : tensor<3x4xf64>\n"
         "%%y = linalg.%s ins(%%w0, %%x : tensor<3x4xf64>, tensor<3x4xf64>) outs(%%e : tensor<3x4xf64>) -> tensor<3x4xf64>" % op)
for op in ["exp", "log", "sqrt", "tanh"]:
    case("linalg-" + op, [(3, 4)], (3, 4),
         "%%e = tensor.empty() : tensor<3x4xf64>\n"
         "%%y = linalg.%s ins(%%w0 : tensor<3x4xf64>) outs(%%e : tensor<3x4xf64>) -> tensor<3x4xf64>" % op)
case("linalg-map", [(3, 4)], (3, 4),
     "%e = tensor.empty() : tensor<3x4xf64>\n"
     "%y = linalg.map ins(%w0, %x : tensor<3x4xf64>, tensor<3x4xf64>) outs(%e : tensor<3x4xf64>)\n"
     "  (%a: f64, %b: f64, %o: f64) {\n    %m = arith.mulf %a, %b : f64\n    %r = math.exp %m : f64\n    linalg.yield %r : f64\n  }")
case("softmax", [(3, 4)], (3, 4),
     "%e = tensor.empty() : tensor<3x4xf64>\n"
     "%y = linalg.softmax dimension(1) ins(%w0 : tensor<3x4xf64>) outs(%e : tensor<3x4xf64>) -> tensor<3x4xf64>")

# Tensor reshapes and slices.
case("expand-shape", [(3, 4)], (3, 2, 2),
     "%y = tensor.expand_shape %w0 [[0], [1, 2]] output_shape [3, 2, 2] : tensor<3x4xf64> into tensor<3x2x2xf64>")
case("collapse-shape", [(3, 2, 2)], (3, 4),
     "%y = tensor.collapse_shape %w0 [[0], [1, 2]] : tensor<3x2x2xf64> into tensor<3x4xf64>")
case("extract-slice", [(3, 4)], (2, 2),
     "%y = tensor.extract_slice %w0[1, 1] [2, 2] [1, 2] : tensor<3x4xf64> to tensor<2x2xf64>")
case("insert-slice", [(2, 2), (3, 4)], (3, 4),
     "%y = tensor.insert_slice %w0 into %w1[1, 0] [2, 2] [1, 2] : tensor<2x2xf64> into tensor<3x4xf64>")
case("concat", [(3, 4), (2, 4)], (5, 4),
     "%y = tensor.concat dim(0) %w0, %w1 : (tensor<3x4xf64>, tensor<2x4xf64>) -> tensor<5x4xf64>")
# tensor.pad is differentiated (test/Transforms/autodiff.mlir) but
# hetu-partition does not take it yet, so hetu-run cannot run it.



def module(name):
    params, out, body = CASES[name]
    args = ["%%w%d: %s {hetu.trainable}" % (i, t(s)) for i, s in enumerate(params)]
    args += ["%%x: %s" % t(params[0]), "%%lossw: %s" % t(out)]
    dims = ", ".join(str(d) for d in range(len(out)))
    lines = ['module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {',
             "  func.func @f(%s) -> tensor<f64> {" % ", ".join(args)]
    lines += ["    " + l for l in body.split("\n")]
    lines += ["    %%wy = arith.mulf %%y, %%lossw : %s" % t(out),
              "    %zz = arith.constant 0.0 : f64",
              "    %e0 = tensor.empty() : tensor<f64>",
              "    %z0 = linalg.fill ins(%zz : f64) outs(%e0 : tensor<f64>) -> tensor<f64>",
              "    %%loss = linalg.reduce ins(%%wy : %s) outs(%%z0 : tensor<f64>) dimensions = [%s]" % (t(out), dims),
              "      (%in: f64, %acc: f64) {",
              "        %s = arith.addf %in, %acc : f64",
              "        linalg.yield %s : f64",
              "      }",
              "    return %loss : tensor<f64>",
              "  }",
              "}"]
    return "\n".join(lines) + "\n"


def run(tools, path, inputs, outdir, autodiff):
    cmd = [os.path.join(tools, "hetu-run"), path, "--inputs=" + ",".join(inputs),
           "--outputs=" + outdir]
    if autodiff:
        cmd.append("--autodiff=none")
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        raise RuntimeError(p.stdout)
    return [np.load(os.path.join(outdir, "output%d.npy" % i))
            for i in range(len(os.listdir(outdir)))]


def check(tools, name, work):
    params, out, _ = CASES[name]
    rng = np.random.default_rng(sum(map(ord, name)))
    path = os.path.join(work, name + ".mlir")
    with open(path, "w") as f:
        f.write(module(name))
    ws = [rng.uniform(0.5, 1.5, size=s) for s in params]
    x = rng.uniform(-1.0, 1.0, size=params[0])
    c = rng.uniform(-1.0, 1.0, size=out)
    us = [rng.uniform(-1.0, 1.0, size=s) for s in params]

    def save(tag, values):
        files = []
        for i, v in enumerate(values):
            fn = os.path.join(work, "%s.%s.%d.npy" % (name, tag, i))
            np.save(fn, np.asarray(v, dtype=np.float64))
            files.append(fn)
        return files

    def outdir(tag):
        d = os.path.join(work, "%s.%s.out" % (name, tag))
        os.makedirs(d, exist_ok=True)
        return d

    grads = run(tools, path, save("w", ws + [x, c]), outdir("grad"), True)[1:]
    plus = run(tools, path, save("p", [w + H * u for w, u in zip(ws, us)] + [x, c]),
               outdir("plus"), False)[0]
    minus = run(tools, path, save("m", [w - H * u for w, u in zip(ws, us)] + [x, c]),
                outdir("minus"), False)[0]
    numeric = float((plus - minus) / (2 * H))
    analytic = float(sum(np.sum(g * u) for g, u in zip(grads, us)))
    scale = max(abs(numeric), float(sum(np.sum(np.abs(g * u)) for g, u in zip(grads, us))), 1e-12)
    ok = abs(numeric - analytic) <= TOLERANCE.get(name, RTOL) * scale
    print("%-24s %s  autodiff %.12g  finite differences %.12g"
          % (name, "ok  " if ok else "FAIL", analytic, numeric))
    return ok


def main():
    tools = sys.argv[1]
    names = sys.argv[2:] or list(CASES)
    failed = []
    with tempfile.TemporaryDirectory() as work:
        for name in names:
            try:
                if not check(tools, name, work):
                    failed.append(name)
            except RuntimeError as e:
                print("%-24s ERROR\n%s" % (name, e))
                failed.append(name)
    print("finite differences: %d of %d op kinds agree" % (len(names) - len(failed), len(names)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

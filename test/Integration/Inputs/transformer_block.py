#!/usr/bin/env python3
"""A pre-LN transformer block as a placed forward loss function in linalg,
for hetu-autodiff: layer norm (mean and variance reductions, math.rsqrt),
causal multi-head attention (scores and context as linalg.generic
contractions over (batch, head, query, key, feature), linalg.softmax with a
mask), a GELU MLP (math.tanh), two residuals, and a mean-squared loss.

Layouts (--layout):
  single   one device
  tp       Megatron tensor parallelism on the tuple (gpu:0,gpu:1): QKV and
           fc1 split by columns, the attention projection and fc2 by rows
  dp-tp    2 data-parallel replicas of that tuple
  dp-tp-pp 8 devices: the first layer norm on "gpu:0,gpu:4", attention,
           residuals, the second layer norm and the MLP on the tuples
           "(gpu:1,gpu:2),(gpu:5,gpu:6)" (Megatron inside), the loss on
           "gpu:3,gpu:7" (data x tensor x pipeline, 3 stages)

    transformer_block.py --layout dp-tp-pp [--optimizer adam] | hetu-run - --verify
"""

import argparse
import sys

B, S, D, H, F = 2, 4, 8, 2, 16
HD = D // H
T = B * S


class Writer(object):
    def __init__(self):
        self.lines, self.n = [], 0
        self.ctx = None

    def fresh(self, p="v"):
        self.n += 1
        return "%%%s%d" % (p, self.n)

    def at(self):
        return ' {hetu.ctx = #hetu.group<"%s">}' % self.ctx if self.ctx else ""

    def emit(self, s):
        self.lines.append(s)


ELEMENT = ["f32"]


def t(shape):
    e = ELEMENT[0]
    return "tensor<%sx%s>" % ("x".join(map(str, shape)), e) if shape else "tensor<%s>" % e


def generate(layout, optimizer=None, lr=0.01, element="f32"):
    ELEMENT[0] = element
    w = Writer()
    E = w.emit
    default = {"single": "gpu:0", "tp": "(gpu:0,gpu:1)", "dp-tp": "(gpu:0,gpu:1),(gpu:2,gpu:3)",
               "dp-tp-pp": "gpu:0,gpu:4"}[layout]
    tuple_group = {"tp": None, "dp-tp": None, "dp-tp-pp": "(gpu:1,gpu:2),(gpu:5,gpu:6)"}.get(layout)
    last_group = "gpu:3,gpu:7" if layout == "dp-tp-pp" else None
    megatron = layout != "single"

    def empty(shape):
        e = w.fresh("e")
        E("%s = tensor.empty() : %s" % (e, t(shape)))
        return e

    def filled(shape, value):
        e, z = empty(shape), w.fresh("z")
        E("%s = linalg.fill%s ins(%s : %s) outs(%s : %s) -> %s" % (z, w.at(), value, element, e, t(shape), t(shape)))
        return z

    def binary(op, a, b, shape):
        r = w.fresh()
        E("%s = arith.%s %s, %s%s : %s" % (r, op, a, b, w.at(), t(shape)))
        return r

    def unary(op, a, shape):
        r = w.fresh()
        E("%s = %s %s%s : %s" % (r, op, a, w.at(), t(shape)))
        return r

    def splat(v, shape):
        r = w.fresh("c")
        E("%s = arith.constant dense<%s> : %s" % (r, "%.9e" % v, t(shape)))
        return r

    def dispatch(v, shape, states, group=None):
        r = w.fresh("d")
        on = ' on #hetu.group<"%s">' % group if group else ""
        E("%s = hetu.dispatch %s to #hetu.states<%s>%s : %s" % (r, v, states, on, t(shape)))
        return r

    def whole():
        """Partial sums of the row-split matmuls made whole on both devices
        of the tuple (Megatron's all-reduce)."""
        return ("[1, 1], duplicate = 2", tuple_group)

    def matmul(a, b, m, k, n):
        z, r = filled((m, n), "%zero"), w.fresh("mm")
        E("%s = linalg.matmul%s ins(%s, %s : %s, %s) outs(%s : %s) -> %s"
          % (r, w.at(), a, b, t((m, k)), t((k, n)), z, t((m, n)), t((m, n))))
        return r

    def bcast_rows(v, cols_shape, dims, out_shape):
        e, r = empty(out_shape), w.fresh("b")
        E("%s = linalg.broadcast ins(%s : %s) outs(%s : %s) dimensions = [%s]%s"
          % (r, v, t(cols_shape), e, t(out_shape), ", ".join(map(str, dims)), w.at()))
        return r

    def row_sum(v, rows, cols):
        z, r = filled((rows,), "%zero"), w.fresh("rs")
        E("%s = linalg.reduce ins(%s : %s) outs(%s : %s) dimensions = [1]%s"
          % (r, v, t((rows, cols)), z, t((rows,)), w.at()))
        E("  (%%in: %s, %%acc: %s) {" % (element, element))
        E("    %%s = arith.addf %%in, %%acc : %s" % element)
        E("    linalg.yield %s : " + element)
        E("  }")
        return r

    def layer_norm(x, gamma, beta):
        mean = binary("mulf", row_sum(x, T, D), splat(1.0 / D, (T,)), (T,))
        xc = binary("subf", x, bcast_rows(mean, (T,), [1], (T, D)), (T, D))
        var = binary("mulf", row_sum(binary("mulf", xc, xc, (T, D)), T, D), splat(1.0 / D, (T,)), (T,))
        r = unary("math.rsqrt", binary("addf", var, splat(1e-5, (T,)), (T,)), (T,))
        y = binary("mulf", xc, bcast_rows(r, (T,), [1], (T, D)), (T, D))
        y = binary("mulf", y, bcast_rows(gamma, (D,), [0], (T, D)), (T, D))
        return binary("addf", y, bcast_rows(beta, (D,), [0], (T, D)), (T, D))

    # Parameters.
    params = [("ln1_g", (D,)), ("ln1_b", (D,)), ("wq", (D, D)), ("wk", (D, D)), ("wv", (D, D)),
              ("wo", (D, D)), ("ln2_g", (D,)), ("ln2_b", (D,)), ("w1", (D, F)), ("b1", (F,)),
              ("w2", (F, D))]
    args = ["%%x: %s" % t((T, D)), "%%target: %s" % t((T, D))]
    args += ["%%%s: %s {hetu.trainable}" % (n, t(s)) for n, s in params]

    E("%%zero = arith.constant 0.0 : %s" % element)
    # The causal mask: key j > query i is out of reach.
    E("%%mask = arith.constant dense<[%s]> : %s" % (", ".join(
        "[%s]" % ", ".join("-1.0e+09" if j > i else "0.0" for j in range(S)) for i in range(S)),
        t((S, S))))
    # Attention.
    h = layer_norm("%x", "%ln1_g", "%ln1_b")
    col = "[1, 2]" if megatron else "[1, 1]"
    row = "[2, 1]" if megatron else "[1, 1]"
    if megatron:
        h = dispatch(h, (T, D), "[1, 1], duplicate = 2", tuple_group)
    wq, wk, wv = [dispatch("%" + n, (D, D), col, tuple_group) if megatron else "%" + n
                  for n in ("wq", "wk", "wv")]
    wo = dispatch("%wo", (D, D), row, tuple_group) if megatron else "%wo"
    w.ctx = tuple_group
    q, k, v = [matmul(h, m, T, D, D) for m in (wq, wk, wv)]

    def heads(v):
        r = w.fresh("hd")
        E("%s = tensor.expand_shape %s [[0, 1], [2, 3]] output_shape [%d, %d, %d, %d]%s : %s into %s"
          % (r, v, B, S, H, HD, w.at(), t((T, D)), t((B, S, H, HD))))
        return r

    def contract(a, b, loops, a_map, b_map, out_map, a_shape, b_shape, out_shape):
        """out[out_map] = sum over the last loop of a[a_map] * b[b_map]."""
        z, r = filled(out_shape, "%zero"), w.fresh("ct")
        amap = lambda m: "affine_map<(%s) -> (%s)>" % (", ".join(loops), m)
        E("%s = linalg.generic {indexing_maps = [%s, %s, %s], iterator_types = "
          '["parallel", "parallel", "parallel", "parallel", "reduction"]} '
          "ins(%s, %s : %s, %s) outs(%s : %s)%s {"
          % (r, amap(a_map), amap(b_map), amap(out_map), a, b, t(a_shape), t(b_shape),
             z, t(out_shape), " attrs = " + w.at().strip() if w.ctx else ""))
        E("^bb0(%%a: %s, %%b: %s, %%acc: %s):" % (element, element, element))
        E("  %%p = arith.mulf %%a, %%b : %s" % element)
        E("  %%s = arith.addf %%acc, %%p : %s" % element)
        E("  linalg.yield %s : " + element)
        E("} -> %s" % t(out_shape))
        return r

    q4, k4, v4 = heads(q), heads(k), heads(v)
    # scores[b, h, i, j] = sum_d q[b, i, h, d] k[b, j, h, d] / sqrt(HD) + mask[i, j]
    sc = contract(q4, k4, ("b", "h", "i", "j", "d"), "b, i, h, d", "b, j, h, d", "b, h, i, j",
                  (B, S, H, HD), (B, S, H, HD), (B, H, S, S))
    sc = binary("mulf", sc, splat(1.0 / HD ** 0.5, (B, H, S, S)), (B, H, S, S))
    sc = binary("addf", sc, bcast_rows("%mask", (S, S), [0, 1], (B, H, S, S)), (B, H, S, S))
    e = empty((B, H, S, S))
    p = w.fresh("sm")
    E("%s = linalg.softmax%s dimension(3) ins(%s : %s) outs(%s : %s) -> %s"
      % (p, w.at(), sc, t((B, H, S, S)), e, t((B, H, S, S)), t((B, H, S, S))))
    # ctx[b, i, h, d] = sum_j p[b, h, i, j] v[b, j, h, d]
    cx = contract(p, v4, ("b", "i", "h", "d", "j"), "b, h, i, j", "b, j, h, d", "b, i, h, d",
                  (B, H, S, S), (B, S, H, HD), (B, S, H, HD))
    flat = w.fresh("fl")
    E("%s = tensor.collapse_shape %s [[0, 1], [2, 3]]%s : %s into %s"
      % (flat, cx, w.at(), t((B, S, H, HD)), t((T, D))))
    attn = matmul(flat, wo, T, D, D)
    w.ctx = None
    if megatron:
        attn = dispatch(attn, (T, D), *whole())
    w.ctx = tuple_group
    x1 = binary("addf", "%x", attn, (T, D))
    # MLP.
    h2 = layer_norm(x1, "%ln2_g", "%ln2_b")
    w1 = dispatch("%w1", (D, F), col, tuple_group) if megatron else "%w1"
    b1 = dispatch("%b1", (F,), "[2]", tuple_group) if megatron else "%b1"
    w2 = dispatch("%w2", (F, D), row, tuple_group) if megatron else "%w2"
    w.ctx = tuple_group
    f = binary("addf", matmul(h2, w1, T, D, F), bcast_rows(b1, (F,), [0], (T, F)), (T, F))
    cube = binary("mulf", binary("mulf", f, f, (T, F)), f, (T, F))
    inner = binary("mulf", binary("addf", f, binary("mulf", cube, splat(0.044715, (T, F)), (T, F)), (T, F)),
                   splat(0.7978845608028654, (T, F)), (T, F))
    g = binary("mulf", binary("mulf", f, splat(0.5, (T, F)), (T, F)),
               binary("addf", unary("math.tanh", inner, (T, F)), splat(1.0, (T, F)), (T, F)), (T, F))
    m = matmul(g, w2, T, F, D)
    w.ctx = None
    if megatron:
        m = dispatch(m, (T, D), *whole())
    w.ctx = tuple_group
    x2 = binary("addf", x1, m, (T, D))
    w.ctx = None
    if last_group:
        x2 = dispatch(x2, (T, D), "[1, 1]", last_group)
    w.ctx = last_group
    # Loss: mean squared error against the target.
    d = binary("subf", x2, "%target", (T, D))
    sq = binary("mulf", d, d, (T, D))
    z0 = filled((), "%zero")
    s = w.fresh("sum")
    E("%s = linalg.reduce ins(%s : %s) outs(%s : %s) dimensions = [0, 1]%s"
      % (s, sq, t((T, D)), z0, t(()), w.at()))
    E("  (%%in: %s, %%acc: %s) {" % (element, element))
    E("    %%s = arith.addf %%in, %%acc : %s" % element)
    E("    linalg.yield %s : " + element)
    E("  }")
    loss = binary("mulf", s, splat(1.0 / (T * D), ()), ())
    w.ctx = None
    if last_group:
        loss = dispatch(loss, (), "[]", default)

    attrs = ""
    if optimizer:
        attrs = ' attributes {hetu.autodiff = {optimizer = "%s", lr = %r}}' % (optimizer, lr)
    out = ['module attributes {hetu.default_ctx = #hetu.group<"%s">} {' % default,
           "  func.func @block(%s) -> %s%s {" % (", ".join(args), t(()), attrs)]
    out += ["    " + l for l in w.lines]
    out += ["    return %s : %s" % (loss, t(())), "  }", "}"]
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--layout", choices=["single", "tp", "dp-tp", "dp-tp-pp"], default="single")
    ap.add_argument("--optimizer", choices=["none", "sgd", "momentum", "adam", "adamw"])
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--element", choices=["f32", "f64"], default="f32")
    a = ap.parse_args()
    sys.stdout.write(generate(a.layout, a.optimizer, a.lr, a.element))


if __name__ == "__main__":
    main()

"""Writes a graph as one placed function in hetu IR (linalg, tensor, arith
and math ops on tensors; hetu.dispatch; hetu.ctx placements). Used by the
Executor. The writers below spell the element type f32; a float64 Executor
gets the same text with f64 (hex constants are packed as doubles)."""

import struct
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from .graph import _check, _split_counts


def tensor(shape: Sequence[int]) -> str:
    return "tensor<%sxf32>" % "x".join(map(str, shape)) if shape else "tensor<f32>"


def number(v: float) -> str:
    """An f32 as MLIR parses it (always with a mantissa dot; infinities in
    hex)."""
    v = float(v)
    if v in (float("inf"), float("-inf")):
        return "0x7F800000" if v > 0 else "0xFF800000"
    return "%.9e" % v


def schedule_attr(schedule: str) -> str:
    """`#hetu.schedule<...>`: `1f1b` is not an MLIR keyword, so it is quoted."""
    shown = schedule if schedule.isidentifier() else '"%s"' % schedule
    return "#hetu.schedule<%s>" % shown


def _product(shape: Sequence[int]) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


def _unit_groups(full: Sequence[int], kept: Sequence[int]) -> List[List[int]]:
    """Reassociation from `full` (a shape) to the dims listed in `kept`
    (indices of full, in order; every other dim has size 1): each dropped
    dim joins the group of a kept neighbour. [] when nothing is kept."""
    if not kept:
        return []
    groups = [[k] for k in kept]
    for i in range(len(full)):
        if i in kept:
            continue
        later = [g for g in groups if g[0] > i]
        (later[0] if later else groups[-1]).append(i)
    return [sorted(g) for g in groups]


def _reshape_groups(a: Sequence[int], b: Sequence[int]
                    ) -> Optional[Tuple[List[List[int]], List[List[int]]]]:
    """Groups (of dims of a, of dims of b) with equal products, in order,
    or None when a and b hold different numbers of elements."""
    if _product(a) != _product(b):
        return None
    ga, gb, i, j = [], [], 0, 0
    while i < len(a) and j < len(b):
        ia, jb, pa, pb = [i], [j], a[i], b[j]
        while pa != pb:
            if pa < pb:
                i += 1
                ia.append(i)
                pa *= a[i]
            else:
                j += 1
                jb.append(j)
                pb *= b[j]
        ga.append(ia)
        gb.append(jb)
        i, j = i + 1, j + 1
    # Trailing unit dims join the last group.
    if ga:
        ga[-1] += list(range(i, len(a)))
        gb[-1] += list(range(j, len(b)))
    return ga, gb


def _groups_text(groups: Sequence[Sequence[int]]) -> str:
    return "[%s]" % ", ".join("[%s]" % ", ".join(map(str, g)) for g in groups)


class Writer:
    """The lines of one function body, with fresh SSA names."""

    def __init__(self, default_ctx, element: str = "f32") -> None:
        self.element = element
        self.lines, self.n = [], 0
        self.default_ctx = default_ctx
        self.at = ""
        self.constants = {}

    def fresh(self) -> str:
        self.n += 1
        return "%%v%d" % self.n

    def emit(self, text: str) -> None:
        self.lines.append(text)

    def place(self, group) -> None:
        """Ops written next run on `group` (None: the default)."""
        self.at = "" if group is None or group == self.default_ctx else \
            " {hetu.ctx = %s}" % group.mlir()

    def generic_attrs(self) -> str:
        return " attrs = " + self.at.strip() if self.at else ""

    # Building blocks.
    def empty(self, shape: Sequence[int]) -> str:
        e = self.fresh()
        self.emit("%s = tensor.empty() : %s" % (e, tensor(shape)))
        return e

    def filled(self, shape: Sequence[int], value: float) -> str:
        e, z = self.empty(shape), self.fresh()
        c = self.scalar(value)
        self.emit("%s = linalg.fill%s ins(%s : f32) outs(%s : %s) -> %s"
                  % (z, self.at, c, e, tensor(shape), tensor(shape)))
        return z

    def scalar(self, value: float) -> str:
        key = ("scalar", float(value))
        if key not in self.constants:
            c = self.fresh()
            self.emit("%s = arith.constant %s : f32" % (c, number(value)))
            self.constants[key] = c
        return self.constants[key]

    def splat(self, value: float, shape: Sequence[int]) -> str:
        r = self.fresh()
        self.emit("%s = arith.constant dense<%s> : %s" % (r, number(value), tensor(shape)))
        return r

    def dense(self, values: Sequence[float], shape: Sequence[int]) -> str:
        """A constant tensor of the flat `values` (exact: hex of the f32s)."""
        if len(set(values)) == 1:
            return self.splat(values[0], shape)
        r = self.fresh()
        code = "d" if self.element == "f64" else "f"
        raw = struct.pack("<%d%s" % (len(values), code), *values).hex().upper()
        self.emit('%s = arith.constant dense<"0x%s"> : %s' % (r, raw, tensor(shape)))
        return r

    def binary(self, kind: str, a: str, b: str, shape: Sequence[int]) -> str:
        r = self.fresh()
        self.emit("%s = arith.%s %s, %s%s : %s" % (r, kind, a, b, self.at, tensor(shape)))
        return r

    def unary(self, op: str, a: str, shape: Sequence[int]) -> str:
        r = self.fresh()
        self.emit("%s = %s %s%s : %s" % (r, op, a, self.at, tensor(shape)))
        return r

    def collapse(self, v: str, shape: Sequence[int], groups: Sequence[Sequence[int]],
                 out: Sequence[int]) -> str:
        r = self.fresh()
        self.emit("%s = tensor.collapse_shape %s %s%s : %s into %s"
                  % (r, v, _groups_text(groups), self.at, tensor(shape), tensor(out)))
        return r

    def expand(self, v: str, shape: Sequence[int], groups: Sequence[Sequence[int]],
               out: Sequence[int]) -> str:
        r = self.fresh()
        self.emit("%s = tensor.expand_shape %s %s output_shape [%s]%s : %s into %s"
                  % (r, v, _groups_text(groups), ", ".join(map(str, out)), self.at,
                     tensor(shape), tensor(out)))
        return r

    def reshape(self, v: str, shape: Sequence[int], out: Sequence[int]) -> str:
        shape, out = tuple(shape), tuple(out)
        if shape == out:
            return v
        if not shape:
            return self.expand(v, shape, [], out)
        if not out:
            return self.collapse(v, shape, [], out)
        ga, gb = _reshape_groups(shape, out)
        mid = tuple(_product([shape[i] for i in g]) for g in ga)
        if mid != shape:
            v = self.collapse(v, shape, ga, mid)
        if mid != out:
            v = self.expand(v, mid, gb, out)
        return v

    def broadcast(self, v: str, shape: Sequence[int], out: Sequence[int]) -> str:
        """`v` broadcast to `out` as NumPy (right-aligned, 1 stretches)."""
        shape, out = tuple(shape), tuple(out)
        if shape == out:
            return v
        lead = len(out) - len(shape)
        _check(lead >= 0, "cannot broadcast %s to %s" % (shape, out))
        # Dims of v that stay: those equal to the output's.
        kept = [i for i, d in enumerate(shape) if d == out[lead + i]]
        if len(kept) != len(shape):
            v = self.collapse(v, shape, _unit_groups(shape, kept),
                              tuple(shape[i] for i in kept))
        added = [k for k in range(len(out)) if k - lead not in kept]
        return self.linalg_broadcast(v, tuple(shape[i] for i in kept), out, added)

    def linalg_broadcast(self, v: str, shape: Sequence[int], out: Sequence[int],
                         dims: Sequence[int]) -> str:
        e, r = self.empty(out), self.fresh()
        self.emit("%s = linalg.broadcast ins(%s : %s) outs(%s : %s) dimensions = [%s]%s"
                  % (r, v, tensor(shape), e, tensor(out), ", ".join(map(str, dims)), self.at))
        return r

    def reduce(self, v: str, shape: Sequence[int], axes: Sequence[int],
               combine: str) -> Tuple[str, Tuple[int, ...]]:
        out = tuple(d for i, d in enumerate(shape) if i not in axes)
        init = 0.0 if combine == "addf" else float("-inf")
        z = self.filled(out, init)
        r = self.fresh()
        self.emit("%s = linalg.reduce ins(%s : %s) outs(%s : %s) dimensions = [%s]%s"
                  % (r, v, tensor(shape), z, tensor(out), ", ".join(map(str, axes)), self.at))
        self.emit("  (%in: f32, %acc: f32) {")
        self.emit("    %%c = arith.%s %%in, %%acc : f32" % combine)
        self.emit("    linalg.yield %c : f32")
        self.emit("  }")
        return r, out

    def transpose(self, v: str, shape: Sequence[int], perm: Sequence[int]) -> str:
        out = tuple(shape[p] for p in perm)
        e, r = self.empty(out), self.fresh()
        self.emit("%s = linalg.transpose ins(%s : %s) outs(%s : %s) permutation = [%s]%s"
                  % (r, v, tensor(shape), e, tensor(out), ", ".join(map(str, perm)), self.at))
        return r

    def generic(self, ins: Sequence[Tuple[str, Sequence[int]]], maps: Sequence[str],
                loops: Sequence[str], iterators: Sequence[str], out_shape: Sequence[int],
                out_map: str, body: Sequence[str], init: Optional[str] = None) -> str:
        """A linalg.generic over `loops` (names) with inputs `ins` [(value,
        shape)], their maps (strings of loop names), the output's map, and
        the payload `body` (lines using %a0, %a1, ... and %acc; it ends in a
        linalg.yield)."""
        out = init if init is not None else self.empty(out_shape)
        r = self.fresh()
        amap = lambda m: "affine_map<(%s) -> (%s)>" % (", ".join(loops), m)
        maps_text = ", ".join(amap(m) for m in list(maps) + [out_map])
        its = ", ".join('"%s"' % i for i in iterators)
        self.emit("%s = linalg.generic {indexing_maps = [%s], iterator_types = [%s]} "
                  "ins(%s : %s) outs(%s : %s)%s {"
                  % (r, maps_text, its, ", ".join(v for v, _ in ins),
                     ", ".join(tensor(s) for _, s in ins), out, tensor(out_shape),
                     self.generic_attrs()))
        self.emit("^bb0(%s, %%acc: f32):" % ", ".join("%%a%d: f32" % i for i in range(len(ins))))
        for line in body:
            self.emit("  " + line)
        self.emit("} -> %s" % tensor(out_shape))
        return r


def write_module(ex) -> str:
    """The module text of Executor `ex`: one function @main whose arguments
    are the graph's inputs and whose results are its outputs."""
    element = {"float32": "f32", "float64": "f64"}[ex.dtype]
    w = Writer(ex.ctx, element)
    names = {}
    params = []
    for i, a in enumerate(ex.args):
        names[a.id] = "%%arg%d" % i
        attrs = ["hetu.trainable"] if a.attrs["trainable"] else []
        if a.id in ex.update_ctx:
            attrs.append("hetu.update_ctx = %s" % ex.update_ctx[a.id].mlir())
        params.append("%s: %s%s" % (names[a.id], tensor(a.shape),
                                    " {%s}" % ", ".join(attrs) if attrs else ""))
    for node in ex.ops:
        w.place(None if node.op == "dispatch" else node.raw_ctx)
        ins = [names[i.id] for i in node.inputs]
        names[node.id] = _WRITERS[node.op](w, node, ins, ex)
    results = [names[e.id] for e in ex.outputs]
    types = [tensor(e.shape) for e in ex.outputs]
    head = "module attributes {hetu.default_ctx = %s} {" % ex.ctx.mlir() \
        if ex.ctx else "module {"
    fn_attrs = []
    if ex.schedule:
        fn_attrs += ["hetu.micro_batches = %d" % ex.micro_batches,
                     "hetu.schedule = %s" % schedule_attr(ex.schedule)]
    if ex.autodiff:
        entries = ['optimizer = "%s"' % ex.autodiff["optimizer"]]
        entries += ["%s = %s" % (k, number(v)) for k, v in sorted(ex.autodiff.items())
                    if k != "optimizer"]
        fn_attrs.append("hetu.autodiff = {%s}" % ", ".join(entries))
    attrs = " attributes {%s}" % ", ".join(fn_attrs) if fn_attrs else ""
    body = ["  func.func @main(%s) -> (%s)%s {" % (", ".join(params), ", ".join(types), attrs)]
    body += ["    " + l for l in w.lines]
    body += ["    return %s : %s" % (", ".join(results), ", ".join(types)), "  }"]
    text = "\n".join([head] + body + ["}"]) + "\n"
    if element == "f64":
        # Every "f32" in the text is the element type (hex constants are
        # upper case); f32 infinities become f64 ones.
        text = text.replace("f32", "f64").replace("0xFF800000", "0xFFF0000000000000") \
            .replace("0x7F800000", "0x7FF0000000000000")
    return text


def _ins_at(w: Writer, node, ins: List[str]) -> List[str]:
    """The inputs broadcast to the node's shape."""
    return [w.broadcast(v, i.shape, node.shape) for v, i in zip(ins, node.inputs)]


def _binary(w: Writer, node, ins: List[str], ex) -> str:
    a, b = _ins_at(w, node, ins)
    return w.binary(node.attrs["kind"], a, b, node.shape)


def _const(w: Writer, node, ins: List[str], ex) -> str:
    c = w.splat(node.attrs["value"], node.shape)
    a, b = (c, ins[0]) if node.attrs["reverse"] else (ins[0], c)
    return w.binary(node.attrs["kind"], a, b, node.shape)


def _unary(w: Writer, node, ins: List[str], ex) -> str:
    kind, x, shape = node.attrs["kind"], ins[0], node.shape
    if kind == "negf":
        return w.unary("arith.negf", x, shape)
    if kind == "relu":
        return w.binary("maximumf", x, w.splat(0.0, shape), shape)
    if kind == "log" and node.attrs["eps"] > 0:
        x = w.binary("maximumf", x, w.splat(node.attrs["eps"], shape), shape)
    return w.unary("math." + kind, x, shape)


def _softmax(w: Writer, node, ins: List[str], ex) -> str:
    t, r = tensor(node.shape), w.fresh()
    e = w.empty(node.shape)
    w.emit("%s = linalg.softmax%s dimension(%d) ins(%s : %s) outs(%s : %s) -> %s"
           % (r, w.at, len(node.shape) - 1, ins[0], t, e, t, t))
    return r


def _reduce(w: Writer, node, ins: List[str], ex) -> str:
    x = node.inputs[0]
    rank = len(x.shape)
    axes = node.attrs["axes"]
    axes = sorted({a % rank for a in ([axes] if isinstance(axes, int) else axes)})
    kind = node.attrs["kind"]
    r, out = w.reduce(ins[0], x.shape, axes, "maximumf" if kind == "max" else "addf")
    if kind == "mean":
        r = w.binary("mulf", r, w.splat(1.0 / _product([x.shape[a] for a in axes]), out), out)
    if node.attrs["keepdims"]:
        r = w.reshape(r, out, node.shape)
    return r


def _matmul(w: Writer, node, ins: List[str], ex) -> str:
    a, b = node.inputs
    x, y = ins
    if node.attrs["trans_A"]:
        x = w.transpose(x, a.shape, (1, 0))
    if node.attrs["trans_B"]:
        y = w.transpose(y, b.shape, (1, 0))
    m, n = node.shape
    k = b.shape[1] if node.attrs["trans_B"] else b.shape[0]
    z, r = w.filled(node.shape, 0.0), w.fresh()
    w.emit("%s = linalg.matmul%s ins(%s, %s : %s, %s) outs(%s : %s) -> %s"
           % (r, w.at, x, y, tensor((m, k)), tensor((k, n)), z, tensor(node.shape),
              tensor(node.shape)))
    return r


def _batch_matmul(w: Writer, node, ins: List[str], ex) -> str:
    """A contraction over the last axis pair: the batch axes stay parallel
    loops (so a split of any of them, e.g. attention heads, stays local)."""
    a, b = node.inputs
    nb = len(node.shape) - 2
    batch = ["b%d" % i for i in range(nb)]
    loops = batch + ["m", "n", "k"]
    amap = batch + (["k", "m"] if node.attrs["trans_A"] else ["m", "k"])
    bmap = batch + (["n", "k"] if node.attrs["trans_B"] else ["k", "n"])
    z = w.filled(node.shape, 0.0)
    return w.generic([(ins[0], a.shape), (ins[1], b.shape)], [", ".join(amap), ", ".join(bmap)],
                     loops, ["parallel"] * (nb + 2) + ["reduction"], node.shape,
                     ", ".join(batch + ["m", "n"]),
                     ["%p = arith.mulf %a0, %a1 : f32", "%s = arith.addf %acc, %p : f32",
                      "linalg.yield %s : f32"], init=z)


def _reshape(w: Writer, node, ins: List[str], ex) -> str:
    return w.reshape(ins[0], node.inputs[0].shape, node.shape)


def _transpose(w: Writer, node, ins: List[str], ex) -> str:
    shape = node.inputs[0].shape
    perm = node.attrs["perm"]
    perm = list(range(len(shape)))[::-1] if perm is None else list(perm)
    return w.transpose(ins[0], shape, perm)


def _broadcast(w: Writer, node, ins: List[str], ex) -> str:
    x = node.inputs[0]
    if node.attrs.get("add_axes"):
        return w.linalg_broadcast(ins[0], x.shape, node.shape, list(node.attrs["add_axes"]))
    return w.broadcast(ins[0], x.shape, node.shape)


def _where(w: Writer, node, ins: List[str], ex) -> str:
    c, a, b = _ins_at(w, node, ins)
    loops = ["d%d" % i for i in range(len(node.shape))]
    m = ", ".join(loops)
    zero = "%%z = arith.constant 0.0 : f32"
    return w.generic([(c, node.shape), (a, node.shape), (b, node.shape)], [m, m, m], loops,
                     ["parallel"] * len(loops), node.shape, m,
                     [zero, "%t = arith.cmpf une, %a0, %z : f32",
                      "%r = arith.select %t, %a1, %a2 : f32", "linalg.yield %r : f32"])


def _one_hot(w: Writer, node, ins: List[str], ex) -> str:
    labels = node.inputs[0]
    C = node.shape[-1]
    iota = w.dense([float(c) for c in range(C)], (C,))
    loops = ["d%d" % i for i in range(len(node.shape))]
    return w.generic([(ins[0], labels.shape), (iota, (C,))],
                     [", ".join(loops[:-1]), loops[-1]], loops, ["parallel"] * len(loops),
                     node.shape, ", ".join(loops),
                     ["%t = arith.cmpf oeq, %a0, %a1 : f32",
                      "%one = arith.constant 1.0 : f32", "%zero = arith.constant 0.0 : f32",
                      "%r = arith.select %t, %one, %zero : f32", "linalg.yield %r : f32"])


def _not_equal(w: Writer, node, ins: List[str], ex) -> str:
    loops = ["d%d" % i for i in range(len(node.shape))]
    m = ", ".join(loops)
    return w.generic([(ins[0], node.shape)], [m], loops, ["parallel"] * len(loops), node.shape,
                     m, ["%c = arith.constant %s : f32" % number(node.attrs["value"]),
                         "%t = arith.cmpf une, %a0, %c : f32",
                         "%one = arith.constant 1.0 : f32", "%zero = arith.constant 0.0 : f32",
                         "%r = arith.select %t, %one, %zero : f32", "linalg.yield %r : f32"])


def _concat(w: Writer, node, ins: List[str], ex) -> str:
    a, b = node.inputs
    r = w.fresh()
    w.emit("%s = tensor.concat dim(%d) %s, %s%s : (%s, %s) -> %s"
           % (r, node.attrs["axis"] % len(node.shape), ins[0], ins[1], w.at, tensor(a.shape),
              tensor(b.shape), tensor(node.shape)))
    return r


def _slice(w: Writer, node, ins: List[str], ex) -> str:
    r = w.fresh()
    shape = node.shape
    w.emit("%s = tensor.extract_slice %s[%s] [%s] [%s]%s : %s to %s"
           % (r, ins[0], ", ".join(map(str, node.attrs["begin"])), ", ".join(map(str, shape)),
              ", ".join("1" for _ in shape), w.at, tensor(node.inputs[0].shape), tensor(shape)))
    return r


def _constant(w: Writer, node, ins: List[str], ex) -> str:
    return w.dense(node.attrs["values"], node.shape)


def _dispatch(w: Writer, node, ins: List[str], ex) -> str:
    r = w.fresh()
    duplicate = ex.duplicate(node)
    parts = _split_counts(node.attrs["parts"], len(node.shape))
    w.emit("%s = hetu.dispatch %s to #hetu.states<[%s]%s> : %s"
           % (r, ins[0], ", ".join(map(str, parts)),
              ", duplicate = %d" % duplicate if duplicate > 1 else "", tensor(node.shape)))
    return r


#: The writer of each graph op: (writer, node, its inputs' SSA names, the
#: Executor) -> the SSA name of its result.
_WRITERS: Dict[str, Callable[[Writer, object, List[str], object], str]] = {
    "binary": _binary, "const": _const, "unary": _unary, "softmax": _softmax,
    "reduce": _reduce, "matmul": _matmul, "batch_matmul": _batch_matmul,
    "reshape": _reshape, "reshape_like": _reshape, "transpose": _transpose,
    "broadcast": _broadcast, "where": _where,
    "one_hot": _one_hot, "not_equal": _not_equal, "concat": _concat, "slice": _slice,
    "constant": _constant, "dispatch": _dispatch,
}

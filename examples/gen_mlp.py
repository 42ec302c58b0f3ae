#!/usr/bin/env python3
"""Writes the SPEC section 7 reference configurations of the MLP
x:BxI -> matmul W1:IxH -> relu -> matmul W2:HxO -> relu as placed hetu IR.

    examples/gen_mlp.py --config split-middle > mlp.mlir
    examples/gen_mlp.py --config mp2 --batch 32 --hidden 128 | hetu-run - --verify

Configurations (SPEC 7): pipeline3, split-left, split-right, split-middle,
mp0 .. mp5 (test_mlp_mp on a 4-device tuple), mp-two-layers,
data-pipeline, dmp-left, dmp-right, dmp-middle, ps, allreduce, hybrid,
reversed. Shapes are per replica.
"""

import argparse
import sys


class Writer:
    def __init__(self, batch, inp, hidden, out):
        self.b, self.i, self.h, self.o = batch, inp, hidden, out
        self.lines = []
        self.n = 0

    def fresh(self, prefix="v"):
        self.n += 1
        return "%%%s%d" % (prefix, self.n)

    def emit(self, text):
        self.lines.append("    " + text)

    @staticmethod
    def ctx(group):
        return ' {hetu.ctx = #hetu.group<"%s">}' % group if group else ""

    def zeros(self, rows, cols, group):
        e, z = self.fresh("e"), self.fresh("z")
        self.emit("%s = tensor.empty() : tensor<%dx%dxf32>" % (e, rows, cols))
        self.emit("%s = linalg.fill%s ins(%%zero : f32) outs(%s : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>"
                  % (z, self.ctx(group), e, rows, cols, rows, cols))
        return z

    def matmul(self, a, w, m, k, n, group):
        z = self.zeros(m, n, group)
        y = self.fresh("y")
        self.emit("%s = linalg.matmul%s ins(%s, %s : tensor<%dx%dxf32>, tensor<%dx%dxf32>) outs(%s : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>"
                  % (y, self.ctx(group), a, w, m, k, k, n, z, m, n, m, n))
        return y

    def relu(self, x, m, n, group):
        z = self.zeros(m, n, group)
        e, r = self.fresh("e"), self.fresh("r")
        self.emit("%s = tensor.empty() : tensor<%dx%dxf32>" % (e, m, n))
        self.emit("%s = linalg.max%s ins(%s, %s : tensor<%dx%dxf32>, tensor<%dx%dxf32>) outs(%s : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>"
                  % (r, self.ctx(group), x, z, m, n, m, n, e, m, n, m, n))
        return r

    def dispatch(self, x, rows, cols, states, group):
        d = self.fresh("d")
        on = ' on #hetu.group<"%s">' % group if group else ""
        self.emit("%s = hetu.dispatch %s to #hetu.states<%s>%s : tensor<%dx%dxf32>"
                  % (d, x, states, on, rows, cols))
        return d

    def module(self, name, default, result):
        b, i, h, o = self.b, self.i, self.h, self.o
        head = ['module attributes {hetu.default_ctx = #hetu.group<"%s">} {' % default,
                "  func.func @%s(%%x: tensor<%dx%dxf32>, %%w1: tensor<%dx%dxf32> {hetu.trainable}, "
                "%%w2: tensor<%dx%dxf32> {hetu.trainable}) -> tensor<%dx%dxf32> {" % (name, b, i, i, h, h, o, b, o),
                "    %zero = arith.constant 0.0 : f32"]
        tail = ["    return %s : tensor<%dx%dxf32>" % (result, b, o), "  }", "}"]
        return "\n".join(head + self.lines + tail) + "\n"


# (activation states, weight states) of Hetu's test_mlp_mp splits on 4
# devices, with orders that line the tiles up.
MP_SPLITS = {
    0: ("[4, 1]", "[1, 1], duplicate = 4"),
    1: ("[2, 2]", "[2, 1], duplicate = 2"),
    2: ("[2, 1], duplicate = 2", "[1, 2], duplicate = 2, order = [1, -1, 0]"),
    3: ("[1, 2], duplicate = 2", "[2, 2], order = [1, 0]"),
    4: ("[1, 1], duplicate = 4", "[1, 4]"),
    5: ("[1, 4]", "[4, 1]"),
}
SPLITS = {
    "left": ("[2, 1]", "[1, 1], duplicate = 2"),
    "right": ("[1, 1], duplicate = 2", "[1, 2]"),
    "middle": ("[1, 2]", "[2, 1]"),
}


def generate(config, b, i, h, o):
    w = Writer(b, i, h, o)
    if config == "pipeline3":
        a = w.relu(w.matmul("%x", "%w1", b, i, h, None), b, h, None)
        y = w.matmul(a, "%w2", b, h, o, "gpu:1")
        return w.module("mlp", "gpu:0", w.relu(y, b, o, "gpu:2"))
    if config.startswith("split-") or config.startswith("dmp-"):
        kind = config.split("-")[1]
        dmp = config.startswith("dmp-")
        tup = "(gpu:1,gpu:2),(gpu:5,gpu:6)" if dmp else "(gpu:1,gpu:2)"
        last = "gpu:3,gpu:7" if dmp else "gpu:3"
        a = w.relu(w.matmul("%x", "%w1", b, i, h, None), b, h, None)
        sa, sw = SPLITS[kind]
        da = w.dispatch(a, b, h, sa, tup)
        dw = w.dispatch("%w2", h, o, sw, tup)
        y = w.matmul(da, dw, b, h, o, tup)
        dy = w.dispatch(y, b, o, "[1, 1]", last)
        return w.module("mlp", "gpu:0,gpu:4" if dmp else "gpu:0",
                        w.relu(dy, b, o, last))
    if config.startswith("mp") and config != "mp-two-layers":
        sa, sw = MP_SPLITS[int(config[2:])]
        tup = "(gpu:0,gpu:1,gpu:2,gpu:3)"
        a = w.relu(w.matmul("%x", "%w1", b, i, h, None), b, h, None)
        y = w.matmul(w.dispatch(a, b, h, sa, tup), w.dispatch("%w2", h, o, sw, tup), b, h, o, tup)
        return w.module("mlp", "gpu:4", w.dispatch(y, b, o, "[1, 1]", "gpu:4"))
    if config == "mp-two-layers":
        tup = "(gpu:0,gpu:1,gpu:2,gpu:3)"
        h1 = w.matmul(w.dispatch("%x", b, i, "[2, 2]", tup), w.dispatch("%w1", i, h, "[2, 1], duplicate = 2", tup), b, i, h, tup)
        a = w.relu(h1, b, h, tup)
        y = w.matmul(a, w.dispatch("%w2", h, o, "[1, 2], duplicate = 2", tup), b, h, o, tup)
        return w.module("mlp", "gpu:4", w.dispatch(y, b, o, "[1, 1]", "gpu:4"))
    if config == "data-pipeline":
        a = w.relu(w.matmul("%x", "%w1", b, i, h, None), b, h, "gpu:1,gpu:5")
        y = w.matmul(a, "%w2", b, h, o, "gpu:2,gpu:6")
        return w.module("mlp", "gpu:0,gpu:4", w.relu(y, b, o, "gpu:3,gpu:7"))
    if config in ("ps", "allreduce", "hybrid"):
        default = {"ps": "cpu:0,gpu:0,gpu:1,gpu:4,gpu:5",
                   "allreduce": "gpu:1,gpu:2,gpu:3,gpu:6",
                   "hybrid": "cpu:0,gpu:1,gpu:2,gpu:3,gpu:6"}[config]
        dense = "gpu:1,gpu:2,gpu:3,gpu:6" if config == "hybrid" else None
        a = w.relu(w.matmul("%x", "%w1", b, i, h, dense), b, h, dense)
        y = w.matmul(a, "%w2", b, h, o, dense)
        return w.module("mlp", default, w.relu(y, b, o, dense))
    if config == "reversed":
        tup = "(gpu:3,gpu:2)"
        a = w.relu(w.matmul("%x", "%w1", b, i, h, None), b, h, None)
        da = w.dispatch(a, b, h, "[2, 1]", tup)
        y = w.matmul(da, w.dispatch("%w2", h, o, "[1, 1], duplicate = 2", tup), b, h, o, tup)
        return w.module("mlp", "(gpu:0,gpu:1)", w.relu(y, b, o, tup))
    raise SystemExit("unknown configuration '%s'" % config)


CONFIGS = (["pipeline3", "split-left", "split-right", "split-middle"] +
           ["mp%d" % k for k in range(6)] +
           ["mp-two-layers", "data-pipeline", "dmp-left", "dmp-right",
            "dmp-middle", "ps", "allreduce", "hybrid", "reversed"])


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--config", required=True, choices=CONFIGS)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--input", type=int, default=32)
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--output", type=int, default=8)
    a = p.parse_args()
    sys.stdout.write(generate(a.config, a.batch, a.input, a.hidden, a.output))


if __name__ == "__main__":
    main()

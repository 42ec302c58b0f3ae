#!/usr/bin/env python3
"""Writes a training step of the MLP  x:BxI -> matmul W1 -> relu -> matmul W2
with a mean-squared-error loss against targets t:BxO, as placed hetu IR:
forward, explicit backward, and hetu.sgd (or, with --optimizer=momentum,
hetu.momentum) updates. The step returns the updated parameters (and
velocities) marked {hetu.updates = <argument>}, and the loss, so
`hetu-run --iterations=K --verify` trains K steps and checks every step
against single-device training.

    examples/gen_train.py --config dp4 | hetu-run - --iterations=3 --verify

Configurations:
  single   one device (gpu:0), nothing to partition (bench/gpu compares it
           with the same step in PyTorch)
  dp4      data parallel, all-reduce strategy, 4 replicas
  dp2-mp2  2 data-parallel replicas of a model-parallel tuple of 2 devices:
           the batch is split across the tuple ([2, 1]), parameters are
           replicated in it
  ps       parameter server: 1 server (cpu:0) + 2 workers; the workers push
           gradients, the server applies the optimizer, the workers pull
  hybrid   Hetu's hybrid mode: the first layer's parameter goes through the
           server (its update is placed on "cpu:0,gpu:0,gpu:1"), the second
           layer's through an all-reduce among the 2 workers
  dmp      SPEC 7.5: "gpu:0,gpu:4" (layer 1) -> "(gpu:1,gpu:2),(gpu:5,gpu:6)"
           (layer-2 matmul, Hetu's "middle" split: partial sums) ->
           "gpu:3,gpu:7" (loss); the backward pass goes back through the
           stages with hetu.dispatch_gradient; with --micro-batches=M
           --schedule=gpipe|1f1b, hetu-run runs the step as M micro-batches
           in that pipeline schedule (hetu-pipeline-schedule)
"""

import argparse
import sys


def generate(config, b, i, h, o, lr, optimizer="sgd", mu=0.9,
             micro_batches=0, schedule=None, forward_only=False):
    default = {"single": "gpu:0",
               "dp4": "gpu:0,gpu:1,gpu:2,gpu:3",
               "dp2-mp2": "(gpu:0,gpu:1),(gpu:2,gpu:3)",
               "dmp": "gpu:0,gpu:4",
               "ps": "cpu:0,gpu:0,gpu:1",
               "hybrid": "cpu:0,gpu:0,gpu:1"}[config]
    stage1 = "(gpu:1,gpu:2),(gpu:5,gpu:6)"
    stage2 = "gpu:3,gpu:7"
    dmp = config == "dmp"
    lines = []
    emit = lines.append
    n = [0]

    def fresh(prefix):
        n[0] += 1
        return "%%%s%d" % (prefix, n[0])

    where = [None]  # the group ops are placed on (None: the default)

    def ctx():
        return ' {hetu.ctx = #hetu.group<"%s">}' % where[0] if where[0] else ""

    def zeros(rows, cols):
        e, z = fresh("e"), fresh("z")
        emit("%s = tensor.empty() : tensor<%dx%dxf32>" % (e, rows, cols))
        emit("%s = linalg.fill%s ins(%%zero : f32) outs(%s : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>"
             % (z, ctx(), e, rows, cols, rows, cols))
        return z

    def matmul(a, w, m, k, nn):
        z, y = zeros(m, nn), fresh("mm")
        emit("%s = linalg.matmul%s ins(%s, %s : tensor<%dx%dxf32>, tensor<%dx%dxf32>) outs(%s : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>"
             % (y, ctx(), a, w, m, k, k, nn, z, m, nn, m, nn))
        return y

    def transpose(x, rows, cols):
        e, t = fresh("e"), fresh("tr")
        emit("%s = tensor.empty() : tensor<%dx%dxf32>" % (e, cols, rows))
        emit("%s = linalg.transpose ins(%s : tensor<%dx%dxf32>) outs(%s : tensor<%dx%dxf32>) permutation = [1, 0]%s"
             % (t, x, rows, cols, e, cols, rows, ctx()))
        return t

    def dispatch(v, rows, cols, states, group):
        d = fresh("d")
        emit('%s = hetu.dispatch %s to #hetu.states<%s> on #hetu.group<"%s"> : tensor<%dx%dxf32>'
             % (d, v, states, group, rows, cols))
        return d

    def gradient(g, like, rows, cols):
        d = fresh("gd")
        emit("%s = hetu.dispatch_gradient %s like %s : tensor<%dx%dxf32>" % (d, g, like, rows, cols))
        return d

    x = "%x"
    if config == "dp2-mp2":
        x = fresh("xs")
        emit("%s = hetu.dispatch %%x to #hetu.states<[2, 1]> : tensor<%dx%dxf32>" % (x, b, i))
    # Forward.
    hid = matmul(x, "%w1", b, i, h)
    zh = zeros(b, h)
    e = fresh("e")
    emit("%s = tensor.empty() : tensor<%dx%dxf32>" % (e, b, h))
    act = fresh("act")
    emit("%s = linalg.max ins(%s, %s : tensor<%dx%dxf32>, tensor<%dx%dxf32>) outs(%s : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>"
         % (act, hid, zh, b, h, b, h, e, b, h, b, h))
    w2 = "%w2"
    if dmp:
        # Layer-2 matmul on the tuples, "middle" split: partial sums.
        act_f, act = act, dispatch(act, b, h, "[1, 2]", stage1)
        w2 = dispatch("%w2", h, o, "[2, 1]", stage1)
        where[0] = stage1
    y = matmul(act, w2, b, h, o)
    y_f = y
    if dmp:
        y = dispatch(y, b, o, "[1, 1]", stage2)
        where[0] = stage2
    d = fresh("diff")
    emit("%s = arith.subf %s, %%t%s : tensor<%dx%dxf32>" % (d, y, ctx(), b, o))
    sq = fresh("sq")
    emit("%s = arith.mulf %s, %s%s : tensor<%dx%dxf32>" % (sq, d, d, ctx(), b, o))
    e0, z0, s = fresh("e"), fresh("z"), fresh("sum")
    emit("%s = tensor.empty() : tensor<f32>" % e0)
    emit("%s = linalg.fill%s ins(%%zero : f32) outs(%s : tensor<f32>) -> tensor<f32>" % (z0, ctx(), e0))
    emit("%s = linalg.reduce ins(%s : tensor<%dx%dxf32>) outs(%s : tensor<f32>) dimensions = [0, 1]%s" % (s, sq, b, o, z0, ctx()))
    emit("  (%in: f32, %acc: f32) {")
    emit("    %add = arith.addf %in, %acc : f32")
    emit("    linalg.yield %add : f32")
    emit("  }")
    scale, loss = fresh("scale"), fresh("loss")
    emit("%s = arith.constant dense<%r> : tensor<f32>" % (scale, 1.0 / (b * o)))
    emit("%s = arith.mulf %s, %s%s : tensor<f32>" % (loss, s, scale, ctx()))
    if forward_only:
        return forward_function(config, default, lines, loss, b, i, h, o, lr,
                                optimizer, mu, micro_batches, schedule)
    # Backward.
    two, dy = fresh("two"), fresh("dy")
    emit("%s = arith.constant dense<%r> : tensor<%dx%dxf32>" % (two, 2.0 / (b * o), b, o))
    emit("%s = arith.mulf %s, %s%s : tensor<%dx%dxf32>" % (dy, d, two, ctx(), b, o))
    if dmp:
        # Back to the tuples, in the forward value's (reduced) states.
        dy = gradient(dy, y_f, b, o)
        where[0] = stage1
    dw2 = matmul(transpose(act, b, h), dy, h, b, o)
    da = matmul(dy, transpose(w2, h, o), b, o, h)
    if dmp:
        dw2 = gradient(dw2, "%w2", h, o)
        da = gradient(da, act_f, b, h)
        where[0] = None
    pos, dh = fresh("pos"), fresh("dh")
    emit("%s = arith.cmpf ogt, %s, %s : tensor<%dx%dxf32>" % (pos, hid, zh, b, h))
    emit("%s = arith.select %s, %s, %s : tensor<%dx%dxi1>, tensor<%dx%dxf32>" % (dh, pos, da, zh, b, h, b, h))
    dw1 = matmul(transpose(x, b, i), dh, i, b, h)
    w1n, w2n = fresh("w1next"), fresh("w2next")
    types = ["tensor<%dx%dxf32>" % (i, h), "tensor<%dx%dxf32>" % (h, o)]
    params = ["%%w1: %s {hetu.trainable}" % types[0], "%%w2: %s {hetu.trainable}" % types[1]]
    results = ["%s {hetu.updates = 2}" % types[0], "%s {hetu.updates = 3}" % types[1]]
    returned = [w1n, w2n]
    # Hybrid: the second layer's update runs on the workers alone.
    place2 = ' {hetu.ctx = #hetu.group<"gpu:0,gpu:1">}' if config == "hybrid" else ""
    if optimizer == "sgd":
        emit("%s = hetu.sgd %%w1, %s lr %r : %s" % (w1n, dw1, lr, types[0]))
        emit("%s = hetu.sgd %%w2, %s lr %r%s : %s" % (w2n, dw2, lr, place2, types[1]))
    else:
        # Velocities: arguments 4 and 5, replaced by results 2 and 3.
        v1n, v2n = fresh("v1next"), fresh("v2next")
        emit("%s, %s = hetu.momentum %%w1, %s, %%v1 lr %r momentum %r : %s"
             % (w1n, v1n, dw1, lr, mu, types[0]))
        emit("%s, %s = hetu.momentum %%w2, %s, %%v2 lr %r momentum %r%s : %s"
             % (w2n, v2n, dw2, lr, mu, place2, types[1]))
        params += ["%%v1: %s {hetu.zero_init}" % types[0],
                   "%%v2: %s {hetu.zero_init}" % types[1]]
        results += ["%s {hetu.updates = 4}" % types[0], "%s {hetu.updates = 5}" % types[1]]
        returned += [v1n, v2n]
        types += types[:2]
    head = ['module attributes {hetu.default_ctx = #hetu.group<"%s">} {' % default,
            "  func.func @train(%%x: tensor<%dx%dxf32>, %%t: tensor<%dx%dxf32>, %s)"
            " -> (%s, tensor<f32>)%s {" % (b, i, b, o, ", ".join(params), ", ".join(results),
                                           pipeline_attrs(micro_batches, schedule)),
            "    %zero = arith.constant 0.0 : f32"]
    tail = ["    return %s, %s : %s, tensor<f32>"
            % (", ".join(returned), loss, ", ".join(types)), "  }", "}"]
    return "\n".join(head + ["    " + l for l in lines] + tail) + "\n"


def forward_function(config, default, lines, loss, b, i, h, o, lr, optimizer,
                     mu, micro_batches, schedule):
    """The forward pass alone, returning the loss: hetu-autodiff (asked for
    by the function's hetu.autodiff) derives the same step as the
    hand-written backward pass and update."""
    autodiff = 'hetu.autodiff = {optimizer = "%s", lr = %r' % (optimizer, lr)
    if optimizer == "momentum":
        autodiff += ", momentum = %r" % mu
    autodiff += "}"
    head = ['module attributes {hetu.default_ctx = #hetu.group<"%s">} {' % default,
            "  func.func @train(%%x: tensor<%dx%dxf32>, %%t: tensor<%dx%dxf32>, "
            "%%w1: tensor<%dx%dxf32> {hetu.trainable}, %%w2: tensor<%dx%dxf32> {hetu.trainable%s})"
            " -> tensor<f32>%s {" % (b, i, b, o, i, h, h, o,
                                     # Hybrid: the second layer's update on the
                                     # workers alone (all-reduced).
                                     ', hetu.update_ctx = #hetu.group<"gpu:0,gpu:1">'
                                     if config == "hybrid" else "",
                                     pipeline_attrs(micro_batches, schedule, [autodiff])),
            "    %zero = arith.constant 0.0 : f32"]
    tail = ["    return %s : tensor<f32>" % loss, "  }", "}"]
    return "\n".join(head + ["    " + l for l in lines] + tail) + "\n"


def pipeline_attrs(micro_batches, schedule, extra=()):
    """The function attributes hetu-pipeline-schedule reads (and `extra`)."""
    attrs = list(extra)
    if micro_batches:
        attrs.append("hetu.micro_batches = %d" % micro_batches)
    if schedule:
        # `1f1b` is not an MLIR keyword: the attribute takes it quoted.
        shown = schedule if schedule.isidentifier() else '"%s"' % schedule
        attrs.append("hetu.schedule = #hetu.schedule<%s>" % shown)
    return " attributes {%s}" % ", ".join(attrs) if attrs else ""


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--config", required=True, choices=["single", "dp4", "dp2-mp2", "dmp", "ps", "hybrid"])
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--input", type=int, default=16)
    p.add_argument("--hidden", type=int, default=32)
    p.add_argument("--output", type=int, default=4)
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--optimizer", choices=["sgd", "momentum", "adam", "adamw"],
                   default="sgd",
                   help="adam and adamw need --forward (hetu-autodiff emits them)")
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--micro-batches", type=int, default=0,
                   help="mark the step for hetu-pipeline-schedule with this "
                        "many micro-batches (hetu.micro_batches)")
    p.add_argument("--schedule", choices=["gpipe", "1f1b"],
                   help="the pipeline schedule (hetu.schedule)")
    p.add_argument("--forward", action="store_true",
                   help="write the forward pass alone, with hetu.autodiff: "
                        "hetu-run and hetu-compile derive the step")
    a = p.parse_args()
    if a.optimizer.startswith("adam") and not a.forward:
        p.error("--optimizer=%s needs --forward" % a.optimizer)
    sys.stdout.write(generate(a.config, a.batch, a.input, a.hidden, a.output,
                              a.lr, a.optimizer, a.momentum, a.micro_batches,
                              a.schedule, a.forward))


if __name__ == "__main__":
    main()

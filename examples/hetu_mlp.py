#!/usr/bin/env python3
"""A Hetu v1 training script ported to hetu_mlir: an MLP with one hidden
layer on the SPEC 7.5 layout (data parallel x model parallel "middle" split
x 3 pipeline stages), trained 3 steps, each checked against single-device
training. Only the import, the static shapes, and the Executor call
(run on CPU ranks) differ from the Hetu script in docs/Python.md.

    PYTHONPATH=python examples/hetu_mlp.py
"""
import random

import hetu_mlir as ht

batch, features, hidden, classes = 16, 32, 64, 10

with ht.context("gpu:0,gpu:4"):                                   # stage 1
    x = ht.Variable(name="x", shape=(batch, features))
    y_ = ht.Variable(name="y_", shape=(batch, classes))
    w1 = ht.init.random_normal((features, hidden), stddev=0.1, name="w1")
    act = ht.relu_op(ht.matmul_op(x, w1))
    w2 = ht.init.random_normal((hidden, classes), stddev=0.1, name="w2")

with ht.context([(ht.gpu(1), ht.gpu(2)), (ht.gpu(5), ht.gpu(6))]):  # stage 2
    act = ht.dispatch(act, (1, 2))
    logits = ht.matmul_op(act, ht.dispatch(w2, (2, 1)))

with ht.context("gpu:3,gpu:7"):                                   # stage 3
    logits = ht.dispatch(logits, (1, 1))
    loss = ht.reduce_mean_op(ht.softmaxcrossentropy_op(logits, y_), [0])
    train_op = ht.optim.SGDOptimizer(learning_rate=0.1).minimize(loss)

# Data for 2 data-parallel replicas (rows concatenated), one-hot labels; the
# parameters start from their initialisers.
rng = random.Random(0)
labels = [rng.randrange(classes) for _ in range(2 * batch)]
feed = {x: [[rng.gauss(0, 1) for _ in range(features)] for _ in range(2 * batch)],
        y_: [[1.0 if c == k else 0.0 for c in range(classes)] for k in labels]}

executor = ht.Executor([loss, train_op])
loss_value, _ = executor.run(feed_dict=feed, verify=True, iterations=3)
print(executor.report.strip().splitlines()[-1])
print("loss per replica:", loss_value)

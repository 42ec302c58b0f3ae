# Hetu's MLP layouts (pipeline; left, right, middle splits) through hetu_mlir:
# forward and 3 training steps, each with verify=True.
# RUN: %PYTHON %s | FileCheck %s
# CHECK: pipeline forward: verify: OK (1 outputs x 1 replicas, 32 elements) | training: verify: OK (3 steps, 3 outputs x 1 replicas, 1923 elements)
# CHECK: left forward: verify: OK (1 outputs x 1 replicas, 32 elements) | training: verify: OK (3 steps, 3 outputs x 1 replicas, 1923 elements)
# CHECK: right forward: verify: OK (1 outputs x 1 replicas, 32 elements) | training: verify: OK (3 steps, 3 outputs x 1 replicas, 1923 elements)
# CHECK: middle forward: verify: OK (1 outputs x 1 replicas, 32 elements) | training: verify: OK (3 steps, 3 outputs x 1 replicas, 1923 elements)
# CHECK: explicit duplicate: True
# CHECK: rejected: dispatch: duplicate must be a positive integer, got 0

"""Hetu's test_model_mlp layouts with hetu_mlir: a 3-stage pipeline and the
left / right / middle splits of the second matmul over a 2-device tuple (the
duplicates of replicated operands derived as in Hetu HEAD). Each runs a
forward pass and 3 training steps with verify=True."""
import hetu_mlir as ht
from spec75 import layer1
B, I, H, C = 8, 16, 32, 4
SPLITS = {"pipeline": None, "left": ((2, 1), (1, 1)), "right": ((1, 1), (1, 2)),
          "middle": ((1, 2), (2, 1))}
for name, parts in SPLITS.items():
    with ht.context("gpu:0"):
        x, y_, w1, act, w2 = layer1(B, I, H, C)
    with ht.context("gpu:1" if parts is None else (ht.gpu(1), ht.gpu(2))):
        if parts:
            y = ht.matmul_op(ht.dispatch(act, parts[0]), ht.dispatch(w2, parts[1]))
        else:
            y = ht.matmul_op(act, w2)
    with ht.context("gpu:3"):
        if parts:
            y = ht.dispatch(y, (1, 1))
        out = ht.relu_op(y)
        loss = ht.reduce_mean_op(ht.softmaxcrossentropy_op(out, y_), [0])
        train = ht.optim.SGDOptimizer(0.1).minimize(loss)
    fwd = ht.Executor([out])
    fwd.run(verify=True)
    ex = ht.Executor([loss, train])
    ex.run(verify=True, iterations=3)
    print(name, "forward:", fwd.report.strip().splitlines()[-1], "| training:", ex.report.strip().splitlines()[-1])

# Hetu V0's explicit duplicate, and a bad one.
with ht.context((ht.gpu(1), ht.gpu(2))):
    w = ht.init.random_normal((4, 4), name="w")
    y = ht.relu_op(ht.dispatch(w, (1, 1), duplicate=2))
print("explicit duplicate:", "duplicate = 2" in ht.Executor([y]).mlir())
try:
    ht.dispatch(w, (1, 1), duplicate=0)
except ValueError as e:
    print("rejected:", e)

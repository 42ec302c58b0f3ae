# REQUIRES: mpi
# RUN: %PYTHON %s | FileCheck %s
# CHECK: ranks: 2
# CHECK: mpi: verify: OK (3 steps, 2 outputs x 2 replicas, 42 elements)
# CHECK: same loss: True
# CHECK: rejected: backend must be 'threads' or 'mpi', got 'cuda'

"""Executor.run(backend="mpi") starts one process per device with mpirun,
and trains to the same values as the threads backend."""
import hetu_mlir as ht

with ht.context("gpu:0,gpu:1"):
    x = ht.Variable("x", shape=(4, 3))
    t = ht.Variable("t", shape=(4, 2))
    w = ht.init.random_normal((3, 2), name="w")
    y = ht.relu_op(ht.matmul_op(x, w))
    loss = ht.reduce_mean_op(ht.softmaxcrossentropy_op(y, t), [0])
    train = ht.optim.SGDOptimizer(0.1).minimize(loss)
ex = ht.Executor([loss, train])
print("ranks:", ex.num_ranks())
mpi = ex.run(backend="mpi", verify=True, iterations=3)
print("mpi:", ex.report.strip().splitlines()[-1])
# A fresh Executor (ex keeps its trained parameters): the same drawn inputs.
threads = ht.Executor([loss, train]).run(backend="threads", iterations=3)


def values(v):
    return [float(a) for a in v.flatten()] if hasattr(v, "flatten") else v[1]


print("same loss:", values(mpi[0]) == values(threads[0]))
try:
    ex.run(backend="cuda")
except ValueError as e:
    print("rejected:", e)

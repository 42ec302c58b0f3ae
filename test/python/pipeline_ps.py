# Executor(pipeline=..., micro_batches=...) and a parameter-server placement
# from Python, each trained 3 steps with verify=True.
# RUN: %PYTHON %s | FileCheck %s
# CHECK: gpipe: verify: OK (3 steps, 3 outputs x 2 replicas, {{[0-9]+}} elements) True 0
# CHECK: gpipe rank 0 micro-batches: [0, 1, 2, 3]
# CHECK: pipedream: verify: OK (3 steps, 3 outputs x 2 replicas, {{[0-9]+}} elements) True 1
# CHECK: pipedream rank 0 micro-batches: [0, 1, 2, 3]
# CHECK: rejected: pipeline='gpipe' needs micro_batches, a positive integer
# CHECK: rejected: micro_batches needs a pipeline schedule (pipeline='gpipe' or '1f1b')
# CHECK: rejected: pipeline must be 'gpipe', '1f1b' or 'pipedream', got 'hetpipe'
# CHECK: ps: verify: OK (3 steps, 2 outputs x 2 replicas, {{[0-9]+}} elements) ranks 3
# CHECK: ps ir: 1 1

"""Hetu's Executor(pipeline=...) and a parameter-server placement, from
Python: both train 3 verified steps."""
import hetu_mlir as ht
from spec75 import spec75

B, I, H, C = 8, 16, 32, 4


for pipeline in ("gpipe", "pipedream"):
    loss = spec75(B, I, H, C)[-1]
    train = ht.optim.SGDOptimizer(0.1).minimize(loss)
    ex = ht.Executor([loss, train], pipeline=pipeline, micro_batches=4)
    ex.run(verify=True, iterations=3)
    text = ex.mlir()
    print(pipeline + ":", ex.report.strip().splitlines()[-1],
          'hetu.micro_batches = 4' in text, text.count('hetu.schedule = #hetu.schedule<"1f1b">'))
    rank0 = ex.compile("builtin.module(hetu-deduce-strategy,hetu-pipeline-schedule,"
                       "hetu-grad-sync,hetu-infer-states,hetu-partition{rank=0})")
    print(pipeline + " rank 0 micro-batches:",
          sorted({int(w.split("=")[1].split(":")[0]) for w in rank0.split("hetu.micro_batch ")[1:]}))

# A pipeline needs its micro-batch count, and the other way round.
for bad in (lambda: ht.Executor([loss], pipeline="gpipe"),
            lambda: ht.Executor([loss], micro_batches=2),
            lambda: ht.Executor([loss], pipeline="hetpipe", micro_batches=2)):
    try:
        bad()
        print("accepted")
    except ValueError as e:
        print("rejected:", e)

# Parameter server: one server (cpu:0) and two workers, Hetu's
# ht.context([ht.cpu(0), ht.gpu(0), ht.gpu(1)]).
with ht.context([ht.cpu(0), ht.gpu(0), ht.gpu(1)]):
    x = ht.Variable("x", shape=(B, I))
    y_ = ht.Variable("y_", shape=(B, C))
    w = ht.init.random_normal((I, C), name="w")
    loss = ht.reduce_mean_op(ht.softmaxcrossentropy_op(ht.matmul_op(x, w), y_), [0])
    train = ht.optim.SGDOptimizer(0.1).minimize(loss)
ex = ht.Executor([loss, train])
ex.run(verify=True, iterations=3)
print("ps:", ex.report.strip().splitlines()[-1], "ranks", ex.num_ranks())
print("ps ir:", ex.compile().count("hetu.ps_push"), ex.compile().count("hetu.ps_pull"))

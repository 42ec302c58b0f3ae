# Hetu's MLP examples through the hetu_mlir graph API: the IR passes
# hetu-opt's placement passes, the runs verify against single-device runs,
# fed values give the exact product, and bad graphs raise.
# RUN: %PYTHON %s hetu-opt | FileCheck %s
#
# CHECK: middle hetu-opt: ok
# CHECK: middle verify: OK (1 outputs x 1 replicas, 32 elements) [(8, 4)]
# CHECK: middle ir: True True
# CHECK: dmp hetu-opt: ok
# CHECK: dmp verify: OK (2 outputs x 2 replicas, 576 elements) [(16, 4), (16, 32)]
# CHECK: fed: (2, 2) [3.0, 2.0, 7.0, 4.0]
# CHECK: rejected: matmul_op: inner dimensions 2 and 3 differ
# CHECK: rejected: dispatch: 3 split counts for a rank-2 value
# CHECK: rejected: dispatch: no dimension 5
# CHECK: rejected: the shape of Variable 'nameless' is not known yet: it comes from the first feed_dict (or give shape=)
# CHECK: rejected: feed_dict lacks inputs w (only parameters made by init.* may be left out)
# CHECK: HetuError: {{.*}}step.mlir:{{[0-9]+}}:{{[0-9]+}}: error: 'hetu.dispatch' op dimension 1 of size 4 is not divisible by its split count 3
# CHECK: compile: hetu.states = [#hetu.states<[1, 1]>], hetu.strategy = #hetu.strategy<allreduce>
# CHECK: compile rank 1: ['func.func @main__rank1']
# CHECK: compile HetuError: invalid pass pipeline 'builtin.module(no-such-pass)': {{.*}}'no-such-pass' does not refer to a registered pass or pass pipeline
# CHECK: compile HetuError: invalid pass pipeline 'builtin.module(hetu-grad-sync{reduce=max})': failed to add `hetu-grad-sync` with options `reduce=max` (LLVM's option parser printed why on standard error)
# CHECK: compile HetuError: invalid pass pipeline 'func.func(canonicalize)': it must be anchored on builtin.module, not func.func
# CHECK: compile HetuError: <module>:{{[0-9]+}}:11: error: 'hetu.dispatch' op dimension 1 of size 4 is not divisible by its split count 3
# CHECK: init: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0] True True

"""Hetu's MLP examples written with hetu_mlir as a Hetu user would: each
Executor writes IR that hetu-opt accepts and runs on CPU ranks with
verify=True (forward pass)."""
import subprocess
import sys

import hetu_mlir as ht

hetu_opt = sys.argv[1]
B, I, H, O = 8, 16, 32, 4


def shape_of(out):
    return tuple(out.shape) if hasattr(out, "shape") else out[0]


def values_of(out):
    return [float(v) for v in out.flatten()] if hasattr(out, "flatten") else out[1]


def check(name, outputs):
    ex = ht.Executor(outputs)
    p = subprocess.run([hetu_opt, "-hetu-deduce-strategy", "-hetu-infer-states"],
                       input=ex.mlir(), capture_output=True, text=True)
    print(name, "hetu-opt:", "ok" if p.returncode == 0 else p.stderr)
    res = ex.run(verify=True)
    print(name, ex.report.strip().splitlines()[-1], [shape_of(r) for r in res])
    return ex


# V0 test_model_mlp, "middle" split: dispatch in the producer's context.
with ht.context("gpu:0"):
    x = ht.Variable("x", shape=(B, I))
    w1 = ht.init.random_normal((I, H), stddev=0.1, name="w1")
    w2 = ht.init.random_normal((H, O), stddev=0.1, name="w2")
    act = ht.dispatch(ht.relu_op(ht.matmul_op(x, w1)), (1, 2))
    w2d = ht.dispatch(w2, (2, 1))
with ht.context((ht.gpu(1), ht.gpu(2))):
    y = ht.dispatch(ht.matmul_op(act, w2d), (1, 1))
with ht.context("gpu:3"):
    out = ht.relu_op(y)
ex = check("middle", [out])
print("middle ir:", "hetu.dispatch" in ex.mlir(), '(gpu:1,gpu:2)' in ex.mlir())

# HEAD style, data + model + pipeline (SPEC 7.5): dict dispatches in the
# consumers' context, a transposed weight.
with ht.context("gpu:0,gpu:4"):
    x = ht.Variable("x", shape=(B, I))
    w1 = ht.init.random_normal((H, I), name="w1t")
    act = ht.relu_op(ht.matmul_op(x, w1, trans_B=True))
with ht.context([(ht.gpu(1), ht.gpu(2)), (ht.gpu(5), ht.gpu(6))]):
    w2 = ht.init.random_normal((H, O), name="w2")
    y = ht.matmul_op(ht.dispatch(act, {1: 2}), ht.dispatch(w2, {0: 2}))
with ht.context("gpu:3,gpu:7"):
    b = ht.init.zeros((B, O), name="b")
    out = ht.add_op(ht.dispatch(y, {}), b)
check("dmp", [out, act])

# Fed values: the result is the matmul of what was fed (2 replicas, batches
# concatenated).
with ht.context("gpu:0,gpu:1"):
    x = ht.Variable("x", shape=(1, 2))
    w = ht.Variable("w", shape=(2, 2), trainable=True)
    y = ht.matmul_op(x, w)
ex = ht.Executor([y])
(res,) = ex.run(feed_dict={x: [[1, 2], [3, 4]], w: [[1, 0], [1, 1]]}, verify=True)
print("fed:", shape_of(res), values_of(res))

# Errors: Python-side checks, and the compiler's diagnostics as HetuError.
for bad in (lambda: ht.matmul_op(x, ht.Variable("v", shape=(3, 2))),
            lambda: ht.dispatch(x, (1, 2, 1)),
            lambda: ht.dispatch(x, {5: 2}),
            lambda: ht.Executor([ht.relu_op(ht.Variable("nameless"))]).mlir(),
            lambda: ht.Executor([y]).run(feed_dict={x: [[1, 2], [3, 4]]})):
    try:
        bad()
        print("accepted")
    except ValueError as e:
        print("rejected:", e)
def bad_split():
    """A 4-column value split in 3 on a tuple: the compiler rejects it."""
    with ht.context("gpu:0"):
        a = ht.Variable("a", shape=(4, 4))
    with ht.context((ht.gpu(1), ht.gpu(2))):
        return ht.relu_op(ht.dispatch(a, (1, 3)))


def expect_hetu_error(attempt, prefix="", accepted="accepted"):
    """Runs attempt(): prints `accepted`, or the HetuError's first line."""
    try:
        attempt()
        print(accepted)
    except ht.HetuError as e:
        print(prefix + "HetuError:", str(e).splitlines()[0])


expect_hetu_error(lambda: ht.Executor([bad_split()]).run())

# Executor.compile: the passes in-process through the C API.
with ht.context("gpu:0,gpu:1"):
    x = ht.Variable("x", shape=(4, 3))
    w = ht.init.random_normal((3, 2), name="w")
    y = ht.relu_op(ht.matmul_op(x, w))
ex = ht.Executor([y])
states = [l for l in ex.compile().splitlines() if "linalg.matmul" in l][0]
print("compile:", states.split("{")[1].split("}")[0])
rank1 = ex.compile("builtin.module(hetu-deduce-strategy,hetu-grad-sync,"
                   "hetu-infer-states,hetu-partition{rank=1})")
print("compile rank 1:", [l.split("(")[0].strip() for l in rank1.splitlines() if "func.func @" in l])
for pipeline in ("builtin.module(no-such-pass)", "builtin.module(hetu-grad-sync{reduce=max})",
                 "func.func(canonicalize)"):
    expect_hetu_error(lambda: ex.compile(pipeline), "compile ", "accepted " + pipeline)
expect_hetu_error(lambda: ht.Executor([bad_split()]).compile(), "compile ")

# Parameters left out of a feed_dict start from their initialiser.
with ht.context("gpu:0"):
    x = ht.Variable("x", shape=(2, 3))
    b = ht.init.zeros((2, 3), name="b")
    w = ht.init.random_normal((3, 3), stddev=0.5, name="w")
    y = ht.add_op(ht.matmul_op(x, w), b)
ex = ht.Executor([y, ht.add_op(x, b)])
first, plain = ex.run(feed_dict={x: [[1, 2, 3], [4, 5, 6]]}, seed=3)
again, _ = ex.run(feed_dict={x: [[1, 2, 3], [4, 5, 6]]}, seed=3)
print("init:", values_of(plain), values_of(first) == values_of(again),
      any(v != 0 for v in values_of(first)))

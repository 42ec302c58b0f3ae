# Training through hetu_mlir: reverse-mode gradients (softmax cross entropy,
# reduce_mean, broadcastto, relu, matmul with transposes) agree with finite
# differences, and SGD steps on 4 replicas and on the SPEC 7.5 layout train
# like single-device training for 3 iterations.
# RUN: %PYTHON %s | FileCheck %s
#
# CHECK: gradient check: ok (28 parameters)
# CHECK: dp4: verify: OK (3 steps, 4 outputs x 4 replicas, 8076 elements) None ['b1', 'w1', 'w2']
# CHECK: dp4 ir: True 3 True
# CHECK: dmp: verify: OK (3 steps, 3 outputs x 2 replicas, 3846 elements)
# CHECK: dmp ir: 3
# CHECK: rejected: gradients: the loss must be a scalar, got shape (8, 4)
# CHECK: rejected: gradients: the loss does not depend on unused
# CHECK: rejected: minimize: the loss has no trainable parameters
# CHECK: momentum trajectory: ok
# CHECK: momentum 0 is sgd: True
# CHECK: momentum dp2: verify: OK (3 steps, 3 outputs x 2 replicas, 78 elements) True
# CHECK: rejected: MomentumOptimizer: momentum must be in [0, 1), got 1.0
# CHECK: rejected: MomentumOptimizer: nesterov is not supported
# CHECK: AdamOptimizer: verify: OK (3 steps, 5 outputs x 2 replicas, 120 elements) True
# CHECK: AdamWOptimizer: verify: OK (3 steps, 5 outputs x 2 replicas, 120 elements) True
# CHECK: gradients are the SGD step: ok

"""Training with hetu_mlir: gradients against finite differences, then
Hetu-style training steps (data parallel; data + model + pipeline) run for 3
iterations with verify=True."""
import hetu_mlir as ht
from spec75 import spec75

B, I, H, C = 2, 3, 4, 3


def flat(v):
    return [float(a) for a in v.flatten()] if hasattr(v, "flatten") else list(v[1])


def mlp(group, lr, B, I, H, C):
    """x -> matmul W1 + bias -> relu -> matmul W2^T -> softmax cross entropy,
    all on `group`: (inputs, parameters, loss, training op)."""
    with ht.context(group):
        x = ht.Variable("x", shape=(B, I))
        y_ = ht.Variable("y_", shape=(B, C))
        s = ht.Variable("s", shape=(B, H))
        w1 = ht.init.random_normal((I, H), name="w1")
        b1 = ht.init.zeros((H,), name="b1")
        w2 = ht.init.random_normal((C, H), name="w2")
        h = ht.relu_op(ht.add_op(ht.matmul_op(x, w1), ht.broadcastto_op(b1, s)))
        y = ht.matmul_op(h, w2, trans_B=True)
        loss = ht.reduce_mean_op(ht.softmaxcrossentropy_op(y, y_), [0])
        train = ht.optim.SGDOptimizer(lr).minimize(loss)
    return (x, y_), (w1, b1, w2), loss, train


# 1. Gradients: one SGD step with lr 1 gives w - dL/dw; compare with central
#    differences of the loss (f64 arithmetic is not available: f32, eps 1e-2).
(x, y_), (w1, b1, w2), loss, train = mlp("gpu:0", 1.0, B, I, H, C)
feed = {x: [[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]], y_: [[1, 0, 0], [0, 0, 1]],
        w1: [[0.1, -0.2, 0.3, 0.4], [0.5, 0.1, -0.3, 0.2], [-0.1, 0.2, 0.1, -0.4]],
        b1: [0.05, -0.1, 0.0, 0.2],
        w2: [[0.3, -0.1, 0.2, 0.1], [-0.2, 0.4, 0.1, -0.3], [0.1, 0.2, -0.4, 0.3]]}
step = ht.Executor([loss, train])
step.run(feed_dict=feed)
fwd = ht.Executor([loss])


def rows(values, shape):
    return values if len(shape) == 1 else [values[i:i + shape[1]]
                                           for i in range(0, len(values), shape[1])]


worst, count = 0.0, 0
for p in (w1, b1, w2):
    start = [v for r in feed[p] for v in (r if isinstance(r, list) else [r])]
    analytic = [a - b for a, b in zip(start, flat(step.params[p]))]
    for k in range(len(start)):
        losses = []
        for sign in (1, -1):
            moved = list(start)
            moved[k] += sign * 1e-2
            (l,) = fwd.run(feed_dict={**feed, p: rows(moved, p.shape)})
            losses.append(flat(l)[0])
        numeric = (losses[0] - losses[1]) / 2e-2
        worst = max(worst, abs(numeric - analytic[k]) / (1e-2 + abs(numeric)))
        count += 1
print("gradient check:", "ok" if worst < 2e-2 else "BAD %g" % worst, "(%d parameters)" % count)

# 2. Data parallel on 4 replicas (all-reduce of the gradients).
B, I, H, C = 8, 16, 32, 4
_, _, loss, train = mlp("gpu:0,gpu:1,gpu:2,gpu:3", 0.1, B, I, H, C)
ex = ht.Executor([loss, train])
out = ex.run(verify=True, iterations=3)
print("dp4:", ex.report.strip().splitlines()[-1], out[1], sorted(p.name for p in ex.params))
step_ir = ex.compile("builtin.module(hetu-autodiff)")
print("dp4 ir:", "hetu.autodiff" in ex.mlir(), step_ir.count("hetu.sgd"),
      "hetu.updates = 4" in step_ir)

# 3. Data + model + pipeline (SPEC 7.5): layer 1 on gpu:0,gpu:4, the layer-2
#    matmul "middle" split on the tuples, the loss on gpu:3,gpu:7.
x, y_, w1, y, loss = spec75(B, I, H, C)
train = ht.optim.SGDOptimizer(0.1).minimize(loss)
ex = ht.Executor([loss, train])
ex.run(verify=True, iterations=3)
print("dmp:", ex.report.strip().splitlines()[-1])
print("dmp ir:", ex.compile("builtin.module(hetu-autodiff)").count("hetu.dispatch_gradient"))

# 4. Bad training graphs.
for bad in (lambda: ht.gradients(y, [w1]),
            lambda: ht.gradients(loss, [ht.init.zeros((2,), name="unused")]),
            lambda: ht.optim.SGDOptimizer(0.1).minimize(ht.reduce_mean_op(y_, [0, 1]))):
    try:
        bad()
        print("accepted")
    except ValueError as e:
        print("rejected:", e)

# 5. Momentum. From single SGD steps (lr 0.5, the same batch every step):
#    p1 = p0 - lr g(p0), p2s = p1 - lr g(p1). Two momentum steps must give
#    p2 = p1 - lr (mu g(p0) + g(p1)) = p2s - mu (p0 - p1).
def step_model(opt):
    with ht.context("gpu:0,gpu:1"):
        x = ht.Variable("x", shape=(4, 3))
        t = ht.Variable("t", shape=(4, 2))
        w = ht.init.random_normal((3, 2), stddev=0.5, name="w")
        loss = ht.reduce_mean_op(ht.softmaxcrossentropy_op(ht.matmul_op(x, w), t), [0])
    return x, t, w, ht.Executor([loss, opt.minimize(loss)])


batch = [[1, 2, 3], [0, 1, 0], [2, 1, 1], [1, 1, 1], [0, 0, 1], [1, 0, 0], [3, 1, 2], [1, 2, 1]]
onehot = [[1, 0], [0, 1], [1, 0], [0, 1], [1, 0], [0, 1], [1, 0], [0, 1]]
p0 = [[0.3, -0.2], [0.1, 0.4], [-0.5, 0.2]]


def params_after(opt, start, steps):
    x, t, w, ex = step_model(opt)
    ex.run(feed_dict={x: batch, t: onehot, w: start}, iterations=steps, verify=True)
    return [flat(ex.params[w])[i:i + 2] for i in (0, 2, 4)]


sgd = ht.optim.SGDOptimizer(0.5)
p1 = params_after(sgd, p0, 1)
p2s = params_after(sgd, p1, 1)
p2 = params_after(ht.optim.MomentumOptimizer(0.5, 0.9), p0, 2)
err = max(abs(p2[i][j] - (p2s[i][j] - 0.9 * (p0[i][j] - p1[i][j])))
          for i in range(3) for j in range(2))
print("momentum trajectory:", "ok" if err < 1e-5 else "BAD %g" % err)
print("momentum 0 is sgd:", params_after(ht.optim.MomentumOptimizer(0.5, 0.0), p0, 3)
      == params_after(sgd, p0, 3))
x, t, w, ex = step_model(ht.optim.MomentumOptimizer(0.1))
ex.run(verify=True, iterations=3)
print("momentum dp2:", ex.report.strip().splitlines()[-1], "hetu.momentum" in ex.compile())
for bad in (lambda: ht.optim.MomentumOptimizer(0.1, 1.0), lambda: ht.optim.MomentumOptimizer(0.1, nesterov=True)):
    try:
        bad()
        print("accepted")
    except ValueError as e:
        print("rejected:", e)

# 6. Adam and AdamW (Hetu's names and arguments) on 2 replicas, verified
#    against single-device training; the compiler emits hetu.adam/adamw.
for opt in (ht.optim.AdamOptimizer(0.01), ht.optim.AdamWOptimizer(0.01, weight_decay=0.1)):
    x, t, w, ex = step_model(opt)
    ex.run(verify=True, iterations=3)
    print(type(opt).__name__ + ":", ex.report.strip().splitlines()[-1],
          ("hetu." + opt.name + " ") in ex.compile())

# 7. gradients() evaluated directly: the same as one SGD step with lr 1.
named = {n.name: v for n, v in feed.items()}
(x, y_), (w1, b1, w2), loss, train = mlp("gpu:0", 1.0, 2, 3, 4, 3)
feed = {n: named[n.name] for n in (x, y_, w1, b1, w2)}
grads = ht.gradients(loss, [w1, b1, w2])
values = ht.Executor([loss] + grads).run(feed_dict=feed)
sgd_step = ht.Executor([loss, train])
sgd_step.run(feed_dict=feed)
err = 0.0
for p, g in zip((w1, b1, w2), values[1:]):
    start = [v for r in feed[p] for v in (r if isinstance(r, list) else [r])]
    err = max([err] + [abs((a - b) - c) for a, b, c in zip(start, flat(sgd_step.params[p]), flat(g))])
print("gradients are the SGD step:", "ok" if err < 1e-6 else "BAD %g" % err)

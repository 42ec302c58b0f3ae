"""A Hetu-style graph (forward ops) that writes hetu IR and runs it with
hetu-run. Shapes are static and per data-parallel replica; f32 only.

    x = ht.Variable("x", shape=(16, 8))
    with ht.context("gpu:0,gpu:1"):
        w = ht.init.random_normal((8, 4), stddev=0.1, name="w")
        y = ht.relu_op(ht.matmul_op(x, w))
    ex = ht.Executor([y])
    print(ex.mlir())
    (out,) = ex.run(verify=True)
"""

import itertools
import os
import random
import shutil
import struct
import subprocess
import tempfile

from . import _capi
from .context import DeviceGroup, get_current_context

#: What Executor.compile runs by default: the analyses hetu-run starts with.
DEFAULT_PIPELINE = ("builtin.module(hetu-deduce-strategy,hetu-pipeline-schedule,hetu-grad-sync,"
                    "hetu-infer-states)")

_ids = itertools.count()


class HetuError(RuntimeError):
    """A compiler or runtime error; the message is the tool's diagnostics."""


class Node(object):
    def __init__(self, op, inputs, shape, ctx=None, name=None, **attrs):
        self.id = next(_ids)
        self.op = op
        self.inputs = list(inputs)
        self.shape = tuple(int(s) for s in shape)
        self.raw_ctx = DeviceGroup(ctx) if ctx is not None else get_current_context()
        self.name = name or "%s%d" % (op, self.id)
        self.attrs = attrs

    def __repr__(self):
        return "<%s %s %s>" % (self.op, self.name, "x".join(map(str, self.shape)))


def _topological(roots):
    """Every node the roots depend on, inputs before users (iterative, so
    deep graphs do not hit Python's recursion limit)."""
    order, seen = [], set()
    for root in roots:
        stack = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
            elif node.id not in seen:
                seen.add(node.id)
                stack.append((node, True))
                stack.extend((i, False) for i in reversed(node.inputs))
    return order


def _check(cond, message):
    if not cond:
        raise ValueError(message)


def Variable(name, shape=None, trainable=False, ctx=None):
    """An input of the step (data: every replica gets its own batch) or, with
    trainable=True, a parameter (the same on every replica)."""
    _check(shape is not None, "Variable %r needs a static shape" % name)
    return Node("placeholder", [], shape, ctx, name, trainable=trainable)


class init(object):
    """Parameter initialisers. Without a feed_dict hetu-run draws every
    input (--seed); with one, parameters left out of it start from their
    initialiser (seeded by run's `seed`)."""

    @staticmethod
    def random_normal(shape, stddev=0.01, name=None, ctx=None):
        return Node("placeholder", [], shape, ctx, name, trainable=True,
                    init=("normal", float(stddev)))

    @staticmethod
    def zeros(shape, name=None, ctx=None):
        return Node("placeholder", [], shape, ctx, name, trainable=True,
                    init=("zeros", 0.0))


def _initial(node, rng):
    """(flat values, shape) of a parameter from its initialiser."""
    count = 1
    for d in node.shape:
        count *= d
    kind, stddev = node.attrs.get("init") or ("zeros", 0.0)
    values = [rng.gauss(0.0, stddev) if kind == "normal" else 0.0
              for _ in range(count)]
    return values, node.shape


def matmul_op(a, b, trans_A=False, trans_B=False, ctx=None):
    _check(len(a.shape) == 2 and len(b.shape) == 2, "matmul_op takes matrices")
    m, k = a.shape[::-1] if trans_A else a.shape
    k2, n = b.shape[::-1] if trans_B else b.shape
    _check(k == k2, "matmul_op: inner dimensions %d and %d differ" % (k, k2))
    return Node("matmul", [a, b], (m, n), ctx, trans_A=trans_A, trans_B=trans_B)


def add_op(a, b, ctx=None):
    _check(a.shape == b.shape, "add_op: shapes %s and %s differ" % (a.shape, b.shape))
    return Node("add", [a, b], a.shape, ctx)


def relu_op(x, ctx=None):
    return Node("relu", [x], x.shape, ctx)


def dispatch(node, parts=None, duplicate=None, ctx=None):
    """The consumers of the result receive `node` split as `parts`: a tuple
    with one split count per dimension or a dict {dim: splits} (Hetu HEAD);
    none means replicated. The group is the consumers'. `duplicate` (Hetu
    V0) is the number of copies of each tile; by default it is derived as in
    Hetu HEAD: the consumers' devices per worker // the number of tiles."""
    if parts is None:
        parts = {}
    if isinstance(parts, dict):
        for d in parts:
            _check(0 <= d < len(node.shape), "dispatch: no dimension %r" % (d,))
        parts = tuple(parts.get(d, 1) for d in range(len(node.shape)))
    _check(len(parts) == len(node.shape),
           "dispatch: %d split counts for a rank-%d value" % (len(parts), len(node.shape)))
    _check(all(isinstance(p, int) and p >= 1 for p in parts),
           "dispatch: split counts must be positive integers, got %s" % (tuple(parts),))
    _check(duplicate is None or (isinstance(duplicate, int) and duplicate >= 1),
           "dispatch: duplicate must be a positive integer, got %r" % (duplicate,))
    return Node("dispatch", [node], node.shape, ctx, parts=tuple(parts),
                duplicate=duplicate)


def broadcastto_op(a, b, ctx=None):
    """`a` broadcast to the shape of `b` (leading dimensions added)."""
    n = len(b.shape) - len(a.shape)
    _check(n >= 0 and tuple(b.shape[n:]) == tuple(a.shape),
           "broadcastto_op: %s does not broadcast to %s" % (a.shape, b.shape))
    return Node("broadcast", [a], b.shape, ctx, dims=tuple(range(n)))


def reduce_mean_op(x, axes, keepdims=False, ctx=None):
    """Mean over `axes` (an int or a list), the axes removed."""
    rank = len(x.shape)
    axes = [axes] if isinstance(axes, int) else list(axes)
    _check(axes and not keepdims, "reduce_mean_op: give axes; keepdims is not supported")
    for a in axes:
        _check(isinstance(a, int) and -rank <= a < rank,
               "reduce_mean_op: no axis %r in a rank-%d value" % (a, rank))
    axes = sorted({a % rank for a in axes})
    shape = [d for i, d in enumerate(x.shape) if i not in axes]
    return Node("reduce_mean", [x], shape, ctx, axes=tuple(axes))


def softmaxcrossentropy_op(y, y_, ctx=None):
    """Per-row cross entropy -sum(y_ * log softmax(y)) (both BxC; y_ is
    usually a distribution, but need not be); the result has shape (B,)."""
    _check(len(y.shape) == 2 and y.shape == y_.shape,
           "softmaxcrossentropy_op: needs two BxC values, got %s and %s" % (y.shape, y_.shape))
    return Node("sce", [y, y_], y.shape[:1], ctx)


def _trainable(loss):
    """The trainable placeholders `loss` depends on, in creation order."""
    return sorted((n for n in _topological([loss])
                   if n.op == "placeholder" and n.attrs["trainable"]),
                  key=lambda n: n.id)


def _check_loss(loss, params, who):
    _check(loss.shape == (), "%s: the loss must be a scalar, got shape %s"
           % (who, loss.shape))
    seen = {n.id for n in _topological([loss])}
    missing = [p.name for p in params if p.id not in seen]
    _check(not missing, "%s: the loss does not depend on %s" % (who, ", ".join(missing)))
    every = _trainable(loss)
    _check(every, "%s: the loss has no trainable parameters" % who)
    _check(sorted(p.id for p in params) == [p.id for p in every],
           "%s: hetu-autodiff differentiates every trainable parameter the loss "
           "depends on (%s); give them all" % (who, ", ".join(p.name for p in every)))
    return every


def gradients(loss, params):
    """The gradients of the scalar `loss` with respect to `params` (every
    trainable parameter the loss depends on): nodes an Executor evaluates.
    The compiler derives them (hetu-autodiff with optimizer=none), placed
    where their forward ops run."""
    _check_loss(loss, params, "gradients")
    return [Node("gradient", [loss], p.shape, None, param=p) for p in params]


class optim(object):
    """Hetu's optimizers (names and arguments of Hetu v1). minimize(loss)
    returns the training op: an Executor that evaluates it compiles the
    forward pass into the training step (hetu-autodiff), returns None for
    it, and keeps the updated parameters in `executor.params`."""

    class SGDOptimizer(object):
        name = "sgd"

        def __init__(self, learning_rate=0.01, l2reg=0):
            self.learning_rate = float(learning_rate)
            self.l2reg = float(l2reg)

        def minimize(self, loss, var_list=None):
            params = _check_loss(loss, var_list or _trainable(loss), "minimize")
            return Node("optimizer", [loss], (), None, params=params,
                        options=self._options(), state=self._state(params))

        def _options(self):
            return {"optimizer": self.name, "lr": self.learning_rate,
                    "weight_decay": self.l2reg}

        def _state(self, params):
            """Shapes of the optimizer state hetu-autodiff adds."""
            return []

    class MomentumOptimizer(SGDOptimizer):
        """SGD with momentum (hetu.momentum): v = momentum * v + g,
        w = w - learning_rate * v, the velocity starting at zero. Hetu's
        MomentumOptimizer keeps -learning_rate inside its velocity, which
        gives the same parameters."""
        name = "momentum"

        def __init__(self, learning_rate=0.01, momentum=0.9, nesterov=False, l2reg=0):
            super().__init__(learning_rate, l2reg)
            _check(not nesterov, "MomentumOptimizer: nesterov is not supported")
            _check(0.0 <= momentum < 1.0, "MomentumOptimizer: momentum must be in "
                   "[0, 1), got %r" % (momentum,))
            self.momentum = float(momentum)

        def _options(self):
            return dict(super()._options(), momentum=self.momentum)

        def _state(self, params):
            return [p.shape for p in params]

    class AdamOptimizer(SGDOptimizer):
        """Adam (hetu.adam), moments and step count starting at zero."""
        name = "adam"

        def __init__(self, learning_rate=1e-3, beta1=0.9, beta2=0.999, epsilon=1e-8,
                     l2reg=0, amsgrad=False):
            super().__init__(learning_rate, l2reg)
            _check(not amsgrad, "AdamOptimizer: amsgrad is not supported")
            _check(0.0 <= beta1 < 1.0 and 0.0 <= beta2 < 1.0 and epsilon > 0,
                   "%s: beta1 and beta2 must be in [0, 1) and epsilon positive"
                   % type(self).__name__)
            self.beta1, self.beta2, self.epsilon = float(beta1), float(beta2), float(epsilon)

        def _options(self):
            return dict(super()._options(), beta1=self.beta1, beta2=self.beta2,
                        eps=self.epsilon)

        def _state(self, params):
            return [p.shape for p in params] * 2 + [()]

    class AdamWOptimizer(AdamOptimizer):
        """AdamW (hetu.adamw): Adam with decoupled weight decay."""
        name = "adamw"

        def __init__(self, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-7,
                     weight_decay=0):
            super().__init__(learning_rate, beta1, beta2, epsilon, l2reg=weight_decay)


def _count(shape, axes):
    n = 1
    for a in axes:
        n *= shape[a]
    return n


def _float(v):
    """A float as MLIR parses it (always with a mantissa dot)."""
    return "%.17e" % float(v)


def _tensor(shape):
    return "tensor<%sxf32>" % "x".join(map(str, shape)) if shape else "tensor<f32>"


def _tool(name):
    env = os.environ.get("HETU_MLIR_TOOLS")
    here = os.path.dirname(os.path.abspath(__file__))
    dirs = [env] if env else [os.path.join(here, "..", "..", "build", "bin"),
                              os.path.join(here, "..", "..", "bin")]
    for d in dirs:
        path = os.path.normpath(os.path.join(d, name))
        if os.access(path, os.X_OK):
            return path
    found = shutil.which(name)
    if not found:
        raise HetuError("hetu_mlir: cannot find %s (set HETU_MLIR_TOOLS)" % name)
    return found


def _write_npy(path, shape, values):
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % (
        "".join("%d, " % s for s in shape))
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
        f.write(header.encode())
        f.write(struct.pack("<%df" % len(values), *values))


def _read_npy(path):
    import ast
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<H", data[8:10])[0]
    header = ast.literal_eval(data[10:10 + n].decode())
    _check(header["descr"] == "<f4", "%s: not f32" % path)
    count = 1
    for s in header["shape"]:
        count *= s
    values = list(struct.unpack("<%df" % count, data[10 + n:10 + n + 4 * count]))
    try:
        import numpy
        return numpy.array(values, dtype=numpy.float32).reshape(header["shape"])
    except ImportError:
        return tuple(header["shape"]), values


class Executor(object):
    """Compiles `eval_nodes` (the outputs) into one placed function.
    `ctx` is the default placement (inputs and outputs live there); by
    default the group of the first input. `pipeline` ("gpipe", or "1f1b" /
    Hetu's "pipedream") with `micro_batches` runs each step as that many
    micro-batches in that pipeline schedule (hetu-pipeline-schedule)."""

    def __init__(self, eval_nodes, ctx=None, pipeline=None, micro_batches=None):
        schedules = {"gpipe": "gpipe", "1f1b": "1f1b", "pipedream": "1f1b"}
        _check(pipeline is None or pipeline in schedules,
               "pipeline must be 'gpipe', '1f1b' or 'pipedream', got %r" % (pipeline,))
        _check(pipeline is None or (isinstance(micro_batches, int) and micro_batches >= 1),
               "pipeline=%r needs micro_batches, a positive integer" % (pipeline,))
        _check(micro_batches is None or pipeline is not None,
               "micro_batches needs a pipeline schedule (pipeline='gpipe' or '1f1b')")
        self.schedule = schedules.get(pipeline)
        self.micro_batches = micro_batches
        self.eval_nodes = list(eval_nodes)
        # Training: one optimizer, or the gradients of one loss. The
        # function returns the loss first; hetu-autodiff makes it the step.
        trains = [n for n in self.eval_nodes if n.op == "optimizer"]
        grads = [n for n in self.eval_nodes if n.op == "gradient"]
        _check(len(trains) <= 1, "Executor: evaluate one training op at a time")
        _check(not (trains and grads), "Executor: evaluate a training op or "
               "gradients, not both")
        losses = {n.inputs[0].id: n.inputs[0] for n in trains + grads}
        _check(len(losses) <= 1, "Executor: gradients of one loss at a time")
        self.loss = next(iter(losses.values()), None)
        if trains:
            self.trainables = trains[0].attrs["params"]
            self.autodiff, self.state = trains[0].attrs["options"], trains[0].attrs["state"]
        elif grads:
            self.trainables = _trainable(self.loss)
            self.autodiff, self.state = {"optimizer": "none"}, []
        else:
            self.trainables, self.autodiff, self.state = [], None, []
        self.params = {}
        order = _topological(self.eval_nodes)
        self.args = sorted((n for n in order if n.op == "placeholder"),
                           key=lambda n: n.id)
        self.ops = [n for n in order if n.op not in ("placeholder", "optimizer", "gradient")]
        # The forward function's results: the loss (when training), then the
        # other evaluated values.
        self.outputs = [self.loss] if self.loss is not None else []
        for n in self.eval_nodes:
            if n.op not in ("optimizer", "gradient") and n not in self.outputs:
                self.outputs.append(n)
        if ctx is not None:
            self.ctx = DeviceGroup(ctx)
        else:
            placed = [n.raw_ctx for n in self.args + self.ops if n.raw_ctx]
            self.ctx = placed[0] if placed else None
        self._text = None

    def _duplicate(self, node):
        """A dispatch's copies per tile: given, or derived from the devices
        per worker of its consumers' group (Hetu HEAD)."""
        if node.attrs["duplicate"] is not None:
            return node.attrs["duplicate"]
        consumers = [n.raw_ctx or self.ctx for n in self.ops if node in n.inputs]
        if not consumers or consumers[0] is None or \
                any(c != consumers[0] for c in consumers):
            return 1
        tiles = 1
        for p in node.attrs["parts"]:
            tiles *= p
        return max(1, consumers[0].mp_dev_num // tiles)

    def num_ranks(self):
        """The number of ranks: the distinct devices the graph is placed on."""
        devices = set()
        placed = self.args + self.ops
        for g in [self.ctx] + [n.raw_ctx for n in placed]:
            for c in g or ():
                devices.update(c if isinstance(c, tuple) else (c,))
        return max(1, len(devices))

    def mlir(self):
        """The module, as text."""
        if self._text is None:
            self._text = self._emit()
        return self._text

    def _emit(self):
        names, lines, n = {}, [], itertools.count()

        def fresh():
            return "%%v%d" % next(n)

        def attr(node):
            g = node.raw_ctx
            if g is None or g == self.ctx or node.op.startswith("dispatch"):
                return ""
            return " {hetu.ctx = %s}" % g.mlir()

        def filled(shape, init, at):
            e, z = fresh(), fresh()
            t = _tensor(shape)
            lines.append("%s = tensor.empty() : %s" % (e, t))
            lines.append("%s = linalg.fill%s ins(%s : f32) outs(%s : %s) -> %s"
                         % (z, at, init, e, t, t))
            return z

        def zeros(shape, at):
            return filled(shape, "%zero", at)

        def transposed(v, shape, at):
            e, t = fresh(), fresh()
            out = _tensor(shape[::-1])
            lines.append("%s = tensor.empty() : %s" % (e, out))
            lines.append("%s = linalg.transpose ins(%s : %s) outs(%s : %s) permutation = [1, 0]%s"
                         % (t, v, _tensor(shape), e, out, at))
            return t

        def splat(value, shape):
            r = fresh()
            lines.append("%s = arith.constant dense<%s> : %s" % (r, _float(value), _tensor(shape)))
            return r

        def binary(op, a, b, t, at):
            r = fresh()
            lines.append("%s = arith.%s %s, %s%s : %s" % (r, op, a, b, at, t))
            return r

        def unary(op, a, t, at):
            r = fresh()
            lines.append("%s = %s %s%s : %s" % (r, op, a, at, t))
            return r

        def bcast(v, in_shape, out_shape, dims, at):
            e, r = fresh(), fresh()
            out = _tensor(out_shape)
            lines.append("%s = tensor.empty() : %s" % (e, out))
            lines.append("%s = linalg.broadcast ins(%s : %s) outs(%s : %s) dimensions = [%s]%s"
                         % (r, v, _tensor(in_shape), e, out, ", ".join(map(str, dims)), at))
            return r

        def reduce(v, in_shape, axes, combine, at):
            shape = [d for i, d in enumerate(in_shape) if i not in axes]
            out = _tensor(shape)
            z = filled(shape, "%zero" if combine == "addf" else "%ninf", at)
            r = fresh()
            lines.append("%s = linalg.reduce ins(%s : %s) outs(%s : %s) dimensions = [%s]%s"
                         % (r, v, _tensor(in_shape), z, out, ", ".join(map(str, axes)), at))
            lines.append("  (%in: f32, %acc: f32) {")
            lines.append("    %%c = arith.%s %%in, %%acc : f32" % combine)
            lines.append("    linalg.yield %c : f32")
            lines.append("  }")
            return r

        params = []
        for i, a in enumerate(self.args):
            names[a.id] = "%%arg%d" % i
            params.append("%s: %s%s" % (names[a.id], _tensor(a.shape),
                                        " {hetu.trainable}" if a.attrs["trainable"] else ""))
        for node in self.ops:
            at = attr(node)
            ins = [names[i.id] for i in node.inputs]
            t = _tensor(node.shape)
            if node.op == "matmul":
                a, b = node.inputs
                x, w = ins
                if node.attrs["trans_A"]:
                    x = transposed(x, a.shape, at)
                if node.attrs["trans_B"]:
                    w = transposed(w, b.shape, at)
                k = b.shape[1] if node.attrs["trans_B"] else b.shape[0]
                z, r = zeros(node.shape, at), fresh()
                lines.append("%s = linalg.matmul%s ins(%s, %s : %s, %s) outs(%s : %s) -> %s"
                             % (r, at, x, w, _tensor((node.shape[0], k)),
                                _tensor((k, node.shape[1])), z, t, t))
            elif node.op == "add":
                r = fresh()
                lines.append("%s = arith.addf %s, %s%s : %s" % (r, ins[0], ins[1], at, t))
            elif node.op == "relu":
                z = zeros(node.shape, at)
                e, r = fresh(), fresh()
                lines.append("%s = tensor.empty() : %s" % (e, t))
                lines.append("%s = linalg.max%s ins(%s, %s : %s, %s) outs(%s : %s) -> %s"
                             % (r, at, ins[0], z, t, t, e, t, t))
            elif node.op == "dispatch":
                r = fresh()
                duplicate = self._duplicate(node)
                lines.append("%s = hetu.dispatch %s to #hetu.states<[%s]%s> : %s"
                             % (r, ins[0], ", ".join(map(str, node.attrs["parts"])),
                                ", duplicate = %d" % duplicate if duplicate > 1 else "", t))
            elif node.op == "broadcast":
                r = bcast(ins[0], node.inputs[0].shape, node.shape, node.attrs["dims"], at)
            elif node.op == "reduce_sum":
                r = reduce(ins[0], node.inputs[0].shape, node.attrs["axes"], "addf", at)
            elif node.op == "reduce_mean":
                x = node.inputs[0]
                total = reduce(ins[0], x.shape, node.attrs["axes"], "addf", at)
                scale = splat(1.0 / _count(x.shape, node.attrs["axes"]), node.shape)
                r = binary("mulf", total, scale, t, at)
            elif node.op == "sce":
                y = node.inputs[0]
                rows, yt = y.shape[:1], _tensor(y.shape)
                m = reduce(ins[0], y.shape, (1,), "maximumf", at)
                zc = binary("subf", ins[0], bcast(m, rows, y.shape, (1,), at), yt, at)
                e = unary("math.exp", zc, yt, at)
                ssum = reduce(e, y.shape, (1,), "addf", at)
                logs = bcast(unary("math.log", ssum, _tensor(rows), at), rows, y.shape, (1,), at)
                logp = binary("subf", zc, logs, yt, at)
                picked = reduce(binary("mulf", ins[1], logp, yt, at), y.shape, (1,), "addf", at)
                r = unary("arith.negf", picked, t, at)
            else:
                raise ValueError("Executor: cannot write %r" % node)
            names[node.id] = r
        results = [names[e.id] for e in self.outputs]
        types = [_tensor(e.shape) for e in self.outputs]
        head = "module attributes {hetu.default_ctx = %s} {" % self.ctx.mlir() \
            if self.ctx else "module {"
        fn_attrs = []
        if self.schedule:
            fn_attrs += ["hetu.micro_batches = %d" % self.micro_batches,
                         'hetu.schedule = "%s"' % self.schedule]
        if self.autodiff:
            entries = ['optimizer = "%s"' % self.autodiff["optimizer"]]
            entries += ["%s = %s" % (k, _float(v)) for k, v in sorted(self.autodiff.items())
                        if k != "optimizer"]
            fn_attrs.append("hetu.autodiff = {%s}" % ", ".join(entries))
        attrs = " attributes {%s}" % ", ".join(fn_attrs) if fn_attrs else ""
        body = ["  func.func @main(%s) -> (%s)%s {" % (", ".join(params), ", ".join(types), attrs),
                "    %zero = arith.constant 0.0 : f32",
                "    %ninf = arith.constant 0xFF800000 : f32"]
        body += ["    " + l for l in lines]
        body += ["    return %s : %s" % (", ".join(results), ", ".join(types)), "  }"]
        return "\n".join([head] + body + ["}"]) + "\n"

    def compile(self, pipeline=None):
        """Runs a pass pipeline on the module in-process, through the C API,
        and returns the resulting IR text. The default pipeline derives the
        training step (hetu-autodiff, when training), deduces the strategy,
        synchronises gradients and infers every value's states;
        pass e.g. "builtin.module(hetu-deduce-strategy,hetu-grad-sync,
        hetu-infer-states,hetu-partition{rank=0})" for rank 0's program.
        Raises HetuError with the compiler's diagnostics on failure."""
        if pipeline is None:
            pipeline = DEFAULT_PIPELINE
            if self.autodiff:
                pipeline = pipeline.replace("builtin.module(", "builtin.module(hetu-autodiff,", 1)
        ok, out = _capi.run_pass_pipeline(self.mlir(), pipeline)
        if not ok:
            raise HetuError(out.strip())
        return out

    def run(self, feed_dict=None, verify=False, backend="threads", seed=None,
            iterations=1):
        """Runs the step on CPU ranks with hetu-run and returns the outputs
        (replicas concatenated along dimension 0): NumPy arrays when NumPy
        is importable, else (shape, values). `feed_dict` maps inputs to
        values (nested lists or arrays; data inputs hold every replica's
        batch); unfed inputs are drawn by hetu-run. With verify=True the
        run is compared with the single-device run; a mismatch raises."""
        with tempfile.TemporaryDirectory(prefix="hetu_mlir") as tmp:
            path = os.path.join(tmp, "step.mlir")
            with open(path, "w") as f:
                f.write(self.mlir())
            _check(backend in ("threads", "mpi"),
                   "backend must be 'threads' or 'mpi', got %r" % (backend,))
            cmd = [_tool("hetu-run"), path, "--backend=" + backend,
                   "--outputs=" + tmp]
            if backend == "mpi":
                # One process per device, started with mpirun.
                launcher = shutil.which("mpirun")
                if not launcher:
                    raise HetuError("hetu_mlir: backend='mpi' needs mpirun on PATH")
                extra = ["--allow-run-as-root"] if os.geteuid() == 0 else []
                cmd = [launcher, "-n", str(self.num_ranks()), "--oversubscribe",
                       "--bind-to", "none"] + extra + cmd
            if verify:
                cmd.append("--verify")
            if seed is not None:
                cmd.append("--seed=%d" % seed)
            if iterations != 1:
                cmd.append("--iterations=%d" % iterations)
            if feed_dict:
                missing = [a.name for a in self.args
                           if a not in feed_dict and "init" not in a.attrs]
                _check(not missing, "feed_dict lacks inputs %s (only parameters "
                       "made by init.* may be left out)" % ", ".join(missing))
                rng = random.Random(seed or 0)
                files = []
                for i, a in enumerate(self.args):
                    flat, shape = (_flatten(feed_dict[a]) if a in feed_dict
                                   else _initial(a, rng))
                    files.append(os.path.join(tmp, "input%d.npy" % i))
                    _write_npy(files[-1], shape, flat)
                cmd.append("--inputs=" + ",".join(files))
            p = subprocess.run(cmd, capture_output=True, text=True)
            if p.returncode != 0:
                raise HetuError((p.stderr + p.stdout).strip())
            if verify and "verify: OK" not in p.stdout:
                raise HetuError("verification did not pass:\n" + p.stdout)
            self.report = p.stdout
            # The step's results (hetu-autodiff): the updated parameters and
            # optimizer state, then the forward results; or, for gradients,
            # the forward results, then each parameter's gradient.
            count = len(self.outputs) + len(self.trainables) + len(self.state)
            values = [_read_npy(os.path.join(tmp, "output%d.npy" % j))
                      for j in range(count)]
            P, O = len(self.trainables), len(self.outputs)
            if self.autodiff and self.autodiff["optimizer"] != "none":
                updated, forward = values[:P], values[P + len(self.state):]
                grads = {}
            else:
                updated, forward = [], values[:O]
                grads = dict(zip((p.id for p in self.trainables), values[O:O + P]))
            # A training op evaluates to None (as in Hetu); the updated
            # parameters are in `self.params` after the run.
            self.params = dict(zip(self.trainables, updated))
            result = dict(zip((n.id for n in self.outputs), forward))
            return [None if n.op == "optimizer" else
                    grads[n.attrs["param"].id] if n.op == "gradient" else result[n.id]
                    for n in self.eval_nodes]


def _flatten(value):
    """(flat list of floats, shape) of nested lists or an array."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if not isinstance(value, (list, tuple)):
        return [float(value)], ()
    parts = [_flatten(v) for v in value]
    shapes = {s for _, s in parts}
    _check(len(shapes) == 1, "feed value is ragged")
    return [x for f, _ in parts for x in f], (len(value),) + shapes.pop()

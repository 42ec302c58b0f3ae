"""Graph nodes, variables, initialisers, dispatch, gradients and optimizers
(Hetu v1's names). Shapes are per data-parallel replica and f32.

A node's shape is known when its inputs' are: a Variable without a shape
(Hetu's placeholder) gets it from the first feed_dict an Executor runs, and
the shapes of the nodes that depend on it are inferred then. Ops whose
inputs' shapes are known check them when they are built.

    x = ht.Variable("x")
    with ht.context("gpu:0,gpu:1"):
        w = ht.init.random_normal((8, 4), stddev=0.1, name="w")
        y = ht.relu_op(ht.matmul_op(x, w))
"""

import itertools
import math
import random

from .context import DeviceGroup, get_current_context

_ids = itertools.count()


class HetuError(RuntimeError):
    """A compiler or runtime error; the message is the tool's diagnostics."""


class _UnknownShape(ValueError):
    """A shape that depends on a Variable not fed yet."""


def _check(cond, message):
    if not cond:
        raise ValueError(message)


class Node:
    """One op of the graph. `infer` maps the inputs' shapes to this node's
    (raising ValueError on a mismatch); a node made with a shape has it."""

    def __init__(self, op, inputs, shape=None, ctx=None, name=None, infer=None, **attrs):
        self.id = next(_ids)
        self.op = op
        self.inputs = list(inputs)
        self._shape = None if shape is None else tuple(int(s) for s in shape)
        self._infer = infer
        self.raw_ctx = DeviceGroup(ctx) if ctx is not None else get_current_context()
        self.name = name or "%s%d" % (op, self.id)
        self.attrs = attrs
        if self._shape is None and infer is not None:
            try:
                _resolve(self)  # checks the inputs now when they are known
            except _UnknownShape:
                pass

    @property
    def shape(self):
        if self._shape is None:
            _resolve(self)
        return self._shape

    def known(self):
        """Whether the shape is known (every Variable it depends on is)."""
        try:
            self.shape
            return True
        except _UnknownShape:
            return False

    def __repr__(self):
        shape = "x".join(map(str, self._shape)) if self._shape is not None else "?"
        return "<%s %s %s>" % (self.op, self.name, shape)

    # Hetu's operators: between nodes (elementwise, broadcast as NumPy) and
    # with Python numbers.
    def __add__(self, other):
        from . import ops
        return ops.add_op(self, other) if isinstance(other, Node) else ops.addbyconst_op(self, other)

    __radd__ = __add__

    def __sub__(self, other):
        from . import ops
        return ops.minus_op(self, other) if isinstance(other, Node) \
            else ops.addbyconst_op(self, -float(other))

    def __rsub__(self, other):
        from . import ops
        return ops.addbyconst_op(ops.opposite_op(self), other)

    def __mul__(self, other):
        from . import ops
        return ops.mul_op(self, other) if isinstance(other, Node) else ops.mul_byconst_op(self, other)

    __rmul__ = __mul__

    def __truediv__(self, other):
        from . import ops
        return ops.div_op(self, other) if isinstance(other, Node) \
            else ops.mul_byconst_op(self, 1.0 / float(other))

    def __rtruediv__(self, other):
        from . import ops
        return ops.div_const_op(other, self)

    def __neg__(self):
        from . import ops
        return ops.opposite_op(self)


def _resolve(node):
    """Computes the shapes `node` depends on, inputs first (iteratively)."""
    for n in _topological([node]):
        if n._shape is not None:
            continue
        if n._infer is None:
            raise _UnknownShape(
                "the shape of Variable %r is not known yet: it comes from the first "
                "feed_dict (or give shape=)" % n.name)
        n._shape = tuple(int(s) for s in n._infer(*[i.shape for i in n.inputs]))


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


def _node(x, who):
    _check(isinstance(x, Node), "%s: expected a node, got %r" % (who, x))
    return x


def _array(value):
    """(flat list of floats, shape) of nested lists, a number or an array."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if not isinstance(value, (list, tuple)):
        return [float(value)], ()
    parts = [_array(v) for v in value]
    shapes = {s for _, s in parts}
    _check(len(shapes) <= 1, "value is ragged")
    inner = shapes.pop() if shapes else ()
    return [x for f, _ in parts for x in f], (len(value),) + inner


def Variable(name, value=None, initializer=None, trainable=None, dtype=None, ctx=None,
             shape=None):
    """Hetu's Variable. Without value and initializer it is an input fed
    through feed_dict (its shape comes from the first feed, or `shape=`):
    data (each replica its own batch; the fed rows are every replica's), or,
    with trainable=True, a parameter fed from outside. With `value` (an
    array) it is a parameter starting from it, or with trainable=False a
    constant; with `initializer` (an init.* node) it is that parameter."""
    _check(getattr(dtype, "__name__", dtype) in (None, "float32", "float64"),
           "Variable %r: float32 or float64 (the Executor's dtype= decides)" % name)
    if initializer is not None:
        _check(isinstance(initializer, Node) and "init" in initializer.attrs,
               "Variable %r: initializer must be an init.* node" % name)
        initializer.name = name
        return initializer
    if value is not None:
        flat, vshape = _array(value)
        _check(shape is None or tuple(shape) == vshape,
               "Variable %r: shape %s but the value has shape %s" % (name, shape, vshape))
        if trainable is False:
            return Node("constant", [], vshape, ctx, name, values=flat)
        return Node("placeholder", [], vshape, ctx, name, trainable=True,
                    init=("value", flat))
    return Node("placeholder", [], shape, ctx, name, trainable=bool(trainable))


def placeholder_op(name, value=None, initializer=None, trainable=None, dtype=None, ctx=None,
                   shape=None):
    """Hetu's placeholder_op: the same as Variable."""
    return Variable(name, value, initializer, trainable, dtype, ctx, shape)


def _fan(shape):
    """(fan_in, fan_out) as Hetu and TensorFlow count them."""
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    field = 1
    for d in shape[2:]:
        field *= d
    return shape[0] * field if len(shape) > 2 else shape[0], shape[1] * field


class init:
    """Parameter initialisers (Hetu v1's names and arguments): each makes a
    trainable parameter whose first value the Executor draws (seeded by the
    Executor's `seed`). A parameter in a feed_dict takes the fed value."""

    @staticmethod
    def _make(shape, how, name, trainable, ctx):
        shape = tuple(int(s) for s in shape)
        _check(all(s >= 1 for s in shape), "init: dimensions must be positive, got %s"
               % (shape,))
        return Node("placeholder", [], shape, ctx, name, trainable=trainable, init=how)

    @staticmethod
    def zeros(shape, name=None, trainable=True, dtype=None, ctx=None):
        return init._make(shape, ("constant", 0.0), name, trainable, ctx)

    @staticmethod
    def ones(shape, name=None, trainable=True, dtype=None, ctx=None):
        return init._make(shape, ("constant", 1.0), name, trainable, ctx)

    @staticmethod
    def constant(shape, fill_value=0.0, name=None, trainable=True, dtype=None, ctx=None):
        return init._make(shape, ("constant", float(fill_value)), name, trainable, ctx)

    @staticmethod
    def random_normal(shape, mean=0.0, stddev=1.0, name=None, trainable=True, dtype=None,
                      ctx=None):
        return init._make(shape, ("normal", float(mean), float(stddev)), name, trainable, ctx)

    @staticmethod
    def truncated_normal(shape, mean=0.0, stddev=1.0, name=None, trainable=True, dtype=None,
                         ctx=None):
        return init._make(shape, ("truncated", float(mean), float(stddev)), name, trainable,
                          ctx)

    @staticmethod
    def random_uniform(shape, minval=-1.0, maxval=1.0, name=None, trainable=True, dtype=None,
                       ctx=None):
        return init._make(shape, ("uniform", float(minval), float(maxval)), name, trainable,
                          ctx)

    @staticmethod
    def _scaled(shape, kind, mode, gain, name, trainable, ctx):
        fan_in, fan_out = _fan(tuple(shape))
        fan = {"in": fan_in, "out": fan_out, "avg": (fan_in + fan_out) / 2.0}[mode]
        if kind == "normal":
            return init._make(shape, ("normal", 0.0, math.sqrt(gain / fan)), name, trainable,
                              ctx)
        limit = math.sqrt(3.0 * gain / fan)
        return init._make(shape, ("uniform", -limit, limit), name, trainable, ctx)

    @staticmethod
    def xavier_normal(shape, gain=1.0, name=None, trainable=True, dtype=None, ctx=None):
        return init._scaled(shape, "normal", "avg", gain, name, trainable, ctx)

    @staticmethod
    def xavier_uniform(shape, gain=1.0, name=None, trainable=True, dtype=None, ctx=None):
        return init._scaled(shape, "uniform", "avg", gain, name, trainable, ctx)

    @staticmethod
    def he_normal(shape, gain=2.0, name=None, trainable=True, dtype=None, ctx=None):
        return init._scaled(shape, "normal", "in", gain, name, trainable, ctx)

    @staticmethod
    def he_uniform(shape, gain=2.0, name=None, trainable=True, dtype=None, ctx=None):
        return init._scaled(shape, "uniform", "in", gain, name, trainable, ctx)

    @staticmethod
    def lecun_normal(shape, gain=1.0, name=None, trainable=True, dtype=None, ctx=None):
        return init._scaled(shape, "normal", "in", gain, name, trainable, ctx)

    @staticmethod
    def lecun_uniform(shape, gain=1.0, name=None, trainable=True, dtype=None, ctx=None):
        return init._scaled(shape, "uniform", "in", gain, name, trainable, ctx)


def initial_values(node, rng):
    """The flat first values of a parameter made by init.* (or given a
    value), drawn from `rng` (a random.Random)."""
    count = 1
    for d in node.shape:
        count *= d
    how = node.attrs.get("init") or ("constant", 0.0)
    kind = how[0]
    if kind == "value":
        return list(how[1])
    if kind == "constant":
        return [how[1]] * count
    if kind == "normal":
        return [rng.gauss(how[1], how[2]) for _ in range(count)]
    if kind == "truncated":
        # Redrawn beyond two standard deviations, as TensorFlow and Hetu.
        out = []
        while len(out) < count:
            v = rng.gauss(0.0, 1.0)
            if abs(v) <= 2.0:
                out.append(how[1] + how[2] * v)
        return out
    if kind == "uniform":
        return [rng.uniform(how[1], how[2]) for _ in range(count)]
    raise ValueError("unknown initialiser %r" % (kind,))


def dispatch(node, parts=None, duplicate=None, ctx=None):
    """The consumers of the result receive `node` split as `parts`: a tuple
    with one split count per dimension or a dict {dim: splits} (Hetu HEAD);
    none means replicated. The group is the consumers'. `duplicate` (Hetu
    V0) is the number of copies of each tile; by default it is derived as in
    Hetu HEAD: the consumers' devices per worker // the number of tiles."""
    _node(node, "dispatch")
    if parts is None:
        parts = {}
    _check(isinstance(parts, (dict, tuple, list)),
           "dispatch: parts must be a tuple or a dict, got %r" % (parts,))
    _check(duplicate is None or (isinstance(duplicate, int) and duplicate >= 1),
           "dispatch: duplicate must be a positive integer, got %r" % (duplicate,))
    given = dict(parts) if isinstance(parts, dict) else tuple(parts)

    def infer(shape):
        _split_counts(given, len(shape))
        return shape
    return Node("dispatch", [node], None, ctx, infer=infer, parts=given, duplicate=duplicate)


def _split_counts(parts, rank):
    """A dispatch's split count per dimension (checked) for a rank-`rank`
    value."""
    if isinstance(parts, dict):
        for d in parts:
            _check(isinstance(d, int) and 0 <= d < rank, "dispatch: no dimension %r" % (d,))
        parts = tuple(parts.get(d, 1) for d in range(rank))
    _check(len(parts) == rank,
           "dispatch: %d split counts for a rank-%d value" % (len(parts), rank))
    _check(all(isinstance(p, int) and p >= 1 for p in parts),
           "dispatch: split counts must be positive integers, got %s" % (tuple(parts),))
    return tuple(parts)


def _trainable(loss):
    """The trainable placeholders `loss` depends on, in creation order."""
    return sorted((n for n in _topological([loss])
                   if n.op == "placeholder" and n.attrs["trainable"]),
                  key=lambda n: n.id)


def _check_loss(loss, params, who):
    if loss.known():
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
    return [Node("gradient", [loss], None, None, infer=lambda _, p=p: p.shape, param=p)
            for p in params]


class optim:
    """Hetu's optimizers (names and arguments of Hetu v1). minimize(loss)
    returns the training op: an Executor that evaluates it compiles the
    forward pass into the training step (hetu-autodiff), returns None for
    it, and keeps the parameters and the optimizer state between runs
    (`executor.params`)."""

    class SGDOptimizer:
        name = "sgd"

        def __init__(self, learning_rate=0.01, l2reg=0):
            self.learning_rate = float(learning_rate)
            self.l2reg = float(l2reg)

        def minimize(self, loss, var_list=None):
            params = _check_loss(loss, var_list or _trainable(loss), "minimize")
            return Node("optimizer", [loss], (), None, params=params,
                        options=self._options())

        def _options(self):
            return {"optimizer": self.name, "lr": self.learning_rate,
                    "weight_decay": self.l2reg}

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

    class AdamWOptimizer(AdamOptimizer):
        """AdamW (hetu.adamw): Adam with decoupled weight decay."""
        name = "adamw"

        def __init__(self, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-7,
                     weight_decay=0):
            super().__init__(learning_rate, beta1, beta2, epsilon, l2reg=weight_decay)


def new_rng(seed):
    return random.Random(seed)

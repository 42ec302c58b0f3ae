"""Graph ops with Hetu v1's names and signatures (every op takes `ctx=None`
last: the group it runs on, by default the current `with context(...)`).

Each op makes one node of a small set the Executor writes as linalg, tensor,
arith and math IR (see emit.py); the others (layer norm, GELU, the cross
entropies, embedding lookup, linear, dropout) are built from those, so the
compiler's states rules and hetu-autodiff see ordinary IR. f32 only.
"""

from .graph import Node, _check, _node

__all__ = [
    "add_op", "addbyconst_op", "array_reshape_op", "batch_matmul_op", "broadcast_shape_op",
    "broadcastto_op", "concat_op", "div_const_op", "div_op", "dropout_op",
    "embedding_lookup_op", "exp_op", "gelu_op", "layer_normalization_op", "linear_op",
    "log_op", "matmul_op", "minus_op", "mul_byconst_op", "mul_op", "one_hot_op",
    "opposite_op", "reduce_max_op", "reduce_mean_op", "reduce_sum_op", "relu_op", "rsqrt_op",
    "slice_op", "softmax_op", "softmaxcrossentropy_op", "softmaxcrossentropy_sparse_op",
    "sqrt_op", "tanh_op", "transpose_op", "where_op", "sum_op",
]


def _axes(axes, rank, who):
    axes = [axes] if isinstance(axes, int) else list(axes)
    _check(axes, "%s: give the axes" % who)
    for a in axes:
        _check(isinstance(a, int) and -rank <= a < rank,
               "%s: no axis %r in a rank-%d value" % (who, a, rank))
    return tuple(sorted({a % rank for a in axes}))


def broadcast_result(a, b, who):
    """NumPy's broadcast of two shapes (right-aligned; 1 stretches)."""
    out = []
    for i in range(1, max(len(a), len(b)) + 1):
        x = a[-i] if i <= len(a) else 1
        y = b[-i] if i <= len(b) else 1
        _check(x == y or x == 1 or y == 1,
               "%s: shapes %s and %s do not broadcast" % (who, tuple(a), tuple(b)))
        out.append(max(x, y))
    return tuple(reversed(out))


def _to(x, shape, ctx):
    """`x` broadcast to `shape` (itself when it has it)."""
    if x.known() and tuple(x.shape) == tuple(shape):
        return x
    return Node("broadcast", [x], None, ctx, infer=lambda s: _broadcast_check(s, shape),
                to=tuple(shape))


def _broadcast_check(s, shape):
    _check(broadcast_result(s, shape, "broadcastto_op") == tuple(shape),
           "broadcastto_op: %s does not broadcast to %s" % (tuple(s), tuple(shape)))
    return shape


def _elementwise(kind, a, b, ctx, who):
    _node(a, who)
    _node(b, who)

    # Inputs of other shapes are broadcast to the result's by the emitter.
    def infer(x, y):
        return broadcast_result(x, y, who)
    return Node("binary", [a, b], None, ctx, infer=infer, kind=kind)


def add_op(node_A, node_B, ctx=None):
    """node_A + node_B, elementwise (shapes broadcast as NumPy's)."""
    return _elementwise("addf", node_A, node_B, ctx, "add_op")


def minus_op(node_A, node_B, ctx=None):
    return _elementwise("subf", node_A, node_B, ctx, "minus_op")


def mul_op(node_A, node_B, ctx=None):
    return _elementwise("mulf", node_A, node_B, ctx, "mul_op")


def div_op(node_A, node_B, ctx=None):
    return _elementwise("divf", node_A, node_B, ctx, "div_op")


def sum_op(node_list, ctx=None):
    """The elementwise sum of the nodes."""
    _check(node_list, "sum_op: no nodes")
    total = node_list[0]
    for n in node_list[1:]:
        total = add_op(total, n, ctx)
    return total


def _const(kind, node, value, ctx, who, reverse=False):
    _node(node, who)
    return Node("const", [node], None, ctx, infer=lambda s: s, kind=kind,
                value=float(value), reverse=reverse)


def addbyconst_op(node, const_val, ctx=None):
    return _const("addf", node, const_val, ctx, "addbyconst_op")


def mul_byconst_op(node_A, const_val, const_updater=None, ctx=None):
    _check(const_updater is None, "mul_byconst_op: const_updater is not supported")
    return _const("mulf", node_A, const_val, ctx, "mul_byconst_op")


def div_const_op(const_val, node_A, ctx=None):
    """const_val / node_A."""
    return _const("divf", node_A, const_val, ctx, "div_const_op", reverse=True)


def _unary(kind, node, ctx, who, **attrs):
    _node(node, who)
    return Node("unary", [node], None, ctx, infer=lambda s: s, kind=kind, **attrs)


def opposite_op(node, ctx=None):
    return _unary("negf", node, ctx, "opposite_op")


def relu_op(node, ctx=None):
    return _unary("relu", node, ctx, "relu_op")


def exp_op(node, ctx=None):
    return _unary("exp", node, ctx, "exp_op")


def log_op(input, eps=1e-7, ctx=None):
    """log(max(input, eps)): eps keeps a zero input finite."""
    return _unary("log", input, ctx, "log_op", eps=float(eps))


def tanh_op(node, ctx=None):
    return _unary("tanh", node, ctx, "tanh_op")


def sqrt_op(node, ctx=None):
    return _unary("sqrt", node, ctx, "sqrt_op")


def rsqrt_op(node, ctx=None):
    return _unary("rsqrt", node, ctx, "rsqrt_op")


def gelu_op(node, ctx=None):
    """GELU, tanh form (as Hetu and GPT-2):
    0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))."""
    x = _node(node, "gelu_op")
    inner = mul_byconst_op(add_op(x, mul_byconst_op(mul_op(mul_op(x, x, ctx), x, ctx),
                                                    0.044715, ctx=ctx), ctx),
                           0.7978845608028654, ctx=ctx)
    return mul_op(mul_byconst_op(x, 0.5, ctx=ctx), addbyconst_op(tanh_op(inner, ctx), 1.0, ctx),
                  ctx)


def softmax_op(node, ctx=None):
    """Softmax over the last axis (linalg.softmax)."""
    _node(node, "softmax_op")

    def infer(s):
        _check(len(s) >= 1, "softmax_op: needs at least one dimension")
        return s
    return Node("softmax", [node], None, ctx, infer=infer)


def _reduce(kind, node, axes, keepdims, ctx, who):
    _node(node, who)

    def infer(s):
        ax = _axes(axes, len(s), who)
        return tuple(1 if i in ax else d for i, d in enumerate(s)) if keepdims else \
            tuple(d for i, d in enumerate(s) if i not in ax)
    return Node("reduce", [node], None, ctx, infer=infer, kind=kind, axes=axes,
                keepdims=bool(keepdims))


def reduce_sum_op(node, axes, keepdims=False, ctx=None):
    return _reduce("sum", node, axes, keepdims, ctx, "reduce_sum_op")


def reduce_mean_op(node, axes, keepdims=False, ctx=None):
    return _reduce("mean", node, axes, keepdims, ctx, "reduce_mean_op")


def reduce_max_op(node, axes, keepdims=False, ctx=None):
    return _reduce("max", node, axes, keepdims, ctx, "reduce_max_op")


def layer_normalization_op(node_in, ln_scale, ln_bias, eps=0.01, ctx=None):
    """(x - mean) / sqrt(var + eps) * scale + bias over the last axis (the
    biased variance, as Hetu and PyTorch)."""
    x = _node(node_in, "layer_normalization_op")
    mean = reduce_mean_op(x, -1, keepdims=True, ctx=ctx)
    xc = minus_op(x, mean, ctx)
    var = reduce_mean_op(mul_op(xc, xc, ctx), -1, keepdims=True, ctx=ctx)
    y = mul_op(xc, rsqrt_op(addbyconst_op(var, eps, ctx), ctx), ctx)
    return add_op(mul_op(y, ln_scale, ctx), ln_bias, ctx)


def matmul_op(node_A, node_B, trans_A=False, trans_B=False, ctx=None):
    _node(node_A, "matmul_op")
    _node(node_B, "matmul_op")

    def infer(a, b):
        _check(len(a) == 2 and len(b) == 2, "matmul_op takes matrices")
        m, k = a[::-1] if trans_A else a
        k2, n = b[::-1] if trans_B else b
        _check(k == k2, "matmul_op: inner dimensions %d and %d differ" % (k, k2))
        return (m, n)
    return Node("matmul", [node_A, node_B], None, ctx, infer=infer, trans_A=trans_A,
                trans_B=trans_B)


def batch_matmul_op(node_A, node_B, trans_A=False, trans_B=False, ctx=None):
    """Matrix products over the last two axes; the leading axes (equal in
    both) are batch axes."""
    _node(node_A, "batch_matmul_op")
    _node(node_B, "batch_matmul_op")

    def infer(a, b):
        _check(len(a) == len(b) and len(a) >= 2,
               "batch_matmul_op: needs two values of the same rank >= 2, got %s and %s"
               % (tuple(a), tuple(b)))
        _check(a[:-2] == b[:-2], "batch_matmul_op: batch dimensions %s and %s differ"
               % (tuple(a[:-2]), tuple(b[:-2])))
        m, k = (a[-1], a[-2]) if trans_A else (a[-2], a[-1])
        k2, n = (b[-1], b[-2]) if trans_B else (b[-2], b[-1])
        _check(k == k2, "batch_matmul_op: inner dimensions %d and %d differ" % (k, k2))
        return tuple(a[:-2]) + (m, n)
    return Node("batch_matmul", [node_A, node_B], None, ctx, infer=infer, trans_A=trans_A,
                trans_B=trans_B)


def linear_op(node_A, node_B, bias, trans_A=False, trans_B=False, ctx=None):
    """matmul_op(A, B) + bias (broadcast over the rows)."""
    return add_op(matmul_op(node_A, node_B, trans_A, trans_B, ctx), bias, ctx)


def array_reshape_op(node, output_shape, ctx=None):
    """The same elements in a new shape; one entry may be -1."""
    _node(node, "array_reshape_op")
    want = [int(d) for d in output_shape]
    _check(sum(1 for d in want if d == -1) <= 1 and all(d == -1 or d >= 1 for d in want),
           "array_reshape_op: bad shape %s" % (tuple(want),))

    def infer(s):
        total = 1
        for d in s:
            total *= d
        known = 1
        for d in want:
            known *= d if d != -1 else 1
        shape = [total // known if d == -1 else d for d in want]
        size = 1
        for d in shape:
            size *= d
        _check(size == total, "array_reshape_op: cannot reshape %s into %s"
               % (tuple(s), tuple(want)))
        return tuple(shape)
    return Node("reshape", [node], None, ctx, infer=infer)


def transpose_op(node_A, perm=None, ctx=None):
    """The axes permuted (None reverses them)."""
    _node(node_A, "transpose_op")

    def infer(s):
        p = list(range(len(s)))[::-1] if perm is None else list(perm)
        _check(sorted(p) == list(range(len(s))),
               "transpose_op: %s is not a permutation of %d axes" % (tuple(p), len(s)))
        return tuple(s[i] for i in p)
    node = Node("transpose", [node_A], None, ctx, infer=infer, perm=perm)
    return node


def broadcastto_op(node_A, node_B, ctx=None):
    """node_A broadcast to the shape of node_B (right-aligned)."""
    _node(node_A, "broadcastto_op")
    _node(node_B, "broadcastto_op")
    # node_B gives only its shape: it is no input of the op.
    return Node("broadcast", [node_A], None, ctx,
                infer=lambda a: _broadcast_check(a, node_B.shape))


def broadcast_shape_op(node_A, shape, add_axes=(), ctx=None):
    """node_A broadcast to `shape`: right-aligned, or with add_axes the axes
    of `shape` node_A lacks."""
    _node(node_A, "broadcast_shape_op")
    shape = tuple(int(d) for d in shape)
    if add_axes:
        axes = sorted(a % len(shape) for a in add_axes)

        def infer(s):
            rest = tuple(d for i, d in enumerate(shape) if i not in axes)
            _check(tuple(s) == rest, "broadcast_shape_op: %s with axes %s added is not %s"
                   % (tuple(s), tuple(axes), shape))
            return shape
        return Node("broadcast", [node_A], None, ctx, infer=infer, to=shape,
                    add_axes=tuple(axes))
    return _to(node_A, shape, ctx)


def where_op(cond, node_A, node_B, ctx=None):
    """node_A where cond is non-zero, else node_B (shapes broadcast)."""
    for n in (cond, node_A, node_B):
        _node(n, "where_op")
    def infer(c, a, b):
        return broadcast_result(broadcast_result(c, a, "where_op"), b, "where_op")
    return Node("where", [cond, node_A, node_B], None, ctx, infer=infer)


def one_hot_op(node, num_classes, ctx=None):
    """A new last axis of num_classes: 1 where it equals the value (class
    indices fed as floats), else 0."""
    _node(node, "one_hot_op")
    _check(isinstance(num_classes, int) and num_classes >= 1,
           "one_hot_op: num_classes must be a positive integer")
    return Node("one_hot", [node], None, ctx, infer=lambda s: tuple(s) + (num_classes,),
                classes=num_classes)


def _not_equal(node, value, ctx):
    """1 where node != value, else 0."""
    return Node("not_equal", [node], None, ctx, infer=lambda s: s, value=float(value))


def embedding_lookup_op(embedding, index, ctx=None):
    """Rows of `embedding` (V x D) at `index` (indices fed as floats): the
    result has index's shape + (D,). Written as one_hot(index) @ embedding,
    so its gradient is a dense V x D matrix (fine for the vocabularies this
    compiler trains on a CPU; a sparse gather is future work)."""
    _node(embedding, "embedding_lookup_op")
    _node(index, "embedding_lookup_op")
    _check(len(embedding.shape) == 2, "embedding_lookup_op: the table must be V x D")
    V, D = embedding.shape
    embedding.attrs["sparse"] = True  # Hetu's hybrid sends it to the server
    flat = array_reshape_op(one_hot_op(index, V, ctx), (-1, V), ctx)
    rows = matmul_op(flat, embedding, ctx=ctx)
    if not index.known():
        return Node("reshape_like", [rows, index], None, ctx,
                    infer=lambda r, s: tuple(s) + (D,))
    return array_reshape_op(rows, tuple(index.shape) + (D,), ctx)


def _log_softmax(logits, ctx):
    m = reduce_max_op(logits, -1, keepdims=True, ctx=ctx)
    z = minus_op(logits, m, ctx)
    lse = log_op(reduce_sum_op(exp_op(z, ctx), -1, keepdims=True, ctx=ctx), 0.0, ctx)
    return minus_op(z, lse, ctx)


def softmaxcrossentropy_op(node_A, node_B, use_cudnn=True, ctx=None):
    """Per-row cross entropy -sum(y_ * log softmax(y)) over the last axis
    (y_ usually a distribution, but need not be); the last axis goes."""
    _node(node_A, "softmaxcrossentropy_op")
    _node(node_B, "softmaxcrossentropy_op")
    if node_A.known() and node_B.known():
        _check(len(node_A.shape) >= 1 and node_A.shape == node_B.shape,
               "softmaxcrossentropy_op: needs two values of one shape, got %s and %s"
               % (node_A.shape, node_B.shape))
    return opposite_op(reduce_sum_op(mul_op(node_B, _log_softmax(node_A, ctx), ctx), -1,
                                     ctx=ctx), ctx)


def softmaxcrossentropy_sparse_op(node_A, node_B, ignored_index=-1, ctx=None):
    """Per-position cross entropy of logits node_A (..., C) against class
    indices node_B (...) fed as floats; positions labelled ignored_index
    give 0."""
    _node(node_A, "softmaxcrossentropy_sparse_op")
    _node(node_B, "softmaxcrossentropy_sparse_op")
    def infer(labels, logits):
        _check(tuple(labels) == tuple(logits[:-1]),
               "softmaxcrossentropy_sparse_op: labels of shape %s for logits of shape %s"
               % (tuple(labels), tuple(logits)))
        return tuple(logits)
    # The one-hot labels take their classes from the logits (known later
    # when the logits depend on a Variable not fed yet).
    onehot = Node("one_hot", [node_B, node_A], None, ctx, infer=infer)
    picked = reduce_sum_op(mul_op(onehot, _log_softmax(node_A, ctx), ctx), -1, ctx=ctx)
    loss = opposite_op(picked, ctx)
    if ignored_index >= 0:
        loss = mul_op(loss, _not_equal(node_B, ignored_index, ctx), ctx)
    return loss


def concat_op(node_A, node_B, axis=0, ctx=None):
    _node(node_A, "concat_op")
    _node(node_B, "concat_op")

    def infer(a, b):
        _check(len(a) == len(b) and -len(a) <= axis < len(a),
               "concat_op: cannot join %s and %s on axis %d" % (tuple(a), tuple(b), axis))
        ax = axis % len(a)
        _check(all(x == y for i, (x, y) in enumerate(zip(a, b)) if i != ax),
               "concat_op: %s and %s differ off axis %d" % (tuple(a), tuple(b), axis))
        return tuple(x + y if i == ax else x for i, (x, y) in enumerate(zip(a, b)))
    return Node("concat", [node_A, node_B], None, ctx, infer=infer, axis=axis)


def slice_op(node, begin, size, ctx=None):
    """node[begin : begin + size] per axis; a size of -1 runs to the end."""
    _node(node, "slice_op")
    begin = [int(b) for b in begin]

    def infer(s):
        _check(len(begin) == len(s) and len(size) == len(s),
               "slice_op: begin and size need %d entries" % len(s))
        out = []
        for b, n, d in zip(begin, size, s):
            n = d - b if n == -1 else int(n)
            _check(0 <= b and n >= 1 and b + n <= d,
                   "slice_op: [%d, %d) is outside a dimension of %d" % (b, b + n, d))
            out.append(n)
        return tuple(out)
    return Node("slice", [node], None, ctx, infer=infer, begin=tuple(begin))


def dropout_op(node_in, keep_prob, recompute=True, inplace=False, ctx=None):
    """Zeroes each element with probability 1 - keep_prob and scales the
    rest by 1 / keep_prob. The mask is a hidden input the Executor draws
    afresh for every run (seeded by the Executor's seed, each replica its
    own); at keep_prob 1 this is the identity."""
    _node(node_in, "dropout_op")
    _check(0.0 < keep_prob <= 1.0, "dropout_op: keep_prob must be in (0, 1]")
    if keep_prob == 1.0:
        return node_in
    # An input of the step whose shape is node_in's.
    mask = Node("placeholder", [], None, ctx, None, infer=lambda: node_in.shape,
                trainable=False, dropout=float(keep_prob))
    return mul_op(node_in, mask, ctx)


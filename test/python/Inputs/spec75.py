"""The SPEC 7.5 training layout in Hetu's API, shared by the Python tests:
layer 1 on gpu:0,gpu:4, the layer-2 matmul "middle" split on the tuples
(gpu:1,gpu:2),(gpu:5,gpu:6), the softmax cross-entropy loss on
gpu:3,gpu:7. Its first layer (layer1) also serves splits.py."""
import hetu_mlir as ht


def layer1(B, I, H, C):
    """In the current context: the data x:BxI, the labels y_:BxC, the first
    layer relu(x w1) and the second layer's weight w2:HxC, as
    (x, y_, w1, act, w2)."""
    x = ht.Variable("x", shape=(B, I))
    y_ = ht.Variable("y_", shape=(B, C))
    w1 = ht.init.random_normal((I, H), name="w1")
    act = ht.relu_op(ht.matmul_op(x, w1))
    w2 = ht.init.random_normal((H, C), name="w2")
    return x, y_, w1, act, w2


def spec75(B, I, H, C):
    """The graph for batches of B rows, I inputs, H hidden units and C
    classes: (x, y_, w1, y, loss)."""
    with ht.context("gpu:0,gpu:4"):
        x, y_, w1, act, w2 = layer1(B, I, H, C)
    with ht.context([(ht.gpu(1), ht.gpu(2)), (ht.gpu(5), ht.gpu(6))]):
        y = ht.matmul_op(ht.dispatch(act, {1: 2}), ht.dispatch(w2, {0: 2}))
    with ht.context("gpu:3,gpu:7"):
        loss = ht.reduce_mean_op(ht.softmaxcrossentropy_op(ht.dispatch(y, {}), y_), [0])
    return x, y_, w1, y, loss

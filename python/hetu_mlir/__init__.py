"""hetu_mlir: a Hetu-style Python front end over hetu-mlir's C API.

So far: devices, device groups and the context stack (Hetu v1 names), and
graphs (Variable, init, matmul_op, add_op, relu_op, broadcastto_op,
reduce_mean_op, softmaxcrossentropy_op, dispatch), gradients and the SGD,
momentum, Adam and AdamW optimizers (derived by the compiler's hetu-autodiff),
which an Executor writes as hetu IR and runs with hetu-run.
"""

from .context import (CPU, GPU, DLContext, DeviceGroup, context, cpu,
                      get_current_context, gpu, is_gpu_ctx, rcpu, rgpu)

from . import graph
from .graph import (Executor, HetuError, Variable, add_op, broadcastto_op,
                    dispatch, gradients, init, matmul_op, optim,
                    reduce_mean_op, relu_op, softmaxcrossentropy_op)

__all__ = ["Executor", "HetuError", "Variable", "add_op", "broadcastto_op",
           "dispatch", "gradients", "init", "matmul_op", "optim",
           "reduce_mean_op", "relu_op", "softmaxcrossentropy_op", "CPU", "GPU", "DLContext", "DeviceGroup", "context", "cpu",
           "get_current_context", "gpu", "is_gpu_ctx", "rcpu", "rgpu"]

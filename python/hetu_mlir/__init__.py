"""hetu_mlir: a Hetu-style Python front end over hetu-mlir's C API.

So far: devices, device groups and the context stack (Hetu v1 names), and
forward graphs (Variable, init, matmul_op, add_op, relu_op, dispatch) that an
Executor writes as hetu IR and runs with hetu-run. Autodiff, losses and
optimizers are tracked in issue 8.
"""

from .context import (CPU, GPU, DLContext, DeviceGroup, context, cpu,
                      get_current_context, gpu, is_gpu_ctx, rcpu, rgpu)

from . import graph
from .graph import (Executor, HetuError, Variable, add_op, dispatch, init,
                    matmul_op, relu_op)

__all__ = ["Executor", "HetuError", "Variable", "add_op", "dispatch", "init",
           "matmul_op", "relu_op", "CPU", "GPU", "DLContext", "DeviceGroup", "context", "cpu",
           "get_current_context", "gpu", "is_gpu_ctx", "rcpu", "rgpu"]

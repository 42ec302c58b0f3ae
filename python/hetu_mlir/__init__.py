"""hetu_mlir: a Hetu-style Python front end over hetu-mlir's compiler.

Hetu v1's devices, device groups and context stack (context.py); graphs of
Hetu's ops (ops.py) with Variables, initialisers, dispatch, gradients and
optimizers (graph.py), derived by the compiler's hetu-autodiff; an Executor
(executor.py) that writes the graph as hetu IR (emit.py), compiles it once
and runs it step by step in this process, keeping the parameters between
runs (a loop of run() calls trains). See docs/Python.md.
"""

from .context import (CPU, GPU, DLContext, DeviceGroup, context, cpu,
                      get_current_context, gpu, is_gpu_ctx, rcpu, rgpu)

from . import graph, ops
from .graph import (HetuError, Variable, dispatch, gradients, init, optim,
                    placeholder_op)
from .ops import *  # noqa: F401,F403 (Hetu's op names)
from .executor import Executor

__all__ = ["Executor", "HetuError", "Variable", "dispatch", "gradients", "init",
           "optim", "placeholder_op", "CPU", "GPU", "DLContext", "DeviceGroup",
           "context", "cpu", "get_current_context", "gpu", "is_gpu_ctx", "rcpu",
           "rgpu"] + list(ops.__all__)

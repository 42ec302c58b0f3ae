"""hetu_mlir: a Hetu-style Python front end over hetu-mlir's C API.

So far: devices, device groups and the context stack (Hetu v1 names). The
graph API, autodiff and Executor are tracked in issue 8.
"""

from .context import (CPU, GPU, DLContext, DeviceGroup, context, cpu,
                      get_current_context, gpu, is_gpu_ctx, rcpu, rgpu)

__all__ = ["CPU", "GPU", "DLContext", "DeviceGroup", "context", "cpu",
           "get_current_context", "gpu", "is_gpu_ctx", "rcpu", "rgpu"]

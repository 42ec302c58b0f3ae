"""ctypes bindings to hetu-mlir's C API (libHetuMLIRCAPI.so).

The library is looked up, in order: $HETU_MLIR_LIBRARY (a file), the build
tree next to this package (build/lib), the install prefix this package was
installed into (<prefix>/lib), then the dynamic loader's search path.
"""

import ctypes
import os

_NAME = "libHetuMLIRCAPI.so"
_lib = None


class _StringRef(ctypes.Structure):
    _fields_ = [("data", ctypes.c_char_p), ("length", ctypes.c_size_t)]


class _OutRef(ctypes.Structure):
    # What the library hands to callbacks: not NUL-terminated, so the data
    # is a plain pointer read with its length.
    _fields_ = [("data", ctypes.c_void_p), ("length", ctypes.c_size_t)]


_Callback = ctypes.CFUNCTYPE(None, _OutRef, ctypes.c_void_p)


def _candidates(name, env):
    path = os.environ.get(env)
    if path:
        yield path
        return
    here = os.path.dirname(os.path.abspath(__file__))
    # Source tree: python/hetu_mlir -> build/lib; installed:
    # <prefix>/lib/python3/dist-packages/hetu_mlir or <prefix>/python/hetu_mlir.
    for up in (("..", "..", "build", "lib"), ("..", "..", "lib"),
               ("..", "..", "..", "..", "lib")):
        yield os.path.normpath(os.path.join(here, *up, name))
    yield name


def load_library(name, env, setup):
    """Loads the shared library `name`, looked up in order: $`env` (a file),
    the build tree next to this package (build/lib), the install prefix
    this package was installed into (<prefix>/lib), then the dynamic
    loader's search path. `setup(lib)` declares its functions (raising
    OSError to reject it). Raises OSError naming where it looked."""
    tried = []
    for path in _candidates(name, env):
        if os.path.sep in path and not os.path.exists(path):
            tried.append(path)
            continue
        try:
            lib = ctypes.CDLL(path)
            setup(lib)
        except (OSError, AttributeError) as e:
            tried.append("%s (%s)" % (path, e))
            continue
        return lib
    raise OSError("hetu_mlir: cannot load %s (set %s); tried: %s"
                  % (name, env, "; ".join(tried)))


def _setup(lib):
    lib.hetuParseDeviceGroup.argtypes = [_StringRef, _Callback, ctypes.c_void_p]
    lib.hetuParseDeviceGroup.restype = ctypes.c_bool
    lib.hetuRunPassPipeline.argtypes = [_StringRef, _StringRef, _Callback,
                                        ctypes.c_void_p]
    lib.hetuRunPassPipeline.restype = ctypes.c_bool


def library():
    """The loaded C API library; raises OSError naming where it looked."""
    global _lib
    if _lib is None:
        _lib = load_library(_NAME, "HETU_MLIR_LIBRARY", _setup)
    return _lib


def parse_device_group(text):
    """Parses `text` as #hetu.group does: (True, canonical text) or
    (False, the parser's error message)."""
    out = []

    def collect(ref, _):
        out.append(ctypes.string_at(ref.data, ref.length).decode("utf-8", "replace"))

    data = text.encode()
    ok = library().hetuParseDeviceGroup(_StringRef(data, len(data)),
                                        _Callback(collect), None)
    return bool(ok), "".join(out)


def run_pass_pipeline(module, pipeline):
    """Runs the textual pass pipeline on the module text: (True, the
    resulting module's text) or (False, the diagnostics)."""
    out = []

    def collect(ref, _):
        out.append(ctypes.string_at(ref.data, ref.length).decode("utf-8", "replace"))

    m, p = module.encode(), pipeline.encode()
    ok = library().hetuRunPassPipeline(_StringRef(m, len(m)), _StringRef(p, len(p)),
                                       _Callback(collect), None)
    return bool(ok), "".join(out)

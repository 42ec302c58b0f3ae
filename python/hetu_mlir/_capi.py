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


def _candidates():
    env = os.environ.get("HETU_MLIR_LIBRARY")
    if env:
        yield env
        return
    here = os.path.dirname(os.path.abspath(__file__))
    # Source tree: python/hetu_mlir -> build/lib; installed:
    # <prefix>/lib/python3/dist-packages/hetu_mlir or <prefix>/python/hetu_mlir.
    for up in (("..", "..", "build", "lib"), ("..", "..", "lib"),
               ("..", "..", "..", "..", "lib")):
        yield os.path.normpath(os.path.join(here, *up, _NAME))
    yield _NAME


def library():
    """The loaded C API library; raises OSError naming where it looked."""
    global _lib
    if _lib is not None:
        return _lib
    tried = []
    for path in _candidates():
        if os.path.sep in path and not os.path.exists(path):
            tried.append(path)
            continue
        try:
            lib = ctypes.CDLL(path)
        except OSError as e:
            tried.append("%s (%s)" % (path, e))
            continue
        lib.hetuParseDeviceGroup.argtypes = [_StringRef, _Callback,
                                             ctypes.c_void_p]
        lib.hetuParseDeviceGroup.restype = ctypes.c_bool
        lib.hetuRunPassPipeline.argtypes = [_StringRef, _StringRef, _Callback,
                                            ctypes.c_void_p]
        lib.hetuRunPassPipeline.restype = ctypes.c_bool
        _lib = lib
        return lib
    raise OSError("hetu_mlir: cannot load %s (set HETU_MLIR_LIBRARY); tried: %s"
                  % (_NAME, "; ".join(tried)))


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

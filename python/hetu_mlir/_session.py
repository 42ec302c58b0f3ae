"""ctypes bindings to the session library (libhetu_session.so,
runtime/include/hetu_session.h): a model that hetu-compile wrote, run one
step at a time in this process.

    with Session("model.so") as s:
        for step in range(3):
            outs = s.step(inputs)          # one NumPy array per argument
            inputs = s.feed_back(inputs, outs)

Arguments and results are NumPy arrays in the layout Session.args and
Session.results describe (`step_shape`): a parameter or optimizer state
(`replicated`) is one copy of the per-replica shape; a data argument holds
every replica's batch, concatenated along dimension 0; a result that
updates an argument is replica 0's copy, any other result the replicas'
values concatenated (a scalar result: one value per replica).

The library is looked up, in order: $HETU_SESSION_LIBRARY (a file), the
build tree next to this package (build/lib), the install prefix this
package was installed into (<prefix>/lib), then the dynamic loader's search
path.
"""

import ctypes
import os

from ._capi import load_library

_NAME = "libhetu_session.so"
_API_VERSION = 1
_lib = None

# hetu_session.h's element types and flags.
_DTYPES = {0: "float32", 1: "float64", 2: "int32", 3: "int64"}
_TRAINABLE, _ZERO_INIT, _REPLICATED = 1, 2, 4


class SessionError(RuntimeError):
    """A session could not be opened, or a step failed."""


class _Value(ctypes.Structure):
    _fields_ = [("element", ctypes.c_int32), ("flags", ctypes.c_int32),
                ("rank", ctypes.c_int64),
                ("shape", ctypes.POINTER(ctypes.c_int64)),
                ("step_rank", ctypes.c_int64),
                ("step_shape", ctypes.POINTER(ctypes.c_int64)),
                ("step_bytes", ctypes.c_int64), ("updates", ctypes.c_int64)]


class _Stats(ctypes.Structure):
    _fields_ = [("steps", ctypes.c_int64), ("last_step_seconds", ctypes.c_double),
                ("total_step_seconds", ctypes.c_double),
                ("bytes_sent", ctypes.c_int64), ("bytes_received", ctypes.c_int64),
                ("comm_seconds", ctypes.c_double)]


def _setup(lib):
    version = lib.hetu_session_api_version()
    if version != _API_VERSION:
        raise OSError("API version %d, this module needs %d" % (version, _API_VERSION))
    p, i64, err = ctypes.c_void_p, ctypes.c_int64, ctypes.c_char_p
    lib.hetu_session_open.argtypes = [ctypes.c_char_p, ctypes.c_char_p, err,
                                      ctypes.c_size_t]
    lib.hetu_session_open.restype = p
    lib.hetu_session_close.argtypes = [p]
    lib.hetu_session_close.restype = None
    for name in ("num_replicas", "num_ranks", "num_args", "num_results"):
        f = getattr(lib, "hetu_session_" + name)
        f.argtypes, f.restype = [p], i64
    for name in ("arg", "result"):
        f = getattr(lib, "hetu_session_" + name)
        f.argtypes, f.restype = [p, i64, ctypes.POINTER(_Value)], ctypes.c_int
    lib.hetu_session_step.argtypes = [p, ctypes.POINTER(p), ctypes.POINTER(p),
                                      err, ctypes.c_size_t]
    lib.hetu_session_step.restype = ctypes.c_int
    lib.hetu_session_get_stats.argtypes = [p, ctypes.POINTER(_Stats)]
    lib.hetu_session_read.argtypes = [p, i64, p, err, ctypes.c_size_t]
    lib.hetu_session_read.restype = ctypes.c_int
    lib.hetu_session_get_stats.restype = None


def library():
    """The loaded session library (found as _capi finds the C API:
    $HETU_SESSION_LIBRARY first); raises OSError naming where it looked."""
    global _lib
    if _lib is None:
        _lib = load_library(_NAME, "HETU_SESSION_LIBRARY", _setup)
    return _lib


class Value:
    """An argument or result of the compiled step.

    shape: what one replica sees; step_shape: the array Session.step takes
    or returns; dtype: a NumPy dtype name; trainable, zero_init (optimizer
    state that starts at zero), replicated (one copy for every replica);
    updates: for a result, the argument it updates, for an argument, the
    result that updates it (None if none)."""

    __slots__ = ("index", "shape", "step_shape", "dtype", "trainable",
                 "zero_init", "replicated", "updates")

    def __init__(self, index, v):
        self.index = index
        self.shape = tuple(v.shape[d] for d in range(v.rank))
        self.step_shape = tuple(v.step_shape[d] for d in range(v.step_rank))
        self.dtype = _DTYPES.get(v.element, "unknown")
        self.trainable = bool(v.flags & _TRAINABLE)
        self.zero_init = bool(v.flags & _ZERO_INIT)
        self.replicated = bool(v.flags & _REPLICATED)
        self.updates = None if v.updates < 0 else int(v.updates)

    def __repr__(self):
        flags = [f for f in ("trainable", "zero_init", "replicated") if getattr(self, f)]
        return "Value(%d, shape=%s, step_shape=%s, dtype=%s%s%s)" % (
            self.index, self.shape, self.step_shape, self.dtype,
            "".join(", " + f for f in flags),
            "" if self.updates is None else ", updates=%d" % self.updates)


class Session:
    """A model compiled by hetu-compile, opened in this process.

    backend: "threads" (a --target=cpu model) or "cuda" (--target=cuda).
    Several sessions may be open in a process; their steps run one at a
    time (the runtime, one per process, restarts when another session
    steps). close() a session (or use it as a context manager) to unload
    its model."""

    _ERROR_SIZE = 4096

    def __init__(self, path, backend="threads"):
        self._handle = None
        lib = library()
        error = ctypes.create_string_buffer(self._ERROR_SIZE)
        handle = lib.hetu_session_open(os.fsencode(path), backend.encode(), error,
                                       self._ERROR_SIZE)
        if not handle:
            raise SessionError(error.value.decode("utf-8", "replace"))
        self._handle = handle
        self._lib = lib
        self.path = path
        self.backend = backend
        self.num_replicas = lib.hetu_session_num_replicas(handle)
        self.num_ranks = lib.hetu_session_num_ranks(handle)
        self.args = self._values(lib.hetu_session_num_args, lib.hetu_session_arg)
        self.results = self._values(lib.hetu_session_num_results,
                                    lib.hetu_session_result)

    def _values(self, count, describe):
        out = []
        for i in range(count(self._handle)):
            v = _Value()
            if describe(self._handle, i, ctypes.byref(v)) != 0:
                raise SessionError("cannot describe value %d" % i)
            out.append(Value(i, v))
        return out

    def _check_open(self):
        if self._handle is None:
            raise SessionError("the session is closed")

    def _prepare(self, arrays):
        """The step's argument arrays, checked (and made contiguous)."""
        import numpy as np
        if len(arrays) != len(self.args):
            raise ValueError("the step takes %d arguments, got %d"
                             % (len(self.args), len(arrays)))
        out = []
        for a, x in zip(self.args, arrays):
            if x is None:
                if a.updates is None:
                    raise ValueError("argument %d: None is only for an argument a result "
                                     "updates (it keeps that result)" % a.index)
                out.append(None)
                continue
            want = np.dtype(a.dtype)
            if isinstance(x, np.ndarray):
                if x.dtype != want:
                    raise TypeError("argument %d: element type %s, expected %s"
                                    % (a.index, x.dtype, want))
            else:
                # Python numbers and lists take the argument's type.
                x = np.asarray(x, dtype=want)
            if x.shape != a.step_shape:
                what = ("the per-replica shape" if a.replicated or not a.shape
                        else "%d replicas' batches along dimension 0"
                        % self.num_replicas)
                raise ValueError("argument %d: shape %s, expected %s (%s)"
                                 % (a.index, x.shape, a.step_shape, what))
            out.append(np.ascontiguousarray(x))
        return out

    def step(self, arrays, want=None):
        """Runs one step on `arrays` (one per argument, in the layout of
        Session.args' step_shape and dtype; NumPy arrays must have that
        dtype; None, after a step, for an argument a result updates: it
        keeps that result, in the ranks' own buffers while all of them do)
        and returns the results as new NumPy arrays (only those whose index
        is in `want`, if given; None for the others)."""
        import numpy as np
        self._check_open()
        arrays = self._prepare(list(arrays))
        wanted = set(range(len(self.results)) if want is None else want)
        results = [np.empty(r.step_shape, dtype=np.dtype(r.dtype)) if r.index in wanted
                   else None for r in self.results]
        P = ctypes.c_void_p
        args = (P * max(1, len(arrays)))(*[x.ctypes.data if x is not None else None
                                           for x in arrays])
        outs = (P * max(1, len(results)))(*[y.ctypes.data if y is not None else None
                                            for y in results])
        error = ctypes.create_string_buffer(self._ERROR_SIZE)
        if self._lib.hetu_session_step(self._handle, args, outs, error,
                                       self._ERROR_SIZE) != 0:
            raise SessionError(error.value.decode("utf-8", "replace"))
        return results

    def feed_back(self, arrays, results):
        """The next step's arguments: `arrays` with every argument a result
        updates replaced by that result."""
        arrays = list(arrays)
        for r in self.results:
            if r.updates is not None:
                arrays[r.updates] = results[r.index]
        return arrays

    def read(self, index):
        """The value argument `index` keeps from the last step (an argument
        a result updates), as a new NumPy array."""
        import numpy as np
        self._check_open()
        a = self.args[index]
        out = np.empty(a.step_shape, dtype=np.dtype(a.dtype))
        error = ctypes.create_string_buffer(self._ERROR_SIZE)
        if self._lib.hetu_session_read(self._handle, index, out.ctypes.data, error,
                                       self._ERROR_SIZE) != 0:
            raise SessionError(error.value.decode("utf-8", "replace"))
        return out

    def stats(self):
        """Statistics since the session was opened (a dict): steps,
        last_step_seconds, total_step_seconds, bytes_sent, bytes_received,
        comm_seconds."""
        self._check_open()
        s = _Stats()
        self._lib.hetu_session_get_stats(self._handle, ctypes.byref(s))
        return {name: getattr(s, name) for name, _ in _Stats._fields_}

    def close(self):
        """Unloads the model and stops the runtime (a second close does
        nothing)."""
        if self._handle is not None:
            self._lib.hetu_session_close(self._handle)
            self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

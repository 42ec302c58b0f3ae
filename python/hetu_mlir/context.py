"""Devices, device groups and the context stack, with Hetu v1's names.

Every DeviceGroup, however it is built (a string, contexts, tuples, lists),
is checked and canonicalised by the compiler's own #hetu.group parser
through the C API, so Python and C++ accept the same groups with the same
errors, and str(group) is the text to put in #hetu.group<"...">.
"""

import contextlib

from . import _capi

CPU, GPU = 1, 2
_KIND = {CPU: "cpu", GPU: "gpu"}


class DLContext:
    """One device: (device_type, device_id) on a host ('localhost' when
    local). Hashes and compares like Hetu's: local contexts by kind and
    index, remote ones by host too."""

    def __init__(self, device_type, device_id, hostname="localhost"):
        if device_type not in _KIND:
            raise ValueError("device_type must be 1 (cpu) or 2 (gpu), got %r"
                             % (device_type,))
        if not isinstance(device_id, int) or device_id < 0:
            raise ValueError("device index must be a non-negative integer, "
                             "got %r" % (device_id,))
        # As the compiler: only "localhost" is local (a machine's own name is
        # a remote host like any other).
        self.hostname = str(hostname).lower()
        self.local = self.hostname == "localhost"
        self.device_type = device_type
        self.device_id = device_id

    def _key(self):
        if self.local:
            return (self.device_type, self.device_id)
        return (self.hostname, self.device_type, self.device_id)

    def __hash__(self):
        return hash(self._key())

    def __eq__(self, other):
        return isinstance(other, DLContext) and self._key() == other._key()

    def __ne__(self, other):
        return not self == other

    def __str__(self):
        text = "%s:%d" % (_KIND[self.device_type], self.device_id)
        return text if self.local else "%s:%s" % (self.hostname, text)

    def __repr__(self):
        if self.local:
            return "%s(%d)" % (_KIND[self.device_type], self.device_id)
        return "r%s(%r, %d)" % (_KIND[self.device_type], self.hostname,
                                self.device_id)


def cpu(dev_id=0):
    return DLContext(CPU, dev_id)


def gpu(dev_id=0):
    return DLContext(GPU, dev_id)


def rcpu(hostname, dev_id=0):
    return DLContext(CPU, dev_id, hostname)


def rgpu(hostname, dev_id=0):
    return DLContext(GPU, dev_id, hostname)


def is_gpu_ctx(ctx):
    return isinstance(ctx, DLContext) and ctx.device_type == GPU


def _device(text):
    parts = text.split(":")
    host = parts[0] if len(parts) == 3 else "localhost"
    return DLContext(CPU if parts[-2] == "cpu" else GPU, int(parts[-1]), host)


def _entries(canonical):
    """The contexts of a canonical group text: devices and tuples."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(canonical + ","):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            token = canonical[start:i]
            start = i + 1
            if token.startswith("("):
                out.append(tuple(_device(t) for t in token[1:-1].split(",")))
            else:
                out.append(_device(token))
    return out


def _text(ctx):
    """Group text for one element of a list given to DeviceGroup."""
    if isinstance(ctx, tuple):
        return "(%s)" % ",".join(_text(c) for c in ctx)
    if isinstance(ctx, (DLContext, str)):
        return str(ctx)
    raise TypeError("a device group holds devices, device strings and tuples "
                    "of them, not %r" % (ctx,))


class DeviceGroup:
    """Hetu's DeviceGroup: an ordered list of contexts; a tuple is one
    model-parallel worker, a GPU another worker, a CPU a parameter server.

    Accepts a DeviceGroup, a string ("gpu:0,gpu:1", ';', ',' and spaces
    separate; "(gpu:0,gpu:1),(gpu:2,gpu:3)" writes tuples), a context, a
    tuple, or a list of those. Raises ValueError with the compiler's message
    on a malformed group."""

    def __init__(self, ctxs):
        if isinstance(ctxs, DeviceGroup):
            text = str(ctxs)
        elif isinstance(ctxs, str):
            text = ctxs
        else:
            if not isinstance(ctxs, list):
                ctxs = [ctxs]
            text = ",".join(_text(c) for c in ctxs)
        ok, out = _capi.parse_device_group(text)
        if not ok:
            raise ValueError(out)
        self._text = out
        self._contexts = _entries(out)
        self._workers = [c for c in self._contexts
                         if isinstance(c, tuple) or is_gpu_ctx(c)]
        self._servers = [c for c in self._contexts
                         if not (isinstance(c, tuple) or is_gpu_ctx(c))]

    @property
    def workers(self):
        return list(self._workers)

    @property
    def servers(self):
        return list(self._servers)

    @property
    def worker_num(self):
        return len(self._workers)

    @property
    def server_num(self):
        return len(self._servers)

    @property
    def is_mp(self):
        """Whether the workers are model-parallel tuples."""
        return any(isinstance(w, tuple) for w in self._workers)

    @property
    def mp_dev_num(self):
        """Devices per worker (1 without model parallelism; the largest
        worker when sizes differ, which placements reject)."""
        return max(len(w) if isinstance(w, tuple) else 1 for w in self._workers) \
            if self._workers else 1

    def index(self, ctx):
        return self._contexts.index(ctx)

    def __getitem__(self, key):
        # As Hetu's HEAD: indexing selects workers.
        return self._workers[key]

    def __iter__(self):
        return iter(self._contexts)

    def __len__(self):
        return len(self._contexts)

    def __hash__(self):
        return hash(tuple(self._contexts))

    def __eq__(self, other):
        # Order-sensitive, as Hetu since 633ae6a.
        return (isinstance(other, DeviceGroup) and
                self._contexts == other._contexts)

    def __ne__(self, other):
        return not self == other

    def __str__(self):
        return self._text

    def __repr__(self):
        return "DeviceGroup(%r)" % self._text

    def mlir(self):
        """The group as an MLIR attribute."""
        return '#hetu.group<"%s">' % self._text


_stack = []


def get_current_context():
    """The innermost `with context(...)` group, or None."""
    return _stack[-1] if _stack else None


@contextlib.contextmanager
def context(ctx):
    """`with context("gpu:0,gpu:1"):` places what is built inside on the
    group (Hetu's ht.context)."""
    group = DeviceGroup(ctx)
    _stack.append(group)
    try:
        yield group
    finally:
        _stack.pop()

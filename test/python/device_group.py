# hetu_mlir's DeviceGroup parses as the compiler does (the C API against
# hetu-opt's #hetu.group parser, malformed strings included), and behaves as
# Hetu's DeviceGroup and context stack.
# RUN: %PYTHON %s hetu-opt | FileCheck %s
# RUN: env PYTHONPATH=%hetu_src/python HETU_MLIR_LIBRARY=%t.missing.so not %python -c "import hetu_mlir; hetu_mlir.DeviceGroup('gpu:0')" 2>&1 | FileCheck %s --check-prefix=NOLIB
#
# CHECK-NOT: DISAGREE
# CHECK: 'cpu:0;gpu:1 gpu:2' ok cpu:0,gpu:1,gpu:2
# CHECK: 'daim118:gpu:2,daim118:gpu:3' ok daim118:gpu:2,daim118:gpu:3
# CHECK: '(gpu:1,gpu:2),(gpu:5,gpu:6)' ok (gpu:1,gpu:2),(gpu:5,gpu:6)
# CHECK: 'gpu:0,gpu:0' err device 'gpu:0' is listed twice in group 'gpu:0,gpu:0'
# CHECK: 'xpu:1' err invalid device 'xpu:1': expected [host:](cpu|gpu):index
# CHECK: '((gpu:0))' err nested '(' in group '((gpu:0))': a tuple holds devices only
# CHECK: agree: 21 of 21
# CHECK: tuples: (gpu:1,gpu:2),(gpu:5,gpu:6) True 2 0 True 2 (gpu(5), gpu(6))
# CHECK: ps: cpu:0,gpu:1,gpu:2 [cpu(0)] [gpu(1), gpu(2)] 1 2
# CHECK: order: False True 2 1 2
# CHECK: remote: daim118:gpu:2,gpu:1 True False rcpu('h', 3)
# CHECK: attr: #hetu.group<"gpu:3">
# CHECK: inner: (gpu:2,gpu:3)
# CHECK: outer: True
# CHECK: after: None
# CHECK: rejected: ValueError device 'gpu:0' is listed twice in group 'gpu:0,gpu:0'
# CHECK: rejected: TypeError a device group holds devices, device strings and tuples of them, not 1
# CHECK: rejected: TypeError
# CHECK: rejected: device index must be a non-negative integer, got -1
# NOLIB: OSError: hetu_mlir: cannot load libHetuMLIRCAPI.so (set HETU_MLIR_LIBRARY); tried: {{.*}}missing.so

"""Checks hetu_mlir's DeviceGroup against the compiler: every string of the
table is parsed by hetu_mlir (C API) and by hetu-opt (#hetu.group in a
module); both must accept it with the same canonical text or reject it with
the same message. Then the Hetu behaviours of the Python objects."""
import subprocess
import sys

import hetu_mlir as ht

hetu_opt = sys.argv[1]

TABLE = [
    "gpu:0", "gpu:0,gpu:1,gpu:2,gpu:3", "cpu:0;gpu:1 gpu:2", "GPU:1,Gpu:2",
    "gpu:0, gpu:1", "daim118:gpu:2,daim118:gpu:3", "(gpu:1,gpu:2),(gpu:5,gpu:6)",
    "cpu:0,(gpu:0,gpu:1)", "(gpu:0)",
    # Malformed.
    "", "gpu:0,gpu:0", "xpu:1", "gpu:-1", "gpu:x", "gpu", "a:b:gpu:0",
    "(gpu:0,gpu:1", "gpu:0)", "((gpu:0))", "(gpu:0,cpu:1)", "()",
]


def compiler(text):
    module = 'module attributes {test.g = #hetu.group<"%s">} {}\n' % text
    p = subprocess.run([hetu_opt], input=module, capture_output=True, text=True)
    if p.returncode == 0:
        return True, p.stdout.split('#hetu.group<"')[1].split('">')[0]
    first = p.stderr.splitlines()[0]
    return False, first.split("error: ", 1)[1]


agree = 0
for text in TABLE:
    try:
        py = (True, str(ht.DeviceGroup(text)))
    except ValueError as e:
        py = (False, str(e))
    cc = compiler(text)
    if py != cc:
        print("DISAGREE on %r: python %r, hetu-opt %r" % (text, py, cc))
    else:
        agree += 1
        print("%-30r %s %s" % (text, "ok " if py[0] else "err", py[1]))
print("agree: %d of %d" % (agree, len(TABLE)))

# Built from contexts and tuples: the same group as the string.
g = ht.DeviceGroup([(ht.gpu(1), ht.gpu(2)), (ht.gpu(5), ht.gpu(6))])
print("tuples:", g, g == ht.DeviceGroup("(gpu:1,gpu:2),(gpu:5,gpu:6)"),
      g.worker_num, g.server_num, g.is_mp, g.mp_dev_num, g[1])
ps = ht.DeviceGroup([ht.cpu(0), ht.gpu(1), "gpu:2"])
print("ps:", ps, ps.servers, ps.workers, ps.server_num, ps.worker_num)
# Order-sensitive equality, hashing, indexing.
a, b = ht.DeviceGroup("gpu:0,gpu:1"), ht.DeviceGroup("gpu:1,gpu:0")
print("order:", a == b, a == ht.DeviceGroup([ht.gpu(0), ht.gpu(1)]),
      len({a, b, ht.DeviceGroup("gpu:0;gpu:1")}), a.index(ht.gpu(1)), len(a))
print("remote:", ht.DeviceGroup([ht.rgpu("Daim118", 2), ht.rgpu("localhost", 1)]),
      ht.rgpu("daim118", 2) == ht.rgpu("DAIM118", 2), ht.rgpu("h", 1) == ht.gpu(1),
      repr(ht.rcpu("h", 3)))
print("attr:", ht.DeviceGroup(ht.gpu(3)).mlir())
# The context stack.
with ht.context("gpu:0,gpu:1") as outer:
    with ht.context((ht.gpu(2), ht.gpu(3))):
        print("inner:", ht.get_current_context())
    print("outer:", ht.get_current_context() is outer)
print("after:", ht.get_current_context())
for bad in ([ht.gpu(0), ht.gpu(0)], [1], ht.DLContext):
    try:
        ht.DeviceGroup(bad)
        print("accepted", bad)
    except (ValueError, TypeError) as e:
        print("rejected:", type(e).__name__, e)
try:
    ht.gpu(-1)
except ValueError as e:
    print("rejected:", e)

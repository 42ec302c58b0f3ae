"""Writes inputs for npy.test and checks hetu-run's output, without numpy."""
import ast
import struct
import sys


def write(path, shape, values):
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % (
        "".join("%d, " % s for s in shape))
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
        f.write(header.encode())
        f.write(struct.pack("<%df" % len(values), *values))


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<H", data[8:10])[0]
    header = ast.literal_eval(data[10:10 + n].decode())
    count = 1
    for s in header["shape"]:
        count *= s
    return header["shape"], list(struct.unpack("<%df" % count, data[10 + n:]))


if sys.argv[1] == "write":
    d = sys.argv[2]
    # Two replicas' batches of 2 rows, concatenated: x is 4x3.
    write(d + "/x.npy", (4, 3), [float(i) for i in range(12)])
    write(d + "/w.npy", (3, 2), [1, 0, 0, 1, 1, 1])
else:
    shape, out = read(sys.argv[2] + "/output0.npy")
    x = [float(i) for i in range(12)]
    w = [1, 0, 0, 1, 1, 1]
    expected = [sum(x[r * 3 + k] * w[k * 2 + c] for k in range(3))
                for r in range(4) for c in range(2)]
    print("shape", shape, "match" if out == expected else "DIFFER %s" % out)

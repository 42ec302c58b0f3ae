#!/usr/bin/env python3
"""same_outputs.py DIR_A DIR_B RTOL: the .npy files of two --outputs
directories hold the same values (relative to each array's largest
magnitude)."""
import glob
import os
import sys

import numpy as np

a_dir, b_dir, rtol = sys.argv[1], sys.argv[2], float(sys.argv[3])
names = sorted(os.path.basename(f) for f in glob.glob(os.path.join(a_dir, "*.npy")))
assert names, "no outputs in " + a_dir
assert names == sorted(os.path.basename(f) for f in glob.glob(os.path.join(b_dir, "*.npy"))), "different outputs"
worst = 0.0
for n in names:
    a, b = np.load(os.path.join(a_dir, n)), np.load(os.path.join(b_dir, n))
    assert a.shape == b.shape, n
    worst = max(worst, float(np.max(np.abs(a - b)) / max(np.max(np.abs(a)), 1e-30)))
print("same outputs: %d arrays, largest relative difference %.3g: %s"
      % (len(names), worst, "ok" if worst <= rtol else "MISMATCH"))
sys.exit(0 if worst <= rtol else 1)

"""same_bits.py A.npy B.npy: exits 0 when both hold the same float32 array,
bit for bit (shape, dtype and every bit pattern); prints the verdict."""

import sys

import numpy as np

a, b = np.load(sys.argv[1]), np.load(sys.argv[2])
if a.shape != b.shape or a.dtype != b.dtype:
    print(f"DIFFERENT: {a.dtype}{list(a.shape)} vs {b.dtype}{list(b.shape)}")
    sys.exit(1)
differing = np.count_nonzero(a.view(np.uint32) != b.view(np.uint32))
if differing:
    print(f"DIFFERENT: {differing} of {a.size} values")
    sys.exit(1)
print(f"SAME BITS: {a.dtype}{list(a.shape)}")

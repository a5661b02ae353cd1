"""Compares two .npy arrays: compare.py ACTUAL.npy EXPECTED.npy [--rtol R] [--atol A]

An element matches when |actual - expected| <= atol + rtol * |expected|
(numpy.isclose's rule); NaN never matches. Prints the shapes' verdict and
the largest absolute and relative errors; exits 1 on any mismatch,
including a shape or dtype mismatch.
"""

import argparse
import sys

import numpy as np


def outside_rule(actual, expected, rtol=1e-4, atol=1e-5):
    """The elements that break the rule, as a boolean array (NaN breaks it)."""
    a64, b64 = actual.astype(np.float64), expected.astype(np.float64)
    return ~(np.abs(a64 - b64) <= atol + rtol * np.abs(b64))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("actual")
    p.add_argument("expected")
    p.add_argument("--rtol", type=float, default=1e-4)
    p.add_argument("--atol", type=float, default=1e-5)
    args = p.parse_args()
    try:
        a, b = np.load(args.actual), np.load(args.expected)
    except (OSError, ValueError) as e:
        print(f"compare.py: error: {e}")
        return 1
    if a.shape != b.shape:
        print(f"MISMATCH: shape {list(a.shape)} != expected {list(b.shape)}")
        return 1
    if a.dtype != b.dtype:
        print(f"MISMATCH: dtype {a.dtype} != expected {b.dtype}")
        return 1
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    diff = np.abs(a64 - b64)
    rel = diff / np.maximum(np.abs(b64), np.finfo(np.float64).tiny)
    bad = outside_rule(a, b, args.rtol, args.atol)
    worst_abs = float(np.nanmax(diff)) if diff.size else 0.0
    worst_rel = float(np.nanmax(rel)) if rel.size else 0.0
    nan = int(np.isnan(diff).sum())
    verdict = "MISMATCH" if bad.any() else "OK"
    print(f"{verdict}: shape {list(a.shape)}, max abs error {worst_abs:.3g}, "
          f"max rel error {worst_rel:.3g}, {int(bad.sum())} of {a.size} "
          f"outside rtol={args.rtol:g} atol={args.atol:g}"
          + (f", {nan} NaN" if nan else ""))
    return 1 if bad.any() else 0


if __name__ == "__main__":
    sys.exit(main())

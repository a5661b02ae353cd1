#!/usr/bin/python3
"""Writes a uniform random edge_index .npy (int64 [2, E]) of any size in
bounded memory, a chunk of edges at a time into a memory-mapped file: the
input for timing `gnn-graph convert` on an edge list too big to hold
(bench/billion-edges.md).

  edge-list-npy.py --vertices N --edges E --out FILE.npy [--seed S]
"""
import argparse

import numpy as np

CHUNK = 1 << 25  # edges per step: 512 MiB of int64 sources + targets


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--vertices", type=int, required=True)
    p.add_argument("--edges", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    rng = np.random.default_rng(a.seed)
    out = np.lib.format.open_memmap(a.out, mode="w+", dtype=np.int64,
                                    shape=(2, a.edges))
    for first in range(0, a.edges, CHUNK):
        n = min(CHUNK, a.edges - first)
        out[:, first:first + n] = rng.integers(0, a.vertices, size=(2, n))
        out.flush()
    del out


if __name__ == "__main__":
    main()

"""Random inputs for end-to-end tests (python3 + numpy only).

  make_inputs.py --vertices N --edges E [--features F] [--seed S] --out PREFIX
                 [--params conv1.lin.weight:8x16,conv1.bias:8,...]
                 [--isolated K] [--edge-features D]

writes PREFIX.edges.npy (int64 edge_index [2, E]), PREFIX.features.npy
(float32 [N, F], when F > 0), PREFIX.edge_attr.npy (float32 [E, D] in the
edge order of PREFIX.edges.npy, when D > 0) and PREFIX.weights.safetensors (when --params
is given), and prints a one-line summary of the graph.

The graph is made to hit the cases GCN-style normalisation gets wrong:
K isolated vertices (default N // 5; they touch no edge, yet still get a
self loop in PyG), self loops already present (about E / 20, with at least
one vertex holding two), duplicated edges (about E / 20, each a copy of
another edge), all in shuffled order. The same arguments give the same bytes.
"""

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)),
                                "..", "..", "scripts"))
import gnnweights  # noqa: E402


def make_graph(rng, n, e, isolated):
    """Returns (edge_index [2, e] int64, the number of isolated vertices)."""
    if e == 0:
        return np.zeros((2, 0), dtype=np.int64), n
    if n == 0:
        raise SystemExit("make_inputs.py: error: edges need at least one vertex")
    isolated = min(n // 5 if isolated is None else isolated, n - 1)
    active = rng.permutation(n)[isolated:]
    a = len(active)

    loops = e if a == 1 else max(1, e // 20)
    dups = 0 if a == 1 else max(0, min(e // 20, e - loops - 1))
    base = e - loops - dups

    loop_vertices = rng.choice(active, size=loops)
    if loops >= 2:
        loop_vertices[1] = loop_vertices[0]  # One vertex with two loops.
    # Distinct endpoints: the target is a nonzero offset away in `active`.
    i = rng.integers(0, a, size=base)
    j = (i + rng.integers(1, max(a, 2), size=base)) % a
    src, dst = active[i], active[j]
    copies = rng.integers(0, base, size=dups) if base else np.zeros(0, np.int64)

    src = np.concatenate([src, loop_vertices, src[copies]])
    dst = np.concatenate([dst, loop_vertices, dst[copies]])
    order = rng.permutation(e)
    return np.stack([src[order], dst[order]]).astype(np.int64), isolated


def parse_params(text):
    specs = []
    for item in filter(None, text.split(",")):
        name, _, shape = item.partition(":")
        specs.append((name, gnnweights.parse_shape(shape)))
    return specs


def main():
    p = argparse.ArgumentParser(description="random graph, features and weights")
    p.add_argument("--vertices", type=int, required=True)
    p.add_argument("--edges", type=int, required=True)
    p.add_argument("--features", type=int, default=0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", required=True, help="output prefix")
    p.add_argument("--params", default="", help="name:AxB,name:C,...")
    p.add_argument("--isolated", type=int, default=None,
                   help="vertices that touch no edge (default N // 5)")
    p.add_argument("--edge-features", type=int, default=0,
                   help="write D features per edge (PREFIX.edge_attr.npy)")
    args = p.parse_args()

    rng = np.random.default_rng(args.seed)
    edges, isolated = make_graph(rng, args.vertices, args.edges, args.isolated)
    np.save(args.out + ".edges.npy", edges)
    if args.features > 0:
        x = rng.uniform(-1, 1, size=(args.vertices, args.features))
        np.save(args.out + ".features.npy", x.astype(np.float32))
    if args.edge_features > 0:
        # From their own generator: the other files stay as they were.
        erng = np.random.default_rng(args.seed + 1000)
        ea = erng.uniform(-1, 1, size=(edges.shape[1], args.edge_features))
        np.save(args.out + ".edge_attr.npy", ea.astype(np.float32))
    if args.params:
        weights = gnnweights.random_params(parse_params(args.params), args.seed + 1)
        gnnweights.write_safetensors(args.out + ".weights.safetensors", weights)

    src, dst = edges
    loops = src == dst
    loop_counts = np.bincount(src[loops], minlength=args.vertices)
    pairs = {(int(s), int(d)) for s, d in zip(src[~loops], dst[~loops])}
    print(f"{args.out}: {args.vertices} vertices ({isolated} isolated), "
          f"{edges.shape[1]} edges ({int(loops.sum())} self loops, "
          f"{int((loop_counts >= 2).sum())} vertices with several, "
          f"{int((~loops).sum()) - len(pairs)} duplicated edges)")


if __name__ == "__main__":
    main()

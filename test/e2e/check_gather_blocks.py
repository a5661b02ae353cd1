#!/usr/bin/python3
"""Runs a model unblocked and over blocks of sources, and compares.

  check_gather_blocks.py MODEL --out DIR [--blocks 2,3,7] [--set k=v]...

Generates a random graph (make_inputs.py: isolated vertices, stored self
loops, duplicate edges) and weights, runs gnn-run with --gather-blocks 1
(unblocked) and then each block count, on 1 and 2 threads. Blocks fold a
target's in-edges from lower sources first, so sums are regrouped: the
outputs are compared within 1e-5 of the largest magnitude of each output
column. The same graph with its edges sorted by (target, source) keeps
every in-edge list in source order, which blocks do not change: there the
outputs must be equal bit for bit (--sorted-within: within 1e-5, for the
online softmax, whose blocked kernels were seen to round a last bit
differently from the whole one).
Prints one line per block count.
"""

import argparse
import os

import numpy as np

from model_run_inputs import prepare, run


def main():
    p = argparse.ArgumentParser()
    p.add_argument("model")
    p.add_argument("--out", required=True)
    p.add_argument("--blocks", default="2,3,7")
    p.add_argument("--vertices", type=int, default=80)
    p.add_argument("--edges", type=int, default=600)
    p.add_argument("--features", type=int, default=12)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--set", action="append", default=[])
    p.add_argument("--sorted-within", action="store_true",
                   help="on sorted in-edges compare within 1e-5, not bits")
    a = p.parse_args()
    sets, weights, prefix = prepare(a.model, a.out, vertices=a.vertices, edges=a.edges,
                                    features=a.features, edge_features=0,
                                    seed=a.seed, sets=a.set)
    edges = np.load(prefix + ".edges.npy")
    order = np.lexsort((edges[0], edges[1]))  # by target, then source
    np.save(prefix + ".sorted.npy", np.ascontiguousarray(edges[:, order]))
    name = os.path.basename(a.model)

    def gnn_run(graph, blocks, threads, out):
        stats = run(["gnn-run", a.model, "--weights", weights, "--output", out,
                     "--graph", graph, "--features", prefix + ".features.npy",
                     "--gather-blocks", str(blocks), "--threads", str(threads),
                     "--stats"] + sets)
        chosen = [line for line in stats.splitlines() if line.startswith("gather blocks: ")]
        return np.load(out), chosen

    base, chosen = gnn_run(prefix + ".edges.npy", 1, 1, os.path.join(a.out, "b1.npy"))
    if not chosen:
        raise SystemExit(f"{name}: no message stage has a blocked form")
    sorted_base, _ = gnn_run(prefix + ".sorted.npy", 1, 1, os.path.join(a.out, "s1.npy"))
    scale = np.maximum(np.abs(base).max(axis=0), 1e-30)
    for blocks in [int(b) for b in a.blocks.split(",")]:
        out, chosen = gnn_run(prefix + ".edges.npy", blocks, 1,
                              os.path.join(a.out, f"b{blocks}.npy"))
        if not all(line.startswith(f"gather blocks: {blocks} for ") for line in chosen):
            raise SystemExit(f"{name}: asked for {blocks} blocks, ran {chosen}")
        err = (np.abs(out - base) / scale).max()
        if not err <= 1e-5:
            raise SystemExit(f"{name}: {blocks} blocks differ by {err:g} of a column's largest value")
        two, _ = gnn_run(prefix + ".edges.npy", blocks, 2,
                         os.path.join(a.out, f"b{blocks}t2.npy"))
        if two.tobytes() != out.tobytes():
            raise SystemExit(f"{name}: {blocks} blocks on 2 threads differ from 1 thread")
        srt, _ = gnn_run(prefix + ".sorted.npy", blocks, 2,
                         os.path.join(a.out, f"s{blocks}.npy"))
        if a.sorted_within:
            err = (np.abs(srt - sorted_base) / scale).max()
            if not err <= 1e-5:
                raise SystemExit(f"{name}: {blocks} blocks on sorted in-edges differ by {err:g}")
            sorted_result = "within 1e-5 on sorted in-edges"
        elif srt.tobytes() != sorted_base.tobytes():
            raise SystemExit(f"{name}: {blocks} blocks change bits on in-edges in source order")
        else:
            sorted_result = "bitwise on sorted in-edges"
        print(f"{name} blocks={blocks} stages={len(chosen)}: within 1e-5, "
              f"{sorted_result}, bitwise across threads")


if __name__ == "__main__":
    main()

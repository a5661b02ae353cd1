#!/usr/bin/python3
"""Runs a model with --threads 1, 2, 3, 4 and compares the outputs' bits.

  check_threads.py MODEL --out DIR [--threads 1,2,3,4] [--vertices N]
                   [--edges E] [--features F] [--edge-features D]
                   [--set k=v]... [--compiled]

Generates a random graph (isolated vertices, stored self loops, duplicate
edges: make_inputs.py) and weights for the model's parameters, runs
gnn-run once per thread count and prints one line per count: "identical"
when the output equals the first count's bit for bit, else how many
elements differ and by how much. A destination's in-edges are summed by
one thread in CSR order, and the dense steps must not regroup their sums
by thread either, so any difference is a fault. With --compiled the model
is compiled once (gnnc --emit=artifact) and each run loads it.
"""

import argparse
import os

import numpy as np

from model_run_inputs import prepare, run


def main():
    p = argparse.ArgumentParser()
    p.add_argument("model")
    p.add_argument("--out", required=True)
    p.add_argument("--threads", default="1,2,3,4")
    p.add_argument("--vertices", type=int, default=1500)
    p.add_argument("--edges", type=int, default=12000)
    p.add_argument("--features", type=int, default=96)
    p.add_argument("--edge-features", type=int, default=0)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--set", action="append", default=[])
    p.add_argument("--compiled", action="store_true")
    a = p.parse_args()
    sets, weights, prefix = prepare(a.model, a.out, vertices=a.vertices, edges=a.edges,
                                    features=a.features, edge_features=a.edge_features,
                                    seed=a.seed, sets=a.set)
    inputs = ["--graph", prefix + ".edges.npy", "--features", prefix + ".features.npy",
              "--weights", weights]
    if a.edge_features:
        inputs += ["--edge-attr", prefix + ".edge_attr.npy"]
    if a.compiled:
        artifact = os.path.join(a.out, "model.gnnc")
        run(["gnnc", a.model, "--emit=artifact", "-o", artifact] + sets)
        model = ["--compiled", artifact]
    else:
        model = [a.model] + sets
    name = os.path.basename(a.model)
    first = None
    for threads in [int(t) for t in a.threads.split(",")]:
        out = os.path.join(a.out, f"t{threads}.npy")
        run(["gnn-run"] + model + inputs + ["--threads", str(threads), "--output", out])
        got = np.load(out)
        if first is None:
            first = got
        if got.shape == first.shape and np.array_equal(got.view(np.uint32),
                                                       first.view(np.uint32)):
            print(f"{name} threads={threads}: identical")
            continue
        if got.shape != first.shape:
            print(f"{name} threads={threads}: DIFFERENT shape {got.shape}")
            continue
        differ = got.view(np.uint32) != first.view(np.uint32)
        worst = np.max(np.abs(got.astype(np.float64) - first))
        print(f"{name} threads={threads}: DIFFERENT in {int(differ.sum())} of "
              f"{differ.size} elements, by up to {worst:.3g}")


if __name__ == "__main__":
    main()

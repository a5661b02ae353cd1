#!/usr/bin/python3
"""Runs a model on one process and under `mpiexec -n P` and compares bits.

  check_distributed.py MODEL --out DIR --parts 1,2,3,4 [--edge-features D]
                       [--methods on-the-fly,range,metis] [--set k=v]...
                       [--exchange pull|push|auto] [--threads N]

Generates a random graph (isolated vertices, stored self loops, duplicate
edges: make_inputs.py), weights for the model's parameters, runs gnn-run
once without MPI, then for each P and method: on the fly (gnn-run splits
the edge list by range itself) or from a partition directory written by
`gnn-graph partition --method=range|metis`. With the pull exchange each
in-edge list is summed in the same order on any number of ranks, so the
outputs must be equal bit for bit. Prints one line per run.

With --exchange push (or auto) stages may aggregate partial states on the
parts owning the sources instead: sums are then regrouped, so the outputs
are compared within 1e-5 of the largest magnitude of each output column,
and the line says how many exchanges of the run were pushes (--stats).
"""

import argparse
import os

import numpy as np

from model_run_inputs import prepare, run


def main():
    p = argparse.ArgumentParser()
    p.add_argument("model")
    p.add_argument("--out", required=True)
    p.add_argument("--parts", default="1,2,3,4")
    p.add_argument("--methods", default="on-the-fly,range,metis")
    p.add_argument("--vertices", type=int, default=60)
    p.add_argument("--edges", type=int, default=300)
    p.add_argument("--features", type=int, default=12)
    p.add_argument("--edge-features", type=int, default=0)
    p.add_argument("--seed", type=int, default=5)
    p.add_argument("--set", action="append", default=[])
    p.add_argument("--exchange", default="pull", choices=["pull", "push", "auto"])
    p.add_argument("--threads", type=int, default=1, help="per rank")
    a = p.parse_args()
    sets, weights, prefix = prepare(a.model, a.out, vertices=a.vertices, edges=a.edges,
                                    features=a.features, edge_features=a.edge_features,
                                    seed=a.seed, sets=a.set)
    inputs = ["--graph", prefix + ".edges.npy", "--features", prefix + ".features.npy"]
    partition_inputs = ["--graph=" + prefix + ".edges.npy", "--features=" + prefix + ".features.npy"]
    if a.edge_features:
        inputs += ["--edge-attr", prefix + ".edge_attr.npy"]
        partition_inputs += ["--edge-attr=" + prefix + ".edge_attr.npy"]
    single = os.path.join(a.out, "single.npy")
    run(["gnn-run", a.model, "--weights", weights, "--output", single] + inputs + sets)
    expected = np.load(single)
    name = os.path.basename(a.model)
    for parts in [int(x) for x in a.parts.split(",")]:
        for method in a.methods.split(","):
            out = os.path.join(a.out, f"p{parts}.{method}.npy")
            if method == "on-the-fly":
                graph_args = inputs
            else:
                pdir = os.path.join(a.out, f"p{parts}.{method}")
                run(["gnn-graph", "partition", f"--parts={parts}", f"--method={method}",
                     f"--out={pdir}"] + partition_inputs)
                graph_args = ["--graph", pdir]
            stdout = run(["mpiexec", "-n", str(parts), "gnn-run", a.model, "--weights",
                          weights, "--threads", str(a.threads), "--output", out,
                          "--exchange", a.exchange, "--stats"] + graph_args + sets)
            got = np.load(out)
            if a.exchange == "pull":
                same = (got.shape == expected.shape and
                        np.array_equal(got.view(np.uint32), expected.view(np.uint32)))
                print(f"{name} P={parts} {method}: {'identical' if same else 'DIFFERENT'}")
                continue
            pushes = sum(1 for line in stdout.splitlines()
                         if line.startswith("exchange ") and line.endswith(", push)"))
            scale = np.abs(expected).reshape(len(expected), -1).max(axis=0)
            scale = np.maximum(scale, np.finfo(np.float32).tiny).reshape(expected.shape[1:])
            close = (got.shape == expected.shape and
                     bool(np.all(np.abs(got.astype(np.float64) - expected) <= 1e-5 * scale)))
            print(f"{name} P={parts} {method}: {'within 1e-5' if close else 'DIFFERENT'}, "
                  f"{pushes} pushed")


if __name__ == "__main__":
    main()

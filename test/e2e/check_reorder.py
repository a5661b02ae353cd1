#!/usr/bin/python3
"""Runs a model on a graph and on the same graph reordered, and compares bits.

  check_reorder.py MODEL --out DIR [--orders none,degree,rcm,community]
                   [--threads 1,2] [--mpi] [--vertices N] [--edges E]
                   [--features F] [--edge-features D] [--set k=v]...
                   [--sort-in-edges]

Generates a random graph (make_inputs.py: isolated vertices, stored self
loops, duplicate edges) and weights, runs gnn-run on the edge list as the
reference, then for each order converts the edge list with
`gnn-graph convert --reorder=ORDER` (edge features converted with it into
the new CSR order) and runs gnn-run on the .csr with the features in the
original order, once per thread count; with --mpi also
`gnn-graph partition --reorder=ORDER` into 2 parts (range and metis), run
under `mpiexec -n 2 --exchange pull` (the push form regroups sums), and
the reordered .csr itself under mpiexec. Prints one line per run (those
under mpiexec last): "identical" when the output
equals the reference bit for bit, else how many elements differ. A
reordered graph keeps each vertex's in-edges in their order and gnn-run
puts the rows back into the user's order, so any difference is a fault.

With --sort-in-edges the files are converted with that flag: each vertex
sums its messages in another order, so the output is held to the reference
elementwise, |got - ref| <= 1e-5 + 1e-4 |ref| ("within rule", and how
many elements differ in their bits), and the runs on one and two threads
must agree bit for bit (the order is deterministic). No --mpi with it.
"""

import argparse
import os

import numpy as np

from compare import outside_rule
from model_run_inputs import prepare, run


def compare(ref, path):
    got = np.load(path)
    if got.shape != ref.shape:
        return f"shape {got.shape}, expected {ref.shape}"
    if np.array_equal(got.view(np.uint32), ref.view(np.uint32)):
        return "identical"
    diff = np.count_nonzero(got.view(np.uint32) != ref.view(np.uint32))
    return f"{diff} of {ref.size} elements differ (max abs {np.max(np.abs(got - ref)):g})"


def within_rule(ref, path):
    got = np.load(path)
    if got.shape != ref.shape:
        return f"shape {got.shape}, expected {ref.shape}"
    bad = np.count_nonzero(outside_rule(got, ref))
    diff = np.count_nonzero(got.view(np.uint32) != ref.view(np.uint32))
    if bad:
        return f"OUTSIDE the rule: {bad} of {ref.size} elements"
    return f"within rule ({diff} of {ref.size} elements differ in their bits)"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("model")
    p.add_argument("--out", required=True)
    p.add_argument("--orders", default="none,degree,rcm,community")
    p.add_argument("--threads", default="1,2")
    p.add_argument("--mpi", action="store_true")
    p.add_argument("--vertices", type=int, default=1500)
    p.add_argument("--edges", type=int, default=12000)
    p.add_argument("--features", type=int, default=32)
    p.add_argument("--edge-features", type=int, default=0)
    p.add_argument("--seed", type=int, default=5)
    p.add_argument("--set", action="append", default=[])
    p.add_argument("--sort-in-edges", action="store_true")
    a = p.parse_args()
    if a.sort_in_edges and a.mpi:
        p.error("--sort-in-edges is for convert only, not with --mpi")
    sets, weights, prefix = prepare(a.model, a.out, vertices=a.vertices, edges=a.edges,
                                    features=a.features, edge_features=a.edge_features,
                                    seed=a.seed, sets=a.set)
    name = os.path.basename(a.model)
    features = prefix + ".features.npy"
    reference = os.path.join(a.out, "reference.npy")
    edge_attr = ["--edge-attr", prefix + ".edge_attr.npy"] if a.edge_features else []
    run(["gnn-run", a.model] + sets + ["--graph", prefix + ".edges.npy", "--features",
         features, "--weights", weights, "--threads", "1", "--output", reference]
        + edge_attr)
    ref = np.load(reference)
    # The single-process lines first, then those under mpiexec.
    mpi_lines = []
    for order in a.orders.split(","):
        csr = os.path.join(a.out, f"{order}.csr")
        convert = ["gnn-graph", "convert", f"--graph={prefix}.edges.npy",
                   f"--num-nodes={a.vertices}", f"--reorder={order}", f"--out={csr}",
                   "--quiet"] + (["--sort-in-edges"] if a.sort_in_edges else [])
        if a.edge_features:
            convert += [f"--edge-attr={prefix}.edge_attr.npy",
                        f"--edge-attr-out={csr}.edge_attr.npy"]
        run(convert)
        csr_attr = ["--edge-attr", csr + ".edge_attr.npy"] if a.edge_features else []
        outs = []
        for threads in [int(t) for t in a.threads.split(",")]:
            out = os.path.join(a.out, f"{order}.t{threads}.npy")
            run(["gnn-run", a.model] + sets + ["--graph", csr, "--features", features,
                 "--weights", weights, "--threads", str(threads), "--output", out]
                + csr_attr)
            if a.sort_in_edges:
                print(f"{name} {order} sorted threads={threads}: {within_rule(ref, out)}")
            else:
                print(f"{name} {order} threads={threads}: {compare(ref, out)}")
            outs.append(out)
        if a.sort_in_edges and len(outs) > 1:
            print(f"{name} {order} sorted threads {a.threads} against each other: "
                  + ", ".join(compare(np.load(outs[0]), o) for o in outs[1:]))
        if not a.mpi:
            continue
        for method in ["range", "metis"]:
            parts = os.path.join(a.out, f"{order}.{method}.parts")
            partition = ["gnn-graph", "partition", f"--graph={prefix}.edges.npy",
                         f"--features={features}", "--parts=2", f"--method={method}",
                         f"--reorder={order}", f"--out={parts}", "--quiet"]
            if a.edge_features:
                partition.append(f"--edge-attr={prefix}.edge_attr.npy")
            run(partition)
            out = os.path.join(a.out, f"{order}.{method}.mpi.npy")
            run(["mpiexec", "-n", "2", "gnn-run", a.model] + sets + ["--exchange", "pull", "--graph", parts,
                 "--weights", weights, "--threads", "1", "--output", out])
            mpi_lines.append(f"{name} {order} mpiexec -n 2 {method} parts: "
                             f"{compare(ref, out)}")
        # The reordered .csr itself under mpiexec (split by range on the fly).
        out = os.path.join(a.out, f"{order}.csr.mpi.npy")
        run(["mpiexec", "-n", "2", "gnn-run", a.model] + sets + ["--exchange", "pull", "--graph", csr,
             "--features", features, "--weights", weights, "--threads", "1",
             "--output", out] + csr_attr)
        mpi_lines.append(f"{name} {order} mpiexec -n 2 csr: {compare(ref, out)}")
    for line in mpi_lines:
        print(line)


if __name__ == "__main__":
    main()

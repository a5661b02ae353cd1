#!/usr/bin/python3
"""Distributed runs measured on this machine, and a cost model built from
them for graphs far larger than it (docs/distributed.md).

  distributed.py [--build build] [--graph rmat-18] [--models gcn,gat]
                 [--runs 7] [--out bench/results/distributed.json]

Measures, on one RMAT graph (generated as bench.py does):
  * per model, one rank (1 and 2 threads) and two ranks (1 thread each)
    over range and METIS partition directories, pulling, and on METIS's
    parts also pushing and choosing per stage (--exchange auto): the
    slowest rank's inference time (median of --runs after a first run),
    every exchange's form, rows and bytes, and whether the output is
    bitwise the single run's;
  * the ghost rows and bytes per feature column for range and METIS at 2
    and 4 parts, on the RMAT graph and on a stochastic block model of the
    same size (community structure hidden by a random vertex order);
  * the per-edge and per-vertex costs of a layer on one core, from the
    one-rank, one-thread run's stages: message-passing kernels (they loop
    over in-edges) per edge, everything else per vertex.

Then estimates memory, traffic and time per rank for the paper's largest
graph (500M vertices, 22.4B edges, 128 input features) at 64 and 256 ranks,
from those costs and the assumptions printed with the table.
"""

import argparse
import json
import math
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.realpath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import schedule  # noqa: E402

GRAPHS = {"rmat-17": (131072, 2_000_000), "rmat-18": (262144, 4_000_000),
          "rmat-20": (1048576, 16_000_000)}
FEATURES = 128

# The paper's largest graph, and what the estimate assumes of a cluster.
PAPER = {"vertices": 500_000_000, "edges": 22_400_000_000, "features": 128}
ASSUME = {
    "cores_per_rank": 32,            # one rank per 32-core socket
    "core_scaling": 0.7,             # of the per-core rate, per core
    "network_gbs": 12.5 * 0.7,       # 100 Gb/s per rank, 70% of it in Alltoallv
    "ghost_fraction_of_random": None,  # measured: METIS ghosts / random bound
}


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit(f"distributed.py: {' '.join(cmd)} failed:\n{r.stdout}{r.stderr}")
    return r.stdout


def parse_stats(text):
    out = {"stages": [], "exchanges": []}
    exchange = None
    for line in text.splitlines():
        if m := re.match(r"inference: ([0-9.]+) s", line):
            out["inference_s"] = float(m.group(1))
        elif m := re.match(r"\s+([0-9.]+) ms\s+(.*?)( \(rank 0\))?$", line):
            out["stages"].append({"ms": float(m.group(1)), "name": m.group(2)})
        elif m := re.match(r"exchange (\d+): (.*) \((\d+) floats per (?:state )?row, ([a-z ]+)\)$", line):
            exchange = {"tensor": m.group(2), "row_floats": int(m.group(3)), "form": m.group(4),
                        "ranks": []}
            out["exchanges"].append(exchange)
        elif m := re.match(r"\s+rank (\d+): sent (\d+) rows \(([0-9.]+) MiB\), received (\d+) rows .*, ([0-9.]+) ms", line):
            exchange["ranks"].append({"sent_rows": int(m.group(2)), "sent_mib": float(m.group(3)),
                                      "received_rows": int(m.group(4)), "ms": float(m.group(5))})
        elif m := re.match(r"\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+[0-9.]+\s+[0-9.]+\s+([0-9.]+)\s+([0-9.]+)\s+([0-9.]+)$", line):
            out.setdefault("ranks", []).append({"owned": int(m.group(2)), "ghosts": int(m.group(3)),
                                                "edges": int(m.group(4)), "compute_ms": float(m.group(5)),
                                                "exchange_ms": float(m.group(6)),
                                                "results_mib": float(m.group(7))})
    return out


def partition_summary(args, edges, features, parts, method, out):
    text = run([args.bin + "/gnn-graph", "partition", f"--graph={edges}", f"--features={features}",
                f"--parts={parts}", f"--method={method}", f"--out={out}"])
    ghosts = int(re.search(r"ghost rows: (\d+) in all", text).group(1))
    cut = int(re.search(r"edge cut: (\d+)", text).group(1))
    return {"parts": parts, "method": method, "ghost_rows": ghosts, "edge_cut": cut,
            "bytes_per_feature": ghosts * 4}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--build", default=os.path.join(ROOT, "build"))
    p.add_argument("--graph", default="rmat-18", choices=sorted(GRAPHS))
    p.add_argument("--models", default="gcn,gat")
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--out", default=os.path.join(HERE, "results", "distributed.json"))
    args = p.parse_args()
    args.bin = os.path.join(args.build, "bin")
    data = os.path.join(args.build, "bench-data")
    os.makedirs(data, exist_ok=True)
    n, e = GRAPHS[args.graph]
    env = dict(os.environ, GNNC_CACHE_DIR=os.path.join(data, "kernel-cache", "distributed"))

    doc = {"graph": args.graph, "vertices": n, "edges": e, "runs": args.runs,
           "partitions": {}, "models": {}}
    graphs = {}
    for kind in ("rmat", "sbm"):
        prefix = os.path.join(data, f"{args.graph}" if kind == "rmat" else f"sbm-{args.graph}")
        if not os.path.exists(prefix + ".edges.npy") or not os.path.exists(prefix + ".features.npy"):
            extra = ["--communities=64", "--intra=0.9"] if kind == "sbm" else []
            run([args.bin + "/gnn-graph", "generate", f"--kind={kind}", f"--vertices={n}",
                 f"--edges={e}", f"--features={FEATURES}", "--seed=1", f"--out={prefix}"] + extra)
        graphs[kind] = (prefix + ".edges.npy", prefix + ".features.npy")
        doc["partitions"][kind] = []
        for parts in (2, 4):
            for method in ("range", "metis"):
                pdir = f"{prefix}.{method}{parts}"
                doc["partitions"][kind].append(
                    partition_summary(args, *graphs[kind], parts, method, pdir))
                print(f"{kind} {method} P={parts}: {doc['partitions'][kind][-1]}", file=sys.stderr)

    edges, features = graphs["rmat"]
    prefix = os.path.join(data, args.graph)
    for model in args.models.split(","):
        path = os.path.join(ROOT, "examples", "models", model + ".gnn")
        params = os.path.join(data, model + ".params")
        weights = os.path.join(data, model + ".safetensors")
        run([args.bin + "/gnnc", path, "--emit=params", "-o", params])
        run([os.path.join(ROOT, "scripts", "random-weights"), params, weights, "--seed", "1"])
        steps = schedule.compile_schedule(args.bin + "/gnnc", args.bin + "/gnn-opt", path)
        message_kernels = {s["kernel"] for s in steps if s["op"] == "launch" and s["edge_balanced"]}
        common = [args.bin + "/gnn-run", path, "--weights", weights, "--runs", str(args.runs), "--stats"]
        single = os.path.join(data, f"{model}.single.npy")
        results = {}
        for label, ranks, threads, graph_args in [
                ("1 rank x 1 thread", 1, 1, ["--graph", edges, "--features", features]),
                ("1 rank x 2 threads", 1, 2, ["--graph", edges, "--features", features]),
                ("2 ranks x 1 thread, range", 2, 1, ["--graph", prefix + ".range2", "--exchange", "pull"]),
                ("2 ranks x 1 thread, metis", 2, 1, ["--graph", prefix + ".metis2", "--exchange", "pull"]),
                ("2 ranks x 1 thread, metis, push", 2, 1, ["--graph", prefix + ".metis2", "--exchange", "push"]),
                ("2 ranks x 1 thread, metis, auto", 2, 1, ["--graph", prefix + ".metis2", "--exchange", "auto"])]:
            out = os.path.join(data, f"{model}.dist.npy")
            text = run(["mpiexec", "-n", str(ranks)] + common + ["--threads", str(threads),
                        "--output", single if label.startswith("1 rank x 1") else out] + graph_args,
                       env=env)
            r = parse_stats(text)
            r["exchanged_mib"] = sum(x["sent_mib"] for e in r["exchanges"] for x in e["ranks"])
            r["forms"] = [e["form"] for e in r["exchanges"]]
            if not label.startswith("1 rank x 1"):
                with open(single, "rb") as a, open(out, "rb") as b:
                    r["bitwise_equal_to_1_rank"] = a.read() == b.read()
            results[label] = r
            print(f"{model} {label}: {r['inference_s'] * 1e3:.1f} ms", file=sys.stderr)
        one = results["1 rank x 1 thread"]
        edge_ms = sum(s["ms"] for s in one["stages"]
                      if any(s["name"].startswith(f"kernel @{k} ") for k in message_kernels))
        vertex_ms = sum(s["ms"] for s in one["stages"]) - edge_ms
        results["per_core"] = {"edge_ns": edge_ms * 1e6 / e, "vertex_ns": vertex_ms * 1e6 / n,
                               "note": "all layers together: message kernels per in-edge, the rest per vertex"}
        doc["models"][model] = results

    # Ghost rows: METIS's count against the random-placement bound
    # N (1 - 1/P) (1 - exp(-E / (P N))) on the RMAT graph.
    fractions = []
    for s in doc["partitions"]["rmat"]:
        if s["method"] == "metis":
            per_part = s["ghost_rows"] / s["parts"]
            bound = n * (1 - 1 / s["parts"]) * (1 - math.exp(-e / (s["parts"] * n)))
            fractions.append(per_part / bound)
    ASSUME["ghost_fraction_of_random"] = max(fractions)
    doc["assumptions"] = ASSUME
    doc["estimate"] = estimate(doc)
    with open(args.out, "w") as f:
        json.dump(doc, f, indent=1)
    print(markdown(doc))


def exchanged_widths(doc, model):
    """Floats per row of each exchange of a layer pass, from the 2-rank run."""
    run2 = doc["models"][model]["2 ranks x 1 thread, metis"]
    return [x["row_floats"] for x in run2["exchanges"]]


def estimate(doc):
    n, e = PAPER["vertices"], PAPER["edges"]
    rows = []
    for model, results in doc["models"].items():
        per = results["per_core"]
        widths = exchanged_widths(doc, model)
        for ranks in (64, 256):
            owned, local_edges = n / ranks, e / ranks
            random_ghosts = n * (1 - 1 / ranks) * (1 - math.exp(-e / (ranks * n)))
            ghosts = random_ghosts * ASSUME["ghost_fraction_of_random"]
            rate = ASSUME["cores_per_rank"] * ASSUME["core_scaling"]
            compute_s = (per["edge_ns"] * local_edges + per["vertex_ns"] * owned) * 1e-9 / rate
            traffic = ghosts * 4 * sum(widths)
            exchange_s = traffic / (ASSUME["network_gbs"] * 1e9)
            # Memory: the CSR (8-byte offsets, 4-byte sources), input rows
            # for owned and ghost vertices, and the widest live buffers
            # (the one-rank run's plan, per row).
            csr = owned * 8 + local_edges * 4
            rows_bytes = (owned + ghosts) * 4 * PAPER["features"]
            buffers = (owned + ghosts) * 4 * (PAPER["features"] + 2 * max(widths))
            rows.append({"model": model, "ranks": ranks, "owned": owned, "edges": local_edges,
                         "ghosts": ghosts, "exchange_bytes": traffic,
                         "memory_bytes": csr + rows_bytes + buffers,
                         "compute_s": compute_s, "exchange_s": exchange_s,
                         "time_s": compute_s + exchange_s})
    return rows


def markdown(doc):
    out = [f"Measured on {doc['graph']} ({doc['vertices']:,} vertices, {doc['edges']:,} edges, "
           f"{FEATURES} features), median of {doc['runs']} runs after the first:", "",
           "| model | run | inference | exchanged (all ranks) | exchanges | compute imbalance | bitwise = 1 rank |",
           "|---|---|---|---|---|---|---|"]
    for model, results in doc["models"].items():
        for label, r in results.items():
            if label == "per_core":
                continue
            imb = ""
            if r.get("ranks"):
                c = [x["compute_ms"] for x in r["ranks"]]
                imb = f"{max(c) / (sum(c) / len(c)):.2f}"
            same = {True: "yes", False: "NO", None: ""}[r.get("bitwise_equal_to_1_rank")]
            forms = ", ".join(r.get("forms", [])) or "none"
            out.append(f"| {model} | {label} | {r['inference_s'] * 1e3:.1f} ms | "
                       f"{r.get('exchanged_mib', 0):.1f} MiB | {forms} | {imb} | {same} |")
    out += ["", "| graph | method | parts | edge cut | ghost rows | bytes per feature column per exchange |",
            "|---|---|---|---|---|---|"]
    for kind, rows in doc["partitions"].items():
        for s in rows:
            out.append(f"| {kind} | {s['method']} | {s['parts']} | {s['edge_cut']:,} | "
                       f"{s['ghost_rows']:,} | {s['bytes_per_feature']:,} |")
    out += ["", "Per-core costs (one rank, one thread): " + ", ".join(
        f"{m}: {r['per_core']['edge_ns']:.2f} ns per in-edge, {r['per_core']['vertex_ns']:.1f} ns per vertex"
        for m, r in doc["models"].items()), ""]
    out += ["| model | ranks | owned / rank | in-edges / rank | ghosts / rank | exchanged / rank | "
            "memory / rank | compute | exchange | total |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in doc["estimate"]:
        out.append(f"| {r['model']} | {r['ranks']} | {r['owned'] / 1e6:.1f} M | {r['edges'] / 1e6:.0f} M | "
                   f"{r['ghosts'] / 1e6:.0f} M | {r['exchange_bytes'] / 2**30:.1f} GiB | "
                   f"{r['memory_bytes'] / 2**30:.0f} GiB | {r['compute_s']:.1f} s | "
                   f"{r['exchange_s']:.1f} s | {r['time_s']:.1f} s |")
    out += ["", "Assumptions: " + json.dumps(doc["assumptions"])]
    return "\n".join(out)


if __name__ == "__main__":
    main()

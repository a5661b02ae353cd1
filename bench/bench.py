#!/usr/bin/python3
"""gnnc against PyTorch and against the machine's limits.

  bench.py [--quick] [--models gcn,sage,...] [--systems gnnc,eager,...]
           [--graphs rmat-18,...] [--runs 5] [--threads 2] [--out FILE]
           [--[no-]ablation | --only-ablation] [--ablation-graphs rmat-22,sbm-22]
           [--ablation-models gcn,...] [--ablation-runs 3] [--ablation-rounds 2]
           [--paired-rounds 4] [--paired-runs 5] [--time-budget 45]

For each graph (generated once by gnn-graph, kept in --data) and each model
of MODELS that exists, in this order: gnnc (gnn-run, one process per run),
then the PyTorch peers (bench/peer.py, one process per peer, so each peak
RSS is its own): eager, torch.jit.script, sparse (the aggregation matrix
built once, a sparse-dense matmul per layer), neighbour-sampled
mini-batches. Every full-graph peer's first result is checked against
gnnc's output (peer.check: |a - b| <= 1e-5 + 1e-4 |b| everywhere, else both
held to that rule against the float64 reference, the counts recorded)
before anything of it is timed. Times are medians of --runs runs;
everyone gets --threads threads. The machine's limits (STREAM-like
bandwidth, sgemm rate) are measured in the same run, and each model's
lower-bound time follows from the bytes and flops it must move.

Results go to one JSON file (bench/results/full.json, or quick.json with
--quick); bench/report.py turns full.json into docs/performance.md.

The ablation of issue 15 (after the main graphs in a full run, or alone
with --only-ablation into bench/results/ablation.json): gnnc on rmat-22 and
sbm-22 with each vertex order (gnn-graph convert --reorder), the edge
list's order with sorted in-edges (--sort-in-edges, which the reorders use
too) and the gathers unblocked, in 2 forced source blocks or blocked by
the cost model (gnnc-repeat --gather-blocks=1,2,auto), each technique
alone and together; on rmat-22,
each model's fastest configuration head to head with the gnnc of the main
issue 15 was filed against (--paired-rounds rounds of the two processes
back to back). Optional graphs (rmat-23) run last, only if predicted to
fit --time-budget.

A peer on a graph is skipped, with the reason recorded, when its time on
the previous graph scaled by the edge count predicts more than
--cell-budget seconds for all its runs, or its peak RSS scaled likewise
predicts more than --memory-fraction of the machine's memory.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.realpath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import schedule  # noqa: E402
import tensors  # noqa: E402

# The benchmark's models: the first file that exists is used; a model with
# none is skipped with a note. Widths: 128 -> 64 -> 16 (GAT: 8 heads x 8).
MODELS = [
    {"name": "gcn", "title": "GCN", "files": ["examples/models/gcn.gnn", "bench/models/gcn.gnn"]},
    {"name": "sage", "title": "GraphSAGE (mean)", "files": ["examples/models/sage.gnn", "bench/models/sage.gnn"]},
    {"name": "gin", "title": "GIN", "files": ["examples/models/gin.gnn", "bench/models/gin.gnn"]},
    {"name": "gat", "title": "GAT (8 heads)", "files": ["examples/models/gat.gnn", "bench/models/gat.gnn"]},
    {"name": "edgeconv", "title": "EdgeConv", "files": ["examples/models/edgeconv.gnn"]},
]

# The graphs (name, vertices, edges as generated; GCN and GAT add one self
# loop per vertex). rmat-18 is the reference point of issue 4. RMAT unless
# GENERATORS says otherwise: sbm-* are stochastic block models with
# community structure (equal communities of 4,096 vertices for sbm-22, 90%
# of edges inside one; a seeded random permutation hides them from the ids).
GRAPHS = {
    "rmat-16": (65536, 1_000_000),
    "rmat-17": (131072, 2_000_000),
    "rmat-18": (262144, 4_000_000),
    "rmat-20": (1048576, 16_000_000),
    "rmat-22": (4194304, 100_000_000),
    "rmat-23": (8388608, 200_000_000),
    "sbm-16": (65536, 1_000_000),
    "sbm-22": (4194304, 100_000_000),
}
GENERATORS = {
    "sbm-16": ["--kind=sbm", "--communities=64", "--intra=0.9"],
    "sbm-22": ["--kind=sbm", "--communities=1024", "--intra=0.9"],
}
# Points `make bench` measures only while the whole run is predicted to stay
# within --time-budget (predicted from this run's own rmat-22 cells).
OPTIONAL_GRAPHS = {"rmat-23": "rmat-22"}
FULL = {"graphs": ["rmat-17", "rmat-18", "rmat-20", "rmat-22", "sbm-22"],
        "optional_graphs": ["rmat-23"],
        "systems": ["gnnc", "eager", "script", "sparse", "sampled"],
        # Past the reference graph only what the plots need, so that the
        # comparison with PyTorch stays near 30 minutes (the sbm-22 cells
        # and the ablation add about 35-40): full-graph PyTorch up to 16M edges
        # (sampling would cost ten minutes there), gnnc alone at 100M edges
        # (PyTorch's E x F message tensors do not fit in memory).
        # The community graph, of rmat-22's size, likewise gnnc alone.
        "graph_systems": {"rmat-20": ["gnnc", "eager", "script", "sparse"], "rmat-22": ["gnnc"],
                          "sbm-22": ["gnnc"], "rmat-23": ["gnnc"]},
        # EdgeConv's per-edge MLP is compute-bound (a 64 x 64 matrix-vector
        # product per edge): on the graphs up to the reference one only.
        "model_graphs": {"edgeconv": ["rmat-16", "rmat-17", "rmat-18"]}}
QUICK = {"graphs": ["rmat-16"], "systems": ["gnnc", "eager", "sparse"], "models": ["gcn"],
         "optional_graphs": []}
# The ablation of issue 15 (--ablation, part of `make bench`): gnnc alone,
# in one process per graph, model and vertex order (bench/gnnc-repeat), with
# the cache-blocked gathers off (1) and chosen by the cost model (auto).
ABLATION = {"graphs": ["rmat-22", "sbm-22"], "models": ["gcn", "sage", "gin", "gat"]}
# The CSR files of the ablation: "sorted" is the edge list's order with
# each vertex's in-edges sorted by source (convert --sort-in-edges); the
# reorders sort them too (the reorders unsorted: docs/performance.md in
# git history, the ablation started 2026-12-04T15:41).
ORDERINGS = ["none", "sorted", "degree", "rcm", "community"]
SORTED_IN_EDGES = ("sorted", "degree", "rcm", "community")
# Gather blocks: off, 2 forced, the cost model's choice. The forced count
# shows where the model declines blocks that pay (docs/passes.md, "Where it
# declines and should not": rcm-ordered RMAT).
GATHER_SETTINGS = ["1", "2", "auto"]
FEATURES = 128
SEED = 1
PEERS = ("eager", "script", "sparse", "sampled")
# Models with a sparse form (reference.SPARSE_MODULES): GAT's edge weights
# depend on the features, so PyG's sparse path still computes them per edge.
SPARSE_MODELS = ("gcn", "sage", "gin")
REFERENCE_GRAPH = "rmat-18"  # issue 4's N = 262,144, E = 4M (+ self loops), F = 128


START = time.time()


def log(message):
    elapsed = time.time() - START
    print(f"[{int(elapsed // 60):3d}:{int(elapsed % 60):02d}] {message}", file=sys.stderr, flush=True)


def run_measured(cmd, env=None, timeout=None):
    """Runs CMD; returns (exit code, stdout, stderr, wall s, peak RSS KiB)
    with the peak RSS of that child alone (wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.time()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        deadline = None if timeout is None else start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline and time.time() > deadline:
                proc.kill()
            time.sleep(0.005)
        wall = time.time() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (proc.returncode, out.read().decode(errors="replace"),
                err.read().decode(errors="replace"), wall, usage.ru_maxrss)


# OpenBLAS settings of the calling environment that a fresh machine does not
# have. OPENBLAS_CORETYPE=Haswell, say, pins OpenBLAS to AVX2 kernels on an
# AVX-512 CPU and nearly halves PyTorch's sgemm rate; the benchmark lets
# OpenBLAS detect the CPU itself, as it would on a fresh install.
DROPPED_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def child_env(threads):
    env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
    env.update(OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads),
               MKL_NUM_THREADS=str(threads), PYTHONWARNINGS="ignore")
    return env


# --------------------------------------------------------------------------
# The machine


def machine_description(python, threads):
    info = {"platform": platform.platform(), "python": sys.version.split()[0]}
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        fields = dict(line.split(":", 1) for line in lscpu.splitlines() if ":" in line)
        fields = {k.strip(): v.strip() for k, v in fields.items()}
        for key in ("Model name", "CPU(s)", "Thread(s) per core", "Core(s) per socket",
                    "Socket(s)", "L2 cache", "L3 cache", "CPU max MHz", "Hypervisor vendor"):
            if key in fields:
                info[key] = fields[key]
        flags = fields.get("Flags", "").split()
        info["vector ISA"] = " ".join(f for f in ("avx2", "fma", "avx512f", "avx512_bf16") if f in flags)
    except OSError:
        pass
    with open("/proc/meminfo") as f:
        mem = dict(line.split(":", 1) for line in f)
    info["memory_gib"] = round(int(mem["MemTotal"].split()[0]) / 2**20, 1)
    for pkg in ("python3-torch", "python3-numpy", "libopenblas0-pthread", "libdnnl-dev", "llvm-19"):
        r = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True, text=True)
        info["pkg " + pkg] = r.stdout.strip() if r.returncode == 0 else "not installed"
    r = subprocess.run(["update-alternatives", "--query", "libblas.so.3-x86_64-linux-gnu"],
                       capture_output=True, text=True)
    m = re.search(r"^Value:\s*(\S+)", r.stdout, re.M)
    info["libblas.so.3 alternative"] = m.group(1) if m else "unknown"
    rc, out, err, _, _ = run_measured([python, os.path.join(HERE, "peer.py"), "info",
                                       "--threads", str(threads)], env=child_env(threads))
    info["torch"] = json.loads(out.splitlines()[-1]) if rc == 0 else {"error": err[-2000:]}
    libs = info["torch"].get("loaded_libraries", []) if rc == 0 else []
    blas = [l for l in libs if "blas" in os.path.basename(l)]
    info["blas_in_torch"] = ", ".join(blas) or "none found"
    info["blas_is_openblas"] = any("openblas" in l for l in blas)
    info["openblas_core"] = info["torch"].get("openblas_core") if rc == 0 else None
    # Memory the guest frees goes back to the host (free page reporting) and
    # DAMON may page out what looks cold: the first touch of fresh memory
    # then costs host-side faults, which shows in per-process timings.
    import glob
    for path in glob.glob("/sys/bus/virtio/drivers/virtio_balloon/*/features"):
        with open(path) as f:
            bits = f.read().strip()
        info["virtio-balloon free page reporting"] = "on" if len(bits) > 5 and bits[5] == "1" else "off"
    for path in glob.glob("/sys/kernel/mm/damon/admin/kdamonds/*/state"):
        with open(path) as f:
            state = f.read().strip()
        actions = []
        for a in glob.glob(os.path.join(os.path.dirname(path), "contexts/*/schemes/*/action")):
            with open(a) as f:
                actions.append(f.read().strip())
        info["DAMON"] = state + (" (" + ", ".join(actions) + ")" if actions else "")
    for name in ("enabled", "defrag"):
        try:
            with open(f"/sys/kernel/mm/transparent_hugepage/{name}") as f:
                info[f"transparent huge pages {name}"] = f.read().strip()
        except OSError:
            pass
    info["env"] = {k: v for k, v in os.environ.items()
                   if k.startswith(("OPENBLAS", "OMP_", "MKL", "GOMP", "KMP"))}
    info["env_dropped_for_children"] = [k for k in DROPPED_ENV if k in os.environ]
    return info


def git_state():
    def git(*args):
        r = subprocess.run(["git", "-C", ROOT, *args], capture_output=True, text=True)
        return r.stdout.strip()
    return {"commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}


def measure_limits(args):
    stream = args.stream
    if not os.path.exists(stream):
        os.makedirs(os.path.dirname(stream), exist_ok=True)
        log(f"bench: building {stream}")
        subprocess.run(["g++", "-O3", "-march=native", "-fopenmp", "-o", stream,
                        os.path.join(HERE, "stream.cpp")], check=True)
    limits = {}
    rc, out, err, _, _ = run_measured([stream, "--mib", str(args.stream_mib)], env=child_env(args.threads))
    if rc != 0:
        raise SystemExit(f"bench: {stream} failed: {err}")
    limits["stream"] = json.loads(out)
    rc, out, err, _, _ = run_measured([args.python, os.path.join(HERE, "peer.py"), "sgemm",
                                       "--threads", str(args.threads)], env=child_env(args.threads))
    if rc != 0:
        raise SystemExit(f"bench: sgemm failed: {err}")
    limits["sgemm"] = json.loads(out.splitlines()[-1])
    return limits


def set_roofs(limits_list):
    """The roofs for the lower bounds, from the limits measured at the start
    and at the end of the run: the larger median triad rate (a shared host's
    bandwidth swings with its other tenants; the machine's capability is the
    better figure, and the larger roof the stricter bound) and the larger
    square sgemm rate (OpenBLAS's or oneDNN's, whichever is faster)."""
    at = max(range(len(limits_list)), key=lambda i: limits_list[i]["stream"]["triad_median_gbs"])
    best = limits_list[at]
    return {"bandwidth_gbs": best["stream"]["triad_median_gbs"],
            "bandwidth_source": (f"triad, median of {best['stream']['reps']}, the larger of "
                                 f"{len(limits_list)} measurements"),
            # The random-gather rate of the same measurement, so that "% of
            # gather" and "% of triad" describe one state of the host.
            "gather_gbs": best["stream"].get("gather256_median_gbs"),
            "roof_measured_at": ("start", "end")[at],
            # The cache ladder of the same measurement (random 256-byte row
            # gathers from tables of 2 MiB to 1 GiB).
            "ladder": best["stream"].get("ladder"),
            "gflops": max(max(l["sgemm"]["square_2048_gflops"], l["sgemm"].get("onednn_square_2048_gflops", 0))
                          for l in limits_list)}


# --------------------------------------------------------------------------
# Inputs


def prepare_graph(args, name):
    n, e = GRAPHS[name]
    prefix = os.path.join(args.data, name)
    edges, features = prefix + ".edges.npy", prefix + ".features.npy"
    generator = GENERATORS.get(name, ["--kind=rmat"])
    graph = {"name": name, "vertices": n, "edges": e, "features": FEATURES,
             "kind": generator[0].split("=", 1)[1], "generator": " ".join(generator),
             "edges_path": edges, "features_path": features}
    if not (os.path.exists(edges) and os.path.exists(features)):
        log(f"bench: generating {name} ({n} vertices, {e} edges)")
        t = time.time()
        subprocess.run([os.path.join(args.bin, "gnn-graph"), "generate", *generator,
                        f"--vertices={n}", f"--edges={e}", f"--features={FEATURES}",
                        f"--seed={SEED}", f"--out={prefix}"], check=True,
                       stdout=subprocess.DEVNULL)
        graph["generate_s"] = time.time() - t
    graph["source_cdf"] = source_cdf(edges, n)
    stats = subprocess.run([os.path.join(args.bin, "gnn-graph"), "stats", f"--graph={edges}",
                            f"--num_nodes={n}"], capture_output=True, text=True).stdout
    for line in stats.splitlines():
        key, _, value = line.partition(":")
        try:
            graph["stat " + key.strip()] = float(value) if "." in value else int(value)
        except ValueError:
            pass
    return graph


def source_cdf(edges_path, n):
    """How concentrated the gathers are: [[k, share]] for k = 1, 2, 4, ...,
    N, the share of the edges whose source is one of the k most frequent
    sources (RMAT: its hubs; a uniform graph: k / N). The random-gather
    times (schedule.random_gather) put the hottest rows in the fastest
    tables of the cache ladder."""
    import numpy as np
    a = np.load(edges_path, mmap_mode="r")
    counts = np.zeros(n, dtype=np.int64)
    step = 1 << 24
    for i in range(0, a.shape[1], step):
        counts += np.bincount(np.asarray(a[0, i:i + step]), minlength=n)
    counts = np.sort(counts)[::-1]
    total = max(int(counts.sum()), 1)
    cum = np.cumsum(counts)
    ks = sorted({min(1 << i, n) for i in range(n.bit_length() + 1)})
    return [[k, float(cum[k - 1]) / total] for k in ks]


def prepare_model(args, spec):
    path = next((os.path.join(ROOT, f) for f in spec["files"] if os.path.exists(os.path.join(ROOT, f))), None)
    model = {"name": spec["name"], "title": spec["title"]}
    if path is None:
        model["skipped"] = "no model file (" + " or ".join(spec["files"]) + ")"
        return model
    model["file"] = os.path.relpath(path, ROOT)
    params = os.path.join(args.data, spec["name"] + ".params")
    weights = os.path.join(args.data, spec["name"] + ".safetensors")
    r = subprocess.run([os.path.join(args.bin, "gnnc"), path, "--emit=params", "-o", params],
                       capture_output=True, text=True)
    if r.returncode != 0:
        model["skipped"] = "gnnc --emit=params failed: " + r.stderr.strip()[-500:]
        return model
    subprocess.run([os.path.join(ROOT, "scripts", "random-weights"), params, weights,
                    "--seed", str(SEED)], check=True)
    model["weights"] = weights
    model["params"] = [[n, list(s)] for n, s in tensors.read_params(params)]
    try:
        model["schedule"] = schedule.compile_schedule(os.path.join(args.bin, "gnnc"),
                                                      os.path.join(args.bin, "gnn-opt"), path)
    except subprocess.CalledProcessError as e:
        model["schedule"] = []
        model["schedule_error"] = (e.stderr or "")[-500:]
    except OSError as e:
        model["schedule"] = []
        model["schedule_error"] = str(e)
    try:
        model["layers"] = schedule.layers_of(spec["name"], dict(tensors.read_params(params)))
    except (KeyError, IndexError) as e:
        model["layers"] = []
        model["layers_error"] = f"parameter {e} not found"
    return model


# --------------------------------------------------------------------------
# gnnc


_STAGE = re.compile(r"^\s*([0-9.]+) ms\s+(kernel @(\S+)|linear)\b(.*)$")


def parse_stats(text):
    out = {"stages": []}
    for line in text.splitlines():
        if m := re.match(r"compile: ([0-9.]+) s", line):
            out["compile_s"] = float(m.group(1))
            for part, value in re.findall(r"(\w+) ([0-9.]+) s", line[m.end():]):
                out[f"compile_{part}_s"] = float(value)
        elif m := re.match(r"kernel cache: (\w+)", line):
            out["cache"] = m.group(1)  # hit, stored or off
        elif m := re.match(r"inference: ([0-9.]+) s", line):
            out["inference_s"] = float(m.group(1))
            if mm := re.search(r"mapping result memory: ([0-9.]+) ms", line):
                out["memory_ms"] = float(mm.group(1))
        elif m := re.match(r"graph: .*loaded in ([0-9.]+) s", line):
            out["graph_load_s"] = float(m.group(1))
        elif m := re.match(r"csr build: ([0-9.]+) s", line):
            out["csr_build_s"] = float(m.group(1))
        elif m := re.match(r"output: .*checksum sum=(\S+) sum\|x\|=(\S+)", line):
            out["checksum"] = [float(m.group(1)), float(m.group(2))]
        elif m := re.match(r"total wall time: ([0-9.]+) s", line):
            out["total_wall_s"] = float(m.group(1))
        elif m := _STAGE.match(line):
            out["stages"].append({"ms": float(m.group(1)), "kernel": m.group(3),
                                  "what": m.group(2).split()[0]})
    return out


def run_gnnc(args, graph, model, out_path):
    """One cold run (the model's kernel cache emptied first: the compile is
    a cold one) and --runs runs with the kernels cached, each a process of
    its own. The inference median is over the cached runs."""
    cmd = [os.path.join(args.bin, "gnn-run"), os.path.join(ROOT, model["file"]),
           "--graph", graph["edges_path"], "--features", graph["features_path"],
           "--weights", model["weights"], "--threads", str(args.threads), "--stats"]
    env = child_env(args.threads)
    cache = os.path.join(args.data, "kernel-cache", model["name"])
    shutil.rmtree(cache, ignore_errors=True)
    env["GNNC_CACHE_DIR"] = cache
    runs = []
    for i in range(1 + args.runs):
        target = out_path if i == 0 else out_path + ".again.npy"
        rc, out, err, wall, rss = run_measured(cmd + ["--output", target], env=env)
        if rc != 0:
            return {"status": "failed", "note": (err or out).strip()[-800:]}
        stats = parse_stats(out)
        stats.update(wall_s=wall, peak_rss_kib=rss)
        runs.append(stats)
    if os.path.exists(out_path + ".again.npy"):
        os.unlink(out_path + ".again.npy")
    cold, warm = runs[0], runs[1:]
    result = {"status": "ok", "cold": cold, "runs": warm}
    result["runs_s"] = [r["inference_s"] for r in warm]
    result["median_s"] = statistics.median(result["runs_s"])
    result["first_run_s"] = cold["inference_s"]
    if all("csr_build_s" in r for r in runs):
        result["csr_build_s"] = statistics.median(r["csr_build_s"] for r in runs)
    result["peak_rss_kib"] = max(r["peak_rss_kib"] for r in runs)
    result["compile_cold_s"] = cold.get("compile_s")
    result["compile_cached_s"] = statistics.median(r.get("compile_s", 0.0) for r in warm)
    result["cache_states"] = [r.get("cache", "unknown") for r in runs]
    result["time_to_first_result_s"] = cold["wall_s"]
    result["time_to_first_result_cached_s"] = statistics.median(r["wall_s"] for r in warm)
    result["deterministic"] = len({tuple(r.get("checksum", ())) for r in runs}) == 1
    # Per stage: the median over the cached runs, in schedule order.
    stage_lists = [r["stages"] for r in warm]
    if stage_lists and all(len(s) == len(stage_lists[0]) for s in stage_lists):
        result["stages"] = [{"what": s["what"], "kernel": s["kernel"],
                             "ms": statistics.median(run[i]["ms"] for run in stage_lists)}
                            for i, s in enumerate(stage_lists[0])]
    return result


def repeat_command(args, model, graph_path, features_path, runs, out_path=None,
                   gather_blocks=None):
    """This build's bench/gnnc-repeat on GRAPH_PATH: its command line and
    environment (--threads threads, the model's own kernel cache)."""
    cmd = [args.repeat, os.path.join(ROOT, model["file"]), graph_path, features_path,
           model["weights"], str(args.threads), str(runs)]
    cmd += [out_path] if out_path else []
    cmd += ["--gather-blocks=" + ",".join(gather_blocks)] if gather_blocks else []
    env = child_env(args.threads)
    env["GNNC_CACHE_DIR"] = os.path.join(args.data, "kernel-cache", model["name"])
    return cmd, env


def repeat_settings(r):
    """The gather settings of a gnnc-repeat object: its "settings" list, or
    the object itself when it ran one setting (then it has no list)."""
    return r["settings"] if "settings" in r else [r]


def run_gnnc_repeat(args, graph, model, gnnc_first_s, extra_env=None):
    """gnnc's steady state in one process (bench/gnnc-repeat, the embedding
    API): a first run, then --runs timed runs, as the PyTorch peers are
    timed. Its output must have gnn-run's checksum."""
    # A gnnc run is short, so one noisy moment of a shared host moves it
    # more than a peer's run of seconds: take more of them (about 10 s worth,
    # at least --runs, at most 25). More runs steady the median; they do not
    # bias it.
    per_run = max(gnnc_first_s, 1e-3)
    runs = max(args.runs, min(25, int(10.0 / per_run)))
    cmd, env = repeat_command(args, model, graph["edges_path"], graph["features_path"], runs)
    env.update(extra_env or {})
    rc, out, err, wall, rss = run_measured(cmd, env=env)
    if rc != 0:
        return {"status": "failed", "note": (err or out).strip()[-800:]}
    r = json.loads(out)
    return {"status": "ok", **repeat_medians(r), "csr_build_s": r.get("csr_build_s"),
            "time_to_first_result_s": r["time_to_first_result_s"], "peak_rss_kib": rss,
            "wall_s": wall}


def repeat_medians(r):
    """The medians of a gnnc-repeat object (or of one of its settings):
    the runs, each stage, the memory mapping; the first run; the checksum."""
    runs = [x["seconds"] for x in r["runs"]]
    stages = None
    if r["runs"] and all(len(x["stages_ms"]) == len(r["runs"][0]["stages_ms"]) for x in r["runs"]):
        stages = [statistics.median(x["stages_ms"][i] for x in r["runs"])
                  for i in range(len(r["runs"][0]["stages_ms"]))]
    memory = [x["memory_ms"] for x in r["runs"] if "memory_ms" in x]
    return {"median_s": statistics.median(runs), "runs_s": runs, "first_run_s": r["first"]["seconds"],
            "first_memory_ms": r["first"].get("memory_ms"), "stages_ms": stages,
            "memory_ms": statistics.median(memory) if memory else None, "checksum": r["checksum"]}


def compare_isa(args, graph, model, gnnc, avx512):
    """gnnc's kernels compiled for AVX2 (GNNC_TARGET_FEATURES=-avx512f)
    against the default AVX-512 ones, in one process each, on the same
    inputs; oneDNN's dense steps pick their own ISA either way. Returns the
    medians of the kernel (launch) steps and of the whole run."""
    log(f"bench:   {model['name']} kernels as AVX2")
    avx2 = run_gnnc_repeat(args, graph, model, gnnc["first_run_s"],
                           extra_env={"GNNC_TARGET_FEATURES": "-avx512f"})
    if avx2["status"] != "ok":
        return {"status": "failed", "note": avx2.get("note")}
    kernels = [i for i, st in enumerate(gnnc.get("stages", [])) if st.get("kernel")]
    def kernel_ms(r):
        return sum(r["stages_ms"][i] for i in kernels) if r.get("stages_ms") else None
    return {"status": "ok", "avx512_s": avx512["median_s"], "avx2_s": avx2["median_s"],
            "avx512_kernels_ms": kernel_ms(avx512), "avx2_kernels_ms": kernel_ms(avx2),
            "avx512_stages_ms": avx512.get("stages_ms"), "avx2_stages_ms": avx2.get("stages_ms"),
            "same_checksum": avx2.get("checksum") == avx512.get("checksum")}


def efficiency(args, graph, model, gnnc, limits):
    """Lower bounds for this model and graph, and gnnc against them."""
    n, e = graph["vertices"], graph["edges"]
    bw, gf = limits["bandwidth_gbs"], limits["gflops"]
    out = {}
    if model.get("layers"):
        out["model_bound"] = schedule.model_bound(model["layers"], n, e, bw, gf)
    steps = model.get("schedule") or []
    if steps:
        rows = schedule.costs(steps, n, e, bw, gf)
        for r, st in zip(rows, schedule.timed(steps)):
            if r["kind"] == "message":
                rg = schedule.random_gather(st, n, e, limits.get("ladder"), graph.get("source_cdf"))
                r["random_gather_s"] = rg["seconds"] if rg else None
                r["skewed_gather_s"] = rg.get("skewed_seconds") if rg else None
        out["schedule_bound_s"] = sum(r["bound_s"] for r in rows)
        out["schedule_bytes"] = sum(r["bytes"] for r in rows)
        stages = gnnc.get("stages") if gnnc else None
        names = [r["step"] for r in rows]
        if stages and names == [s["kernel"] or s["what"] for s in stages]:
            for r, s in zip(rows, stages):
                r["ms"] = s["ms"]
                r["gbs"] = r["bytes"] / (s["ms"] / 1e3) / 1e9 if s["ms"] > 0 else None
            mp = [r for r in rows if r["kind"] == "message"]
            if mp:
                # The efficiency figure: compulsory bytes against the
                # triad roof (and the random-gather rate of the same
                # measurement). How many row reads the edges make is an
                # access count, not a rate against either.
                b = sum(r["bytes"] for r in mp)
                t = sum(r["ms"] for r in mp) / 1e3
                gather = limits.get("gather_gbs")
                out["message_passing"] = {
                    "bytes": b, "seconds": t, "gbs": b / t, "fraction_of_triad": b / t / 1e9 / bw,
                    "fraction_of_gather": b / t / 1e9 / gather if gather else None,
                    "row_reads": sum(r["row_reads"] or 0 for r in mp)}
        out["steps"] = rows
    if gnnc and gnnc.get("status") == "ok" and "model_bound" in out:
        out["gnnc_efficiency"] = out["model_bound"]["bound_s"] / gnnc["median_s"]
    return out


# --------------------------------------------------------------------------
# The ablation (issue 15): each technique alone and together, gnnc only


_KERNEL_NAME = re.compile(r"^kernel @(\S+)")


def stage_key(name):
    """A gnnc-repeat stage name as schedule.costs names steps: the kernel's
    name, `linear`, or None for anything else (a permutation, an exchange)."""
    if m := _KERNEL_NAME.match(name):
        return m.group(1)
    return "linear" if name.startswith("linear") else None


def convert_graph(args, graph, ordering):
    """gnn-graph convert into a binary CSR file with ORDERING's vertex
    numbering (ORDERINGS; those in SORTED_IN_EDGES with --sort-in-edges):
    a once-per-graph cost, timed whole (reading the edge list, ordering,
    building and writing the CSR) and split as convert reports."""
    out = os.path.join(args.data, f"{graph['name']}.{ordering}.csr")
    cmd = [os.path.join(args.bin, "gnn-graph"), "convert", f"--graph={graph['edges_path']}",
           f"--num-nodes={graph['vertices']}", f"--out={out}",
           f"--reorder={'none' if ordering == 'sorted' else ordering}"]
    if ordering in SORTED_IN_EDGES:
        cmd.append("--sort-in-edges")
    rc, stdout, stderr, wall, rss = run_measured(cmd, env=child_env(args.threads))
    if rc != 0:
        return {"ordering": ordering, "status": "failed", "note": (stderr or stdout).strip()[-800:]}
    lines = [l for l in (stderr + stdout).splitlines() if l.strip()]
    result = {"ordering": ordering, "status": "ok", "path": out, "convert_s": wall,
              "peak_rss_kib": rss, "csr_bytes": os.path.getsize(out), "log": lines[-12:]}
    # The ordering's own time, from convert's progress line for it
    # ("gnn-graph: reorder (rcm): 100.0M edges in 12 s, 8.3M edges/s").
    for line in lines:
        if re.search(r": reorder\b", line) and (s := progress_seconds(line)) is not None:
            result["reorder_s"] = result.get("reorder_s", 0.0) + s
    return result


def progress_seconds(line):
    """The duration of a finished gnn::Progress line (`in 3.1 s`, `in 12 s`,
    `in 1 min 05 s`, `in 1 h 02 min`), or None."""
    if m := re.search(r"\bin (\d+) h (\d+) min\b", line):
        return 3600.0 * int(m.group(1)) + 60.0 * int(m.group(2))
    if m := re.search(r"\bin (\d+) min (\d+) s\b", line):
        return 60.0 * int(m.group(1)) + int(m.group(2))
    if m := re.search(r"\bin ([0-9.]+) s\b", line):
        return float(m.group(1))
    return None


def compare_outputs(reference, path):
    """PATH's output against REFERENCE's, elementwise by the e2e rule
    (|a - b| <= 1e-5 + 1e-4 |b|): a new vertex order sums each vertex's
    in-edges in another order, so bits may differ; the values must not."""
    import numpy as np
    a, b = np.load(path, mmap_mode="r"), np.load(reference, mmap_mode="r")
    if a.shape != b.shape:
        return {"same_shape": False}
    outside = 0
    max_err = 0.0
    rows = 1 << 18
    for i in range(0, a.shape[0], rows):
        x, y = np.asarray(a[i:i + rows], dtype=np.float64), np.asarray(b[i:i + rows], dtype=np.float64)
        err = np.abs(x - y)
        outside += int(np.count_nonzero(err > 1e-5 + 1e-4 * np.abs(y)))
        max_err = max(max_err, float(err.max()) if err.size else 0.0)
    return {"same_shape": True, "outside_rule": outside, "elements": int(a.size),
            "max_abs_err": max_err, "identical": bool(np.array_equal(a, b))}


def summarise_setting(r):
    """Medians of one gather-blocks setting of a gnnc-repeat object."""
    setup = [x["gather_setup_ms"] for x in r["runs"] if "gather_setup_ms" in x]
    return {**repeat_medians(r),
            # Gather blocking's once-per-graph setup (in the first run) and
            # its choice per stage, where the runtime reports them.
            "first_gather_setup_ms": r["first"].get("gather_setup_ms"),
            "gather_setup_ms": statistics.median(setup) if setup else None,
            "gather_choices": r["first"].get("gather_choices"),
            **output_back(r)}


def output_back(r):
    """A renumbered graph's output put back into the user's order, which
    every run pays to hand the output over: inside each run's time since
    the runs return it so (each run's "original_order_ms", the median
    here), or, from gnnc-repeat before that, timed once after the runs
    and added to their median by end_to_end."""
    inside = [x["original_order_ms"] for x in r["runs"] if "original_order_ms" in x]
    if inside and len(inside) == len(r["runs"]):
        return {"output_back_ms": statistics.median(inside), "output_back_in_runs": True}
    return {"output_back_ms": r.get("output_to_original_order_ms")}


def merge_rounds(settings):
    """One gather setting of an ablation configuration measured in several
    processes (rounds): every round's timed runs together, the first run
    and checksum of the first round, the median of the rounds' output-back
    times."""
    back = [x["output_to_original_order_ms"] for x in settings
            if x.get("output_to_original_order_ms") is not None]
    return {**settings[0], "runs": [run for x in settings for run in x["runs"]],
            "output_to_original_order_ms": statistics.median(back) if back else None}


def ablation_steps(model, graph, names, stages_ms, limits):
    """Per timed step of MODEL's schedule: its gnnc-repeat median, its
    compulsory bytes as a share of triad, and for a message step the time
    at 50% of triad and the random-gather time from the cache ladder. None
    when the run's stages do not line up with the schedule."""
    steps = model.get("schedule") or []
    if not steps or not stages_ms or not names or len(names) != len(stages_ms):
        return None
    keyed = [(k, ms) for name, ms in zip(names, stages_ms) if (k := stage_key(name)) is not None]
    n, e = graph["vertices"], graph["edges"]
    bw = limits["bandwidth_gbs"]
    rows = schedule.costs(steps, n, e, bw, limits["gflops"])
    if [r["step"] for r in rows] != [k for k, _ in keyed]:
        return None
    out = []
    for r, (_, ms), st in zip(rows, keyed, schedule.timed(steps)):
        row = {"step": r["step"], "kind": r["kind"], "ms": ms, "bytes": r["bytes"],
               "fraction_of_triad": r["bytes"] / (ms / 1e3) / 1e9 / bw if ms > 0 else None}
        if r["kind"] == "message":
            row["half_triad_ms"] = r["bytes"] / (0.5 * bw * 1e9) * 1e3
            rg = schedule.random_gather(st, n, e, limits.get("ladder"), graph.get("source_cdf"))
            if rg:
                row["random_gather_ms"] = rg["seconds"] * 1e3
                if rg.get("skewed_seconds") is not None:
                    row["skewed_gather_ms"] = rg["skewed_seconds"] * 1e3
                row["gathers"] = rg["tables"]
                row["row_reads"] = rg["reads"] * len(rg["tables"])
        out.append(row)
    other = [{"name": name, "ms": ms} for name, ms in zip(names, stages_ms) if stage_key(name) is None]
    return {"steps": out, "other_stages": other}


# The main issue 15 was filed against: its speedup target is measured
# against this commit's gnnc, built and run on the same machine in the same
# bench run (figures from another machine would make the ratio a guess).
ISSUE15_MAIN_COMMIT = "9565c9c"


def build_issue_main(args):
    """ISSUE15_MAIN_COMMIT's gnnc-repeat, built from this clone's history in
    <build>/issue15-main (the sources by git archive, a Release build
    beside them, kept for later runs); returns (path, None) or (None, why)."""
    top = os.path.join(os.path.abspath(args.build), "issue15-main")
    src, build = os.path.join(top, "src"), os.path.join(top, "build")
    repeat = os.path.join(build, "bench", "gnnc-repeat")
    if os.path.exists(repeat):
        return repeat, None
    r = subprocess.run(["git", "-C", ROOT, "rev-parse", "--verify", ISSUE15_MAIN_COMMIT + "^{commit}"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        return None, f"commit {ISSUE15_MAIN_COMMIT} is not in this clone's history (a shallow clone?)"
    os.makedirs(src, exist_ok=True)
    log(f"bench: building gnnc at {ISSUE15_MAIN_COMMIT} (issue 15's main) in {top}")
    archive = subprocess.Popen(["git", "-C", ROOT, "archive", ISSUE15_MAIN_COMMIT], stdout=subprocess.PIPE)
    untar = subprocess.run(["tar", "-x", "-C", src], stdin=archive.stdout, capture_output=True, text=True)
    archive.stdout.close()
    if archive.wait() != 0 or untar.returncode != 0:
        return None, "git archive failed: " + untar.stderr.strip()[-300:]
    for cmd in (["cmake", "-S", src, "-B", build, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                 "-DPython3_EXECUTABLE=/usr/bin/python3"],
                ["cmake", "--build", build, "--target", "gnnc-repeat"]):
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            return None, f"{' '.join(cmd[:2])} failed: " + (r.stderr or r.stdout).strip()[-500:]
    return repeat, None


def time_issue_main(args, repeat, graph, model):
    """One gnnc-repeat process of issue 15's main (REPEAT) on GRAPH's edge
    list, timed as that main's `make bench` timed gnnc: a first run, then
    --paired-runs timed runs. Returns the timed runs' seconds, or a
    failure's note."""
    cmd = [repeat, os.path.join(ROOT, model["file"]), graph["edges_path"], graph["features_path"],
           model["weights"], str(args.threads), str(args.paired_runs)]
    env = child_env(args.threads)
    env["GNNC_CACHE"] = "0"  # nothing shared with this build's kernel cache
    rc, out, err, wall, rss = run_measured(cmd, env=env)
    if rc != 0:
        return None, (err or out).strip()[-800:]
    return [x["seconds"] for x in json.loads(out)["runs"]], None


def time_configuration(args, graph, model, csr_path, gather_blocks):
    """One gnnc-repeat process of this build on CSR_PATH with GATHER_BLOCKS:
    a first run, then --paired-runs timed runs. Returns the end-to-end
    median (with the output put back into the user's order), or a
    failure's note."""
    cmd, env = repeat_command(args, model, csr_path, graph["features_path"], args.paired_runs,
                              gather_blocks=[gather_blocks])
    rc, out, err, wall, rss = run_measured(cmd, env=env)
    if rc != 0:
        return None, (err or out).strip()[-800:]
    return end_to_end(summarise_setting(repeat_settings(json.loads(out))[0])), None


def add_pair(entry, old_runs, now_s, note):
    """Adds one round of the head to head to ENTRY (a model's entry of
    ab["issue_main"]["models"]): the main's process (OLD_RUNS, its timed
    runs) and this build's (NOW_S, its end-to-end median), or the failure
    NOTE of either, which ends the model's measurement."""
    if note is not None:
        entry.update(status="failed", note=note)
        return
    entry["pairs"].append({"issue_main_s": statistics.median(old_runs), "now_s": now_s})


def head_to_head(args, main, old_repeat, graph, model, csr, best, save):
    """Issue 15's main against this build's fastest configuration BEST on
    rmat-22, in --paired-rounds rounds of two processes back to back, the
    order alternating (main first, then this build first, ...): a host
    whose speed drifts over minutes (the same build measured 1.7 and 2.7 s
    within minutes) slows the two processes of a round nearly alike, and
    alternating which runs first keeps a steady drift from favouring one
    side in every round."""
    entry = main["models"][model["name"]] = {
        "status": "ok", "configuration": best["configuration"], "ordering": best["ordering"],
        "gather_blocks": best["gather_blocks"], "pairs": []}
    for k in range(args.paired_rounds):
        log(f"bench: head to head {model['name']}, round {k + 1}: issue 15's main and "
            f"{best['configuration']} ({best['ordering']}, gather blocks {best['gather_blocks']})")
        timed = {"main": lambda: time_issue_main(args, old_repeat, graph, model),
                 "now": lambda: time_configuration(args, graph, model, csr[best["ordering"]],
                                                   best["gather_blocks"])}
        sides = {side: timed[side]() for side in (("main", "now") if k % 2 == 0 else ("now", "main"))}
        (old_runs, old_note), (now_s, now_note) = sides["main"], sides["now"]
        add_pair(entry, old_runs, now_s, old_note or now_note)
        if entry["status"] != "ok":
            log(f"bench:   failed: {entry['note']}")
            break
        pair = entry["pairs"][-1]
        log(f"bench:   {pair['issue_main_s']:.3f} s against {pair['now_s']:.3f} s: "
            f"{pair['issue_main_s'] / pair['now_s']:.2f}x")
        save()


def run_ablation(args, doc, models, save, prepared):
    """For each ablation graph (from PREPARED, the graphs this run has
    prepared already, or prepared here): the graph converted to a CSR file
    in each vertex order; for each model and order, one gnnc-repeat process timing
    the gathers unblocked (1) and with the cost model's blocks (auto); the
    configurations of the ablation table picked from those runs."""
    ab = doc["ablation"] = {"graphs": [], "runs": [], "configurations": [], "orderings": ORDERINGS,
                            "sorted_in_edges": list(SORTED_IN_EDGES),
                            "runs_per_setting": args.ablation_runs,
                            "rounds": args.ablation_rounds, "started": datetime.datetime.now().isoformat(timespec="seconds")}
    t0 = time.time()
    wanted = args.ablation_models.split(",")
    for gname in args.ablation_graphs.split(","):
        graph = prepared.get(gname) or prepare_graph(args, gname)
        ginfo = {k: v for k, v in graph.items() if not k.endswith("_path")}
        ginfo["converts"] = []
        ab["graphs"].append(ginfo)
        csr = {}
        for ordering in ORDERINGS:
            log(f"bench: ablation {gname}: convert, order {ordering}")
            c = convert_graph(args, graph, ordering)
            ginfo["converts"].append({k: v for k, v in c.items() if k != "path"})
            if c["status"] == "ok":
                csr[ordering] = c["path"]
                log(f"bench:   {c['convert_s']:.1f} s" + (f" (ordering {c['reorder_s']:.1f} s)"
                                                           if "reorder_s" in c else ""))
            else:
                log(f"bench:   {c['status']}: {c['note']}")
            save()
        # Issue 15's main, on rmat-22: timed head to head against each
        # model's fastest configuration once its configurations are known.
        old_repeat = None
        if gname == "rmat-22":
            main = ab["issue_main"] = {"commit": ISSUE15_MAIN_COMMIT, "graph": gname,
                                       "rounds": args.paired_rounds, "models": {}}
            old_repeat, why = build_issue_main(args)
            main["status"] = "ok" if old_repeat else "unavailable: " + why
            if not old_repeat:
                log(f"bench:   issue 15's main: {main['status']}")
            save()
        for model in models:
            if model["name"] not in wanted or "skipped" in model:
                continue
            base_out = None
            by_config = {}
            # One process per order and round, the orders rotating from
            # round to round, so that a host whose speed drifts over minutes
            # weighs on every order alike; a configuration's runs are those
            # of all its rounds. Round 1 writes the outputs compared below.
            names = [o for o in ORDERINGS if o in csr]
            done = {o: [] for o in names}
            failed_runs = {}
            for rnd in range(args.ablation_rounds):
                shift = rnd % len(names) if names else 0
                for ordering in names[shift:] + names[:shift]:
                    if ordering in failed_runs:
                        continue
                    log(f"bench: ablation {gname} {model['name']} order {ordering}, gather blocks "
                        + ",".join(GATHER_SETTINGS) + f", round {rnd + 1}/{args.ablation_rounds}")
                    out_path = (os.path.join(args.data, f"{gname}.{model['name']}.{ordering}.ablation.npy")
                                if rnd == 0 else None)
                    cmd, env = repeat_command(args, model, csr[ordering], graph["features_path"],
                                              args.ablation_runs, out_path, GATHER_SETTINGS)
                    rc, out, err, wall, rss = run_measured(cmd, env=env)
                    if rc != 0:
                        failed_runs[ordering] = (err or out).strip()[-800:]
                        log(f"bench:   failed: {failed_runs[ordering]}")
                        continue
                    r = json.loads(out)
                    done[ordering].append((r, wall, rss))
                    for sr in repeat_settings(r):
                        log(f"bench:   gather blocks {sr['gather_blocks']}: "
                            f"{repeat_medians(sr)['median_s']:.3f} s")
            for ordering in names:
                key = {"graph": gname, "model": model["name"], "ordering": ordering}
                if ordering in failed_runs or not done[ordering]:
                    for st in GATHER_SETTINGS:
                        ab["runs"].append({**key, "gather_blocks": st, "status": "failed",
                                           "note": failed_runs.get(ordering, "no run")})
                    continue
                r, _, _ = done[ordering][0]
                out_path = os.path.join(args.data, f"{gname}.{model['name']}.{ordering}.ablation.npy")
                common = {"csr_load_s": r.get("csr_build_s"),
                          "features_to_graph_order_s": r.get("features_to_graph_order_s"),
                          "time_to_first_result_s": r.get("time_to_first_result_s"),
                          "peak_rss_kib": max(rss for _, _, rss in done[ordering]),
                          "process_wall_s": statistics.median(w for _, w, _ in done[ordering]),
                          "rounds": len(done[ordering]), "stage_names": r.get("stages")}
                for k, sr in enumerate(repeat_settings(r)):
                    st = sr["gather_blocks"]
                    merged = merge_rounds([repeat_settings(x)[k] for x, _, _ in done[ordering]])
                    res = {**key, "gather_blocks": st, "status": "ok", **common,
                           **summarise_setting(merged)}
                    path = out_path if k == 0 else out_path[:-len(".npy")] + f".{st}.npy"
                    if ordering == "none" and k == 0:
                        base_out = path  # order none, gathers unblocked: the baseline
                    elif base_out and os.path.exists(path):
                        res["against_baseline"] = compare_outputs(base_out, path)
                    res["efficiency"] = ablation_steps(model, graph, r.get("stages"), res["stages_ms"],
                                                       doc["limits"])
                    ab["runs"].append(res)
                    by_config[(ordering, st)] = res
                    if path != base_out and os.path.exists(path):
                        os.unlink(path)
                    log(f"bench:   {ordering}, gather blocks {st}: {res['median_s']:.3f} s "
                        f"over {len(done[ordering])} rounds")
                save()
            if base_out and os.path.exists(base_out):
                os.unlink(base_out)
            failed = {c["ordering"]: f"{c['status']}: {c.get('note', '')}"
                      for c in ginfo["converts"] if c["status"] != "ok"}
            configurations = ablation_configurations(gname, model["name"], by_config, failed)
            ab["configurations"] += configurations
            measured = [c for c in configurations if c["status"] == "ok"]
            if old_repeat and measured:
                best = min(measured, key=lambda c: c["median_s"])
                head_to_head(args, main, old_repeat, graph, model, csr, best, save)
            save()
        for path in csr.values():
            if os.path.exists(path):
                os.unlink(path)
    ab["wall_s"] = time.time() - t0
    ab["finished"] = datetime.datetime.now().isoformat(timespec="seconds")
    save()


def end_to_end(r):
    """A run's median and, on a renumbered graph, putting its output back
    into the user's order (which every run must do to hand it over),
    unless the runs did that themselves."""
    if r.get("output_back_in_runs"):
        return r["median_s"]
    return r["median_s"] + (r.get("output_back_ms") or 0.0) / 1e3


def ablation_configurations(gname, mname, by_config, failed):
    """The ablation table's rows for one graph and model: baseline (order
    none, gathers unblocked), sorted in-edges alone, each order alone (its
    in-edges sorted), auto blocks alone, 2 forced blocks alone, and all
    (those orders with auto or 2 blocks: the fastest of them). A
    configuration not measured is there with its reason (FAILED: the
    orders whose convert failed)."""
    off = "1"
    base = by_config.get(("none", off))
    rows = []

    def row(name, ordering, st, reason=None):
        r = by_config.get((ordering, st))
        entry = {"graph": gname, "model": mname, "configuration": name, "ordering": ordering,
                 "gather_blocks": st}
        if r is None:
            entry["status"] = "skipped"
            entry["note"] = reason or "not measured (its run failed)"
        else:
            entry.update(status="ok", median_s=end_to_end(r), run_median_s=r["median_s"],
                         output_back_ms=r.get("output_back_ms"),
                         output_back_in_runs=bool(r.get("output_back_in_runs")),
                         speedup=end_to_end(base) / end_to_end(r) if base else None)
        rows.append(entry)

    row("baseline", "none", off)
    for ordering in ORDERINGS[1:]:
        row("sort-in-edges" if ordering == "sorted" else f"reorder={ordering}", ordering, off,
            "convert " + failed[ordering] if ordering in failed else None)
    row("gather-blocks=auto", "none", "auto")
    row("gather-blocks=2", "none", "2")
    # Picked among the runs that "all" is: an order fastest alone may
    # gain less from the blocks than another (SAGE's rcm and degree).
    together = {(o, st): end_to_end(by_config[(o, st)]) for o in ORDERINGS[1:]
                for st in ("auto", "2") if (o, st) in by_config}
    best, st = min(together, key=together.get) if together else ("none", "auto")
    row("all", best, st)
    rows[-1]["best_ordering"] = best
    return rows


# --------------------------------------------------------------------------
# Peers


def float64_reference(args, graph, model, path):
    """The reference in float64 at PATH (peer.py float64, a process of its
    own, so no peer's peak RSS carries it); made once per graph and model."""
    if os.path.exists(path):
        return None
    log(f"bench:   the float64 reference for {model['name']}")
    rc, out, err, wall, rss = run_measured(
        [args.python, os.path.join(HERE, "peer.py"), "float64", "--model", model["name"],
         "--graph", graph["edges_path"], "--features", graph["features_path"],
         "--weights", model["weights"], "--out", path, "--threads", str(args.threads)],
        env=child_env(args.threads))
    return None if rc == 0 else err.strip()[-800:]


def run_peer(args, system, graph, model, expect):
    """One peer in its own process. A full-graph peer whose output breaks
    the elementwise rule is run again once the float64 reference exists,
    and both are then compared with it (peer.check)."""
    float64 = expect[:-len(".gnnc.npy")] + ".float64.npy"
    result = run_peer_once(args, system, graph, model, expect, float64)
    if result.get("needs_float64"):
        error = float64_reference(args, graph, model, float64)
        if error:
            return {"status": "failed", "note": "the float64 reference failed: " + error}
        result = run_peer_once(args, system, graph, model, expect, float64)
    return result


def run_peer_once(args, system, graph, model, expect, float64):
    cmd = [args.python, os.path.join(HERE, "peer.py"), "run", "--system", system,
           "--model", model["name"], "--graph", graph["edges_path"],
           "--features", graph["features_path"], "--weights", model["weights"],
           "--runs", str(args.runs), "--threads", str(args.threads), "--t0", str(time.time())]
    if system != "sampled":
        cmd += ["--expect", expect, "--float64", float64]
    if system == "script":
        cmd += ["--warmup", "2"]
    env = child_env(args.threads)
    # OpenBLAS's pthreads spin after each call and fight torch's OpenMP
    # threads for the cores; on the many small matmuls of mini-batches that
    # costs the sampled peer about 2x, so it gets a single-threaded BLAS
    # (its other ops keep their threads). Full-graph peers are faster with
    # a BLAS thread per core.
    if system == "sampled":
        env["OPENBLAS_NUM_THREADS"] = "1"
    rc, out, err, wall, rss = run_measured(cmd, env=env)
    if rc != 0:
        return {"status": "failed", "note": err.strip()[-800:], "peak_rss_kib": rss}
    result = json.loads(out.splitlines()[-1])
    result["blas_threads"] = int(env["OPENBLAS_NUM_THREADS"])
    result["peak_rss_kib"] = rss
    result["process_wall_s"] = wall
    if result.get("verified") is False or result.get("needs_float64"):
        result["status"] = "unverified"
        f64 = result.get("float64")
        result["note"] = (f"output differs from gnnc's: {result['outside_rule']} elements outside "
                          f"|a - b| <= {result['atol']:g} + {result['rtol']:g}|b|, max abs error "
                          f"{result['max_abs_err']:.3g}"
                          + (f"; against float64, outside the rule: gnnc {f64['gnnc_outside_rule']} "
                             f"(max abs error {f64['gnnc_max_abs_err']:.3g}), peer "
                             f"{f64['peer_outside_rule']} ({f64['peer_max_abs_err']:.3g})"
                             if f64 else "") + "; not timed")
    else:
        result["status"] = "ok"
    return result


def predict(results, system, model, graph, args, mem_total_kib):
    """A reason to skip (system, model) on GRAPH, from its last result on a
    smaller graph, or None."""
    previous = [r for r in results if r["system"] == system and r["model"] == model
                and r.get("status") == "ok" and r["edges"] < graph["edges"]]
    if not previous:
        return None
    last = max(previous, key=lambda r: r["edges"])
    scale = max(graph["edges"] / last["edges"], graph["vertices"] / last["vertices"])
    per_run = last["median_s"] * scale
    passes = args.runs + 1 + {"script": 2, "sparse": 6}.get(system, 0)
    # The reference graph is measured whatever it takes: the ratios quoted
    # against issue 4's targets come from it.
    if per_run * passes > args.cell_budget and graph["name"] != REFERENCE_GRAPH:
        return (f"predicted {per_run:.0f} s per run ({per_run * passes:.0f} s for all runs) from "
                f"{last['graph']}, over the {args.cell_budget:.0f} s budget")
    rss = last["peak_rss_kib"] * scale
    if rss > args.memory_fraction * mem_total_kib:
        return (f"predicted peak RSS {rss / 2**20:.1f} GiB from {last['graph']}, over "
                f"{args.memory_fraction:.0%} of {mem_total_kib / 2**20:.0f} GiB")
    return None


def predict_optional(args, gname, graph_walls, ablation):
    """A reason to leave the optional graph GNAME out, or None: its cells
    are predicted from those of the graph it doubles (their wall time in
    this run, generation included, scaled by the edge count), and the run
    must stay within --time-budget with the closing limits measurement."""
    base = OPTIONAL_GRAPHS[gname]
    if base not in graph_walls:
        return f"{base}, which predicts its time, was not measured in this run"
    scale = GRAPHS[gname][1] / GRAPHS[base][1]
    predicted = graph_walls[base] * scale
    if not os.path.exists(os.path.join(args.data, gname + ".edges.npy")):
        predicted += 40.0 * scale  # generating it (rmat-22: about 15-30 s)
    elapsed = time.time() - START
    closing = 90.0  # STREAM, the ladder and sgemm again
    if elapsed + predicted + closing > args.time_budget * 60:
        return (f"predicted {predicted / 60:.1f} min ({scale:.0f} x {base}'s "
                f"{graph_walls[base] / 60:.1f} min in this run, generation included) after "
                f"{elapsed / 60:.1f} min{' (the ablation included)' if ablation else ''}: over "
                f"`make bench`'s {args.time_budget:.0f}-minute budget (--time-budget)")
    return None


# --------------------------------------------------------------------------


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="one small graph, GCN, gnnc and eager PyTorch")
    p.add_argument("--graphs", help="comma-separated, from: " + ", ".join(GRAPHS))
    p.add_argument("--models", help="comma-separated, from: " + ", ".join(m["name"] for m in MODELS))
    p.add_argument("--systems", help="comma-separated, from: gnnc, " + ", ".join(PEERS))
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--build", default=os.path.join(ROOT, "build"))
    p.add_argument("--data", help="graphs and weights (default BUILD/bench-data)")
    p.add_argument("--stream", help="the stream binary (default BUILD/bench/stream; built if missing)")
    p.add_argument("--stream-mib", type=int, default=512, help="MiB per STREAM array")
    p.add_argument("--repeat", help="the in-process gnnc runner (default BUILD/bench/gnnc-repeat; "
                   "without it gnnc is timed one gnn-run process per run)")
    p.add_argument("--python", default="/usr/bin/python3")
    p.add_argument("--cell-budget", type=float, default=150.0,
                   help="seconds one peer may be predicted to take on one graph")
    p.add_argument("--memory-fraction", type=float, default=0.6)
    p.add_argument("--out", help="results JSON (default bench/results/full.json, quick.json with "
                   "--quick, ablation.json with --only-ablation)")
    p.add_argument("--ablation", action=argparse.BooleanOptionalAction, default=None,
                   help="the ablation of issue 15 after the main measurements (default: on in full "
                   "mode, off with --quick or --graphs)")
    p.add_argument("--only-ablation", action="store_true",
                   help="the machine's limits and the ablation, nothing else")
    p.add_argument("--ablation-graphs", default=",".join(ABLATION["graphs"]))
    p.add_argument("--ablation-models", default=",".join(ABLATION["models"]))
    p.add_argument("--ablation-runs", type=int, default=3,
                   help="timed runs per ablation configuration and round, after a first (the "
                   "first timed run often maps fresh pages for 0.3 s: one such run per round "
                   "leaves the median of 2 rounds of 3 alone)")
    p.add_argument("--ablation-rounds", type=int, default=2,
                   help="processes per ablation configuration, one per round, the orders "
                   "rotating between rounds; a configuration's median is over all its runs")
    p.add_argument("--paired-runs", type=int, default=5,
                   help="timed runs of each process of the head to head, after a first")
    p.add_argument("--paired-rounds", type=int, default=4,
                   help="rounds of issue 15's main and this build's fastest rmat-22 configuration "
                   "timed back to back, per model")
    p.add_argument("--time-budget", type=float, default=45.0,
                   help="minutes the whole run may take: an optional graph (rmat-23) is measured "
                   "only if it is predicted to fit")
    args = p.parse_args()

    config = dict(FULL)
    if args.quick:
        config.update(QUICK)
    graphs = args.graphs.split(",") if args.graphs else config["graphs"]
    systems = args.systems.split(",") if args.systems else config["systems"]
    wanted = args.models.split(",") if args.models else config.get("models")
    specs = [m for m in MODELS if wanted is None or m["name"] in wanted]
    optional = [] if args.graphs else config.get("optional_graphs", [])
    if args.only_ablation:
        graphs, optional = [], []
    ablation = args.only_ablation or (args.ablation if args.ablation is not None
                                      else not (args.quick or args.graphs))
    for g in graphs + optional + (args.ablation_graphs.split(",") if ablation else []):
        if g not in GRAPHS:
            raise SystemExit(f"bench: unknown graph '{g}'")
    args.bin = os.path.join(args.build, "bin")
    args.data = args.data or os.path.join(args.build, "bench-data")
    args.stream = args.stream or os.path.join(args.build, "bench", "stream")
    args.out = args.out or os.path.join(HERE, "results", "quick.json" if args.quick else
                                        "ablation.json" if args.only_ablation else "full.json")
    args.repeat = args.repeat or os.path.join(args.build, "bench", "gnnc-repeat")
    if not os.access(args.repeat, os.X_OK):
        log(f"bench: {args.repeat} not found: gnnc is timed per gnn-run process")
        args.repeat = None
    os.makedirs(args.data, exist_ok=True)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    for tool in ("gnnc", "gnn-run", "gnn-graph", "gnn-opt"):
        if not os.access(os.path.join(args.bin, tool), os.X_OK):
            raise SystemExit(f"bench: {args.bin}/{tool} not found; run `make build` first")
    with open("/proc/meminfo") as f:
        mem_total_kib = int(next(l for l in f if l.startswith("MemTotal")).split()[1])

    if ablation and not args.repeat:
        raise SystemExit("bench: the ablation needs bench/gnnc-repeat; run `make build` first")
    doc = {"mode": "quick" if args.quick else "ablation" if args.only_ablation else "full",
           "started": datetime.datetime.now().isoformat(timespec="seconds"),
           "load_start": list(os.getloadavg()), "threads": args.threads, "runs": args.runs,
           "command": " ".join(sys.argv), "git": git_state(),
           "gnnc_steady_state": ("the median of --runs runs after a first one in one process "
                                 "(bench/gnnc-repeat, on the embedding API), as for the peers")
           if args.repeat else
           ("gnn-run infers once per process, so each of gnnc's timed runs is the first inference "
            "of a fresh process (its allocations and page faults included)")}
    doc["gnnc_binaries"] = {t: datetime.datetime.fromtimestamp(
        os.path.getmtime(os.path.join(args.bin, t))).isoformat(timespec="seconds")
        for t in ("gnnc", "gnn-run", "gnn-opt")}
    log("bench: machine description")
    doc["machine"] = machine_description(args.python, args.threads)
    if not doc["machine"]["blas_is_openblas"]:
        log("bench: warning: PyTorch is not using OpenBLAS: " + doc["machine"]["blas_in_torch"])
    log("bench: machine limits (STREAM, sgemm)")
    start_limits = measure_limits(args)
    doc["limits"] = {**start_limits, **set_roofs([start_limits])}
    log(f"bench: triad {doc['limits']['bandwidth_gbs']:.1f} GB/s, sgemm {doc['limits']['gflops']:.0f} GFLOP/s")
    if "sampled" in systems or "sparse" in systems:
        rc, out, err, _, _ = run_measured([args.python, os.path.join(HERE, "peer.py"), "selfcheck"],
                                          env=child_env(args.threads))
        doc["sampler_selfcheck"] = json.loads(out.splitlines()[-1]) if rc == 0 else {"ok": False, "error": err[-800:]}
        if not doc["sampler_selfcheck"].get("ok"):
            log("bench: self-check FAILED; sampled or sparse results are not trustworthy")

    doc["models"] = [prepare_model(args, s) for s in specs]
    for m in doc["models"]:
        if "skipped" in m:
            log(f"bench: {m['name']}: skipped: {m['skipped']}")
    doc["graphs"] = []
    results, bounds = [], []
    doc["results"], doc["bounds"] = results, bounds

    def save():
        doc["finished"] = datetime.datetime.now().isoformat(timespec="seconds")
        doc["load_end"] = list(os.getloadavg())
        tmp = args.out + ".tmp"
        with open(tmp, "w") as f:
            json.dump(doc, f, indent=1)
        os.replace(tmp, args.out)

    graph_walls = {}  # graph: wall seconds of all its cells, for predicting optional graphs
    prepared = {}  # graph: prepare_graph's object (the ablation's graphs are the main run's)
    # The ablation runs after the main graphs, the optional graphs last (so
    # that the prediction knows what the rest of the run took).
    for gname in graphs + ["(ablation)"] + optional:
        if gname == "(ablation)":
            if ablation:
                run_ablation(args, doc, doc["models"], save, prepared)
            continue
        if gname in optional:
            reason = predict_optional(args, gname, graph_walls, ablation)
            if reason:
                log(f"bench: {gname}: left out: {reason}")
                n, e = GRAPHS[gname]
                for model in doc["models"]:
                    if "skipped" not in model:
                        results.append({"graph": gname, "model": model["name"], "vertices": n,
                                        "edges": e, "system": "gnnc", "status": "skipped",
                                        "note": reason})
                doc.setdefault("left_out", []).append({"graph": gname, "reason": reason})
                save()
                continue
        graph_start = time.time()
        graph_systems = systems
        if not args.systems and gname in config.get("graph_systems", {}):
            graph_systems = config["graph_systems"][gname]
            doc.setdefault("graph_systems", {})[gname] = graph_systems
        graph = prepared[gname] = prepare_graph(args, gname)
        doc["graphs"].append({k: v for k, v in graph.items() if not k.endswith("_path")})
        for model in doc["models"]:
            if "skipped" in model:
                continue
            if gname not in config.get("model_graphs", {}).get(model["name"], [gname]):
                continue
            key = {"graph": gname, "model": model["name"], "vertices": graph["vertices"],
                   "edges": graph["edges"]}
            out_path = os.path.join(args.data, f"{gname}.{model['name']}.gnnc.npy")
            # Made afresh (when a peer needs it) for this run's inputs.
            float64_path = out_path[:-len(".gnnc.npy")] + ".float64.npy"
            if os.path.exists(float64_path):
                os.unlink(float64_path)
            gnnc = None
            if "gnnc" in graph_systems:
                log(f"bench: {gname} {model['name']} gnnc")
                gnnc = run_gnnc(args, graph, model, out_path)
                if gnnc["status"] == "ok" and args.repeat:
                    steady = run_gnnc_repeat(args, graph, model, gnnc["first_run_s"])
                    gnnc["in_process"] = steady
                    same = steady.get("checksum") == gnnc["cold"].get("checksum")
                    if steady["status"] == "ok" and same:
                        # The headline: timed like the peers, in one warm process.
                        gnnc["process_median_s"] = gnnc["median_s"]
                        gnnc["process_runs_s"] = gnnc["runs_s"]
                        gnnc["median_s"] = steady["median_s"]
                        gnnc["runs_s"] = steady["runs_s"]
                        gnnc["timing"] = "in-process"
                        gnnc["memory_ms"] = steady.get("memory_ms")
                        gnnc["first_memory_ms"] = steady.get("first_memory_ms")
                        if steady.get("stages_ms"):
                            for st, ms in zip(gnnc.get("stages", []), steady["stages_ms"]):
                                st["ms"] = ms
                    else:
                        steady["note"] = steady.get("note") or "checksum differs from gnn-run's"
                        log(f"bench:   in-process runner not used: {steady['note']}")
                    if (gname == REFERENCE_GRAPH and steady["status"] == "ok"
                            and "avx512f" in doc["machine"].get("vector ISA", "")):
                        gnnc["isa"] = compare_isa(args, graph, model, gnnc, steady)
                results.append({**key, "system": "gnnc", **gnnc})
                if gnnc["status"] != "ok":
                    log(f"bench:   failed: {gnnc['note']}")
                else:
                    log(f"bench:   {gnnc['median_s']:.3f} s, {gnnc['peak_rss_kib'] / 2**20:.2f} GiB")
                bounds.append({**key, **efficiency(args, graph, model, gnnc, doc["limits"])})
                save()
            for system in PEERS:
                if system not in graph_systems:
                    continue
                if system == "sparse" and model["name"] not in SPARSE_MODELS:
                    results.append({**key, "system": system, "status": "not applicable",
                                    "note": "no sparse form: attention weights are computed per "
                                            "edge from the features on PyG's sparse path too"})
                    continue
                if system != "sampled" and (gnnc is None or gnnc["status"] != "ok"):
                    results.append({**key, "system": system, "status": "skipped",
                                    "note": "no gnnc output to check against"})
                    continue
                reason = predict(results, system, model["name"], graph, args, mem_total_kib)
                if reason:
                    log(f"bench: {gname} {model['name']} {system}: skipped: {reason}")
                    results.append({**key, "system": system, "status": "skipped", "note": reason})
                    continue
                log(f"bench: {gname} {model['name']} {system}")
                r = run_peer(args, system, graph, model, out_path)
                results.append({**key, "system": system, **r})
                if r["status"] == "ok":
                    log(f"bench:   {r['median_s']:.3f} s, {r['peak_rss_kib'] / 2**20:.2f} GiB")
                else:
                    log(f"bench:   {r['status']}: {r.get('note', '')}")
                save()
        graph_walls[gname] = time.time() - graph_start
    log("bench: machine limits again (STREAM, sgemm)")
    end_limits = measure_limits(args)
    doc["limits"] = {**start_limits, **set_roofs([start_limits, end_limits]), "at_end": end_limits}
    log(f"bench: triad {end_limits['stream']['triad_median_gbs']:.1f} GB/s at the end; roofs "
        f"{doc['limits']['bandwidth_gbs']:.1f} GB/s, {doc['limits']['gflops']:.0f} GFLOP/s")
    # The bounds again, with the final roofs.
    gnnc_results = {(r["graph"], r["model"]): r for r in results if r["system"] == "gnnc"}
    graph_by_name = {g["name"]: g for g in doc["graphs"]}
    model_by_name = {m["name"]: m for m in doc["models"]}
    bounds[:] = [{**{k: b[k] for k in ("graph", "model", "vertices", "edges")},
                  **efficiency(args, graph_by_name[b["graph"]], model_by_name[b["model"]],
                               gnnc_results.get((b["graph"], b["model"])), doc["limits"])}
                 for b in bounds]
    ab = doc.get("ablation")
    if ab:
        ab_graphs = {g["name"]: g for g in ab["graphs"]}
        for r in ab["runs"]:
            if r.get("status") == "ok":
                r["efficiency"] = ablation_steps(model_by_name[r["model"]], ab_graphs[r["graph"]],
                                                 r.get("stage_names"), r.get("stages_ms"), doc["limits"])
    save()
    print_summary(doc)
    log(f"bench: results in {os.path.relpath(args.out)}")


def print_summary(doc):
    ok = {(r["graph"], r["model"], r["system"]): r for r in doc["results"] if r.get("status") == "ok"}
    print(f"{'graph':9} {'model':5} {'system':8} {'median s':>9} {'RSS GiB':>8} "
          f"{'gnnc speedup':>12} {'RSS ratio':>9}")
    for r in doc["results"]:
        g = ok.get((r["graph"], r["model"], "gnnc"))
        if r.get("status") != "ok":
            print(f"{r['graph']:9} {r['model']:5} {r['system']:8} {r['status']}: {r.get('note', '')}")
            continue
        speed = f"{r['median_s'] / g['median_s']:.1f}x" if g and r["system"] != "gnnc" else ""
        mem = f"{g['peak_rss_kib'] / r['peak_rss_kib']:.2f}" if g and r["system"] != "gnnc" else ""
        print(f"{r['graph']:9} {r['model']:5} {r['system']:8} {r['median_s']:9.3f} "
              f"{r['peak_rss_kib'] / 2**20:8.2f} {speed:>12} {mem:>9}")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""One PyTorch peer measurement in a process of its own (so that its peak RSS
is its own): bench.py runs it and reads the JSON object it prints last.

  peer.py run --system eager|script|sampled --model gcn --graph E.npy
              --features X.npy --weights W.safetensors [--expect Y.npy]
              [--runs 5] [--threads 2] [--t0 EPOCH]
  peer.py sgemm [--threads 2]        the machine's sgemm rate through torch
  peer.py info                       torch build, BLAS library actually loaded
  peer.py selfcheck                  the sampler at unlimited fanout equals
                                     full-graph inference

`run` checks the first result against --expect (gnnc's output, rtol 1e-4; see compare)
before it times anything; a mismatch is reported and nothing is timed.
"""

import time

T_START = time.time()  # before the imports: they are part of time to first result

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
import reference  # noqa: E402
import sampling  # noqa: E402
import tensors  # noqa: E402

# |actual - expected| <= RTOL |expected| + ATOL, ATOL = max(ATOL_FLOOR,
# ATOL_SCALE * max |expected|): the e2e tests' rule (rtol 1e-4, atol 1e-5)
# for outputs of order 1, and an absolute slack proportional to the output's
# scale where it is large. Sums over hubs' in-edges without normalisation
# (GIN) reach 1e4 and more, and float32 accumulated in a different order
# then differs by more than 1e-4 relative on the elements that cancel to
# near zero; a float64 evaluation shows gnnc and eager PyTorch equally far
# from it there.
RTOL, ATOL_FLOOR, ATOL_SCALE = 1e-4, 1e-5, 1e-6


def compare(actual, expected):
    """(ok, max abs error, max relative error, atol used)."""
    if actual.shape != expected.shape:
        return False, float("inf"), float("inf"), 0.0
    expected = expected.astype(np.float64)
    atol = max(ATOL_FLOOR, ATOL_SCALE * float(np.abs(expected).max(initial=0.0)))
    diff = np.abs(actual.astype(np.float64) - expected)
    ok = bool(np.all(diff <= atol + RTOL * np.abs(expected)))
    rel = diff / np.maximum(np.abs(expected), 1e-30)
    return ok, float(diff.max(initial=0.0)), float(rel.max(initial=0.0)), atol


def loaded_blas():
    """The BLAS/LAPACK shared objects mapped into this process."""
    libs = set()
    with open("/proc/self/maps") as f:
        for line in f:
            path = line.split()[-1]
            name = os.path.basename(path)
            if any(k in name for k in ("blas", "lapack", "mkl", "dnnl", "gomp", "omp")):
                libs.add(os.path.realpath(path))
    return sorted(libs)


def cmd_info(args):
    torch.set_num_threads(args.threads)
    a = torch.randn(256, 256)
    a @ a  # make sure the BLAS has been loaded and used
    np.ones((64, 64), dtype=np.float32) @ np.ones((64, 64), dtype=np.float32)
    core = None
    for lib in loaded_blas():
        if "openblas" in os.path.basename(lib):
            try:
                import ctypes
                handle = ctypes.CDLL(lib)
                handle.openblas_get_corename.restype = ctypes.c_char_p
                core = handle.openblas_get_corename().decode()
                handle.openblas_get_config.restype = ctypes.c_char_p
                core += " (" + handle.openblas_get_config().decode().strip() + ")"
            except (OSError, AttributeError):
                pass
    return {"torch": torch.__version__, "numpy": np.__version__, "openblas_core": core,
            "torch_config": torch.__config__.show(),
            "torch_parallel": torch.__config__.parallel_info(),
            "loaded_libraries": loaded_blas()}


def cmd_sgemm(args):
    torch.set_num_threads(args.threads)
    out = {"threads": torch.get_num_threads()}
    with torch.no_grad():
        for label, (m, k, n) in {"square_2048": (2048, 2048, 2048),
                                 "skinny_262144x128x64": (262144, 128, 64)}.items():
            a, b = torch.randn(m, k), torch.randn(k, n)
            a @ b
            rates = []
            for _ in range(args.reps):
                t = time.perf_counter()
                a @ b
                rates.append(2.0 * m * k * n / (time.perf_counter() - t) / 1e9)
            out[label + "_gflops"] = max(rates)
            out[label + "_median_gflops"] = statistics.median(rates)
        # oneDNN, which PyTorch also ships (and gnnc's dense stages use): on
        # some CPUs faster than the BLAS, and then the machine's flop roof.
        try:
            from torch.utils import mkldnn
            lin = mkldnn.to_mkldnn(torch.nn.Linear(2048, 2048, bias=False).eval())
            a = torch.randn(2048, 2048).to_mkldnn()
            lin(a)
            rates = []
            for _ in range(args.reps):
                t = time.perf_counter()
                lin(a)
                rates.append(2.0 * 2048**3 / (time.perf_counter() - t) / 1e9)
            out["onednn_square_2048_gflops"] = max(rates)
            out["onednn_square_2048_median_gflops"] = statistics.median(rates)
        except (RuntimeError, AttributeError) as e:
            out["onednn_error"] = str(e)
    return out


def cmd_selfcheck(args):
    """SAGE and GCN modules with random weights on a random graph: the
    sampler with every in-neighbour taken must reproduce full-graph
    inference for SAGE (mean of x_j needs only the sampled edges); GCN's
    normalisation uses subgraph degrees, as PyG's does, so it is not
    expected to match and is not checked."""
    rng = np.random.default_rng(args.seed)
    n, e, f = 3000, 30000, 32
    edge_index = np.stack([rng.integers(0, n, e) ** 2 // n, rng.integers(0, n, e)]).astype(np.int64)
    x = rng.standard_normal((n, f)).astype(np.float32)

    def glorot(o, i):
        b = np.sqrt(6.0 / (o + i))
        return rng.uniform(-b, b, (o, i)).astype(np.float32)

    sd = {"conv1.lin_l.weight": glorot(16, f), "conv1.lin_l.bias": glorot(1, 16)[0],
          "conv1.lin_r.weight": glorot(16, f), "conv2.lin_l.weight": glorot(4, 16),
          "conv2.lin_l.bias": glorot(1, 4)[0], "conv2.lin_r.weight": glorot(4, 16)}
    module = reference.build("sage", sd)
    with torch.no_grad():
        full = module(torch.from_numpy(x), torch.from_numpy(edge_index)).numpy()
    out, stats = sampling.run(module, x, edge_index, fanouts=(-1, -1), batch_size=256)
    ok, abs_err, rel_err, _ = compare(out.numpy(), full)
    _, stats25 = sampling.run(module, x, edge_index, fanouts=(25, 10), batch_size=256)
    return {"ok": ok, "max_abs_err": abs_err, "max_rel_err": rel_err,
            "redundancy_unlimited": stats["redundancy"], "redundancy_25_10": stats25["redundancy"]}


def cmd_run(args):
    torch.set_num_threads(args.threads)
    t0 = args.t0 if args.t0 else T_START
    result = {"system": args.system, "model": args.model, "threads": torch.get_num_threads()}
    edge_index, x = tensors.load_graph(args.graph, args.features)
    module = reference.build(args.model, tensors.read_safetensors(args.weights))
    ei_t, x_t = torch.from_numpy(edge_index), torch.from_numpy(x)
    result["load_s"] = time.time() - t0
    if args.system == "script":
        t = time.perf_counter()
        module = torch.jit.script(module)
        result["script_s"] = time.perf_counter() - t

    if args.system == "sampled":
        def once():
            out, stats = sampling.run(module, x, edge_index, seed=args.seed)
            return out, stats
    else:
        def once():
            with torch.no_grad():
                return module(x_t, ei_t), None

    t = time.perf_counter()
    out, stats = once()
    result["first_run_s"] = time.perf_counter() - t
    result["time_to_first_result_s"] = time.time() - t0
    if stats:
        result["first_stats"] = stats
    if args.expect and args.system != "sampled":
        ok, abs_err, rel_err, atol = compare(out.numpy(), np.load(args.expect))
        result.update(verified=ok, max_abs_err=abs_err, max_rel_err=rel_err,
                      rtol=RTOL, atol=atol)
        if not ok:
            return result
    for _ in range(args.warmup):
        once()
    runs, all_stats = [], []
    for _ in range(args.runs):
        t = time.perf_counter()
        _, stats = once()
        runs.append(time.perf_counter() - t)
        if stats:
            all_stats.append(stats)
    result["runs_s"] = runs
    result["median_s"] = statistics.median(runs)
    if all_stats:
        for key in ("sample_s", "compute_s"):
            result["median_" + key] = statistics.median(s[key] for s in all_stats)
        for key in ("rows_per_layer", "redundancy", "subgraph_edges", "batches"):
            result[key] = all_stats[0][key]
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run")
    run.add_argument("--system", choices=["eager", "script", "sampled"], required=True)
    run.add_argument("--model", choices=sorted(reference.MODULES), required=True)
    run.add_argument("--graph", required=True)
    run.add_argument("--features", required=True)
    run.add_argument("--weights", required=True)
    run.add_argument("--expect")
    run.add_argument("--runs", type=int, default=5)
    run.add_argument("--warmup", type=int, default=0,
                     help="untimed runs after the first (TorchScript's profiling executor optimises after them)")
    run.add_argument("--threads", type=int, default=2)
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--t0", type=float, help="epoch seconds when the parent started this process")
    sg = sub.add_parser("sgemm")
    sg.add_argument("--threads", type=int, default=2)
    sg.add_argument("--reps", type=int, default=5)
    info = sub.add_parser("info")
    info.add_argument("--threads", type=int, default=2)
    sc = sub.add_parser("selfcheck")
    sc.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    result = {"run": cmd_run, "sgemm": cmd_sgemm, "info": cmd_info,
              "selfcheck": cmd_selfcheck}[args.command](args)
    print(json.dumps(result))


if __name__ == "__main__":
    main()

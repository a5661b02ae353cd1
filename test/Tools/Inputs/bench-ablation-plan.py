"""Prints bench/bench.py's ablation bookkeeping for hand-made inputs: the
table's configurations from a set of runs, convert's progress durations,
a graph's source CDF and the gnnc-repeat stage keys.

  bench-ablation-plan.py BENCH_DIR TMPDIR
"""
import os
import sys

import numpy as np

sys.path.insert(0, sys.argv[1])
import bench  # noqa: E402

# Runs by (order, gather blocks): median seconds and, on a renumbered
# graph, the output put back (ms, added to the median).
by_config = {("none", "1"): {"median_s": 1.0}, ("none", "auto"): {"median_s": 0.8},
             ("sorted", "1"): {"median_s": 0.85},
             ("degree", "1"): {"median_s": 0.9, "output_back_ms": 50.0},
             ("rcm", "1"): {"median_s": 0.7, "output_back_ms": 100.0},
             ("degree", "auto"): {"median_s": 0.45, "output_back_ms": 50.0},
             ("rcm", "auto"): {"median_s": 0.5, "output_back_ms": 100.0},
             ("none", "2"): {"median_s": 0.9},
             ("rcm", "2"): {"median_s": 0.3, "output_back_ms": 100.0}}
for c in bench.ablation_configurations("g", "m", by_config, {"community": "failed: no memory"}):
    print(c["configuration"], c["ordering"], c["gather_blocks"], c["status"],
          "%.3f" % c["median_s"] if "median_s" in c else c.get("note"),
          "%.3f" % c["speedup"] if c.get("speedup") else "-", c.get("best_ordering", ""))

for line in ["gnn-graph: reorder (rcm): 100.0M edges in 3.1 s, 32M edges/s",
             "reorder: done in 12 s", "reorder: done in 1 min 05 s", "reorder: done in 1 h 02 min",
             "reorder: 12 s so far"]:
    print("progress", bench.progress_seconds(line))

# Sources 0 0 0 1 1 2 3 3 over 5 vertices: counts 3 2 1 2 0.
path = os.path.join(sys.argv[2], "g.edges.npy")
os.makedirs(sys.argv[2], exist_ok=True)
np.save(path, np.array([[0, 0, 0, 1, 1, 2, 3, 3], [1, 2, 3, 0, 2, 0, 0, 1]], dtype=np.int64))
print("cdf", bench.source_cdf(path, 5))

for name in ['kernel @forward_kernel2 loc("<gnn.nn>":78:20)', 'linear loc("<gnn.nn>":77:18)',
             "permute rows"]:
    print("stage", bench.stage_key(name))

# Issue 15's main built from a clone without its commit (a shallow one, or
# another repository): no build, and the reason.
import subprocess  # noqa: E402
import types  # noqa: E402
repo = os.path.join(sys.argv[2], "repo")
subprocess.run(["git", "init", "-q", repo], check=True)
bench.ROOT = repo
print("issue main", bench.build_issue_main(types.SimpleNamespace(build=os.path.join(sys.argv[2], "b"))))

# This build's gnnc-repeat command: the output path and the gather
# settings only where given; the model's own kernel cache. Its settings: a
# list as it is, one setting's object (no list) as a list of itself.
rargs = types.SimpleNamespace(repeat="rep", threads=2, data="d")
rmodel = {"file": "m.gnn", "weights": "m.st", "name": "gcn"}
for extra in [{}, {"out_path": "o.npy", "gather_blocks": ["1", "auto"]}, {"gather_blocks": ["auto"]}]:
    cmd, env = bench.repeat_command(rargs, rmodel, "g.csr", "f.npy", 5, **extra)
    print("command", " ".join(os.path.relpath(c, repo) if c.startswith(repo) else c for c in cmd),
          env["GNNC_CACHE_DIR"])
print("settings", bench.repeat_settings({"settings": [{"gather_blocks": "1"}, {"gather_blocks": "auto"}]}),
      bench.repeat_settings({"gather_blocks": "auto", "runs": []}))

# A configuration over rounds: every round's runs, round 1's first run,
# the median of the output-back times (one round without one).
merged = bench.merge_rounds([
    {"runs": [{"seconds": 1.0, "stages_ms": [1.0]}], "first": {"seconds": 5.0}, "checksum": [1.0],
     "output_to_original_order_ms": 10.0},
    {"runs": [{"seconds": 3.0, "stages_ms": [3.0]}, {"seconds": 2.0, "stages_ms": [2.0]}], "first": {"seconds": 6.0}, "checksum": [1.0],
     "output_to_original_order_ms": 30.0},
    {"runs": [{"seconds": 4.0, "stages_ms": [4.0]}], "first": {"seconds": 7.0}, "checksum": [1.0]}])
print("merged", [x["seconds"] for x in merged["runs"]], merged["first"]["seconds"],
      merged["output_to_original_order_ms"], bench.summarise_setting(merged)["median_s"])
# Runs that returned their output in the original order: the output-back
# time is each run's share (the median), already inside the run's time.
inside = bench.summarise_setting(
    {"runs": [{"seconds": 1.0, "stages_ms": [], "original_order_ms": 9.0},
              {"seconds": 2.0, "stages_ms": [], "original_order_ms": 5.0},
              {"seconds": 3.0, "stages_ms": [], "original_order_ms": 7.0}],
     "first": {"seconds": 4.0}, "checksum": [1.0]})
print("inside", inside["output_back_ms"], inside["output_back_in_runs"], bench.end_to_end(inside),
      bench.end_to_end({"median_s": 2.0, "output_back_ms": 7.0}))

# The head to head with issue 15's main, its two processes stubbed: the
# order alternates by round (main first in rounds 1 and 3), each round's
# pair is the main's median against this build's end-to-end median, and a
# failure of either side ends the model's rounds with its note.
calls = []
old = iter([[3.0, 1.0, 2.0], [5.0, 4.0], [1.0], None])
now = iter([1.0, 2.0, 0.5, 0.6])


def main_process(args, repeat, graph, model):
    calls.append("main")
    runs = next(old)
    return (runs, None) if runs else (None, "crashed")


def this_process(args, graph, model, csr_path, gather_blocks):
    calls.append(f"now:{csr_path}:{gather_blocks}")
    return next(now), None


bench.time_issue_main, bench.time_configuration = main_process, this_process
bench.log = lambda message: None
args = types.SimpleNamespace(paired_rounds=5)
main = {"models": {}}
best = {"configuration": "all", "ordering": "rcm", "gather_blocks": "auto"}
bench.head_to_head(args, main, "old", {}, {"name": "gcn"}, {"rcm": "g.rcm.csr"}, best, lambda: None)
print("calls", " ".join(calls))
print("pairs", main["models"]["gcn"]["pairs"])
print("status", main["models"]["gcn"]["status"], main["models"]["gcn"]["note"])

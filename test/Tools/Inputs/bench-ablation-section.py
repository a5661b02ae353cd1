"""Prints bench/report.py's "Ablation (issue 15)" section for a results
fixture, and which of two ablations report.py shows (the later started).

  bench-ablation-section.py BENCH_DIR FIXTURE.json TMPDIR
"""
import json
import os
import sys

sys.path.insert(0, sys.argv[1])
import report  # noqa: E402

with open(sys.argv[2]) as f:
    doc = json.load(f)
L = []
report.write_ablation(L, doc["ablation"], doc, sys.argv[2], own_file=True)
print("\n".join(L))

# A main results file with an older ablation of its own, and the fixture as
# ablation.json beside it: the fixture's (later) one is shown; with the
# main file's started later, the main file's.
os.makedirs(sys.argv[3], exist_ok=True)
main = {"ablation": dict(doc["ablation"], started="2000-01-01T00:00:00")}
with open(os.path.join(sys.argv[3], "ablation.json"), "w") as f:
    json.dump(doc, f)
path = os.path.join(sys.argv[3], "full.json")
_, _, chosen = report.load_ablation(main, path)
print("chosen:", os.path.basename(chosen))
main["ablation"]["started"] = "2999-01-01T00:00:00"
_, _, chosen = report.load_ablation(main, path)
print("chosen:", os.path.basename(chosen))

# The table against issue 15's main, from that main's timings measured in
# the same run: each model's fastest rmat-22 configuration, its ratio by
# medians and by fastest runs, and whether both, one or neither reach
# 1.5x; then a run that could not build the main.
confs = [{"graph": "rmat-22", "model": m, "configuration": c, "ordering": o, "gather_blocks": b,
          "status": "ok", "median_s": s}
         for m, c, s, o, b in [("gcn", "baseline", 1.2, "none", "1"), ("gcn", "all", 0.9, "rcm", "auto"),
                               ("sage", "baseline", 1.3, "none", "1"),
                               ("sage", "reorder=rcm", 1.2, "rcm", "1"),
                               ("gin", "reorder=rcm", 1.0, "rcm", "1")]]
runs = [{"graph": "rmat-22", "model": m, "ordering": o, "gather_blocks": b, "runs_s": r,
         "output_back_ms": back}
        for m, o, b, r, back in [("gcn", "rcm", "auto", [0.85, 0.9, 0.95], 50.0),
                                 ("sage", "rcm", "1", [1.1, 1.2], 0.0),
                                 ("gin", "rcm", "1", [0.9, 1.0], 100.0)]]
main = {"commit": "9565c9c", "status": "ok",
        "models": {"gcn": {"status": "ok", "median_s": 1.8, "runs_s": [1.8, 1.5]},
                   "sage": {"status": "ok", "median_s": 1.5, "runs_s": [1.5, 1.4]},
                   "gin": {"status": "ok", "median_s": 1.6, "runs_s": [1.6, 1.4]}}}
L = []
report.write_against_issue_main(L, {"configurations": confs, "runs": runs, "issue_main": main},
                                ["gcn", "sage", "gin"])
report.write_against_issue_main(L, {"configurations": confs, "runs": runs,
                                    "issue_main": {"commit": "9565c9c",
                                                   "status": "unavailable: no history"}}, ["gcn"])
print("\n".join(L))

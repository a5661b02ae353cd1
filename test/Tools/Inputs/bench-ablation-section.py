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
# the same run: each model's fastest rmat-22 configuration, its ratio, and
# whether it reaches 1.5x; then a run that could not build the main.
confs = {("rmat-22", m, c): {"status": "ok", "median_s": s, "configuration": c, "ordering": o}
         for m, c, s, o in [("gcn", "baseline", 1.2, "none"), ("gcn", "all", 0.9, "rcm"),
                            ("sage", "baseline", 1.3, "none"), ("sage", "reorder=rcm", 1.2, "rcm")]}
main = {"commit": "9565c9c", "status": "ok",
        "models": {"gcn": {"status": "ok", "median_s": 1.8}, "sage": {"status": "ok", "median_s": 1.5}}}
L = []
report.write_against_issue_main(L, confs, ["gcn", "sage"], main)
report.write_against_issue_main(L, confs, ["gcn"], {"commit": "9565c9c", "status": "unavailable: no history"})
print("\n".join(L))

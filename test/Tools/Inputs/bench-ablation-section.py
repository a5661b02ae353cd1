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

# The table against issue 15's main, from the head to head's rounds: each
# round's ratio, their median, and whether it reaches 1.5x; a model whose
# main failed; then a run that could not build the main.
main = {"commit": "9565c9c", "status": "ok", "rounds": 3,
        "models": {"gcn": {"status": "ok", "configuration": "all", "ordering": "rcm",
                           "gather_blocks": "auto",
                           "pairs": [{"issue_main_s": 1.8, "now_s": 0.9},
                                     {"issue_main_s": 2.4, "now_s": 1.5},
                                     {"issue_main_s": 1.5, "now_s": 1.2}]},
                   "sage": {"status": "ok", "configuration": "reorder=rcm", "ordering": "rcm",
                            "gather_blocks": "1",
                            "pairs": [{"issue_main_s": 1.5, "now_s": 1.2},
                                      {"issue_main_s": 2.0, "now_s": 1.0},
                                      {"issue_main_s": 1.4, "now_s": 1.0}]},
                   "gin": {"status": "failed", "configuration": "reorder=rcm", "ordering": "rcm",
                           "gather_blocks": "1", "pairs": [], "note": "crashed"}}}
L = []
report.write_against_issue_main(L, {"issue_main": main}, ["gcn", "sage", "gin", "gat"])
report.write_against_issue_main(L, {"issue_main": {"commit": "9565c9c",
                                                   "status": "unavailable: no history"}}, ["gcn"])
print("\n".join(L))

# An ablation with 2 forced blocks: their own column, and "all" naming the
# setting it took (here gcn's rcm with 2 blocks, which the fixture's
# gather-blocks=2 row gives by hand), in the table and against the main.
ab = json.loads(json.dumps(doc["ablation"]))
confs = ab["configurations"]
at = next(i for i, c in enumerate(confs)
          if c["model"] == "gcn" and c["configuration"] == "gather-blocks=auto")
confs.insert(at + 1, dict(confs[at], configuration="gather-blocks=2", gather_blocks="2",
                          median_s=0.0277, speedup=2.0))
for c in confs:
    if c["model"] == "gcn" and c["configuration"] == "all":
        c.update(ordering="rcm", gather_blocks="2", median_s=0.0185, speedup=3.0)
L = []
report.write_ablation(L, ab, doc, sys.argv[2], own_file=True)
for line in L:
    if line.startswith("| graph | model | baseline") or line.startswith("| rmat-16 | gcn | 55"):
        print(line)
    elif "**gather-blocks=2**" in line:
        print(line[line.index("**gather-blocks=auto**"):line.index("A renumbered")])
main["models"]["gcn"]["gather_blocks"] = "2"
L = []
report.write_against_issue_main(L, {"issue_main": main}, ["gcn"])
print("\n".join(line for line in "\n".join(L).splitlines() if line.startswith("| gcn")))

"""Prints bench/report.py's bound line for a model with a fused-model
bound and for one without (EdgeConv's), from hand-written bounds.

  bench-bounds-sentence.py BENCH_DIR
"""
import sys

sys.path.insert(0, sys.argv[1])
import report  # noqa: E402

print(report.bounds_sentence("GCN", {
    "model_bound": {"bound_s": 0.0123, "bytes": 345_600_000, "flops": 2.25e9},
    "schedule_bound_s": 1.5, "schedule_bytes": 378_338_648}), end="")
print(report.bounds_sentence("EdgeConv", {
    "schedule_bound_s": 0.0413933, "schedule_bytes": 1_059_724_112}), end="")

"""What check_distributed.py and check_threads.py both set up for a model:
its weights (random, for the parameters gnnc lists) and a random graph with
features (make_inputs.py: isolated vertices, stored self loops, duplicate
edges), and a run() that stops the script on the first failing command.
"""

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.realpath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        sys.exit(f"FAILED ({r.returncode}): {' '.join(cmd)}\n{r.stdout}{r.stderr}")
    return r.stdout


def prepare(model, out, *, vertices, edges, features, edge_features, seed, sets):
    """Writes the weights and the graph under `out`. Returns (set flags,
    weights path, file prefix): PREFIX.edges.npy, .features.npy and, with
    edge_features, .edge_attr.npy."""
    os.makedirs(out, exist_ok=True)
    set_flags = [f"--set={s}" for s in [f"in_channels={features}"] + sets]
    params = os.path.join(out, "params.txt")
    run(["gnnc", model, "--emit=params", "-o", params] + set_flags)
    weights = os.path.join(out, "w.safetensors")
    run(["/usr/bin/python3", os.path.join(ROOT, "scripts", "random-weights"), params,
         weights, "--seed", str(seed)])
    prefix = os.path.join(out, "g")
    gen = ["/usr/bin/python3", os.path.join(HERE, "make_inputs.py"), "--vertices",
           str(vertices), "--edges", str(edges), "--features", str(features),
           "--seed", str(seed), "--out", prefix]
    if edge_features:
        gen += ["--edge-features", str(edge_features)]
    run(gen)
    return set_flags, weights, prefix

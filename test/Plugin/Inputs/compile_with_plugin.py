"""compile_with_plugin.py MODEL PREFIX PLUGIN: gnnc.compile with and without
a pass plugin's pipeline; prints whether the outputs are the same bits, then
the errors of bad plugin and pipeline arguments."""
import sys

import numpy as np

import gnnc

model, prefix, plugin = sys.argv[1:4]
graph = gnnc.Graph(np.load(prefix + ".edges.npy"))
x = np.load(prefix + ".features.npy")
weights = prefix + ".weights.safetensors"
plain = gnnc.compile(model, weights=weights)(graph, x)
folded = gnnc.compile(model, weights=weights, pass_plugins=[plugin],
                      pass_pipeline="builtin.module(func.func(gnn-fold-unit-mul))")(graph, x)
print("with the plugin:", "identical" if plain.tobytes() == folded.tobytes() else "DIFFERENT")

for what, kwargs in [
        ("missing plugin", {"pass_plugins": [prefix + "missing.so"],
                            "pass_pipeline": "builtin.module(func.func(gnn-fold-unit-mul))"}),
        ("unknown pass", {"pass_pipeline": "builtin.module(func.func(no-such-pass))"}),
        ("plugins not a list", {"pass_plugins": "p.so"}),
        ("pipeline not a str", {"pass_pipeline": 3})]:
    try:
        gnnc.compile(model, weights=weights, **kwargs)
        print(what + ": no error")
    except gnnc.Error as e:
        print(f"{what}: Error: {e}")

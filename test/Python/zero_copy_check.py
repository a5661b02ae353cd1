"""Which inputs of a run the module copies: zero_copy_check.py EXAMPLES_DIR.

numpy reports its allocations to tracemalloc (the runtime's own buffers
and the output it hands over are not Python allocations), so the traced
peak during a run shows whether x was copied by numpy: a C-contiguous x must
not be (it is borrowed), a Fortran-order one must be, once. Edge features
are reordered by the runtime in one copy from any layout, with no numpy copy.
"""

import os
import sys
import tracemalloc

import numpy as np

import gnnc

examples = sys.argv[1]
rng = np.random.default_rng(4)
n, e = 20000, 100000
edge_index = rng.integers(0, n, size=(2, e))
graph = gnnc.Graph(edge_index, num_nodes=n)


def peak_during(run):
    run()  # the first run of a graph size maps the model's arena
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def bound(path):
    model = gnnc.compile(os.path.join(examples, "models", path))
    model.load_weights({k: rng.standard_normal(s).astype(np.float32)
                        for k, s in model.parameters.items()})
    return model


gcn = bound("gcn.gnn")
x = rng.standard_normal((n, 128)).astype(np.float32)
for label, xs in [("C-contiguous", x), ("Fortran-order", np.asfortranarray(x))]:
    copies = peak_during(lambda: gcn(graph, xs)) / x.nbytes
    print(f"{label} x: {int(copies + 0.5)} copies by numpy")

gine = bound("gine.gnn")
edge_attr = rng.standard_normal((e, 8)).astype(np.float32)[:, ::2]  # strided
copies = peak_during(lambda: gine(graph, x, edge_attr)) / (e * 4 * 4)
print(f"strided edge_attr: {int(copies + 0.5)} copies by numpy")

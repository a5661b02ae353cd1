"""gnnc.Graph.load on an edge_index .npy and on its binary CSR file."""
import os
import sys

import numpy as np

import gnnc

examples, d = sys.argv[1], sys.argv[2]
npy = gnnc.Graph.load(d + "/g.edges.npy", num_nodes=50)
csr = gnnc.Graph.load(d + "/g.csr")
print("npy:", npy)
print("csr:", csr)
rng = np.random.default_rng(1)
model = gnnc.compile(os.path.join(examples, "models", "gcn.gnn"))
model.load_weights({k: rng.standard_normal(s).astype(np.float32)
                    for k, s in model.parameters.items()})
x = np.load(d + "/g.features.npy")
want = model(npy, x)
print("same output:", np.array_equal(want, model(csr, x)))
for order in ["degree", "rcm", "community"]:
    g = gnnc.Graph.load(d + f"/g.{order}.csr")
    got = model(g, x)
    print(f"{order}: reordered {g.reordered}, same bits:",
          np.array_equal(want.view(np.uint32), got.view(np.uint32)))
try:
    gnnc.Graph.load(d + "/short.csr")
except gnnc.Error as e:
    print("short: Error:", str(e))

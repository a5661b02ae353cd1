"""Faults reach Python as gnnc.Error (a RuntimeError) with gnnc's one-line
message: errors_check.py EXAMPLES_DIR SCRATCH_DIR prints one line per case,
`CASE: ExceptionType: message` (a compiler report's first line only)."""

import os
import sys

import numpy as np

import gnnc

examples, scratch = sys.argv[1], sys.argv[2]
gcn = os.path.join(examples, "models", "gcn.gnn")
gine = os.path.join(examples, "models", "gine.gnn")


def case(name, action):
    try:
        action()
        print(f"{name}: no error")
    except Exception as e:  # noqa: BLE001 - the type is what is printed
        first = str(e).splitlines()[0] if str(e) else ""
        print(f"{name}: {type(e).__name__}: {first}")


print("Error is a RuntimeError:", issubclass(gnnc.Error, RuntimeError))
print("UnusedWeightsError is an Error:", issubclass(gnnc.UnusedWeightsError, gnnc.Error))

rng = np.random.default_rng(1)
edge_index = np.array([[0, 1, 2, 3], [1, 2, 3, 0]], dtype=np.int64)
graph = gnnc.Graph(edge_index)
x = rng.standard_normal((4, 8)).astype(np.float32)
model = gnnc.compile(gcn, in_channels=8, hidden=4, out_channels=3)
weights = {name: rng.standard_normal(shape).astype(np.float32)
           for name, shape in model.parameters.items()}

# Compiling and loading.
case("missing model file", lambda: gnnc.compile(os.path.join(scratch, "none.gnn")))
bad_model = os.path.join(scratch, "bad.gnn")
with open(bad_model, "w") as f:
    f.write("class M(Model):\n    def forward(self, x, edge_index)\n        return x\n")
case("syntax error", lambda: gnnc.compile(bad_model))
case("argument of no type", lambda: gnnc.compile(gcn, hidden=[4]))
case("argument of a bad value", lambda: gnnc.compile(gcn, hidden=-3))
case("contradicting weights", lambda: gnnc.compile(
    gcn, hidden=5, weights={"conv1.lin.weight": np.zeros((4, 8), np.float32)}))
case("width not an integer", lambda: gnnc.compile(gcn, input_features=2.5))
case("model_name not a str", lambda: gnnc.compile(gcn, model_name=3))
print("numpy scalars as arguments:", gnnc.compile(
    gcn, in_channels=np.int64(8), hidden=np.int32(4), out_channels=3).parameters)
case("missing artifact", lambda: gnnc.load(os.path.join(scratch, "none.gnnc")))
garbage = os.path.join(scratch, "garbage.gnnc")
with open(garbage, "wb") as f:
    f.write(b"\x7fELF not really an object file")
case("garbage artifact", lambda: gnnc.load(garbage))
case("path of no type", lambda: gnnc.load(42))

# Graphs.
case("float edge_index", lambda: gnnc.Graph(edge_index.astype(np.float32)))
case("edge_index of 3 rows", lambda: gnnc.Graph(np.zeros((3, 4), np.int64)))
case("id beyond num_nodes", lambda: gnnc.Graph(edge_index, num_nodes=3))
case("negative id", lambda: gnnc.Graph(np.array([[0, -1], [1, 0]])))
case("negative num_nodes", lambda: gnnc.Graph(edge_index, num_nodes=-2))
case("id too large", lambda: gnnc.Graph(np.array([[0], [2**40]])))
case("num_nodes not an integer", lambda: gnnc.Graph(edge_index, num_nodes=2.5))
case("num_nodes beyond int64", lambda: gnnc.Graph(edge_index, num_nodes=2**70))
case("load num_nodes not an integer", lambda: gnnc.Graph.load(
    os.path.join(scratch, "none.npy"), num_nodes="3"))
case("load negative num_nodes", lambda: gnnc.Graph.load(
    os.path.join(scratch, "none.npy"), num_nodes=-1))

# Running.
case("weights not bound", lambda: model(graph, x))
model.load_weights(weights)
case("x float64", lambda: model(graph, x.astype(np.float64)))
case("x 1-D", lambda: model(graph, x[0]))
case("x rows", lambda: model(graph, x[:3]))
case("x width", lambda: model(graph, np.zeros((4, 5), np.float32)))
case("x a list", lambda: model(graph, [[1.0] * 8] * 4))
case("edge_attr not taken", lambda: model(graph, x, np.zeros((4, 4), np.float32)))
case("graph not a Graph", lambda: model(edge_index, x))
case("negative threads", lambda: setattr(model, "threads", -1))
case("threads not an integer", lambda: setattr(model, "threads", 1.5))
case("negative gather_blocks", lambda: setattr(model, "gather_blocks", -2))
case("too many gather_blocks", lambda: setattr(model, "gather_blocks", 4097))
case("gather_blocks not an integer", lambda: setattr(model, "gather_blocks", "auto"))
gine_model = gnnc.compile(gine, in_channels=8, hidden=4, out_channels=3)
gine_model.load_weights({name: np.zeros(shape, np.float32)
                         for name, shape in gine_model.parameters.items()})
case("edge_attr missing", lambda: gine_model(graph, x))
case("edge_attr rows", lambda: gine_model(graph, x, np.zeros((3, 4), np.float32)))
case("edge_attr width", lambda: gine_model(graph, x, np.zeros((4, 2), np.float32)))

# Weights.
missing = {k: v for k, v in weights.items() if k != "conv2.bias"}
case("missing weight", lambda: model.load_weights(missing))
misshapen = dict(weights, **{"conv1.bias": np.zeros(5, np.float32)})
case("misshapen weight", lambda: model.load_weights(misshapen))
case("unused weight", lambda: model.load_weights(dict(weights, extra=np.zeros(2))))
case("complex weight", lambda: model.load_weights(
    dict(weights, **{"conv1.bias": np.zeros(4, np.complex64)})))
case("key not a string", lambda: model.load_weights({1: np.zeros(2)}))
case("weights a list", lambda: model.load_weights([1, 2]))
case("missing safetensors", lambda: model.load_weights(os.path.join(scratch, "none.safetensors")))
bad_weights = os.path.join(scratch, "bad.safetensors")
with open(bad_weights, "wb") as f:
    f.write(b"\xff" * 16)
case("bad safetensors", lambda: model.load_weights(bad_weights))

# A failed bind keeps the weights bound before: the model still runs.
y = model(graph, x)
print("after the faults:", y.shape, y.dtype)

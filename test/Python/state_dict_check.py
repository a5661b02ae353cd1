"""A torch model's state_dict through the gnnc Python module.

  state_dict_check.py GCN_MODEL_FILE PREFIX

PREFIX.edges.npy and PREFIX.features.npy are the inputs (make_inputs.py).
Builds a two-layer GCN of plain torch.nn layers named as PyG names
GCNConv's parameters, compiles the model file with widths inferred from
the state_dict's shapes, and checks its output against a dense-adjacency
float64 NumPy GCN written here (within 1e-4). Writes for gnn-run to
compare bit for bit: PREFIX.<dtype>.pt (the state_dict in float32, float16,
bfloat16 and float64) and PREFIX.<dtype>.py.npy (the module's output with
that state_dict bound as a dict of tensors). Checks that torch tensors as
inputs, parameters that require grad, integer buffers and strict=False give
the same bits, and that an entry the model lacks is refused by name.
"""

import sys

import numpy as np
import torch

import gnnc


class GCNConv(torch.nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.lin = torch.nn.Linear(i, o, bias=False)
        self.bias = torch.nn.Parameter(torch.empty(o).uniform_(-0.5, 0.5))


class GCN(torch.nn.Module):
    def __init__(self, i, h, o):
        super().__init__()
        self.conv1 = GCNConv(i, h)
        self.conv2 = GCNConv(h, o)


def dense_gcn(sd, x, edge_index):
    """PyG's GCN with a dense normalised adjacency, in float64: A[t, s] counts
    the edges s -> t, self loops replaced by exactly one per vertex."""
    n = x.shape[0]
    a = np.zeros((n, n))
    for s, t in edge_index.T:
        if s != t:
            a[t, s] += 1
    a += np.eye(n)
    d = a.sum(axis=1) ** -0.5
    a_hat = d[:, None] * a * d[None, :]
    w = {k: v.detach().double().numpy() for k, v in sd.items()}
    h = a_hat @ (x.astype(np.float64) @ w["conv1.lin.weight"].T) + w["conv1.bias"]
    h = np.maximum(h, 0)
    return a_hat @ (h @ w["conv2.lin.weight"].T) + w["conv2.bias"]


def same_bits(a, b):
    return a.shape == b.shape and np.array_equal(a.view(np.uint32), b.view(np.uint32))


def main():
    model_file, prefix = sys.argv[1], sys.argv[2]
    edge_index = np.load(prefix + ".edges.npy")
    x = np.load(prefix + ".features.npy")
    torch.manual_seed(5)
    net = GCN(x.shape[1], 12, 5)
    sd = net.state_dict()

    # Widths from the state_dict's shapes: in_channels from x, hidden and
    # out_channels from conv1.lin.weight and conv2.bias.
    model = gnnc.compile(model_file, weights=sd)
    print("parameters:", model.parameters)
    print("shapes:", model.input_shape, model.output_shape)
    graph = gnnc.Graph(edge_index, num_nodes=x.shape[0])
    y = model(graph, x)
    expected = dense_gcn(sd, x, edge_index)
    error = np.abs(y - expected) / (1e-5 + 1e-4 * np.abs(expected))
    print("dense float64 reference:", "OK" if error.max() <= 1 else
          f"MISMATCH (worst {error.max():.2f} x tolerance)")

    for name, dtype in [("f32", torch.float32), ("f16", torch.float16),
                        ("bf16", torch.bfloat16), ("f64", torch.float64)]:
        typed = {k: v.to(dtype) for k, v in sd.items()}
        torch.save(typed, f"{prefix}.{name}.pt")
        model.load_weights(typed)
        np.save(f"{prefix}.{name}.py.npy", model(graph, x))

    model.load_weights(sd)
    checks = {
        "torch inputs": lambda: model(gnnc.Graph(torch.from_numpy(edge_index),
                                                  num_nodes=x.shape[0]),
                                      torch.from_numpy(x)),
    }
    for label, run in checks.items():
        print(label + ":", "same bits" if same_bits(run(), y) else "DIFFERENT")

    model.load_weights(dict(net.named_parameters()))  # requires_grad=True
    print("parameters that require grad:",
          "same bits" if same_bits(model(graph, x), y) else "DIFFERENT")

    with_buffer = dict(sd)
    with_buffer["conv1.num_batches_tracked"] = torch.tensor(7)
    model.load_weights(with_buffer)
    print("integer buffer skipped:",
          "same bits" if same_bits(model(graph, x), y) else "DIFFERENT")

    with_extra = dict(sd)
    with_extra["head.weight"] = torch.zeros(3, 5)
    try:
        model.load_weights(with_extra)
        print("unused entry: accepted")
    except gnnc.UnusedWeightsError as e:
        print(f"unused entry: {type(e).__name__} {e.names}: {e}")
    model.load_weights(with_extra, strict=False)
    print("strict=False:",
          "same bits" if same_bits(model(graph, x), y) else "DIFFERENT")


if __name__ == "__main__":
    main()

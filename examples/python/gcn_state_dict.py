"""Runs a PyTorch model's state_dict with gnnc, from Python.

    PYTHONPATH=build/python /usr/bin/python3 examples/python/gcn_state_dict.py

A two-layer GCN written with plain torch.nn layers (no PyG needed) whose
parameter names are those of examples/models/gcn.gnn -- conv1.lin.weight,
conv1.bias, conv2.lin.weight, conv2.bias, as PyG's GCNConv names them -- so
its state_dict() binds to the compiled model as it is. The script runs both
on a random graph and prints how far apart they are.
"""

import os
import sys

import numpy as np
import torch

import gnnc

MODEL_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          "..", "models", "gcn.gnn")


class GCNConv(torch.nn.Module):
    """PyG's GCNConv: symmetric normalisation over in-edges plus one self
    loop per vertex (existing self loops replaced), then a bias."""

    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.lin = torch.nn.Linear(in_channels, out_channels, bias=False)
        self.bias = torch.nn.Parameter(torch.empty(out_channels).uniform_(-0.1, 0.1))

    def forward(self, x, edge_index):
        n = x.shape[0]
        source, target = edge_index
        keep = source != target
        loops = torch.arange(n)
        source = torch.cat([source[keep], loops])
        target = torch.cat([target[keep], loops])
        degree = torch.zeros(n).index_add_(0, target, torch.ones(target.numel()))
        norm = degree.pow(-0.5)
        h = self.lin(x)
        messages = (norm[source] * norm[target]).unsqueeze(1) * h[source]
        out = torch.zeros(n, h.shape[1]).index_add_(0, target, messages)
        return out + self.bias


class GCN(torch.nn.Module):
    def __init__(self, in_channels, hidden, out_channels):
        super().__init__()
        self.conv1 = GCNConv(in_channels, hidden)
        self.conv2 = GCNConv(hidden, out_channels)

    def forward(self, x, edge_index):
        return self.conv2(torch.relu(self.conv1(x, edge_index)), edge_index)


def main():
    torch.manual_seed(0)
    num_nodes, num_edges, in_channels, hidden, out_channels = 1000, 8000, 32, 24, 7
    net = GCN(in_channels, hidden, out_channels).eval()
    edge_index = torch.randint(0, num_nodes, (2, num_edges))
    x = torch.randn(num_nodes, in_channels)

    # Compile for these widths (the model file's constructor arguments, as
    # gnn-run's --set), then bind the state_dict as it is.
    model = gnnc.compile(MODEL_FILE, in_channels=in_channels, hidden=hidden,
                         out_channels=out_channels)
    print("parameters:", ", ".join(f"{name} {list(shape)}"
                                    for name, shape in model.parameters.items()))
    model.load_weights(net.state_dict())

    graph = gnnc.Graph(edge_index.numpy(), num_nodes=num_nodes)  # once
    y = model(graph, x.numpy())                                   # numpy [N, C]

    with torch.no_grad():
        expected = net(x, edge_index).numpy()
    difference = float(np.max(np.abs(y - expected)))
    print(f"output: {list(y.shape)} {y.dtype}; max |gnnc - torch| = {difference:.2e}")
    return 0 if np.allclose(y, expected, rtol=1e-4, atol=1e-5) else 1


if __name__ == "__main__":
    sys.exit(main())

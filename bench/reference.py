"""PyTorch references for the benchmark's models, with PyTorch Geometric's
semantics written in plain torch ops (torch_geometric is not a dependency).

Each layer does per call what PyG's layer does per call in eval mode, in the
same order: GCNConv and GATConv rebuild the self loops (remove, then one per
vertex; PyG's add_remaining_self_loops / remove_self_loops+add_self_loops)
and GCNConv recomputes its normalisation (PyG's default cached=False);
messages are gathered with index_select (PyG's x_j) and aggregated with a
scatter over the targets (edge_index[1]). The only liberty: a sum scatter is
`index_add_` rather than PyG's `scatter_add_` with a broadcast index, the
faster of the two in this PyTorch, so the peer is not handicapped.

Modules are built from a state_dict with PyG's names (conv1.lin.weight ...)
and are torch.jit.script-able as written.

The sparse forms (SPARSE_MODULES, `adjacency`) are what a PyG user with a
static graph runs instead (`cached=True`, or a SparseTensor adj_t): the
layer's aggregation matrix built once per graph, then per layer a dense
matmul and one sparse-dense matmul, with no E x F tensor. GCN, SAGE (mean)
and GIN have one; GAT's weights depend on the features, so it has none.
"""

from typing import Dict, List

import torch
import torch.nn.functional as F
from torch import Tensor


def scatter_sum(src: Tensor, index: Tensor, num_nodes: int) -> Tensor:
    """out[index[k]] += src[k] along dimension 0."""
    size = list(src.shape)
    size[0] = num_nodes
    return src.new_zeros(size).index_add_(0, index, src)


def one_self_loop_each(edge_index: Tensor, num_nodes: int) -> Tensor:
    """Drops stored self loops and appends exactly one per vertex."""
    keep = edge_index[0] != edge_index[1]
    loop = torch.arange(num_nodes, dtype=edge_index.dtype, device=edge_index.device)
    return torch.cat([edge_index[:, keep], torch.stack([loop, loop])], dim=1)


class GCNConv(torch.nn.Module):
    def __init__(self, sd: Dict[str, Tensor], prefix: str):
        super().__init__()
        self.weight = torch.nn.Parameter(sd[prefix + "lin.weight"])
        self.bias = torch.nn.Parameter(sd[prefix + "bias"])

    def forward(self, x: Tensor, edge_index: Tensor) -> Tensor:
        n = x.size(0)
        ei = one_self_loop_each(edge_index, n)
        src, dst = ei[0], ei[1]
        deg = scatter_sum(torch.ones(src.numel(), dtype=x.dtype), dst, n)
        dinv = deg.pow(-0.5)
        dinv = dinv.masked_fill(dinv == float("inf"), 0.0)
        norm = dinv.index_select(0, src) * dinv.index_select(0, dst)
        h = F.linear(x, self.weight)
        msg = h.index_select(0, src) * norm.view(-1, 1)
        return scatter_sum(msg, dst, n) + self.bias


class SAGEConv(torch.nn.Module):
    """Mean aggregation (PyG's default), lin_l with bias, lin_r without."""

    def __init__(self, sd: Dict[str, Tensor], prefix: str):
        super().__init__()
        self.weight_l = torch.nn.Parameter(sd[prefix + "lin_l.weight"])
        self.bias_l = torch.nn.Parameter(sd[prefix + "lin_l.bias"])
        self.weight_r = torch.nn.Parameter(sd[prefix + "lin_r.weight"])

    def forward(self, x: Tensor, edge_index: Tensor) -> Tensor:
        n = x.size(0)
        src, dst = edge_index[0], edge_index[1]
        total = scatter_sum(x.index_select(0, src), dst, n)
        count = scatter_sum(torch.ones(src.numel(), dtype=x.dtype), dst, n)
        mean = total / count.clamp(min=1.0).view(-1, 1)
        return F.linear(mean, self.weight_l, self.bias_l) + F.linear(x, self.weight_r)


class Dense(torch.nn.Module):
    """Linear (y = x W^T + b), optionally followed by ReLU."""

    def __init__(self, weight: Tensor, bias: Tensor, relu: bool):
        super().__init__()
        self.weight = torch.nn.Parameter(weight)
        self.bias = torch.nn.Parameter(bias)
        self.relu = relu

    def forward(self, x: Tensor) -> Tensor:
        x = F.linear(x, self.weight, self.bias)
        return torch.relu(x) if self.relu else x


class MLP(torch.nn.Module):
    """torch.nn.Sequential(Linear, ReLU, Linear, ...) as PyG's GIN examples
    build it: parameters `<prefix>0.weight`, `<prefix>2.weight` ..."""

    def __init__(self, sd: Dict[str, Tensor], prefix: str):
        super().__init__()
        indices: List[int] = []
        while prefix + str(2 * len(indices)) + ".weight" in sd:
            indices.append(2 * len(indices))
        if not indices:
            raise KeyError(prefix + "0.weight")
        self.layers = torch.nn.ModuleList([
            Dense(sd[prefix + f"{i}.weight"], sd[prefix + f"{i}.bias"], relu=i != indices[-1])
            for i in indices])

    def forward(self, x: Tensor) -> Tensor:
        for layer in self.layers:
            x = layer(x)
        return x


class GINConv(torch.nn.Module):
    """nn((1 + eps) * x + sum of x_j). eps comes from the state_dict when it
    is there (PyG keeps it there, as a buffer or with train_eps=True as a
    parameter), else PyG's default 0."""

    def __init__(self, sd: Dict[str, Tensor], prefix: str):
        super().__init__()
        self.nn = MLP(sd, prefix + "nn.")
        eps = sd.get(prefix + "eps", torch.zeros(1))
        self.eps = torch.nn.Parameter(eps.reshape(1))

    def forward(self, x: Tensor, edge_index: Tensor) -> Tensor:
        n = x.size(0)
        src, dst = edge_index[0], edge_index[1]
        out = scatter_sum(x.index_select(0, src), dst, n) + (1.0 + self.eps) * x
        return self.nn(out)


class GATConv(torch.nn.Module):
    """PyG's GATConv: shared linear map, per-head logits
    leaky_relu(a_src . h_j + a_dst . h_i, 0.2), softmax over each target's
    in-edges (self loops rebuilt), heads concatenated or averaged, bias."""

    def __init__(self, sd: Dict[str, Tensor], prefix: str, concat: bool):
        super().__init__()
        name = prefix + "lin.weight"
        if name not in sd:
            name = prefix + "lin_src.weight"  # PyG before 2.3
        self.weight = torch.nn.Parameter(sd[name])
        att_src = sd[prefix + "att_src"]
        self.heads = int(att_src.shape[-2])
        self.channels = int(att_src.shape[-1])
        self.att_src = torch.nn.Parameter(att_src.reshape(1, self.heads, self.channels))
        self.att_dst = torch.nn.Parameter(sd[prefix + "att_dst"].reshape(1, self.heads, self.channels))
        self.bias = torch.nn.Parameter(sd[prefix + "bias"])
        self.concat = concat

    def forward(self, x: Tensor, edge_index: Tensor) -> Tensor:
        n = x.size(0)
        h = F.linear(x, self.weight).view(-1, self.heads, self.channels)
        a_src = (h * self.att_src).sum(-1)
        a_dst = (h * self.att_dst).sum(-1)
        ei = one_self_loop_each(edge_index, n)
        src, dst = ei[0], ei[1]
        alpha = F.leaky_relu(a_src.index_select(0, src) + a_dst.index_select(0, dst), 0.2)
        # PyG's softmax(alpha, index): subtract the per-target maximum.
        index = dst.view(-1, 1).expand_as(alpha)
        amax = torch.full((n, self.heads), float("-inf"), dtype=x.dtype)
        amax = amax.scatter_reduce(0, index, alpha, reduce="amax", include_self=True)
        alpha = (alpha - amax.index_select(0, dst)).exp()
        denom = scatter_sum(alpha, dst, n) + 1e-16
        alpha = alpha / denom.index_select(0, dst)
        msg = h.index_select(0, src) * alpha.unsqueeze(-1)
        out = scatter_sum(msg, dst, n)
        if self.concat:
            out = out.reshape(n, self.heads * self.channels)
        else:
            out = out.mean(dim=1)
        return out + self.bias


class EdgeConv(torch.nn.Module):
    """PyG's EdgeConv as PyG runs it: per edge j -> i the row cat([x_i,
    x_j - x_i]) (an E x 2F tensor), the MLP on all of them, then the max
    per target (0 where a vertex has no in-edge, as PyG's scatter)."""

    def __init__(self, sd: Dict[str, Tensor], prefix: str):
        super().__init__()
        self.nn = MLP(sd, prefix + "nn.")

    def forward(self, x: Tensor, edge_index: Tensor) -> Tensor:
        src, dst = edge_index[0], edge_index[1]
        x_i, x_j = x.index_select(0, dst), x.index_select(0, src)
        m = self.nn(torch.cat([x_i, x_j - x_i], dim=-1))
        out = torch.zeros(x.size(0), m.size(1), dtype=m.dtype)
        return out.scatter_reduce(0, dst.view(-1, 1).expand_as(m), m, reduce="amax",
                                  include_self=False)


class GCN(torch.nn.Module):
    def __init__(self, sd: Dict[str, Tensor]):
        super().__init__()
        self.conv1 = GCNConv(sd, "conv1.")
        self.conv2 = GCNConv(sd, "conv2.")

    def forward(self, x: Tensor, edge_index: Tensor) -> Tensor:
        return self.conv2(torch.relu(self.conv1(x, edge_index)), edge_index)


class SAGE(torch.nn.Module):
    def __init__(self, sd: Dict[str, Tensor]):
        super().__init__()
        self.conv1 = SAGEConv(sd, "conv1.")
        self.conv2 = SAGEConv(sd, "conv2.")

    def forward(self, x: Tensor, edge_index: Tensor) -> Tensor:
        return self.conv2(torch.relu(self.conv1(x, edge_index)), edge_index)


class GIN(torch.nn.Module):
    def __init__(self, sd: Dict[str, Tensor]):
        super().__init__()
        self.conv1 = GINConv(sd, "conv1.")
        self.conv2 = GINConv(sd, "conv2.")

    def forward(self, x: Tensor, edge_index: Tensor) -> Tensor:
        return self.conv2(torch.relu(self.conv1(x, edge_index)), edge_index)


class GAT(torch.nn.Module):
    def __init__(self, sd: Dict[str, Tensor]):
        super().__init__()
        self.conv1 = GATConv(sd, "conv1.", concat=True)
        self.conv2 = GATConv(sd, "conv2.", concat=False)

    def forward(self, x: Tensor, edge_index: Tensor) -> Tensor:
        return self.conv2(F.elu(self.conv1(x, edge_index)), edge_index)


class EdgeConvNet(torch.nn.Module):
    def __init__(self, sd: Dict[str, Tensor]):
        super().__init__()
        self.conv1 = EdgeConv(sd, "conv1.")
        self.conv2 = EdgeConv(sd, "conv2.")

    def forward(self, x: Tensor, edge_index: Tensor) -> Tensor:
        return self.conv2(torch.relu(self.conv1(x, edge_index)), edge_index)


MODULES = {"gcn": GCN, "sage": SAGE, "gin": GIN, "gat": GAT, "edgeconv": EdgeConvNet}


# --------------------------------------------------------------------------
# Sparse forms: A[i, j] is the weight of edge j -> i, summed over duplicate
# edges, so A @ x is exactly the scatter of the forms above.


def adjacency(model: str, edge_index: Tensor, num_nodes: int, layout: str = "csr",
              dtype: torch.dtype = torch.float32) -> Tensor:
    """The [N, N] aggregation matrix of MODEL's layers, as a sparse COO or
    CSR tensor: GCN's gcn_norm (add_remaining_self_loops: one self loop per
    vertex, then D^-1/2 (A + I) D^-1/2 with in-degrees), SAGE's mean (each
    row divided by its in-degree, at least 1), GIN's plain sum."""
    if model == "gcn":
        edge_index = one_self_loop_each(edge_index, num_nodes)
    src, dst = edge_index[0], edge_index[1]
    deg = scatter_sum(torch.ones(src.numel(), dtype=dtype), dst, num_nodes)
    if model == "gcn":
        dinv = deg.pow(-0.5)
        dinv = dinv.masked_fill(dinv == float("inf"), 0.0)
        value = dinv.index_select(0, src) * dinv.index_select(0, dst)
    elif model == "sage":
        value = (1.0 / deg.clamp(min=1.0)).index_select(0, dst)
    elif model == "gin":
        value = torch.ones(src.numel(), dtype=dtype)
    else:
        raise KeyError(model)
    a = torch.sparse_coo_tensor(torch.stack([dst, src]), value, (num_nodes, num_nodes)).coalesce()
    return a.to_sparse_csr() if layout == "csr" else a


class SparseGCNConv(torch.nn.Module):
    def __init__(self, sd: Dict[str, Tensor], prefix: str):
        super().__init__()
        self.weight = torch.nn.Parameter(sd[prefix + "lin.weight"])
        self.bias = torch.nn.Parameter(sd[prefix + "bias"])

    def forward(self, x: Tensor, adj: Tensor) -> Tensor:
        return adj @ F.linear(x, self.weight) + self.bias


class SparseSAGEConv(SAGEConv):
    def forward(self, x: Tensor, adj: Tensor) -> Tensor:
        return F.linear(adj @ x, self.weight_l, self.bias_l) + F.linear(x, self.weight_r)


class SparseGINConv(GINConv):
    def forward(self, x: Tensor, adj: Tensor) -> Tensor:
        return self.nn(adj @ x + (1.0 + self.eps) * x)


class SparseTwoLayer(torch.nn.Module):
    """conv2(relu(conv1(x, A)), A), the three models' shape."""

    def __init__(self, conv, sd: Dict[str, Tensor]):
        super().__init__()
        self.conv1 = conv(sd, "conv1.")
        self.conv2 = conv(sd, "conv2.")

    def forward(self, x: Tensor, adj: Tensor) -> Tensor:
        return self.conv2(torch.relu(self.conv1(x, adj)), adj)


SPARSE_MODULES = {"gcn": SparseGCNConv, "sage": SparseSAGEConv, "gin": SparseGINConv}


def build(name, state_dict, sparse=False):
    """The reference module for model NAME with weights {name: ndarray};
    with SPARSE, its sparse form, called as module(x, adjacency(NAME, ...))."""
    sd = {k: torch.from_numpy(v) for k, v in state_dict.items()}
    if sparse:
        return SparseTwoLayer(SPARSE_MODULES[name], sd).eval()
    return MODULES[name](sd).eval()

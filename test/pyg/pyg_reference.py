"""PyG's layers transcribed in plain PyTorch (float64, COO edge lists), from
PyG's documented formulas, for the tests of the shipped layer library:
an independent statement of what GCNConv, GraphConv, GATv2Conv,
TransformerConv, ResGatedGraphConv, APPNP and SGConv compute in eval mode.

Each layer is a function (x, edge_index, w, prefix, **keywords) -> out,
with `w` the state_dict (load_weights) and `prefix` the layer's name in it
("conv1."). The helpers repeat PyG's utilities: add_self_loops appends one
loop per vertex (after remove_self_loops where the layer removes them),
add_remaining_self_loops drops the stored loops first and, with edge
weights, gives each vertex's loop its (last) stored loop's weight or the
fill value; scatter sums per target; softmax is per target.
"""

import json
import math
import struct

import numpy as np
import torch


def load_weights(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    w = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        lo, hi = info["data_offsets"]
        a = np.frombuffer(data[lo:hi], dtype=np.float32).reshape(info["shape"])
        w[name] = torch.from_numpy(a.copy()).double()
    return w


def load_inputs(prefix):
    x = torch.from_numpy(np.load(prefix + ".features.npy")).double()
    ei = torch.from_numpy(np.load(prefix + ".edges.npy")).long()
    return x, ei


def save(path, y):
    np.save(path, y.detach().numpy().astype(np.float32))


# --- graph utilities -------------------------------------------------------

def remove_self_loops(ei, attr=None):
    keep = ei[0] != ei[1]
    return ei[:, keep], (None if attr is None else attr[keep])


def scatter_sum(src, index, n):
    out = torch.zeros((n,) + tuple(src.shape[1:]), dtype=src.dtype)
    return out.index_add_(0, index, src)


def loop_rows(ei, n, attr, fill):
    """PyG's compute_loop_attr: the added loops' rows, a number or a
    reduction over every stored in-edge (self loops included)."""
    if fill in ("mean", "add", "sum"):
        s = scatter_sum(attr, ei[1], n)
        cnt = scatter_sum(torch.ones(ei.size(1), dtype=attr.dtype), ei[1], n)
        return s if fill != "mean" else \
            s / cnt.clamp(min=1).view((-1,) + (1,) * (attr.dim() - 1))
    if fill in ("max", "min"):
        # PyG's scatter: a vertex without in-edges gets 0.
        idx = ei[1].view((-1,) + (1,) * (attr.dim() - 1)).expand_as(attr)
        return torch.zeros((n,) + tuple(attr.shape[1:]),
                           dtype=attr.dtype).scatter_reduce(
            0, idx, attr, reduce="a" + fill, include_self=False)
    return torch.full((n,) + tuple(attr.shape[1:]), float(fill),
                      dtype=attr.dtype)


def add_self_loops(ei, n, attr=None, fill="mean"):
    loop = torch.arange(n)
    ei2 = torch.cat([ei, torch.stack([loop, loop])], dim=1)
    if attr is None:
        return ei2, None
    return ei2, torch.cat([attr, loop_rows(ei, n, attr, fill)], dim=0)


def add_remaining_self_loops(ei, n, weight=None, fill=1.0):
    keep = ei[0] != ei[1]
    loop = torch.arange(n)
    ei2 = torch.cat([ei[:, keep], torch.stack([loop, loop])], dim=1)
    if weight is None:
        return ei2, None
    loop_w = loop_rows(ei, n, weight, fill)
    for k in torch.nonzero(~keep).flatten().tolist():  # the last one wins
        loop_w[ei[0, k]] = weight[k]
    return ei2, torch.cat([weight[keep], loop_w])


def gcn_norm(ei, n, weight=None, improved=False, self_loops=True):
    if self_loops:
        ei, weight = add_remaining_self_loops(ei, n, weight,
                                              2.0 if improved else 1.0)
    if weight is None:
        weight = torch.ones(ei.size(1), dtype=torch.double)
    deg = scatter_sum(weight, ei[1], n)
    dis = deg.pow(-0.5)
    dis[dis == float("inf")] = 0
    return ei, dis[ei[0]] * weight * dis[ei[1]]


def edge_softmax(logits, index, n):
    """Softmax of logits [E, H] over the edges of each target."""
    mx = torch.full((n,) + tuple(logits.shape[1:]), -float("inf"),
                    dtype=logits.dtype)
    mx = mx.scatter_reduce(0, index.view(-1, 1).expand_as(logits), logits,
                           reduce="amax")
    e = (logits - mx[index]).exp()
    return e / scatter_sum(e, index, n)[index]


def linear(w, name, x):
    y = x @ w[name + ".weight"].T
    if name + ".bias" in w:
        y = y + w[name + ".bias"]
    return y


# --- layers ----------------------------------------------------------------

def gcn(x, ei, w, p, edge_weight=None, improved=False, self_loops=True,
        normalize=True):
    n = x.size(0)
    if normalize:
        ei, edge_weight = gcn_norm(ei, n, edge_weight, improved, self_loops)
    h = x @ w[p + "lin.weight"].T
    msg = h[ei[0]] if edge_weight is None else edge_weight.view(-1, 1) * h[ei[0]]
    out = scatter_sum(msg, ei[1], n)
    return out + w[p + "bias"] if p + "bias" in w else out


def graphconv(x, ei, w, p, edge_weight=None):
    msg = x[ei[0]] if edge_weight is None else edge_weight.view(-1, 1) * x[ei[0]]
    agg = scatter_sum(msg, ei[1], x.size(0))
    return linear(w, p + "lin_rel", agg) + x @ w[p + "lin_root.weight"].T


def gatv2(x, ei, w, p, heads, concat=True, negative_slope=0.2,
          self_loops=True, edge_attr=None, share_weights=False,
          fill_value="mean"):
    n = x.size(0)
    C = w[p + "att"].shape[2]
    x_l = linear(w, p + "lin_l", x).view(-1, heads, C)
    x_r = x_l if share_weights else linear(w, p + "lin_r", x).view(-1, heads, C)
    if self_loops:
        ei, edge_attr = remove_self_loops(ei, edge_attr)
        ei, edge_attr = add_self_loops(ei, n, edge_attr, fill_value)
    src, dst = ei
    s = x_l[src] + x_r[dst]
    if edge_attr is not None:
        s = s + (edge_attr @ w[p + "lin_edge.weight"].T).view(-1, heads, C)
    s = torch.nn.functional.leaky_relu(s, negative_slope)
    alpha = edge_softmax((s * w[p + "att"]).sum(-1), dst, n)
    out = scatter_sum(x_l[src] * alpha.unsqueeze(-1), dst, n)
    out = out.reshape(n, heads * C) if concat else out.mean(dim=1)
    if p + "res.weight" in w:
        out = out + x @ w[p + "res.weight"].T
    return out + w[p + "bias"] if p + "bias" in w else out


def transformer(x, ei, w, p, heads, concat=True, beta=False,
                root_weight=True, edge_attr=None):
    n = x.size(0)
    C = w[p + "lin_query.weight"].shape[0] // heads
    q = linear(w, p + "lin_query", x).view(-1, heads, C)
    k = linear(w, p + "lin_key", x).view(-1, heads, C)
    v = linear(w, p + "lin_value", x).view(-1, heads, C)
    src, dst = ei
    kj, vj = k[src], v[src]
    if edge_attr is not None:
        e = (edge_attr @ w[p + "lin_edge.weight"].T).view(-1, heads, C)
        kj, vj = kj + e, vj + e
    alpha = edge_softmax((q[dst] * kj).sum(-1) / math.sqrt(C), dst, n)
    out = scatter_sum(vj * alpha.view(-1, heads, 1), dst, n)
    out = out.reshape(n, heads * C) if concat else out.mean(dim=1)
    if root_weight:
        r = linear(w, p + "lin_skip", x)
        if beta:
            b = torch.sigmoid(torch.cat([out, r, out - r], -1)
                              @ w[p + "lin_beta.weight"].T)
            out = b * r + (1 - b) * out
        else:
            out = out + r
    return out


def resgated(x, ei, w, p, act=torch.sigmoid, root_weight=True, edge_attr=None):
    src, dst = ei
    if edge_attr is None:
        k = linear(w, p + "lin_key", x)[dst]
        q = linear(w, p + "lin_query", x)[src]
        v = linear(w, p + "lin_value", x)[src]
    else:  # PyG 2.4+: the Linears read [x, edge_attr] of each edge
        k = linear(w, p + "lin_key", torch.cat([x[dst], edge_attr], dim=-1))
        q = linear(w, p + "lin_query", torch.cat([x[src], edge_attr], dim=-1))
        v = linear(w, p + "lin_value", torch.cat([x[src], edge_attr], dim=-1))
    out = scatter_sum(act(k + q) * v, dst, x.size(0))
    if root_weight:
        out = out + x @ w[p + "lin_skip.weight"].T
    return out + w[p + "bias"] if p + "bias" in w else out


def appnp(x, ei, K, alpha, self_loops=True, normalize=True,
          edge_weight=None):
    n = x.size(0)
    if normalize:
        ei, edge_weight = gcn_norm(ei, n, edge_weight, False, self_loops)
    h = x
    for _ in range(K):
        msg = x[ei[0]] if edge_weight is None else edge_weight.view(-1, 1) * x[ei[0]]
        x = scatter_sum(msg, ei[1], n) * (1 - alpha) + alpha * h
    return x


def sgconv(x, ei, w, p, K=1, self_loops=True, edge_weight=None):
    n = x.size(0)
    ei, edge_weight = gcn_norm(ei, n, edge_weight, False, self_loops)
    for _ in range(K):
        x = scatter_sum(edge_weight.view(-1, 1) * x[ei[0]], ei[1], n)
    return linear(w, p + "lin", x)

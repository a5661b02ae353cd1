"""Neighbour-sampled mini-batch inference: the subgraph-learning baseline.

What PyG's NeighborLoader(num_neighbors=[25, 10], batch_size=1024,
input_nodes=None, shuffle=False) does for inference, in numpy + torch:
for each batch of target vertices, sample up to 25 in-neighbours of each
target (hop 1), then up to 10 in-neighbours of each vertex first reached in
hop 1 (hop 2), uniformly without replacement; relabel the sampled vertices
(targets first) and edges into a subgraph; run the whole model on the
subgraph and keep the targets' rows. Every layer computes a row for every
vertex of the subgraph, so rows computed per layer / N is the redundancy a
full-graph system avoids. The in-edge CSR the sampler walks is built once
per graph (CSRByTarget), as NeighborLoader converts the graph once when it
is made, and is not part of a run.
"""

import time

import numpy as np
import torch


class CSRByTarget:
    """In-edges grouped by target: the sources of v's in-edges are
    sources[offsets[v]:offsets[v + 1]]."""

    def __init__(self, edge_index, num_nodes):
        src = np.asarray(edge_index[0])
        dst = np.asarray(edge_index[1])
        order = np.argsort(dst, kind="stable")
        self.sources = src[order]
        counts = np.bincount(dst, minlength=num_nodes)
        self.offsets = np.zeros(num_nodes + 1, dtype=np.int64)
        np.cumsum(counts, out=self.offsets[1:])
        self.num_nodes = num_nodes


def _pick_positions(csr, frontier, fanout, rng):
    """(CSR positions of the sampled in-edges, index into frontier of each
    one's target): all in-edges of vertices with at most `fanout` of them,
    a uniform `fanout`-subset (Floyd's algorithm, vectorised over vertices)
    of the rest. fanout < 0 takes every in-edge."""
    starts = csr.offsets[frontier]
    degrees = csr.offsets[frontier + 1] - starts
    if fanout < 0:
        small = np.ones(len(frontier), dtype=bool)
    else:
        small = degrees <= fanout
    # Every in-edge of the small-degree vertices.
    small_idx = np.nonzero(small)[0]
    counts = degrees[small_idx]
    total = int(counts.sum())
    owner_small = np.repeat(small_idx, counts)
    first = np.cumsum(counts) - counts
    pos_small = np.repeat(starts[small_idx] - first, counts) + np.arange(total, dtype=np.int64)
    # Floyd: for j = d-k .. d-1, draw t in [0, j]; take j if t was taken.
    big_idx = np.nonzero(~small)[0]
    if len(big_idx):
        d = degrees[big_idx]
        chosen = np.empty((len(big_idx), fanout), dtype=np.int64)
        for i in range(fanout):
            j = d - fanout + i
            t = (rng.random(len(big_idx)) * (j + 1)).astype(np.int64)
            taken = (chosen[:, :i] == t[:, None]).any(axis=1)
            chosen[:, i] = np.where(taken, j, t)
        pos_big = (starts[big_idx][:, None] + chosen).ravel()
        owner_big = np.repeat(big_idx, fanout)
        return np.concatenate([pos_small, pos_big]), np.concatenate([owner_small, owner_big])
    return pos_small, owner_small


def sample_subgraph(csr, targets, fanouts, rng, local):
    """(vertices [targets first], edge_index of the subgraph in local ids).
    `local` is an int64 array of N entries, all -1, returned all -1."""
    nodes = [targets]
    local[targets] = np.arange(len(targets))
    count = len(targets)
    frontier = targets
    srcs, dsts = [], []
    for fanout in fanouts:
        pos, owner = _pick_positions(csr, frontier, fanout, rng)
        neighbours = csr.sources[pos]
        fresh = np.unique(neighbours[local[neighbours] < 0])
        local[fresh] = np.arange(count, count + len(fresh))
        count += len(fresh)
        nodes.append(fresh)
        srcs.append(local[neighbours])
        dsts.append(local[frontier[owner]])
        frontier = fresh
    vertices = np.concatenate(nodes)
    local[vertices] = -1
    edge_index = np.stack([np.concatenate(srcs), np.concatenate(dsts)])
    return vertices, edge_index


def run(module, x, csr, fanouts=(25, 10), batch_size=1024, seed=0):
    """Mini-batch inference over all vertices with MODULE (a torch module
    taking (x, edge_index)) on the graph CSR (a CSRByTarget). Returns
    (output [N, C] tensor, stats dict with the seconds spent sampling and
    computing and the rows computed)."""
    n = x.shape[0]
    rng = np.random.default_rng(seed)
    local = np.full(n, -1, dtype=np.int64)
    out = None
    rows = 0
    sub_edges = 0
    sample_s = compute_s = 0.0
    x_t = torch.as_tensor(x)
    for lo in range(0, n, batch_size):
        t0 = time.perf_counter()
        targets = np.arange(lo, min(n, lo + batch_size), dtype=np.int64)
        vertices, sub = sample_subgraph(csr, targets, fanouts, rng, local)
        t1 = time.perf_counter()
        with torch.no_grad():
            y = module(x_t.index_select(0, torch.from_numpy(vertices)),
                       torch.from_numpy(sub))[:len(targets)]
        if out is None:
            out = torch.empty((n, y.shape[1]), dtype=y.dtype)
        out[lo:lo + len(targets)] = y
        t2 = time.perf_counter()
        sample_s += t1 - t0
        compute_s += t2 - t1
        rows += len(vertices)
        sub_edges += sub.shape[1]
    return out, {"sample_s": sample_s, "compute_s": compute_s,
                 "rows_per_layer": rows, "redundancy": rows / n,
                 "subgraph_edges": sub_edges, "batches": -(-n // batch_size)}

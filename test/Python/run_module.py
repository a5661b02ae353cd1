"""Runs a model through the gnnc Python module on .npy inputs, as gnn-run
runs it on the same files, so that tests can compare the two.

  run_module.py MODEL --graph E.npy --features X.npy --output Y.npy
                [--weights W.safetensors] [--weights-as path|dict]
                [--edge-attr A.npy] [--set name=value]... [--compiled]
                [--threads N] [--gather-blocks N] [--layout c|fortran|unaligned|strided]
                [--ids int64|int32|transposed]

--weights-as dict reads the safetensors file here, with a reader of its own
(F32 only), and binds the dict; --layout hands x (and edge_attr) over in
another memory layout (fortran and strided are copied by the module,
unaligned is a view 4 bytes into a buffer); --ids gives edge_index as int32
or as the transpose of an [E, 2] array.
"""

import argparse
import json

import numpy as np

import gnnc


def read_safetensors_f32(path):
    with open(path, "rb") as f:
        data = f.read()
    length = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + length])
    body = data[8 + length:]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        assert entry["dtype"] == "F32", entry
        begin, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(body[begin:end], dtype="<f4").reshape(entry["shape"])
    return tensors


def with_layout(a, layout):
    if layout == "fortran":
        return np.asfortranarray(a)
    if layout == "strided":  # every other column of a wider array
        wide = np.zeros((a.shape[0], 2 * a.shape[1]), dtype=a.dtype)
        wide[:, ::2] = a
        return wide[:, ::2]
    if layout == "unaligned":  # C order, but 4 bytes off a 16-byte boundary
        buffer = np.zeros(a.size + 1, dtype=a.dtype)
        view = buffer[1:].reshape(a.shape)
        view[...] = a
        return view
    return np.ascontiguousarray(a)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("model")
    p.add_argument("--graph", required=True)
    p.add_argument("--features", required=True)
    p.add_argument("--output", required=True)
    p.add_argument("--weights")
    p.add_argument("--weights-as", choices=["path", "dict"], default="path")
    p.add_argument("--edge-attr")
    p.add_argument("--set", action="append", default=[])
    p.add_argument("--compiled", action="store_true")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--gather-blocks", type=int)
    p.add_argument("--layout", default="c",
                   choices=["c", "fortran", "unaligned", "strided"])
    p.add_argument("--ids", default="int64",
                   choices=["int64", "int32", "transposed"])
    args = p.parse_args()

    x = np.load(args.features)
    edge_index = np.load(args.graph)
    if args.ids == "int32":
        edge_index = edge_index.astype(np.int32)
    elif args.ids == "transposed":
        edge_index = np.ascontiguousarray(edge_index.T).T
    if args.compiled:
        model = gnnc.load(args.model)
    else:
        constructor_args = {}
        for s in args.set:
            name, value = s.split("=", 1)
            constructor_args[name] = int(value)
        model = gnnc.compile(args.model, input_features=x.shape[1],
                             **constructor_args)
    model.threads = args.threads
    if args.gather_blocks is not None:
        model.gather_blocks = args.gather_blocks
        assert model.gather_blocks == args.gather_blocks
    if args.weights:
        model.load_weights(args.weights if args.weights_as == "path"
                           else read_safetensors_f32(args.weights))
    graph = gnnc.Graph(edge_index, num_nodes=x.shape[0])
    edge_attr = None
    if args.edge_attr:
        edge_attr = with_layout(np.load(args.edge_attr), args.layout)
    y = model(graph, with_layout(x, args.layout), edge_attr)
    assert y.dtype == np.float32 and y.flags.c_contiguous
    np.save(args.output, y)


if __name__ == "__main__":
    main()

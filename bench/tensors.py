"""Small file helpers for the benchmark: a safetensors reader (F32 only, the
format gnnc's weights use), .npy loading, and the model-parameter list that
`gnnc --emit=params` prints.

The safetensors layout: an 8-byte little-endian header length, a JSON header
{name: {"dtype", "shape", "data_offsets": [begin, end]}} (plus an optional
"__metadata__"), then the tensors' bytes, offsets relative to the end of the
header.
"""

import json
import struct

import numpy as np


def read_safetensors(path):
    """{name: float32 numpy array} from an F32 .safetensors file."""
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        raise ValueError(f"{path}: too short for a safetensors header")
    (header_len,) = struct.unpack("<Q", blob[:8])
    if 8 + header_len > len(blob):
        raise ValueError(f"{path}: header length {header_len} runs past the file")
    header = json.loads(blob[8:8 + header_len])
    data = memoryview(blob)[8 + header_len:]
    tensors = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        if spec["dtype"] != "F32":
            raise ValueError(f"{path}: tensor '{name}' is {spec['dtype']}, not F32")
        begin, end = spec["data_offsets"]
        shape = tuple(spec["shape"])
        count = int(np.prod(shape)) if shape else 1
        if not 0 <= begin <= end <= len(data) or end - begin != 4 * count:
            raise ValueError(f"{path}: tensor '{name}' has bad data offsets")
        tensors[name] = np.frombuffer(data[begin:end], dtype="<f4").reshape(shape).copy()
    return tensors


def read_params(path):
    """[(name, shape)] from a `gnnc --emit=params` file ('name 64x128')."""
    specs = []
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            name, _, shape = line.partition(" ")
            shape = shape.strip()
            specs.append((name, tuple(int(d) for d in shape.split("x")) if shape else ()))
    return specs


def load_graph(edges_path, features_path):
    """(edge_index int64 [2, E], features float32 [N, F]) as numpy arrays."""
    edge_index = np.load(edges_path)
    if edge_index.ndim != 2 or edge_index.shape[0] != 2:
        raise ValueError(f"{edges_path}: expected an edge_index of shape [2, E]")
    x = np.load(features_path)
    if x.dtype != np.float32 or x.ndim != 2:
        raise ValueError(f"{features_path}: expected float32 [N, F]")
    return np.ascontiguousarray(edge_index, dtype=np.int64), np.ascontiguousarray(x)

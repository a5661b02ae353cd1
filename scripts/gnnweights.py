"""Random model weights in the safetensors format (python3 + numpy only).

Shared by scripts/random-weights and test/e2e/make_inputs.py. The writer
follows the format's specification: an 8-byte little-endian header length,
a JSON header {name: {"dtype", "shape", "data_offsets": [begin, end]}}
padded with spaces to a multiple of 8 bytes, then the tensors' bytes back
to back in header order.
"""

import json
import os
import re
import tempfile

import numpy as np


def parse_shape(text):
    """'64x128', '16', '[64, 128]' or '' (a scalar) -> a tuple of ints."""
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    if not text:
        return ()
    parts = re.split(r"\s*[x,]\s*|\s+", text)
    if not all(re.fullmatch(r"[0-9]+", p) for p in parts):
        raise ValueError(f"bad shape '{text}' (expected e.g. 64x128)")
    return tuple(int(p) for p in parts)


def random_tensor(rng, shape):
    """PyG's initialisation style: Glorot-uniform for matrices (fans from
    the last two dimensions, as torch_geometric.nn.inits.glorot does), and
    small nonzero values for vectors and scalars, so that biases matter."""
    if len(shape) >= 2:
        bound = np.sqrt(6.0 / (shape[-2] + shape[-1])) if shape[-2] + shape[-1] else 0.0
        values = rng.uniform(-bound, bound, size=shape)
    else:
        values = rng.uniform(-0.1, 0.1, size=shape)
    return values.astype(np.float32)


def random_params(specs, seed):
    """specs: [(name, shape)] -> {name: float32 array}, deterministic."""
    rng = np.random.default_rng(seed)
    return {name: random_tensor(rng, shape) for name, shape in specs}


def write_safetensors(path, tensors):
    """Writes {name: array} as F32 safetensors, atomically (a temporary file
    beside PATH is renamed over it)."""
    header = {}
    blobs = []
    offset = 0
    for name, value in tensors.items():
        data = np.ascontiguousarray(value, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(np.shape(value)),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=os.path.basename(path) + ".tmp.")
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp's 0600 is for secrets.
        with os.fdopen(fd, "wb") as f:
            f.write(len(text).to_bytes(8, "little"))
            f.write(text)
            for blob in blobs:
                f.write(blob)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise

"""Broken variants of valid test inputs: corrupt_inputs.py PREFIX

Reads PREFIX.features.npy and PREFIX.weights.safetensors (as written by
make_inputs.py) and writes, beside them, one file per fault:
  truncated.npy  f64.npy  rank1.npy                      features
  bigid.npy  negid.npy  threerows.npy                    edge_index
  garbage.safetensors  hugeheader.safetensors  cut.safetensors   weights
"""

import os
import sys

import numpy as np


def main():
    prefix = sys.argv[1]
    out = os.path.dirname(os.path.abspath(prefix))

    def write(name, data):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)

    def save(name, array):
        np.save(os.path.join(out, name), array)

    features = open(prefix + ".features.npy", "rb").read()
    x = np.load(prefix + ".features.npy")
    write("truncated.npy", features[:-100])       # data cut short
    save("f64.npy", x.astype(np.float64))         # '<f8'
    save("rank1.npy", x[0])                       # shape [F]

    save("bigid.npy", np.array([[0, 1, 2], [1, 2, 20]], np.int64))  # id == N
    save("negid.npy", np.array([[0, -1], [1, 2]], np.int64))
    save("threerows.npy", np.zeros((3, 4), np.int64))               # [3, E]

    weights = open(prefix + ".weights.safetensors", "rb").read()
    write("garbage.safetensors", (16).to_bytes(8, "little") + b"this is not json")
    write("hugeheader.safetensors", (1 << 40).to_bytes(8, "little") + weights[8:])
    write("cut.safetensors", weights[:-4])        # last tensor's data cut short


if __name__ == "__main__":
    main()

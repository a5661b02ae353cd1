# Reassembles --output-dir shards: check.py DIR PARTS SINGLE.npy
import sys
import numpy as np

d, parts, single = sys.argv[1], int(sys.argv[2]), np.load(sys.argv[3])
out = np.full(single.shape, np.nan, dtype=np.float32)
seen = np.zeros(single.shape[0], dtype=np.int64)
for k in range(parts):
    rows, ids = np.load(f"{d}/part-{k}.npy"), np.load(f"{d}/part-{k}.ids.npy")
    assert rows.shape[0] == ids.shape[0], (rows.shape, ids.shape)
    out[ids] = rows
    np.add.at(seen, ids, 1)
assert (seen == 1).all(), "a vertex missing or repeated"
same = np.array_equal(out.view(np.uint32), single.view(np.uint32))
print(f"{single.shape[0]} rows from {parts} shards, each vertex once: "
      f"{'identical to' if same else 'DIFFERENT from'} the single-process output")

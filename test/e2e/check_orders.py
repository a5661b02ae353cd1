#!/usr/bin/python3
"""Checks reordered binary CSR files against the edge list they came from.

  check_orders.py EDGES.npy N [--edge-attr E.npy] [--sorted]
                  ORDER=FILE.csr[:ATTR.npy]...

Reads each file with its own parser of the layout (runtime/PartFile.h:
a 208-byte header, the arrays' offsets and lengths at byte 80 + 16 i),
sharing no code with gnnc, and checks:
  - globalIds is a permutation of 0..N-1;
  - the file holds exactly the edge list's edges, each target's in-edges in
    edge-list order (renamed through globalIds), and edgeIds are 0..E-1;
    with --sorted (convert --sort-in-edges), each target's in-edges in
    ascending new source id instead, equal sources in edge-list order;
  - with ATTR (convert --edge-attr-out), its row k is the edge list's row
    of the edge at CSR position k;
  - for ORDER=degree, out-degrees do not increase along the file, and
    vertices of equal out-degree come in ascending original id;
  - for ORDER=none, globalIds is 0..N-1.
Prints "ORDER: ok (...)" per file, or exits non-zero naming the fault.
"""

import struct
import sys

import numpy as np


def read_csr(path):
    data = open(path, "rb").read()
    if data[:8] != b"GNNPART\0":
        sys.exit(f"{path}: bad magic")
    n, e = struct.unpack_from("<qq", data, 24)

    def array(i, dtype, count):
        offset, length = struct.unpack_from("<QQ", data, 80 + 16 * i)
        a = np.frombuffer(data, dtype=dtype, count=count, offset=offset)
        if a.nbytes != length:
            sys.exit(f"{path}: array {i} is {length} bytes, expected {a.nbytes}")
        return a

    return (n, e, array(0, "<i8", n), array(1, "<i8", n + 1), array(2, "<i4", e),
            array(3, "<i8", e))


def fail(msg):
    sys.exit("FAILED: " + msg)


def main():
    args = sys.argv[1:]
    edges = np.load(args.pop(0))
    n = int(args.pop(0))
    attr = None
    if args and args[0] == "--edge-attr":
        args.pop(0)
        attr = np.load(args.pop(0))
    by_source = bool(args) and args[0] == "--sorted"
    if by_source:
        args.pop(0)
    src, dst = edges[0], edges[1]
    # The edge list's edges grouped by target, each group in list order.
    want = np.argsort(dst, kind="stable")
    for spec in args:
        order, rest = spec.split("=", 1)
        path, _, attr_out = rest.partition(":")
        fn, fe, ids, off, sources, eids = read_csr(path)
        if fn != n or fe != len(src):
            fail(f"{order}: {fn} vertices, {fe} edges")
        if not np.array_equal(np.sort(ids), np.arange(n)):
            fail(f"{order}: globalIds is not a permutation of 0..{n - 1}")
        if order == "none" and not np.array_equal(ids, np.arange(n)):
            fail(f"{order}: globalIds is not 0..N-1")
        if not np.array_equal(eids, np.arange(fe)):
            fail(f"{order}: edgeIds are not 0..E-1")
        deg = np.diff(off)
        if off[0] != 0 or np.any(deg < 0) or off[-1] != fe:
            fail(f"{order}: bad offsets")
        if by_source:
            # Grouped by target, each group by the sources' new ids; lexsort
            # is stable, so equal sources stay in list order.
            rank = np.empty(n, dtype=np.int64)
            rank[ids] = np.arange(n)
            want = np.lexsort((rank[src], dst))
        # Each CSR edge in original ids; regrouped by original target
        # (stable: a target's in-edges keep their CSR order).
        t = np.repeat(ids, deg)
        s = ids[sources]
        got = np.argsort(t, kind="stable")
        if not (np.array_equal(t[got], dst[want]) and np.array_equal(s[got], src[want])):
            fail(f"{order}: the edges or their order per target differ")
        if attr_out:
            rows = np.load(attr_out)
            if not np.array_equal(rows[got], attr[want]):
                fail(f"{order}: edge features are not in the CSR's order")
        out_deg = np.bincount(sources, minlength=n)
        if order == "degree":
            if np.any(np.diff(out_deg) > 0):
                fail("degree: out-degree increases along the file")
            tie = np.diff(out_deg) == 0
            if np.any(np.diff(ids)[tie] <= 0):
                fail("degree: equal out-degrees not in ascending original id")
        moved = int(np.count_nonzero(ids != np.arange(n)))
        print(f"{order}: ok ({moved} of {n} vertices moved)")


if __name__ == "__main__":
    main()

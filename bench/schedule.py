"""What gnnc's compiled schedule must move: the steps of a model after the
`gnn-to-kernels` pipeline (the pipeline gnn-run JIT-compiles), the bytes
and flops of each step on a given graph, and the lower-bound times they
imply on a machine with a given bandwidth and sgemm rate.

A step is a dense `gnn.linear` (one matmul over all rows) or a
`gnn.launch` of a JIT kernel; `{edge_balanced}` kernels loop over in-edges
(message passing). Compulsory bytes: every vertex tensor a step reads is
read once, its result written once, a message-passing step reads the CSR
(offsets and 32-bit sources) once; weights once. Gathers that miss the
caches can move more than that; the bound is what no schedule can beat.
"""

import re
import subprocess

_STEP = re.compile(r"^\s*(%[\w#:]+(?:\s*,\s*%[\w#:]+)*)\s*=\s*gnn\.(\w+)\s*(.*)$")
_VERTEX = re.compile(r"!gnn\.vertex<([0-9x]+)x(?:f32|f16|bf16|i32)>")
_TENSOR = re.compile(r"tensor<([0-9x]+)x(?:f32)>")


def _width(dims):
    w = 1
    for d in dims.split("x"):
        w *= int(d)
    return w


def parse(text):
    """[{op, kernel, edge_balanced, inputs: [widths], params: [sizes],
    outputs: [widths]}] from the @forward function of a gnn-to-kernels
    module."""
    steps = []
    inside = False
    for line in text.splitlines():
        if "func.func @forward(" in line:
            inside = True
            continue
        if not inside:
            continue
        if line.strip().startswith("return") or line.strip() == "}":
            break
        m = _STEP.match(line)
        if not m:
            continue
        op, rest = m.group(2), m.group(3)
        body, _, types = rest.rpartition(" : ")
        lhs, _, rhs = types.partition(" -> ")
        kernel = re.match(r"@([\w$.]+)", body)
        inputs = [_width(d) for d in _VERTEX.findall(lhs)]
        if op == "linear":
            # Its accumulate(...) and scale(...) operands, typed in its
            # body: rows it reads too, after its input.
            inputs += [_width(d) for d in _VERTEX.findall(body)]
        steps.append({
            "op": op,
            "kernel": kernel.group(1) if op == "launch" and kernel else None,
            "edge_balanced": "edge_balanced" in body,
            "inputs": inputs,
            "params": [_width(d) for d in _TENSOR.findall(lhs)],
            "outputs": [_width(d) for d in _VERTEX.findall(rhs)],
        })
    return steps


_MESSAGE = re.compile(r"=\s*gnn\.message_passing\s.*:\s*<(\w+)>")
_SOURCE_ROW = re.compile(r"gnn\.get_vertex\s+(%\w+)\s+source\b.*->\s*vector<([0-9x]+)xf32>")


def gathered(stages_text):
    """Per message-passing stage of the @forward function, in order: the
    floats each in-edge gathers from its source (the widths of the inputs
    the message reads at the source) and whether the stage adds a self loop
    per vertex."""
    stages = []
    current = None
    for line in stages_text.splitlines():
        m = _MESSAGE.search(line)
        if m:
            current = {"widths": {}, "self_loops": m.group(1) == "one_per_vertex"}
            stages.append(current)
            continue
        if current is None:
            continue
        if "} update {" in line or "gnn.yield" in line:
            current = None  # the update reads targets only
            continue
        g = _SOURCE_ROW.search(line)
        if g:
            current["widths"][g.group(1)] = _width(g.group(2))
    return [{"gathered": list(s["widths"].values()), "self_loops": s["self_loops"]}
            for s in stages]


def compile_schedule(gnnc, gnn_opt, model_path):
    """The schedule of MODEL as gnn-run would compile it; each message step
    also says how many floats an in-edge gathers (from the stages)."""
    gnn = subprocess.run([gnnc, model_path, "--emit=gnn"], check=True,
                         capture_output=True, text=True).stdout
    kernels = subprocess.run([gnn_opt, "--gnn-to-kernels"], input=gnn, check=True,
                             capture_output=True, text=True).stdout
    stages = subprocess.run([gnn_opt, "--gnn-to-stages"], input=gnn, check=True,
                            capture_output=True, text=True).stdout
    steps = parse(kernels)
    # Outlining keeps the stages' order; degree launches take no inputs.
    messages = [s for s in steps if s["edge_balanced"] and s["inputs"]]
    for step, info in zip(messages, gathered(stages)):
        step.update(info)
    return steps


def step_cost(step, n, e):
    """(compulsory bytes, flops, kind) of one step on N vertices, E edges."""
    f32 = 4
    reads = sum(step["inputs"]) * n * f32 + sum(step["params"]) * f32
    writes = sum(step["outputs"]) * n * f32
    out = sum(step["outputs"])
    if step["op"] == "linear":
        k = step["inputs"][0] if step["inputs"] else 0
        return reads + writes, 2.0 * n * k * out, "dense"
    if step["edge_balanced"]:
        csr = (n + 1) * 8 + e * 4
        # A degree kernel reads the CSR alone.
        kind = "message" if step["inputs"] else "degree"
        return reads + writes + csr, 2.0 * (e + n) * out, kind
    return reads + writes, float(n * max(out, 1) * max(len(step["inputs"]), 1)), "vertex"


def edge_reads(step, n, e):
    """(source-row reads, the bytes they touch) of a message step: every
    in-edge (and self loop) reads each gathered row, in whole 64-byte lines
    (a gathered scalar, GCN's norm_j, touches a line). An access count, not
    traffic: rows a cache still holds (RMAT's hubs) cost no memory bytes,
    so it is no rate against a bandwidth."""
    if not step.get("gathered"):
        return None, None
    edges = e + (n if step.get("self_loops") else 0)
    per_edge = sum(-(-w * 4 // 64) * 64 for w in step["gathered"])
    return edges * len(step["gathered"]), edges * per_edge


def bound_seconds(bytes_, flops, bandwidth_gbs, gflops):
    return max(bytes_ / (bandwidth_gbs * 1e9), flops / (gflops * 1e9))


def timed(steps):
    """The steps gnn-run runs and times (`gnn-run --stats` prints one line
    each, in order): linears and kernel launches. The rest (reshape) are
    views of a buffer and cost nothing."""
    return [s for s in steps if s["op"] in ("linear", "launch")]


def costs(steps, n, e, bandwidth_gbs, gflops):
    """Per timed step: bytes, flops, kind and bound."""
    rows = []
    for s in timed(steps):
        b, f, kind = step_cost(s, n, e)
        reads, read_bytes = edge_reads(s, n, e) if kind == "message" else (None, None)
        rows.append({"step": s["kernel"] or s["op"], "kind": kind, "bytes": b, "flops": f,
                     "row_reads": reads, "row_read_bytes": read_bytes,
                     "bound_s": bound_seconds(b, f, bandwidth_gbs, gflops)})
    return rows


def model_bound(layers, n, e, bandwidth_gbs, gflops):
    """The fused-model bound: per layer, read its input rows once, the CSR
    once, write its output rows once; dense and per-edge flops.
    layers: [(in_width, out_width, dense_flops_per_vertex, flops_per_edge)]."""
    total_bytes = total_flops = seconds = 0.0
    for fin, fout, dense, sparse in layers:
        b = 4.0 * n * (fin + fout) + (n + 1) * 8 + 4.0 * e
        f = dense * n + sparse * (e + n)
        total_bytes += b
        total_flops += f
        seconds += bound_seconds(b, f, bandwidth_gbs, gflops)
    return {"bytes": total_bytes, "flops": total_flops, "bound_s": seconds}


def layers_of(model, shapes):
    """The per-layer widths and flops of MODEL from its parameter shapes
    ({name: shape}), for model_bound."""
    layers = []
    for i in (1, 2):
        p = f"conv{i}."
        if model == "gcn":
            out, fin = shapes[p + "lin.weight"]
            layers.append((fin, out, 2 * fin * out, 2 * out))
        elif model == "sage":
            out, fin = shapes[p + "lin_l.weight"]
            layers.append((fin, out, 4 * fin * out, fin))
        elif model == "gin":
            mats = [shapes[k] for k in sorted(shapes) if k.startswith(p + "nn.") and k.endswith(".weight")]
            fin, out = mats[0][1], mats[-1][0]
            layers.append((fin, out, sum(2 * a * b for a, b in mats), fin))
        elif model == "gat":
            name = p + "lin.weight" if p + "lin.weight" in shapes else p + "lin_src.weight"
            hc, fin = shapes[name]
            heads = shapes[p + "att_src"][-2]
            out = shapes[p + "bias"][0]
            layers.append((fin, out, 2 * fin * hc + 4 * hc, 2 * hc + 6 * heads))
    return layers


def ladder_point(ladder, table_bytes):
    """The cache-ladder point (bench/stream.cpp) for a table of TABLE_BYTES:
    the largest measured table not larger than it (a faster rate than the
    table's own, so times from it stay bounds), or the smallest measured
    one for a smaller table."""
    points = sorted(ladder, key=lambda p: p["table_mib"])
    pick = points[0]
    for p in points:
        if p["table_mib"] * 2**20 <= table_bytes:
            pick = p
    return pick


def _cdf_at(cdf, rows):
    """The share of gathers that go to the ROWS most gathered rows, from
    CDF ([[rows, share], ...] at increasing row counts), linear between
    points (the true curve is concave: slightly less than its share)."""
    if rows <= 0:
        return 0.0
    prev_r, prev_f = 0, 0.0
    for r, f in cdf:
        if rows <= r:
            return prev_f + (f - prev_f) * (rows - prev_r) / (r - prev_r)
        prev_r, prev_f = r, f
    return 1.0


def random_gather(step, n, e, ladder, cdf=None):
    """What a message step's gathers take at the cache ladder's median
    rates, per gathered input of w floats (a table of N x 4w bytes), reads
    x lines(w) / (4 x rate) (the ladder measures 256-byte rows, 4 lines, a
    second; narrower rows are counted at the same line rate, which flatters
    them). `seconds`: every read a uniformly random row of the whole table,
    at the rate for the table's size (the largest ladder table not above
    it). `skewed_seconds`, given CDF (the share of the graph's gathers that
    go to its k most gathered source rows, `source_cdf`): the hottest rows
    as if they sat in a table of their own, the reads of those that fit in
    2 MiB at the 2 MiB rate, of the next ones up to 4 MiB at the 4 MiB
    rate, and so on (an ideal cache that keeps the hottest rows: RMAT's
    hubs). Sources adjacent in memory (an order that puts a vertex's
    neighbours together) are how a stage beats either. None without
    gathers or a ladder."""
    if not ladder or not step.get("gathered"):
        return None
    reads = e + (n if step.get("self_loops") else 0)
    points = sorted(ladder, key=lambda p: p["table_mib"])
    seconds, skewed, tables = 0.0, 0.0, []
    for w in step["gathered"]:
        table = n * 4 * w
        point = ladder_point(ladder, table)
        lines = -(-w * 4 // 64)
        rate = point["median_mrows_s"] * 1e6 * 4  # lines a second
        seconds += reads * lines / rate
        tables.append({"floats": w, "table_mib": table / 2**20, "ladder_mib": point["table_mib"],
                       "mrows_s": point["median_mrows_s"]})
        if cdf:
            done = 0.0
            for p in points:
                size = p["table_mib"] * 2**20
                share = 1.0 if size >= table or p is points[-1] else _cdf_at(cdf, size / (4 * w))
                skewed += reads * (share - done) * lines / (p["median_mrows_s"] * 1e6 * 4)
                done = share
                if share >= 1.0:
                    break
    out = {"seconds": seconds, "reads": reads, "tables": tables}
    if cdf:
        out["skewed_seconds"] = skewed
    return out

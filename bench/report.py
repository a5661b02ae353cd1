#!/usr/bin/python3
"""docs/performance.md and its plots from a bench results file.

  report.py [RESULTS.json] [--doc docs/performance.md] [--plots docs/performance]

Everything on the page comes from RESULTS.json (default
bench/results/full.json); edit this script, not the page.
"""

import argparse
import json
import os
import statistics

plt = None  # matplotlib.pyplot, imported when a plot is drawn (not for --no-plots)


def pyplot():
    global plt
    if plt is None:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot
        plt = matplotlib.pyplot
    return plt

HERE = os.path.dirname(os.path.realpath(__file__))
ROOT = os.path.dirname(HERE)
REFERENCE_GRAPH = "rmat-18"
SYSTEMS = ["gnnc", "eager", "script", "sparse", "sampled"]
PEERS = SYSTEMS[1:]
FULL_GRAPH_PEERS = ["eager", "script", "sparse"]
LABEL = {"gnnc": "gnnc", "eager": "PyTorch eager", "script": "torch.jit.script",
         "sparse": "PyTorch sparse (CSR SpMM)", "sampled": "sampled mini-batch (25, 10)"}
STYLE = {"gnnc": ("tab:red", "o"), "eager": ("tab:blue", "s"), "script": ("tab:green", "^"),
         "sparse": ("tab:orange", "v"), "sampled": ("tab:purple", "D")}
SHORT = {"eager": "eager", "script": "jit.script", "sparse": "sparse", "sampled": "sampled"}


def gib(kib):
    return kib / 2**20


def fmt_s(s):
    if s is None:
        return "–"
    return f"{s * 1e3:.1f} ms" if s < 1 else f"{s:.2f} s"


def fmt_n(n):
    return f"{n:,}"


def bounds_sentence(title, b):
    """The line above a model's steps in "Where gnnc's time goes": the
    lower bound of the fused model, where bench/schedule.py describes the
    model's layers (EdgeConv's per-edge MLP has no description, so only
    its schedule's bound), and that of gnnc's schedule."""
    if "model_bound" in b:
        fused = (f"lower bound {fmt_s(b['model_bound']['bound_s'])} for the fused model "
                 f"({b['model_bound']['bytes'] / 1e6:.0f} MB, "
                 f"{b['model_bound']['flops'] / 1e9:.1f} GFLOP); ")
    else:
        fused = "no bound for the fused model (no description of its layers in bench/schedule.py); "
    return (f"**{title}** — {fused}{fmt_s(b['schedule_bound_s'])} for "
            f"gnnc's schedule as it stands ({b['schedule_bytes'] / 1e6:.0f} MB).\n")


class Results:
    def __init__(self, doc):
        self.doc = doc
        self.ok = {}
        self.all = {}
        for r in doc["results"]:
            key = (r["graph"], r["model"], r["system"])
            self.all[key] = r
            if r.get("status") == "ok":
                self.ok[key] = r
        self.bounds = {(b["graph"], b["model"]): b for b in doc.get("bounds", [])}
        self.graphs = doc["graphs"]
        self.models = [m for m in doc["models"] if "skipped" not in m]

    def get(self, graph, model, system):
        return self.ok.get((graph, model, system))

    def ratio(self, graph, model, system, key="median_s"):
        g, p = self.get(graph, model, "gnnc"), self.get(graph, model, system)
        if not g or not p or p.get(key) is None:
            return None
        return p[key] / g["median_s"]

    def fastest(self, graph, model):
        """The fastest PyTorch peer (by its median, the sampled one's total
        included): (system, ratio to gnnc), or (None, None)."""
        times = {s: r["median_s"] for s in PEERS if (r := self.get(graph, model, s))}
        if not times or not self.get(graph, model, "gnnc"):
            return None, None
        best = min(times, key=times.get)
        return best, self.ratio(graph, model, best)

    def rss_ratio(self, graph, model, system):
        g, p = self.get(graph, model, "gnnc"), self.get(graph, model, system)
        if not g or not p:
            return None
        return g["peak_rss_kib"] / p["peak_rss_kib"]


def cell(results, graph, model, system):
    r = results.all.get((graph, model, system))
    if r is None:
        return "not run"
    if r.get("status") != "ok":
        return r["status"]
    layout = f", {r['layout'].upper()}" if r.get("layout") else ""
    return fmt_s(r["median_s"]) + layout


# --------------------------------------------------------------------------
# Plots


def scaling_graphs(results):
    """The graphs of the size-scaling plots: the RMAT series (a community
    graph of the same size is another kind of point)."""
    return [g for g in results.graphs if g.get("kind", "rmat") == "rmat"]


def plot_time(results, path):
    pyplot()
    models = results.models
    fig, axes = plt.subplots(1, len(models), figsize=(4.2 * len(models), 3.8), squeeze=False)
    for ax, model in zip(axes[0], models):
        for system in SYSTEMS:
            pts = [(g["edges"], results.get(g["name"], model["name"], system)["median_s"])
                   for g in scaling_graphs(results) if results.get(g["name"], model["name"], system)]
            if pts:
                color, marker = STYLE[system]
                ax.plot(*zip(*pts), marker=marker, color=color, label=LABEL[system])
        pts = [(g["edges"], r["median_compute_s"]) for g in scaling_graphs(results)
               if (r := results.get(g["name"], model["name"], "sampled")) and r.get("median_compute_s")]
        if pts:
            ax.plot(*zip(*pts), linestyle=":", color=STYLE["sampled"][0], label="sampled, model only")
        pts = [(g["edges"], results.bounds[(g["name"], model["name"])]["model_bound"]["bound_s"])
               for g in scaling_graphs(results)
               if "model_bound" in results.bounds.get((g["name"], model["name"]), {})]
        if pts:
            ax.plot(*zip(*pts), linestyle="--", color="black", label="lower bound (bytes, flops)")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(model["title"])
        ax.set_xlabel("edges")
        ax.grid(True, which="both", alpha=0.3)
    axes[0][0].set_ylabel("inference time, s (median)")
    axes[0][0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_efficiency(results, path):
    pyplot()
    models = results.models
    fig, axes = plt.subplots(1, len(models), figsize=(4.2 * len(models), 3.8), squeeze=False)
    for ax, model in zip(axes[0], models):
        for system in SYSTEMS:
            pts = []
            for g in scaling_graphs(results):
                r = results.get(g["name"], model["name"], system)
                b = results.bounds.get((g["name"], model["name"]), {}).get("model_bound")
                if r and b:
                    pts.append((g["edges"], 100.0 * b["bound_s"] / r["median_s"]))
            if pts:
                color, marker = STYLE[system]
                ax.plot(*zip(*pts), marker=marker, color=color, label=LABEL[system])
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(model["title"])
        ax.set_xlabel("edges")
        ax.axhline(100, color="black", linestyle="--", linewidth=0.8)
        ax.grid(True, which="both", alpha=0.3)
    axes[0][0].set_ylabel("% of the roofline bound (bound / time)")
    axes[0][0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_roofline(results, graph, path):
    pyplot()
    limits = results.doc["limits"]
    bw, peak = limits["bandwidth_gbs"], limits["gflops"]
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    xs = [2.0**k for k in range(-6, 8)]
    ax.plot(xs, [min(peak, bw * x) for x in xs], color="black", label="roof: triad BW, sgemm")
    markers = {"dense": "s", "message": "o", "vertex": "^"}
    colors = ["tab:red", "tab:blue", "tab:green", "tab:orange", "tab:purple"]
    for i, model in enumerate(results.models):
        b = results.bounds.get((graph, model["name"]), {})
        for kind, marker in markers.items():
            pts = [(s["flops"] / s["bytes"], s["flops"] / (s["ms"] / 1e3) / 1e9)
                   for s in b.get("steps", []) if s["kind"] == kind and s.get("ms")]
            if pts:
                ax.scatter(*zip(*pts), marker=marker, color=colors[i % len(colors)],
                           label=f"{model['name']} {kind}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("arithmetic intensity, flop per compulsory byte")
    ax.set_ylabel("GFLOP/s achieved")
    ax.set_title(f"gnnc's steps on {graph} against the roofline")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# --------------------------------------------------------------------------
# The page


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def x(v):
    return "–" if v is None else f"{v:.1f}×"


def pct(v):
    return "–" if v is None else f"{100 * v:.0f}%"


def once_per_graph(r, system):
    """What SYSTEM builds once per graph, outside its timed runs."""
    if system == "gnnc" and r.get("csr_build_s") is not None:
        return f"CSR {fmt_s(r['csr_build_s'])}"
    if system == "sparse" and r.get("adjacency_s") is not None:
        return f"{r['layout'].upper()} matrix {fmt_s(r['adjacency_s'])}"
    if system == "sampled" and r.get("csr_s") is not None:
        return f"CSR {fmt_s(r['csr_s'])}"
    return "nothing" if system in ("eager", "script") else "–"


def checked(r, system):
    """How the output of a peer was held to gnnc's."""
    if system == "gnnc":
        return "the reference"
    if system == "sampled":
        return "self-check (Method)"
    f64 = r.get("float64")
    if f64:
        closer = "gnnc" if f64["gnnc_outside_rule"] <= f64["peer_outside_rule"] else "**the peer**"
        return (f"float64: outside the rule gnnc {fmt_n(f64['gnnc_outside_rule'])}, peer "
                f"{fmt_n(f64['peer_outside_rule'])} of {fmt_n(f64['elements'])}; max abs error "
                f"gnnc {f64['gnnc_max_abs_err']:.2g}, peer {f64['peer_max_abs_err']:.2g}; "
                f"closer: {closer}")
    return "rule" if r.get("verified") else "–"


# --------------------------------------------------------------------------
# The ablation (issue 15)

CONFIGURATIONS = ["baseline", "sort-in-edges", "reorder=degree", "reorder=rcm",
                  "reorder=community", "gather-blocks=auto", "gather-blocks=2", "all"]


def blocks_label(setting):
    """A gather setting as the tables name it: "auto blocks", "2 blocks"."""
    return "auto blocks" if setting in (None, "auto") else f"{setting} blocks"


def load_ablation(doc, results_path, override=None):
    """(the ablation, the document it came from, its path): the main
    results' own, or that of a separate `bench.py --only-ablation` file
    (bench/results/ablation.json beside the main file), whichever started
    later; OVERRIDE names the separate file explicitly."""
    candidates = []
    if doc.get("ablation"):
        candidates.append((doc["ablation"], doc, results_path))
    path = override or os.path.join(os.path.dirname(os.path.abspath(results_path)), "ablation.json")
    if os.path.exists(path) and os.path.abspath(path) != os.path.abspath(results_path):
        with open(path) as f:
            other = json.load(f)
        if other.get("ablation"):
            candidates.append((other["ablation"], other, path))
    if override:
        candidates = candidates[-1:]
    if not candidates:
        return None, None, None
    return max(candidates, key=lambda c: c[0].get("started", ""))


def write_ladder(L, limits):
    """The cache ladder of the roof measurement, as a table."""
    ladder = limits.get("ladder")
    if not ladder:
        return
    L.append("\n**The cache ladder** (bench/stream.cpp): a random gather of 256-byte rows (uniform "
             f"row ids, software prefetch 16 rows ahead, {limits['stream']['threads']} threads) from "
             "a table of each size, 2 MiB-aligned and advised as huge pages (`MADV_HUGEPAGE`), as "
             "gnnc's large arrays are; median (best) of the repetitions, from the same measurement "
             "as the triad roof. E rows gathered uniformly at random from a table of that size take "
             "at least E ÷ rate; a stage whose reads favour some rows (RMAT's hubs) or find "
             "neighbours' rows together (a locality order) can go faster (the Ablation section "
             "sets both beside each message-passing step).\n")
    L.append(table(["table", "rows/s, median (best)", "GB/s, median (best)"],
                   [[f"{p['table_mib']:,} MiB", f"{p['median_mrows_s']:.0f} M ({p['mrows_s']:.0f} M)",
                     f"{p['median_gbs']:.1f} GB/s ({p['gbs']:.1f})"] for p in ladder]))
    L.append("")


def host_of(doc):
    """", on CPU (its caches)" for a results file's machine, or nothing."""
    m = doc.get("machine") or {}
    if "Model name" not in m:
        return ""
    caches = ", ".join(f"{k} {m[k]}" for k in ("L2 cache", "L3 cache") if k in m)
    return f", on {m['Model name']}" + (f" ({caches})" if caches else "")


def paired_speedup(pairs):
    """The head to head's speedup from its rounds' PAIRS (issue 15's main
    and this build, back to back): each round's ratio, their median, and
    the verdict on the issue's target (at least 1.5x): met where the median
    ratio reaches it. Each ratio compares two processes run
    within a minute, so a drift of the host over minutes cancels in it."""
    ratios = [p["issue_main_s"] / p["now_s"] for p in pairs]
    median = statistics.median(ratios)
    return ratios, median, ("met" if median >= 1.5 else "**not met**")


def write_against_issue_main(L, ab, models):
    """Each model's fastest rmat-22 configuration head to head with the
    main issue 15 was filed against (ab["issue_main"]: that main's gnnc and
    this build's, back to back in each round, on the same machine in the
    same run), and the issue's target (at least 1.5x)."""
    main = ab.get("issue_main")
    if not main:
        L.append("Against issue 15's main: not measured in this run.\n")
        return
    if main.get("status") != "ok":
        L.append(f"Against issue 15's main (`{main['commit']}`): {main['status']}.\n")
        return
    rows = []
    for m in models:
        entry = main["models"].get(m)
        if not entry:
            continue
        name = entry.get("configuration", "–")
        if name == "all":
            name = f"all ({entry['ordering']}, {blocks_label(entry.get('gather_blocks'))})"
        pairs = entry.get("pairs") or []
        if entry.get("status") != "ok" or not pairs:
            rows.append([m, name, "–", "–", "–", "–",
                         f"not measured: {entry.get('note', 'no rounds')}".replace("\n", " ").replace("|", "/")[:200]])
            continue
        ratios, median, verdict = paired_speedup(pairs)
        rows.append([m, name, fmt_s(statistics.median(p["issue_main_s"] for p in pairs)),
                     fmt_s(statistics.median(p["now_s"] for p in pairs)),
                     ", ".join(f"{r:.2f}" for r in ratios), f"{median:.2f}×", verdict])
    if not rows:
        return
    L.append(f"Against the main issue 15 was filed against: gnnc at `{main['commit']}`, built from "
             f"this clone's history and timed on the same machine in the same run, as that main's "
             f"`make bench` timed gnnc (bench/gnnc-repeat on the rmat-22 edge list, a first run, "
             f"then timed runs), head to head with each model's fastest configuration above: "
             f"{main['rounds']} rounds of one process of each back to back, the order "
             f"alternating. A shared host's speed drifts over minutes (the same build measured "
             f"1.7 s and 2.7 s), which a ratio of two processes run within a minute of each other "
             f"mostly cancels; the target (at least 1.5×) counts as met where the median of the "
             f"rounds' ratios reaches it. Times are the medians of the rounds' medians.\n")
    L.append(table(["model", "configuration", "issue's main", "now", "each round's speedup",
                    "speedup (median)", "≥ 1.5×"], rows))
    L.append("")


def write_ablation(L, ab, adoc, apath, own_file=False):
    """The "Ablation (issue 15)" section (OWN_FILE: from a results file of
    its own, whose limits and cache ladder are then shown here)."""
    limits = adoc["limits"]
    bw = limits["bandwidth_gbs"]
    sorted_in_edges = bool(ab.get("sorted_in_edges"))
    # An ablation from before forced blocks has no such column.
    two_blocks = any(c["configuration"] == "gather-blocks=2" for c in ab["configurations"])
    L.append("## Ablation (issue 15)\n")
    L.append(f"gnnc alone, on graphs larger than the caches, with each of issue 15's techniques "
             f"alone and together: **vertex reordering** (`gnn-graph convert --reorder=...` writes a "
             f"binary CSR file with renumbered vertices; features go in and outputs come out in the "
             f"original order), "
             + (f"**sorted in-edges** (`convert --sort-in-edges`: each vertex's in-edges by source "
                f"id, so that its rows are read in memory order; the sums run in that order) "
                if sorted_in_edges else "")
             + f"and **cache-blocked gathers** (`Model::setGatherBlocks`: 1 = off, "
             f"auto = the cost model's choice per stage"
             + (", 2 = two source blocks for every stage that has a blocked form" if two_blocks else "")
             + f"). Huge pages for large arrays are always on "
             f"and not part of it. From `{os.path.relpath(apath, ROOT)}` (started {ab.get('started', '?')}, "
             f"{ab.get('wall_s', 0) / 60:.1f} min; gnnc at `{adoc['git']['commit'][:12]}`"
             f"{' plus uncommitted changes' if adoc['git']['dirty'] else ''}, {adoc['threads']} threads"
             f"{host_of(adoc)}).\n")
    rounds = ab.get("rounds", 1)
    back_in_runs = any(c.get("output_back_in_runs") for c in ab["configurations"])
    L.append(f"Each graph, model and vertex order is one `bench/gnnc-repeat` process"
             + (f" per round ({rounds} rounds, the orders taking turns first, so that a drift of "
                f"the host's speed weighs on all alike)" if rounds > 1 else "")
             + f": for each gather setting a first run (with blocks, it profiles the sources and "
             f"builds the blocks: once per graph, and so outside the median), then "
             f"{ab['runs_per_setting']} timed runs ("
             + ("the median of all rounds' runs" if rounds > 1 else "the median") + " is the figure). "
             f"**baseline**: the edge list's own order, gathers unblocked; "
             + ("**sort-in-edges**: the edge list's order, in-edges sorted; **reorder=X**: order X "
                "with its in-edges sorted (the orders without sorting: this page's git history, "
                "the ablation started 2026-12-04T15:41); " if sorted_in_edges else "**reorder=X**: order X alone; ")
             + (f"**gather-blocks=auto** and **gather-blocks=2** alone; **all**: those orders "
                f"with auto or 2 blocks, the fastest of them (per graph and model). " if two_blocks else
                f"**gather-blocks=auto** alone; **all**: those orders with auto blocks, the "
                f"fastest of them (per graph and model). ")
             + f"A renumbered graph's time "
             f"also holds putting the run's output back into the user's vertex order, "
             f"which every run must do to hand its output over "
             + ("(each run returns it so: `Model::setOriginalOrderOutput`, inside the run's time). "
                if back_in_runs else
                "(`gnn::rowsToOriginalOrder`, timed once per setting and added to the median). ")
             + f"Speedup = baseline ÷ "
             f"configuration (in brackets).\n")
    confs = {(c["graph"], c["model"], c["configuration"]): c for c in ab["configurations"]}
    graphs = [g["name"] for g in ab["graphs"]]
    models = list(dict.fromkeys(c["model"] for c in ab["configurations"]))
    rows, footnotes = [], []
    # An ablation from before sorted in-edges has no such column.
    columns = [n for n in CONFIGURATIONS
               if n not in ("sort-in-edges", "gather-blocks=2")
               or any(c["configuration"] == n for c in ab["configurations"])]
    for g in graphs:
        for m in models:
            row = [g, m]
            for name in columns:
                c = confs.get((g, m, name))
                if c is None:
                    row.append("not run")
                elif c["status"] != "ok":
                    if c.get("note") and c["note"] not in footnotes:
                        footnotes.append(c["note"])
                    mark = "¹²³⁴⁵⁶⁷⁸⁹"[footnotes.index(c["note"])] if c.get("note") in footnotes[:9] else ""
                    row.append(f"{c['status']}{mark}")
                else:
                    sp = "" if name == "baseline" else f" ({x2(c.get('speedup'))})"
                    order = ""
                    if name == "all":
                        order = f", {c['ordering']}" + (
                            f", {blocks_label(c['gather_blocks'])}" if two_blocks else "")
                    row.append(f"{fmt_s(c['median_s'])}{sp}{order}")
            rows.append(row)
    L.append(table(["graph", "model"] + columns, rows))
    L.append("")
    for i, note in enumerate(footnotes[:9]):
        L.append(f"{'¹²³⁴⁵⁶⁷⁸⁹'[i]} {note}")
    if footnotes:
        L.append("")
    write_against_issue_main(L, ab, models)

    # Once per graph
    L.append("### Once per graph\n")
    L.append("Converting the edge list to the CSR file in each order (`gnn-graph convert`, the whole "
             "process: reading the edge list, ordering, building and writing the CSR; the ordering's "
             "own time where convert reports it), like the CSR build a cost paid once per graph and "
             "outside every median; then what each run's process pays once: loading that file, "
             "putting the features into the graph's order (`gnn::rowsToGraphOrder`) and the first "
             "run (the arena's pages mapped; with blocks, profiling and building them), medians "
             "over models; and per run, putting the output back (in the ablation table's times).\n")
    runs_by = {}
    for r in ab["runs"]:
        if r.get("status") == "ok":
            runs_by.setdefault((r["graph"], r["ordering"]), []).append(r)
    rows = []
    for gi in ab["graphs"]:
        for c in gi.get("converts", []):
            rs = runs_by.get((gi["name"], c["ordering"]), [])
            med = lambda k: statistics.median(v[k] for v in rs) if rs and all(v.get(k) is not None for v in rs) else None  # noqa: E731
            if c["status"] != "ok":
                rows.append([gi["name"], c["ordering"], f"{c['status']}: {c.get('note', '')}",
                             "", "", "", "", "", ""])
                continue
            rows.append([gi["name"], c["ordering"], fmt_s(c["convert_s"]), fmt_s(c.get("reorder_s")),
                         f"{c['csr_bytes'] / 1e6:.0f} MB", fmt_s(med("csr_load_s")),
                         fmt_s(med("features_to_graph_order_s")), fmt_s(med("first_run_s")),
                         f"{med('output_back_ms'):.1f} ms" if med("output_back_ms") is not None else "–"])
    L.append(table(["graph", "order", "convert (whole)", "of which ordering", "CSR file",
                    "CSR load (per process)", "features into graph order", "first run",
                    "output back, per run"], rows))
    L.append("")
    bad = [r for r in ab["runs"] if (r.get("against_baseline") or {}).get("outside_rule")]
    compared = [r for r in ab["runs"] if r.get("against_baseline")]
    if compared:
        L.append(f"Every configuration's output is held to the baseline's elementwise, |a − b| ≤ "
                 f"1e-5 + 1e-4·|b| (another order sums a vertex's in-edges in another order, so bits "
                 f"may differ): {len(compared)} outputs compared, "
                 + ("all within the rule" if not bad else
                    f"**{len(bad)} with elements outside it**: " + "; ".join(
                        f"{r['graph']} {r['model']} {r['ordering']}/{r['gather_blocks']} "
                        f"{fmt_n(r['against_baseline']['outside_rule'])} of "
                        f"{fmt_n(r['against_baseline']['elements'])}, max abs error "
                        f"{r['against_baseline']['max_abs_err']:.2g}" for r in bad))
                 + f"; bit-identical: {sum(1 for r in compared if r['against_baseline'].get('identical'))}.\n")

    # Per stage, before and after
    L.append("### Message-passing stages: compulsory-byte efficiency before and after\n")
    if own_file:
        st = limits["stream"]
        L.append(f"The limits measured with this ablation (around it, the larger triad median of the "
                 f"two measurements is the roof): triad {bw:.1f} GB/s, random 256-byte row gather "
                 f"{st['gather256_median_gbs']:.1f} GB/s (median).")
        write_ladder(L, limits)
    L.append(f"Each message-passing step of the schedule: its compulsory bytes (vertex tensors read "
             f"once and written once, the CSR once) over its median time, as a share of the triad "
             f"roof ({bw:.1f} GB/s), in the baseline and in **all**; the time that 50% of triad "
             f"means; and two **random-gather times** from the cache ladder, for the rows its "
             f"in-edges (and self loops) gather (a narrower row than 256 bytes counted at the "
             f"ladder's rate per 64-byte line). *Uniform*: every read a random row of its whole "
             f"table, at the ladder's rate for the table's size (the largest ladder table not "
             f"above it): what the gathers take if no row is read more often than another. "
             f"*Hottest rows cached*: the graph's own skew (`source_cdf`: the share of edges "
             f"whose source is among the k most frequent) with an ideal cache that keeps the most "
             f"gathered rows: the reads of the rows that fit in 2 MiB at the 2 MiB rate, of the "
             f"next ones up to 4 MiB at the 4 MiB rate, and so on. On RMAT the hubs take most "
             f"reads, so a stage can beat the uniform time but hardly the skewed one; going below "
             f"both takes sources adjacent in memory (a vertex's neighbours numbered together), "
             f"which is what reordering and blocking are for. Where the skewed time is above the "
             f"50% target, random gathers cannot reach the target on this machine, and the table "
             f"says by how much.\n")
    runs = {(r["graph"], r["model"], r["ordering"], r["gather_blocks"]): r
            for r in ab["runs"] if r.get("status") == "ok"}

    def config_run(g, m, name):
        c = confs.get((g, m, name))
        return runs.get((g, m, c["ordering"], c["gather_blocks"])) if c and c["status"] == "ok" else None

    def message_steps(r):
        return [s for s in ((r or {}).get("efficiency") or {}).get("steps", []) if s["kind"] == "message"]

    def together(r):
        """(% of triad, seconds, random-gather ms uniform and skewed, 50%
        target ms) of all message steps of R."""
        steps = message_steps(r)
        if not steps:
            return None
        b, t = sum(s["bytes"] for s in steps), sum(s["ms"] for s in steps) / 1e3
        return (b / t / 1e9 / bw, t, sum(s.get("random_gather_ms") or 0 for s in steps),
                sum(s.get("skewed_gather_ms") or 0 for s in steps),
                sum(s.get("half_triad_ms") or 0 for s in steps))

    for g in graphs:
        rows, mp_lines = [], []
        for m in models:
            base, after = config_run(g, m, "baseline"), config_run(g, m, "all")
            a_steps = message_steps(after)
            for i, s in enumerate(message_steps(base)):
                a = a_steps[i] if i < len(a_steps) else None
                rows.append([m, s["step"], f"{s['bytes'] / 1e6:.0f}", f"{s['ms']:.1f}",
                             pct(s.get("fraction_of_triad")),
                             f"{a['ms']:.1f}" if a else "–", pct(a.get("fraction_of_triad")) if a else "–",
                             f"{s['half_triad_ms']:.1f}",
                             f"{s['random_gather_ms']:.1f}" if s.get("random_gather_ms") is not None else "–",
                             f"{s['skewed_gather_ms']:.1f}" if s.get("skewed_gather_ms") is not None else "–",
                             ", ".join(f"{t['floats']} × 4 B from {fmt_mib(t['table_mib'])} MiB @ "
                                       f"{t['mrows_s']:.0f} M rows/s" for t in s.get("gathers", []))])
            b0, b1 = together(base), together(after)
            if b0:
                mp_lines.append(f"{m} {pct(b0[0])} → {pct(b1[0]) if b1 else '–'} "
                                f"({'met' if b1 and b1[0] >= 0.5 else '**not met**'}; "
                                f"{b0[1] * 1e3:.0f} → {f'{b1[1] * 1e3:.0f}' if b1 else '–'} ms "
                                f"against {b0[4]:.0f} ms at 50%; random-gather time {b0[2]:.0f} ms "
                                f"uniform, {b0[3]:.0f} ms with the hottest rows cached)")
        if rows:
            L.append(f"**{g}**\n")
            L.append(table(["model", "step", "compulsory MB", "baseline ms", "baseline % of triad",
                            "all ms", "all % of triad", "50% of triad: ms", "random-gather ms: uniform",
                            "hottest rows cached", "gathered rows: table @ ladder rate"], rows))
            L.append("")
        if mp_lines:
            L.append(f"All message-passing steps of a model together on {g}, % of triad on compulsory "
                     f"bytes, baseline → all (issue 15's target: ≥ 50%): " + "; ".join(mp_lines) + ".\n")
        others = sorted({o["name"] for r in ab["runs"] if r["graph"] == g and r.get("efficiency")
                         for o in r["efficiency"].get("other_stages", [])})
        if others:
            L.append(f"Stages outside the schedule on {g} (timed by the runtime, inside the run): "
                     + ", ".join(f"`{o}`" for o in others) + ".\n")

    # Every run
    rows = []
    for r in ab["runs"]:
        if r.get("status") != "ok":
            rows.append([r["graph"], r["model"], r["ordering"], r["gather_blocks"], r["status"], "", "", "", "", ""])
            continue
        cmp_ = r.get("against_baseline")
        choices = r.get("gather_choices")
        rows.append([r["graph"], r["model"], r["ordering"], r["gather_blocks"],
                     f"{fmt_s(r['median_s'])} ({fmt_s(min(r['runs_s']))}–{fmt_s(max(r['runs_s']))})",
                     fmt_s(r["first_run_s"]),
                     ("; ".join(f"{stage_label(c['stage'])}: {c['blocks']} ({c.get('reason', '')})"
                                for c in choices) or "none") if choices is not None else "–",
                     f"{r['first_gather_setup_ms']:.0f} ms" if r.get("first_gather_setup_ms") is not None else "–",
                     f"{gib(r['peak_rss_kib']):.2f}",
                     "baseline" if cmp_ is None else ("identical" if cmp_.get("identical") else
                                                      f"{fmt_n(cmp_.get('outside_rule', 0))} outside, "
                                                      f"max {cmp_.get('max_abs_err', 0):.1g}")])
    L.append("<details><summary>Every ablation run (order × gather blocks)</summary>\n")
    L.append(table(["graph", "model", "order", "gather blocks", "median (min–max)", "first run",
                    "blocks chosen per stage (why)", "blocking setup, first run",
                    "peak RSS GiB (process)", "against the baseline"], rows))
    L.append("\n</details>\n")
    L.append("Reproduce: `make bench` runs the ablation after the main measurements "
             "(`bench/bench.py --no-ablation` leaves it out); `make bench-ablation` runs it alone "
             "(`bench/bench.py --only-ablation`, into `bench/results/ablation.json`, with the machine's "
             "limits measured around it) and regenerates this page, which shows whichever ablation "
             "started later. `--ablation-graphs`, `--ablation-models`, `--ablation-runs` choose what "
             "it runs. The cache ladder is under *The machine's limits*.\n")


def stage_label(name):
    """`kernel @forward_kernel2 loc(...)` -> `forward_kernel2`."""
    name = name.split(" loc(")[0]
    return name.split("@", 1)[1] if "@" in name else name


def fmt_mib(v):
    return f"{v:,.0f}" if v >= 10 else f"{v:.3g}"


def x2(v):
    return "–" if v is None else f"{v:.2f}×"


def write_page(results, doc_path, plot_dir, results_path, ablation=(None, None, None)):
    doc = results.doc
    rel = lambda p: os.path.relpath(p, os.path.dirname(doc_path))  # noqa: E731
    machine = doc["machine"]
    limits = doc["limits"]
    graphs = {g["name"]: g for g in results.graphs}
    ref = REFERENCE_GRAPH if REFERENCE_GRAPH in graphs else (scaling_graphs(results) or results.graphs)[-1]["name"]
    refg = graphs[ref]
    L = []
    L.append("# Performance\n")
    L.append(f"<!-- Generated by bench/report.py from {os.path.relpath(results_path, ROOT)}; "
             "edit those, not this page. -->\n")
    L.append(f"gnnc against PyTorch on the same machine, the same inputs and the same "
             f"thread count ({doc['threads']}) in one run of `make bench` "
             f"(started {doc['started']}, finished {doc.get('finished', '?')}; gnnc at "
             f"`{doc['git']['commit'][:12]}`{' plus uncommitted changes' if doc['git']['dirty'] else ''}), "
             "and against the machine's own limits.\n")
    L.append("## Reproduce\n")
    L.append("```sh\nmake bench        # installs python3-torch, python3-matplotlib, libopenblas0-pthread;\n"
             "                  # builds; generates the graphs; measures; rewrites this page (~110 min\n"
             "                  # on a 2-core AMD EPYC host: 65 without the ablation, BENCH_FLAGS=--no-ablation)\n"
             "make bench-quick  # < 2 min: GCN on one small graph, gnnc vs eager and sparse PyTorch (no page)\n"
             "make bench-ablation  # issue 15's ablation alone (bench/results/ablation.json); rewrites this page\n"
             "bench/bench.py --help   # choose graphs, models, systems, runs, threads\n```\n")
    L.append("Results: `bench/results/full.json` (and `quick.json`); graphs and weights are kept in "
             "`build/bench-data/` and reused.\n")

    # Summary
    L.append(f"## Summary: {ref} (N = {fmt_n(refg['vertices'])}, E = {fmt_n(refg['edges'])}, "
             f"F = {refg['features']})\n")
    L.append("Median inference time; in brackets, how many times longer the peer takes than gnnc "
             "(gnnc's speedup). gnnc's time is its whole run, the mapping of the memory it "
             "writes included; the graph build each side does once per graph is not in any "
             "median (next table). The fastest peer is the PyTorch system with the smallest "
             "median for that model. The sampled peer's total is sampling and model; model only "
             "leaves its sampling out. Peak RSS of each process; RSS ratio = gnnc ÷ peer. "
             "Efficiency = the model's lower-bound time ÷ gnnc's time. Message passing: the "
             "compulsory bytes of the message-passing kernels over their time, as a share of the "
             "triad roof.\n")
    rows = []
    for m in results.models:
        g = results.get(ref, m["name"], "gnnc")
        b = results.bounds.get((ref, m["name"]), {})
        row = [m["title"], cell(results, ref, m["name"], "gnnc")]
        for s in FULL_GRAPH_PEERS:
            r = results.get(ref, m["name"], s) or {}
            mark = " †" if not r.get("float64", {}).get("gnnc_at_least_as_close", True) else ""
            row.append(f"{cell(results, ref, m['name'], s)} ({x(results.ratio(ref, m['name'], s))}){mark}")
        best, ratio = results.fastest(ref, m["name"])
        row.append(f"{SHORT[best]} ({x(ratio)})" if best else "–")
        sr = results.get(ref, m["name"], "sampled")
        row.append(f"{cell(results, ref, m['name'], 'sampled')} ({x(results.ratio(ref, m['name'], 'sampled'))}); "
                   f"model only {fmt_s(sr.get('median_compute_s')) if sr else '–'} "
                   f"({x(results.ratio(ref, m['name'], 'sampled', 'median_compute_s'))})")
        row.append(f"{gib(g['peak_rss_kib']):.2f}" if g else "–")
        rr = [results.rss_ratio(ref, m["name"], s) for s in FULL_GRAPH_PEERS]
        row.append(" / ".join("–" if v is None else f"{v:.2f}" for v in rr))
        row.append(f"{100 * b['gnnc_efficiency']:.0f}%" if b.get("gnnc_efficiency") else "–")
        mp = b.get("message_passing")
        row.append(pct(mp["fraction_of_triad"]) if mp else "–")
        rows.append(row)
    L.append(table(["model", "gnnc", "eager (×)", "jit.script (×)", "sparse (×)", "fastest peer (×)",
                    "sampled: total (×); model only (×)", "gnnc RSS GiB",
                    "RSS ratio vs eager / script / sparse", "efficiency",
                    "message passing, % of triad"], rows))
    L.append("")
    closer = [f"{m['title']} {SHORT[s]}" for m in results.models for s in FULL_GRAPH_PEERS
              if not ((results.get(ref, m["name"], s) or {}).get("float64", {})
                      .get("gnnc_at_least_as_close", True))]
    if closer:
        L.append("† Closer to the float64 reference than gnnc (fewer elements outside the rule "
                 "there; All measurements, `checked`): " + ", ".join(closer) + ".\n")
    skipped_models = [m for m in doc["models"] if "skipped" in m]
    if skipped_models:
        L.append("Not measured: " + "; ".join(f"{m['title']} ({m['skipped']})" for m in skipped_models) + ".\n")

    # Who pays what
    L.append("### What each side does once per graph, and what every run pays\n")
    L.append("- **gnnc** builds its CSR by destination once per graph (`gnn-run --stats`: "
             "`csr build`, reading the edge-list file included) and keeps it; every run pays, "
             "inside its time, the mapping of the pages it writes: the output's on every run, "
             "the step arena's on the first run of a graph size.\n"
             "- **PyTorch eager and jit.script** need nothing per graph: every call rebuilds the "
             "self loops, degrees and normalisation from `edge_index`, inside its time, as PyG "
             "does by default.\n"
             "- **PyTorch sparse** builds each layer's aggregation matrix once per graph (GCN's "
             "normalised adjacency with self loops, SAGE's row-normalised one, GIN's plain one), "
             "as PyG's `cached=True` or a `SparseTensor` does, outside its time; each run is a "
             "dense matmul and a sparse-dense matmul per layer.\n"
             "- **Sampled mini-batches** build the sampler's CSR once per graph, outside the "
             "time, as `NeighborLoader` does when it is made; each run samples and computes.\n")
    rows = []
    for m in results.models:
        g = results.get(ref, m["name"], "gnnc") or {}
        sp = results.get(ref, m["name"], "sparse") or {}
        sa = results.get(ref, m["name"], "sampled") or {}
        mem = g.get("memory_ms")
        rows.append([m["title"], fmt_s(g.get("csr_build_s")),
                     f"{mem:.1f} ms of {fmt_s(g['median_s'])}" if mem is not None else "–",
                     f"{g['first_memory_ms']:.1f} ms of {fmt_s(g['first_run_s'])}"
                     if g.get("first_memory_ms") is not None else "–",
                     f"{fmt_s(sp['adjacency_s'])} ({sp['layout'].upper()})" if sp.get("adjacency_s") else "–",
                     fmt_s(sa.get("csr_s"))])
    L.append(table(["model", "gnnc CSR build", "gnnc run: mapping memory, of the median",
                    "gnnc first run: mapping memory (arena too)",
                    "sparse: aggregation matrix build (layout)", "sampled: CSR build"], rows))
    L.append("")
    trials = [(m["title"], r["layout_trial_s"]) for m in results.models
              if (r := results.get(ref, m["name"], "sparse")) and r.get("layout_trial_s")]
    if trials:
        L.append("The sparse peer's layout is this torch's faster one for each model and graph: "
                 "before the timed runs it runs twice with a CSR (`torch.sparse_csr_tensor`) and "
                 "twice with a COO matrix and keeps the faster (medians on " + ref + ": "
                 + "; ".join(f"{t} CSR {fmt_s(tr['csr'])}, COO {fmt_s(tr['coo'])}" for t, tr in trials)
                 + ").\n")

    # Issue 4's targets
    L.append("### Against the targets (issue 4)\n")
    L.append("At least 10× faster than every PyTorch peer (so than the fastest); peak RSS at most "
             "one third of every full-graph PyTorch peer's; message-passing kernels at ≥ 50% of "
             "the measured (triad) bandwidth for the bytes they must move. Those bytes are the "
             "**compulsory** bytes: every vertex tensor read once and written once, the CSR once "
             "— what a kernel with a perfect cache moves. That is the one efficiency figure; "
             f"the same bytes against the random-gather rate of the same STREAM measurement "
             f"(taken at the {limits.get('roof_measured_at', 'start')} of the run) are given "
             "beside it. How often the edges read a source row is an access count (in the "
             "per-step tables below), not a rate against any bandwidth: rows a cache holds cost "
             "no memory traffic.\n")
    rows = []
    mark = lambda ok: "–" if ok is None else ("met" if ok else "**not met**")  # noqa: E731
    for m in results.models:
        b = results.bounds.get((ref, m["name"]), {})
        best, ratio = results.fastest(ref, m["name"])
        rss = [v for s in FULL_GRAPH_PEERS if (v := results.rss_ratio(ref, m["name"], s)) is not None]
        mpd = b.get("message_passing", {})
        mp = mpd.get("fraction_of_triad")
        rows.append([m["title"],
                     f"{mark(None if ratio is None else ratio >= 10)} ({x(ratio)}, {SHORT[best] if best else '–'})",
                     f"{mark(max(rss) <= 1 / 3 if rss else None)} ({max(rss):.2f})" if rss else "–",
                     f"{mark(None if mp is None else mp >= 0.5)} ({pct(mp)} of triad; "
                     f"{pct(mpd.get('fraction_of_gather'))} of gather)"])
    L.append(table(["model", "≥ 10× the fastest peer", "RSS ≤ ⅓ of every full-graph peer's",
                    "MP ≥ 50% BW, compulsory bytes"], rows))
    L.append("")
    needs = []
    for m in results.models:
        mpd = results.bounds.get((ref, m["name"]), {}).get("message_passing", {})
        if mpd.get("bytes") and mpd.get("seconds"):
            t50 = mpd["bytes"] / (0.5 * limits["bandwidth_gbs"] * 1e9)
            reads = mpd.get("row_reads")
            needs.append(f"{m['title']} {t50 * 1e3:.1f} ms (now {mpd['seconds'] * 1e3:.1f} ms"
                         + (f", {reads / 1e6:.1f} M source-row reads" if reads else "") + ")")
    if needs:
        L.append("50% of triad on compulsory bytes means the message-passing kernels finishing in: "
                 + "; ".join(needs) + ".\n")

    # Plots
    L.append("## Time against graph size\n")
    L.append(f"![time vs edges]({rel(os.path.join(plot_dir, 'time-vs-edges.png'))})\n")
    gs = doc.get("graph_systems", {})
    by_design = "; ".join(f"{g}: {', '.join(LABEL[s] for s in v)}" for g, v in gs.items())
    L.append("Dashed: the model's lower bound on this machine (below); dotted: the sampled baseline's "
             "model time without its sampling. "
             + (f"Past the reference graph `make bench` runs only some systems, to keep to about 30 "
                f"minutes ({by_design}). " if by_design else "")
             + "Any other missing point was skipped (reasons at the end).\n")
    L.append("## Efficiency against the roofline\n")
    L.append(f"![efficiency]({rel(os.path.join(plot_dir, 'efficiency.png'))})\n")
    L.append(f"![roofline]({rel(os.path.join(plot_dir, 'roofline.png'))})\n")
    L.append(f"Each point of the second plot is one step of gnnc's schedule on {ref}: its flops over "
             "its compulsory bytes, against the flops it achieved per second.\n")

    # All results
    L.append("## All measurements\n")
    L.append("Median of the timed runs (min–max in brackets), what the system builds once per "
             "graph outside them, peak RSS, time to first result (process start to first output, "
             "imports, loading and that build included), and how the output was checked against "
             "gnnc's (the rule under Method: `rule` where every element is within it, `float64` "
             "where it was decided against the float64 reference, with the elements of each "
             "outside the rule there).\n")
    rows = []
    for g in results.graphs:
        for m in results.models:
            for s in SYSTEMS:
                r = results.all.get((g["name"], m["name"], s))
                if r is None:
                    continue
                if r.get("status") != "ok":
                    rows.append([g["name"], m["name"], LABEL[s], r["status"], "", "", "", "", "", ""])
                    continue
                runs = r.get("runs_s") or [r["median_s"]]
                ratio = results.ratio(g["name"], m["name"], s)
                rows.append([g["name"], m["name"], LABEL[s],
                             f"{cell(results, g['name'], m['name'], s)} "
                             f"({fmt_s(min(runs))}–{fmt_s(max(runs))})",
                             len(runs), once_per_graph(r, s), f"{gib(r['peak_rss_kib']):.2f}",
                             fmt_s(r.get("time_to_first_result_s")),
                             "" if s == "gnnc" else x(ratio), checked(r, s)])
    L.append(table(["graph", "model", "system", "median", "runs", "built once per graph",
                    "peak RSS GiB", "first result", "gnnc speedup", "checked"], rows))
    L.append("")

    # Where the time goes
    L.append(f"## Where gnnc's time goes ({ref})\n")
    L.append("Each step of the compiled schedule (median over runs, from `gnn-run --stats`), the bytes "
             "it must move (vertex tensors read once and written once, the CSR once for a "
             "message-passing step) and the rate that makes. For a message-passing step, how many "
             "source rows its edges (and self loops) read, and the bytes their 64-byte lines "
             "span: an access count, not traffic, since rows still in a cache cost no memory "
             "bytes; and the time those reads take if each is a random row of its table, at the "
             "cache ladder's rate for the table's size (the Ablation section says how). The steps do not add up to the run: it also maps its output's pages (given "
             "under each table).\n")
    for m in results.models:
        b = results.bounds.get((ref, m["name"]), {})
        steps = [s for s in b.get("steps", []) if "ms" in s]
        if not steps:
            continue
        L.append(bounds_sentence(m["title"], b))
        rows = [[s["step"], s["kind"], f"{s['ms']:.2f}", f"{s['bytes'] / 1e6:.1f}",
                 f"{s['flops'] / 1e9:.2f}", f"{s['gbs']:.1f}" if s.get("gbs") else "–",
                 f"{100 * s['gbs'] / limits['bandwidth_gbs']:.0f}%" if s.get("gbs") else "–",
                 f"{s['row_reads'] / 1e6:.2f} M ({s['row_read_bytes'] / 1e6:.0f} MB)"
                 if s.get("row_reads") else "–",
                 (f"{s['random_gather_s'] * 1e3:.2f}" if s.get("random_gather_s") is not None else "–")
                 + (f" / {s['skewed_gather_s'] * 1e3:.2f}" if s.get("skewed_gather_s") is not None else "")]
                for s in steps]
        L.append(table(["step", "kind", "ms", "MB", "GFLOP", "GB/s", "% of triad",
                        "source-row reads (line bytes)", "random-gather ms: uniform / hottest cached"], rows))
        g = results.get(ref, m["name"], "gnnc") or {}
        if g.get("memory_ms") is not None:
            L.append(f"\nThe run's median {fmt_s(g['median_s'])} also holds {g['memory_ms']:.2f} ms "
                     f"of mapping the output's pages; the steps' medians sum to "
                     f"{sum(s['ms'] for s in steps):.2f} ms.")
        L.append("")

    if ablation[0]:
        write_ablation(L, *ablation, own_file=ablation[1] is not doc)

    # AVX-512 against AVX2
    isa_rows = []
    for m in results.models:
        g = results.get(ref, m["name"], "gnnc")
        isa = (g or {}).get("isa")
        if not isa or isa.get("status") != "ok":
            continue
        k512, k2 = isa.get("avx512_kernels_ms"), isa.get("avx2_kernels_ms")
        isa_rows.append([m["title"], fmt_s(isa["avx512_s"]), fmt_s(isa["avx2_s"]),
                         f"{k512:.1f} ms" if k512 else "–", f"{k2:.1f} ms" if k2 else "–",
                         f"{k2 / k512:.2f}" if k512 and k2 else "–",
                         "yes" if isa.get("same_checksum") else "no (rounding)"])
    if isa_rows:
        L.append(f"## Kernels for AVX-512 or AVX2 ({ref})\n")
        L.append("The same model with its JIT kernels compiled for the host's AVX-512 (the "
                 "default: each kernel's own vector width, 512 bits for compute-bound "
                 "kernels and 256 for the rest, `GNNC_VECTOR_WIDTH`) and for AVX2 "
                 "(`GNNC_TARGET_FEATURES=-avx512f`), "
                 "each in one process (medians); oneDNN's dense steps choose their own ISA both "
                 "times. Kernel time is the sum of the kernel (launch) steps.\n")
        L.append(table(["model", "AVX-512 run", "AVX2 run", "AVX-512 kernels", "AVX2 kernels",
                        "AVX2 ÷ AVX-512 (kernels)", "same output bits"], isa_rows))
        L.append("")

    # Compile time and first result
    L.append("## Compile time and time to first result\n")
    L.append("gnnc caches compiled kernels on disk (keyed by model IR, options and CPU; "
             "`GNNC_CACHE_DIR`). Each model's first run on each graph starts from an empty cache "
             "(**cold**: frontend, lowering, LLVM codegen), the timed runs after it find the "
             "kernels there (**cached**: frontend and loading the object only). `compile` is "
             "gnn-run's own figure (`--stats`); first result is the whole `gnn-run` process: "
             "start, load graph, features and weights, compile, infer, write. For PyTorch, first "
             "result runs from process start (importing torch included) to the first output; "
             "TorchScript's compile is `torch.jit.script` (its profiling executor then optimises "
             "during two untimed warm-up calls). Steady: the median inference.\n")
    rows = []
    for m in results.models:
        g = results.get(ref, m["name"], "gnnc")
        e = results.get(ref, m["name"], "eager")
        s = results.get(ref, m["name"], "script")
        sp = results.get(ref, m["name"], "sparse")
        colds = [r["compile_cold_s"] for gr in results.graphs
                 if (r := results.get(gr["name"], m["name"], "gnnc")) and r.get("compile_cold_s") is not None]
        rows.append([m["title"],
                     fmt_s(g.get("compile_cold_s")) if g else "–",
                     fmt_s(g.get("compile_cached_s")) if g else "–",
                     f"{fmt_s(min(colds))}–{fmt_s(max(colds))}" if colds else "–",
                     fmt_s(g.get("time_to_first_result_s")) if g else "–",
                     fmt_s(g.get("time_to_first_result_cached_s")) if g else "–",
                     fmt_s(g["median_s"]) if g else "–",
                     fmt_s(g.get("process_median_s")) if g else "–",
                     fmt_s(e.get("time_to_first_result_s")) if e else "–",
                     fmt_s(e["median_s"]) if e else "–",
                     fmt_s(s.get("script_s")) if s else "–",
                     fmt_s(s.get("time_to_first_result_s")) if s else "–",
                     fmt_s(s["median_s"]) if s else "–",
                     fmt_s(sp.get("time_to_first_result_s")) if sp else "–",
                     fmt_s(sp["median_s"]) if sp else "–"])
    L.append(table(["model", "gnnc compile, cold", "cached", "cold, all graphs",
                    "gnnc first result, cold", "cached", "gnnc steady", "gnnc, one run per process",
                    "eager first result", "eager steady", "jit.script compile",
                    "script first result", "script steady", "sparse first result",
                    "sparse steady"], rows))
    L.append("")
    g0 = next((r for r in results.ok.values() if r["system"] == "gnnc" and "cold" in r), None)
    if g0:
        c = g0["cold"]
        parts = ", ".join(f"{k[len('compile_'):-2]} {fmt_s(v)}" for k, v in c.items()
                          if k.startswith("compile_") and k != "compile_s")
        if parts:
            L.append(f"A cold compile ({g0['model']}, {g0['graph']}) splits into {parts}.\n")
    L.append(f"gnnc's steady state: {doc.get('gnnc_steady_state', '')}. The PyTorch peers' steady "
             "state is measured in one warm process, which favours them slightly.\n")

    # Sampling
    L.append("## The mini-batch baseline\n")
    L.append("Neighbour sampling as PyG's `NeighborLoader(num_neighbors=[25, 10], batch_size=1024)` "
             "does it, over all vertices in order, the eager modules run on each sampled subgraph "
             "and the targets' rows kept. The sampler's CSR is built once per graph before the "
             "runs, as the loader does when it is made (its time is given, not counted); a run "
             "is sampling plus the model. Redundancy = rows each layer computes over all batches "
             "÷ N (full-graph inference: 1). The sampler is vectorised numpy, slower than PyG's "
             "C++ sampler, so the table also gives the model time alone (feature gather "
             "included); the summary quotes both ratios.\n")
    rows = []
    for g in results.graphs:
        for m in results.models:
            r = results.get(g["name"], m["name"], "sampled")
            if not r:
                continue
            rows.append([g["name"], m["name"], f"{r['redundancy']:.1f}", fmt_n(r["rows_per_layer"]),
                         fmt_n(r["subgraph_edges"]), fmt_s(r.get("csr_s")),
                         fmt_s(r.get("median_sample_s")),
                         fmt_s(r.get("median_compute_s")), fmt_s(r["median_s"]),
                         x(results.ratio(g["name"], m["name"], "sampled")),
                         x(results.ratio(g["name"], m["name"], "sampled", "median_compute_s"))])
    if rows:
        L.append(table(["graph", "model", "redundancy", "rows per layer", "subgraph edges",
                        "CSR build (once)", "sampling", "model", "total",
                        "gnnc speedup (total)", "gnnc speedup (model only)"], rows))
    sc = doc.get("sampler_selfcheck")
    if sc:
        L.append(f"\nSelf-check (random graph with duplicate edges, stored self loops and isolated "
                 f"vertices): the sampler with every in-neighbour taken must equal full-graph "
                 f"inference (SAGE): {'passed' if sc.get('sampler_ok', sc.get('ok')) else '**FAILED**'}"
                 f"{', max abs error %.2g' % sc['max_abs_err'] if 'max_abs_err' in sc else ''}"
                 + (f"; the sparse forms (both layouts) must equal the reference in float64 to 1e-9: "
                    f"{'passed' if sc['sparse_ok'] else '**FAILED**'} (largest difference "
                    f"{max(sc['sparse_float64_max_abs_err'].values()):.1g})"
                    if "sparse_ok" in sc else "") + ".\n")

    # Machine
    L.append("## The machine\n")
    keys = ["Model name", "CPU(s)", "Core(s) per socket", "Thread(s) per core", "L2 cache", "L3 cache",
            "vector ISA", "Hypervisor vendor", "memory_gib", "platform",
            "transparent huge pages enabled", "transparent huge pages defrag",
            "virtio-balloon free page reporting", "DAMON"]
    rows = [[k.replace("_gib", " (GiB)"), machine[k]] for k in keys if k in machine]
    rows += [[k, v] for k, v in machine.items() if k.startswith("pkg ")]
    rows.append(["libblas.so.3 alternative", machine.get("libblas.so.3 alternative")])
    rows.append(["BLAS mapped into the PyTorch process (/proc/self/maps)", machine.get("blas_in_torch")])
    rows.append(["OpenBLAS kernels in use (openblas_get_corename)", machine.get("openblas_core") or "unknown"])
    rows.append(["BLAS/OpenMP-related environment", ", ".join(f"{k}={v}" for k, v in machine.get("env", {}).items()) or "none"])
    if machine.get("env_dropped_for_children"):
        rows.append(["removed for every measured process", ", ".join(machine["env_dropped_for_children"])
                     + " (OpenBLAS detects the CPU itself, as on a fresh install)"])
    rows.append(["threads, every system", f"{doc['threads']} (gnn-run --threads, torch.set_num_threads, "
                 "OMP_NUM_THREADS, OPENBLAS_NUM_THREADS)"])
    rows.append(["load average at start / end", f"{doc['load_start'][0]:.2f} / {doc.get('load_end', [0])[0]:.2f}"])
    L.append(table(["", ""], rows))
    L.append("")
    if max(doc["load_start"][0], doc.get("load_end", [0])[0]) > 0.5 * int(machine.get("CPU(s)", 2)):
        L.append("**The machine was shared with other work during this run** (load average above); "
                 "absolute times are noisier than they should be, ratios measured back to back less so.\n")
    if machine.get("virtio-balloon free page reporting") == "on" or "pageout" in machine.get("DAMON", ""):
        L.append("This is a virtual machine that hands memory the guest frees back to its host "
                 "(virtio-balloon free page reporting) and pages out memory that looks cold (DAMON): "
                 "the first touch of memory after a second or so of idleness costs faults on the host, "
                 "tens to hundreds of milliseconds per GiB. Timings of a fresh process (each `gnn-run`, "
                 "each first result) carry that; the medians, taken in one warm process for every "
                 "system, mostly do not.\n")
    torch_info = machine.get("torch", {})
    if "torch_config" in torch_info:
        L.append("<details><summary>torch.__config__.show() and parallel_info()</summary>\n\n```\n"
                 + torch_info["torch_config"].strip() + "\n\n" + torch_info.get("torch_parallel", "").strip()
                 + "\n```\n</details>\n")

    # Limits
    st, sg = limits["stream"], limits["sgemm"]
    L.append("## The machine's limits\n")
    L.append(table(["measure", "best", "median", "how"], [
        ["triad a = b + s·c", f"{st['triad_gbs']:.1f} GB/s", f"{st['triad_median_gbs']:.1f} GB/s",
         f"bench/stream.cpp, {st['threads']} threads, 3 × {st['array_mib']} MiB arrays, 24 B/element"],
        ["read (sum)", f"{st['read_gbs']:.1f} GB/s", f"{st['read_median_gbs']:.1f} GB/s", "same arrays"],
        ["random 256-byte row gather", f"{st['gather256_gbs']:.1f} GB/s", f"{st['gather256_median_gbs']:.1f} GB/s",
         "uniform random rows of a huge-page table, software prefetch"],
        ["sgemm 2048³", f"{sg['square_2048_gflops']:.0f} GFLOP/s", f"{sg['square_2048_median_gflops']:.0f} GFLOP/s",
         f"torch.mm, {sg['threads']} threads (OpenBLAS)"],
        ["sgemm 2048³, oneDNN", f"{sg.get('onednn_square_2048_gflops', 0):.0f} GFLOP/s",
         f"{sg.get('onednn_square_2048_median_gflops', 0):.0f} GFLOP/s",
         "torch.utils.mkldnn Linear (the library gnnc's dense stages use)"],
        ["sgemm 262144×128 · 128×64", f"{sg['skinny_262144x128x64_gflops']:.0f} GFLOP/s",
         f"{sg['skinny_262144x128x64_median_gflops']:.0f} GFLOP/s", "a GCN layer's shape, torch.mm"],
    ]))
    end = limits.get("at_end")
    if end:
        L.append(f"\nMeasured again at the end of the run: triad {end['stream']['triad_gbs']:.1f} GB/s best, "
                 f"{end['stream']['triad_median_gbs']:.1f} GB/s median; read "
                 f"{end['stream']['read_median_gbs']:.1f}, gather {end['stream']['gather256_median_gbs']:.1f} GB/s "
                 f"median; sgemm {end['sgemm']['square_2048_gflops']:.0f} GFLOP/s. The host is shared: "
                 "its bandwidth moves with its other tenants.")
    write_ladder(L, limits)
    gather = limits.get("gather_gbs")
    L.append(f"\nRoofs used for the bounds: bandwidth {limits['bandwidth_gbs']:.1f} GB/s "
             f"({limits.get('bandwidth_source', 'triad')}), {limits['gflops']:.0f} GFLOP/s (sgemm 2048³, the best of "
             "OpenBLAS and oneDNN)"
             + (f"; \"% of gather\" is against the random-gather median of the same measurement "
                f"(at the {limits.get('roof_measured_at', 'start')}), {gather:.1f} GB/s" if gather else "")
             + ".\n")
    L.append("**Lower bound** of a model on a graph: per layer, the larger of (bytes ÷ bandwidth) and "
             "(flops ÷ sgemm rate), summed over layers, where a layer must read its input rows "
             "(N × F_in × 4 B) and the CSR (E × 4 B + N × 8 B) once and write its output rows once; "
             "flops are the dense matmuls plus the per-edge multiply-adds. It assumes perfect fusion "
             "and caching, so no real schedule reaches it; gnnc's own schedule bound (per step, "
             "above) is the one its kernels can approach.\n")

    # Skips and notes
    skipped = [r for r in doc["results"] if r.get("status") not in ("ok", "not applicable")]
    na = sorted({(r["system"], r["model"], r.get("note", "")) for r in doc["results"]
                 if r.get("status") == "not applicable"})
    if na:
        L.append("Not applicable: " + "; ".join(f"{LABEL.get(s, s)} for {m} ({n})" for s, m, n in na)
                 + ".\n")
    if skipped:
        L.append("## Skipped or failed\n")
        for r in skipped:
            L.append(f"- {r['graph']} {r['model']} {LABEL.get(r['system'], r['system'])}: "
                     f"{r['status']}: {r.get('note', '')}")
        L.append("")

    L.append("## Method\n")
    L.append(
        "- **gnnc**: `gnn-run MODEL --graph --features --weights --output --threads T --stats`, "
        f"one process per run, {doc['runs'] + 1} runs (the first with an empty kernel cache): compile "
        "times, first result, peak RSS; the output of the first run is the reference every peer is "
        "checked against. The timed median comes from `bench/gnnc-repeat` (the embedding API, "
        "`gnn/Engine.h`): one process, a first run, then the timed runs, exactly as the PyTorch peers "
        "are timed; its output must have gnn-run's checksum. (Without that runner the median is "
        "gnn-run's `inference` figure over the processes.) A run's time (`RunStats`, gnn-run's "
        "`inference`) starts before the run maps any memory and ends with the output in hand: "
        "the pages it writes are faulted in inside it. The CSR is built before, once per graph "
        "(`csr build`), and reported beside it. gnnc runs with its defaults (vertex order as "
        "given; gather blocks chosen by its cost model, whose one-off setup falls in the first "
        "run); the Ablation section varies both.\n"
        "- **PyTorch eager**: bench/reference.py, PyG's semantics in plain torch ops "
        "(index_select gathers, index_add_ scatters, per-call self loops and GCN normalisation "
        "as PyG does with its defaults), same weights read from the same safetensors file. "
        "**torch.jit.script**: the same modules scripted.\n"
        "- **PyTorch sparse**: what a PyG user with a static graph runs (`cached=True`, or a "
        "`SparseTensor` adjacency): bench/reference.py's `adjacency` builds each model's "
        "aggregation matrix once per graph with PyG's semantics (GCN: `gcn_norm` with "
        "`add_remaining_self_loops`; SAGE: each row divided by the in-degree; GIN: the plain "
        "adjacency, `(1 + eps) x + A x`; duplicate edges summed), outside the timed runs, and "
        "each layer is `x @ W` and one sparse-dense matmul (`torch.sparse_csr_tensor` or a COO "
        "matrix, whichever this torch runs faster, tried on each model and graph), no E × F "
        "tensor. GAT has no such form.\n"
        "- **Sampled mini-batches**: bench/sampling.py (above).\n"
        "- **One correctness rule** for every full-graph peer, before anything of it is timed: "
        "its first output a and gnnc's b must satisfy |a − b| ≤ 1e-5 + 1e-4·|b| elementwise, "
        "everywhere. Where float32 summation order alone breaks that (GIN's unnormalised sums "
        "over RMAT hubs, on elements that cancel to near zero), the reference is evaluated in "
        "float64 (`peer.py float64`, its own process) and both outputs are held to the same rule "
        "against it; the counts of elements outside it and both largest errors are recorded "
        "(All measurements, `checked`), and which of the two is closer (fewer elements "
        "outside). The peer is timed either way: one closer to float64 than gnnc computes the "
        "model at least as well. No tolerance grows with the output's scale. That the peers "
        "compute PyG's function rests on eager and jit.script being the reference and on the "
        "self-check, which shows the sparse forms equal to it in float64. The sampled peer's "
        "output differs by design (sampling); the self-check shows its sampler exact with "
        "every neighbour taken.\n"
        f"- Threads: {doc['threads']} for everyone: `gnn-run --threads`, `torch.set_num_threads`, "
        "`OMP_NUM_THREADS` and `OPENBLAS_NUM_THREADS`; the sampled baseline alone gets a "
        "one-thread OpenBLAS (its other ops keep their threads), because OpenBLAS's spinning "
        "threads fight torch's OpenMP threads over the cores on its thousands of small matmuls, "
        "which cost it about 2×; full-graph PyTorch is faster with the two-thread BLAS. Settings "
        "of the calling environment that pin OpenBLAS's kernels (`OPENBLAS_CORETYPE`, "
        "`OPENBLAS_L2_SIZE`) are removed, so OpenBLAS picks its kernels for this CPU as on a fresh "
        "install.\n"
        f"- Times are medians of {doc['runs']} runs after the first (gnnc: of up to 25, about "
        "10 s worth, because its runs are short enough for one noisy moment of the shared host to "
        "move one of them); peak RSS is the process's "
        "`ru_maxrss` from wait4 (one process per system, model and graph: graph, features and "
        "PyTorch's own libraries included).\n"
        "- Graphs: `gnn-graph generate --kind=rmat --seed=1`"
        + "".join(f"; {g['name']}: `{g['generator']}`" for g in results.graphs
                  if g.get("kind", "rmat") != "rmat" and g.get("generator"))
        + " (a stochastic block model: each edge's target, with the intra probability, in its "
        "source's community; a seeded permutation hides the communities from the ids), features "
        "128 uniform floats; weights "
        "`scripts/random-weights --seed 1` (Glorot).\n"
        "- A peer is skipped on a graph when its time or memory on the previous graph, scaled by "
        "size, predicts more than the cell budget or 60% of memory.")
    # Measured by hand (bench/billion-edges.sh), not by `make bench`: the
    # section is kept in its own file and carried over verbatim.
    extra = os.path.join(ROOT, "bench", "billion-edges.md")
    if os.path.exists(extra):
        with open(extra) as f:
            L += ["", f.read().rstrip("\n")]
    with open(doc_path, "w") as f:
        f.write("\n".join(L) + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("results", nargs="?", default=os.path.join(HERE, "results", "full.json"))
    p.add_argument("--doc", default=os.path.join(ROOT, "docs", "performance.md"))
    p.add_argument("--plots", default=os.path.join(ROOT, "docs", "performance"))
    p.add_argument("--ablation", help="the ablation from this results file (default: RESULTS' own "
                   "or ablation.json beside it, whichever started later)")
    p.add_argument("--no-plots", action="store_true", help="the page alone (no matplotlib needed)")
    args = p.parse_args()
    with open(args.results) as f:
        results = Results(json.load(f))
    ablation = load_ablation(results.doc, args.results, args.ablation)
    if not args.no_plots:
        os.makedirs(args.plots, exist_ok=True)
        plot_time(results, os.path.join(args.plots, "time-vs-edges.png"))
        plot_efficiency(results, os.path.join(args.plots, "efficiency.png"))
        graphs = [g["name"] for g in (scaling_graphs(results) or results.graphs)]
        plot_roofline(results, REFERENCE_GRAPH if REFERENCE_GRAPH in graphs else graphs[-1],
                      os.path.join(args.plots, "roofline.png"))
    write_page(results, args.doc, args.plots, args.results, ablation)
    print(f"report: wrote {os.path.relpath(args.doc)}"
          + ("" if args.no_plots else f" and plots in {os.path.relpath(args.plots)}"))


if __name__ == "__main__":
    main()

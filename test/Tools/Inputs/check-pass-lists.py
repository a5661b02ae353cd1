#!/usr/bin/python3
"""Checks that the documentation lists the passes the compiler has.

  check-pass-lists.py --src SRC --gnn-opt GNN_OPT

The passes are read from lowering/Passes.td (every `Pass<"name", ...>`),
and the three pipelines from gnn-opt itself (--dump-pass-pipeline, so the
truth is lowering/Pipeline.cpp as built). Then:
  * docs/passes.md has a `### `name`` section for every pass;
  * its pipeline table lists each pipeline's passes in order;
  * README.md's `lowering/` row names every pass.
Prints one line per fault and exits 1 if there is any, else prints "ok".
"""

import argparse
import re
import subprocess
import sys


def pipeline(gnn_opt, name):
    """The passes `--name` expands to, nested pipelines flattened, options
    dropped: ['cse', 'gnn-decompose', ...]."""
    out = subprocess.run([gnn_opt, "--" + name, "--dump-pass-pipeline", "-o", "/dev/null"],
                         input="module {}\n", capture_output=True, text=True, check=True)
    text = out.stdout + out.stderr
    spec = text[text.index("builtin.module(") + len("builtin.module("):].strip()
    spec = re.sub(r"\{[^}]*\}", "", spec)           # options
    spec = re.sub(r"func\.func\(([^()]*)\)", r"\1", spec)
    return [p.strip() for p in spec.rstrip(")").split(",") if p.strip()]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--src", required=True)
    p.add_argument("--gnn-opt", required=True)
    a = p.parse_args()
    faults = []
    td = open(f"{a.src}/lowering/Passes.td").read()
    passes = re.findall(r'Pass<"([a-z-]+)"', td)
    doc = open(f"{a.src}/docs/passes.md").read()
    readme = open(f"{a.src}/README.md").read()

    for name in passes:
        if not re.search(rf"^### `{re.escape(name)}`", doc, re.M):
            faults.append(f"docs/passes.md: no '### `{name}`' section for the pass in Passes.td")

    stages = pipeline(a.gnn_opt, "gnn-to-stages")
    kernels = pipeline(a.gnn_opt, "gnn-to-kernels")
    to_llvm = pipeline(a.gnn_opt, "gnn-kernels-to-llvm")
    expected = {
        "gnn-to-stages": stages,
        # The table writes gnn-to-kernels with gnn-to-stages folded in.
        "gnn-to-kernels": ["gnn-to-stages"] + kernels[len(stages):]
        if kernels[:len(stages)] == stages else kernels,
        "gnn-kernels-to-llvm": to_llvm,
    }
    for name, want in expected.items():
        row = re.search(rf"^\| `{name}` \| (.*?) \|", doc, re.M)
        if not row:
            faults.append(f"docs/passes.md: no pipeline table row for `{name}`")
            continue
        listed = [re.sub(r"func\.func\((.*)\)", r"\1", x) for x in re.findall(r"`([^`]+)`", row.group(1))]
        if listed != want:
            faults.append(f"docs/passes.md: the `{name}` row lists {listed}, but the pipeline runs {want}")

    row = re.search(r"^\| `lowering/` \| (.*)$", readme, re.M)
    if not row:
        faults.append("README.md: no `lowering/` row")
    else:
        for name in passes:
            if f"`{name}`" not in row.group(1):
                faults.append(f"README.md: the `lowering/` row does not name `{name}`")

    for f in faults:
        print(f)
    if faults:
        return 1
    print(f"ok: {len(passes)} passes, 3 pipelines")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Runs the command transcripts of a Markdown document and compares outputs.

A transcript is a fenced code block tagged `console`:

    ```console
    $ build/bin/gnn-opt docs/gcn-graph-level.mlir --gnn-decompose
    module {
    ...
    ```

Each `$ ` line is a command (a trailing backslash continues it on the next
line); the lines up to the next command or the end of the block are its
expected output, stdout and stderr together. Commands run under bash in a
scratch directory that mirrors the source tree (so `docs/`, `examples/`
resolve) with `build` pointing at the build directory, so that files a
command writes never land in the source tree.

  check-doc-examples.py --src ROOT --build BUILD DOC.md...    # check
  check-doc-examples.py --src ROOT --build BUILD --update DOC.md...

--update rewrites the outputs in place from what the commands print now.
"""
import argparse
import difflib
import os
import re
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^(\s*)```(\w*)\s*$")


def parse(lines):
    """Yields (first line index, end index, [(command, line, [output])])."""
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m or m.group(2) != "console":
            i += 1
            continue
        indent, start, i = m.group(1), i + 1, i + 1
        while i < len(lines) and not FENCE.match(lines[i]):
            i += 1
        body = [l[len(indent):] if l.startswith(indent) else l.lstrip()
                for l in lines[start:i]]
        commands, j = [], 0
        while j < len(body):
            if not body[j].startswith("$ "):
                raise SystemExit("%d: output before the first command"
                                 % (start + j + 1))
            line, text = start + j + 1, body[j][2:]
            while text.endswith("\\") and j + 1 < len(body):
                j += 1
                text = text + "\n" + body[j]
            j += 1
            output = []
            while j < len(body) and not body[j].startswith("$ "):
                output.append(body[j])
                j += 1
            commands.append((text, line, output))
        yield start, i, indent, commands
        i += 1


def run(command, cwd):
    result = subprocess.run(["bash", "-o", "pipefail", "-c", command],
                            cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    out = [l.rstrip() for l in result.stdout.rstrip("\n").split("\n")]
    return out if out != [""] else []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--update", action="store_true")
    ap.add_argument("docs", nargs="+")
    args = ap.parse_args()

    failures = 0
    with tempfile.TemporaryDirectory(prefix="gnn-doc-") as scratch:
        for entry in os.listdir(args.src):
            if entry not in ("build", ".git"):
                os.symlink(os.path.join(os.path.abspath(args.src), entry),
                           os.path.join(scratch, entry))
        os.symlink(os.path.abspath(args.build), os.path.join(scratch, "build"))

        for doc in args.docs:
            with open(doc) as f:
                lines = f.read().split("\n")
            edits = []
            for start, end, indent, commands in parse(lines):
                block = []
                for command, line, expected in commands:
                    actual = run(command, scratch)
                    expected = [l.rstrip() for l in expected]
                    if actual != expected and not args.update:
                        failures += 1
                        print("%s:%d: the output of this command changed:\n  $ %s"
                              % (doc, line, command))
                        for d in difflib.unified_diff(expected, actual,
                                                      "documented", "actual",
                                                      lineterm="", n=2):
                            print("  " + d)
                    block += ["$ " + command] + actual
                edits.append((start, end, [indent + l if l else l
                                           for l in "\n".join(block).split("\n")]))
            if args.update:
                for start, end, new in reversed(edits):
                    lines[start:end] = new
                with open(doc, "w") as f:
                    f.write("\n".join(lines))
    if failures:
        print("\n%d documented command(s) print something else now; if the "
              "change is intended, regenerate the outputs with\n  %s --update "
              "--src %s --build %s %s" % (failures, sys.argv[0], args.src,
                                          args.build, " ".join(args.docs)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

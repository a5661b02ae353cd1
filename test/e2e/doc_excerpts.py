"""Checks that every ```cpp and ```cmake block of a markdown file appears
verbatim in one of the source files: doc_excerpts.py DOC.md SOURCE..."""
import re
import sys

doc = open(sys.argv[1]).read()
sources = {path: open(path).read() for path in sys.argv[2:]}
blocks = re.findall(r"```(?:cpp|cmake)\n(.*?)```", doc, re.S)
missing = [b for b in blocks if not any(b in s for s in sources.values())]
for block in missing:
    print(f"{sys.argv[1]}: excerpt in none of {', '.join(sources)}:\n{block}")
print(f"{len(blocks) - len(missing)} of {len(blocks)} excerpts found")
sys.exit(1 if missing or not blocks else 0)

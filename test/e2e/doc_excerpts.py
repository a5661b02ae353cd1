"""Checks that every ```cpp block of a markdown file appears verbatim in a
source file: doc_excerpts.py DOC.md SOURCE.cpp."""
import re
import sys

doc, source = (open(path).read() for path in sys.argv[1:3])
blocks = re.findall(r"```cpp\n(.*?)```", doc, re.S)
missing = [b for b in blocks if b not in source]
for block in missing:
    print(f"{sys.argv[1]}: excerpt not in {sys.argv[2]}:\n{block}")
print(f"{len(blocks) - len(missing)} of {len(blocks)} excerpts found")
sys.exit(1 if missing or not blocks else 0)

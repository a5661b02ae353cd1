"""Writes each '# example: NAME' code block of a markdown file to DIR/NAME.gnn."""
import re
import sys

text = open(sys.argv[1]).read()
for block in re.findall(r"```python\n(.*?)```", text, re.S):
    first = block.splitlines()[0]
    m = re.match(r"# example: (\S+)$", first)
    if m:
        open(f"{sys.argv[2]}/{m.group(1)}.gnn", "w").write(block)
        print(m.group(1))

"""Rewrites the target features an object's schedule records, keeping the
file's length (so the object stays a valid ELF file):

  set-features.py IN OUT FEATURE

The recorded list becomes +FEATURE, padded with features every x86-64 CPU
has (+sse2, +cx8) to the old list's length.
"""
import re
import sys

data = open(sys.argv[1], "rb").read()
match = re.search(rb'"features":"([^"]*)"', data)
assert match, "no target features in " + sys.argv[1]
length = len(match.group(1))
features = b"+" + sys.argv[3].encode()
rest = length - len(features)
sixes = next(a for a in range(rest // 6 + 1) if (rest - 6 * a) % 5 == 0)
features += b",+sse2" * sixes + b",+cx8" * ((rest - 6 * sixes) // 5)
assert len(features) == length
open(sys.argv[2], "wb").write(data[:match.start(1)] + features + data[match.end(1):])

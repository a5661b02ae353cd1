"""Runs a command with GNNC_CACHE_MAX_KIB set to a limit that holds any
two of a kernel cache's three entries and not all three, from the
entries' sizes (they differ by host CPU: 11-21 KiB on an Intel AVX-512
host, 14-25 KiB on an AMD Zen 5 one).

  cache_limit_between.py CACHE_DIR COMMAND ARG...

Fails, naming the sizes, when no such limit exists (one entry larger
than the other two together leaves no whole KiB between them).
"""
import os
import sys

cache, command = sys.argv[1], sys.argv[2:]
names = os.listdir(cache) if os.path.isdir(cache) else []
sizes = sorted(os.path.getsize(os.path.join(cache, n)) for n in names if n.endswith(".o"))
if len(sizes) != 3:
    sys.exit(f"{cache}: expected 3 kernel cache entries, found {len(sizes)}")
# The two largest together fit; all three do not.
limit_kib = -(-(sizes[1] + sizes[2]) // 1024)
if limit_kib * 1024 >= sum(sizes):
    sys.exit(f"{cache}: entries of {sizes} bytes leave no limit between two and three")
env = dict(os.environ, GNNC_CACHE_MAX_KIB=str(limit_kib))
os.execvpe(command[0], command, env)

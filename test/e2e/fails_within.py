#!/usr/bin/python3
"""fails_within.py SECONDS -- COMMAND...: runs COMMAND, passing its output
through, and succeeds only if it exits non-zero within SECONDS. A command
that hangs (a rank left waiting in a collective) fails the test instead of
passing as a non-zero exit, which `not timeout ...` would allow."""
import subprocess
import sys

seconds = float(sys.argv[1])
assert sys.argv[2] == "--"
try:
    r = subprocess.run(sys.argv[3:], timeout=seconds)
except subprocess.TimeoutExpired:
    print(f"fails_within: still running after {seconds:g} s", file=sys.stderr)
    sys.exit(1)
if r.returncode == 0:
    print("fails_within: the command succeeded", file=sys.stderr)
    sys.exit(1)

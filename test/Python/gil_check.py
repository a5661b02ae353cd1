"""The GIL is released while a model runs: another Python thread keeps
running meanwhile. gil_check.py MODEL_FILE: prints how many times the main
thread woke up strictly inside a run on a worker thread (a held GIL
would allow none), and how many runs that took."""

import sys
import threading
import time

import numpy as np

import gnnc

rng = np.random.default_rng(3)
n, e = 200000, 3000000  # runs of well over 50 ms on one thread
edge_index = rng.integers(0, n, size=(2, e))
x = rng.standard_normal((n, 128)).astype(np.float32)
model = gnnc.compile(sys.argv[1])
model.load_weights({k: rng.standard_normal(s).astype(np.float32) * 0.1
                    for k, s in model.parameters.items()})
model.threads = 1
graph = gnnc.Graph(edge_index, num_nodes=n)

windows = []


def worker():
    for _ in range(3):
        start = time.perf_counter()
        model(graph, x)
        windows.append((start, time.perf_counter()))


thread = threading.Thread(target=worker)
wakeups = []
thread.start()
while thread.is_alive():
    time.sleep(0.001)  # lets go of the GIL, then needs it back
    wakeups.append(time.perf_counter())
thread.join()

# A margin at each end of a run for the Python around the call.
margin = 0.005
inside = sum(1 for t in wakeups for a, b in windows if a + margin < t < b - margin)
longest = max(b - a for a, b in windows)
print(f"runs: {len(windows)}, longest {'over' if longest > 0.05 else 'UNDER'} 50 ms")
print(f"main thread inside runs: {'woke' if inside >= 10 else 'BLOCKED'}")

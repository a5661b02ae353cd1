"""Prints bench/schedule.py's steps of a hand-written @forward: a plain
linear, one that accumulates into another's result and scales its rows,
and a message launch.

  bench-schedule-steps.py BENCH_DIR
"""
import sys

sys.path.insert(0, sys.argv[1])
import schedule  # noqa: E402

TEXT = """
  func.func @forward(%arg0: !gnn.graph<as_given>, %arg1: !gnn.vertex<8xf32>, %arg2: tensor<4x8xf32>) -> !gnn.vertex<4xf32> {
    %0 = gnn.launch @forward_kernel0(%arg0) {edge_balanced} : <as_given> -> !gnn.vertex<1xf32>
    %1 = gnn.linear %arg1, %arg2 : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
    %2 = gnn.linear %arg1, %arg2 accumulate(%1 : !gnn.vertex<4xf32>) scale(%0 : !gnn.vertex<1xf32>) activation = relu : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
    %3 = gnn.launch @forward_kernel1(%arg0, %0, %2) gathers [1] {edge_balanced} : <as_given>, !gnn.vertex<1xf32>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
    return %3 : !gnn.vertex<4xf32>
  }
"""
for step in schedule.parse(TEXT):
    print(step["op"], step["inputs"], step["params"], step["outputs"],
          schedule.step_cost(step, 10, 20))

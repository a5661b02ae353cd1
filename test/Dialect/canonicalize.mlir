// RUN: gnn-opt %s -split-input-file --canonicalize | FileCheck %s

// Adding self loops to a graph that already has one per vertex is a no-op.
// CHECK-LABEL: func.func @fold_one_per_vertex
// CHECK-SAME: (%[[G:.*]]: !gnn.graph<one_per_vertex>)
// CHECK-NOT: gnn.add_self_loops
// CHECK: %[[D:.*]] = gnn.degree %[[G]] : <one_per_vertex> -> <1xf32>
// CHECK: return %[[D]]
func.func @fold_one_per_vertex(%g: !gnn.graph<one_per_vertex>) -> !gnn.vertex<1xf32> {
  %g1 = gnn.add_self_loops %g : !gnn.graph<one_per_vertex> -> !gnn.graph<one_per_vertex>
  %d = gnn.degree %g1 : !gnn.graph<one_per_vertex> -> !gnn.vertex<1xf32>
  return %d : !gnn.vertex<1xf32>
}

// -----

// A second add_self_loops folds into the first; the first stays.
// CHECK-LABEL: func.func @fold_repeated
// CHECK-SAME: (%[[G:.*]]: !gnn.graph<as_given>)
// CHECK: %[[G1:.*]] = gnn.add_self_loops %[[G]] : <as_given> -> <one_per_vertex>
// CHECK-NOT: gnn.add_self_loops
// CHECK: return %[[G1]], %[[G1]]
func.func @fold_repeated(%g: !gnn.graph<as_given>) -> (!gnn.graph<one_per_vertex>, !gnn.graph<one_per_vertex>) {
  %g1 = gnn.add_self_loops %g : !gnn.graph<as_given> -> !gnn.graph<one_per_vertex>
  %g2 = gnn.add_self_loops %g1 : !gnn.graph<one_per_vertex> -> !gnn.graph<one_per_vertex>
  return %g1, %g2 : !gnn.graph<one_per_vertex>, !gnn.graph<one_per_vertex>
}

// -----

// On an as_given graph the op changes the edge set and must stay.
// CHECK-LABEL: func.func @keep_as_given
// CHECK-SAME: (%[[G:.*]]: !gnn.graph<as_given>)
// CHECK: %[[G1:.*]] = gnn.add_self_loops %[[G]] : <as_given> -> <one_per_vertex>
// CHECK: return %[[G1]]
func.func @keep_as_given(%g: !gnn.graph<as_given>) -> !gnn.graph<one_per_vertex> {
  %g1 = gnn.add_self_loops %g : !gnn.graph<as_given> -> !gnn.graph<one_per_vertex>
  return %g1 : !gnn.graph<one_per_vertex>
}

// -----

// Stage ops are pure: unused ones are removed.
// CHECK-LABEL: func.func @dead_stages
// CHECK-NEXT: return
func.func @dead_stages(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) {
  %g1 = gnn.add_self_loops %g : !gnn.graph<as_given> -> !gnn.graph<one_per_vertex>
  %d = gnn.degree %g1 : !gnn.graph<one_per_vertex> -> !gnn.vertex<1xf32>
  %r = gnn.relu %x : !gnn.vertex<4xf32>
  %t = gnn.transform (%x) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%row: vector<4xf32>):
    %n = gnn.neg %row : vector<4xf32>
    gnn.yield %n : vector<4xf32>
  }
  %m = gnn.message_passing %g1 (%x) aggr = add : !gnn.graph<one_per_vertex>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  return
}

// -----

// A reshape to the same type is its input; a reshape of a reshape is one
// reshape of the original (the inner one dies if nothing else reads it).
// CHECK-LABEL: func.func @fold_reshapes
// CHECK-SAME: (%[[X:.*]]: !gnn.vertex<64xf32>)
// CHECK-NEXT: %[[R:.*]] = gnn.reshape %[[X]] : !gnn.vertex<64xf32> -> !gnn.vertex<4x16xf32>
// CHECK-NEXT: return %[[X]], %[[R]]
func.func @fold_reshapes(%x: !gnn.vertex<64xf32>) -> (!gnn.vertex<64xf32>, !gnn.vertex<4x16xf32>) {
  %0 = gnn.reshape %x : !gnn.vertex<64xf32> -> !gnn.vertex<64xf32>
  %1 = gnn.reshape %0 : !gnn.vertex<64xf32> -> !gnn.vertex<8x8xf32>
  %2 = gnn.reshape %1 : !gnn.vertex<8x8xf32> -> !gnn.vertex<4x16xf32>
  return %0, %2 : !gnn.vertex<64xf32>, !gnn.vertex<4x16xf32>
}

// RUN: gnn-opt %s -split-input-file --gnn-factor-messages | FileCheck %s
// With gnn-fuse-update after it, as in gnn-to-stages: the scaling moved
// before a linear joins the previous stage's update.
// RUN: gnn-opt %s -split-input-file --gnn-factor-messages --gnn-fuse-update \
// RUN:   | FileCheck %s --check-prefix=FUSED
// With gnn-fuse-dense-epilogue after it: the scaling the linear applies.
// RUN: gnn-opt %s -split-input-file --gnn-factor-messages \
// RUN:   --gnn-fuse-dense-epilogue | FileCheck %s --check-prefix=EPILOGUE

// GCN's first layer: norm_i * norm_j * x_j with x an argument. norm_i
// scales the sum in the update, before what the update already did. The
// source factors stay per edge: multiplying them once per vertex would be a
// pass of its own over the rows, which costs more than gathering norm_j.
// CHECK-LABEL: func.func @gcn
// CHECK-SAME: (%[[G:.*]]: !gnn.graph<one_per_vertex>, %[[X:.*]]: !gnn.vertex<4xf32>, %[[N:.*]]: !gnn.vertex<1xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[M:.*]] = gnn.message_passing %[[G]](%[[X]], %[[N]], %[[B]]) aggr = add
// CHECK-NEXT: ^bb0(%[[XA:.*]]: !gnn.vertex<4xf32>, %[[NA:.*]]: !gnn.vertex<1xf32>, %{{.*}}: tensor<4xf32>):
// CHECK-NEXT: %[[XJ:.*]] = gnn.get_vertex %[[XA]] source : <4xf32> -> vector<4xf32>
// CHECK-NEXT: %[[NJ:.*]] = gnn.get_vertex %[[NA]] source : <1xf32> -> vector<1xf32>
// CHECK-NEXT: %[[MSG:.*]] = gnn.mul %[[NJ]], %[[XJ]] : vector<1xf32>, vector<4xf32> -> vector<4xf32>
// CHECK-NEXT: gnn.yield %[[MSG]] : vector<4xf32>
// CHECK-NEXT: } update {
// CHECK-NEXT: ^bb0(%{{.*}}: !gnn.vertex<4xf32>, %[[UN:.*]]: !gnn.vertex<1xf32>, %[[UB:.*]]: tensor<4xf32>, %[[AGGR:.*]]: vector<4xf32>):
// CHECK-NEXT: %[[NI:.*]] = gnn.get_vertex %[[UN]] target : <1xf32> -> vector<1xf32>
// CHECK-NEXT: %[[S:.*]] = gnn.mul %[[AGGR]], %[[NI]] : vector<4xf32>, vector<1xf32> -> vector<4xf32>
// CHECK-NEXT: %[[Y:.*]] = gnn.add %[[S]], %[[UB]]
// CHECK-NEXT: gnn.yield %[[Y]]
// CHECK-NEXT: }
// CHECK-NEXT: return %[[M]]
func.func @gcn(%g: !gnn.graph<one_per_vertex>, %x: !gnn.vertex<4xf32>, %n: !gnn.vertex<1xf32>, %b: tensor<4xf32>) -> !gnn.vertex<4xf32> {
  %m = gnn.message_passing %g (%x, %n, %b) aggr = add : !gnn.graph<one_per_vertex>, (!gnn.vertex<4xf32>, !gnn.vertex<1xf32>, tensor<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%xa: !gnn.vertex<4xf32>, %na: !gnn.vertex<1xf32>, %ba: tensor<4xf32>):
    %xj = gnn.get_vertex %xa source : !gnn.vertex<4xf32> -> vector<4xf32>
    %ni = gnn.get_vertex %na target : !gnn.vertex<1xf32> -> vector<1xf32>
    %nj = gnn.get_vertex %na source : !gnn.vertex<1xf32> -> vector<1xf32>
    %nn = gnn.mul %ni, %nj : vector<1xf32>, vector<1xf32> -> vector<1xf32>
    %msg = gnn.mul %nn, %xj : vector<1xf32>, vector<4xf32> -> vector<4xf32>
    gnn.yield %msg : vector<4xf32>
  } update {
  ^bb0(%xa: !gnn.vertex<4xf32>, %na: !gnn.vertex<1xf32>, %ba: tensor<4xf32>, %r: vector<4xf32>):
    %y = gnn.add %r, %ba : vector<4xf32>, tensor<4xf32> -> vector<4xf32>
    gnn.yield %y : vector<4xf32>
  }
  return %m : !gnn.vertex<4xf32>
}

// -----

// Over a graph that may leave a vertex without in-edges, norm_i stays in
// the message (0 * inf would be nan). A source factor computed per edge
// (sigmoid(norm_j)) is computed once per vertex instead, with x_j, in a
// transform whose rows the message gathers; a per-edge weight and a
// constant stay with norm_i. Mean aggregation.
// CHECK-LABEL: func.func @as_given
// CHECK-SAME: (%[[G:.*]]: !gnn.graph<as_given>, %[[X:.*]]: !gnn.vertex<4xf32>, %[[N:.*]]: !gnn.vertex<1xf32>, %[[W:.*]]: !gnn.edge<1xf32>)
// CHECK-NEXT: %[[P:.*]] = gnn.transform(%[[X]], %[[N]]) : (!gnn.vertex<4xf32>, !gnn.vertex<1xf32>) -> !gnn.vertex<4xf32> {
// CHECK-NEXT: ^bb0(%[[XR:.*]]: vector<4xf32>, %[[NR:.*]]: vector<1xf32>):
// CHECK-NEXT: %[[SG:.*]] = gnn.sigmoid %[[NR]]
// CHECK-NEXT: %[[PR:.*]] = gnn.mul %[[SG]], %[[XR]] : vector<1xf32>, vector<4xf32> -> vector<4xf32>
// CHECK-NEXT: gnn.yield %[[PR]]
// CHECK: %[[M:.*]] = gnn.message_passing %[[G]](%[[N]], %[[W]], %[[P]]) aggr = mean
// CHECK-NEXT: ^bb0(%[[NA:.*]]: !gnn.vertex<1xf32>, %[[WA:.*]]: !gnn.edge<1xf32>, %[[PA:.*]]: !gnn.vertex<4xf32>):
// CHECK-DAG: %[[NI:.*]] = gnn.get_vertex %[[NA]] target
// CHECK-DAG: %[[WE:.*]] = gnn.get_edge %[[WA]]
// CHECK-DAG: %[[C:.*]] = arith.constant 2.0
// CHECK-DAG: %[[PJ:.*]] = gnn.get_vertex %[[PA]] source
// CHECK: %[[M1:.*]] = gnn.mul %[[PJ]], %[[WE]] : vector<4xf32>, vector<1xf32> -> vector<4xf32>
// CHECK-NEXT: %[[M2:.*]] = gnn.mul %[[M1]], %[[C]] : vector<4xf32>, f32 -> vector<4xf32>
// CHECK-NEXT: %[[M3:.*]] = gnn.mul %[[M2]], %[[NI]] : vector<4xf32>, vector<1xf32> -> vector<4xf32>
// CHECK-NEXT: gnn.yield %[[M3]]
// CHECK-NOT: update
func.func @as_given(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %n: !gnn.vertex<1xf32>, %w: !gnn.edge<1xf32>) -> !gnn.vertex<4xf32> {
  %m = gnn.message_passing %g (%x, %n, %w) aggr = mean : !gnn.graph<as_given>, (!gnn.vertex<4xf32>, !gnn.vertex<1xf32>, !gnn.edge<1xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%xa: !gnn.vertex<4xf32>, %na: !gnn.vertex<1xf32>, %wa: !gnn.edge<1xf32>):
    %c = arith.constant 2.0 : f32
    %xj = gnn.get_vertex %xa source : !gnn.vertex<4xf32> -> vector<4xf32>
    %ni = gnn.get_vertex %na target : !gnn.vertex<1xf32> -> vector<1xf32>
    %nj = gnn.get_vertex %na source : !gnn.vertex<1xf32> -> vector<1xf32>
    %sj = gnn.sigmoid %nj : vector<1xf32>
    %we = gnn.get_edge %wa : !gnn.edge<1xf32> -> vector<1xf32>
    %a = gnn.mul %ni, %we : vector<1xf32>, vector<1xf32> -> vector<1xf32>
    %b = gnn.mul %a, %sj : vector<1xf32>, vector<1xf32> -> vector<1xf32>
    %d = gnn.mul %b, %c : vector<1xf32>, f32 -> vector<1xf32>
    %msg = gnn.mul %d, %xj : vector<1xf32>, vector<4xf32> -> vector<4xf32>
    gnn.yield %msg : vector<4xf32>
  }
  return %m : !gnn.vertex<4xf32>
}

// -----

// One bare source row and a target factor: nothing to precompute per
// vertex, but the target factor still leaves the edge loop; the update is
// created for it.
// CHECK-LABEL: func.func @target_only
// CHECK-NOT: gnn.transform
// CHECK: gnn.message_passing
// CHECK-NEXT: ^bb0(%[[XA:.*]]: !gnn.vertex<4xf32>, %{{.*}}: !gnn.vertex<1xf32>):
// CHECK-NEXT: %[[XJ:.*]] = gnn.get_vertex %[[XA]] source
// CHECK-NEXT: gnn.yield %[[XJ]]
// CHECK-NEXT: } update {
// CHECK-NEXT: ^bb0(%{{.*}}: !gnn.vertex<4xf32>, %[[SA:.*]]: !gnn.vertex<1xf32>, %[[AGGR:.*]]: vector<4xf32>):
// CHECK-NEXT: %[[SI:.*]] = gnn.get_vertex %[[SA]] target
// CHECK-NEXT: %[[Y:.*]] = gnn.mul %[[AGGR]], %[[SI]]
// CHECK-NEXT: gnn.yield %[[Y]]
func.func @target_only(%g: !gnn.graph<one_per_vertex>, %x: !gnn.vertex<4xf32>, %s: !gnn.vertex<1xf32>) -> !gnn.vertex<4xf32> {
  %m = gnn.message_passing %g (%x, %s) aggr = add : !gnn.graph<one_per_vertex>, (!gnn.vertex<4xf32>, !gnn.vertex<1xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%xa: !gnn.vertex<4xf32>, %sa: !gnn.vertex<1xf32>):
    %xj = gnn.get_vertex %xa source : !gnn.vertex<4xf32> -> vector<4xf32>
    %si = gnn.get_vertex %sa target : !gnn.vertex<1xf32> -> vector<1xf32>
    %msg = gnn.mul %si, %xj : vector<1xf32>, vector<4xf32> -> vector<4xf32>
    gnn.yield %msg : vector<4xf32>
  }
  return %m : !gnn.vertex<4xf32>
}

// -----

// A factor computed from a source row alone (sigmoid(a_j)) is computed once
// per vertex; the mixed factor stays per edge; max aggregation is fine for
// hoisting (it only moves work, not the order of the aggregation).
// CHECK-LABEL: func.func @computed
// CHECK: %[[P:.*]] = gnn.transform(%{{.*}}) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
// CHECK-NEXT: ^bb0(%[[AR:.*]]: vector<4xf32>):
// CHECK-NEXT: %[[SG:.*]] = gnn.sigmoid %[[AR]]
// CHECK-NEXT: gnn.yield %[[SG]]
// CHECK: gnn.message_passing %{{.*}}(%{{.*}}, %[[P]]) aggr = max
// CHECK: %[[D:.*]] = gnn.sub
// CHECK: %[[PJ:.*]] = gnn.get_vertex %{{.*}} source
// CHECK-NEXT: %[[MSG:.*]] = gnn.mul %[[PJ]], %[[D]]
// CHECK-NEXT: gnn.yield %[[MSG]]
func.func @computed(%g: !gnn.graph<one_per_vertex>, %a: !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  %m = gnn.message_passing %g (%a) aggr = max : !gnn.graph<one_per_vertex>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%aa: !gnn.vertex<4xf32>):
    %aj = gnn.get_vertex %aa source : !gnn.vertex<4xf32> -> vector<4xf32>
    %ai = gnn.get_vertex %aa target : !gnn.vertex<4xf32> -> vector<4xf32>
    %s = gnn.sigmoid %aj : vector<4xf32>
    %d = gnn.sub %ai, %aj : vector<4xf32>, vector<4xf32> -> vector<4xf32>
    %msg = gnn.mul %s, %d : vector<4xf32>, vector<4xf32> -> vector<4xf32>
    gnn.yield %msg : vector<4xf32>
  }
  return %m : !gnn.vertex<4xf32>
}

// -----

// Left alone: a product whose factors broadcast to the row in other ways
// ([2, 1] times [1, 2]), a softmax message, a message that is no product,
// and one-element factors of another rank than the row's ([1] and [1, 1]
// for a [2, 4] row: their products' types would depend on the grouping).
// CHECK-LABEL: func.func @untouched
// CHECK-NOT: gnn.transform
// CHECK-NOT: update
// CHECK: return
func.func @untouched(%g: !gnn.graph<one_per_vertex>, %x: !gnn.vertex<2x2xf32>, %u: !gnn.vertex<2x1xf32>, %v: !gnn.vertex<1x2xf32>, %y: !gnn.vertex<2x4xf32>, %n: !gnn.vertex<1xf32>, %k: !gnn.vertex<1x1xf32>) -> (!gnn.vertex<2x2xf32>, !gnn.vertex<2x2xf32>, !gnn.vertex<2x2xf32>, !gnn.vertex<2x4xf32>) {
  %m = gnn.message_passing %g (%x, %u, %v) aggr = add : !gnn.graph<one_per_vertex>, (!gnn.vertex<2x2xf32>, !gnn.vertex<2x1xf32>, !gnn.vertex<1x2xf32>) -> !gnn.vertex<2x2xf32> {
  ^bb0(%xa: !gnn.vertex<2x2xf32>, %ua: !gnn.vertex<2x1xf32>, %va: !gnn.vertex<1x2xf32>):
    %uj = gnn.get_vertex %ua source : !gnn.vertex<2x1xf32> -> vector<2x1xf32>
    %vj = gnn.get_vertex %va source : !gnn.vertex<1x2xf32> -> vector<1x2xf32>
    %msg = gnn.mul %uj, %vj : vector<2x1xf32>, vector<1x2xf32> -> vector<2x2xf32>
    gnn.yield %msg : vector<2x2xf32>
  }
  %s = gnn.message_passing %g (%x, %u) aggr = softmax_add : !gnn.graph<one_per_vertex>, (!gnn.vertex<2x2xf32>, !gnn.vertex<2x1xf32>) -> !gnn.vertex<2x2xf32> {
  ^bb0(%xa: !gnn.vertex<2x2xf32>, %ua: !gnn.vertex<2x1xf32>):
    %xj = gnn.get_vertex %xa source : !gnn.vertex<2x2xf32> -> vector<2x2xf32>
    %ui = gnn.get_vertex %ua target : !gnn.vertex<2x1xf32> -> vector<2x1xf32>
    %uj = gnn.get_vertex %ua source : !gnn.vertex<2x1xf32> -> vector<2x1xf32>
    %l = gnn.mul %ui, %uj : vector<2x1xf32>, vector<2x1xf32> -> vector<2x1xf32>
    gnn.yield %xj, %l : vector<2x2xf32>, vector<2x1xf32>
  }
  %p = gnn.message_passing %g (%x) aggr = add : !gnn.graph<one_per_vertex>, (!gnn.vertex<2x2xf32>) -> !gnn.vertex<2x2xf32> {
  ^bb0(%xa: !gnn.vertex<2x2xf32>):
    %xj = gnn.get_vertex %xa source : !gnn.vertex<2x2xf32> -> vector<2x2xf32>
    %xi = gnn.get_vertex %xa target : !gnn.vertex<2x2xf32> -> vector<2x2xf32>
    %msg = gnn.add %xi, %xj : vector<2x2xf32>, vector<2x2xf32> -> vector<2x2xf32>
    gnn.yield %msg : vector<2x2xf32>
  }
  %r = gnn.message_passing %g (%y, %n, %k) aggr = add : !gnn.graph<one_per_vertex>, (!gnn.vertex<2x4xf32>, !gnn.vertex<1xf32>, !gnn.vertex<1x1xf32>) -> !gnn.vertex<2x4xf32> {
  ^bb0(%ya: !gnn.vertex<2x4xf32>, %na: !gnn.vertex<1xf32>, %ka: !gnn.vertex<1x1xf32>):
    %yj = gnn.get_vertex %ya source : !gnn.vertex<2x4xf32> -> vector<2x4xf32>
    %yi = gnn.get_vertex %ya target : !gnn.vertex<2x4xf32> -> vector<2x4xf32>
    %d = gnn.sub %yi, %yj : vector<2x4xf32>, vector<2x4xf32> -> vector<2x4xf32>
    %nj = gnn.get_vertex %na source : !gnn.vertex<1xf32> -> vector<1xf32>
    %sg = gnn.sigmoid %nj : vector<1xf32>
    %kj = gnn.get_vertex %ka source : !gnn.vertex<1x1xf32> -> vector<1x1xf32>
    %q = gnn.mul %sg, %kj : vector<1xf32>, vector<1x1xf32> -> vector<1x1xf32>
    %msg = gnn.mul %q, %d : vector<1x1xf32>, vector<2x4xf32> -> vector<2x4xf32>
    gnn.yield %msg : vector<2x4xf32>
  }
  return %m, %s, %p, %r : !gnn.vertex<2x2xf32>, !gnn.vertex<2x2xf32>, !gnn.vertex<2x2xf32>, !gnn.vertex<2x4xf32>
}

// -----

// Two GCN layers: the second layer's norm_j * linear(h) becomes
// linear(h * norm), with h the first stage's result; gnn-fuse-update then
// scales the first stage's output rows in its update.
// CHECK-LABEL: func.func @two_layers
// CHECK: %[[H:.*]] = gnn.message_passing
// CHECK: %[[HN:.*]] = gnn.transform(%[[H]], %[[N:[^)]*]]) : (!gnn.vertex<4xf32>, !gnn.vertex<1xf32>) -> !gnn.vertex<4xf32>
// CHECK: gnn.mul
// CHECK: %[[L:.*]] = gnn.linear %[[HN]], %{{.*}} : !gnn.vertex<4xf32>, tensor<2x4xf32> -> !gnn.vertex<2xf32>
// CHECK-NEXT: gnn.message_passing %{{.*}}(%[[L]])
// FUSED-LABEL: func.func @two_layers
// FUSED: %[[H:.*]] = gnn.message_passing
// FUSED: } update {
// FUSED: %[[NI:.*]] = gnn.get_vertex %{{.*}} target : <1xf32>
// FUSED-NEXT: %[[HN:.*]] = gnn.mul %{{.*}}, %[[NI]]
// FUSED-NEXT: gnn.yield %[[HN]]
// FUSED: %[[L:.*]] = gnn.linear %[[H]]
// FUSED-NOT: gnn.transform
// FUSED: return
func.func @two_layers(%g: !gnn.graph<one_per_vertex>, %x: !gnn.vertex<4xf32>, %n: !gnn.vertex<1xf32>, %w: tensor<2x4xf32>) -> !gnn.vertex<2xf32> {
  %h = gnn.message_passing %g (%x, %n) aggr = add : !gnn.graph<one_per_vertex>, (!gnn.vertex<4xf32>, !gnn.vertex<1xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%xa: !gnn.vertex<4xf32>, %na: !gnn.vertex<1xf32>):
    %xj = gnn.get_vertex %xa source : !gnn.vertex<4xf32> -> vector<4xf32>
    %nj = gnn.get_vertex %na source : !gnn.vertex<1xf32> -> vector<1xf32>
    %msg = gnn.mul %nj, %xj : vector<1xf32>, vector<4xf32> -> vector<4xf32>
    gnn.yield %msg : vector<4xf32>
  }
  %l = gnn.linear %h, %w : !gnn.vertex<4xf32>, tensor<2x4xf32> -> !gnn.vertex<2xf32>
  %m = gnn.message_passing %g (%l, %n) aggr = add : !gnn.graph<one_per_vertex>, (!gnn.vertex<2xf32>, !gnn.vertex<1xf32>) -> !gnn.vertex<2xf32> {
  ^bb0(%la: !gnn.vertex<2xf32>, %na: !gnn.vertex<1xf32>):
    %lj = gnn.get_vertex %la source : !gnn.vertex<2xf32> -> vector<2xf32>
    %nj = gnn.get_vertex %na source : !gnn.vertex<1xf32> -> vector<1xf32>
    %msg = gnn.mul %nj, %lj : vector<1xf32>, vector<2xf32> -> vector<2xf32>
    gnn.yield %msg : vector<2xf32>
  }
  return %m : !gnn.vertex<2xf32>
}

// -----

// No commuting when the linear has a bias (it would be scaled too) or reads
// a function argument (the scaling would cost a pass over its wider input
// rows). The product of norm_j and the linear's rows is still computed
// once per vertex: gnn-fuse-dense-epilogue folds it into the linear, which
// scales each block of rows after its matmul, and the message gathers one
// row per edge.
// CHECK-LABEL: func.func @scaled_by_the_linear
// CHECK-SAME: (%{{.*}}: !gnn.graph<one_per_vertex>, %[[X:.*]]: !gnn.vertex<4xf32>, %[[N:.*]]: !gnn.vertex<1xf32>, %[[W:.*]]: tensor<2x4xf32>, %[[B:.*]]: tensor<2xf32>)
// CHECK: %[[L1:.*]] = gnn.linear %{{.*}}, %[[W]], %[[B]] : !gnn.vertex<4xf32>, tensor<2x4xf32>, tensor<2xf32>
// CHECK-NEXT: %[[T1:.*]] = gnn.transform(%[[L1]], %[[N]]) : (!gnn.vertex<2xf32>, !gnn.vertex<1xf32>) -> !gnn.vertex<2xf32>
// CHECK-NEXT: ^bb0(%[[LR:.*]]: vector<2xf32>, %[[NR:.*]]: vector<1xf32>):
// CHECK-NEXT: %[[P:.*]] = gnn.mul %[[NR]], %[[LR]] : vector<1xf32>, vector<2xf32> -> vector<2xf32>
// CHECK-NEXT: gnn.yield %[[P]]
// CHECK: gnn.message_passing %{{.*}}(%[[T1]])
// CHECK-NEXT: ^bb0(%[[TA:.*]]: !gnn.vertex<2xf32>):
// CHECK-NEXT: %[[TJ:.*]] = gnn.get_vertex %[[TA]] source
// CHECK-NEXT: gnn.yield %[[TJ]]
// CHECK: %[[L2:.*]] = gnn.linear %[[X]], %[[W]] : !gnn.vertex<4xf32>, tensor<2x4xf32> -> !gnn.vertex<2xf32>
// CHECK-NEXT: %[[T2:.*]] = gnn.transform(%[[L2]], %[[N]])
// CHECK: gnn.message_passing %{{.*}}(%[[T2]])
// EPILOGUE-LABEL: func.func @scaled_by_the_linear
// EPILOGUE-SAME: (%{{.*}}: !gnn.graph<one_per_vertex>, %[[X:.*]]: !gnn.vertex<4xf32>, %[[N:.*]]: !gnn.vertex<1xf32>, %[[W:.*]]: tensor<2x4xf32>, %[[B:.*]]: tensor<2xf32>)
// EPILOGUE-NOT: gnn.transform
// EPILOGUE: %[[L1:.*]] = gnn.linear %{{.*}}, %[[W]], %[[B]] scale(%[[N]] : !gnn.vertex<1xf32>) : !gnn.vertex<4xf32>, tensor<2x4xf32>, tensor<2xf32> -> !gnn.vertex<2xf32>
// EPILOGUE-NEXT: gnn.message_passing %{{.*}}(%[[L1]])
// EPILOGUE: %[[L2:.*]] = gnn.linear %[[X]], %[[W]] scale(%[[N]] : !gnn.vertex<1xf32>) : !gnn.vertex<4xf32>, tensor<2x4xf32> -> !gnn.vertex<2xf32>
// EPILOGUE-NEXT: gnn.message_passing %{{.*}}(%[[L2]])
// EPILOGUE-NOT: gnn.transform
func.func @scaled_by_the_linear(%g: !gnn.graph<one_per_vertex>, %x: !gnn.vertex<4xf32>, %n: !gnn.vertex<1xf32>, %w: tensor<2x4xf32>, %b: tensor<2xf32>) -> (!gnn.vertex<2xf32>, !gnn.vertex<2xf32>) {
  %h = gnn.message_passing %g (%x) aggr = add : !gnn.graph<one_per_vertex>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%xa: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %xa source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  %l1 = gnn.linear %h, %w, %b : !gnn.vertex<4xf32>, tensor<2x4xf32>, tensor<2xf32> -> !gnn.vertex<2xf32>
  %m1 = gnn.message_passing %g (%l1, %n) aggr = add : !gnn.graph<one_per_vertex>, (!gnn.vertex<2xf32>, !gnn.vertex<1xf32>) -> !gnn.vertex<2xf32> {
  ^bb0(%la: !gnn.vertex<2xf32>, %na: !gnn.vertex<1xf32>):
    %lj = gnn.get_vertex %la source : !gnn.vertex<2xf32> -> vector<2xf32>
    %nj = gnn.get_vertex %na source : !gnn.vertex<1xf32> -> vector<1xf32>
    %msg = gnn.mul %nj, %lj : vector<1xf32>, vector<2xf32> -> vector<2xf32>
    gnn.yield %msg : vector<2xf32>
  }
  %l2 = gnn.linear %x, %w : !gnn.vertex<4xf32>, tensor<2x4xf32> -> !gnn.vertex<2xf32>
  %m2 = gnn.message_passing %g (%l2, %n) aggr = add : !gnn.graph<one_per_vertex>, (!gnn.vertex<2xf32>, !gnn.vertex<1xf32>) -> !gnn.vertex<2xf32> {
  ^bb0(%la: !gnn.vertex<2xf32>, %na: !gnn.vertex<1xf32>):
    %lj = gnn.get_vertex %la source : !gnn.vertex<2xf32> -> vector<2xf32>
    %nj = gnn.get_vertex %na source : !gnn.vertex<1xf32> -> vector<1xf32>
    %msg = gnn.mul %nj, %lj : vector<1xf32>, vector<2xf32> -> vector<2xf32>
    gnn.yield %msg : vector<2xf32>
  }
  return %m1, %m2 : !gnn.vertex<2xf32>, !gnn.vertex<2xf32>
}

// -----

// The factors stay per edge when the linear's rows are read elsewhere too
// (the transform would be a pass of its own, the linear's rows still
// needed unscaled) or when its rows have two feature dimensions (the
// linear scales rows of one).
// CHECK-LABEL: func.func @stays_per_edge
// CHECK-NOT: gnn.transform
// CHECK: return
func.func @stays_per_edge(%g: !gnn.graph<one_per_vertex>, %x: !gnn.vertex<4xf32>, %y: !gnn.vertex<3x4xf32>, %n: !gnn.vertex<1xf32>, %k: !gnn.vertex<1x1xf32>, %w: tensor<2x4xf32>) -> (!gnn.vertex<2xf32>, !gnn.vertex<2xf32>, !gnn.vertex<3x2xf32>) {
  %l1 = gnn.linear %x, %w : !gnn.vertex<4xf32>, tensor<2x4xf32> -> !gnn.vertex<2xf32>
  %m1 = gnn.message_passing %g (%l1, %n) aggr = add : !gnn.graph<one_per_vertex>, (!gnn.vertex<2xf32>, !gnn.vertex<1xf32>) -> !gnn.vertex<2xf32> {
  ^bb0(%la: !gnn.vertex<2xf32>, %na: !gnn.vertex<1xf32>):
    %lj = gnn.get_vertex %la source : !gnn.vertex<2xf32> -> vector<2xf32>
    %nj = gnn.get_vertex %na source : !gnn.vertex<1xf32> -> vector<1xf32>
    %msg = gnn.mul %nj, %lj : vector<1xf32>, vector<2xf32> -> vector<2xf32>
    gnn.yield %msg : vector<2xf32>
  }
  %l2 = gnn.linear %y, %w : !gnn.vertex<3x4xf32>, tensor<2x4xf32> -> !gnn.vertex<3x2xf32>
  %m2 = gnn.message_passing %g (%l2, %k) aggr = add : !gnn.graph<one_per_vertex>, (!gnn.vertex<3x2xf32>, !gnn.vertex<1x1xf32>) -> !gnn.vertex<3x2xf32> {
  ^bb0(%la: !gnn.vertex<3x2xf32>, %ka: !gnn.vertex<1x1xf32>):
    %lj = gnn.get_vertex %la source : !gnn.vertex<3x2xf32> -> vector<3x2xf32>
    %kj = gnn.get_vertex %ka source : !gnn.vertex<1x1xf32> -> vector<1x1xf32>
    %msg = gnn.mul %kj, %lj : vector<1x1xf32>, vector<3x2xf32> -> vector<3x2xf32>
    gnn.yield %msg : vector<3x2xf32>
  }
  return %m1, %l1, %m2 : !gnn.vertex<2xf32>, !gnn.vertex<2xf32>, !gnn.vertex<3x2xf32>
}

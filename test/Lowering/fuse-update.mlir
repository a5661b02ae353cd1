// RUN: gnn-opt %s -split-input-file --gnn-fuse-update | FileCheck %s

// GIN's epilogue: (1 + eps) * x + aggr, then a bias. The transform becomes
// the stage's update region; x, which the messages read at the source, is
// read at the target there, and the bias is passed through.
// CHECK-LABEL: func.func @gin
// CHECK-SAME: (%[[G:.*]]: !gnn.graph<as_given>, %[[X:.*]]: !gnn.vertex<4xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[M:.*]] = gnn.message_passing %[[G]](%[[X]], %[[B]]) aggr = add : <as_given>, (!gnn.vertex<4xf32>, tensor<4xf32>) -> !gnn.vertex<4xf32> {
// CHECK-NEXT: ^bb0(%[[XA:.*]]: !gnn.vertex<4xf32>, %{{.*}}: tensor<4xf32>):
// CHECK-NEXT: %[[XJ:.*]] = gnn.get_vertex %[[XA]] source
// CHECK-NEXT: gnn.yield %[[XJ]] : vector<4xf32>
// CHECK-NEXT: } update {
// CHECK-NEXT: ^bb0(%[[UX:.*]]: !gnn.vertex<4xf32>, %[[UB:.*]]: tensor<4xf32>, %[[AGGR:.*]]: vector<4xf32>):
// CHECK-NEXT: %[[C:.*]] = arith.constant 1.500000e+00 : f32
// CHECK-NEXT: %[[XI:.*]] = gnn.get_vertex %[[UX]] target : <4xf32> -> vector<4xf32>
// CHECK-NEXT: %[[S:.*]] = gnn.mul %[[XI]], %[[C]]
// CHECK-NEXT: %[[T:.*]] = gnn.add %[[S]], %[[AGGR]]
// CHECK-NEXT: %[[Y:.*]] = gnn.add %[[T]], %[[UB]]
// CHECK-NEXT: gnn.yield %[[Y]] : vector<4xf32>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[M]]
func.func @gin(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %b: tensor<4xf32>) -> !gnn.vertex<4xf32> {
  %m = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  %t = gnn.transform (%x, %m, %b) : (!gnn.vertex<4xf32>, !gnn.vertex<4xf32>, tensor<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%xr: vector<4xf32>, %r: vector<4xf32>, %bias: tensor<4xf32>):
    %c = arith.constant 1.5 : f32
    %s = gnn.mul %xr, %c : vector<4xf32>, f32 -> vector<4xf32>
    %t = gnn.add %s, %r : vector<4xf32>, vector<4xf32> -> vector<4xf32>
    %y = gnn.add %t, %bias : vector<4xf32>, tensor<4xf32> -> vector<4xf32>
    gnn.yield %y : vector<4xf32>
  }
  return %t : !gnn.vertex<4xf32>
}

// -----

// Two transforms in a row both join the update, in order; the result may
// have another row shape than the aggregate (GAT's mean over heads).
// CHECK-LABEL: func.func @chain
// CHECK: gnn.message_passing {{.*}} -> !gnn.vertex<2xf32> {
// CHECK: } update {
// CHECK-NEXT: ^bb0(%{{.*}}: !gnn.vertex<2x2xf32>, %[[R:.*]]: vector<2x2xf32>):
// CHECK-NEXT: %[[E:.*]] = gnn.elu %[[R]]
// CHECK-NEXT: %[[M:.*]] = gnn.reduce mean %[[E]] dim = 0
// CHECK-NEXT: gnn.yield %[[M]] : vector<2xf32>
// CHECK-NEXT: }
// CHECK-NOT: gnn.transform
func.func @chain(%g: !gnn.graph<one_per_vertex>, %x: !gnn.vertex<2x2xf32>) -> !gnn.vertex<2xf32> {
  %m = gnn.message_passing %g (%x) aggr = max : !gnn.graph<one_per_vertex>, (!gnn.vertex<2x2xf32>) -> !gnn.vertex<2x2xf32> {
  ^bb0(%a: !gnn.vertex<2x2xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<2x2xf32> -> vector<2x2xf32>
    gnn.yield %xj : vector<2x2xf32>
  }
  %e = gnn.transform (%m) : (!gnn.vertex<2x2xf32>) -> !gnn.vertex<2x2xf32> {
  ^bb0(%r: vector<2x2xf32>):
    %y = gnn.elu %r : vector<2x2xf32>
    gnn.yield %y : vector<2x2xf32>
  }
  %h = gnn.transform (%e) : (!gnn.vertex<2x2xf32>) -> !gnn.vertex<2xf32> {
  ^bb0(%r: vector<2x2xf32>):
    %y = gnn.reduce mean %r dim = 0 : vector<2x2xf32> -> vector<2xf32>
    gnn.yield %y : vector<2xf32>
  }
  return %h : !gnn.vertex<2xf32>
}

// -----

// A stage whose result has another user stays as it is: its rows must be
// stored anyway.
// CHECK-LABEL: func.func @two_users
// CHECK: gnn.message_passing
// CHECK-NOT: update
// CHECK: gnn.transform
// CHECK: return
func.func @two_users(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) -> (!gnn.vertex<4xf32>, !gnn.vertex<4xf32>) {
  %m = gnn.message_passing %g (%x) aggr = mean : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  %t = gnn.transform (%m) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>):
    %y = gnn.relu %r : vector<4xf32>
    gnn.yield %y : vector<4xf32>
  }
  return %m, %t : !gnn.vertex<4xf32>, !gnn.vertex<4xf32>
}

// -----

// An edge-domain transform of the stage's result cannot exist; a vertex
// transform that also reads an edge tensor cannot either. A transform that
// reads two stages fuses into one of them; the other is stored.
// CHECK-LABEL: func.func @two_stages
// CHECK: %[[M1:.*]] = gnn.message_passing
// CHECK-NOT: update
// CHECK: gnn.message_passing %{{.*}}(%{{.*}}, %[[M1]]) aggr = add
// CHECK: } update {
// CHECK-NOT: gnn.transform
func.func @two_stages(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  %m1 = gnn.message_passing %g (%x) aggr = max : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  %m2 = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  %t = gnn.transform (%m2, %m1) : (!gnn.vertex<4xf32>, !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>, %s: vector<4xf32>):
    %y = gnn.sub %r, %s : vector<4xf32>, vector<4xf32> -> vector<4xf32>
    gnn.yield %y : vector<4xf32>
  }
  return %t : !gnn.vertex<4xf32>
}

// -----

// GAT's concatenated heads: the stage's [H, C] rows are viewed as [H * C]
// before the bias; the view moves into the update.
// CHECK-LABEL: func.func @through_reshape
// CHECK: gnn.message_passing {{.*}} -> !gnn.vertex<4xf32> {
// CHECK: } update {
// CHECK-NEXT: ^bb0(%{{.*}}: !gnn.vertex<2x2xf32>, %[[B:.*]]: tensor<4xf32>, %[[R:.*]]: vector<2x2xf32>):
// CHECK-NEXT: %[[F:.*]] = gnn.reshape %[[R]] : vector<2x2xf32> -> vector<4xf32>
// CHECK-NEXT: %[[Y:.*]] = gnn.add %[[F]], %[[B]]
// CHECK-NEXT: gnn.yield %[[Y]] : vector<4xf32>
// CHECK-NOT: gnn.reshape
// CHECK-NOT: gnn.transform
func.func @through_reshape(%g: !gnn.graph<as_given>, %x: !gnn.vertex<2x2xf32>, %b: tensor<4xf32>) -> !gnn.vertex<4xf32> {
  %m = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<2x2xf32>) -> !gnn.vertex<2x2xf32> {
  ^bb0(%a: !gnn.vertex<2x2xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<2x2xf32> -> vector<2x2xf32>
    gnn.yield %xj : vector<2x2xf32>
  }
  %v = gnn.reshape %m : !gnn.vertex<2x2xf32> -> !gnn.vertex<4xf32>
  %t = gnn.transform (%v, %b) : (!gnn.vertex<4xf32>, tensor<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>, %bias: tensor<4xf32>):
    %y = gnn.add %r, %bias : vector<4xf32>, tensor<4xf32> -> vector<4xf32>
    gnn.yield %y : vector<4xf32>
  }
  return %t : !gnn.vertex<4xf32>
}

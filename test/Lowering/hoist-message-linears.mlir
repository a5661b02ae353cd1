// RUN: gnn-opt %s -split-input-file --gnn-hoist-message-linears | FileCheck %s

// EdgeConv's W [x_i, x_j - x_i] + b: two matmuls over the vertices with the
// weight's column blocks; the bias goes with the product that is added.
// The message reads the second product at both ends; x is no longer an
// input of the stage.
// CHECK-LABEL: func.func @edgeconv
// CHECK-SAME: (%[[G:.*]]: !gnn.graph<as_given>, %[[X:.*]]: !gnn.vertex<4xf32>, %[[W:.*]]: tensor<3x8xf32>, %[[B:.*]]: tensor<3xf32>)
// CHECK-NEXT: %[[WA:.*]] = gnn.param_view %[[W]] columns = [0, 4] : tensor<3x8xf32> -> tensor<3x4xf32>
// CHECK-NEXT: %[[PA:.*]] = gnn.linear %[[X]], %[[WA]], %[[B]] : !gnn.vertex<4xf32>, tensor<3x4xf32>, tensor<3xf32> -> !gnn.vertex<3xf32>
// CHECK-NEXT: %[[WB:.*]] = gnn.param_view %[[W]] columns = [4, 4] : tensor<3x8xf32> -> tensor<3x4xf32>
// CHECK-NEXT: %[[PB:.*]] = gnn.linear %[[X]], %[[WB]] : !gnn.vertex<4xf32>, tensor<3x4xf32> -> !gnn.vertex<3xf32>
// CHECK-NEXT: gnn.message_passing %[[G]](%[[PA]], %[[PB]]) aggr = max
// CHECK-NEXT: ^bb0(%[[A:.*]]: !gnn.vertex<3xf32>, %[[C:.*]]: !gnn.vertex<3xf32>):
// CHECK-NEXT: %[[AI:.*]] = gnn.get_vertex %[[A]] target
// CHECK-NEXT: %[[CJ:.*]] = gnn.get_vertex %[[C]] source
// CHECK-NEXT: %[[S:.*]] = gnn.add %[[AI]], %[[CJ]]
// CHECK-NEXT: %[[CI:.*]] = gnn.get_vertex %[[C]] target
// CHECK-NEXT: %[[D:.*]] = gnn.sub %[[S]], %[[CI]]
// CHECK-NEXT: gnn.yield %[[D]] : vector<3xf32>
func.func @edgeconv(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %w: tensor<3x8xf32>, %b: tensor<3xf32>) -> !gnn.vertex<3xf32> {
  %m = gnn.message_passing %g (%x, %w, %b) aggr = max : !gnn.graph<as_given>, (!gnn.vertex<4xf32>, tensor<3x8xf32>, tensor<3xf32>) -> !gnn.vertex<3xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>, %wa: tensor<3x8xf32>, %ba: tensor<3xf32>):
    %xi = gnn.get_vertex %a target : !gnn.vertex<4xf32> -> vector<4xf32>
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    %d = gnn.sub %xj, %xi : vector<4xf32>, vector<4xf32> -> vector<4xf32>
    %c = gnn.concat %xi, %d : vector<4xf32>, vector<4xf32> -> vector<8xf32>
    %y = gnn.row_linear %c, %wa, %ba : vector<8xf32>, tensor<3x8xf32>, tensor<3xf32> -> vector<3xf32>
    gnn.yield %y : vector<3xf32>
  }
  return %m : !gnn.vertex<3xf32>
}

// -----

// An MPNN's W [x_i, x_j, e] + b: the edge's block stays per edge, as a
// gnn.row_linear of its own columns; the bias goes with the first product.
// CHECK-LABEL: func.func @mpnn
// CHECK-SAME: (%[[G:.*]]: !gnn.graph<as_given>, %[[X:.*]]: !gnn.vertex<2xf32>, %[[E:.*]]: !gnn.edge<1xf32>, %[[W:.*]]: tensor<3x5xf32>, %[[B:.*]]: tensor<3xf32>)
// CHECK-DAG: %[[W0:.*]] = gnn.param_view %[[W]] columns = [0, 2] : tensor<3x5xf32> -> tensor<3x2xf32>
// CHECK-DAG: %[[P0:.*]] = gnn.linear %[[X]], %[[W0]], %[[B]]
// CHECK-DAG: %[[W1:.*]] = gnn.param_view %[[W]] columns = [2, 2] : tensor<3x5xf32> -> tensor<3x2xf32>
// CHECK-DAG: %[[P1:.*]] = gnn.linear %[[X]], %[[W1]] :
// CHECK-DAG: %[[W2:.*]] = gnn.param_view %[[W]] columns = [4, 1] : tensor<3x5xf32> -> tensor<3x1xf32>
// CHECK: gnn.message_passing %[[G]](%[[E]], %[[P0]], %[[P1]], %[[W2]]) aggr = add
// CHECK: gnn.get_edge
// CHECK: gnn.row_linear %{{.*}}, %{{.*}} : vector<1xf32>, tensor<3x1xf32> -> vector<3xf32>
func.func @mpnn(%g: !gnn.graph<as_given>, %x: !gnn.vertex<2xf32>, %e: !gnn.edge<1xf32>, %w: tensor<3x5xf32>, %b: tensor<3xf32>) -> !gnn.vertex<3xf32> {
  %m = gnn.message_passing %g (%x, %e, %w, %b) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<2xf32>, !gnn.edge<1xf32>, tensor<3x5xf32>, tensor<3xf32>) -> !gnn.vertex<3xf32> {
  ^bb0(%a: !gnn.vertex<2xf32>, %ea: !gnn.edge<1xf32>, %wa: tensor<3x5xf32>, %ba: tensor<3xf32>):
    %xi = gnn.get_vertex %a target : !gnn.vertex<2xf32> -> vector<2xf32>
    %xj = gnn.get_vertex %a source : !gnn.vertex<2xf32> -> vector<2xf32>
    %er = gnn.get_edge %ea : !gnn.edge<1xf32> -> vector<1xf32>
    %c = gnn.concat %xi, %xj, %er : vector<2xf32>, vector<2xf32>, vector<1xf32> -> vector<5xf32>
    %y = gnn.row_linear %c, %wa, %ba : vector<5xf32>, tensor<3x5xf32>, tensor<3xf32> -> vector<3xf32>
    gnn.yield %y : vector<3xf32>
  }
  return %m : !gnn.vertex<3xf32>
}

// -----

// A linear after a nonlinearity stays per edge: nothing to hoist.
// CHECK-LABEL: func.func @after_relu
// CHECK-NOT: gnn.param_view
// CHECK: gnn.row_linear
func.func @after_relu(%g: !gnn.graph<as_given>, %x: !gnn.vertex<2xf32>, %w: tensor<3x2xf32>) -> !gnn.vertex<3xf32> {
  %m = gnn.message_passing %g (%x, %w) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<2xf32>, tensor<3x2xf32>) -> !gnn.vertex<3xf32> {
  ^bb0(%a: !gnn.vertex<2xf32>, %wa: tensor<3x2xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<2xf32> -> vector<2xf32>
    %r = gnn.relu %xj : vector<2xf32>
    %y = gnn.row_linear %r, %wa : vector<2xf32>, tensor<3x2xf32> -> vector<3xf32>
    gnn.yield %y : vector<3xf32>
  }
  return %m : !gnn.vertex<3xf32>
}

// -----

// x_i - x_j: the bias goes with the product read at the target, which is
// added; the same weight without it serves the sources.
// CHECK-LABEL: func.func @difference
// CHECK: %[[PB:.*]] = gnn.linear %{{.*}}, %{{.*}}, %{{.*}} : !gnn.vertex<2xf32>, tensor<3x2xf32>, tensor<3xf32> -> !gnn.vertex<3xf32>
// CHECK: %[[P:.*]] = gnn.linear %{{.*}}, %{{.*}} : !gnn.vertex<2xf32>, tensor<3x2xf32> -> !gnn.vertex<3xf32>
// CHECK: gnn.message_passing %{{.*}}(%[[PB]], %[[P]])
// CHECK: %[[PI:.*]] = gnn.get_vertex %{{.*}} target
// CHECK: %[[PJ:.*]] = gnn.get_vertex %{{.*}} source
// CHECK: gnn.sub %[[PI]], %[[PJ]]
func.func @difference(%g: !gnn.graph<as_given>, %x: !gnn.vertex<2xf32>, %w: tensor<3x2xf32>, %b: tensor<3xf32>) -> !gnn.vertex<3xf32> {
  %m = gnn.message_passing %g (%x, %w, %b) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<2xf32>, tensor<3x2xf32>, tensor<3xf32>) -> !gnn.vertex<3xf32> {
  ^bb0(%a: !gnn.vertex<2xf32>, %wa: tensor<3x2xf32>, %ba: tensor<3xf32>):
    %xi = gnn.get_vertex %a target : !gnn.vertex<2xf32> -> vector<2xf32>
    %xj = gnn.get_vertex %a source : !gnn.vertex<2xf32> -> vector<2xf32>
    %d = gnn.sub %xi, %xj : vector<2xf32>, vector<2xf32> -> vector<2xf32>
    %y = gnn.row_linear %d, %wa, %ba : vector<2xf32>, tensor<3x2xf32>, tensor<3xf32> -> vector<3xf32>
    gnn.yield %y : vector<3xf32>
  }
  return %m : !gnn.vertex<3xf32>
}

// -----

// -x_j alone: no product is added, so the bias is added on its own.
// CHECK-LABEL: func.func @negated
// CHECK: %[[P:.*]] = gnn.linear %{{.*}}, %{{.*}} : !gnn.vertex<2xf32>, tensor<3x2xf32> -> !gnn.vertex<3xf32>
// CHECK: gnn.message_passing %{{.*}}(%[[P]], %{{.*}})
// CHECK: %[[PJ:.*]] = gnn.get_vertex %{{.*}} source
// CHECK: %[[N:.*]] = gnn.neg %[[PJ]]
// CHECK: gnn.add %[[N]], %{{.*}} : vector<3xf32>, tensor<3xf32>
func.func @negated(%g: !gnn.graph<as_given>, %x: !gnn.vertex<2xf32>, %w: tensor<3x2xf32>, %b: tensor<3xf32>) -> !gnn.vertex<3xf32> {
  %m = gnn.message_passing %g (%x, %w, %b) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<2xf32>, tensor<3x2xf32>, tensor<3xf32>) -> !gnn.vertex<3xf32> {
  ^bb0(%a: !gnn.vertex<2xf32>, %wa: tensor<3x2xf32>, %ba: tensor<3xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<2xf32> -> vector<2xf32>
    %n = gnn.neg %xj : vector<2xf32>
    %y = gnn.row_linear %n, %wa, %ba : vector<2xf32>, tensor<3x2xf32>, tensor<3xf32> -> vector<3xf32>
    gnn.yield %y : vector<3xf32>
  }
  return %m : !gnn.vertex<3xf32>
}

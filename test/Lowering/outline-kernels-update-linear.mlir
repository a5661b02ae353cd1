// RUN: gnn-opt %s --gnn-outline-kernels="prefetch-distance=0" --canonicalize | FileCheck %s

// A row linear in the update (gnn-fuse-linear-into-update's): targets go
// in tiles of 8 (2 outputs, one register each). A loop over a tile's
// targets (at most 8: the range may end within the tile) folds each
// one's in-edges, runs the update up to the linear and stores the
// linear's input as row t of a zeroed stack slot; then one loop over the
// input features feeds all 8 accumulators from each weight row (they
// start at zero: the bias is added after, as oneDNN does); the rest of
// the update runs per target, and each row is stored if the tile has its
// target (the first always).
// CHECK-LABEL: func.func @f_kernel0
// CHECK-SAME: gnn.vector_width = 512
// CHECK-DAG: %[[SLOT:.*]] = llvm.alloca %c32_i64 x f32 {alignment = 64 : i64}
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<4xf32>
// CHECK: llvm.store %[[ZERO]], %[[SLOT]]
// CHECK: scf.for %[[FIRST:.*]] = %arg0 to %arg1 step %c8_i64
// CHECK-NEXT: %[[LEFT:.*]] = arith.subi %arg1, %[[FIRST]] : i64
// CHECK-NEXT: %[[COUNT:.*]] = arith.minsi %[[LEFT]], %c8_i64 : i64
// CHECK-NEXT: scf.for %[[T:.*]] = %c0_i64 to %[[COUNT]] step %c1_i64
// CHECK-NEXT: arith.addi %[[FIRST]], %[[T]] : i64
// CHECK: %[[AGG:.*]]:2 = scf.for
// CHECK: %[[R:.*]] = gnn.relu %[[AGG]]#0 : vector<4xf32>
// CHECK-NEXT: %[[AT:.*]] = arith.muli %[[T]], %c4_i64 : i64
// CHECK-NEXT: %[[ROW:.*]] = llvm.getelementptr %[[SLOT]][%[[AT]]]
// CHECK-NEXT: llvm.store %[[R]], %[[ROW]]
// CHECK-NEXT: {{^ *}}}
// CHECK: %[[Y:.*]]:8 = scf.for %{{.*}} = %c0_i64 to %c4_i64 step %c1_i64 iter_args(%{{.*}} = %[[CST:[^,]*]], {{.*}}) -> (vector<2xf32>, vector<2xf32>, vector<2xf32>, vector<2xf32>, vector<2xf32>, vector<2xf32>, vector<2xf32>, vector<2xf32>)
// CHECK-COUNT-8: vector.fma
// CHECK: %[[O0:.*]] = gnn.add %[[Y]]#0, %[[B:.*]] : vector<2xf32>, vector<2xf32> -> vector<2xf32>
// CHECK: %[[O7:.*]] = gnn.add %[[Y]]#7, %[[B]]
// CHECK-NEXT: %[[OFF:.*]] = arith.muli %[[FIRST]], %c2_i64 : i64
// CHECK-NEXT: %[[OUT:.*]] = llvm.getelementptr %{{.*}}[%[[OFF]]]
// CHECK-NEXT: llvm.store %[[O0]], %[[OUT]]
// CHECK-NEXT: %[[HAS1:.*]] = arith.cmpi sgt, %[[COUNT]], %c1_i64 : i64
// CHECK-NEXT: scf.if %[[HAS1]] {
// CHECK: %[[HAS7:.*]] = arith.cmpi sgt, %[[COUNT]], %c7_i64 : i64
// CHECK-NEXT: scf.if %[[HAS7]] {
// CHECK: llvm.store %[[O7]]
func.func @f(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %w: tensor<2x4xf32> {gnn.param = "w"}, %b: tensor<2xf32> {gnn.param = "b"}) -> !gnn.vertex<2xf32> {
  %m = gnn.message_passing %g (%x, %w, %b) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> !gnn.vertex<2xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>, %wa: tensor<2x4xf32>, %ba: tensor<2xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  } update {
  ^bb0(%a: !gnn.vertex<4xf32>, %wa: tensor<2x4xf32>, %ba: tensor<2xf32>, %agg: vector<4xf32>):
    %r = gnn.relu %agg : vector<4xf32>
    %y = gnn.row_linear %r, %wa : vector<4xf32>, tensor<2x4xf32> -> vector<2xf32>
    %o = gnn.add %y, %ba : vector<2xf32>, tensor<2xf32> -> vector<2xf32>
    gnn.yield %o : vector<2xf32>
  }
  return %m : !gnn.vertex<2xf32>
}

// The update's tail reads the aggregated row (a residual) besides the
// linear's input, relu(agg): each gets a slot of its own, which the loop
// over the tile's targets fills and the tile reads back per target.
// CHECK-LABEL: func.func @residual_kernel1
// CHECK: %[[IN:.*]] = llvm.alloca %c32_i64 x f32
// CHECK: %[[KEPT:.*]] = llvm.alloca %c32_i64 x f32
// CHECK: scf.for %[[FIRST:.*]] = %arg0 to %arg1 step %c8_i64
// CHECK: scf.for %[[T:.*]] = %c0_i64 to %{{.*}} step %c1_i64
// CHECK: %[[AGG:.*]]:2 = scf.for
// CHECK: %[[R:.*]] = gnn.relu %[[AGG]]#0 : vector<4xf32>
// CHECK: %[[AT:.*]] = arith.muli %[[T]], %c4_i64 : i64
// CHECK-NEXT: %[[ROW:.*]] = llvm.getelementptr %[[IN]][%[[AT]]]
// CHECK-NEXT: llvm.store %[[R]], %[[ROW]]
// CHECK: %[[ROW2:.*]] = llvm.getelementptr %[[KEPT]][%{{.*}}]
// CHECK-NEXT: llvm.store %[[AGG]]#0, %[[ROW2]]
// CHECK: %[[KEPT0:.*]] = llvm.load %[[KEPT]] {alignment = 4 : i64} : !llvm.ptr -> vector<4xf32>
// CHECK: %[[Y:.*]]:8 = scf.for
// CHECK: gnn.add %[[Y]]#0, %[[KEPT0]] : vector<4xf32>, vector<4xf32> -> vector<4xf32>
func.func @residual(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %w: tensor<4x4xf32> {gnn.param = "w"}) -> !gnn.vertex<4xf32> {
  %m = gnn.message_passing %g (%x, %w) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>, tensor<4x4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>, %wa: tensor<4x4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  } update {
  ^bb0(%a: !gnn.vertex<4xf32>, %wa: tensor<4x4xf32>, %agg: vector<4xf32>):
    %r = gnn.relu %agg : vector<4xf32>
    %y = gnn.row_linear %r, %wa : vector<4xf32>, tensor<4x4xf32> -> vector<4xf32>
    %o = gnn.add %y, %agg : vector<4xf32>, vector<4xf32> -> vector<4xf32>
    gnn.yield %o : vector<4xf32>
  }
  return %m : !gnn.vertex<4xf32>
}

// A row at the target after the linear (a linear's accumulate): read per
// target of the tile, at min(first + t, hi - 1), so that a partial last
// tile reads no row past its range.
// CHECK-LABEL: func.func @accumulate_kernel2
// CHECK: scf.for %[[FIRST:.*]] = %arg0 to %arg1 step %c8_i64
// CHECK: %[[LAST:.*]] = arith.subi %arg1, %c1_i64 : i64
// CHECK: %[[T7:.*]] = arith.addi %[[FIRST]], %c7_i64 : i64
// CHECK-NEXT: %[[AT7:.*]] = arith.minsi %[[T7]], %[[LAST]] : i64
// CHECK: %[[OFF7:.*]] = arith.muli %[[AT7]], %c2_i64 : i64
// CHECK-NEXT: %[[P7:.*]] = llvm.getelementptr %{{.*}}[%[[OFF7]]]
// CHECK-NEXT: %[[A7:.*]] = llvm.load %[[P7]] {alignment = 4 : i64} : !llvm.ptr -> vector<2xf32>
// CHECK: gnn.add %{{.*}}#7, %[[A7]] : vector<2xf32>, vector<2xf32> -> vector<2xf32>
func.func @accumulate(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %w: tensor<2x4xf32> {gnn.param = "w"}, %acc: !gnn.vertex<2xf32>) -> !gnn.vertex<2xf32> {
  %m = gnn.message_passing %g (%x, %w, %acc) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>, tensor<2x4xf32>, !gnn.vertex<2xf32>) -> !gnn.vertex<2xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>, %wa: tensor<2x4xf32>, %c: !gnn.vertex<2xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  } update {
  ^bb0(%a: !gnn.vertex<4xf32>, %wa: tensor<2x4xf32>, %c: !gnn.vertex<2xf32>, %agg: vector<4xf32>):
    %y = gnn.row_linear %agg, %wa : vector<4xf32>, tensor<2x4xf32> -> vector<2xf32>
    %ci = gnn.get_vertex %c target : !gnn.vertex<2xf32> -> vector<2xf32>
    %o = gnn.add %y, %ci : vector<2xf32>, vector<2xf32> -> vector<2xf32>
    gnn.yield %o : vector<2xf32>
  }
  return %m : !gnn.vertex<2xf32>
}

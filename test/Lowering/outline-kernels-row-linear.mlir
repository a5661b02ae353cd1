// RUN: gnn-opt %s --gnn-outline-kernels="edge-tile=1" | FileCheck %s
// RUN: gnn-opt %s --gnn-outline-kernels="edge-tile=2 prefetch-distance=0" --canonicalize | FileCheck %s --check-prefix=TILE
// RUN: not gnn-opt %s --gnn-outline-kernels="edge-tile=-1" 2>&1 | FileCheck %s --check-prefix=BAD

// A message's per-edge Linear: the kernel reads the weight transposed (a
// view the runtime cuts, columns and transpose merged into one), a row per
// input feature. The row goes to a stack slot made once in the entry
// block; a loop over the input features broadcasts r[k] from it and
// accumulates it times weight row k onto the bias with an FMA, loading the
// row inside the loop (never the whole weight). A matrix-vector product
// per edge makes the kernel compute-bound: 512-bit vectors. One edge at
// a time (edge-tile=1):
// CHECK-LABEL: func.func @f
// CHECK: %[[T:.*]] = gnn.param_view %arg2 columns = [2, 2] transpose : tensor<3x4xf32> -> tensor<2x3xf32>
// CHECK: gnn.launch @f_kernel0(%arg0, %arg1, %[[T]], %arg3)
// CHECK-LABEL: func.func @f_kernel0
// CHECK-SAME: gnn.vector_width = 512
// CHECK-NOT: vector<2x3xf32>
// CHECK: %[[SLOT:.*]] = llvm.alloca %{{.*}} x f32 {alignment = 64 : i64}
// The kernel's arguments: offsets, sources, x, the weight, the bias, the result.
// CHECK: %[[WTP:.*]] = llvm.getelementptr %arg2[3]
// CHECK-NEXT: %[[WT:.*]] = llvm.load %[[WTP]] : !llvm.ptr -> !llvm.ptr
// CHECK: %[[B:.*]] = llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> vector<3xf32>
// CHECK: scf.for
// CHECK: scf.for
// CHECK: llvm.store %[[R:.*]], %[[SLOT]] {alignment = 64 : i64} : vector<2xf32>, !llvm.ptr
// CHECK: %[[Y:.*]] = scf.for %[[K:.*]] = %{{.*}} to %c2_i64{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %[[B]]) -> (vector<3xf32>)
// CHECK: %[[ROW:.*]] = arith.muli %[[K]], %c3_i64
// CHECK: %[[WP:.*]] = llvm.getelementptr %[[WT]][%[[ROW]]]
// CHECK: %[[W:.*]] = llvm.load %[[WP]] {alignment = 4 : i64} : !llvm.ptr -> vector<3xf32>
// CHECK: %[[RKP:.*]] = llvm.getelementptr %[[SLOT]][%[[K]]]
// CHECK: %[[RK:.*]] = llvm.load %[[RKP]] : !llvm.ptr -> f32
// CHECK: %[[S:.*]] = vector.broadcast %[[RK]] : f32 to vector<3xf32>
// CHECK: %[[F:.*]] = vector.fma %[[S]], %[[W]], %[[ACC]] : vector<3xf32>
// CHECK: scf.yield %[[F]]
// CHECK: arith.maximumf %{{.*}}, %[[Y]] : vector<3xf32>

// Tiles of two in-edges: both rows go to the slot, each in a cache line
// of its own (16 floats); one loop over the input features loads weight
// row k once and feeds both accumulators. The messages are folded in edge
// order; the in-edges left over (an odd count) run one at a time.
// TILE-LABEL: func.func @f_kernel0
// TILE-DAG: %[[SLOT:.*]] = llvm.alloca %c32_i64 x f32 {alignment = 64 : i64}
// TILE-DAG: %[[B:.*]] = llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> vector<3xf32>
// TILE: %[[START:.*]] = llvm.load %{{.*}} : !llvm.ptr -> i64
// TILE: %[[END:.*]] = llvm.load %{{.*}} : !llvm.ptr -> i64
// TILE: %[[N:.*]] = arith.subi %[[END]], %[[START]] : i64
// TILE: %[[REST:.*]] = arith.remsi %[[N]], %c2_i64 : i64
// TILE: %[[TAIL:.*]] = arith.subi %[[END]], %[[REST]] : i64
// TILE: %[[TILED:.*]]:2 = scf.for %{{.*}} = %[[START]] to %[[TAIL]] step %c2_i64
// TILE: llvm.store %[[R0:.*]], %[[SLOT]] {alignment = 64 : i64} : vector<2xf32>, !llvm.ptr
// TILE: %[[ROW1:.*]] = llvm.getelementptr %[[SLOT]][16] : (!llvm.ptr) -> !llvm.ptr, f32
// TILE: llvm.store %{{.*}}, %[[ROW1]] {alignment = 64 : i64} : vector<2xf32>, !llvm.ptr
// TILE: %[[Y:.*]]:2 = scf.for %[[K:.*]] = %c0_i64 to %c2_i64 step %c1_i64 iter_args(%[[A0:.*]] = %[[B]], %[[A1:.*]] = %[[B]])
// TILE: %[[W:.*]] = llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> vector<3xf32>
// TILE: %[[F0:.*]] = vector.fma %{{.*}}, %[[W]], %[[A0]] : vector<3xf32>
// TILE: %[[F1:.*]] = vector.fma %{{.*}}, %[[W]], %[[A1]] : vector<3xf32>
// TILE-NEXT: scf.yield %[[F0]], %[[F1]]
// TILE: %[[M0:.*]] = arith.maximumf %{{.*}}, %[[Y]]#0 : vector<3xf32>
// TILE-NEXT: arith.maximumf %[[M0]], %[[Y]]#1 : vector<3xf32>
// TILE: scf.for %{{.*}} = %[[TAIL]] to %[[END]] step %c1_i64 iter_args(%{{.*}} = %[[TILED]]#0, %{{.*}} = %[[TILED]]#1)

// BAD: error: gnn-outline-kernels: edge-tile must be 0 or more, not -1
func.func @f(%g: !gnn.graph<as_given>, %x: !gnn.vertex<2xf32>, %w: tensor<3x4xf32> {gnn.param = "w"}, %b: tensor<3xf32> {gnn.param = "b"}) -> !gnn.vertex<3xf32> {
  %v = gnn.param_view %w columns = [2, 2] : tensor<3x4xf32> -> tensor<3x2xf32>
  %m = gnn.message_passing %g (%x, %v, %b) aggr = max : !gnn.graph<as_given>, (!gnn.vertex<2xf32>, tensor<3x2xf32>, tensor<3xf32>) -> !gnn.vertex<3xf32> {
  ^bb0(%a: !gnn.vertex<2xf32>, %wa: tensor<3x2xf32>, %ba: tensor<3xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<2xf32> -> vector<2xf32>
    %r = gnn.relu %xj : vector<2xf32>
    %y = gnn.row_linear %r, %wa, %ba : vector<2xf32>, tensor<3x2xf32>, tensor<3xf32> -> vector<3xf32>
    gnn.yield %y : vector<3xf32>
  }
  return %m : !gnn.vertex<3xf32>
}

// RUN: gnn-opt %s -split-input-file --gnn-outline-kernels="prefetch-distance=0" | FileCheck %s

// Edge tensors are kernel inputs like vertex tensors (args = [offsets,
// sources, x, e, result]); their rows are stored in CSR order, so
// gnn.get_edge loads row e * 4 at the in-edge position e, next to the
// source row loaded at sources[e] * 4.
// CHECK-LABEL: func.func @edge_message(
// CHECK-SAME: %[[G:.*]]: !gnn.graph<as_given>, %[[X:.*]]: !gnn.vertex<4xf32>, %[[E:.*]]: !gnn.edge<4xf32>)
// CHECK-NEXT: %[[R:.*]] = gnn.launch @edge_message_kernel0(%[[G]], %[[X]], %[[E]]) gathers [0] source_only [0] {edge_balanced} : <as_given>, !gnn.vertex<4xf32>, !gnn.edge<4xf32> -> !gnn.vertex<4xf32>
// CHECK-LABEL: func.func @edge_message_kernel0(
// CHECK: %[[S1:.*]] = llvm.getelementptr %{{.*}}[1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %[[SRC:.*]] = llvm.load %[[S1]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %[[S2:.*]] = llvm.getelementptr %{{.*}}[2] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %[[XP:.*]] = llvm.load %[[S2]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %[[S3:.*]] = llvm.getelementptr %{{.*}}[3] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %[[EP:.*]] = llvm.load %[[S3]] : !llvm.ptr -> !llvm.ptr
// CHECK: scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}, %{{.*}} = %{{.*}}) -> (vector<4xf32>, i64)  : i64 {
// CHECK-NEXT: %[[UA:.*]] = llvm.getelementptr %[[SRC]][%[[K]]] : (!llvm.ptr, i64) -> !llvm.ptr, i32
// CHECK-NEXT: %[[U32:.*]] = llvm.load %[[UA]] : !llvm.ptr -> i32
// CHECK-NEXT: %[[U:.*]] = arith.extui %[[U32]] : i32 to i64
// CHECK-NEXT: %[[C4:.*]] = arith.constant 4 : i64
// CHECK-NEXT: %[[XI:.*]] = arith.muli %[[U]], %[[C4]] : i64
// CHECK-NEXT: %[[XA:.*]] = llvm.getelementptr %[[XP]][%[[XI]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK-NEXT: %[[XJ:.*]] = llvm.load %[[XA]] {alignment = 4 : i64} : !llvm.ptr -> vector<4xf32>
// CHECK-NEXT: %[[C4E:.*]] = arith.constant 4 : i64
// CHECK-NEXT: %[[EI:.*]] = arith.muli %[[K]], %[[C4E]] : i64
// CHECK-NEXT: %[[EA:.*]] = llvm.getelementptr %[[EP]][%[[EI]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK-NEXT: %[[EK:.*]] = llvm.load %[[EA]] {alignment = 4 : i64} : !llvm.ptr -> vector<4xf32>
// CHECK-NEXT: %[[M:.*]] = gnn.add %[[XJ]], %[[EK]] : vector<4xf32>, vector<4xf32> -> vector<4xf32>
// CHECK-NEXT: %[[RELU:.*]] = gnn.relu %[[M]] : vector<4xf32>
// CHECK-NEXT: arith.addf %[[ACC]], %[[RELU]] fastmath<contract> : vector<4xf32>
func.func @edge_message(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %e: !gnn.edge<4xf32>) -> !gnn.vertex<4xf32> {
  %0 = gnn.message_passing %g (%x, %e) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>, !gnn.edge<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>, %b: !gnn.edge<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    %ek = gnn.get_edge %b : !gnn.edge<4xf32> -> vector<4xf32>
    %s = gnn.add %xj, %ek : vector<4xf32>, vector<4xf32> -> vector<4xf32>
    %r = gnn.relu %s : vector<4xf32>
    gnn.yield %r : vector<4xf32>
  }
  return %0 : !gnn.vertex<4xf32>
}

// -----

// An edge-domain transform is a kernel over a range of edge rows: the
// launch returns an edge tensor (the executor runs it over [0, E)) and the
// loop loads and stores row k * 3.
// CHECK-LABEL: func.func @edge_transform(
// CHECK-SAME: %[[G:.*]]: !gnn.graph<as_given>, %[[E:.*]]: !gnn.edge<3xf32>)
// CHECK-NEXT: %[[R:.*]] = gnn.launch @edge_transform_kernel0(%[[G]], %[[E]]) : <as_given>, !gnn.edge<3xf32> -> !gnn.edge<3xf32>
// CHECK-NEXT: return %[[R]]
// CHECK-LABEL: func.func @edge_transform_kernel0(
// CHECK-SAME: %[[LO:.*]]: i64, %[[HI:.*]]: i64, %{{.*}}: !llvm.ptr)
// CHECK: llvm.getelementptr %{{.*}}[2] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %[[EP:.*]] = llvm.load %{{.*}} : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %{{.*}} = llvm.getelementptr %{{.*}}[3] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %[[OUT:.*]] = llvm.load %{{.*}} : !llvm.ptr -> !llvm.ptr
// CHECK: scf.for %[[K:.*]] = %[[LO]] to %[[HI]] step %{{.*}} : i64 {
// CHECK-NEXT: %[[C3:.*]] = arith.constant 3 : i64
// CHECK-NEXT: %[[I:.*]] = arith.muli %[[K]], %[[C3]] : i64
// CHECK-NEXT: %[[A:.*]] = llvm.getelementptr %[[EP]][%[[I]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK-NEXT: %[[ROW:.*]] = llvm.load %[[A]] {alignment = 4 : i64} : !llvm.ptr -> vector<3xf32>
// CHECK-NEXT: %[[Y:.*]] = gnn.sigmoid %[[ROW]] : vector<3xf32>
// CHECK: llvm.store %[[Y]], %{{.*}} {alignment = 4 : i64} : vector<3xf32>, !llvm.ptr
func.func @edge_transform(%g: !gnn.graph<as_given>, %e: !gnn.edge<3xf32>) -> !gnn.edge<3xf32> {
  %0 = gnn.transform (%e) : (!gnn.edge<3xf32>) -> !gnn.edge<3xf32> {
  ^bb0(%r: vector<3xf32>):
    %y = gnn.sigmoid %r : vector<3xf32>
    gnn.yield %y : vector<3xf32>
  }
  return %0 : !gnn.edge<3xf32>
}

// -----

// Self loops added to a graph with edge features: in-edges read the edge
// tensor at their CSR position, the virtual loop reads the `loop` vertex
// tensor at the target (args = [offsets, sources, x, w, l, result]).
// CHECK-LABEL: func.func @edge_loops_kernel0(
// CHECK-DAG: %[[WP:.*]] = llvm.getelementptr %arg2[3]
// CHECK-DAG: %[[LP:.*]] = llvm.getelementptr %arg2[4]
// CHECK-DAG: %[[W:.*]] = llvm.load %[[WP]] : !llvm.ptr -> !llvm.ptr
// CHECK-DAG: %[[L:.*]] = llvm.load %[[LP]] : !llvm.ptr -> !llvm.ptr
// CHECK: scf.for %[[V:.*]] = %arg0 to %arg1
// CHECK: scf.for %[[E:.*]] = {{.*}} iter_args
// CHECK: scf.if
// CHECK: } else {
// CHECK: %[[EA:.*]] = arith.muli %[[E]], %{{.*}} : i64
// CHECK-NEXT: %[[EP:.*]] = llvm.getelementptr %[[W]][%[[EA]]]
// CHECK-NEXT: llvm.load %[[EP]] {{.*}} -> vector<1xf32>
// CHECK: %[[XA:.*]] = arith.muli %[[V]], %{{.*}} : i64
// CHECK-NEXT: llvm.getelementptr %{{.*}}[%[[XA]]]
// CHECK-NEXT: llvm.load {{.*}} -> vector<4xf32>
// CHECK: %[[LA:.*]] = arith.muli %[[V]], %{{.*}} : i64
// CHECK-NEXT: %[[LPTR:.*]] = llvm.getelementptr %[[L]][%[[LA]]]
// CHECK-NEXT: llvm.load %[[LPTR]] {{.*}} -> vector<1xf32>
// CHECK: llvm.store
func.func @edge_loops(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %w: !gnn.edge<1xf32>, %l: !gnn.vertex<1xf32>) -> !gnn.vertex<4xf32> {
  %g1 = gnn.add_self_loops %g : !gnn.graph<as_given> -> !gnn.graph<one_per_vertex>
  %0 = gnn.message_passing %g1 (%x, %w, %l) aggr = add : !gnn.graph<one_per_vertex>, (!gnn.vertex<4xf32>, !gnn.edge<1xf32>, !gnn.vertex<1xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>, %we: !gnn.edge<1xf32>, %la: !gnn.vertex<1xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    %wij = gnn.get_edge %we loop %la : !gnn.edge<1xf32>, !gnn.vertex<1xf32> -> vector<1xf32>
    %m = gnn.mul %xj, %wij : vector<4xf32>, vector<1xf32> -> vector<4xf32>
    gnn.yield %m : vector<4xf32>
  }
  return %0 : !gnn.vertex<4xf32>
}

// -----

// Self loops removed (PyG's remove_self_loops): stored loops are skipped
// and none is added; the degree counts from zero; no conversion op is left.
// CHECK-LABEL: func.func @no_loops(
// CHECK-NEXT: gnn.launch @no_loops_kernel0(%arg0) {edge_balanced} : <as_given>
// CHECK-NEXT: gnn.launch @no_loops_kernel1(%arg0, %arg1) gathers [0] source_only [0] {edge_balanced} : <as_given>
// CHECK-NOT: remove_self_loops
// CHECK-LABEL: func.func @no_loops_kernel0(
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[ZERO]]) -> (i64)
// CHECK: arith.cmpi ne
// CHECK-LABEL: func.func @no_loops_kernel1(
// CHECK: %[[ACC:.*]]:2 = scf.for
// CHECK: arith.cmpi eq
// CHECK: scf.if
// CHECK: scf.yield
// CHECK: arith.maxsi %[[ACC]]#1
// CHECK-NOT: llvm.load
// CHECK: llvm.store
func.func @no_loops(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) -> (!gnn.vertex<1xf32>, !gnn.vertex<4xf32>) {
  %g0 = gnn.remove_self_loops %g : !gnn.graph<as_given> -> !gnn.graph<none>
  %d = gnn.degree %g0 : !gnn.graph<none> -> !gnn.vertex<1xf32>
  %0 = gnn.message_passing %g0 (%x) aggr = mean : !gnn.graph<none>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  return %d, %0 : !gnn.vertex<1xf32>, !gnn.vertex<4xf32>
}

// -----

// stored_loop_rows scans each target's in-edges (args = [offsets, sources,
// e, result]); an edge whose source is the target (a stored self loop)
// replaces the row carried so far, which starts as the fill: the last
// stored loop wins, as in PyG.
// CHECK-LABEL: func.func @stored_loop_rows(
// CHECK-SAME: %[[G:.*]]: !gnn.graph<as_given>, %[[E:.*]]: !gnn.edge<2xf32>)
// CHECK-NEXT: %[[R:.*]] = gnn.launch @stored_loop_rows_kernel0(%[[G]], %[[E]]) {edge_balanced} : <as_given>, !gnn.edge<2xf32> -> !gnn.vertex<2xf32>
// CHECK-LABEL: func.func @stored_loop_rows_kernel0(
// CHECK: scf.for %[[V:.*]] = %{{.*}} to %{{.*}} step %{{.*}} : i64 {
// CHECK: %[[FILL:.*]] = arith.constant dense<2.000000e+00> : vector<2xf32>
// CHECK: %[[ROW:.*]] = scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[CUR:.*]] = %[[FILL]]) -> (vector<2xf32>)  : i64 {
// CHECK: %[[U:.*]] = arith.extui %{{.*}} : i32 to i64
// CHECK-NEXT: %[[LOOP:.*]] = arith.cmpi eq, %[[U]], %[[V]] : i64
// CHECK: %[[EK:.*]] = llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> vector<2xf32>
// CHECK-NEXT: %[[SEL:.*]] = arith.select %[[LOOP]], %[[EK]], %[[CUR]] : vector<2xf32>
// CHECK-NEXT: scf.yield %[[SEL]] : vector<2xf32>
// CHECK: llvm.store %[[ROW]], %{{.*}} {alignment = 4 : i64} : vector<2xf32>, !llvm.ptr
func.func @stored_loop_rows(%g: !gnn.graph<as_given>, %e: !gnn.edge<2xf32>) -> !gnn.vertex<2xf32> {
  %r = gnn.stored_loop_rows %g(%e) fill = 2.0 : !gnn.graph<as_given>, !gnn.edge<2xf32> -> !gnn.vertex<2xf32>
  return %r : !gnn.vertex<2xf32>
}

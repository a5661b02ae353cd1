// RUN: gnn-opt %s -split-input-file --gnn-outline-kernels="prefetch-distance=0" | FileCheck %s

// A transform becomes a kernel with one loop over [lo, hi): the argument
// block holds [offsets, sources, x, b, result]; the parameter row is loaded
// once before the loop, the vertex row at v * 4 inside it.
// CHECK-LABEL: func.func @transform(
// CHECK-SAME: %[[G:.*]]: !gnn.graph<as_given>, %[[X:.*]]: !gnn.vertex<4xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[R:.*]] = gnn.launch @transform_kernel0(%[[G]], %[[X]], %[[B]]) : <as_given>, !gnn.vertex<4xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
// CHECK-NEXT: return %[[R]]
// CHECK-LABEL: func.func @transform_kernel0(
// CHECK-SAME: %[[LO:.*]]: i64, %[[HI:.*]]: i64, %[[ARGS:.*]]: !llvm.ptr) attributes {gnn.kernel, gnn.vector_width = 256 : i64} {
// CHECK-NEXT: %[[S0:.*]] = llvm.getelementptr %[[ARGS]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: llvm.load %[[S0]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %[[S1:.*]] = llvm.getelementptr %[[ARGS]][1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: llvm.load %[[S1]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %[[S2:.*]] = llvm.getelementptr %[[ARGS]][2] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %[[XP:.*]] = llvm.load %[[S2]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %[[S3:.*]] = llvm.getelementptr %[[ARGS]][3] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %[[BP:.*]] = llvm.load %[[S3]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %[[S4:.*]] = llvm.getelementptr %[[ARGS]][4] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %[[OUT:.*]] = llvm.load %[[S4]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %[[Z:.*]] = arith.constant 0 : i64
// CHECK-NEXT: %[[C4:.*]] = arith.constant 4 : i64
// CHECK-NEXT: %[[BI:.*]] = arith.muli %[[Z]], %[[C4]] : i64
// CHECK-NEXT: %[[BA:.*]] = llvm.getelementptr %[[BP]][%[[BI]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK-NEXT: %[[BROW:.*]] = llvm.load %[[BA]] {alignment = 4 : i64} : !llvm.ptr -> vector<4xf32>
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1 : i64
// CHECK-NEXT: scf.for %[[V:.*]] = %[[LO]] to %[[HI]] step %[[ONE]] : i64 {
// CHECK-NEXT: %[[C4A:.*]] = arith.constant 4 : i64
// CHECK-NEXT: %[[XI:.*]] = arith.muli %[[V]], %[[C4A]] : i64
// CHECK-NEXT: %[[XA:.*]] = llvm.getelementptr %[[XP]][%[[XI]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK-NEXT: %[[XROW:.*]] = llvm.load %[[XA]] {alignment = 4 : i64} : !llvm.ptr -> vector<4xf32>
// CHECK-NEXT: %[[SUM:.*]] = gnn.add %[[XROW]], %[[BROW]] : vector<4xf32>, vector<4xf32> -> vector<4xf32>
// CHECK-NEXT: %[[RELU:.*]] = gnn.relu %[[SUM]] : vector<4xf32>
// CHECK-NEXT: %[[C4B:.*]] = arith.constant 4 : i64
// CHECK-NEXT: %[[OI:.*]] = arith.muli %[[V]], %[[C4B]] : i64
// CHECK-NEXT: %[[OA:.*]] = llvm.getelementptr %[[OUT]][%[[OI]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK-NEXT: llvm.store %[[RELU]], %[[OA]] {alignment = 4 : i64} : vector<4xf32>, !llvm.ptr
// CHECK-NEXT: }
// CHECK-NEXT: return
func.func @transform(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %b: tensor<4xf32>) -> !gnn.vertex<4xf32> {
  %0 = gnn.transform (%x, %b) : (!gnn.vertex<4xf32>, tensor<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>, %p: tensor<4xf32>):
    %s = gnn.add %r, %p : vector<4xf32>, tensor<4xf32> -> vector<4xf32>
    %y = gnn.relu %s : vector<4xf32>
    gnn.yield %y : vector<4xf32>
  }
  return %0 : !gnn.vertex<4xf32>
}

// -----

// Multi-dimensional rows are loaded flat and shape-cast; constants in the
// region, tensor constants included, become vector constants in the loop.
// CHECK-LABEL: func.func @multi_dim_kernel0(
// CHECK: scf.for %[[V:.*]] = %{{.*}} to %{{.*}} step %{{.*}} : i64 {
// CHECK: %[[FLAT:.*]] = llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> vector<4xf32>
// CHECK-NEXT: %[[ROW:.*]] = vector.shape_cast %[[FLAT]] : vector<4xf32> to vector<2x2xf32>
// CHECK-NEXT: %[[C:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : vector<2x2xf32>
// CHECK-NEXT: %[[S:.*]] = gnn.mul %[[ROW]], %[[C]] : vector<2x2xf32>, vector<2x2xf32> -> vector<2x2xf32>
// CHECK-NEXT: %[[H:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-NEXT: %[[T:.*]] = gnn.add %[[S]], %[[H]] : vector<2x2xf32>, f32 -> vector<2x2xf32>
// CHECK-NEXT: %[[OUTFLAT:.*]] = vector.shape_cast %[[T]] : vector<2x2xf32> to vector<4xf32>
// CHECK: llvm.store %[[OUTFLAT]], %{{.*}} {alignment = 4 : i64} : vector<4xf32>, !llvm.ptr
func.func @multi_dim(%g: !gnn.graph<as_given>, %x: !gnn.vertex<2x2xf32>) -> !gnn.vertex<2x2xf32> {
  %0 = gnn.transform (%x) : (!gnn.vertex<2x2xf32>) -> !gnn.vertex<2x2xf32> {
  ^bb0(%r: vector<2x2xf32>):
    %c = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
    %s = gnn.mul %r, %c : vector<2x2xf32>, tensor<2x2xf32> -> vector<2x2xf32>
    %h = arith.constant 0.5 : f32
    %t = gnn.add %s, %h : vector<2x2xf32>, f32 -> vector<2x2xf32>
    gnn.yield %t : vector<2x2xf32>
  }
  return %0 : !gnn.vertex<2x2xf32>
}

// -----

// A 0-d parameter (a learned scalar such as GIN's eps) is loaded as an f32.
// CHECK-LABEL: func.func @scalar_param_kernel0(
// CHECK: llvm.getelementptr %{{.*}}[3] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %[[EP:.*]] = llvm.load %{{.*}} : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %[[S5:.*]] = llvm.getelementptr %{{.*}}[4] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: llvm.load %[[S5]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %[[Z:.*]] = arith.constant 0 : i64
// CHECK-NEXT: %[[EA:.*]] = llvm.getelementptr %[[EP]][%[[Z]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK-NEXT: %[[EPS:.*]] = llvm.load %[[EA]] : !llvm.ptr -> f32
// CHECK: scf.for
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %[[OPE:.*]] = gnn.add %[[ONE]], %[[EPS]] : f32, f32 -> f32
// A 0-d tensor constant becomes a scalar constant.
// CHECK-NEXT: %[[TWO:.*]] = arith.constant 2.000000e+00 : f32
// CHECK-NEXT: %[[F:.*]] = gnn.mul %[[OPE]], %[[TWO]] : f32, f32 -> f32
// CHECK-NEXT: gnn.mul %{{.*}}, %[[F]] : vector<4xf32>, f32 -> vector<4xf32>
func.func @scalar_param(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %eps: tensor<f32>) -> !gnn.vertex<4xf32> {
  %0 = gnn.transform (%x, %eps) : (!gnn.vertex<4xf32>, tensor<f32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>, %e: tensor<f32>):
    %one = arith.constant 1.0 : f32
    %ope = gnn.add %one, %e : f32, tensor<f32> -> f32
    %two = arith.constant dense<2.0> : tensor<f32>
    %f = gnn.mul %ope, %two : f32, tensor<f32> -> f32
    %s = gnn.mul %r, %f : vector<4xf32>, f32 -> vector<4xf32>
    gnn.yield %s : vector<4xf32>
  }
  return %0 : !gnn.vertex<4xf32>
}

// -----

// Message passing on an as_given graph: a loop over the in-edges of v
// carrying (accumulator, count); every stored edge, self loops included,
// contributes; no virtual self loop after the loop. x is read only at
// sources: `source_only` (with a virtual self loop, below, it is not).
// CHECK-LABEL: func.func @message_add(
// CHECK-SAME: %[[G:.*]]: !gnn.graph<as_given>, %[[X:.*]]: !gnn.vertex<4xf32>)
// CHECK-NEXT: %[[R:.*]] = gnn.launch @message_add_kernel0(%[[G]], %[[X]]) gathers [0] source_only [0] {edge_balanced} : <as_given>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
// CHECK-NEXT: return %[[R]]
// CHECK-LABEL: func.func @message_add_kernel0(
// CHECK-SAME: %[[LO:.*]]: i64, %[[HI:.*]]: i64, %[[ARGS:.*]]: !llvm.ptr)
// CHECK-NEXT: llvm.getelementptr %[[ARGS]][0]
// CHECK-NEXT: %[[OFFS:.*]] = llvm.load
// CHECK-NEXT: llvm.getelementptr %[[ARGS]][1]
// CHECK-NEXT: %[[SRCS:.*]] = llvm.load
// CHECK-NEXT: llvm.getelementptr %[[ARGS]][2]
// CHECK-NEXT: %[[XP:.*]] = llvm.load
// CHECK-NEXT: llvm.getelementptr %[[ARGS]][3]
// CHECK-NEXT: %[[OUT:.*]] = llvm.load
// CHECK-NEXT: arith.constant 1 : i64
// CHECK-NEXT: scf.for %[[V:.*]] = %[[LO]] to %[[HI]] step %{{.*}} : i64 {
// CHECK-NEXT: %[[SA:.*]] = llvm.getelementptr %[[OFFS]][%[[V]]] : (!llvm.ptr, i64) -> !llvm.ptr, i64
// CHECK-NEXT: %[[START:.*]] = llvm.load %[[SA]] : !llvm.ptr -> i64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1 : i64
// CHECK-NEXT: %[[NEXT:.*]] = arith.addi %[[V]], %[[ONE]] : i64
// CHECK-NEXT: %[[EA:.*]] = llvm.getelementptr %[[OFFS]][%[[NEXT]]] : (!llvm.ptr, i64) -> !llvm.ptr, i64
// CHECK-NEXT: %[[END:.*]] = llvm.load %[[EA]] : !llvm.ptr -> i64
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<4xf32>
// CHECK-NEXT: %[[C0:.*]] = arith.constant 0 : i64
// CHECK-NEXT: arith.constant 1 : i64
// CHECK-NEXT: %[[LOOP:.*]]:2 = scf.for %[[E:.*]] = %[[START]] to %[[END]] step %{{.*}} iter_args(%[[ACC:.*]] = %[[ZERO]], %[[CNT:.*]] = %[[C0]]) -> (vector<4xf32>, i64) : i64 {
// CHECK-NEXT: %[[UA:.*]] = llvm.getelementptr %[[SRCS]][%[[E]]] : (!llvm.ptr, i64) -> !llvm.ptr, i32
// CHECK-NEXT: %[[U32:.*]] = llvm.load %[[UA]] : !llvm.ptr -> i32
// CHECK-NEXT: %[[U:.*]] = arith.extui %[[U32]] : i32 to i64
// CHECK-NEXT: %[[C4:.*]] = arith.constant 4 : i64
// CHECK-NEXT: %[[UI:.*]] = arith.muli %[[U]], %[[C4]] : i64
// CHECK-NEXT: %[[XA:.*]] = llvm.getelementptr %[[XP]][%[[UI]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK-NEXT: %[[XJ:.*]] = llvm.load %[[XA]] {alignment = 4 : i64} : !llvm.ptr -> vector<4xf32>
// CHECK-NEXT: %[[MSG:.*]] = gnn.neg %[[XJ]] : vector<4xf32>
// CHECK-NEXT: %[[NACC:.*]] = arith.addf %[[ACC]], %[[MSG]] fastmath<contract> : vector<4xf32>
// CHECK-NEXT: %[[INC:.*]] = arith.constant 1 : i64
// CHECK-NEXT: %[[NCNT:.*]] = arith.addi %[[CNT]], %[[INC]] : i64
// CHECK-NEXT: scf.yield %[[NACC]], %[[NCNT]] : vector<4xf32>, i64
// CHECK-NEXT: }
// CHECK-NEXT: %[[C4O:.*]] = arith.constant 4 : i64
// CHECK-NEXT: %[[OI:.*]] = arith.muli %[[V]], %[[C4O]] : i64
// CHECK-NEXT: %[[OA:.*]] = llvm.getelementptr %[[OUT]][%[[OI]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK-NEXT: llvm.store %[[LOOP]]#0, %[[OA]] {alignment = 4 : i64} : vector<4xf32>, !llvm.ptr
// CHECK-NEXT: }
// CHECK-NEXT: return
func.func @message_add(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  %0 = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    %n = gnn.neg %xj : vector<4xf32>
    gnn.yield %n : vector<4xf32>
  }
  return %0 : !gnn.vertex<4xf32>
}

// -----

// On a one_per_vertex graph the stored self loops are skipped (scf.if on
// u == v) and one virtual self-loop message, with v as the source, is added
// after the loop. The add_self_loops op goes: kernels bake it in.
// CHECK-LABEL: func.func @message_self_loops(
// CHECK-SAME: %[[G:.*]]: !gnn.graph<as_given>, %[[X:.*]]: !gnn.vertex<4xf32>)
// CHECK-NOT: gnn.add_self_loops
// CHECK-NEXT: %[[R:.*]] = gnn.launch @message_self_loops_kernel0(%[[G]], %[[X]]) gathers [0] {edge_balanced} : <as_given>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
// CHECK-NEXT: return %[[R]]
// CHECK-LABEL: func.func @message_self_loops_kernel0(
// CHECK: scf.for %[[V:.*]] = %{{.*}} to %{{.*}} step %{{.*}} : i64 {
// CHECK: %[[LOOP:.*]]:2 = scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}, %[[CNT:.*]] = %{{.*}}) -> (vector<4xf32>, i64) : i64 {
// CHECK: %[[U:.*]] = arith.extui %{{.*}} : i32 to i64
// CHECK-NEXT: %[[LOOPEDGE:.*]] = arith.cmpi eq, %[[U]], %[[V]] : i64
// CHECK-NEXT: %[[IF:.*]]:2 = scf.if %[[LOOPEDGE]] -> (vector<4xf32>, i64) {
// CHECK-NEXT: scf.yield %[[ACC]], %[[CNT]] : vector<4xf32>, i64
// CHECK-NEXT: } else {
// CHECK: %[[UI:.*]] = arith.muli %[[U]], %{{.*}} : i64
// CHECK-NEXT: %[[XA:.*]] = llvm.getelementptr %{{.*}}[%[[UI]]]
// CHECK-NEXT: %[[XJ:.*]] = llvm.load %[[XA]]
// CHECK-NEXT: %[[NACC:.*]] = arith.addf %[[ACC]], %[[XJ]] fastmath<contract> : vector<4xf32>
// CHECK: %[[NCNT:.*]] = arith.addi %[[CNT]], %{{.*}} : i64
// CHECK-NEXT: scf.yield %[[NACC]], %[[NCNT]] : vector<4xf32>, i64
// CHECK-NEXT: }
// CHECK-NEXT: scf.yield %[[IF]]#0, %[[IF]]#1 : vector<4xf32>, i64
// CHECK-NEXT: }
// The virtual self loop: the message of the edge v -> v.
// CHECK: %[[VI:.*]] = arith.muli %[[V]], %{{.*}} : i64
// CHECK-NEXT: %[[VA:.*]] = llvm.getelementptr %{{.*}}[%[[VI]]]
// CHECK-NEXT: %[[XV:.*]] = llvm.load %[[VA]] {alignment = 4 : i64} : !llvm.ptr -> vector<4xf32>
// CHECK-NEXT: %[[TOTAL:.*]] = arith.addf %[[LOOP]]#0, %[[XV]] fastmath<contract> : vector<4xf32>
// CHECK: llvm.store %[[TOTAL]], %{{.*}} {alignment = 4 : i64} : vector<4xf32>, !llvm.ptr
func.func @message_self_loops(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  %g1 = gnn.add_self_loops %g : !gnn.graph<as_given> -> !gnn.graph<one_per_vertex>
  %0 = gnn.message_passing %g1 (%x) aggr = add : !gnn.graph<one_per_vertex>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  return %0 : !gnn.vertex<4xf32>
}

// -----

// as_given: no skip, no virtual message.
// CHECK-LABEL: func.func @message_as_given_kernel0(
// CHECK-NOT: scf.if
// CHECK-NOT: arith.cmpi
// CHECK: %[[LOOP:.*]]:2 = scf.for
// CHECK: {{^ *}}}{{$}}
// CHECK-NOT: arith.addf
// CHECK: llvm.store %[[LOOP]]#0
func.func @message_as_given(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  %0 = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  return %0 : !gnn.vertex<4xf32>
}

// -----

// stored_plus_one (PyG's add_self_loops): the stored self loops are
// messages like any edge (no skip), and one virtual self loop is added.
// CHECK-LABEL: func.func @message_stored_plus_one_kernel0(
// CHECK-NOT: scf.if
// CHECK-NOT: arith.cmpi
// CHECK: %[[LOOP:.*]]:2 = scf.for
// CHECK: {{^ *}}}{{$}}
// CHECK: %[[XV:.*]] = llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> vector<4xf32>
// CHECK-NEXT: %[[TOTAL:.*]] = arith.addf %[[LOOP]]#0, %[[XV]] fastmath<contract> : vector<4xf32>
// CHECK: llvm.store %[[TOTAL]]
func.func @message_stored_plus_one(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  %g1 = gnn.add_self_loops %g : !gnn.graph<as_given> -> !gnn.graph<stored_plus_one>
  %0 = gnn.message_passing %g1 (%x) aggr = add : !gnn.graph<stored_plus_one>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  return %0 : !gnn.vertex<4xf32>
}

// -----

// Target rows and parameters are the same for every in-edge: parameters are
// loaded before the vertex loop, target rows before the edge loop, source
// rows inside it. The virtual self-loop message reads row v for both.
// CHECK-LABEL: func.func @message_rows_kernel0(
// CHECK-SAME: %{{.*}}: i64, %{{.*}}: i64, %[[ARGS:.*]]: !llvm.ptr)
// CHECK: llvm.getelementptr %[[ARGS]][2]
// CHECK-NEXT: %[[XP:.*]] = llvm.load
// CHECK-NEXT: llvm.getelementptr %[[ARGS]][3]
// CHECK-NEXT: %[[NP:.*]] = llvm.load
// CHECK-NEXT: llvm.getelementptr %[[ARGS]][4]
// CHECK-NEXT: %[[WP:.*]] = llvm.load
// CHECK-NEXT: llvm.getelementptr %[[ARGS]][5]
// CHECK-NEXT: llvm.load
// CHECK: %[[WA:.*]] = llvm.getelementptr %[[WP]][%{{.*}}]
// CHECK-NEXT: %[[W:.*]] = llvm.load %[[WA]] {alignment = 4 : i64} : !llvm.ptr -> vector<4xf32>
// CHECK: scf.for %[[V:.*]] = %{{.*}} to %{{.*}} step %{{.*}} : i64 {
// CHECK: %[[NIX:.*]] = arith.muli %[[V]], %{{.*}} : i64
// CHECK-NEXT: %[[NIA:.*]] = llvm.getelementptr %[[NP]][%[[NIX]]]
// CHECK-NEXT: %[[NI:.*]] = llvm.load %[[NIA]] {alignment = 4 : i64} : !llvm.ptr -> vector<1xf32>
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(
// CHECK: %[[U:.*]] = arith.extui
// CHECK: arith.muli %[[U]]
// CHECK-NEXT: llvm.getelementptr %[[XP]]
// CHECK-NEXT: %[[XJ:.*]] = llvm.load
// CHECK: arith.muli %[[U]]
// CHECK-NEXT: llvm.getelementptr %[[NP]]
// CHECK-NEXT: %[[NJ:.*]] = llvm.load
// CHECK-NEXT: %[[NN:.*]] = gnn.mul %[[NI]], %[[NJ]] : vector<1xf32>, vector<1xf32> -> vector<1xf32>
// CHECK-NEXT: %[[M:.*]] = gnn.mul %[[NN]], %[[XJ]] : vector<1xf32>, vector<4xf32> -> vector<4xf32>
// CHECK-NEXT: %[[MW:.*]] = gnn.mul %[[M]], %[[W]] : vector<4xf32>, vector<4xf32> -> vector<4xf32>
// CHECK-NEXT: arith.addf %{{.*}}, %[[MW]]
// CHECK: scf.yield
// CHECK: scf.yield
// CHECK: arith.muli %[[V]]
// CHECK-NEXT: llvm.getelementptr %[[XP]]
// CHECK-NEXT: %[[XV:.*]] = llvm.load
// CHECK: arith.muli %[[V]]
// CHECK-NEXT: llvm.getelementptr %[[NP]]
// CHECK-NEXT: %[[NV:.*]] = llvm.load
// CHECK-NEXT: %[[NNV:.*]] = gnn.mul %[[NI]], %[[NV]]
// CHECK-NEXT: %[[MV:.*]] = gnn.mul %[[NNV]], %[[XV]]
// CHECK-NEXT: %[[MWV:.*]] = gnn.mul %[[MV]], %[[W]]
// CHECK-NEXT: arith.addf %{{.*}}, %[[MWV]]
func.func @message_rows(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %n: !gnn.vertex<1xf32>,
                        %w: tensor<4xf32>) -> !gnn.vertex<4xf32> {
  %g1 = gnn.add_self_loops %g : !gnn.graph<as_given> -> !gnn.graph<one_per_vertex>
  %0 = gnn.message_passing %g1 (%x, %n, %w) aggr = add : !gnn.graph<one_per_vertex>, (!gnn.vertex<4xf32>, !gnn.vertex<1xf32>, tensor<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>, %na: !gnn.vertex<1xf32>, %wa: tensor<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    %ni = gnn.get_vertex %na target : !gnn.vertex<1xf32> -> vector<1xf32>
    %nj = gnn.get_vertex %na source : !gnn.vertex<1xf32> -> vector<1xf32>
    %nn = gnn.mul %ni, %nj : vector<1xf32>, vector<1xf32> -> vector<1xf32>
    %m = gnn.mul %nn, %xj : vector<1xf32>, vector<4xf32> -> vector<4xf32>
    %mw = gnn.mul %m, %wa : vector<4xf32>, tensor<4xf32> -> vector<4xf32>
    gnn.yield %mw : vector<4xf32>
  }
  return %0 : !gnn.vertex<4xf32>
}

// -----

// mean: the sum divided by max(count, 1), so a vertex without messages
// stays zero.
// CHECK-LABEL: func.func @message_mean_kernel0(
// CHECK: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<4xf32>
// CHECK: %[[LOOP:.*]]:2 = scf.for %{{.*}} iter_args(%[[ACC:.*]] = %[[ZERO]], %{{.*}} = %{{.*}})
// CHECK: arith.addf %[[ACC]], %{{.*}} fastmath<contract> : vector<4xf32>
// CHECK: {{^ *}}}{{$}}
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1 : i64
// CHECK-NEXT: %[[N:.*]] = arith.maxsi %[[LOOP]]#1, %[[ONE]] : i64
// CHECK-NEXT: %[[NF:.*]] = arith.sitofp %[[N]] : i64 to f32
// CHECK-NEXT: %[[NV:.*]] = vector.broadcast %[[NF]] : f32 to vector<4xf32>
// CHECK-NEXT: %[[MEAN:.*]] = arith.divf %[[LOOP]]#0, %[[NV]] : vector<4xf32>
// CHECK: llvm.store %[[MEAN]]
func.func @message_mean(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  %0 = gnn.message_passing %g (%x) aggr = mean : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  return %0 : !gnn.vertex<4xf32>
}

// -----

// mean on a one_per_vertex graph counts the virtual self loop.
// CHECK-LABEL: func.func @message_mean_loops_kernel0(
// CHECK: %[[LOOP:.*]]:2 = scf.for
// CHECK: scf.if
// CHECK: %[[SUM:.*]] = arith.addf %[[LOOP]]#0, %{{.*}} fastmath<contract> : vector<4xf32>
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1 : i64
// CHECK-NEXT: %[[CNT:.*]] = arith.addi %[[LOOP]]#1, %[[ONE]] : i64
// CHECK-NEXT: %[[ONE2:.*]] = arith.constant 1 : i64
// CHECK-NEXT: %[[N:.*]] = arith.maxsi %[[CNT]], %[[ONE2]] : i64
// CHECK-NEXT: %[[NF:.*]] = arith.sitofp %[[N]] : i64 to f32
// CHECK-NEXT: %[[NV:.*]] = vector.broadcast %[[NF]] : f32 to vector<4xf32>
// CHECK-NEXT: arith.divf %[[SUM]], %[[NV]] : vector<4xf32>
func.func @message_mean_loops(%g: !gnn.graph<one_per_vertex>, %x: !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  %0 = gnn.message_passing %g (%x) aggr = mean : !gnn.graph<one_per_vertex>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  return %0 : !gnn.vertex<4xf32>
}

// -----

// max starts from -inf and combines with maximumf; min from +inf with
// minimumf; a vertex that received no message gets zeros. The state of a
// kernel is flat whatever the row shape: a 2x2 message is combined as the
// vector<4xf32> it was loaded as.
// CHECK-LABEL: func.func @message_max_kernel0(
// CHECK: %[[NEGINF:.*]] = arith.constant dense<0xFF800000> : vector<4xf32>
// CHECK-NEXT: %[[C0:.*]] = arith.constant 0 : i64
// CHECK: %[[LOOP:.*]]:2 = scf.for %{{.*}} iter_args(%[[ACC:.*]] = %[[NEGINF]], %{{.*}} = %[[C0]]) -> (vector<4xf32>, i64)
// CHECK: %[[XJ:.*]] = llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> vector<4xf32>
// CHECK-NEXT: vector.shape_cast %[[XJ]] : vector<4xf32> to vector<2x2xf32>
// CHECK-NEXT: arith.maximumf %[[ACC]], %[[XJ]] : vector<4xf32>
// CHECK: {{^ *}}}{{$}}
// CHECK-NEXT: %[[Z:.*]] = arith.constant 0 : i64
// CHECK-NEXT: %[[NONE:.*]] = arith.cmpi eq, %[[LOOP]]#1, %[[Z]] : i64
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<4xf32>
// CHECK-NEXT: %[[SEL:.*]] = arith.select %[[NONE]], %[[ZERO]], %[[LOOP]]#0 : vector<4xf32>
// CHECK: llvm.store %[[SEL]]
// CHECK-LABEL: func.func @message_min_kernel1(
// CHECK: %[[POSINF:.*]] = arith.constant dense<0x7F800000> : vector<4xf32>
// CHECK: %[[LOOP:.*]]:2 = scf.for %{{.*}} iter_args(%[[ACC:.*]] = %[[POSINF]], %{{.*}} = %{{.*}}) -> (vector<4xf32>, i64)
// CHECK: arith.minimumf %[[ACC]], %{{.*}} : vector<4xf32>
// CHECK: {{^ *}}}{{$}}
// CHECK: %[[NONE:.*]] = arith.cmpi eq, %[[LOOP]]#1, %{{.*}} : i64
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<4xf32>
// CHECK-NEXT: %[[SEL:.*]] = arith.select %[[NONE]], %[[ZERO]], %[[LOOP]]#0 : vector<4xf32>
// CHECK: llvm.store %[[SEL]]
func.func @message_max(%g: !gnn.graph<as_given>, %x: !gnn.vertex<2x2xf32>) -> !gnn.vertex<2x2xf32> {
  %0 = gnn.message_passing %g (%x) aggr = max : !gnn.graph<as_given>, (!gnn.vertex<2x2xf32>) -> !gnn.vertex<2x2xf32> {
  ^bb0(%a: !gnn.vertex<2x2xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<2x2xf32> -> vector<2x2xf32>
    gnn.yield %xj : vector<2x2xf32>
  }
  return %0 : !gnn.vertex<2x2xf32>
}
func.func @message_min(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  %0 = gnn.message_passing %g (%x) aggr = min : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  return %0 : !gnn.vertex<4xf32>
}

// -----

// softmax_add: one pass over the in-edges carrying, per logit, the running
// maximum (from -inf) and sum of exponentials, per result element the
// weighted sum, and the count. Each edge computes d = logit - max. Usually
// no d is positive: the edge adds with weight exp(d). Otherwise the maximum
// moves where d > 0: one exp(-|d|) rescales the sums there (and the edge
// weighs 1) or weighs the edge elsewhere. The per-head factors reach their
// channels by a constant shuffle; products and sums may fuse (contract). A
// vertex with no in-edges gets zeros instead of 0/0. The values are read
// only at sources, the logits at targets too: only the values are
// `source_only`.
// CHECK-LABEL: func.func @softmax_add(
// CHECK-NEXT: gnn.launch @softmax_add_kernel0(%{{.*}}, %{{.*}}, %{{.*}}) gathers [0, 1] source_only [0] {edge_balanced} : <as_given>, !gnn.vertex<2x3xf32>, !gnn.vertex<2xf32> -> !gnn.vertex<2x3xf32>
// CHECK-LABEL: func.func @softmax_add_kernel0(
// CHECK: scf.for %[[V:.*]] = %{{.*}} to %{{.*}} step %{{.*}} : i64 {
// CHECK: %[[AI:.*]] = llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> vector<2xf32>
// CHECK: %[[NEGINF:.*]] = arith.constant dense<0xFF800000> : vector<2xf32>
// CHECK-NEXT: %[[ZL:.*]] = arith.constant dense<0.000000e+00> : vector<2xf32>
// CHECK-NEXT: %[[ZR:.*]] = arith.constant dense<0.000000e+00> : vector<6xf32>
// CHECK-NEXT: %[[C0:.*]] = arith.constant 0 : i64
// CHECK: %[[LOOP:.*]]:4 = scf.for %{{.*}} iter_args(%[[MAX:.*]] = %[[NEGINF]], %[[SUM:.*]] = %[[ZL]], %[[ACC:.*]] = %[[ZR]], %[[CNT:.*]] = %[[C0]]) -> (vector<2xf32>, vector<2xf32>, vector<6xf32>, i64)
// CHECK: %[[XJ:.*]] = llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> vector<6xf32>
// CHECK-NEXT: %[[XJ2:.*]] = vector.shape_cast %[[XJ]] : vector<6xf32> to vector<2x3xf32>
// CHECK: %[[AJ:.*]] = llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> vector<2xf32>
// CHECK-NEXT: %[[L:.*]] = gnn.add %[[AJ]], %[[AI]] : vector<2xf32>, vector<2xf32> -> vector<2xf32>
// CHECK-NEXT: %[[L2:.*]] = gnn.reshape %[[L]] : vector<2xf32> -> vector<2x1xf32>
// CHECK-NEXT: %[[LF:.*]] = vector.shape_cast %[[L2]] : vector<2x1xf32> to vector<2xf32>
// CHECK-NEXT: %[[D:.*]] = arith.subf %[[LF]], %[[MAX]] : vector<2xf32>
// CHECK-NEXT: %[[Z:.*]] = arith.constant dense<0.000000e+00> : vector<2xf32>
// CHECK-NEXT: %[[UP:.*]] = arith.cmpf ogt, %[[D]], %[[Z]] : vector<2xf32>
// CHECK-NEXT: %[[ANY:.*]] = vector.reduction <or>, %[[UP]] : vector<2xi1> into i1
// CHECK-NEXT: %[[STEP:.*]]:3 = scf.if %[[ANY]] -> (vector<2xf32>, vector<2xf32>, vector<6xf32>) {
// CHECK-NEXT: %[[ABS:.*]] = math.absf %[[D]] : vector<2xf32>
// CHECK-NEXT: %[[NEG:.*]] = arith.negf %[[ABS]] : vector<2xf32>
// CHECK-NEXT: %[[E:.*]] = math.exp %[[NEG]] : vector<2xf32>
// CHECK-NEXT: %[[ONE:.*]] = arith.constant dense<1.000000e+00> : vector<2xf32>
// CHECK-NEXT: %[[RESCALE:.*]] = arith.select %[[UP]], %[[E]], %[[ONE]] : vector<2xi1>, vector<2xf32>
// CHECK-NEXT: %[[W:.*]] = arith.select %[[UP]], %[[ONE]], %[[E]] : vector<2xi1>, vector<2xf32>
// CHECK-NEXT: %[[NMAX:.*]] = arith.select %[[UP]], %[[LF]], %[[MAX]] : vector<2xi1>, vector<2xf32>
// CHECK-NEXT: %[[SS:.*]] = arith.mulf %[[SUM]], %[[RESCALE]] fastmath<contract> : vector<2xf32>
// CHECK-NEXT: %[[NSUM:.*]] = arith.addf %[[SS]], %[[W]] fastmath<contract> : vector<2xf32>
// CHECK-NEXT: %[[RR:.*]] = vector.shuffle %[[RESCALE]], %[[RESCALE]] [0, 0, 0, 1, 1, 1] : vector<2xf32>, vector<2xf32>
// CHECK-NEXT: %[[WR:.*]] = vector.shuffle %[[W]], %[[W]] [0, 0, 0, 1, 1, 1] : vector<2xf32>, vector<2xf32>
// CHECK-NEXT: %[[AS:.*]] = arith.mulf %[[ACC]], %[[RR]] fastmath<contract> : vector<6xf32>
// CHECK-NEXT: %[[WX:.*]] = arith.mulf %[[WR]], %[[XJ]] fastmath<contract> : vector<6xf32>
// CHECK-NEXT: %[[NACC:.*]] = arith.addf %[[AS]], %[[WX]] fastmath<contract> : vector<6xf32>
// CHECK-NEXT: scf.yield %[[NMAX]], %[[NSUM]], %[[NACC]] : vector<2xf32>, vector<2xf32>, vector<6xf32>
// CHECK-NEXT: } else {
// CHECK-NEXT: %[[E2:.*]] = math.exp %[[D]] : vector<2xf32>
// CHECK-NEXT: %[[SUM2:.*]] = arith.addf %[[SUM]], %[[E2]] : vector<2xf32>
// CHECK-NEXT: %[[WR2:.*]] = vector.shuffle %[[E2]], %[[E2]] [0, 0, 0, 1, 1, 1] : vector<2xf32>, vector<2xf32>
// CHECK-NEXT: %[[WX2:.*]] = arith.mulf %[[WR2]], %[[XJ]] fastmath<contract> : vector<6xf32>
// CHECK-NEXT: %[[ACC2:.*]] = arith.addf %[[ACC]], %[[WX2]] fastmath<contract> : vector<6xf32>
// CHECK-NEXT: scf.yield %[[MAX]], %[[SUM2]], %[[ACC2]] : vector<2xf32>, vector<2xf32>, vector<6xf32>
// CHECK-NEXT: }
// CHECK-NEXT: %[[INC:.*]] = arith.constant 1 : i64
// CHECK-NEXT: %[[NCNT:.*]] = arith.addi %[[CNT]], %[[INC]] : i64
// CHECK-NEXT: scf.yield %[[STEP]]#0, %[[STEP]]#1, %[[STEP]]#2, %[[NCNT]] : vector<2xf32>, vector<2xf32>, vector<6xf32>, i64
// CHECK-NEXT: }
// CHECK-NEXT: %[[SR:.*]] = vector.shuffle %[[LOOP]]#1, %[[LOOP]]#1 [0, 0, 0, 1, 1, 1] : vector<2xf32>, vector<2xf32>
// CHECK-NEXT: %[[OUT:.*]] = arith.divf %[[LOOP]]#2, %[[SR]] : vector<6xf32>
// CHECK-NEXT: %[[Z0:.*]] = arith.constant 0 : i64
// CHECK-NEXT: %[[NONE:.*]] = arith.cmpi eq, %[[LOOP]]#3, %[[Z0]] : i64
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<6xf32>
// CHECK-NEXT: %[[SEL:.*]] = arith.select %[[NONE]], %[[ZERO]], %[[OUT]] : vector<6xf32>
// CHECK: llvm.store %[[SEL]], %{{.*}} {alignment = 4 : i64} : vector<6xf32>, !llvm.ptr
func.func @softmax_add(%g: !gnn.graph<as_given>, %x: !gnn.vertex<2x3xf32>, %a: !gnn.vertex<2xf32>) -> !gnn.vertex<2x3xf32> {
  %0 = gnn.message_passing %g (%x, %a) aggr = softmax_add : !gnn.graph<as_given>, (!gnn.vertex<2x3xf32>, !gnn.vertex<2xf32>) -> !gnn.vertex<2x3xf32> {
  ^bb0(%xa: !gnn.vertex<2x3xf32>, %aa: !gnn.vertex<2xf32>):
    %xj = gnn.get_vertex %xa source : !gnn.vertex<2x3xf32> -> vector<2x3xf32>
    %aj = gnn.get_vertex %aa source : !gnn.vertex<2xf32> -> vector<2xf32>
    %ai = gnn.get_vertex %aa target : !gnn.vertex<2xf32> -> vector<2xf32>
    %l = gnn.add %aj, %ai : vector<2xf32>, vector<2xf32> -> vector<2xf32>
    %l2 = gnn.reshape %l : vector<2xf32> -> vector<2x1xf32>
    gnn.yield %xj, %l2 : vector<2x3xf32>, vector<2x1xf32>
  }
  return %0 : !gnn.vertex<2x3xf32>
}

// -----

// softmax_add on a one_per_vertex graph: stored self loops are skipped and
// the virtual one is one more step of the same update after the loop; a
// value of another shape than the result (here one row for all heads) is
// broadcast to it; no zero select, since every vertex has its self loop.
// CHECK-LABEL: func.func @softmax_add_loops_kernel0(
// CHECK: %[[LOOP:.*]]:4 = scf.for
// CHECK: scf.if
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [0, 1, 2, 0, 1, 2] : vector<3xf32>, vector<3xf32>
// CHECK: scf.yield
// CHECK: {{^ *}}}{{$}}
// The virtual self loop: v's own rows, the same update.
// CHECK: %[[XV:.*]] = llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> vector<3xf32>
// CHECK: %[[XB:.*]] = vector.shuffle %[[XV]], %[[XV]] [0, 1, 2, 0, 1, 2] : vector<3xf32>, vector<3xf32>
// CHECK: arith.subf %{{.*}}, %[[LOOP]]#0 : vector<2xf32>
// CHECK: %[[LAST:.*]]:3 = scf.if
// CHECK: %[[SUMS:.*]] = vector.shuffle %[[LAST]]#1, %[[LAST]]#1 [0, 0, 0, 1, 1, 1] : vector<2xf32>, vector<2xf32>
// CHECK-NEXT: %[[OUT:.*]] = arith.divf %[[LAST]]#2, %[[SUMS]] : vector<6xf32>
// CHECK-NOT: arith.select
// CHECK: llvm.store %[[OUT]]
func.func @softmax_add_loops(%g: !gnn.graph<one_per_vertex>, %x: !gnn.vertex<3xf32>, %a: !gnn.vertex<2x1xf32>) -> !gnn.vertex<2x3xf32> {
  %0 = gnn.message_passing %g (%x, %a) aggr = softmax_add : !gnn.graph<one_per_vertex>, (!gnn.vertex<3xf32>, !gnn.vertex<2x1xf32>) -> !gnn.vertex<2x3xf32> {
  ^bb0(%xa: !gnn.vertex<3xf32>, %aa: !gnn.vertex<2x1xf32>):
    %xj = gnn.get_vertex %xa source : !gnn.vertex<3xf32> -> vector<3xf32>
    %aj = gnn.get_vertex %aa source : !gnn.vertex<2x1xf32> -> vector<2x1xf32>
    gnn.yield %xj, %aj : vector<3xf32>, vector<2x1xf32>
  }
  return %0 : !gnn.vertex<2x3xf32>
}

// -----

// Degree without self loops: end - start, no edge loop, not edge balanced.
// With one_per_vertex: count the in-edges that are not self loops, from 1.
// CHECK-LABEL: func.func @degree(
// CHECK-SAME: %[[G:.*]]: !gnn.graph<as_given>)
// CHECK-NEXT: %[[D0:.*]] = gnn.launch @degree_kernel0(%[[G]]) : <as_given> -> !gnn.vertex<1xf32>
// CHECK-NEXT: %[[D1:.*]] = gnn.launch @degree_kernel1(%[[G]]) {edge_balanced} : <as_given> -> !gnn.vertex<1xf32>
// CHECK-NEXT: return %[[D0]], %[[D1]]
// CHECK-LABEL: func.func @degree_kernel0(
// CHECK-SAME: %[[LO:.*]]: i64, %[[HI:.*]]: i64, %[[ARGS:.*]]: !llvm.ptr)
// CHECK-NEXT: llvm.getelementptr %[[ARGS]][0]
// CHECK-NEXT: %[[OFFS:.*]] = llvm.load
// CHECK-NEXT: llvm.getelementptr %[[ARGS]][1]
// CHECK-NEXT: llvm.load
// CHECK-NEXT: llvm.getelementptr %[[ARGS]][2]
// CHECK-NEXT: %[[OUT:.*]] = llvm.load
// CHECK-NOT: llvm.getelementptr %[[ARGS]][3]
// CHECK: scf.for %[[V:.*]] = %[[LO]] to %[[HI]] step %{{.*}} : i64 {
// CHECK-NEXT: %[[SA:.*]] = llvm.getelementptr %[[OFFS]][%[[V]]]
// CHECK-NEXT: %[[START:.*]] = llvm.load %[[SA]] : !llvm.ptr -> i64
// CHECK: %[[END:.*]] = llvm.load %{{.*}} : !llvm.ptr -> i64
// CHECK-NEXT: %[[N:.*]] = arith.subi %[[END]], %[[START]] : i64
// CHECK-NEXT: %[[NF:.*]] = arith.sitofp %[[N]] : i64 to f32
// CHECK-NEXT: %[[ROW:.*]] = vector.broadcast %[[NF]] : f32 to vector<1xf32>
// CHECK-NEXT: %[[C1:.*]] = arith.constant 1 : i64
// CHECK-NEXT: %[[OI:.*]] = arith.muli %[[V]], %[[C1]] : i64
// CHECK-NEXT: %[[OA:.*]] = llvm.getelementptr %[[OUT]][%[[OI]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK-NEXT: llvm.store %[[ROW]], %[[OA]] {alignment = 4 : i64} : vector<1xf32>, !llvm.ptr
// CHECK-NEXT: }
// CHECK-NEXT: return
// CHECK-LABEL: func.func @degree_kernel1(
// CHECK-SAME: %{{.*}}: i64, %{{.*}}: i64, %[[ARGS:.*]]: !llvm.ptr)
// CHECK: llvm.getelementptr %[[ARGS]][1]
// CHECK-NEXT: %[[SRCS:.*]] = llvm.load
// CHECK: scf.for %[[V:.*]] = %{{.*}} to %{{.*}} step %{{.*}} : i64 {
// CHECK: %[[START:.*]] = llvm.load %{{.*}} : !llvm.ptr -> i64
// CHECK: %[[END:.*]] = llvm.load %{{.*}} : !llvm.ptr -> i64
// CHECK: %[[INIT:.*]] = arith.constant 1 : i64
// CHECK: %[[N:.*]] = scf.for %[[E:.*]] = %[[START]] to %[[END]] step %{{.*}} iter_args(%[[C:.*]] = %[[INIT]]) -> (i64) : i64 {
// CHECK-NEXT: %[[UA:.*]] = llvm.getelementptr %[[SRCS]][%[[E]]] : (!llvm.ptr, i64) -> !llvm.ptr, i32
// CHECK-NEXT: %[[U32:.*]] = llvm.load %[[UA]] : !llvm.ptr -> i32
// CHECK-NEXT: %[[U:.*]] = arith.extui %[[U32]] : i32 to i64
// CHECK-NEXT: %[[OTHER:.*]] = arith.cmpi ne, %[[U]], %[[V]] : i64
// CHECK-NEXT: %[[INC:.*]] = arith.extui %[[OTHER]] : i1 to i64
// CHECK-NEXT: %[[NEXT:.*]] = arith.addi %[[C]], %[[INC]] : i64
// CHECK-NEXT: scf.yield %[[NEXT]] : i64
// CHECK-NEXT: }
// CHECK-NEXT: %[[NF:.*]] = arith.sitofp %[[N]] : i64 to f32
// CHECK-NEXT: %[[ROW:.*]] = vector.broadcast %[[NF]] : f32 to vector<1xf32>
// CHECK: llvm.store %[[ROW]]
func.func @degree(%g: !gnn.graph<as_given>) -> (!gnn.vertex<1xf32>, !gnn.vertex<1xf32>) {
  %g1 = gnn.add_self_loops %g : !gnn.graph<as_given> -> !gnn.graph<one_per_vertex>
  %d0 = gnn.degree %g : !gnn.graph<as_given> -> !gnn.vertex<1xf32>
  %d1 = gnn.degree %g1 : !gnn.graph<one_per_vertex> -> !gnn.vertex<1xf32>
  return %d0, %d1 : !gnn.vertex<1xf32>, !gnn.vertex<1xf32>
}

// -----

// Degree with stored_plus_one (PyG's add_self_loops): every stored edge
// counts, loops included, plus the added loop: end - start + 1, no edge
// loop.
// CHECK-LABEL: func.func @degree_stored_plus_one_kernel0(
// CHECK-NOT: scf.for %{{.*}} iter_args
// CHECK: %[[N:.*]] = arith.subi %{{.*}}, %{{.*}} : i64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1 : i64
// CHECK-NEXT: %[[N1:.*]] = arith.addi %[[N]], %[[ONE]] : i64
// CHECK-NEXT: %[[NF:.*]] = arith.sitofp %[[N1]] : i64 to f32
func.func @degree_stored_plus_one(%g: !gnn.graph<as_given>) -> !gnn.vertex<1xf32> {
  %g1 = gnn.add_self_loops %g : !gnn.graph<as_given> -> !gnn.graph<stored_plus_one>
  %d = gnn.degree %g1 : !gnn.graph<stored_plus_one> -> !gnn.vertex<1xf32>
  return %d : !gnn.vertex<1xf32>
}

// -----

// The schedule keeps its order and its dense work; each model's kernels
// follow it, numbered in launch order.
// CHECK-LABEL: func.func @first(
// CHECK-NEXT: gnn.launch @first_kernel0
// CHECK-NEXT: gnn.linear
// CHECK-NEXT: gnn.launch @first_kernel1
// CHECK-NEXT: return
// CHECK-NEXT: }
// CHECK-NEXT: func.func @first_kernel0(
// CHECK: func.func @first_kernel1(
// CHECK: func.func @second(
// CHECK-NEXT: gnn.launch @second_kernel2
// CHECK: func.func @second_kernel2(
// An external declaration has nothing to outline.
// CHECK: func.func private @external(!gnn.vertex<4xf32>)
func.func @first(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %w: tensor<4x4xf32>) -> !gnn.vertex<4xf32> {
  %0 = gnn.transform (%x) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>):
    %e = gnn.exp %r : vector<4xf32>
    gnn.yield %e : vector<4xf32>
  }
  %1 = gnn.linear %0, %w : !gnn.vertex<4xf32>, tensor<4x4xf32> -> !gnn.vertex<4xf32>
  %2 = gnn.message_passing %g (%1) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  return %2 : !gnn.vertex<4xf32>
}
func.func @second(%g: !gnn.graph<as_given>) -> !gnn.vertex<1xf32> {
  %d = gnn.degree %g : !gnn.graph<as_given> -> !gnn.vertex<1xf32>
  return %d : !gnn.vertex<1xf32>
}
func.func private @external(!gnn.vertex<4xf32>)

// -----

// A stage launches on the stored graph it names, through add_self_loops,
// not on whichever graph comes first in the signature.
// CHECK-LABEL: func.func @two_graphs(
// CHECK-SAME: %[[G0:[^:]*]]: !gnn.graph<as_given>, %[[G1:[^:]*]]: !gnn.graph<as_given>, %[[X:[^:]*]]: !gnn.vertex<4xf32>)
// CHECK-NEXT: %[[D:.*]] = gnn.launch @two_graphs_kernel0(%[[G1]]) {edge_balanced} : <as_given> -> !gnn.vertex<1xf32>
// CHECK-NEXT: %[[M:.*]] = gnn.launch @two_graphs_kernel1(%[[G1]], %[[X]]) gathers [0] {edge_balanced} : <as_given>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
// CHECK-NEXT: return %[[D]], %[[M]]
func.func @two_graphs(%g0: !gnn.graph<as_given>, %g1: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>)
    -> (!gnn.vertex<1xf32>, !gnn.vertex<4xf32>) {
  %l = gnn.add_self_loops %g1 : !gnn.graph<as_given> -> !gnn.graph<one_per_vertex>
  %d = gnn.degree %l : !gnn.graph<one_per_vertex> -> !gnn.vertex<1xf32>
  %m = gnn.message_passing %l (%x) aggr = add : !gnn.graph<one_per_vertex>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  return %d, %m : !gnn.vertex<1xf32>, !gnn.vertex<4xf32>
}

// -----

// An update region runs after the aggregation (here the mean's division),
// on the row still in registers: the target's row of %x is loaded once per
// vertex, the bias once per kernel, and only the updated row is stored.
// CHECK-LABEL: func.func @update_kernel0(
// CHECK: %[[BIAS:.*]] = llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> vector<4xf32>
// CHECK: scf.for %[[V:.*]] = %{{.*}} to %{{.*}} step
// CHECK: %[[ACC:.*]]:2 = scf.for
// CHECK: scf.yield
// CHECK: %[[MEAN:.*]] = arith.divf %[[ACC]]#0
// CHECK: %[[XI:.*]] = llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> vector<4xf32>
// CHECK: %[[S:.*]] = gnn.add %[[MEAN]], %[[XI]]
// CHECK: %[[Y:.*]] = gnn.add %[[S]], %[[BIAS]]
// CHECK: llvm.store %[[Y]]
// CHECK-NOT: llvm.store
// CHECK: return
func.func @update(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %b: tensor<4xf32>) -> !gnn.vertex<4xf32> {
  %0 = gnn.message_passing %g (%x, %b) aggr = mean : !gnn.graph<as_given>, (!gnn.vertex<4xf32>, tensor<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>, %ba: tensor<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  } update {
  ^bb0(%a: !gnn.vertex<4xf32>, %ba: tensor<4xf32>, %r: vector<4xf32>):
    %xi = gnn.get_vertex %a target : !gnn.vertex<4xf32> -> vector<4xf32>
    %s = gnn.add %r, %xi : vector<4xf32>, vector<4xf32> -> vector<4xf32>
    %y = gnn.add %s, %ba : vector<4xf32>, tensor<4xf32> -> vector<4xf32>
    gnn.yield %y : vector<4xf32>
  }
  return %0 : !gnn.vertex<4xf32>
}

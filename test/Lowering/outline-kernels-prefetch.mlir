// RUN: gnn-opt %s --gnn-outline-kernels | FileCheck %s
// RUN: gnn-opt %s --gnn-outline-kernels="prefetch-distance=4" | FileCheck %s --check-prefix=FOUR
// RUN: gnn-opt %s --gnn-outline-kernels="prefetch-distance=0" | FileCheck %s --check-prefix=NONE
// RUN: not gnn-opt %s --gnn-outline-kernels="prefetch-distance=-2" 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: error: gnn-outline-kernels: prefetch-distance must be -1, 0 or an edge count, not -2

// Message kernels prefetch the source rows of an in-edge ahead (clamped to
// the last in-edge of the kernel's range, offsets[hi] - 1, so no read
// leaves the sources array): one prefetch per 64-byte line of each
// gathered row (24 floats: two lines), none for the target's rows. By
// default 128 lines ahead: 64 edges of two lines each.
// CHECK-LABEL: func.func @gather_kernel0(
// CHECK-SAME: %{{.*}}: i64, %[[HI:.*]]: i64, %{{.*}}: !llvm.ptr)
// CHECK: %[[OFFS:.*]] = llvm.load %{{.*}} : !llvm.ptr -> !llvm.ptr
// CHECK: %[[SRCS:.*]] = llvm.load %{{.*}} : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: llvm.getelementptr
// CHECK-NEXT: %[[X:.*]] = llvm.load %{{.*}} : !llvm.ptr -> !llvm.ptr
// CHECK: %[[EA:.*]] = llvm.getelementptr %[[OFFS]][%[[HI]]] : (!llvm.ptr, i64) -> !llvm.ptr, i64
// CHECK-NEXT: %[[END:.*]] = llvm.load %[[EA]] : !llvm.ptr -> i64
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1 : i64
// CHECK-NEXT: %[[LAST:.*]] = arith.subi %[[END]], %[[ONE]] : i64
// CHECK: scf.for %[[E:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK: arith.extui
// CHECK-NEXT: %[[D:.*]] = arith.constant 64 : i64
// CHECK-NEXT: %[[AHEAD:.*]] = arith.addi %[[E]], %[[D]] : i64
// CHECK-NEXT: %[[CLAMPED:.*]] = arith.minsi %[[AHEAD]], %[[LAST]] : i64
// CHECK-NEXT: %[[UA:.*]] = llvm.getelementptr %[[SRCS]][%[[CLAMPED]]] : (!llvm.ptr, i64) -> !llvm.ptr, i32
// CHECK-NEXT: %[[U32:.*]] = llvm.load %[[UA]] : !llvm.ptr -> i32
// CHECK-NEXT: %[[U:.*]] = arith.extui %[[U32]] : i32 to i64
// CHECK-NEXT: %[[N:.*]] = arith.constant 24 : i64
// CHECK-NEXT: %[[FIRST:.*]] = arith.muli %[[U]], %[[N]] : i64
// CHECK-NEXT: %[[Z:.*]] = arith.constant 0 : i64
// CHECK-NEXT: %[[I0:.*]] = arith.addi %[[FIRST]], %[[Z]] : i64
// CHECK-NEXT: %[[P0:.*]] = llvm.getelementptr %[[X]][%[[I0]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK-NEXT: "llvm.intr.prefetch"(%[[P0]]) <{cache = 1 : i32, hint = 3 : i32, rw = 0 : i32}> : (!llvm.ptr) -> ()
// CHECK-NEXT: %[[L1:.*]] = arith.constant 16 : i64
// CHECK-NEXT: %[[I1:.*]] = arith.addi %[[FIRST]], %[[L1]] : i64
// CHECK-NEXT: %[[P1:.*]] = llvm.getelementptr %[[X]][%[[I1]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK-NEXT: "llvm.intr.prefetch"(%[[P1]])
// CHECK-NOT: llvm.intr.prefetch
// CHECK: scf.yield
// FOUR: arith.constant 4 : i64
// FOUR-NEXT: arith.addi
// FOUR-NEXT: arith.minsi
// NONE-NOT: prefetch
// NONE-NOT: arith.minsi
func.func @gather(%g: !gnn.graph<as_given>, %x: !gnn.vertex<24xf32>, %y: !gnn.vertex<24xf32>) -> !gnn.vertex<24xf32> {
  %0 = gnn.message_passing %g (%x, %y) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<24xf32>, !gnn.vertex<24xf32>) -> !gnn.vertex<24xf32> {
  ^bb0(%a: !gnn.vertex<24xf32>, %b: !gnn.vertex<24xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<24xf32> -> vector<24xf32>
    %yi = gnn.get_vertex %b target : !gnn.vertex<24xf32> -> vector<24xf32>
    %m = gnn.mul %xj, %yi : vector<24xf32>, vector<24xf32> -> vector<24xf32>
    gnn.yield %m : vector<24xf32>
  }
  return %0 : !gnn.vertex<24xf32>
}

// A message that reads only slices of a source row prefetches only the
// lines from the first float a slice takes to the last (LLVM narrows the
// loads alike): here floats [16, 32) of a 48-float row, one line, so the
// default distance is 128 edges.
// CHECK-LABEL: func.func @half_kernel1(
// CHECK: scf.for
// CHECK: arith.constant 128 : i64
// CHECK: %[[HN:.*]] = arith.constant 48 : i64
// CHECK-NEXT: %[[HFIRST:.*]] = arith.muli %{{.*}}, %[[HN]] : i64
// CHECK-NEXT: %[[H16:.*]] = arith.constant 16 : i64
// CHECK-NEXT: %[[HI0:.*]] = arith.addi %[[HFIRST]], %[[H16]] : i64
// CHECK-NEXT: %[[HP0:.*]] = llvm.getelementptr %{{.*}}[%[[HI0]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK-NEXT: "llvm.intr.prefetch"(%[[HP0]])
// CHECK-NOT: llvm.intr.prefetch
// CHECK: scf.yield
func.func @half(%g: !gnn.graph<as_given>, %x: !gnn.vertex<48xf32>) -> !gnn.vertex<16xf32> {
  %0 = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<48xf32>) -> !gnn.vertex<16xf32> {
  ^bb0(%a: !gnn.vertex<48xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<48xf32> -> vector<48xf32>
    %h = gnn.slice %xj offsets = [16] strides = [1] : vector<48xf32> -> vector<16xf32>
    gnn.yield %h : vector<16xf32>
  }
  return %0 : !gnn.vertex<16xf32>
}

// Slices of two reads of the same tensor span floats [0, 32): two lines,
// 64 edges ahead. A whole-row read besides a slice keeps all lines.
// CHECK-LABEL: func.func @two_slices_kernel2(
// CHECK: scf.for
// CHECK: arith.constant 64 : i64
// CHECK: %[[TN:.*]] = arith.constant 48 : i64
// CHECK-NEXT: %[[TFIRST:.*]] = arith.muli %{{.*}}, %[[TN]] : i64
// CHECK-NEXT: %[[T0:.*]] = arith.constant 0 : i64
// CHECK-NEXT: arith.addi %[[TFIRST]], %[[T0]] : i64
// CHECK-NEXT: llvm.getelementptr
// CHECK-NEXT: "llvm.intr.prefetch"
// CHECK-NEXT: %[[T16:.*]] = arith.constant 16 : i64
// CHECK-NEXT: arith.addi %[[TFIRST]], %[[T16]] : i64
// CHECK-NEXT: llvm.getelementptr
// CHECK-NEXT: "llvm.intr.prefetch"
// CHECK-NOT: llvm.intr.prefetch
// CHECK: scf.yield
// CHECK-LABEL: func.func @slice_and_row_kernel3(
// CHECK: scf.for
// CHECK: arith.constant 42 : i64
// CHECK-COUNT-3: "llvm.intr.prefetch"
// CHECK-NOT: llvm.intr.prefetch
// CHECK: scf.yield
func.func @two_slices(%g: !gnn.graph<as_given>, %x: !gnn.vertex<48xf32>) -> !gnn.vertex<8xf32> {
  %0 = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<48xf32>) -> !gnn.vertex<8xf32> {
  ^bb0(%a: !gnn.vertex<48xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<48xf32> -> vector<48xf32>
    %l = gnn.slice %xj offsets = [0] strides = [1] : vector<48xf32> -> vector<8xf32>
    %xj2 = gnn.get_vertex %a source : !gnn.vertex<48xf32> -> vector<48xf32>
    %r = gnn.slice %xj2 offsets = [24] strides = [1] : vector<48xf32> -> vector<8xf32>
    %m = gnn.mul %l, %r : vector<8xf32>, vector<8xf32> -> vector<8xf32>
    gnn.yield %m : vector<8xf32>
  }
  return %0 : !gnn.vertex<8xf32>
}

func.func @slice_and_row(%g: !gnn.graph<as_given>, %x: !gnn.vertex<48xf32>) -> !gnn.vertex<48xf32> {
  %0 = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<48xf32>) -> !gnn.vertex<48xf32> {
  ^bb0(%a: !gnn.vertex<48xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<48xf32> -> vector<48xf32>
    %s = gnn.slice %xj offsets = [0] strides = [1] : vector<48xf32> -> vector<1xf32>
    %m = gnn.mul %s, %xj : vector<1xf32>, vector<48xf32> -> vector<48xf32>
    gnn.yield %m : vector<48xf32>
  }
  return %0 : !gnn.vertex<48xf32>
}

// RUN: gnn-opt %s -split-input-file --gnn-outline-kernels="prefetch-distance=0 push-kernels=1 gather-budget=-1" | FileCheck %s
// RUN: gnn-opt %s -split-input-file --gnn-outline-kernels="prefetch-distance=0 push-kernels=1 gather-budget=65536" | FileCheck %s --check-prefix=BLOCKED
// RUN: not gnn-opt %s -split-input-file --gnn-outline-kernels="push-kernels=1 gather-budget=-2" 2>&1 | FileCheck %s --check-prefix=BADBUDGET
// BADBUDGET: error: gnn-outline-kernels: gather-budget must be -1, 0 or a byte count, not -2
// RUN: gnn-opt %s -split-input-file --gnn-outline-kernels="prefetch-distance=0" | FileCheck %s --check-prefix=NOPUSH

// With push-kernels, a message stage also becomes the partial and finish
// kernels of its push form, which the launch names with the state's
// shape; inputs read at targets are listed. A mean's state row is the
// accumulator (4 floats) and the count's i32 bits: 5 floats.
// CHECK-LABEL: func.func @message_mean(
// CHECK-NEXT: gnn.launch @message_mean_kernel0(%arg0, %arg1) gathers [0] push(@message_mean_kernel0_partial, @message_mean_kernel0_finish, aggr = mean, accumulator = [4], logits = []) target_reads [0] {edge_balanced}
// NOPUSH-LABEL: func.func @message_mean(
// NOPUSH-NEXT: gnn.launch @message_mean_kernel0(%arg0, %arg1) gathers [0] {edge_balanced}
// NOPUSH-NOT: _partial
// NOPUSH-NOT: _finish
// NOPUSH-NOT: _fold

// With a gather budget (not -1), also the blocked form's two kernels
// (gather blocking): fold loads each target's state row from its result,
// folds the in-edges into it and stores it back; fold_finish loads it from
// the argument before the result (as finish does), folds the in-edges,
// then finishes like the whole kernel.
// BLOCKED-LABEL: func.func @message_mean(
// BLOCKED-NEXT: gnn.launch @message_mean_kernel0(%arg0, %arg1) gathers [0] push(@message_mean_kernel0_partial, @message_mean_kernel0_finish, aggr = mean, accumulator = [4], logits = []) target_reads [0] blocked(@message_mean_kernel0_fold, @message_mean_kernel0_fold_finish, budget = 65536) {edge_balanced}
// BLOCKED-LABEL: func.func @message_mean_kernel0_fold(
// BLOCKED: llvm.getelementptr %{{.*}}[3] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// BLOCKED-NEXT: %[[STATE:.*]] = llvm.load %{{.*}} : !llvm.ptr -> !llvm.ptr
// BLOCKED: scf.for %[[V:.*]] = %{{.*}} to %{{.*}} step %{{.*}} : i64 {
// The state row v * 5 loaded (after the target row): accumulator, then the
// count's bits.
// BLOCKED: %[[C5:.*]] = arith.constant 5 : i64
// BLOCKED-NEXT: arith.muli %[[V]], %[[C5]] : i64
// BLOCKED: %[[ACCIN:.*]] = llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> vector<4xf32>
// BLOCKED: %[[BITSIN:.*]] = llvm.load %{{.*}} : !llvm.ptr -> i32
// BLOCKED-NEXT: %[[COUNTIN:.*]] = arith.extsi %[[BITSIN]] : i32 to i64
// It starts the edge loop.
// BLOCKED: %[[FOLDED:.*]]:2 = scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %[[ACCIN]], %{{.*}} = %[[COUNTIN]])
// BLOCKED-NOT: arith.divf
// BLOCKED: llvm.store %[[FOLDED]]#0, %{{.*}} {alignment = 4 : i64} : vector<4xf32>, !llvm.ptr
// BLOCKED: llvm.store %{{.*}}, %{{.*}} {alignment = 4 : i64} : i32, !llvm.ptr
// BLOCKED-NEXT: }
// BLOCKED-NEXT: return
// BLOCKED-LABEL: func.func @message_mean_kernel0_fold_finish(
// BLOCKED: llvm.getelementptr %{{.*}}[3] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// BLOCKED-NEXT: llvm.load
// BLOCKED-NEXT: llvm.getelementptr %{{.*}}[4] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// BLOCKED-NEXT: llvm.load
// BLOCKED: %[[C5F:.*]] = arith.constant 5 : i64
// BLOCKED-NEXT: arith.muli %{{.*}}, %[[C5F]] : i64
// BLOCKED: %[[ACCF:.*]] = llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> vector<4xf32>
// BLOCKED: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %[[ACCF]], %{{.*}} = %{{.*}})
// BLOCKED: arith.divf
// BLOCKED: llvm.store %{{.*}}, %{{.*}} {alignment = 4 : i64} : vector<4xf32>, !llvm.ptr

// The whole kernel comes first, unchanged.
// CHECK-LABEL: func.func @message_mean_kernel0(
// The partial kernel: the same edge loop (stored self loops skipped, no
// virtual loop, no division), then the state stored at v * 5.
// CHECK-LABEL: func.func @message_mean_kernel0_partial(
// CHECK: llvm.getelementptr %{{.*}}[3] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %[[STATE:.*]] = llvm.load %{{.*}} : !llvm.ptr -> !llvm.ptr
// CHECK: scf.for %[[V:.*]] = %{{.*}} to %{{.*}} step %{{.*}} : i64 {
// CHECK: %[[LOOP:.*]]:2 = scf.for
// CHECK: arith.cmpi eq
// CHECK: gnn.sub
// CHECK-NOT: arith.divf
// CHECK: %[[C5:.*]] = arith.constant 5 : i64
// CHECK-NEXT: %[[ROW:.*]] = arith.muli %[[V]], %[[C5]] : i64
// CHECK-NEXT: %[[C0:.*]] = arith.constant 0 : i64
// CHECK-NEXT: %[[AT:.*]] = arith.addi %[[ROW]], %[[C0]] : i64
// CHECK-NEXT: %[[ACCP:.*]] = llvm.getelementptr %[[STATE]][%[[AT]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK-NEXT: llvm.store %[[LOOP]]#0, %[[ACCP]] {alignment = 4 : i64} : vector<4xf32>, !llvm.ptr
// CHECK-NEXT: %[[N:.*]] = arith.trunci %[[LOOP]]#1 : i64 to i32
// CHECK: %[[C4:.*]] = arith.constant 4 : i64
// CHECK-NEXT: %[[CAT:.*]] = arith.addi %{{.*}}, %[[C4]] : i64
// CHECK-NEXT: %[[CP:.*]] = llvm.getelementptr %[[STATE]][%[[CAT]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK-NEXT: llvm.store %[[N]], %[[CP]] {alignment = 4 : i64} : i32, !llvm.ptr
// CHECK-NEXT: }
// CHECK-NEXT: return
// The finish kernel: args [offsets, sources, x, states, result]; the state
// row loaded, the virtual self loop (x_j - x_i of v itself) added, the
// count one more, the mean taken.
// CHECK-LABEL: func.func @message_mean_kernel0_finish(
// CHECK: llvm.getelementptr %{{.*}}[3] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %[[ST:.*]] = llvm.load
// CHECK-NEXT: llvm.getelementptr %{{.*}}[4] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %[[OUT:.*]] = llvm.load
// CHECK: scf.for
// CHECK-NOT: scf.for
// The target row x_i, then the state's accumulator and count.
// CHECK: llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> vector<4xf32>
// CHECK: %[[ACC:.*]] = llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> vector<4xf32>
// CHECK: %[[BITS:.*]] = llvm.load %{{.*}} : !llvm.ptr -> i32
// CHECK-NEXT: %[[COUNT:.*]] = arith.extsi %[[BITS]] : i32 to i64
// CHECK: %[[LOOPMSG:.*]] = gnn.sub
// CHECK-NEXT: %[[SUM:.*]] = arith.addf %[[ACC]], %[[LOOPMSG]]
// CHECK: arith.addi %[[COUNT]]
// CHECK: arith.divf
// CHECK: llvm.store %{{.*}}, %{{.*}} {alignment = 4 : i64} : vector<4xf32>, !llvm.ptr
func.func @message_mean(%g: !gnn.graph<one_per_vertex>, %x: !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  %0 = gnn.message_passing %g (%x) aggr = mean : !gnn.graph<one_per_vertex>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    %xi = gnn.get_vertex %a target : !gnn.vertex<4xf32> -> vector<4xf32>
    %n = gnn.sub %xj, %xi : vector<4xf32>, vector<4xf32> -> vector<4xf32>
    gnn.yield %n : vector<4xf32>
  }
  return %0 : !gnn.vertex<4xf32>
}

// -----

// An add stores no count: the state row is the accumulator alone.
// CHECK-LABEL: func.func @message_add(
// CHECK-NEXT: gnn.launch @message_add_kernel0(%arg0, %arg1) gathers [0] source_only [0] push(@message_add_kernel0_partial, @message_add_kernel0_finish, aggr = add, accumulator = [4], logits = []) {edge_balanced}
// CHECK-LABEL: func.func @message_add_kernel0_partial(
// CHECK-NOT: i32, !llvm.ptr
// CHECK: arith.constant 4 : i64
// CHECK: llvm.store %{{.*}} : vector<4xf32>, !llvm.ptr
// CHECK-NOT: llvm.store
// CHECK-LABEL: func.func @message_add_kernel0_finish(
func.func @message_add(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  %0 = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  return %0 : !gnn.vertex<4xf32>
}

// -----

// An online softmax's state: the accumulator (2 heads x 2), then the
// running maxima and sums per head (2 + 2), then the count: 9 floats.
// CHECK-LABEL: func.func @attention(
// CHECK-NEXT: gnn.launch @attention_kernel0(%arg0, %arg1, %arg2) gathers [0] source_only [0] push(@attention_kernel0_partial, @attention_kernel0_finish, aggr = softmax_add, accumulator = [2, 2], logits = [2, 1]) target_reads [1] {edge_balanced}
// CHECK-LABEL: func.func @attention_kernel0_partial(
// CHECK: arith.constant 9 : i64
// CHECK: llvm.store %{{.*}} : vector<4xf32>, !llvm.ptr
// CHECK: arith.constant 4 : i64
// CHECK: llvm.store %{{.*}} : vector<2xf32>, !llvm.ptr
// CHECK: arith.constant 6 : i64
// CHECK: llvm.store %{{.*}} : vector<2xf32>, !llvm.ptr
// CHECK: arith.constant 8 : i64
// CHECK: llvm.store %{{.*}} : i32, !llvm.ptr
func.func @attention(%g: !gnn.graph<as_given>, %x: !gnn.vertex<2x2xf32>, %a: !gnn.vertex<2x1xf32>) -> !gnn.vertex<2x2xf32> {
  %0 = gnn.message_passing %g (%x, %a) aggr = softmax_add : !gnn.graph<as_given>, (!gnn.vertex<2x2xf32>, !gnn.vertex<2x1xf32>) -> !gnn.vertex<2x2xf32> {
  ^bb0(%t: !gnn.vertex<2x2xf32>, %u: !gnn.vertex<2x1xf32>):
    %xj = gnn.get_vertex %t source : !gnn.vertex<2x2xf32> -> vector<2x2xf32>
    %ai = gnn.get_vertex %u target : !gnn.vertex<2x1xf32> -> vector<2x1xf32>
    gnn.yield %xj, %ai : vector<2x2xf32>, vector<2x1xf32>
  }
  return %0 : !gnn.vertex<2x2xf32>
}

// -----

// A message that reads edge rows has no push form.
// CHECK-LABEL: func.func @edge_message(
// CHECK-NEXT: gnn.launch @edge_message_kernel0(%arg0, %arg1, %arg2) gathers [0] source_only [0] {edge_balanced}
// CHECK-NOT: _partial
func.func @edge_message(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %e: !gnn.edge<4xf32>) -> !gnn.vertex<4xf32> {
  %0 = gnn.message_passing %g (%x, %e) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>, !gnn.edge<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%t: !gnn.vertex<4xf32>, %f: !gnn.edge<4xf32>):
    %xj = gnn.get_vertex %t source : !gnn.vertex<4xf32> -> vector<4xf32>
    %ef = gnn.get_edge %f : !gnn.edge<4xf32> -> vector<4xf32>
    %m = gnn.mul %xj, %ef : vector<4xf32>, vector<4xf32> -> vector<4xf32>
    gnn.yield %m : vector<4xf32>
  }
  return %0 : !gnn.vertex<4xf32>
}

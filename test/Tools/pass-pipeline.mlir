// Textual pass pipelines in gnn-opt (MlirOptMain's --pass-pipeline) with the
// gnn passes and the registered pipelines.
//
// The registered pipeline gnn-to-stages is the same as its passes spelled
// out; function passes nest under func.func.
// RUN: gnn-opt %s --gnn-to-stages > %t.flag.mlir
// RUN: gnn-opt %s --pass-pipeline='builtin.module(gnn-to-stages)' > %t.named.mlir
// RUN: gnn-opt %s --pass-pipeline='builtin.module(cse,func.func(gnn-decompose,gnn-fuse-transforms,gnn-fuse-update,gnn-factor-messages,gnn-linear-before-aggregation,gnn-fuse-update,gnn-fuse-dense-epilogue),canonicalize)' > %t.text.mlir
// RUN: diff %t.flag.mlir %t.named.mlir
// RUN: diff %t.flag.mlir %t.text.mlir
// RUN: FileCheck %s --check-prefix=STAGES < %t.text.mlir
// STAGES-LABEL: func.func @layer(
// STAGES: gnn.transform
// STAGES: gnn.linear
// STAGES: gnn.message_passing
// STAGES: } update {
// STAGES-NOT: gnn.transform
// STAGES: return
//
// What a pipeline expands to: --dump-pass-pipeline.
// RUN: gnn-opt %s --pass-pipeline='builtin.module(gnn-to-kernels)' \
// RUN:   --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=DUMP
// DUMP: builtin.module(
// DUMP-SAME: func.func(gnn-decompose)
// DUMP-SAME: func.func(gnn-fuse-transforms)
// DUMP-SAME: func.func(gnn-fuse-update)
// DUMP-SAME: func.func(gnn-factor-messages)
// DUMP-SAME: gnn-outline-kernels
// DUMP-SAME: gnn-lower-elementwise
//
// A pipeline can stop anywhere and continue with any registered pass: here
// up to the outlined kernels, then to LLVM, in one invocation.
// RUN: gnn-opt %s --pass-pipeline='builtin.module(gnn-to-kernels,gnn-kernels-to-llvm)' \
// RUN:   | FileCheck %s --check-prefix=LLVM
// LLVM-LABEL: llvm.func @layer_kernel0(
// LLVM-NOT: scf.for
// LLVM-NOT: vector.broadcast
//
// Single passes, anchored where they run.
// RUN: gnn-opt %s --pass-pipeline='builtin.module(func.func(gnn-decompose))' \
// RUN:   | FileCheck %s --check-prefix=DECOMPOSE
// DECOMPOSE-LABEL: func.func @layer(
// DECOMPOSE-COUNT-3: gnn.transform
// DECOMPOSE-NOT: gnn.transform
//
// Mistakes are reported with the pipeline text.
// RUN: not gnn-opt %s --pass-pipeline='builtin.module(gnn-decompose)' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NEST
// NEST: error: Can't add pass 'GNNDecompose' restricted to 'func.func' on a PassManager intended to run on 'builtin.module', did you intend to nest?
// RUN: not gnn-opt %s --pass-pipeline='builtin.module(func.func(gnn-bogus))' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: error: 'gnn-bogus' does not refer to a registered pass or pass pipeline

// One GCN layer: D^-1/2 (A + I) D^-1/2 X W^T + b, then relu.
func.func @layer(%g: !gnn.graph<as_given>, %x: !gnn.vertex<8xf32>,
                 %w: tensor<4x8xf32> {gnn.param = "lin.weight"},
                 %b: tensor<4xf32> {gnn.param = "bias"}) -> !gnn.vertex<4xf32> {
  %g1 = gnn.add_self_loops %g : !gnn.graph<as_given> -> !gnn.graph<one_per_vertex>
  %deg = gnn.degree %g1 : !gnn.graph<one_per_vertex> -> !gnn.vertex<1xf32>
  %c = arith.constant -5.000000e-01 : f32
  %norm = gnn.pow %deg, %c : !gnn.vertex<1xf32>, f32 -> !gnn.vertex<1xf32>
  %h = gnn.linear %x, %w : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %m = gnn.message_passing %g1 (%h, %norm) aggr = add : !gnn.graph<one_per_vertex>, (!gnn.vertex<4xf32>, !gnn.vertex<1xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>, %n: !gnn.vertex<1xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    %ni = gnn.get_vertex %n target : !gnn.vertex<1xf32> -> vector<1xf32>
    %nj = gnn.get_vertex %n source : !gnn.vertex<1xf32> -> vector<1xf32>
    %nn = gnn.mul %ni, %nj : vector<1xf32>, vector<1xf32> -> vector<1xf32>
    %msg = gnn.mul %nn, %xj : vector<1xf32>, vector<4xf32> -> vector<4xf32>
    gnn.yield %msg : vector<4xf32>
  }
  %o = gnn.add %m, %b : !gnn.vertex<4xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
  %r = gnn.relu %o : !gnn.vertex<4xf32>
  return %r : !gnn.vertex<4xf32>
}

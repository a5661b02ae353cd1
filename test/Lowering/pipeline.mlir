// The registered pipelines on graph-level models (docs/gcn-graph-level.mlir).
// RUN: gnn-opt %s -split-input-file --gnn-to-stages | FileCheck %s --check-prefix=STAGES
// RUN: gnn-opt %s -split-input-file --gnn-to-kernels | FileCheck %s --check-prefix=KERNELS
// RUN: gnn-opt %s -split-input-file --gnn-to-kernels | FileCheck %s --check-prefix=NOGNN

// GCNConv: D^-1/2 (A + I) D^-1/2 X W^T + b, then relu.
//
// Stages: the normalisation becomes a transform; norm_i leaves the
// message and scales the sum once per target; norm_j scales the linear's
// rows after its matmul, so each edge gathers one row; the epilogue (add
// and relu) joins the update; the dead top-level constant is gone.
// STAGES-LABEL: func.func @gcn(
// STAGES-SAME: %[[G:[^:]*]]: !gnn.graph<as_given>, %[[X:[^:]*]]: !gnn.vertex<8xf32>, %[[W:[^:]*]]: tensor<4x8xf32> {gnn.param = "conv1.lin.weight"}, %[[B:[^:]*]]: tensor<4xf32> {gnn.param = "conv1.bias"})
// STAGES-NEXT: %[[G1:.*]] = gnn.add_self_loops %[[G]] : <as_given> -> <one_per_vertex>
// STAGES-NEXT: %[[DEG:.*]] = gnn.degree %[[G1]] : <one_per_vertex> -> <1xf32>
// STAGES-NEXT: %[[NORM:.*]] = gnn.transform(%[[DEG]]) : (!gnn.vertex<1xf32>) -> !gnn.vertex<1xf32> {
// STAGES-NEXT: ^bb0(%[[D:.*]]: vector<1xf32>):
// STAGES-NEXT: %[[C:.*]] = arith.constant -5.000000e-01 : f32
// STAGES-NEXT: %[[P:.*]] = gnn.pow %[[D]], %[[C]] : vector<1xf32>, f32 -> vector<1xf32>
// STAGES-NEXT: gnn.yield %[[P]] : vector<1xf32>
// STAGES-NEXT: }
// STAGES-NEXT: %[[H:.*]] = gnn.linear %[[X]], %[[W]] scale(%[[NORM]] : !gnn.vertex<1xf32>) : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
// STAGES-NEXT: %[[M:.*]] = gnn.message_passing %[[G1]](%[[NORM]], %[[B]], %[[H]]) aggr = add : <one_per_vertex>, (!gnn.vertex<1xf32>, tensor<4xf32>, !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
// STAGES-NEXT: ^bb0(%[[NA:.*]]: !gnn.vertex<1xf32>, %{{.*}}: tensor<4xf32>, %[[HA:.*]]: !gnn.vertex<4xf32>):
// STAGES-NEXT: %[[XJ:.*]] = gnn.get_vertex %[[HA]] source
// STAGES-NEXT: gnn.yield %[[XJ]] : vector<4xf32>
// STAGES-NEXT: } update {
// STAGES-NEXT: ^bb0(%[[UN:.*]]: !gnn.vertex<1xf32>, %[[BR:.*]]: tensor<4xf32>, %{{.*}}: !gnn.vertex<4xf32>, %[[R:.*]]: vector<4xf32>):
// STAGES-NEXT: %[[NI:.*]] = gnn.get_vertex %[[UN]] target
// STAGES-NEXT: %[[RN:.*]] = gnn.mul %[[R]], %[[NI]]
// STAGES-NEXT: %[[S:.*]] = gnn.add %[[RN]], %[[BR]] : vector<4xf32>, tensor<4xf32> -> vector<4xf32>
// STAGES-NEXT: %[[Y:.*]] = gnn.relu %[[S]] : vector<4xf32>
// STAGES-NEXT: gnn.yield %[[Y]] : vector<4xf32>
// STAGES-NEXT: }
// STAGES-NEXT: return %[[M]] : !gnn.vertex<4xf32>
// STAGES-NEXT: }
//
// Kernels: the schedule is launches and the dense matmul; the graph with
// self loops exists only inside the kernels; kernels hold no gnn ops.
// KERNELS-LABEL: func.func @gcn(
// KERNELS-SAME: %[[G:[^:]*]]: !gnn.graph<as_given>, %[[X:[^:]*]]: !gnn.vertex<8xf32>, %[[W:[^:]*]]: tensor<4x8xf32> {gnn.param = "conv1.lin.weight"}, %[[B:[^:]*]]: tensor<4xf32> {gnn.param = "conv1.bias"})
// KERNELS-NEXT: %[[DEG:.*]] = gnn.launch @gcn_kernel0(%[[G]]) {edge_balanced} : <as_given> -> !gnn.vertex<1xf32>
// KERNELS-NEXT: %[[NORM:.*]] = gnn.launch @gcn_kernel1(%[[G]], %[[DEG]]) : <as_given>, !gnn.vertex<1xf32> -> !gnn.vertex<1xf32>
// KERNELS-NEXT: %[[H:.*]] = gnn.linear %[[X]], %[[W]] scale(%[[NORM]] : !gnn.vertex<1xf32>) : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
// KERNELS-NEXT: %[[OUT:.*]] = gnn.launch @gcn_kernel2(%[[G]], %[[NORM]], %[[B]], %[[H]]) gathers [2] push(@gcn_kernel2_partial, @gcn_kernel2_finish, aggr = add, accumulator = [4], logits = []) blocked(@gcn_kernel2_fold, @gcn_kernel2_fold_finish, budget = 0) {edge_balanced} : <as_given>, !gnn.vertex<1xf32>, tensor<4xf32>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
// KERNELS-NEXT: return %[[OUT]] : !gnn.vertex<4xf32>
// KERNELS-NEXT: }
// The degree of A + I: in-edges that are not self loops, plus one.
// KERNELS-LABEL: func.func @gcn_kernel0(
// KERNELS: scf.for
// KERNELS: scf.for {{.*}} iter_args(%{{.*}} = %[[ONE:[^)]*]]) -> (i64)
// KERNELS: arith.cmpi ne
// KERNELS: arith.sitofp
// KERNELS: llvm.store {{.*}} : vector<1xf32>, !llvm.ptr
// deg^-1/2
// KERNELS-LABEL: func.func @gcn_kernel1(
// KERNELS-NOT: math.powf
// KERNELS: %[[SQRT:.*]] = math.sqrt %{{.*}} : vector<1xf32>
// KERNELS-NEXT: arith.divf %{{.*}}, %[[SQRT]] : vector<1xf32>
// The normalised aggregation with the virtual self loop: each edge adds
// the gathered row, which the linear scaled by norm_j already.
// KERNELS-LABEL: func.func @gcn_kernel2(
// KERNELS: %[[BIAS:.*]] = llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> vector<4xf32>
// KERNELS: scf.for
// KERNELS: scf.if
// KERNELS: } else {
// KERNELS-NEXT: arith.muli
// KERNELS-NEXT: llvm.getelementptr
// KERNELS-NEXT: %[[HJ:.*]] = llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> vector<4xf32>
// KERNELS-NEXT: arith.addf %{{.*}}, %[[HJ]] fastmath<contract> : vector<4xf32>
// The virtual self loop (the target's own scaled row), then the update:
// norm_i, bias and relu on the aggregated row, stored once.
// KERNELS: %[[SELF:.*]] = arith.addf %{{.*}}, %{{.*}} fastmath<contract> : vector<4xf32>
// KERNELS: %[[NI:.*]] = vector.broadcast %{{.*}} : vector<1xf32> to vector<4xf32>
// KERNELS-NEXT: %[[SN:.*]] = arith.mulf %[[SELF]], %[[NI]] fastmath<contract> : vector<4xf32>
// KERNELS-NEXT: %[[S:.*]] = arith.addf %[[SN]], %[[BIAS]] fastmath<contract> : vector<4xf32>
// KERNELS-NEXT: %[[Y:.*]] = arith.maximumf %[[S]], %{{.*}} : vector<4xf32>
// KERNELS-NEXT: llvm.getelementptr
// KERNELS-NEXT: llvm.store %[[Y]]
// Nothing of the gnn dialect is left in any kernel (its attributes may be).
// NOGNN-LABEL: func.func @gcn_kernel0(
// NOGNN-NOT: {{ gnn\.[a-z_]+ [^=]}}
// NOGNN: func.func @sage(
func.func @gcn(%g: !gnn.graph<as_given>, %x: !gnn.vertex<8xf32>,
               %w: tensor<4x8xf32> {gnn.param = "conv1.lin.weight"},
               %b: tensor<4xf32> {gnn.param = "conv1.bias"}) -> !gnn.vertex<4xf32> {
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

// -----

// SAGEConv (mean): lin_l narrows the rows, so it moves before the mean
// (gnn-linear-before-aggregation) and the stage averages 4-wide rows; its
// bias, the sum with lin_r(x) and elu become the stage's update: two
// matmuls and one message kernel, no transform.
// STAGES-LABEL: func.func @sage(
// STAGES-SAME: %[[G:[^:]*]]: !gnn.graph<as_given>, %[[X:[^:]*]]: !gnn.vertex<8xf32>
// STAGES-NEXT: %[[L:.*]] = gnn.linear %[[X]], %{{.*}} : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
// STAGES-NEXT: %[[R:.*]] = gnn.linear %[[X]], %{{.*}} : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
// STAGES-NEXT: %[[M:.*]] = gnn.message_passing %[[G]](%[[L]], %{{.*}}, %[[R]]) aggr = mean : <as_given>, (!gnn.vertex<4xf32>, tensor<4xf32>, !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
// STAGES: } update {
// STAGES-NEXT: ^bb0(%{{.*}}: !gnn.vertex<4xf32>, %[[B:.*]]: tensor<4xf32>, %[[RA:.*]]: !gnn.vertex<4xf32>, %[[AGG:.*]]: vector<4xf32>):
// STAGES-NEXT: %[[S:.*]] = gnn.add %[[AGG]], %[[B]]
// STAGES-NEXT: %[[RI:.*]] = gnn.get_vertex %[[RA]] target
// STAGES-NEXT: %[[T:.*]] = gnn.add %[[S]], %[[RI]]
// STAGES-NEXT: %[[E:.*]] = gnn.elu %[[T]]
// STAGES-NEXT: gnn.yield %[[E]]
// STAGES-NEXT: }
// STAGES-NEXT: return %[[M]]
// KERNELS-LABEL: func.func @sage(
// KERNELS-NEXT: %[[L:.*]] = gnn.linear
// KERNELS-NEXT: %[[R:.*]] = gnn.linear
// KERNELS-NEXT: %[[M:.*]] = gnn.launch @sage_kernel0(%{{.*}}, %[[L]], %{{.*}}, %[[R]]) gathers [0] source_only [0] push(@sage_kernel0_partial, @sage_kernel0_finish, aggr = mean, accumulator = [4], logits = []) blocked(@sage_kernel0_fold, @sage_kernel0_fold_finish, budget = 0) {edge_balanced} : <as_given>, !gnn.vertex<4xf32>, tensor<4xf32>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
// KERNELS-NEXT: return %[[M]]
// KERNELS-LABEL: func.func @sage_kernel0(
// KERNELS-NOT: scf.if
// KERNELS: arith.maxsi
// KERNELS-NEXT: arith.sitofp
// KERNELS-NEXT: vector.broadcast
// KERNELS-NEXT: arith.divf
// KERNELS: math.expm1
// KERNELS: llvm.store
// KERNELS-NOT: func.func @sage_kernel1(
// NOGNN-LABEL: func.func @sage_kernel0(
// NOGNN-NOT: {{ gnn\.[a-z_]+ [^=]}}
func.func @sage(%g: !gnn.graph<as_given>, %x: !gnn.vertex<8xf32>,
                %wl: tensor<4x8xf32> {gnn.param = "conv.lin_l.weight"},
                %bl: tensor<4xf32> {gnn.param = "conv.lin_l.bias"},
                %wr: tensor<4x8xf32> {gnn.param = "conv.lin_r.weight"}) -> !gnn.vertex<4xf32> {
  %m = gnn.message_passing %g (%x) aggr = mean : !gnn.graph<as_given>, (!gnn.vertex<8xf32>) -> !gnn.vertex<8xf32> {
  ^bb0(%a: !gnn.vertex<8xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<8xf32> -> vector<8xf32>
    gnn.yield %xj : vector<8xf32>
  }
  %l = gnn.linear %m, %wl, %bl : !gnn.vertex<8xf32>, tensor<4x8xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
  %r = gnn.linear %x, %wr : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %s = gnn.add %l, %r : !gnn.vertex<4xf32>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
  %e = gnn.elu %s : !gnn.vertex<4xf32>
  return %e : !gnn.vertex<4xf32>
}

// -----

// An MLP (GIN's): bias and relu after the first matmul become its oneDNN
// post-op (gnn-fuse-dense-epilogue); no kernel is left.
// STAGES-LABEL: func.func @mlp(
// STAGES-NEXT: %[[H:.*]] = gnn.linear %{{.*}}, %{{.*}}, %{{.*}} activation = relu
// STAGES-NEXT: %[[Y:.*]] = gnn.linear %[[H]], %{{.*}}, %{{.*}} :
// STAGES-NEXT: return %[[Y]]
// KERNELS-LABEL: func.func @mlp(
// KERNELS-NOT: gnn.launch
// KERNELS: return
// NOGNN-LABEL: func.func @mlp(
func.func @mlp(%g: !gnn.graph<as_given>, %x: !gnn.vertex<8xf32>,
               %w1: tensor<4x8xf32> {gnn.param = "nn.0.weight"},
               %b1: tensor<4xf32> {gnn.param = "nn.0.bias"},
               %w2: tensor<2x4xf32> {gnn.param = "nn.2.weight"},
               %b2: tensor<2xf32> {gnn.param = "nn.2.bias"}) -> !gnn.vertex<2xf32> {
  %h = gnn.linear %x, %w1, %b1 : !gnn.vertex<8xf32>, tensor<4x8xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
  %r = gnn.relu %h : !gnn.vertex<4xf32>
  %y = gnn.linear %r, %w2, %b2 : !gnn.vertex<4xf32>, tensor<2x4xf32>, tensor<2xf32> -> !gnn.vertex<2xf32>
  return %y : !gnn.vertex<2xf32>
}

// RUN: gnn-opt %s -split-input-file --gnn-lower-elementwise | FileCheck %s

// Binary ops on rows of one type map one to one onto arith and math.
// CHECK-LABEL: func.func @binary
// CHECK-SAME: (%[[A:.*]]: vector<4xf32>, %[[B:.*]]: vector<4xf32>)
// CHECK-NOT: vector.broadcast
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[A]], %[[B]] fastmath<contract> : vector<4xf32>
// CHECK-NEXT: %[[SUB:.*]] = arith.subf %[[A]], %[[B]] fastmath<contract> : vector<4xf32>
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[A]], %[[B]] fastmath<contract> : vector<4xf32>
// CHECK-NEXT: %[[DIV:.*]] = arith.divf %[[A]], %[[B]] : vector<4xf32>
// CHECK-NEXT: %[[POW:.*]] = math.powf %[[A]], %[[B]] : vector<4xf32>
// CHECK-NEXT: %[[MAX:.*]] = arith.maximumf %[[A]], %[[B]] : vector<4xf32>
// CHECK-NEXT: %[[MIN:.*]] = arith.minimumf %[[A]], %[[B]] : vector<4xf32>
// CHECK-NEXT: return %[[ADD]], %[[SUB]], %[[MUL]], %[[DIV]], %[[POW]], %[[MAX]], %[[MIN]]
func.func @binary(%a: vector<4xf32>, %b: vector<4xf32>)
    -> (vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>) {
  %0 = gnn.add %a, %b : vector<4xf32>, vector<4xf32> -> vector<4xf32>
  %1 = gnn.sub %a, %b : vector<4xf32>, vector<4xf32> -> vector<4xf32>
  %2 = gnn.mul %a, %b : vector<4xf32>, vector<4xf32> -> vector<4xf32>
  %3 = gnn.div %a, %b : vector<4xf32>, vector<4xf32> -> vector<4xf32>
  %4 = gnn.pow %a, %b : vector<4xf32>, vector<4xf32> -> vector<4xf32>
  %5 = gnn.maximum %a, %b : vector<4xf32>, vector<4xf32> -> vector<4xf32>
  %6 = gnn.minimum %a, %b : vector<4xf32>, vector<4xf32> -> vector<4xf32>
  return %0, %1, %2, %3, %4, %5, %6 : vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>
}

// -----

// Broadcasting is explicit: a scalar or one-element row is splat; rows of
// several dimensions are computed flat (their row-major elements as one
// 1-D vector, which LLVM keeps in registers), each operand broadcast by
// one constant shuffle: a unit dimension stretched, a missing leading one
// prepended.
// CHECK-LABEL: func.func @broadcast
// CHECK-SAME: (%[[A:.*]]: vector<4xf32>, %[[ONE:.*]]: vector<1xf32>, %[[S:.*]]: f32, %[[COL:.*]]: vector<8x1xf32>, %[[ROW:.*]]: vector<8xf32>)
// CHECK-NEXT: %[[B1:.*]] = vector.broadcast %[[ONE]] : vector<1xf32> to vector<4xf32>
// CHECK-NEXT: %[[M:.*]] = arith.mulf %[[B1]], %[[A]] fastmath<contract> : vector<4xf32>
// CHECK-NEXT: %[[B2:.*]] = vector.broadcast %[[S]] : f32 to vector<4xf32>
// CHECK-NEXT: %[[P:.*]] = math.powf %[[A]], %[[B2]] : vector<4xf32>
// CHECK-NEXT: %[[FCOL:.*]] = vector.shape_cast %[[COL]] : vector<8x1xf32> to vector<8xf32>
// CHECK-NEXT: %[[B3:.*]] = vector.shuffle %[[FCOL]], %[[FCOL]] [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7, 7, 7] : vector<8xf32>, vector<8xf32>
// CHECK-NEXT: %[[B4:.*]] = vector.shuffle %[[ROW]], %[[ROW]] [0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7] : vector<8xf32>, vector<8xf32>
// CHECK-NEXT: %[[D:.*]] = arith.subf %[[B3]], %[[B4]] fastmath<contract> : vector<64xf32>
// CHECK-NEXT: %[[DS:.*]] = vector.shape_cast %[[D]] : vector<64xf32> to vector<8x8xf32>
// CHECK-NEXT: %[[SS:.*]] = arith.addf %[[S]], %[[S]] fastmath<contract> : f32
// CHECK-NEXT: return %[[M]], %[[P]], %[[DS]], %[[SS]]
func.func @broadcast(%a: vector<4xf32>, %one: vector<1xf32>, %s: f32, %col: vector<8x1xf32>, %row: vector<8xf32>)
    -> (vector<4xf32>, vector<4xf32>, vector<8x8xf32>, f32) {
  %0 = gnn.mul %one, %a : vector<1xf32>, vector<4xf32> -> vector<4xf32>
  %1 = gnn.pow %a, %s : vector<4xf32>, f32 -> vector<4xf32>
  %2 = gnn.sub %col, %row : vector<8x1xf32>, vector<8xf32> -> vector<8x8xf32>
  %3 = gnn.add %s, %s : f32, f32 -> f32
  return %0, %1, %2, %3 : vector<4xf32>, vector<4xf32>, vector<8x8xf32>, f32
}

// -----

// A row broadcast along its middle dimension, and a dense n-D constant,
// which is rebuilt flat rather than shape-cast.
// CHECK-LABEL: func.func @broadcast_middle
// CHECK-SAME: (%[[X:.*]]: vector<2x3x2xf32>, %[[Y:.*]]: vector<2x1x2xf32>)
// CHECK-NEXT: %[[FX:.*]] = vector.shape_cast %[[X]] : vector<2x3x2xf32> to vector<12xf32>
// CHECK-NEXT: %[[FY:.*]] = vector.shape_cast %[[Y]] : vector<2x1x2xf32> to vector<4xf32>
// CHECK-NEXT: %[[BY:.*]] = vector.shuffle %[[FY]], %[[FY]] [0, 1, 0, 1, 0, 1, 2, 3, 2, 3, 2, 3] : vector<4xf32>, vector<4xf32>
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[FX]], %[[BY]] fastmath<contract> : vector<12xf32>
// The sum's flat elements are used directly, not shape-cast back and forth.
// CHECK-NEXT: vector.shape_cast %[[S]] : vector<12xf32> to vector<2x3x2xf32>
// CHECK-NEXT: arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00]]> : vector<1x2xf32>
// CHECK-NEXT: %[[C:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00]> : vector<2xf32>
// CHECK-NEXT: %[[BC:.*]] = vector.shuffle %[[C]], %[[C]] [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1] : vector<2xf32>, vector<2xf32>
// CHECK-NEXT: arith.mulf %[[S]], %[[BC]] fastmath<contract> : vector<12xf32>
func.func @broadcast_middle(%x: vector<2x3x2xf32>, %y: vector<2x1x2xf32>) -> vector<2x3x2xf32> {
  %0 = gnn.add %x, %y : vector<2x3x2xf32>, vector<2x1x2xf32> -> vector<2x3x2xf32>
  %c = arith.constant dense<[[1.0, 2.0]]> : vector<1x2xf32>
  %1 = gnn.mul %0, %c : vector<2x3x2xf32>, vector<1x2xf32> -> vector<2x3x2xf32>
  return %1 : vector<2x3x2xf32>
}

// -----

// Unary ops with a direct counterpart, on a row of two dimensions: each is
// computed on the flat elements (the shape_cast pairs between ops fold
// away under -canonicalize).
// CHECK-LABEL: func.func @unary_direct
// CHECK-SAME: (%[[X:.*]]: vector<2x3xf32>)
// CHECK-NEXT: %[[F0:.*]] = vector.shape_cast %[[X]] : vector<2x3xf32> to vector<6xf32>
// CHECK-NEXT: %[[NEG:.*]] = arith.negf %[[F0]] : vector<6xf32>
// CHECK-NEXT: %[[R0:.*]] = vector.shape_cast %[[NEG]] : vector<6xf32> to vector<2x3xf32>
// CHECK-NEXT: %[[F1:.*]] = vector.shape_cast %[[X]] : vector<2x3xf32> to vector<6xf32>
// CHECK-NEXT: %[[EXP:.*]] = math.exp %[[F1]] : vector<6xf32>
// CHECK-NEXT: %[[R1:.*]] = vector.shape_cast %[[EXP]] : vector<6xf32> to vector<2x3xf32>
// CHECK: math.log %{{.*}} : vector<6xf32>
// CHECK: math.sqrt %{{.*}} : vector<6xf32>
// CHECK: math.absf %{{.*}} : vector<6xf32>
// CHECK: math.tanh %{{.*}} : vector<6xf32>
// CHECK: return %[[R0]], %[[R1]]
func.func @unary_direct(%x: vector<2x3xf32>)
    -> (vector<2x3xf32>, vector<2x3xf32>, vector<2x3xf32>, vector<2x3xf32>, vector<2x3xf32>, vector<2x3xf32>) {
  %0 = gnn.neg %x : vector<2x3xf32>
  %1 = gnn.exp %x : vector<2x3xf32>
  %2 = gnn.log %x : vector<2x3xf32>
  %3 = gnn.sqrt %x : vector<2x3xf32>
  %4 = gnn.abs %x : vector<2x3xf32>
  %5 = gnn.tanh %x : vector<2x3xf32>
  return %0, %1, %2, %3, %4, %5 : vector<2x3xf32>, vector<2x3xf32>, vector<2x3xf32>, vector<2x3xf32>, vector<2x3xf32>, vector<2x3xf32>
}

// -----

// A reshape leaves the flat elements as they are: back to 1-D it is the
// original vector itself.
// CHECK-LABEL: func.func @reshape
// CHECK-SAME: (%[[X:.*]]: vector<8xf32>)
// CHECK-NEXT: %[[R:.*]] = vector.shape_cast %[[X]] : vector<8xf32> to vector<2x4xf32>
// CHECK-NEXT: return %[[R]], %[[X]]
func.func @reshape(%x: vector<8xf32>) -> (vector<2x4xf32>, vector<8xf32>) {
  %0 = gnn.reshape %x : vector<8xf32> -> vector<2x4xf32>
  %1 = gnn.reshape %0 : vector<2x4xf32> -> vector<8xf32>
  return %0, %1 : vector<2x4xf32>, vector<8xf32>
}

// -----

// Reductions along a dimension: one shuffle per position along it, picking
// that position of every kept element, combined elementwise; the mean
// scales by 1/n. A 1-D row reduces to a scalar with vector.reduction.
// CHECK-LABEL: func.func @reduce
// CHECK-SAME: (%[[X:.*]]: vector<2x3xf32>, %[[V:.*]]: vector<4xf32>)
// CHECK-NEXT: %[[F:.*]] = vector.shape_cast %[[X]] : vector<2x3xf32> to vector<6xf32>
// CHECK-NEXT: %[[K0:.*]] = vector.shuffle %[[F]], %[[F]] [0, 3] : vector<6xf32>, vector<6xf32>
// CHECK-NEXT: %[[K1:.*]] = vector.shuffle %[[F]], %[[F]] [1, 4] : vector<6xf32>, vector<6xf32>
// CHECK-NEXT: %[[S01:.*]] = arith.addf %[[K0]], %[[K1]] : vector<2xf32>
// CHECK-NEXT: %[[K2:.*]] = vector.shuffle %[[F]], %[[F]] [2, 5] : vector<6xf32>, vector<6xf32>
// CHECK-NEXT: %[[SUM:.*]] = arith.addf %[[S01]], %[[K2]] : vector<2xf32>
// CHECK: %[[R0:.*]] = vector.shuffle %{{.*}}, %{{.*}} [0, 1, 2] : vector<6xf32>, vector<6xf32>
// CHECK-NEXT: %[[R1:.*]] = vector.shuffle %{{.*}}, %{{.*}} [3, 4, 5] : vector<6xf32>, vector<6xf32>
// CHECK-NEXT: %[[MS:.*]] = arith.addf %[[R0]], %[[R1]] : vector<3xf32>
// CHECK-NEXT: %[[HALF:.*]] = arith.constant dense<5.000000e-01> : vector<3xf32>
// CHECK-NEXT: %[[MEAN:.*]] = arith.mulf %[[MS]], %[[HALF]] : vector<3xf32>
// CHECK: arith.maximumf %{{.*}}, %{{.*}} : vector<2xf32>
// CHECK: arith.minimumf %{{.*}}, %{{.*}} : vector<2xf32>
// CHECK: %[[ALL:.*]] = vector.reduction <add>, %[[V]] : vector<4xf32> into f32
// CHECK: return %[[SUM]], %[[MEAN]], %{{.*}}, %{{.*}}, %[[ALL]]
func.func @reduce(%x: vector<2x3xf32>, %v: vector<4xf32>)
    -> (vector<2xf32>, vector<3xf32>, vector<2xf32>, vector<2xf32>, f32) {
  %0 = gnn.reduce sum %x dim = 1 : vector<2x3xf32> -> vector<2xf32>
  %1 = gnn.reduce mean %x dim = 0 : vector<2x3xf32> -> vector<3xf32>
  %2 = gnn.reduce max %x dim = 1 : vector<2x3xf32> -> vector<2xf32>
  %3 = gnn.reduce min %x dim = 1 : vector<2x3xf32> -> vector<2xf32>
  %4 = gnn.reduce sum %v dim = 0 : vector<4xf32> -> f32
  return %0, %1, %2, %3, %4 : vector<2xf32>, vector<3xf32>, vector<2xf32>, vector<2xf32>, f32
}

// -----

// relu = max(x, 0)
// CHECK-LABEL: func.func @relu
// CHECK-SAME: (%[[X:.*]]: vector<4xf32>)
// CHECK-NEXT: %[[Z:.*]] = arith.constant dense<0.000000e+00> : vector<4xf32>
// CHECK-NEXT: %[[R:.*]] = arith.maximumf %[[X]], %[[Z]] : vector<4xf32>
// CHECK-NEXT: return %[[R]]
func.func @relu(%x: vector<4xf32>) -> vector<4xf32> {
  %0 = gnn.relu %x : vector<4xf32>
  return %0 : vector<4xf32>
}

// -----

// sigmoid = 1 / (1 + exp(-x))
// CHECK-LABEL: func.func @sigmoid
// CHECK-SAME: (%[[X:.*]]: vector<4xf32>)
// CHECK-NEXT: %[[ONE:.*]] = arith.constant dense<1.000000e+00> : vector<4xf32>
// CHECK-NEXT: %[[N:.*]] = arith.negf %[[X]] : vector<4xf32>
// CHECK-NEXT: %[[E:.*]] = math.exp %[[N]] : vector<4xf32>
// CHECK-NEXT: %[[D:.*]] = arith.addf %[[ONE]], %[[E]] : vector<4xf32>
// CHECK-NEXT: %[[R:.*]] = arith.divf %[[ONE]], %[[D]] : vector<4xf32>
// CHECK-NEXT: return %[[R]]
func.func @sigmoid(%x: vector<4xf32>) -> vector<4xf32> {
  %0 = gnn.sigmoid %x : vector<4xf32>
  return %0 : vector<4xf32>
}

// -----

// gelu = 0.5 x (1 + erf(x / sqrt 2)), the exact form
// CHECK-LABEL: func.func @gelu
// CHECK-SAME: (%[[X:.*]]: vector<4xf32>)
// CHECK-NEXT: %[[R2:.*]] = arith.constant dense<0.707106769> : vector<4xf32>
// CHECK-NEXT: %[[S:.*]] = arith.mulf %[[X]], %[[R2]] : vector<4xf32>
// CHECK-NEXT: %[[ERF:.*]] = math.erf %[[S]] : vector<4xf32>
// CHECK-NEXT: %[[ONE:.*]] = arith.constant dense<1.000000e+00> : vector<4xf32>
// CHECK-NEXT: %[[OP:.*]] = arith.addf %[[ONE]], %[[ERF]] : vector<4xf32>
// CHECK-NEXT: %[[HALF:.*]] = arith.constant dense<5.000000e-01> : vector<4xf32>
// CHECK-NEXT: %[[H:.*]] = arith.mulf %[[X]], %[[HALF]] : vector<4xf32>
// CHECK-NEXT: %[[R:.*]] = arith.mulf %[[H]], %[[OP]] : vector<4xf32>
// CHECK-NEXT: return %[[R]]
func.func @gelu(%x: vector<4xf32>) -> vector<4xf32> {
  %0 = gnn.gelu %x : vector<4xf32>
  return %0 : vector<4xf32>
}

// -----

// elu = x > 0 ? x : alpha * expm1(x); the default alpha is 1.
// CHECK-LABEL: func.func @elu
// CHECK-SAME: (%[[X:.*]]: vector<4xf32>)
// CHECK-NEXT: %[[EM1:.*]] = math.expm1 %[[X]] : vector<4xf32>
// CHECK-NEXT: %[[ALPHA:.*]] = arith.constant dense<2.500000e-01> : vector<4xf32>
// CHECK-NEXT: %[[NEG:.*]] = arith.mulf %[[EM1]], %[[ALPHA]] : vector<4xf32>
// CHECK-NEXT: %[[Z:.*]] = arith.constant dense<0.000000e+00> : vector<4xf32>
// CHECK-NEXT: %[[POS:.*]] = arith.cmpf ogt, %[[X]], %[[Z]] : vector<4xf32>
// CHECK-NEXT: %[[R:.*]] = arith.select %[[POS]], %[[X]], %[[NEG]] : vector<4xi1>, vector<4xf32>
// CHECK-NEXT: math.expm1 %[[X]] : vector<4xf32>
// CHECK-NEXT: arith.constant dense<1.000000e+00> : vector<4xf32>
// CHECK: return %[[R]]
func.func @elu(%x: vector<4xf32>) -> (vector<4xf32>, vector<4xf32>) {
  %0 = gnn.elu %x {alpha = 0.25 : f32} : vector<4xf32>
  %1 = gnn.elu %x : vector<4xf32>
  return %0, %1 : vector<4xf32>, vector<4xf32>
}

// -----

// leaky_relu = x > 0 ? x : slope * x; the default slope is 0.01.
// CHECK-LABEL: func.func @leaky_relu
// CHECK-SAME: (%[[X:.*]]: vector<4xf32>, %[[S:.*]]: f32)
// CHECK-NEXT: %[[SLOPE:.*]] = arith.constant dense<2.000000e-01> : vector<4xf32>
// CHECK-NEXT: %[[NEG:.*]] = arith.mulf %[[X]], %[[SLOPE]] : vector<4xf32>
// CHECK-NEXT: %[[Z:.*]] = arith.constant dense<0.000000e+00> : vector<4xf32>
// CHECK-NEXT: %[[POS:.*]] = arith.cmpf ogt, %[[X]], %[[Z]] : vector<4xf32>
// CHECK-NEXT: %[[R:.*]] = arith.select %[[POS]], %[[X]], %[[NEG]] : vector<4xi1>, vector<4xf32>
// On a scalar the constants are scalars.
// CHECK-NEXT: %[[DEF:.*]] = arith.constant 0.00999999977 : f32
// CHECK-NEXT: %[[SNEG:.*]] = arith.mulf %[[S]], %[[DEF]] : f32
// CHECK-NEXT: %[[SZ:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %[[SPOS:.*]] = arith.cmpf ogt, %[[S]], %[[SZ]] : f32
// CHECK-NEXT: %[[SR:.*]] = arith.select %[[SPOS]], %[[S]], %[[SNEG]] : f32
// CHECK-NEXT: return %[[R]], %[[SR]]
func.func @leaky_relu(%x: vector<4xf32>, %s: f32) -> (vector<4xf32>, f32) {
  %0 = gnn.leaky_relu %x {negative_slope = 0.2 : f32} : vector<4xf32>
  %1 = gnn.leaky_relu %s : f32
  return %0, %1 : vector<4xf32>, f32
}

// -----

// replace (PyTorch's t[t == a] = b) = x == from ? to : x, ordered compare
// (a NaN is never replaced, as NaN == NaN is False in PyTorch).
// CHECK-LABEL: func.func @replace
// CHECK-SAME: (%[[X:.*]]: vector<4xf32>)
// CHECK-NEXT: %[[FROM:.*]] = arith.constant dense<0x7F800000> : vector<4xf32>
// CHECK-NEXT: %[[HIT:.*]] = arith.cmpf oeq, %[[X]], %[[FROM]] : vector<4xf32>
// CHECK-NEXT: %[[TO:.*]] = arith.constant dense<0.000000e+00> : vector<4xf32>
// CHECK-NEXT: %[[R:.*]] = arith.select %[[HIT]], %[[TO]], %[[X]] : vector<4xi1>, vector<4xf32>
// CHECK-NEXT: return %[[R]]
func.func @replace(%x: vector<4xf32>) -> vector<4xf32> {
  %0 = gnn.replace %x {from = 0x7F800000 : f32, to = 0.0 : f32} : vector<4xf32>
  return %0 : vector<4xf32>
}

// -----

// Whole tensors belong to the schedule, parameter tensors to the runtime,
// and an op still reading a parameter tensor sits in a stage that was not
// outlined: all stay as they are, and so do gathers.
// CHECK-LABEL: func.func @untouched
// CHECK-NEXT: gnn.relu %{{.*}} : !gnn.vertex<4xf32>
// CHECK-NEXT: gnn.add %{{.*}}, %{{.*}} : !gnn.edge<4xf32>, tensor<4xf32> -> !gnn.edge<4xf32>
// CHECK-NEXT: gnn.mul %{{.*}}, %{{.*}} : tensor<4xf32>, f32 -> tensor<4xf32>
// CHECK-NEXT: gnn.transform
// CHECK-NEXT: ^bb0
// CHECK-NEXT: gnn.add %{{.*}}, %{{.*}} : vector<4xf32>, tensor<4xf32> -> vector<4xf32>
// The row-only op in the same region is lowered.
// CHECK-NEXT: arith.constant dense<0.000000e+00> : vector<4xf32>
// CHECK-NEXT: arith.maximumf
// CHECK-NEXT: gnn.yield
// CHECK: gnn.message_passing
// CHECK-NEXT: ^bb0
// CHECK-NEXT: %[[XJ:.*]] = gnn.get_vertex %{{.*}} source
// CHECK-NEXT: %[[N:.*]] = arith.negf %[[XJ]] : vector<4xf32>
// CHECK-NEXT: gnn.yield %[[N]]
func.func @untouched(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %e: !gnn.edge<4xf32>, %p: tensor<4xf32>, %s: f32) {
  %0 = gnn.relu %x : !gnn.vertex<4xf32>
  %1 = gnn.add %e, %p : !gnn.edge<4xf32>, tensor<4xf32> -> !gnn.edge<4xf32>
  %2 = gnn.mul %p, %s : tensor<4xf32>, f32 -> tensor<4xf32>
  %3 = gnn.transform (%x, %p) : (!gnn.vertex<4xf32>, tensor<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>, %q: tensor<4xf32>):
    %a = gnn.add %r, %q : vector<4xf32>, tensor<4xf32> -> vector<4xf32>
    %b = gnn.relu %a : vector<4xf32>
    gnn.yield %b : vector<4xf32>
  }
  %4 = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    %n = gnn.neg %xj : vector<4xf32>
    gnn.yield %n : vector<4xf32>
  }
  return
}

// -----

// Powers by the common constant exponents need no powf: squares multiply,
// square roots (GCN's deg^-1/2) use sqrt of x + 0 (so that -0 gives +0 as
// powf does) and a division; other exponents stay powf.
// CHECK-LABEL: func.func @constant_powers
// CHECK-SAME: (%[[X:.*]]: vector<4xf32>)
// CHECK: %[[SQ:.*]] = arith.mulf %[[X]], %[[X]] : vector<4xf32>
// CHECK: %[[ONE:.*]] = arith.constant dense<1.000000e+00> : vector<4xf32>
// CHECK-NEXT: %[[R:.*]] = arith.divf %[[ONE]], %[[X]] : vector<4xf32>
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<4xf32>
// CHECK-NEXT: %[[P0:.*]] = arith.addf %[[X]], %[[ZERO]] : vector<4xf32>
// CHECK-NEXT: %[[SQRT:.*]] = math.sqrt %[[P0]] : vector<4xf32>
// CHECK-NEXT: %[[ZERO1:.*]] = arith.constant dense<0.000000e+00> : vector<4xf32>
// CHECK-NEXT: %[[P1:.*]] = arith.addf %[[X]], %[[ZERO1]] : vector<4xf32>
// CHECK-NEXT: %[[S1:.*]] = math.sqrt %[[P1]] : vector<4xf32>
// CHECK-NEXT: %[[ONE1:.*]] = arith.constant dense<1.000000e+00> : vector<4xf32>
// CHECK-NEXT: %[[RSQRT:.*]] = arith.divf %[[ONE1]], %[[S1]] : vector<4xf32>
// CHECK: %[[CUBE:.*]] = math.powf %[[X]], %{{.*}} : vector<4xf32>
// CHECK: return %[[X]], %[[SQ]], %[[R]], %[[SQRT]], %[[RSQRT]], %[[CUBE]]
func.func @constant_powers(%x: vector<4xf32>) -> (vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>) {
  %c1 = arith.constant 1.0 : f32
  %c2 = arith.constant 2.0 : f32
  %cm1 = arith.constant -1.0 : f32
  %ch = arith.constant 0.5 : f32
  %cmh = arith.constant dense<-0.5> : vector<4xf32>
  %c3 = arith.constant 3.0 : f32
  %0 = gnn.pow %x, %c1 : vector<4xf32>, f32 -> vector<4xf32>
  %1 = gnn.pow %x, %c2 : vector<4xf32>, f32 -> vector<4xf32>
  %2 = gnn.pow %x, %cm1 : vector<4xf32>, f32 -> vector<4xf32>
  %3 = gnn.pow %x, %ch : vector<4xf32>, f32 -> vector<4xf32>
  %4 = gnn.pow %x, %cmh : vector<4xf32>, vector<4xf32> -> vector<4xf32>
  %5 = gnn.pow %x, %c3 : vector<4xf32>, f32 -> vector<4xf32>
  return %0, %1, %2, %3, %4, %5 : vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>
}

// RUN: gnn-opt %s -split-input-file --gnn-expand-math | FileCheck %s

// exp becomes the Cephes-style range reduction: clamp, n = floor(x log2 e
// + 1/2), a polynomial in the remainder, and 2^n built in the exponent bits.
// CHECK-LABEL: func.func @exp
// CHECK-SAME: (%[[X:.*]]: vector<4xf32>)
// CHECK-NOT: math.exp
// CHECK-DAG: %[[LOG2E:.*]] = arith.constant dense<1.44269502> : vector<4xf32>
// CHECK-DAG: %[[HALF:.*]] = arith.constant dense<5.000000e-01> : vector<4xf32>
// CHECK-DAG: %[[BIAS:.*]] = arith.constant dense<127> : vector<4xi32>
// CHECK-DAG: %[[MANT:.*]] = arith.constant dense<23> : vector<4xi32>
// CHECK: %[[LOWER:.*]] = arith.cmpf uge, %[[X]], %{{.*}} : vector<4xf32>
// CHECK: %[[T:.*]] = math.fma %{{.*}}, %[[LOG2E]], %[[HALF]] : vector<4xf32>
// CHECK-NEXT: %[[N:.*]] = math.floor %[[T]] : vector<4xf32>
// CHECK: %[[NI:.*]] = arith.fptosi %{{.*}} : vector<4xf32> to vector<4xi32>
// CHECK-NEXT: %[[E:.*]] = arith.addi %[[NI]], %[[BIAS]] : vector<4xi32>
// CHECK-NEXT: %[[BITS:.*]] = arith.shli %[[E]], %[[MANT]] : vector<4xi32>
// CHECK-NEXT: %[[POW2:.*]] = arith.bitcast %[[BITS]] : vector<4xi32> to vector<4xf32>
// CHECK-NEXT: %[[R:.*]] = arith.mulf %{{.*}}, %[[POW2]] : vector<4xf32>
// CHECK-NEXT: return %[[R]]
func.func @exp(%x: vector<4xf32>) -> vector<4xf32> {
  %0 = math.exp %x : vector<4xf32>
  return %0 : vector<4xf32>
}

// -----

// CHECK-LABEL: func.func @log
// CHECK-NOT: math.log
// CHECK: arith.bitcast %{{.*}} : vector<8xf32> to vector<8xi32>
// CHECK: math.fma
// CHECK-NOT: math.log
// CHECK: return
func.func @log(%x: vector<8xf32>) -> vector<8xf32> {
  %0 = math.log %x : vector<8xf32>
  return %0 : vector<8xf32>
}

// -----

// CHECK-LABEL: func.func @tanh
// CHECK-NOT: math.tanh
// CHECK: math.fma
// CHECK: arith.divf
// CHECK-NOT: math.tanh
// CHECK: return
func.func @tanh(%x: vector<4xf32>) -> vector<4xf32> {
  %0 = math.tanh %x : vector<4xf32>
  return %0 : vector<4xf32>
}

// -----

// CHECK-LABEL: func.func @erf
// CHECK-NOT: math.erf
// CHECK: math.fma
// CHECK-NOT: math.erf
// CHECK: return
func.func @erf(%x: vector<4xf32>) -> vector<4xf32> {
  %0 = math.erf %x : vector<4xf32>
  return %0 : vector<4xf32>
}

// -----

// expm1 (used by elu) is expanded through exp, which is expanded too.
// CHECK-LABEL: func.func @expm1
// CHECK-NOT: math.exp
// CHECK: arith.bitcast
// CHECK-NOT: math.exp
// CHECK: return
func.func @expm1(%x: vector<4xf32>) -> vector<4xf32> {
  %0 = math.expm1 %x : vector<4xf32>
  return %0 : vector<4xf32>
}

// -----

// Multi-dimensional rows and scalars are expanded alike.
// CHECK-LABEL: func.func @shapes
// CHECK-NOT: math.exp
// CHECK-DAG: arith.constant dense<1.44269502> : vector<2x4xf32>
// CHECK-DAG: arith.constant 1.44269502 : f32
// CHECK: arith.bitcast %{{.*}} : vector<2x4xi32> to vector<2x4xf32>
// CHECK: arith.bitcast %{{.*}} : i32 to f32
// CHECK-NOT: math.exp
// CHECK: return
func.func @shapes(%x: vector<2x4xf32>, %s: f32) -> (vector<2x4xf32>, f32) {
  %0 = math.exp %x : vector<2x4xf32>
  %1 = math.exp %s : f32
  return %0, %1 : vector<2x4xf32>, f32
}

// -----

// Ops with a vector LLVM intrinsic are left alone, as is everything else.
// CHECK-LABEL: func.func @untouched
// CHECK-SAME: (%[[X:.*]]: vector<4xf32>)
// CHECK-NEXT: %[[S:.*]] = math.sqrt %[[X]] : vector<4xf32>
// CHECK-NEXT: %[[P:.*]] = math.powf %[[X]], %[[X]] : vector<4xf32>
// CHECK-NEXT: %[[A:.*]] = math.absf %[[X]] : vector<4xf32>
// CHECK-NEXT: %[[M:.*]] = arith.maximumf %[[S]], %[[P]] : vector<4xf32>
// CHECK-NEXT: return %[[M]], %[[A]]
func.func @untouched(%x: vector<4xf32>) -> (vector<4xf32>, vector<4xf32>) {
  %0 = math.sqrt %x : vector<4xf32>
  %1 = math.powf %x, %x : vector<4xf32>
  %2 = math.absf %x : vector<4xf32>
  %3 = arith.maximumf %0, %1 : vector<4xf32>
  return %3, %2 : vector<4xf32>, vector<4xf32>
}

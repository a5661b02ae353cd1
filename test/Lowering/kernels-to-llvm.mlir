// gnn-kernels-to-llvm on a module holding only kernels, as gnnc hands it
// over after extractKernels: the kernels below are --gnn-to-kernels output
// for docs/gcn-graph-level.mlir, a chain of transcendental activations and a
// max aggregation over 2-D rows. Everything must end up in the llvm dialect:
// no libm calls (math is expanded into polynomials) and no casts left over.
// RUN: gnn-opt %s --gnn-kernels-to-llvm | FileCheck %s --implicit-check-not='{{ (arith|math|scf|vector|func|cf|gnn)\.[a-z]}}' --implicit-check-not=unrealized_conversion_cast --implicit-check-not=llvm.call

// The kernel ABI is kept: (i64 lo, i64 hi, ptr args), still marked.
// CHECK-LABEL: llvm.func @gcn_kernel0(
// CHECK-SAME: %[[LO:.*]]: i64, %[[HI:.*]]: i64, %[[ARGS:.*]]: !llvm.ptr) attributes {gnn.kernel} {
// The vertex loop as blocks.
// CHECK: llvm.br ^[[HEAD:bb[0-9]+]](%[[LO]] : i64)
// CHECK: ^[[HEAD]](%[[V:.*]]: i64):
// CHECK-NEXT: %[[IN:.*]] = llvm.icmp "slt" %[[V]], %[[HI]] : i64
// CHECK-NEXT: llvm.cond_br %[[IN]]
// The self-loop test of the degree count.
// CHECK: llvm.icmp "ne" %{{.*}}, %[[V]] : i64
// CHECK: llvm.sitofp %{{.*}} : i64 to f32
// CHECK: llvm.store %{{.*}}, %{{.*}} {alignment = 4 : i64} : vector<1xf32>, !llvm.ptr
// CHECK: llvm.return

// CHECK-LABEL: llvm.func @gcn_kernel1(
// CHECK: llvm.intr.pow(%{{.*}}, %{{.*}}) : (vector<1xf32>, vector<1xf32>) -> vector<1xf32>

// CHECK-LABEL: llvm.func @gcn_kernel2(
// The skip of stored self loops.
// CHECK: llvm.icmp "eq"
// CHECK: llvm.cond_br
// The broadcast of the vector<1xf32> norm over the row.
// CHECK: llvm.shufflevector %{{.*}}, %{{.*}} [0, 0, 0, 0] : vector<4xf32>
// CHECK: llvm.fadd %{{.*}}, %{{.*}} : vector<4xf32>

// CHECK-LABEL: llvm.func @gcn_kernel3(
// CHECK: llvm.fadd %{{.*}}, %{{.*}} : vector<4xf32>
// CHECK-NEXT: llvm.intr.maximum(%{{.*}}, %{{.*}}) : (vector<4xf32>, vector<4xf32>) -> vector<4xf32>

// CHECK-LABEL: llvm.func @math_kernel0(
// erf, tanh, log and exp are polynomials over fma.
// CHECK: llvm.intr.fma(%{{.*}}, %{{.*}}, %{{.*}}) : (vector<4xf32>, vector<4xf32>, vector<4xf32>) -> vector<4xf32>
// CHECK: llvm.fdiv %{{.*}}, %{{.*}} : vector<4xf32>
// CHECK: llvm.store %{{.*}}, %{{.*}} {alignment = 4 : i64} : vector<4xf32>, !llvm.ptr

// 2-D rows become arrays of 1-D vectors between the flat load and store.
// CHECK-LABEL: llvm.func @max_kernel1(
// CHECK: llvm.mlir.constant(dense<0xFF800000> : vector<2x2xf32>) : !llvm.array<2 x vector<2xf32>>
// CHECK: llvm.intr.maximum(%{{.*}}, %{{.*}}) : (vector<2xf32>, vector<2xf32>) -> vector<2xf32>
// CHECK: llvm.store %{{.*}}, %{{.*}} {alignment = 4 : i64} : vector<4xf32>, !llvm.ptr

func.func @gcn_kernel0(%arg0: i64, %arg1: i64, %arg2: !llvm.ptr) attributes {gnn.kernel} {
  %c1_i64 = arith.constant 1 : i64
  %0 = llvm.load %arg2 : !llvm.ptr -> !llvm.ptr
  %1 = llvm.getelementptr %arg2[1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
  %2 = llvm.load %1 : !llvm.ptr -> !llvm.ptr
  %3 = llvm.getelementptr %arg2[2] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
  %4 = llvm.load %3 : !llvm.ptr -> !llvm.ptr
  scf.for %arg3 = %arg0 to %arg1 step %c1_i64  : i64 {
    %5 = llvm.getelementptr %0[%arg3] : (!llvm.ptr, i64) -> !llvm.ptr, i64
    %6 = llvm.load %5 : !llvm.ptr -> i64
    %7 = arith.addi %arg3, %c1_i64 : i64
    %8 = llvm.getelementptr %0[%7] : (!llvm.ptr, i64) -> !llvm.ptr, i64
    %9 = llvm.load %8 : !llvm.ptr -> i64
    %10 = scf.for %arg4 = %6 to %9 step %c1_i64 iter_args(%arg5 = %c1_i64) -> (i64)  : i64 {
      %14 = llvm.getelementptr %2[%arg4] : (!llvm.ptr, i64) -> !llvm.ptr, i32
      %15 = llvm.load %14 : !llvm.ptr -> i32
      %16 = arith.extui %15 : i32 to i64
      %17 = arith.cmpi ne, %16, %arg3 : i64
      %18 = arith.extui %17 : i1 to i64
      %19 = arith.addi %arg5, %18 : i64
      scf.yield %19 : i64
    }
    %11 = arith.sitofp %10 : i64 to f32
    %12 = vector.broadcast %11 : f32 to vector<1xf32>
    %13 = llvm.getelementptr %4[%arg3] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %12, %13 {alignment = 4 : i64} : vector<1xf32>, !llvm.ptr
  }
  return
}

func.func @gcn_kernel1(%arg0: i64, %arg1: i64, %arg2: !llvm.ptr) attributes {gnn.kernel} {
  %cst = arith.constant dense<-5.000000e-01> : vector<1xf32>
  %c1_i64 = arith.constant 1 : i64
  %0 = llvm.getelementptr %arg2[2] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
  %1 = llvm.load %0 : !llvm.ptr -> !llvm.ptr
  %2 = llvm.getelementptr %arg2[3] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
  %3 = llvm.load %2 : !llvm.ptr -> !llvm.ptr
  scf.for %arg3 = %arg0 to %arg1 step %c1_i64  : i64 {
    %4 = llvm.getelementptr %1[%arg3] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %5 = llvm.load %4 {alignment = 4 : i64} : !llvm.ptr -> vector<1xf32>
    %6 = math.powf %5, %cst : vector<1xf32>
    %7 = llvm.getelementptr %3[%arg3] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %6, %7 {alignment = 4 : i64} : vector<1xf32>, !llvm.ptr
  }
  return
}

func.func @gcn_kernel2(%arg0: i64, %arg1: i64, %arg2: !llvm.ptr) attributes {gnn.kernel} {
  %c4_i64 = arith.constant 4 : i64
  %c0_i64 = arith.constant 0 : i64
  %cst = arith.constant dense<0.000000e+00> : vector<4xf32>
  %c1_i64 = arith.constant 1 : i64
  %0 = llvm.load %arg2 : !llvm.ptr -> !llvm.ptr
  %1 = llvm.getelementptr %arg2[1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
  %2 = llvm.load %1 : !llvm.ptr -> !llvm.ptr
  %3 = llvm.getelementptr %arg2[2] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
  %4 = llvm.load %3 : !llvm.ptr -> !llvm.ptr
  %5 = llvm.getelementptr %arg2[3] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
  %6 = llvm.load %5 : !llvm.ptr -> !llvm.ptr
  %7 = llvm.getelementptr %arg2[4] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
  %8 = llvm.load %7 : !llvm.ptr -> !llvm.ptr
  scf.for %arg3 = %arg0 to %arg1 step %c1_i64  : i64 {
    %9 = llvm.getelementptr %0[%arg3] : (!llvm.ptr, i64) -> !llvm.ptr, i64
    %10 = llvm.load %9 : !llvm.ptr -> i64
    %11 = arith.addi %arg3, %c1_i64 : i64
    %12 = llvm.getelementptr %0[%11] : (!llvm.ptr, i64) -> !llvm.ptr, i64
    %13 = llvm.load %12 : !llvm.ptr -> i64
    %14 = llvm.getelementptr %6[%arg3] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %15 = llvm.load %14 {alignment = 4 : i64} : !llvm.ptr -> vector<1xf32>
    %16:2 = scf.for %arg4 = %10 to %13 step %c1_i64 iter_args(%arg5 = %cst, %arg6 = %c0_i64) -> (vector<4xf32>, i64)  : i64 {
      %25 = llvm.getelementptr %2[%arg4] : (!llvm.ptr, i64) -> !llvm.ptr, i32
      %26 = llvm.load %25 : !llvm.ptr -> i32
      %27 = arith.extui %26 : i32 to i64
      %28 = arith.cmpi eq, %27, %arg3 : i64
      %29:2 = scf.if %28 -> (vector<4xf32>, i64) {
        scf.yield %arg5, %arg6 : vector<4xf32>, i64
      } else {
        %30 = arith.muli %27, %c4_i64 : i64
        %31 = llvm.getelementptr %4[%30] : (!llvm.ptr, i64) -> !llvm.ptr, f32
        %32 = llvm.load %31 {alignment = 4 : i64} : !llvm.ptr -> vector<4xf32>
        %33 = llvm.getelementptr %6[%27] : (!llvm.ptr, i64) -> !llvm.ptr, f32
        %34 = llvm.load %33 {alignment = 4 : i64} : !llvm.ptr -> vector<1xf32>
        %35 = arith.mulf %15, %34 : vector<1xf32>
        %36 = vector.broadcast %35 : vector<1xf32> to vector<4xf32>
        %37 = arith.mulf %36, %32 : vector<4xf32>
        %38 = arith.addf %arg5, %37 : vector<4xf32>
        %39 = arith.addi %arg6, %c1_i64 : i64
        scf.yield %38, %39 : vector<4xf32>, i64
      }
      scf.yield %29#0, %29#1 : vector<4xf32>, i64
    }
    %17 = arith.muli %arg3, %c4_i64 : i64
    %18 = llvm.getelementptr %4[%17] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %19 = llvm.load %18 {alignment = 4 : i64} : !llvm.ptr -> vector<4xf32>
    %20 = arith.mulf %15, %15 : vector<1xf32>
    %21 = vector.broadcast %20 : vector<1xf32> to vector<4xf32>
    %22 = arith.mulf %21, %19 : vector<4xf32>
    %23 = arith.addf %16#0, %22 : vector<4xf32>
    %24 = llvm.getelementptr %8[%17] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %23, %24 {alignment = 4 : i64} : vector<4xf32>, !llvm.ptr
  }
  return
}

func.func @gcn_kernel3(%arg0: i64, %arg1: i64, %arg2: !llvm.ptr) attributes {gnn.kernel} {
  %cst = arith.constant dense<0.000000e+00> : vector<4xf32>
  %c1_i64 = arith.constant 1 : i64
  %c4_i64 = arith.constant 4 : i64
  %0 = llvm.getelementptr %arg2[2] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
  %1 = llvm.load %0 : !llvm.ptr -> !llvm.ptr
  %2 = llvm.getelementptr %arg2[3] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
  %3 = llvm.load %2 : !llvm.ptr -> !llvm.ptr
  %4 = llvm.getelementptr %arg2[4] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
  %5 = llvm.load %4 : !llvm.ptr -> !llvm.ptr
  %6 = llvm.load %3 {alignment = 4 : i64} : !llvm.ptr -> vector<4xf32>
  scf.for %arg3 = %arg0 to %arg1 step %c1_i64  : i64 {
    %7 = arith.muli %arg3, %c4_i64 : i64
    %8 = llvm.getelementptr %1[%7] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %9 = llvm.load %8 {alignment = 4 : i64} : !llvm.ptr -> vector<4xf32>
    %10 = arith.addf %9, %6 : vector<4xf32>
    %11 = arith.maximumf %10, %cst : vector<4xf32>
    %12 = llvm.getelementptr %5[%7] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %11, %12 {alignment = 4 : i64} : vector<4xf32>, !llvm.ptr
  }
  return
}

func.func @math_kernel0(%arg0: i64, %arg1: i64, %arg2: !llvm.ptr) attributes {gnn.kernel} {
  %cst = arith.constant dense<5.000000e-01> : vector<4xf32>
  %cst_0 = arith.constant dense<1.000000e+00> : vector<4xf32>
  %cst_1 = arith.constant dense<0.707106769> : vector<4xf32>
  %c4_i64 = arith.constant 4 : i64
  %c1_i64 = arith.constant 1 : i64
  %0 = llvm.getelementptr %arg2[2] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
  %1 = llvm.load %0 : !llvm.ptr -> !llvm.ptr
  %2 = llvm.getelementptr %arg2[3] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
  %3 = llvm.load %2 : !llvm.ptr -> !llvm.ptr
  scf.for %arg3 = %arg0 to %arg1 step %c1_i64  : i64 {
    %4 = arith.muli %arg3, %c4_i64 : i64
    %5 = llvm.getelementptr %1[%4] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %6 = llvm.load %5 {alignment = 4 : i64} : !llvm.ptr -> vector<4xf32>
    %7 = arith.mulf %6, %cst_1 : vector<4xf32>
    %8 = math.erf %7 : vector<4xf32>
    %9 = arith.addf %8, %cst_0 : vector<4xf32>
    %10 = arith.mulf %6, %cst : vector<4xf32>
    %11 = arith.mulf %10, %9 : vector<4xf32>
    %12 = math.tanh %11 : vector<4xf32>
    %13 = math.log %12 : vector<4xf32>
    %14 = arith.negf %13 : vector<4xf32>
    %15 = math.exp %14 : vector<4xf32>
    %16 = arith.addf %15, %cst_0 : vector<4xf32>
    %17 = arith.divf %cst_0, %16 : vector<4xf32>
    %18 = llvm.getelementptr %3[%4] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %17, %18 {alignment = 4 : i64} : vector<4xf32>, !llvm.ptr
  }
  return
}

func.func @max_kernel1(%arg0: i64, %arg1: i64, %arg2: !llvm.ptr) attributes {gnn.kernel} {
  %cst = arith.constant dense<0.000000e+00> : vector<2x2xf32>
  %c4_i64 = arith.constant 4 : i64
  %c0_i64 = arith.constant 0 : i64
  %cst_0 = arith.constant dense<0xFF800000> : vector<2x2xf32>
  %c1_i64 = arith.constant 1 : i64
  %0 = llvm.load %arg2 : !llvm.ptr -> !llvm.ptr
  %1 = llvm.getelementptr %arg2[1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
  %2 = llvm.load %1 : !llvm.ptr -> !llvm.ptr
  %3 = llvm.getelementptr %arg2[2] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
  %4 = llvm.load %3 : !llvm.ptr -> !llvm.ptr
  %5 = llvm.getelementptr %arg2[3] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
  %6 = llvm.load %5 : !llvm.ptr -> !llvm.ptr
  scf.for %arg3 = %arg0 to %arg1 step %c1_i64  : i64 {
    %7 = llvm.getelementptr %0[%arg3] : (!llvm.ptr, i64) -> !llvm.ptr, i64
    %8 = llvm.load %7 : !llvm.ptr -> i64
    %9 = arith.addi %arg3, %c1_i64 : i64
    %10 = llvm.getelementptr %0[%9] : (!llvm.ptr, i64) -> !llvm.ptr, i64
    %11 = llvm.load %10 : !llvm.ptr -> i64
    %12:2 = scf.for %arg4 = %8 to %11 step %c1_i64 iter_args(%arg5 = %cst_0, %arg6 = %c0_i64) -> (vector<2x2xf32>, i64)  : i64 {
      %18 = llvm.getelementptr %2[%arg4] : (!llvm.ptr, i64) -> !llvm.ptr, i32
      %19 = llvm.load %18 : !llvm.ptr -> i32
      %20 = arith.extui %19 : i32 to i64
      %21 = arith.muli %20, %c4_i64 : i64
      %22 = llvm.getelementptr %4[%21] : (!llvm.ptr, i64) -> !llvm.ptr, f32
      %23 = llvm.load %22 {alignment = 4 : i64} : !llvm.ptr -> vector<4xf32>
      %24 = vector.shape_cast %23 : vector<4xf32> to vector<2x2xf32>
      %25 = arith.maximumf %arg5, %24 : vector<2x2xf32>
      %26 = arith.addi %arg6, %c1_i64 : i64
      scf.yield %25, %26 : vector<2x2xf32>, i64
    }
    %13 = arith.cmpi eq, %12#1, %c0_i64 : i64
    %14 = arith.select %13, %cst, %12#0 : vector<2x2xf32>
    %15 = vector.shape_cast %14 : vector<2x2xf32> to vector<4xf32>
    %16 = arith.muli %arg3, %c4_i64 : i64
    %17 = llvm.getelementptr %6[%16] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %15, %17 {alignment = 4 : i64} : vector<4xf32>, !llvm.ptr
  }
  return
}

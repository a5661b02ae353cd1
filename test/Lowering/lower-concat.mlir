// gnn.concat on rows becomes constant shuffles of the flat rows: the
// blocks of the last dimension interleaved, one shuffle per extra input.
// RUN: gnn-opt %s -split-input-file --gnn-lower-elementwise | FileCheck %s

// CHECK-LABEL: func.func @flat
// CHECK-SAME: (%[[A:.*]]: vector<3xf32>, %[[B:.*]]: vector<2xf32>)
// CHECK-NEXT: %[[AB:.*]] = vector.shuffle %[[A]], %[[B]] [0, 1, 2, 3, 4] : vector<3xf32>, vector<2xf32>
// CHECK-NEXT: %[[ABA:.*]] = vector.shuffle %[[AB]], %[[A]] [0, 1, 2, 3, 4, 5, 6, 7] : vector<5xf32>, vector<3xf32>
// CHECK-NEXT: return %[[ABA]]
func.func @flat(%a: vector<3xf32>, %b: vector<2xf32>) -> vector<8xf32> {
  %0 = gnn.concat %a, %b, %a : vector<3xf32>, vector<2xf32>, vector<3xf32> -> vector<8xf32>
  return %0 : vector<8xf32>
}

// -----

// [2, 2] ++ [2, 1]: row 0 of each, then row 1 of each.
// CHECK-LABEL: func.func @blocks
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [0, 1, 4, 2, 3, 5] : vector<4xf32>, vector<2xf32>
// CHECK: vector.shape_cast %{{.*}} : vector<6xf32> to vector<2x3xf32>
func.func @blocks(%a: vector<2x2xf32>, %b: vector<2x1xf32>) -> vector<2x3xf32> {
  %0 = gnn.concat %a, %b : vector<2x2xf32>, vector<2x1xf32> -> vector<2x3xf32>
  return %0 : vector<2x3xf32>
}

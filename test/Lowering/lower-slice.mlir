// gnn.slice on rows becomes one constant shuffle of the flat row, picking
// offset + i * stride along each dimension in row-major order.
// RUN: gnn-opt %s -split-input-file --gnn-lower-elementwise | FileCheck %s

// CHECK-LABEL: func.func @flat
// CHECK-SAME: (%[[A:.*]]: vector<8xf32>)
// CHECK-NEXT: %[[S:.*]] = vector.shuffle %[[A]], %[[A]] [1, 3, 5] : vector<8xf32>, vector<8xf32>
// CHECK-NEXT: return %[[S]]
func.func @flat(%a: vector<8xf32>) -> vector<3xf32> {
  %0 = gnn.slice %a offsets = [1] strides = [2] : vector<8xf32> -> vector<3xf32>
  return %0 : vector<3xf32>
}

// -----

// Row 1 of [2, 4], columns 0 and 3: flat 4 + 0 and 4 + 3.
// CHECK-LABEL: func.func @box
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [4, 7] : vector<8xf32>, vector<8xf32>
// CHECK: vector.shape_cast %{{.*}} : vector<2xf32> to vector<1x2xf32>
func.func @box(%a: vector<2x4xf32>) -> vector<1x2xf32> {
  %0 = gnn.slice %a offsets = [1, 0] strides = [1, 3] : vector<2x4xf32> -> vector<1x2xf32>
  return %0 : vector<1x2xf32>
}

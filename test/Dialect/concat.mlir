// gnn.concat round-trips (custom and generic form), at graph level inside
// a gnn.transform and on rows of several dimensions inside a message.
// RUN: gnn-opt %s | gnn-opt | FileCheck %s
// RUN: gnn-opt %s --mlir-print-op-generic | gnn-opt | FileCheck %s

// CHECK-LABEL: func.func @rows
// CHECK: %[[C:.*]] = gnn.concat %arg0, %arg1, %arg0 : vector<4xf32>, vector<3xf32>, vector<4xf32> -> vector<11xf32>
// CHECK: gnn.concat %arg2, %arg3 : vector<2x4xf32>, vector<2x1xf32> -> vector<2x5xf32>
func.func @rows(%a: vector<4xf32>, %b: vector<3xf32>, %c: vector<2x4xf32>,
                %d: vector<2x1xf32>) -> (vector<11xf32>, vector<2x5xf32>) {
  %0 = gnn.concat %a, %b, %a : vector<4xf32>, vector<3xf32>, vector<4xf32> -> vector<11xf32>
  %1 = gnn.concat %c, %d : vector<2x4xf32>, vector<2x1xf32> -> vector<2x5xf32>
  return %0, %1 : vector<11xf32>, vector<2x5xf32>
}

// CHECK-LABEL: func.func @in_transform
// CHECK: gnn.transform
// CHECK: gnn.concat %{{.*}}, %{{.*}} : vector<8xf32>, vector<2xf32> -> vector<10xf32>
func.func @in_transform(%x: !gnn.vertex<8xf32>, %y: !gnn.vertex<2xf32>) -> !gnn.vertex<10xf32> {
  %0 = gnn.transform (%x, %y) : (!gnn.vertex<8xf32>, !gnn.vertex<2xf32>) -> !gnn.vertex<10xf32> {
  ^bb0(%rx: vector<8xf32>, %ry: vector<2xf32>):
    %c = gnn.concat %rx, %ry : vector<8xf32>, vector<2xf32> -> vector<10xf32>
    gnn.yield %c : vector<10xf32>
  }
  return %0 : !gnn.vertex<10xf32>
}

// RUN: gnn-opt %s -split-input-file --gnn-fuse-sibling-transforms | FileCheck %s

// GAT's logits: one transform over %h yields both rows; the stage slices
// the joined row at the source and at the target (and in its update).
// CHECK-LABEL: func.func @attention
// CHECK:       %[[J:.*]] = gnn.transform(%arg1, %arg2, %arg3) : (!gnn.vertex<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>) -> !gnn.vertex<4xf32>
// CHECK:         %[[S:.*]] = gnn.reduce sum
// CHECK:         %[[D:.*]] = gnn.reduce sum
// CHECK:         %[[C:.*]] = gnn.concat %[[S]], %[[D]] : vector<2xf32>, vector<2xf32> -> vector<4xf32>
// CHECK:         gnn.yield %[[C]] : vector<4xf32>
// CHECK-NOT:   gnn.transform
// CHECK:       gnn.message_passing %arg0(%arg1, %[[J]]) aggr = softmax_add : <one_per_vertex>, (!gnn.vertex<2x4xf32>, !gnn.vertex<4xf32>)
// CHECK:       ^bb0(%[[X:.*]]: !gnn.vertex<2x4xf32>, %[[A:.*]]: !gnn.vertex<4xf32>):
// CHECK-DAG:     %[[SR:.*]] = gnn.get_vertex %[[A]] source : <4xf32> -> vector<4xf32>
// CHECK-DAG:     %[[TR:.*]] = gnn.get_vertex %[[A]] target : <4xf32> -> vector<4xf32>
// CHECK:         gnn.slice %[[SR]] offsets = [0] strides = [1] : vector<4xf32> -> vector<2xf32>
// CHECK:         gnn.slice %[[TR]] offsets = [2] strides = [1] : vector<4xf32> -> vector<2xf32>
// CHECK:       } update {
// CHECK:       ^bb0(%{{.*}}: !gnn.vertex<2x4xf32>, %[[UA:.*]]: !gnn.vertex<4xf32>, %[[AGG:.*]]: vector<2x4xf32>):
// CHECK:         %[[UR:.*]] = gnn.get_vertex %[[UA]] target : <4xf32> -> vector<4xf32>
// CHECK:         gnn.slice %[[UR]] offsets = [2] strides = [1] : vector<4xf32> -> vector<2xf32>
func.func @attention(%g: !gnn.graph<one_per_vertex>, %h: !gnn.vertex<2x4xf32>,
                     %att_src: tensor<2x4xf32>, %att_dst: tensor<2x4xf32>) -> !gnn.vertex<2x4xf32> {
  %src = gnn.transform(%h, %att_src) : (!gnn.vertex<2x4xf32>, tensor<2x4xf32>) -> !gnn.vertex<2xf32> {
  ^bb0(%r: vector<2x4xf32>, %a: tensor<2x4xf32>):
    %m = gnn.mul %r, %a : vector<2x4xf32>, tensor<2x4xf32> -> vector<2x4xf32>
    %s = gnn.reduce sum %m dim = 1 : vector<2x4xf32> -> vector<2xf32>
    gnn.yield %s : vector<2xf32>
  }
  %dst = gnn.transform(%h, %att_dst) : (!gnn.vertex<2x4xf32>, tensor<2x4xf32>) -> !gnn.vertex<2xf32> {
  ^bb0(%r: vector<2x4xf32>, %a: tensor<2x4xf32>):
    %m = gnn.mul %r, %a : vector<2x4xf32>, tensor<2x4xf32> -> vector<2x4xf32>
    %s = gnn.reduce sum %m dim = 1 : vector<2x4xf32> -> vector<2xf32>
    gnn.yield %s : vector<2xf32>
  }
  %y = gnn.message_passing %g(%h, %src, %dst) aggr = softmax_add : <one_per_vertex>, (!gnn.vertex<2x4xf32>, !gnn.vertex<2xf32>, !gnn.vertex<2xf32>) -> !gnn.vertex<2x4xf32> {
  ^bb0(%x: !gnn.vertex<2x4xf32>, %as: !gnn.vertex<2xf32>, %ad: !gnn.vertex<2xf32>):
    %xj = gnn.get_vertex %x source : <2x4xf32> -> vector<2x4xf32>
    %aj = gnn.get_vertex %as source : <2xf32> -> vector<2xf32>
    %ai = gnn.get_vertex %ad target : <2xf32> -> vector<2xf32>
    %l = gnn.add %aj, %ai : vector<2xf32>, vector<2xf32> -> vector<2xf32>
    %l2 = gnn.reshape %l : vector<2xf32> -> vector<2x1xf32>
    gnn.yield %xj, %l2 : vector<2x4xf32>, vector<2x1xf32>
  } update {
  ^bb0(%x: !gnn.vertex<2x4xf32>, %as: !gnn.vertex<2xf32>, %ad: !gnn.vertex<2xf32>, %agg: vector<2x4xf32>):
    %ai = gnn.get_vertex %ad target : <2xf32> -> vector<2xf32>
    %ai2 = gnn.reshape %ai : vector<2xf32> -> vector<2x1xf32>
    %o = gnn.mul %agg, %ai2 : vector<2x4xf32>, vector<2x1xf32> -> vector<2x4xf32>
    gnn.yield %o : vector<2x4xf32>
  }
  return %y : !gnn.vertex<2x4xf32>
}

// -----

// Three siblings join pairwise into one row: [a | b | c], read once at
// each side (a and c at the source, b at the target).
// CHECK-LABEL: func.func @three
// CHECK:       %[[J:.*]] = gnn.transform(%arg1) : (!gnn.vertex<4xf32>) -> !gnn.vertex<3xf32>
// CHECK-NOT:   gnn.transform
// CHECK:       gnn.message_passing %arg0(%[[J]])
// CHECK-NEXT:  ^bb0
// CHECK-NEXT:    gnn.get_vertex %{{.*}} source : <3xf32> -> vector<3xf32>
// CHECK-NEXT:    gnn.get_vertex %{{.*}} target : <3xf32> -> vector<3xf32>
// CHECK-NOT:     gnn.get_vertex
// CHECK-DAG:     gnn.slice %{{.*}} offsets = [0] strides = [1] : vector<2xf32> -> vector<1xf32>
// CHECK-DAG:     gnn.slice %{{.*}} offsets = [1] strides = [1] : vector<2xf32> -> vector<1xf32>
// CHECK-DAG:     gnn.slice %{{.*}} offsets = [2] strides = [1] : vector<3xf32> -> vector<1xf32>
// CHECK-NOT:     gnn.get_vertex
// CHECK:         gnn.yield
func.func @three(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) -> !gnn.vertex<1xf32> {
  %a = gnn.transform(%x) : (!gnn.vertex<4xf32>) -> !gnn.vertex<1xf32> {
  ^bb0(%r: vector<4xf32>):
    %s = gnn.slice %r offsets = [0] strides = [1] : vector<4xf32> -> vector<1xf32>
    gnn.yield %s : vector<1xf32>
  }
  %b = gnn.transform(%x) : (!gnn.vertex<4xf32>) -> !gnn.vertex<1xf32> {
  ^bb0(%r: vector<4xf32>):
    %s = gnn.slice %r offsets = [1] strides = [1] : vector<4xf32> -> vector<1xf32>
    gnn.yield %s : vector<1xf32>
  }
  %c = gnn.transform(%x) : (!gnn.vertex<4xf32>) -> !gnn.vertex<1xf32> {
  ^bb0(%r: vector<4xf32>):
    %s = gnn.slice %r offsets = [2] strides = [1] : vector<4xf32> -> vector<1xf32>
    gnn.yield %s : vector<1xf32>
  }
  %y = gnn.message_passing %g(%a, %b, %c) aggr = add : <as_given>, (!gnn.vertex<1xf32>, !gnn.vertex<1xf32>, !gnn.vertex<1xf32>) -> !gnn.vertex<1xf32> {
  ^bb0(%ta: !gnn.vertex<1xf32>, %tb: !gnn.vertex<1xf32>, %tc: !gnn.vertex<1xf32>):
    %ra = gnn.get_vertex %ta source : <1xf32> -> vector<1xf32>
    %rb = gnn.get_vertex %tb target : <1xf32> -> vector<1xf32>
    %rc = gnn.get_vertex %tc source : <1xf32> -> vector<1xf32>
    %s = gnn.add %ra, %rb : vector<1xf32>, vector<1xf32> -> vector<1xf32>
    %t = gnn.mul %s, %rc : vector<1xf32>, vector<1xf32> -> vector<1xf32>
    gnn.yield %t : vector<1xf32>
  }
  return %y : !gnn.vertex<1xf32>
}

// -----

// Left alone: each stage reads one of them (joined, each would gather a
// row twice as wide as it needs).
// CHECK-LABEL: func.func @one_each
// CHECK-COUNT-2: gnn.transform(%arg1) : (!gnn.vertex<4xf32>) -> !gnn.vertex<1xf32>
// CHECK-NOT:   gnn.concat
func.func @one_each(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) -> (!gnn.vertex<1xf32>, !gnn.vertex<1xf32>) {
  %a = gnn.transform(%x) : (!gnn.vertex<4xf32>) -> !gnn.vertex<1xf32> {
  ^bb0(%r: vector<4xf32>):
    %s = gnn.slice %r offsets = [0] strides = [1] : vector<4xf32> -> vector<1xf32>
    gnn.yield %s : vector<1xf32>
  }
  %b = gnn.transform(%x) : (!gnn.vertex<4xf32>) -> !gnn.vertex<1xf32> {
  ^bb0(%r: vector<4xf32>):
    %s = gnn.slice %r offsets = [1] strides = [1] : vector<4xf32> -> vector<1xf32>
    gnn.yield %s : vector<1xf32>
  }
  %ya = gnn.message_passing %g(%a) aggr = add : <as_given>, (!gnn.vertex<1xf32>) -> !gnn.vertex<1xf32> {
  ^bb0(%t: !gnn.vertex<1xf32>):
    %r = gnn.get_vertex %t source : <1xf32> -> vector<1xf32>
    gnn.yield %r : vector<1xf32>
  }
  %yb = gnn.message_passing %g(%b) aggr = add : <as_given>, (!gnn.vertex<1xf32>) -> !gnn.vertex<1xf32> {
  ^bb0(%t: !gnn.vertex<1xf32>):
    %r = gnn.get_vertex %t source : <1xf32> -> vector<1xf32>
    gnn.yield %r : vector<1xf32>
  }
  return %ya, %yb : !gnn.vertex<1xf32>, !gnn.vertex<1xf32>
}

// -----

// Left alone: no rows in common (nothing read once instead of twice), a
// result the function returns, a stage between the two transforms (it
// reads only the first), and a tensor a stage reads as its self loops'
// edge rows (get_edge ... loop, which takes the whole row).
// CHECK-LABEL: func.func @apart
// CHECK-COUNT-2: gnn.transform
// CHECK-NOT:   gnn.concat
// CHECK-LABEL: func.func @returned
// CHECK-COUNT-2: gnn.transform
// CHECK-NOT:   gnn.concat
// CHECK-LABEL: func.func @between
// CHECK-COUNT-2: gnn.transform
// CHECK-NOT:   gnn.concat
// CHECK-LABEL: func.func @loop_rows
// CHECK-COUNT-2: gnn.transform
// CHECK-NOT:   gnn.concat
func.func @apart(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %z: !gnn.vertex<4xf32>) -> !gnn.vertex<1xf32> {
  %a = gnn.transform(%x) : (!gnn.vertex<4xf32>) -> !gnn.vertex<1xf32> {
  ^bb0(%r: vector<4xf32>):
    %s = gnn.slice %r offsets = [0] strides = [1] : vector<4xf32> -> vector<1xf32>
    gnn.yield %s : vector<1xf32>
  }
  %b = gnn.transform(%z) : (!gnn.vertex<4xf32>) -> !gnn.vertex<1xf32> {
  ^bb0(%r: vector<4xf32>):
    %s = gnn.slice %r offsets = [0] strides = [1] : vector<4xf32> -> vector<1xf32>
    gnn.yield %s : vector<1xf32>
  }
  %y = gnn.message_passing %g(%a, %b) aggr = add : <as_given>, (!gnn.vertex<1xf32>, !gnn.vertex<1xf32>) -> !gnn.vertex<1xf32> {
  ^bb0(%ta: !gnn.vertex<1xf32>, %tb: !gnn.vertex<1xf32>):
    %ra = gnn.get_vertex %ta source : <1xf32> -> vector<1xf32>
    %rb = gnn.get_vertex %tb target : <1xf32> -> vector<1xf32>
    %s = gnn.add %ra, %rb : vector<1xf32>, vector<1xf32> -> vector<1xf32>
    gnn.yield %s : vector<1xf32>
  }
  return %y : !gnn.vertex<1xf32>
}

func.func @returned(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) -> (!gnn.vertex<1xf32>, !gnn.vertex<1xf32>) {
  %a = gnn.transform(%x) : (!gnn.vertex<4xf32>) -> !gnn.vertex<1xf32> {
  ^bb0(%r: vector<4xf32>):
    %s = gnn.slice %r offsets = [0] strides = [1] : vector<4xf32> -> vector<1xf32>
    gnn.yield %s : vector<1xf32>
  }
  %b = gnn.transform(%x) : (!gnn.vertex<4xf32>) -> !gnn.vertex<1xf32> {
  ^bb0(%r: vector<4xf32>):
    %s = gnn.slice %r offsets = [1] strides = [1] : vector<4xf32> -> vector<1xf32>
    gnn.yield %s : vector<1xf32>
  }
  %y = gnn.message_passing %g(%a, %b) aggr = add : <as_given>, (!gnn.vertex<1xf32>, !gnn.vertex<1xf32>) -> !gnn.vertex<1xf32> {
  ^bb0(%ta: !gnn.vertex<1xf32>, %tb: !gnn.vertex<1xf32>):
    %ra = gnn.get_vertex %ta source : <1xf32> -> vector<1xf32>
    %rb = gnn.get_vertex %tb target : <1xf32> -> vector<1xf32>
    %s = gnn.add %ra, %rb : vector<1xf32>, vector<1xf32> -> vector<1xf32>
    gnn.yield %s : vector<1xf32>
  }
  return %y, %a : !gnn.vertex<1xf32>, !gnn.vertex<1xf32>
}

func.func @between(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) -> !gnn.vertex<1xf32> {
  %a = gnn.transform(%x) : (!gnn.vertex<4xf32>) -> !gnn.vertex<1xf32> {
  ^bb0(%r: vector<4xf32>):
    %s = gnn.slice %r offsets = [0] strides = [1] : vector<4xf32> -> vector<1xf32>
    gnn.yield %s : vector<1xf32>
  }
  %y0 = gnn.message_passing %g(%a) aggr = add : <as_given>, (!gnn.vertex<1xf32>) -> !gnn.vertex<1xf32> {
  ^bb0(%ta: !gnn.vertex<1xf32>):
    %ra = gnn.get_vertex %ta source : <1xf32> -> vector<1xf32>
    gnn.yield %ra : vector<1xf32>
  }
  %b = gnn.transform(%x) : (!gnn.vertex<4xf32>) -> !gnn.vertex<1xf32> {
  ^bb0(%r: vector<4xf32>):
    %s = gnn.slice %r offsets = [1] strides = [1] : vector<4xf32> -> vector<1xf32>
    gnn.yield %s : vector<1xf32>
  }
  %y = gnn.message_passing %g(%a, %b) aggr = add : <as_given>, (!gnn.vertex<1xf32>, !gnn.vertex<1xf32>) -> !gnn.vertex<1xf32> {
  ^bb0(%ta: !gnn.vertex<1xf32>, %tb: !gnn.vertex<1xf32>):
    %ra = gnn.get_vertex %ta source : <1xf32> -> vector<1xf32>
    %rb = gnn.get_vertex %tb target : <1xf32> -> vector<1xf32>
    %s = gnn.add %ra, %rb : vector<1xf32>, vector<1xf32> -> vector<1xf32>
    gnn.yield %s : vector<1xf32>
  }
  return %y : !gnn.vertex<1xf32>
}

func.func @loop_rows(%g: !gnn.graph<stored_plus_one>, %x: !gnn.vertex<4xf32>, %e: !gnn.edge<1xf32>) -> !gnn.vertex<1xf32> {
  %a = gnn.transform(%x) : (!gnn.vertex<4xf32>) -> !gnn.vertex<1xf32> {
  ^bb0(%r: vector<4xf32>):
    %s = gnn.slice %r offsets = [0] strides = [1] : vector<4xf32> -> vector<1xf32>
    gnn.yield %s : vector<1xf32>
  }
  %b = gnn.transform(%x) : (!gnn.vertex<4xf32>) -> !gnn.vertex<1xf32> {
  ^bb0(%r: vector<4xf32>):
    %s = gnn.slice %r offsets = [1] strides = [1] : vector<4xf32> -> vector<1xf32>
    gnn.yield %s : vector<1xf32>
  }
  %y = gnn.message_passing %g(%a, %b, %e) aggr = add : <stored_plus_one>, (!gnn.vertex<1xf32>, !gnn.vertex<1xf32>, !gnn.edge<1xf32>) -> !gnn.vertex<1xf32> {
  ^bb0(%ta: !gnn.vertex<1xf32>, %tb: !gnn.vertex<1xf32>, %te: !gnn.edge<1xf32>):
    %ra = gnn.get_vertex %ta source : <1xf32> -> vector<1xf32>
    %w = gnn.get_edge %te loop %tb : !gnn.edge<1xf32>, !gnn.vertex<1xf32> -> vector<1xf32>
    %s = gnn.mul %ra, %w : vector<1xf32>, vector<1xf32> -> vector<1xf32>
    gnn.yield %s : vector<1xf32>
  }
  return %y : !gnn.vertex<1xf32>
}

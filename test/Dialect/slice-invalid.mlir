// Every diagnostic of gnn.slice's verifier.
// RUN: gnn-opt %s -split-input-file -verify-diagnostics

func.func @rank(%a: vector<2x4xf32>) {
  // expected-error @+1 {{needs one offset and one stride per dimension of 'vector<2x4xf32>', and a result of the same rank}}
  %0 = gnn.slice %a offsets = [0] strides = [1] : vector<2x4xf32> -> vector<2x2xf32>
  return
}

// -----

func.func @result_rank(%a: vector<8xf32>) {
  // expected-error @+1 {{needs one offset and one stride per dimension}}
  %0 = gnn.slice %a offsets = [0] strides = [1] : vector<8xf32> -> vector<1x2xf32>
  return
}

// -----

func.func @stride(%a: vector<8xf32>) {
  // expected-error @+1 {{offsets must be non-negative and strides positive, got offset 0 and stride 0 in dimension 0}}
  %0 = gnn.slice %a offsets = [0] strides = [0] : vector<8xf32> -> vector<2xf32>
  return
}

// -----

func.func @offset(%a: vector<8xf32>) {
  // expected-error @+1 {{offsets must be non-negative and strides positive, got offset -1 and stride 1 in dimension 0}}
  %0 = gnn.slice %a offsets = [-1] strides = [1] : vector<8xf32> -> vector<2xf32>
  return
}

// -----

func.func @past_end(%a: vector<2x4xf32>) {
  // expected-error @+1 {{dimension 1 reads past the end of 'vector<2x4xf32>': 2 elements from 1 in steps of 3}}
  %0 = gnn.slice %a offsets = [0, 1] strides = [1, 3] : vector<2x4xf32> -> vector<2x2xf32>
  return
}

// -----

func.func @whole_tensor(%x: !gnn.vertex<4xf32>) {
  // expected-error @+1 {{operand #0 must be vector of 32-bit float values}}
  %0 = "gnn.slice"(%x) <{offsets = array<i64: 0>, strides = array<i64: 1>}> : (!gnn.vertex<4xf32>) -> vector<2xf32>
  return
}

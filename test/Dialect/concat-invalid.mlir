// Every diagnostic of gnn.concat's verifier.
// RUN: gnn-opt %s -split-input-file -verify-diagnostics

func.func @leading_dims(%a: vector<2x4xf32>, %b: vector<3x4xf32>) {
  // expected-error @+1 {{inputs must agree on all but the last dimension: 'vector<2x4xf32>' and 'vector<3x4xf32>'}}
  %0 = gnn.concat %a, %b : vector<2x4xf32>, vector<3x4xf32> -> vector<2x8xf32>
  return
}

// -----

func.func @rank(%a: vector<4xf32>, %b: vector<1x4xf32>) {
  // expected-error @+1 {{inputs must agree on all but the last dimension}}
  %0 = gnn.concat %a, %b : vector<4xf32>, vector<1x4xf32> -> vector<8xf32>
  return
}

// -----

func.func @result(%a: vector<4xf32>, %b: vector<3xf32>) {
  // expected-error @+1 {{result must be 'vector<7xf32>', not 'vector<8xf32>'}}
  %0 = gnn.concat %a, %b : vector<4xf32>, vector<3xf32> -> vector<8xf32>
  return
}

// -----

func.func @scalar_rows(%a: vector<f32>) {
  // expected-error @+1 {{inputs must have a dimension to join along}}
  %0 = gnn.concat %a, %a : vector<f32>, vector<f32> -> vector<2xf32>
  return
}

// -----

func.func @no_inputs() {
  // expected-error @+1 {{needs at least one input}}
  %0 = "gnn.concat"() : () -> vector<2xf32>
  return
}

// -----

func.func @whole_tensors(%x: !gnn.vertex<4xf32>) {
  // expected-error @+1 {{operand #0 must be variadic of vector of 32-bit float values}}
  %0 = gnn.concat %x, %x : !gnn.vertex<4xf32>, !gnn.vertex<4xf32> -> vector<8xf32>
  return
}

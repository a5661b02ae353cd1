// Every diagnostic of the gnn types and op verifiers.
// RUN: gnn-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

// expected-error @+1 {{feature shape must have at least one dimension}}
func.func private @no_feature_dims(!gnn.vertex<f32>)

// -----

// expected-error @+1 {{feature dimensions must be positive, got 0}}
func.func private @zero_feature_dim(!gnn.edge<4x0xf32>)

// -----

// expected-error @+1 {{element type must be f32, got 'f16'}}
func.func private @f16_features(!gnn.vertex<4xf16>)

// -----

// expected-error @+1 {{element type must be f32, got 'i32'}}
func.func private @i32_edge_features(!gnn.edge<4xi32>)

// -----

// expected-error @+1 {{expected static shape}}
func.func private @dynamic_feature_dim(!gnn.vertex<4x?xf32>)

// -----

// expected-error @+1 {{expected 'x' in dimension list}}
func.func private @missing_element_type(!gnn.edge<4x4>)

// -----

// expected-error @+2 {{expected ::gnn::SelfLoops to be one of: as_given, one_per_vertex}}
// expected-error @+1 {{failed to parse GNN_GraphType parameter 'selfLoops'}}
func.func private @bad_self_loops(!gnn.graph<twice>)

// -----

//===----------------------------------------------------------------------===//
// Graph structure
//===----------------------------------------------------------------------===//

func.func @add_self_loops_result(%g: !gnn.graph<as_given>) {
  // expected-error @+1 {{'gnn.add_self_loops' op result must be !gnn.graph<one_per_vertex>}}
  %g1 = gnn.add_self_loops %g : !gnn.graph<as_given> -> !gnn.graph<as_given>
  return
}

// -----

func.func @add_self_loops_twice(%g: !gnn.graph<one_per_vertex>) {
  // expected-error @+1 {{'gnn.add_self_loops' op keeps the stored self loops (stored_plus_one) of a graph that is not as given}}
  %g1 = gnn.add_self_loops %g : !gnn.graph<one_per_vertex> -> !gnn.graph<stored_plus_one>
  return
}

// -----

func.func @stored_loop_rows_graph(%g: !gnn.graph<none>, %e: !gnn.edge<1xf32>) {
  // expected-error @+1 {{'gnn.stored_loop_rows' op reads the stored graph (!gnn.graph<as_given>), got '!gnn.graph<none>'}}
  %r = gnn.stored_loop_rows %g(%e) fill = 1.0 : !gnn.graph<none>, !gnn.edge<1xf32> -> !gnn.vertex<1xf32>
  return
}

// -----

func.func @stored_loop_rows_shape(%g: !gnn.graph<as_given>, %e: !gnn.edge<1xf32>) {
  // expected-error @+1 {{'gnn.stored_loop_rows' op result rows must have the edge rows' shape, got '!gnn.vertex<2xf32>' for '!gnn.edge<1xf32>'}}
  %r = gnn.stored_loop_rows %g(%e) fill = 1.0 : !gnn.graph<as_given>, !gnn.edge<1xf32> -> !gnn.vertex<2xf32>
  return
}

// -----

func.func @stored_loop_rows_no_fill(%g: !gnn.graph<as_given>, %e: !gnn.edge<1xf32>) {
  // expected-error @+1 {{'gnn.stored_loop_rows' op needs either a fill number or fill rows}}
  %r = gnn.stored_loop_rows %g(%e) : !gnn.graph<as_given>, !gnn.edge<1xf32> -> !gnn.vertex<1xf32>
  return
}

// -----

func.func @stored_loop_rows_two_fills(%g: !gnn.graph<as_given>, %e: !gnn.edge<1xf32>, %f: !gnn.vertex<1xf32>) {
  // expected-error @+1 {{'gnn.stored_loop_rows' op needs either a fill number or fill rows}}
  %r = gnn.stored_loop_rows %g(%e) fill = 1.0 fill_rows = %f : !gnn.vertex<1xf32> : !gnn.graph<as_given>, !gnn.edge<1xf32> -> !gnn.vertex<1xf32>
  return
}

// -----

func.func @stored_loop_rows_fill_type(%g: !gnn.graph<as_given>, %e: !gnn.edge<1xf32>, %f: !gnn.vertex<2xf32>) {
  // expected-error @+1 {{'gnn.stored_loop_rows' op fill rows must have the result's type, got '!gnn.vertex<2xf32>'}}
  %r = gnn.stored_loop_rows %g(%e) fill_rows = %f : !gnn.vertex<2xf32> : !gnn.graph<as_given>, !gnn.edge<1xf32> -> !gnn.vertex<1xf32>
  return
}

// -----

func.func @degree_result(%g: !gnn.graph<as_given>) {
  // expected-error @+1 {{'gnn.degree' op result must be !gnn.vertex<1xf32>, got '!gnn.vertex<4xf32>'}}
  %d = gnn.degree %g : !gnn.graph<as_given> -> !gnn.vertex<4xf32>
  return
}

// -----

func.func @degree_result_2d(%g: !gnn.graph<one_per_vertex>) {
  // expected-error @+1 {{'gnn.degree' op result must be !gnn.vertex<1xf32>, got '!gnn.vertex<1x1xf32>'}}
  %d = gnn.degree %g : !gnn.graph<one_per_vertex> -> !gnn.vertex<1x1xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Linear
//===----------------------------------------------------------------------===//

func.func @linear_weight_rank(%x: !gnn.vertex<8xf32>, %w: tensor<8xf32>) {
  // expected-error @+1 {{'gnn.linear' op weight must be a static [out, in] tensor, got 'tensor<8xf32>'}}
  %y = gnn.linear %x, %w : !gnn.vertex<8xf32>, tensor<8xf32> -> !gnn.vertex<8xf32>
  return
}

// -----

func.func @linear_dynamic_weight(%x: !gnn.vertex<8xf32>, %w: tensor<?x8xf32>) {
  // expected-error @+1 {{'gnn.linear' op operand #1 must be statically shaped tensor of 32-bit float values, but got 'tensor<?x8xf32>'}}
  %y = gnn.linear %x, %w : !gnn.vertex<8xf32>, tensor<?x8xf32> -> !gnn.vertex<4xf32>
  return
}

// -----

func.func @linear_unranked_weight(%x: !gnn.vertex<8xf32>, %w: tensor<*xf32>) {
  // expected-error @+1 {{invalid kind of type specified}}
  %y = gnn.linear %x, %w : !gnn.vertex<8xf32>, tensor<*xf32> -> !gnn.vertex<4xf32>
  return
}

// -----

func.func @linear_input_features(%x: !gnn.vertex<6xf32>, %w: tensor<4x8xf32>) {
  // expected-error @+1 {{'gnn.linear' op input has 6 features but the weight expects 8}}
  %y = gnn.linear %x, %w : !gnn.vertex<6xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  return
}

// -----

func.func @linear_input_row(%x: vector<8xf32>, %w: tensor<4x8xf32>) {
  // expected-error @+1 {{'gnn.linear' op operand #0 must be vertex or edge tensor, but got 'vector<8xf32>'}}
  %y = gnn.linear %x, %w : vector<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  return
}

// -----

func.func @linear_bias_shape(%x: !gnn.vertex<8xf32>, %w: tensor<4x8xf32>, %b: tensor<8xf32>) {
  // expected-error @+1 {{'gnn.linear' op bias must be tensor<4xf32>, got 'tensor<8xf32>'}}
  %y = gnn.linear %x, %w, %b : !gnn.vertex<8xf32>, tensor<4x8xf32>, tensor<8xf32> -> !gnn.vertex<4xf32>
  return
}

// -----

func.func @linear_bias_rank(%x: !gnn.vertex<8xf32>, %w: tensor<4x8xf32>, %b: tensor<1x4xf32>) {
  // expected-error @+1 {{'gnn.linear' op bias must be tensor<4xf32>, got 'tensor<1x4xf32>'}}
  %y = gnn.linear %x, %w, %b : !gnn.vertex<8xf32>, tensor<4x8xf32>, tensor<1x4xf32> -> !gnn.vertex<4xf32>
  return
}

// -----

func.func @linear_accumulate_type(%x: !gnn.vertex<8xf32>, %w: tensor<4x8xf32>, %a: !gnn.vertex<8xf32>) {
  // expected-error @+1 {{'gnn.linear' op accumulate must have the result type '!gnn.vertex<4xf32>', got '!gnn.vertex<8xf32>'}}
  %y = gnn.linear %x, %w accumulate(%a : !gnn.vertex<8xf32>) : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  return
}

// -----

func.func @linear_scale_width(%x: !gnn.vertex<8xf32>, %w: tensor<4x8xf32>, %s: !gnn.vertex<4xf32>) {
  // expected-error @+1 {{'gnn.linear' op scale must be '!gnn.vertex<1xf32>', got '!gnn.vertex<4xf32>'}}
  %y = gnn.linear %x, %w scale(%s : !gnn.vertex<4xf32>) : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  return
}

// -----

func.func @linear_scale_domain(%x: !gnn.vertex<8xf32>, %w: tensor<4x8xf32>, %s: !gnn.edge<1xf32>) {
  // expected-error @+1 {{'gnn.linear' op scale must be '!gnn.vertex<1xf32>', got '!gnn.edge<1xf32>'}}
  %y = gnn.linear %x, %w scale(%s : !gnn.edge<1xf32>) : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  return
}

// -----

func.func @linear_scale_heads(%x: !gnn.vertex<3x8xf32>, %w: tensor<4x8xf32>, %s: !gnn.vertex<1xf32>) {
  // expected-error @+1 {{'gnn.linear' op scale needs an input with one feature dimension}}
  %y = gnn.linear %x, %w scale(%s : !gnn.vertex<1xf32>) : !gnn.vertex<3x8xf32>, tensor<4x8xf32> -> !gnn.vertex<3x4xf32>
  return
}

// -----

func.func @linear_accumulate_domain(%x: !gnn.vertex<8xf32>, %w: tensor<4x8xf32>, %a: !gnn.edge<4xf32>) {
  // expected-error @+1 {{'gnn.linear' op accumulate must have the result type '!gnn.vertex<4xf32>', got '!gnn.edge<4xf32>'}}
  %y = gnn.linear %x, %w accumulate(%a : !gnn.edge<4xf32>) : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  return
}

// -----

func.func @linear_activation_needs_alpha(%x: !gnn.vertex<8xf32>, %w: tensor<4x8xf32>) {
  // expected-error @+1 {{'gnn.linear' op activation leaky_relu needs alpha}}
  %y = gnn.linear %x, %w activation = leaky_relu : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  return
}

// -----

func.func @linear_elu_needs_alpha(%x: !gnn.vertex<8xf32>, %w: tensor<4x8xf32>) {
  // expected-error @+1 {{'gnn.linear' op activation elu needs alpha}}
  %y = gnn.linear %x, %w activation = elu : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  return
}

// -----

func.func @linear_alpha_without_parameter(%x: !gnn.vertex<8xf32>, %w: tensor<4x8xf32>) {
  // expected-error @+1 {{'gnn.linear' op alpha is only for the elu and leaky_relu activations}}
  %y = gnn.linear %x, %w activation = relu alpha = 0.1 : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  return
}

// -----

func.func @linear_alpha_without_activation(%x: !gnn.vertex<8xf32>, %w: tensor<4x8xf32>) {
  // expected-error @+1 {{'gnn.linear' op alpha is only for the elu and leaky_relu activations}}
  %y = gnn.linear %x, %w alpha = 0.1 : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  return
}

// -----

func.func @linear_unknown_activation(%x: !gnn.vertex<8xf32>, %w: tensor<4x8xf32>) {
  // expected-error @+2 {{expected ::gnn::Activation to be one of: relu, leaky_relu, elu, sigmoid, tanh, gelu, exp}}
  // expected-error @+1 {{failed to parse GNN_ActivationAttr parameter 'value'}}
  %y = gnn.linear %x, %w activation = softplus : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  return
}

// -----

func.func @linear_result_features(%x: !gnn.vertex<8xf32>, %w: tensor<4x8xf32>) {
  // expected-error @+1 {{'gnn.linear' op result type must be '!gnn.vertex<4xf32>', got '!gnn.vertex<8xf32>'}}
  %y = gnn.linear %x, %w : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<8xf32>
  return
}

// -----

func.func @linear_result_domain(%x: !gnn.edge<8xf32>, %w: tensor<4x8xf32>) {
  // expected-error @+1 {{'gnn.linear' op result type must be '!gnn.edge<4xf32>', got '!gnn.vertex<4xf32>'}}
  %y = gnn.linear %x, %w : !gnn.edge<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  return
}

// -----

func.func @linear_result_leading_dims(%x: !gnn.vertex<3x8xf32>, %w: tensor<4x8xf32>) {
  // expected-error @+1 {{'gnn.linear' op result type must be '!gnn.vertex<3x4xf32>', got '!gnn.vertex<4xf32>'}}
  %y = gnn.linear %x, %w : !gnn.vertex<3x8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

func.func @binary_vertex_edge(%v: !gnn.vertex<4xf32>, %e: !gnn.edge<4xf32>) {
  // expected-error @+1 {{'gnn.add' op cannot combine a vertex tensor with an edge tensor}}
  %r = gnn.add %v, %e : !gnn.vertex<4xf32>, !gnn.edge<4xf32> -> !gnn.vertex<4xf32>
  return
}

// -----

func.func @binary_edge_vertex(%v: !gnn.vertex<4xf32>, %e: !gnn.edge<4xf32>) {
  // expected-error @+1 {{'gnn.mul' op cannot combine an edge tensor with a vertex tensor}}
  %r = gnn.mul %e, %v : !gnn.edge<4xf32>, !gnn.vertex<4xf32> -> !gnn.edge<4xf32>
  return
}

// -----

func.func @binary_vertex_row(%v: !gnn.vertex<4xf32>, %r: vector<4xf32>) {
  // expected-error @+1 {{'gnn.sub' op cannot combine a vertex tensor with a row}}
  %s = gnn.sub %v, %r : !gnn.vertex<4xf32>, vector<4xf32> -> !gnn.vertex<4xf32>
  return
}

// -----

func.func @binary_row_edge(%e: !gnn.edge<4xf32>, %r: vector<4xf32>) {
  // expected-error @+1 {{'gnn.div' op cannot combine a row with an edge tensor}}
  %s = gnn.div %r, %e : vector<4xf32>, !gnn.edge<4xf32> -> vector<4xf32>
  return
}

// -----

func.func @binary_no_broadcast(%a: !gnn.vertex<4xf32>, %b: !gnn.vertex<3xf32>) {
  // expected-error @+1 {{'gnn.maximum' op feature shapes do not broadcast: '!gnn.vertex<4xf32>' and '!gnn.vertex<3xf32>'}}
  %r = gnn.maximum %a, %b : !gnn.vertex<4xf32>, !gnn.vertex<3xf32> -> !gnn.vertex<4xf32>
  return
}

// -----

func.func @binary_no_broadcast_param(%a: !gnn.vertex<8x4xf32>, %p: tensor<2x4xf32>) {
  // expected-error @+1 {{'gnn.minimum' op feature shapes do not broadcast: '!gnn.vertex<8x4xf32>' and 'tensor<2x4xf32>'}}
  %r = gnn.minimum %a, %p : !gnn.vertex<8x4xf32>, tensor<2x4xf32> -> !gnn.vertex<8x4xf32>
  return
}

// -----

func.func @binary_no_broadcast_rows(%a: vector<4xf32>, %b: vector<2xf32>) {
  // expected-error @+1 {{'gnn.pow' op feature shapes do not broadcast: 'vector<4xf32>' and 'vector<2xf32>'}}
  %r = gnn.pow %a, %b : vector<4xf32>, vector<2xf32> -> vector<4xf32>
  return
}

// -----

func.func @binary_result_shape(%a: !gnn.vertex<1xf32>, %b: !gnn.vertex<4xf32>) {
  // expected-error @+1 {{'gnn.add' op result type must be '!gnn.vertex<4xf32>', got '!gnn.vertex<1xf32>'}}
  %r = gnn.add %a, %b : !gnn.vertex<1xf32>, !gnn.vertex<4xf32> -> !gnn.vertex<1xf32>
  return
}

// -----

func.func @binary_result_domain(%a: !gnn.vertex<4xf32>, %p: tensor<4xf32>) {
  // expected-error @+1 {{'gnn.mul' op result type must be '!gnn.vertex<4xf32>', got 'tensor<4xf32>'}}
  %r = gnn.mul %p, %a : tensor<4xf32>, !gnn.vertex<4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @binary_result_row(%a: vector<4xf32>, %s: f32) {
  // expected-error @+1 {{'gnn.sub' op result type must be 'vector<4xf32>', got '!gnn.vertex<4xf32>'}}
  %r = gnn.sub %a, %s : vector<4xf32>, f32 -> !gnn.vertex<4xf32>
  return
}

// -----

func.func @binary_result_scalar(%s: f32) {
  // expected-error @+1 {{'gnn.div' op result type must be 'f32', got 'vector<1xf32>'}}
  %r = gnn.div %s, %s : f32, f32 -> vector<1xf32>
  return
}

// -----

func.func @binary_integer(%a: !gnn.vertex<4xf32>, %i: i32) {
  // expected-error @+1 {{'gnn.add' op operand #1 must be gnn value, but got 'i32'}}
  %r = gnn.add %a, %i : !gnn.vertex<4xf32>, i32 -> !gnn.vertex<4xf32>
  return
}

// -----

func.func @binary_dynamic_param(%a: !gnn.vertex<1xf32>, %p: tensor<?xf32>) {
  // expected-error @+1 {{'gnn.add' op operand #1 must be gnn value, but got 'tensor<?xf32>'}}
  %r = gnn.add %a, %p : !gnn.vertex<1xf32>, tensor<?xf32> -> !gnn.vertex<4xf32>
  return
}

// -----

func.func @unary_result_type(%a: !gnn.vertex<4xf32>) {
  // expected-error @+1 {{'gnn.relu' op requires the same type for all operands and results}}
  %r = "gnn.relu"(%a) : (!gnn.vertex<4xf32>) -> !gnn.edge<4xf32>
  return
}

// -----

func.func @unary_f64(%a: f64) {
  // expected-error @+1 {{'gnn.exp' op operand #0 must be gnn value, but got 'f64'}}
  %r = gnn.exp %a : f64
  return
}

// -----

func.func @elu_alpha_type(%a: !gnn.vertex<4xf32>) {
  // expected-error @+1 {{'gnn.elu' op attribute 'alpha' failed to satisfy constraint: 32-bit float attribute}}
  %r = gnn.elu %a {alpha = 1.0 : f64} : !gnn.vertex<4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Transform
//===----------------------------------------------------------------------===//

func.func @transform_arg_count(%x: !gnn.vertex<4xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'gnn.transform' op region has 1 arguments but the stage has 2 inputs}}
  %y = gnn.transform (%x, %b) : (!gnn.vertex<4xf32>, tensor<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%row: vector<4xf32>):
    gnn.yield %row : vector<4xf32>
  }
  return
}

// -----

func.func @transform_arg_type(%x: !gnn.vertex<4xf32>) {
  // expected-error @+1 {{'gnn.transform' op region argument #0 must be 'vector<4xf32>', got '!gnn.vertex<4xf32>'}}
  %y = gnn.transform (%x) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%row: !gnn.vertex<4xf32>):
    %r = arith.constant dense<0.0> : vector<4xf32>
    gnn.yield %r : vector<4xf32>
  }
  return
}

// -----

func.func @transform_param_arg_type(%x: !gnn.vertex<4xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'gnn.transform' op region argument #1 must be 'tensor<4xf32>', got 'vector<4xf32>'}}
  %y = gnn.transform (%x, %b) : (!gnn.vertex<4xf32>, tensor<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%row: vector<4xf32>, %bias: vector<4xf32>):
    gnn.yield %row : vector<4xf32>
  }
  return
}

// -----

func.func @transform_reads_edges(%x: !gnn.vertex<4xf32>, %e: !gnn.edge<4xf32>) {
  // expected-error @+1 {{'gnn.transform' op a transform producing a vertex tensor cannot read an edge tensor}}
  %y = gnn.transform (%x, %e) : (!gnn.vertex<4xf32>, !gnn.edge<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%row: vector<4xf32>, %erow: vector<4xf32>):
    gnn.yield %row : vector<4xf32>
  }
  return
}

// -----

func.func @transform_reads_vertices(%x: !gnn.vertex<4xf32>) {
  // expected-error @+1 {{'gnn.transform' op a transform producing an edge tensor cannot read a vertex tensor}}
  %y = gnn.transform (%x) : (!gnn.vertex<4xf32>) -> !gnn.edge<4xf32> {
  ^bb0(%row: vector<4xf32>):
    gnn.yield %row : vector<4xf32>
  }
  return
}

// -----

func.func @transform_row_input(%r: vector<4xf32>) {
  // expected-error @+1 {{'gnn.transform' op inputs must be whole tensors, not rows}}
  %y = gnn.transform (%r) : (vector<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%row: vector<4xf32>):
    gnn.yield %row : vector<4xf32>
  }
  return
}

// -----

func.func @transform_row_result(%x: !gnn.vertex<4xf32>) {
  // expected-error @+1 {{'gnn.transform' op result #0 must be vertex or edge tensor, but got 'vector<4xf32>'}}
  %y = gnn.transform (%x) : (!gnn.vertex<4xf32>) -> vector<4xf32> {
  ^bb0(%row: vector<4xf32>):
    gnn.yield %row : vector<4xf32>
  }
  return
}

// -----

func.func @transform_yield_type(%x: !gnn.vertex<8xf32>) {
  %y = gnn.transform (%x) : (!gnn.vertex<8xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%row: vector<8xf32>):
    // expected-error @+1 {{'gnn.yield' op yields 'vector<8xf32>' but the stage produces rows of 'vector<4xf32>'}}
    gnn.yield %row : vector<8xf32>
  }
  return
}

// -----

func.func @transform_yield_shape(%x: !gnn.vertex<2x4xf32>) {
  %y = gnn.transform (%x) : (!gnn.vertex<2x4xf32>) -> !gnn.vertex<2x4xf32> {
  ^bb0(%row: vector<2x4xf32>):
    %c = vector.shape_cast %row : vector<2x4xf32> to vector<8xf32>
    // expected-error @+1 {{'gnn.yield' op yields 'vector<8xf32>' but the stage produces rows of 'vector<2x4xf32>'}}
    gnn.yield %c : vector<8xf32>
  }
  return
}

// -----

func.func @transform_terminator(%x: !gnn.vertex<4xf32>) {
  // expected-error @+1 {{'gnn.transform' op region must end in gnn.yield}}
  %y = gnn.transform (%x) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%row: vector<4xf32>):
    llvm.unreachable
  }
  return
}

// -----

func.func @transform_isolated(%x: !gnn.vertex<4xf32>, %b: tensor<4xf32>) {
  // expected-note @+1 {{required by region isolation constraints}}
  %y = gnn.transform (%x) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%row: vector<4xf32>):
    // expected-error @+1 {{using value defined outside the region}}
    %s = gnn.add %row, %b : vector<4xf32>, tensor<4xf32> -> vector<4xf32>
    gnn.yield %s : vector<4xf32>
  }
  return
}

// -----

func.func @yield_outside_stage(%r: vector<4xf32>) {
  // expected-error @+1 {{'gnn.yield' op expects parent op to be one of 'gnn.transform, gnn.message_passing'}}
  gnn.yield %r : vector<4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Message passing, get_vertex, get_edge
//===----------------------------------------------------------------------===//

func.func @message_row_input(%g: !gnn.graph<as_given>, %r: vector<4xf32>) {
  // expected-error @+1 {{'gnn.message_passing' op inputs must be whole tensors, not rows}}
  %m = gnn.message_passing %g (%r) aggr = add : !gnn.graph<as_given>, (vector<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: vector<4xf32>):
    gnn.yield %a : vector<4xf32>
  }
  return
}

// -----

func.func @message_arg_type(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) {
  // expected-error @+1 {{'gnn.message_passing' op region argument #0 must be '!gnn.vertex<4xf32>', got 'vector<4xf32>'}}
  %m = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: vector<4xf32>):
    gnn.yield %a : vector<4xf32>
  }
  return
}

// -----

func.func @message_arg_count(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) {
  // expected-error @+1 {{'gnn.message_passing' op region has 2 arguments but the stage has 1 inputs}}
  %m = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>, %b: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  return
}

// -----

func.func @message_yield_type(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) {
  %m = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<8xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    // expected-error @+1 {{'gnn.yield' op yields 'vector<4xf32>' but the stage produces rows of 'vector<8xf32>'}}
    gnn.yield %xj : vector<4xf32>
  }
  return
}

// -----

func.func @message_edge_result(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) {
  // expected-error @+1 {{'gnn.message_passing' op result #0 must be a feature tensor with one row per vertex, but got '!gnn.edge<4xf32>'}}
  %m = "gnn.message_passing"(%g, %x) <{aggr = #gnn<aggr add>}> ({
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }, {
  }) : (!gnn.graph<as_given>, !gnn.vertex<4xf32>) -> !gnn.edge<4xf32>
  return
}

// -----

func.func @message_bad_aggr(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) {
  // expected-error @+2 {{expected ::gnn::Aggregation to be one of: add, mean, max, min}}
  // expected-error @+1 {{failed to parse GNN_AggregationAttr parameter 'value'}}
  %m = gnn.message_passing %g (%x) aggr = sum : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  return
}

// -----

func.func @message_whole_tensor_use(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) {
  %m = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    // expected-error @+1 {{'gnn.relu' op cannot use the whole tensor region argument #0; read its rows with gnn.get_vertex or gnn.get_edge}}
    %r = gnn.relu %a : !gnn.vertex<4xf32>
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  return
}

// -----

func.func @get_vertex_outside(%x: !gnn.vertex<4xf32>) {
  // expected-error @+1 {{'gnn.get_vertex' op operand must be an argument of the enclosing gnn.message_passing}}
  %r = gnn.get_vertex %x source : !gnn.vertex<4xf32> -> vector<4xf32>
  return
}

// -----

func.func @get_vertex_in_transform(%x: !gnn.vertex<4xf32>) {
  %y = gnn.transform () : () -> !gnn.vertex<4xf32> {
    %t = gnn.transform () : () -> !gnn.vertex<4xf32> {
      %z = arith.constant dense<0.0> : vector<4xf32>
      gnn.yield %z : vector<4xf32>
    }
    // expected-error @+1 {{'gnn.get_vertex' op operand must be an argument of the enclosing gnn.message_passing}}
    %r = gnn.get_vertex %t target : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %r : vector<4xf32>
  }
  return
}

// -----

func.func @get_vertex_non_argument(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) {
  %m = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %r = gnn.relu %a : !gnn.vertex<4xf32>
    // expected-error @+1 {{'gnn.get_vertex' op operand must be an argument of the enclosing gnn.message_passing}}
    %xj = gnn.get_vertex %r source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  return
}

// -----

func.func @get_vertex_row_type(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) {
  %m = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    // expected-error @+1 {{'gnn.get_vertex' op result must be 'vector<4xf32>', got 'vector<8xf32>'}}
    %xj = gnn.get_vertex %a target : !gnn.vertex<4xf32> -> vector<8xf32>
    %z = arith.constant dense<0.0> : vector<4xf32>
    gnn.yield %z : vector<4xf32>
  }
  return
}

// -----

func.func @get_vertex_row_shape(%g: !gnn.graph<as_given>, %x: !gnn.vertex<2x2xf32>) {
  %m = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<2x2xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<2x2xf32>):
    // expected-error @+1 {{'gnn.get_vertex' op result must be 'vector<2x2xf32>', got 'vector<4xf32>'}}
    %xj = gnn.get_vertex %a source : !gnn.vertex<2x2xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  return
}

// -----

func.func @get_vertex_of_edge_tensor(%g: !gnn.graph<as_given>, %e: !gnn.edge<4xf32>) {
  %m = gnn.message_passing %g (%e) aggr = add : !gnn.graph<as_given>, (!gnn.edge<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.edge<4xf32>):
    // expected-error @+1 {{'gnn.get_vertex' op operand #0 must be a feature tensor with one row per vertex, but got '!gnn.edge<4xf32>'}}
    %xj = "gnn.get_vertex"(%a) <{side = #gnn<side source>}> : (!gnn.edge<4xf32>) -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  return
}

// -----

func.func @get_vertex_bad_side(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) {
  %m = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    // expected-error @+2 {{expected ::gnn::Side to be one of: source, target}}
    // expected-error @+1 {{failed to parse GNN_SideAttr parameter 'value'}}
    %xj = gnn.get_vertex %a neighbour : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  return
}

// -----

func.func @get_edge_outside(%e: !gnn.edge<4xf32>) {
  // expected-error @+1 {{'gnn.get_edge' op operand must be an argument of the enclosing gnn.message_passing}}
  %r = gnn.get_edge %e : !gnn.edge<4xf32> -> vector<4xf32>
  return
}

// -----

func.func @get_edge_non_argument(%g: !gnn.graph<as_given>, %e: !gnn.edge<4xf32>) {
  %m = gnn.message_passing %g (%e) aggr = add : !gnn.graph<as_given>, (!gnn.edge<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.edge<4xf32>):
    %n = gnn.neg %a : !gnn.edge<4xf32>
    // expected-error @+1 {{'gnn.get_edge' op operand must be an argument of the enclosing gnn.message_passing}}
    %r = gnn.get_edge %n : !gnn.edge<4xf32> -> vector<4xf32>
    gnn.yield %r : vector<4xf32>
  }
  return
}

// -----

func.func @get_edge_row_type(%g: !gnn.graph<as_given>, %e: !gnn.edge<4xf32>) {
  %m = gnn.message_passing %g (%e) aggr = add : !gnn.graph<as_given>, (!gnn.edge<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.edge<4xf32>):
    // expected-error @+1 {{'gnn.get_edge' op result must be 'vector<4xf32>', got 'vector<1xf32>'}}
    %r = gnn.get_edge %a : !gnn.edge<4xf32> -> vector<1xf32>
    %z = arith.constant dense<0.0> : vector<4xf32>
    gnn.yield %z : vector<4xf32>
  }
  return
}

// -----

func.func @get_edge_of_vertex_tensor(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) {
  %m = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    // expected-error @+1 {{'gnn.get_edge' op operand #0 must be a feature tensor with one row per edge, but got '!gnn.vertex<4xf32>'}}
    %r = "gnn.get_edge"(%a) : (!gnn.vertex<4xf32>) -> vector<4xf32>
    gnn.yield %r : vector<4xf32>
  }
  return
}

// -----

//===----------------------------------------------------------------------===//
// Launch
//===----------------------------------------------------------------------===//

func.func @launch_undefined(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) {
  // expected-error @+1 {{'gnn.launch' op kernel 'missing' is not defined}}
  %y = gnn.launch @missing(%g, %x) : !gnn.graph<as_given>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
  return
}

// -----

func.func @launch_row_result(%lo: i64, %hi: i64, %args: !llvm.ptr) {
  return
}

func.func @launch_row(%g: !gnn.graph<as_given>) {
  // expected-error @+1 {{'gnn.launch' op result #0 must be vertex or edge tensor, but got 'vector<4xf32>'}}
  %y = gnn.launch @launch_row_result(%g) : !gnn.graph<as_given> -> vector<4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Shapes and reductions
//===----------------------------------------------------------------------===//

func.func @reshape_count(%x: !gnn.vertex<64xf32>) {
  // expected-error @+1 {{'gnn.reshape' op changes the number of elements per row from 64 to 56}}
  %0 = gnn.reshape %x : !gnn.vertex<64xf32> -> !gnn.vertex<8x7xf32>
  return
}

// -----

func.func @reshape_param_count(%p: tensor<1x8x8xf32>) {
  // expected-error @+1 {{'gnn.reshape' op changes the number of elements from 64 to 8}}
  %0 = gnn.reshape %p : tensor<1x8x8xf32> -> tensor<8xf32>
  return
}

// -----

func.func @reshape_domain(%x: !gnn.vertex<8xf32>) {
  // expected-error @+1 {{'gnn.reshape' op cannot reshape a vertex tensor into an edge tensor}}
  %0 = gnn.reshape %x : !gnn.vertex<8xf32> -> !gnn.edge<8xf32>
  return
}

// -----

func.func @reshape_scalar(%s: f32) {
  // expected-error @+1 {{'gnn.reshape' op operand #0 must be vertex or edge tensor, row or parameter, but got 'f32'}}
  %0 = "gnn.reshape"(%s) : (f32) -> vector<1xf32>
  return
}

// -----

func.func @reduce_dim_range(%x: !gnn.vertex<8x8xf32>) {
  // expected-error @+1 {{'gnn.reduce' op dimension 2 is out of range for '!gnn.vertex<8x8xf32>' (rank 2)}}
  %0 = gnn.reduce sum %x dim = 2 : !gnn.vertex<8x8xf32> -> !gnn.vertex<8xf32>
  return
}

// -----

func.func @reduce_negative_dim(%x: !gnn.vertex<8x8xf32>) {
  // expected-error @+1 {{'gnn.reduce' op dimension -1 is out of range}}
  %0 = gnn.reduce sum %x dim = -1 : !gnn.vertex<8x8xf32> -> !gnn.vertex<8xf32>
  return
}

// -----

func.func @reduce_result(%x: !gnn.vertex<8x4xf32>) {
  // expected-error @+1 {{'gnn.reduce' op result type must be '!gnn.vertex<8xf32>', got '!gnn.vertex<4xf32>'}}
  %0 = gnn.reduce max %x dim = 1 : !gnn.vertex<8x4xf32> -> !gnn.vertex<4xf32>
  return
}

// -----

func.func @reduce_last_feature(%x: !gnn.vertex<8xf32>) {
  // expected-error @+1 {{'gnn.reduce' op cannot reduce the only feature dimension of '!gnn.vertex<8xf32>'}}
  %0 = "gnn.reduce"(%x) <{dim = 0 : i64, kind = #gnn<reduction sum>}> : (!gnn.vertex<8xf32>) -> f32
  return
}

// -----

func.func @reduce_bad_kind(%x: !gnn.vertex<8x2xf32>) {
  // expected-error @+2 {{expected ::gnn::Reduction to be one of: sum, mean, max, min}}
  // expected-error @+1 {{failed to parse GNN_ReductionAttr parameter 'value'}}
  %0 = gnn.reduce prod %x dim = 1 : !gnn.vertex<8x2xf32> -> !gnn.vertex<8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// softmax_add and the number of rows a stage yields
//===----------------------------------------------------------------------===//

func.func @softmax_one_yield(%g: !gnn.graph<as_given>, %x: !gnn.vertex<2x4xf32>) {
  %0 = gnn.message_passing %g (%x) aggr = softmax_add : !gnn.graph<as_given>, (!gnn.vertex<2x4xf32>) -> !gnn.vertex<2x4xf32> {
  ^bb0(%a: !gnn.vertex<2x4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<2x4xf32> -> vector<2x4xf32>
    // expected-error @+1 {{'gnn.yield' op must yield (value, logits) in a softmax_add stage, got 1 rows}}
    gnn.yield %xj : vector<2x4xf32>
  }
  return
}

// -----

func.func @softmax_logits_shape(%g: !gnn.graph<as_given>, %x: !gnn.vertex<2x4xf32>, %l: !gnn.vertex<3x1xf32>) {
  %0 = gnn.message_passing %g (%x, %l) aggr = softmax_add : !gnn.graph<as_given>, (!gnn.vertex<2x4xf32>, !gnn.vertex<3x1xf32>) -> !gnn.vertex<2x4xf32> {
  ^bb0(%a: !gnn.vertex<2x4xf32>, %b: !gnn.vertex<3x1xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<2x4xf32> -> vector<2x4xf32>
    %lj = gnn.get_vertex %b source : !gnn.vertex<3x1xf32> -> vector<3x1xf32>
    // expected-error @+1 {{'gnn.yield' op value 'vector<2x4xf32>' and logits 'vector<3x1xf32>' do not broadcast to the stage's rows 'vector<2x4xf32>'}}
    gnn.yield %xj, %lj : vector<2x4xf32>, vector<3x1xf32>
  }
  return
}

// -----

func.func @softmax_result_shape(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %l: !gnn.vertex<2x1xf32>) {
  %0 = gnn.message_passing %g (%x, %l) aggr = softmax_add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>, !gnn.vertex<2x1xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>, %b: !gnn.vertex<2x1xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    %lj = gnn.get_vertex %b source : !gnn.vertex<2x1xf32> -> vector<2x1xf32>
    // expected-error @+1 {{'gnn.yield' op value 'vector<4xf32>' and logits 'vector<2x1xf32>' do not broadcast to the stage's rows 'vector<4xf32>'}}
    gnn.yield %xj, %lj : vector<4xf32>, vector<2x1xf32>
  }
  return
}

// -----

func.func @add_two_yields(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) {
  %0 = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    // expected-error @+1 {{'gnn.yield' op must yield one row, got 2}}
    gnn.yield %xj, %xj : vector<4xf32>, vector<4xf32>
  }
  return
}

// -----

func.func @transform_two_yields(%x: !gnn.vertex<4xf32>) {
  %0 = gnn.transform (%x) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>):
    // expected-error @+1 {{'gnn.yield' op must yield one row, got 2}}
    gnn.yield %r, %r : vector<4xf32>, vector<4xf32>
  }
  return
}

// -----

func.func @update_arguments(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) {
  // expected-error @+1 {{'gnn.message_passing' op update region has 1 arguments but must have 2 (the inputs, then the aggregated row)}}
  %m = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  } update {
  ^bb0(%r: vector<4xf32>):
    gnn.yield %r : vector<4xf32>
  }
  return
}

// -----

func.func @update_aggregate_type(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) {
  // expected-error @+1 {{'gnn.message_passing' op the update region's last argument must be the aggregated row (a vector of f32), got 'f32'}}
  %m = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  } update {
  ^bb0(%a: !gnn.vertex<4xf32>, %r: f32):
    %v = vector.broadcast %r : f32 to vector<4xf32>
    gnn.yield %v : vector<4xf32>
  }
  return
}

// -----

func.func @update_aggregate_mismatch(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) {
  %m = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<2xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    // expected-error @+1 {{'gnn.yield' op yields 'vector<4xf32>' but the stage produces rows of 'vector<8xf32>'}}
    gnn.yield %xj : vector<4xf32>
  } update {
  ^bb0(%a: !gnn.vertex<4xf32>, %r: vector<8xf32>):
    %v = vector.extract_strided_slice %r {offsets = [0], sizes = [2], strides = [1]} : vector<8xf32> to vector<2xf32>
    gnn.yield %v : vector<2xf32>
  }
  return
}

// -----

func.func @update_result_mismatch(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) {
  %m = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<2xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  } update {
  ^bb0(%a: !gnn.vertex<4xf32>, %r: vector<4xf32>):
    // expected-error @+1 {{'gnn.yield' op yields 'vector<4xf32>' but the stage produces rows of 'vector<2xf32>'}}
    gnn.yield %r : vector<4xf32>
  }
  return
}

// -----

func.func @update_source_row(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) {
  %m = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  } update {
  ^bb0(%a: !gnn.vertex<4xf32>, %r: vector<4xf32>):
    // expected-error @+1 {{'gnn.get_vertex' op must read the target row in an update region}}
    %xs = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    %s = gnn.add %r, %xs : vector<4xf32>, vector<4xf32> -> vector<4xf32>
    gnn.yield %s : vector<4xf32>
  }
  return
}

// -----

func.func @update_edge_row(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %e: !gnn.edge<4xf32>) {
  %m = gnn.message_passing %g (%x, %e) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>, !gnn.edge<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>, %b: !gnn.edge<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  } update {
  ^bb0(%a: !gnn.vertex<4xf32>, %b: !gnn.edge<4xf32>, %r: vector<4xf32>):
    // expected-error @+1 {{'gnn.get_edge' op cannot read edge rows in an update region}}
    %eb = gnn.get_edge %b : !gnn.edge<4xf32> -> vector<4xf32>
    %s = gnn.add %r, %eb : vector<4xf32>, vector<4xf32> -> vector<4xf32>
    gnn.yield %s : vector<4xf32>
  }
  return
}

// -----

func.func @remove_self_loops_result(%g: !gnn.graph<as_given>) {
  // expected-error @+1 {{'gnn.remove_self_loops' op result must be !gnn.graph<none>}}
  %g1 = gnn.remove_self_loops %g : !gnn.graph<as_given> -> !gnn.graph<one_per_vertex>
  return
}

// -----

func.func @edge_loop_rows_without_loops(%g: !gnn.graph<none>, %w: !gnn.edge<1xf32>, %l: !gnn.vertex<1xf32>) {
  %0 = gnn.message_passing %g (%w, %l) aggr = add : !gnn.graph<none>, (!gnn.edge<1xf32>, !gnn.vertex<1xf32>) -> !gnn.vertex<1xf32> {
  ^bb0(%we: !gnn.edge<1xf32>, %la: !gnn.vertex<1xf32>):
    // expected-error @+1 {{'gnn.get_edge' op has loop rows, but the graph adds no self loops}}
    %wij = gnn.get_edge %we loop %la : !gnn.edge<1xf32>, !gnn.vertex<1xf32> -> vector<1xf32>
    gnn.yield %wij : vector<1xf32>
  }
  return
}

// -----

func.func @edge_loop_rows_shape(%g: !gnn.graph<one_per_vertex>, %w: !gnn.edge<1xf32>, %l: !gnn.vertex<2xf32>) {
  %0 = gnn.message_passing %g (%w, %l) aggr = add : !gnn.graph<one_per_vertex>, (!gnn.edge<1xf32>, !gnn.vertex<2xf32>) -> !gnn.vertex<1xf32> {
  ^bb0(%we: !gnn.edge<1xf32>, %la: !gnn.vertex<2xf32>):
    // expected-error @+1 {{'gnn.get_edge' op result must be 'vector<2xf32>', got 'vector<1xf32>'}}
    %wij = gnn.get_edge %we loop %la : !gnn.edge<1xf32>, !gnn.vertex<2xf32> -> vector<1xf32>
    gnn.yield %wij : vector<1xf32>
  }
  return
}

// -----

func.func private @gather_kernel(i64, i64, !llvm.ptr)
func.func @launch_gathers_param(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %b: tensor<4xf32>) -> !gnn.vertex<4xf32> {
  // expected-error @+1 {{'gnn.launch' op gathers input #1, which is not a vertex tensor}}
  %y = gnn.launch @gather_kernel(%g, %x, %b) gathers [1] : !gnn.graph<as_given>, !gnn.vertex<4xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
  return %y : !gnn.vertex<4xf32>
}

// -----

func.func private @gather_kernel(i64, i64, !llvm.ptr)
func.func @launch_gathers_order(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  // expected-error @+1 {{'gnn.launch' op gathers must list input positions in increasing order, got 0}}
  %y = gnn.launch @gather_kernel(%g, %x) gathers [0, 0] : !gnn.graph<as_given>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
  return %y : !gnn.vertex<4xf32>
}

// -----

func.func private @gather_kernel(i64, i64, !llvm.ptr)
func.func @launch_source_only_not_gathered(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %y: !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  // expected-error @+1 {{'gnn.launch' op source_only input #1 is not gathered, or is also read at targets}}
  %r = gnn.launch @gather_kernel(%g, %x, %y) gathers [0] source_only [1] : !gnn.graph<as_given>, !gnn.vertex<4xf32>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
  return %r : !gnn.vertex<4xf32>
}

// -----

func.func private @k(i64, i64, !llvm.ptr)
func.func @launch_source_only_read_at_targets(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  // expected-error @+1 {{'gnn.launch' op source_only input #0 is not gathered, or is also read at targets}}
  %r = gnn.launch @k(%g, %x) gathers [0] source_only [0] push(@k, @k, aggr = add, accumulator = [4], logits = []) target_reads [0] {edge_balanced} : !gnn.graph<as_given>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
  return %r : !gnn.vertex<4xf32>
}

// -----

func.func private @k(i64, i64, !llvm.ptr)
func.func @launch_push_without_kernels(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  // expected-error @+1 {{'gnn.launch' op push form needs partial and finish kernels, an aggregation, and accumulator and logits shapes}}
  %y = gnn.launch @k(%g, %x) {edge_balanced, aggr = #gnn<aggr add>} : !gnn.graph<as_given>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
  return %y : !gnn.vertex<4xf32>
}

// -----

func.func private @k(i64, i64, !llvm.ptr)
func.func @launch_target_reads_without_push(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  // expected-error @+1 {{'gnn.launch' op target_reads without a push form}}
  %y = gnn.launch @k(%g, %x) target_reads [0] {edge_balanced} : !gnn.graph<as_given>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
  return %y : !gnn.vertex<4xf32>
}

// -----

func.func private @k(i64, i64, !llvm.ptr)
func.func @launch_push_not_a_message(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  // expected-error @+1 {{'gnn.launch' op push form on a launch that is not a message stage}}
  %y = gnn.launch @k(%g, %x) push(@k, @k, aggr = add, accumulator = [4], logits = []) : !gnn.graph<as_given>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
  return %y : !gnn.vertex<4xf32>
}

// -----

func.func private @k(i64, i64, !llvm.ptr)
func.func @launch_push_logits_of_a_sum(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  // expected-error @+1 {{'gnn.launch' op logits belong to a softmax_add push form only}}
  %y = gnn.launch @k(%g, %x) push(@k, @k, aggr = add, accumulator = [4], logits = [1]) {edge_balanced} : !gnn.graph<as_given>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
  return %y : !gnn.vertex<4xf32>
}

// -----

func.func private @k(i64, i64, !llvm.ptr)
func.func @launch_push_missing_kernel(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  // expected-error @+1 {{'gnn.launch' op kernel 'nowhere' is not defined}}
  %y = gnn.launch @k(%g, %x) push(@k, @nowhere, aggr = add, accumulator = [4], logits = []) {edge_balanced} : !gnn.graph<as_given>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
  return %y : !gnn.vertex<4xf32>
}

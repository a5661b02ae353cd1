// The row computation of an exp transform, as gnn-lower-elementwise leaves it.
func.func @exp_row(%row: vector<8xf32>) -> vector<8xf32> {
  %e = math.exp %row : vector<8xf32>
  return %e : vector<8xf32>
}

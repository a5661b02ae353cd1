//===- gcn_reference.cpp - A plain-loop reference for end-to-end tests ----===//
//
//   gnn-reference MODEL --graph E.npy --features X.npy
//                       --weights W.safetensors --output Y.npy
//
// Computes what PyTorch Geometric computes for MODEL (gcn, gat, gin, sage,
// graphconv, custom or edgecat: the models of examples/models/; sage takes
// --aggr max etc., mean by default, and --normalize 1 for
// SAGEConv(normalize=True); its project and root_weight options follow
// from the weights present), in double precision, with the most direct
// loops over the COO edge list. It
// shares nothing with the compiler or the runtime's CSR graph: only the file
// loaders (GNNFormats, unit-tested on their own) are reused, so that an
// end-to-end test comparing gnn-run against it checks the whole compiled
// path against an independent statement of PyG's semantics.
//
// Another model is added as one function `Matrix runX(const Inputs &)` and
// one row of kModels; faults in the inputs are thrown as Failure and
// reported as one line.
//
//===----------------------------------------------------------------------===//

#include "gnn/Npy.h"
#include "gnn/Safetensors.h"
#include "gnn/Tensor.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace {

//===----------------------------------------------------------------------===//
// Inputs and small dense helpers
//===----------------------------------------------------------------------===//

/// A row-major matrix of doubles: every intermediate of the reference.
struct Matrix {
  int64_t rows = 0, cols = 0;
  std::vector<double> v;
  Matrix() = default;
  Matrix(int64_t r, int64_t c) : rows(r), cols(c), v(size_t(r * c), 0.0) {}
  double &at(int64_t r, int64_t c) { return v[size_t(r * cols + c)]; }
  double at(int64_t r, int64_t c) const { return v[size_t(r * cols + c)]; }
};

/// The graph as PyG holds it: edge k goes from src[k] (row 0 of edge_index,
/// PyG's `row`, the message's `_j` side) to dst[k] (row 1, `col`, `_i`).
struct Inputs {
  int64_t numNodes = 0;
  std::vector<int64_t> src, dst;
  Matrix x;
  gnn::WeightMap weights;
  std::string weightsPath;
};

/// --edge-attr: float32 [E, D] in the edge order of --graph (gine, and gat
/// with edge features).
std::string gEdgeAttrPath;

/// An error of the reference: the message is printed after "error: ".
struct Failure {
  std::string message;
};

/// Looks up a weight and checks its shape; throws Failure otherwise.
Matrix weight(const Inputs &in, const std::string &name,
              std::vector<int64_t> shape) {
  auto it = in.weights.find(name);
  if (it == in.weights.end())
    throw Failure{in.weightsPath + ": missing weight '" + name + "'"};
  const gnn::Tensor &t = it->second;
  if (t.shape != shape)
    throw Failure{in.weightsPath + ": weight '" + name + "' has shape " +
                  gnn::formatShape(t.shape) + ", expected " +
                  gnn::formatShape(shape)};
  // Vectors become [1, n] and higher ranks [d0 * ... , last], so the
  // helpers below see one kind of thing (elements stay in row-major order).
  int64_t cols = t.shape.empty() ? 1 : t.shape.back();
  int64_t rows = 1;
  for (size_t d = 0; d + 1 < t.shape.size(); ++d)
    rows *= t.shape[d];
  Matrix m(rows, cols);
  for (size_t i = 0; i < m.v.size(); ++i)
    m.v[i] = t.data()[i];
  return m;
}

/// The size of dimension `dim` of weight `name` (for inferring channels).
int64_t weightDim(const Inputs &in, const std::string &name, size_t dim) {
  auto it = in.weights.find(name);
  if (it == in.weights.end())
    throw Failure{in.weightsPath + ": missing weight '" + name + "'"};
  if (it->second.shape.size() <= dim)
    throw Failure{in.weightsPath + ": weight '" + name + "' has shape " +
                  gnn::formatShape(it->second.shape) + ", expected rank " +
                  std::to_string(dim + 1) + " or more"};
  return it->second.shape[dim];
}

/// torch.nn.Linear without bias: y = x W^T, with W of shape [out, in].
Matrix linear(const Matrix &x, const Matrix &w) {
  Matrix y(x.rows, w.rows);
  for (int64_t n = 0; n < x.rows; ++n)
    for (int64_t o = 0; o < w.rows; ++o) {
      double s = 0;
      for (int64_t i = 0; i < x.cols; ++i)
        s += x.at(n, i) * w.at(o, i);
      y.at(n, o) = s;
    }
  return y;
}

/// Adds a [1, C] bias to every row.
void addBias(Matrix &y, const Matrix &b) {
  for (int64_t n = 0; n < y.rows; ++n)
    for (int64_t c = 0; c < y.cols; ++c)
      y.at(n, c) += b.at(0, c);
}

void relu(Matrix &y) {
  for (double &e : y.v)
    e = e > 0 ? e : 0;
}

//===----------------------------------------------------------------------===//
// GCN (torch_geometric.nn.GCNConv with its defaults)
//===----------------------------------------------------------------------===//

/// One GCNConv(in, out) with PyG's defaults (improved=False,
/// add_self_loops=True, normalize=True, bias=True, aggr="add",
/// flow="source_to_target"), no edge weights. PyG's forward is
///   edge_index, w = gcn_norm(edge_index, None, N)
///   x = self.lin(x)                           # x W^T, W is [out, in]
///   out = propagate: out[col[k]] += w[k] * x[row[k]]   (message w * x_j)
///   out = out + bias
/// and gcn_norm, for an unweighted graph, is
///   edge_weight = ones(E)
///   edge_index, edge_weight = add_remaining_self_loops(edge_index,
///                                 edge_weight, fill_value=1., N)
///   deg = scatter_add(edge_weight, col, dim_size=N)   # at the TARGET
///   dis = deg.pow(-0.5); dis[dis == inf] = 0
///   w = dis[row] * edge_weight * dis[col]
/// add_remaining_self_loops (torch_geometric/utils/loop.py) keeps the edges
/// with row != col, in order and with duplicates (a duplicated edge sends
/// its message twice and counts twice in the degree), drops every existing
/// self loop, and appends the loops (v, v) for v = 0..N-1, each once, with
/// weight fill_value except where an existing loop's weight is copied over
/// it (loop_attr[row[~mask]] = edge_attr[~mask]); with all weights 1 that
/// is 1 either way. So each vertex has exactly one self loop of weight 1,
/// whether it had zero, one or two, and deg[v] = 1 + #{k : col[k] == v,
/// row[k] != col[k]} >= 1 (the inf -> 0 guard never fires here, but is
/// kept as PyG has it).
Matrix gcnConv(const Inputs &in, const Matrix &x, const Matrix &w,
               const Matrix &bias) {
  const int64_t n = in.numNodes;

  // The edge list after add_remaining_self_loops, weights all 1.
  std::vector<int64_t> row, col;
  for (size_t k = 0; k < in.src.size(); ++k)
    if (in.src[k] != in.dst[k]) {
      row.push_back(in.src[k]);
      col.push_back(in.dst[k]);
    }
  for (int64_t v = 0; v < n; ++v) {
    row.push_back(v);
    col.push_back(v);
  }

  std::vector<double> deg(size_t(n), 0.0);
  for (size_t k = 0; k < col.size(); ++k)
    deg[size_t(col[k])] += 1.0;
  std::vector<double> dis(deg.size());
  for (int64_t v = 0; v < n; ++v) {
    double d = std::pow(deg[size_t(v)], -0.5);
    dis[size_t(v)] = std::isinf(d) ? 0.0 : d;
  }

  Matrix h = linear(x, w);
  Matrix out(n, h.cols);
  for (size_t k = 0; k < row.size(); ++k) {
    double norm = dis[size_t(row[k])] * dis[size_t(col[k])];
    for (int64_t c = 0; c < h.cols; ++c)
      out.at(col[k], c) += norm * h.at(row[k], c);
  }
  addBias(out, bias);
  return out;
}

/// The 2-layer GCN of examples/models/gcn.gnn:
///   h = relu(conv1(x, edge_index)); return conv2(h, edge_index)
/// Channel counts come from the weights; the input width must match x.
Matrix runGCN(const Inputs &in) {
  int64_t f = in.x.cols;
  int64_t hidden = weightDim(in, "conv1.lin.weight", 0);
  int64_t classes = weightDim(in, "conv2.lin.weight", 0);
  Matrix w1 = weight(in, "conv1.lin.weight", {hidden, f});
  Matrix b1 = weight(in, "conv1.bias", {hidden});
  Matrix w2 = weight(in, "conv2.lin.weight", {classes, hidden});
  Matrix b2 = weight(in, "conv2.bias", {classes});
  Matrix h = gcnConv(in, in.x, w1, b1);
  relu(h);
  return gcnConv(in, h, w2, b2);
}

//===----------------------------------------------------------------------===//
// GAT (torch_geometric.nn.GATConv with its defaults)
//===----------------------------------------------------------------------===//

void elu(Matrix &y) {
  for (double &e : y.v)
    e = e > 0 ? e : std::expm1(e);
}

/// One GATConv(in, C, heads=H, concat) with PyG's other defaults
/// (negative_slope=0.2, add_self_loops=True, bias=True, dropout inactive
/// in eval mode), in PyG 2.5's naming: lin.weight [H*C, in], att_src and
/// att_dst [1, H, C], bias [H*C] (concat) or [C]. PyG's forward is
///   x = lin(x).view(-1, H, C)
///   alpha_src = (x * att_src).sum(-1); alpha_dst = (x * att_dst).sum(-1)
///   edge_index = remove_self_loops(edge_index); add_self_loops(edge_index)
///   alpha[k] = leaky_relu(alpha_src[row[k]] + alpha_dst[col[k]], 0.2)
///   alpha = softmax(alpha, col)      # per target and head
///   out[col[k]] += alpha[k] * x[row[k]]         (per head)
///   out = out.view(-1, H * C) if concat else out.mean(dim=1); out + bias
/// softmax (torch_geometric/utils/softmax.py) subtracts the per-target
/// maximum, exponentiates, and divides by the per-target sum plus 1e-16.
/// This computes it in the textbook two passes (maximum first, then the
/// sum of exponentials), not the kernel's single online pass.
///
/// With edge features (edge_dim given: lin_edge.weight [H*C, D], att_edge
/// [1, H, C]) PyG also runs
///   edge_index, edge_attr = remove_self_loops(edge_index, edge_attr)
///   edge_index, edge_attr = add_self_loops(edge_index, edge_attr,
///                                          fill_value='mean')
/// (a loop's attribute is the mean of its target's remaining in-edges'
/// attributes, zero without any) and adds
///   alpha_edge[k] = (lin_edge(edge_attr[k]).view(H, C) * att_edge).sum(-1)
/// to the logits before leaky_relu.
Matrix gatConv(const Inputs &in, const Matrix &x, const std::string &prefix,
               bool concat, const Matrix *edgeAttr = nullptr) {
  const int64_t n = in.numNodes;
  const int64_t heads = weightDim(in, prefix + "att_src", 1);
  const int64_t c = weightDim(in, prefix + "att_src", 2);
  Matrix w = weight(in, prefix + "lin.weight", {heads * c, x.cols});
  Matrix attSrc = weight(in, prefix + "att_src", {1, heads, c});
  Matrix attDst = weight(in, prefix + "att_dst", {1, heads, c});
  Matrix bias = weight(in, prefix + "bias", {concat ? heads * c : c});

  Matrix h = linear(x, w); // [N, H*C]: head hd's channels at hd*C ...
  // att_src[0, hd, k] is attSrc.v[hd * C + k].
  Matrix aSrc(n, heads), aDst(n, heads);
  for (int64_t v = 0; v < n; ++v)
    for (int64_t hd = 0; hd < heads; ++hd)
      for (int64_t k = 0; k < c; ++k) {
        aSrc.at(v, hd) += h.at(v, hd * c + k) * attSrc.v[size_t(hd * c + k)];
        aDst.at(v, hd) += h.at(v, hd * c + k) * attDst.v[size_t(hd * c + k)];
      }

  // remove_self_loops, then add_self_loops: every vertex exactly one loop.
  std::vector<int64_t> row, col;
  std::vector<size_t> stored; // the edge_attr row of each kept edge
  for (size_t k = 0; k < in.src.size(); ++k)
    if (in.src[k] != in.dst[k]) {
      row.push_back(in.src[k]);
      col.push_back(in.dst[k]);
      stored.push_back(k);
    }
  const size_t kept = row.size();
  for (int64_t v = 0; v < n; ++v) {
    row.push_back(v);
    col.push_back(v);
  }
  const size_t e = row.size();

  // Per edge (kept ones, then the loops) and head: the edge's logit term.
  Matrix aEdge(int64_t(e), heads);
  if (edgeAttr) {
    const int64_t d = edgeAttr->cols;
    Matrix we = weight(in, prefix + "lin_edge.weight", {heads * c, d});
    Matrix attEdge = weight(in, prefix + "att_edge", {1, heads, c});
    Matrix attr(int64_t(e), d), count(n, 1);
    for (size_t k = 0; k < kept; ++k)
      for (int64_t j = 0; j < d; ++j) {
        attr.at(int64_t(k), j) = edgeAttr->at(int64_t(stored[k]), j);
        attr.at(int64_t(kept) + col[k], j) += edgeAttr->at(int64_t(stored[k]), j);
      }
    for (size_t k = 0; k < kept; ++k)
      count.at(col[k], 0) += 1;
    for (int64_t v = 0; v < n; ++v)
      for (int64_t j = 0; j < d; ++j)
        if (count.at(v, 0) > 0)
          attr.at(int64_t(kept) + v, j) /= count.at(v, 0);
    Matrix projected = linear(attr, we); // [e, H*C]
    for (size_t k = 0; k < e; ++k)
      for (int64_t hd = 0; hd < heads; ++hd)
        for (int64_t j = 0; j < c; ++j)
          aEdge.at(int64_t(k), hd) += projected.at(int64_t(k), hd * c + j) *
                                      attEdge.v[size_t(hd * c + j)];
  } else if (in.weights.count(prefix + "lin_edge.weight")) {
    throw Failure{"weights have " + prefix + "lin_edge.weight: pass --edge-attr"};
  }

  Matrix logit(int64_t(e), heads);
  for (size_t k = 0; k < e; ++k)
    for (int64_t hd = 0; hd < heads; ++hd) {
      double a = aSrc.at(row[k], hd) + aDst.at(col[k], hd) +
                 aEdge.at(int64_t(k), hd);
      logit.at(int64_t(k), hd) = a > 0 ? a : 0.2 * a;
    }
  // Pass 1: the maximum per target and head. Pass 2: the sum of exps.
  Matrix max(n, heads), sum(n, heads);
  for (double &m : max.v)
    m = -INFINITY;
  for (size_t k = 0; k < e; ++k)
    for (int64_t hd = 0; hd < heads; ++hd)
      max.at(col[k], hd) = std::max(max.at(col[k], hd), logit.at(int64_t(k), hd));
  for (size_t k = 0; k < e; ++k)
    for (int64_t hd = 0; hd < heads; ++hd)
      sum.at(col[k], hd) +=
          std::exp(logit.at(int64_t(k), hd) - max.at(col[k], hd));

  Matrix out(n, heads * c);
  for (size_t k = 0; k < e; ++k)
    for (int64_t hd = 0; hd < heads; ++hd) {
      double a = std::exp(logit.at(int64_t(k), hd) - max.at(col[k], hd)) /
                 (sum.at(col[k], hd) + 1e-16);
      for (int64_t j = 0; j < c; ++j)
        out.at(col[k], hd * c + j) += a * h.at(row[k], hd * c + j);
    }
  if (!concat) {
    Matrix mean(n, c);
    for (int64_t v = 0; v < n; ++v)
      for (int64_t j = 0; j < c; ++j) {
        for (int64_t hd = 0; hd < heads; ++hd)
          mean.at(v, j) += out.at(v, hd * c + j);
        mean.at(v, j) /= double(heads);
      }
    out = std::move(mean);
  }
  addBias(out, bias);
  return out;
}

/// The 2-layer GAT of examples/models/gat.gnn:
///   h = elu(conv1(x, edge_index))       # heads concatenated
///   return conv2(h, edge_index)         # concat=False: heads averaged
/// Heads and channels come from the att_src shapes.
Matrix loadEdgeAttr(const Inputs &in);

/// With --edge-attr, both layers take the edge features (edge_dim).
Matrix runGAT(const Inputs &in) {
  std::optional<Matrix> attr;
  if (!gEdgeAttrPath.empty())
    attr = loadEdgeAttr(in);
  const Matrix *e = attr ? &*attr : nullptr;
  Matrix h = gatConv(in, in.x, "conv1.", /*concat=*/true, e);
  elu(h);
  return gatConv(in, h, "conv2.", /*concat=*/false, e);
}

//===----------------------------------------------------------------------===//
// GIN (torch_geometric.nn.GINConv with its defaults)
//===----------------------------------------------------------------------===//

/// GIN's and GINE's nn = Sequential(Linear, ReLU, Linear), its weights
/// under PREFIX nn.0 and nn.2 for rows of `in` features.
struct GinMLP {
  Matrix w0, b0, w2, b2;

  GinMLP(const Inputs &in, const std::string &prefix, int64_t inFeatures) {
    const int64_t hidden = weightDim(in, prefix + "nn.0.weight", 0);
    const int64_t out = weightDim(in, prefix + "nn.2.weight", 0);
    w0 = weight(in, prefix + "nn.0.weight", {hidden, inFeatures});
    b0 = weight(in, prefix + "nn.0.bias", {hidden});
    w2 = weight(in, prefix + "nn.2.weight", {out, hidden});
    b2 = weight(in, prefix + "nn.2.bias", {out});
  }

  Matrix operator()(const Matrix &agg) const {
    Matrix h = linear(agg, w0);
    addBias(h, b0);
    relu(h);
    Matrix y = linear(h, w2);
    addBias(y, b2);
    return y;
  }
};

/// One GINConv(Sequential(Linear, ReLU, Linear)) with eps from the
/// state_dict (a buffer of shape [1] in PyG when train_eps=False):
///   out = nn((1 + eps) * x + sum_{k : col[k] == i} x[row[k]])
/// over the edges exactly as given: no self loops are added or removed,
/// and a duplicated edge sends its message twice.
Matrix ginConv(const Inputs &in, const Matrix &x, const std::string &prefix) {
  const int64_t n = in.numNodes;
  GinMLP mlp(in, prefix, x.cols);
  double eps = weight(in, prefix + "eps", {1}).v[0];

  Matrix agg(n, x.cols);
  for (int64_t v = 0; v < n; ++v)
    for (int64_t j = 0; j < x.cols; ++j)
      agg.at(v, j) = (1 + eps) * x.at(v, j);
  for (size_t k = 0; k < in.src.size(); ++k)
    for (int64_t j = 0; j < x.cols; ++j)
      agg.at(in.dst[k], j) += x.at(in.src[k], j);
  return mlp(agg);
}

/// The 2-layer GIN of examples/models/gin.gnn:
///   h = relu(conv1(x, edge_index)); return conv2(h, edge_index)
Matrix runGIN(const Inputs &in) {
  Matrix h = ginConv(in, in.x, "conv1.");
  relu(h);
  return ginConv(in, h, "conv2.");
}

//===----------------------------------------------------------------------===//
// Neighbour aggregation over the stored edges (SAGE, GraphConv, custom)
//===----------------------------------------------------------------------===//

/// The aggregation named by --aggr (SAGE only; "mean" unless given).
std::string gAggr = "mean";

/// PyG's aggregation of per-edge messages msg[k] (row k of an [E, C]
/// matrix) at dst[k], over the edges exactly as given: no self loops added
/// or removed, a duplicated edge counted twice. A vertex with no in-edges
/// gets zeros for every aggregation (PyG's scatter: sum over nothing is 0,
/// mean divides by count.clamp(min=1), max/min leave the zero fill).
Matrix aggregate(const Inputs &in, const Matrix &msg,
                 const std::string &aggr) {
  const int64_t n = in.numNodes;
  Matrix out(n, msg.cols);
  std::vector<int64_t> count(size_t(n), 0);
  bool isMax = aggr == "max", isMin = aggr == "min";
  if (!(aggr == "add" || aggr == "sum" || aggr == "mean" || isMax || isMin))
    throw Failure{"unknown aggregation '" + aggr + "'"};
  for (size_t k = 0; k < in.dst.size(); ++k) {
    int64_t i = in.dst[k];
    for (int64_t c = 0; c < msg.cols; ++c) {
      double m = msg.at(int64_t(k), c);
      double &o = out.at(i, c);
      if (count[size_t(i)] == 0 && (isMax || isMin))
        o = m;
      else if (isMax)
        o = std::max(o, m);
      else if (isMin)
        o = std::min(o, m);
      else
        o += m;
    }
    ++count[size_t(i)];
  }
  if (aggr == "mean")
    for (int64_t v = 0; v < n; ++v)
      for (int64_t c = 0; c < msg.cols; ++c)
        out.at(v, c) /= double(std::max<int64_t>(count[size_t(v)], 1));
  return out;
}

/// The message x_j of every edge, as an [E, C] matrix.
Matrix gatherSources(const Inputs &in, const Matrix &x) {
  Matrix msg(int64_t(in.src.size()), x.cols);
  for (size_t k = 0; k < in.src.size(); ++k)
    for (int64_t c = 0; c < x.cols; ++c)
      msg.at(int64_t(k), c) = x.at(in.src[k], c);
  return msg;
}

/// Elementwise a + b of two matrices of the same shape.
Matrix plus(Matrix a, const Matrix &b) {
  for (size_t i = 0; i < a.v.size(); ++i)
    a.v[i] += b.v[i];
  return a;
}

/// --normalize 1: SAGEConv(normalize=True) in every layer (sage only).
bool gNormalize = false;

/// One PyG SAGEConv(in, out, aggr, normalize, root_weight, project, bias),
/// root_weight and project told by the weights present (lin_r, lin).
/// PyG's forward is
///   x = (x, x)
///   if project: x = (relu(lin(x[0])), x[1])         # lin has a bias
///   out = propagate(edge_index, x=x)                # message x_j, aggr
///   out = lin_l(out)                                # lin_l has the bias
///   if root_weight: out = out + lin_r(x[1])         # lin_r bias=False
///   if normalize: out = F.normalize(out, p=2, dim=-1)  # eps 1e-12
Matrix sageConv(const Inputs &in, const Matrix &x, const std::string &prefix) {
  const int64_t out = weightDim(in, prefix + "lin_l.weight", 0);
  Matrix source = x;
  if (in.weights.count(prefix + "lin.weight")) {
    source = linear(x, weight(in, prefix + "lin.weight", {x.cols, x.cols}));
    addBias(source, weight(in, prefix + "lin.bias", {x.cols}));
    relu(source);
  }
  Matrix wl = weight(in, prefix + "lin_l.weight", {out, x.cols});
  Matrix y = linear(aggregate(in, gatherSources(in, source), gAggr), wl);
  if (in.weights.count(prefix + "lin_l.bias"))
    addBias(y, weight(in, prefix + "lin_l.bias", {out}));
  if (in.weights.count(prefix + "lin_r.weight"))
    y = plus(std::move(y),
             linear(x, weight(in, prefix + "lin_r.weight", {out, x.cols})));
  if (gNormalize)
    for (int64_t r = 0; r < y.rows; ++r) {
      double sq = 0;
      for (int64_t c = 0; c < y.cols; ++c)
        sq += y.at(r, c) * y.at(r, c);
      double norm = std::max(std::sqrt(sq), 1e-12);
      for (int64_t c = 0; c < y.cols; ++c)
        y.at(r, c) /= norm;
    }
  return y;
}

/// The 2-layer GraphSAGE of examples/models/sage.gnn (aggr from --aggr):
///   h = relu(conv1(x, edge_index)); return conv2(h, edge_index)
Matrix runSAGE(const Inputs &in) {
  Matrix h = sageConv(in, in.x, "conv1.");
  relu(h);
  return sageConv(in, h, "conv2.");
}

/// One PyG GraphConv(in, out) with its defaults (aggr="add", bias=True),
/// no edge weights:
///   out = propagate(edge_index, x=(x, x))   # sum of x_j over in-edges
///   out = lin_rel(out) + lin_root(x[1])     # lin_root has no bias
Matrix graphConv(const Inputs &in, const Matrix &x, const std::string &prefix) {
  const int64_t out = weightDim(in, prefix + "lin_rel.weight", 0);
  Matrix wrel = weight(in, prefix + "lin_rel.weight", {out, x.cols});
  Matrix brel = weight(in, prefix + "lin_rel.bias", {out});
  Matrix wroot = weight(in, prefix + "lin_root.weight", {out, x.cols});
  Matrix y = linear(aggregate(in, gatherSources(in, x), "add"), wrel);
  addBias(y, brel);
  return plus(std::move(y), linear(x, wroot));
}

/// The 2-layer GraphConv network of examples/models/graphconv.gnn.
Matrix runGraphConv(const Inputs &in) {
  Matrix h = graphConv(in, in.x, "conv1.");
  relu(h);
  return graphConv(in, h, "conv2.");
}

/// The layer defined in examples/models/custom.gnn (EdgeGatedMean):
///   message(x_i, x_j) = sigmoid(x_i - x_j) * x_j, aggr "mean",
///   out = lin(aggregated) + root(x)   # lin.bias, root without bias
Matrix edgeGatedMean(const Inputs &in, const Matrix &x,
                     const std::string &prefix) {
  const int64_t out = weightDim(in, prefix + "lin.weight", 0);
  Matrix w = weight(in, prefix + "lin.weight", {out, x.cols});
  Matrix b = weight(in, prefix + "lin.bias", {out});
  Matrix wroot = weight(in, prefix + "root.weight", {out, x.cols});
  Matrix msg(int64_t(in.src.size()), x.cols);
  for (size_t k = 0; k < in.src.size(); ++k)
    for (int64_t c = 0; c < x.cols; ++c) {
      double xi = x.at(in.dst[k], c), xj = x.at(in.src[k], c);
      msg.at(int64_t(k), c) = xj / (1.0 + std::exp(-(xi - xj)));
    }
  Matrix y = linear(aggregate(in, msg, "mean"), w);
  addBias(y, b);
  return plus(std::move(y), linear(x, wroot));
}

/// The 2-layer model of examples/models/custom.gnn.
Matrix runCustom(const Inputs &in) {
  Matrix h = edgeGatedMean(in, in.x, "conv1.");
  relu(h);
  return edgeGatedMean(in, h, "conv2.");
}

/// Columns side by side: torch.cat([a, b], dim=-1).
Matrix sideBySide(const Matrix &a, const Matrix &b) {
  Matrix c(a.rows, a.cols + b.cols);
  for (int64_t r = 0; r < a.rows; ++r) {
    for (int64_t k = 0; k < a.cols; ++k)
      c.at(r, k) = a.at(r, k);
    for (int64_t k = 0; k < b.cols; ++k)
      c.at(r, a.cols + k) = b.at(r, k);
  }
  return c;
}

/// The layer of examples/models/edgecat.gnn (EdgeCat):
///   message(x_i, x_j) = cat([x_i, x_j - x_i]), aggr "max",
///   out = lin(aggregated)   # Linear(2 * in, out) with bias
Matrix edgeCat(const Inputs &in, const Matrix &x, const std::string &prefix) {
  const int64_t out = weightDim(in, prefix + "lin.weight", 0);
  Matrix w = weight(in, prefix + "lin.weight", {out, 2 * x.cols});
  Matrix b = weight(in, prefix + "lin.bias", {out});
  Matrix msg(int64_t(in.src.size()), 2 * x.cols);
  for (size_t k = 0; k < in.src.size(); ++k)
    for (int64_t c = 0; c < x.cols; ++c) {
      double xi = x.at(in.dst[k], c), xj = x.at(in.src[k], c);
      msg.at(int64_t(k), c) = xi;
      msg.at(int64_t(k), x.cols + c) = xj - xi;
    }
  Matrix y = linear(aggregate(in, msg, "max"), w);
  addBias(y, b);
  return y;
}

/// The model of examples/models/edgecat.gnn:
///   h1 = relu(conv1(x)); h2 = relu(conv2(h1)); return out(cat([h1, h2]))
Matrix runEdgeCat(const Inputs &in) {
  Matrix h1 = edgeCat(in, in.x, "conv1.");
  relu(h1);
  Matrix h2 = edgeCat(in, h1, "conv2.");
  relu(h2);
  Matrix h = sideBySide(h1, h2);
  const int64_t out = weightDim(in, "out.weight", 0);
  Matrix y = linear(h, weight(in, "out.weight", {out, h.cols}));
  addBias(y, weight(in, "out.bias", {out}));
  return y;
}

//===----------------------------------------------------------------------===//
// GINE (torch_geometric.nn.GINEConv with edge_dim given)
//===----------------------------------------------------------------------===//

/// One GINEConv(Sequential(Linear, ReLU, Linear), edge_dim=D), eps from the
/// state_dict, as PyG computes it:
///   e_k = lin(edge_attr[k])                       # Linear(D, in)
///   out = nn((1 + eps) * x + sum_{k : col[k] == i} relu(x[row[k]] + e_k))
/// over the edges exactly as given (no self loops added or removed).
Matrix gineConv(const Inputs &in, const Matrix &x, const Matrix &edgeAttr,
                const std::string &prefix) {
  const int64_t n = in.numNodes;
  GinMLP mlp(in, prefix, x.cols);
  double eps = weight(in, prefix + "eps", {1}).v[0];
  Matrix wl = weight(in, prefix + "lin.weight", {x.cols, edgeAttr.cols});
  Matrix bl = weight(in, prefix + "lin.bias", {x.cols});

  Matrix agg(n, x.cols);
  for (int64_t v = 0; v < n; ++v)
    for (int64_t j = 0; j < x.cols; ++j)
      agg.at(v, j) = (1 + eps) * x.at(v, j);
  for (size_t k = 0; k < in.src.size(); ++k)
    for (int64_t j = 0; j < x.cols; ++j) {
      double e = bl.at(0, j);
      for (int64_t d = 0; d < edgeAttr.cols; ++d)
        e += edgeAttr.at(int64_t(k), d) * wl.at(j, d);
      agg.at(in.dst[k], j) += std::max(0.0, x.at(in.src[k], j) + e);
    }
  return mlp(agg);
}

/// --edge-attr as a matrix with one row per edge of --graph.
Matrix loadEdgeAttr(const Inputs &in) {
  auto attr = gnn::readNpyF32(gEdgeAttrPath, 2);
  if (!attr)
    throw Failure{llvm::toString(attr.takeError())};
  if (attr->shape[0] != int64_t(in.src.size()))
    throw Failure{gEdgeAttrPath + ": has " + std::to_string(attr->shape[0]) +
                  " rows, the graph " + std::to_string(in.src.size()) +
                  " edges"};
  Matrix e(attr->shape[0], attr->shape[1]);
  for (size_t i = 0; i < e.v.size(); ++i)
    e.v[i] = attr->data()[i];
  return e;
}

/// The 2-layer GINE of examples/models/gine.gnn:
///   h = relu(conv1(x, edge_index, edge_attr))
///   return conv2(h, edge_index, edge_attr)
Matrix runGINE(const Inputs &in) {
  if (gEdgeAttrPath.empty())
    throw Failure{"gine needs --edge-attr E.npy"};
  Matrix e = loadEdgeAttr(in);
  Matrix h = gineConv(in, in.x, e, "conv1.");
  relu(h);
  return gineConv(in, h, e, "conv2.");
}

struct ModelEntry {
  const char *name;
  Matrix (*run)(const Inputs &);
};
const ModelEntry kModels[] = {
    {"gcn", runGCN},
    {"gat", runGAT},
    {"gin", runGIN},
    {"gine", runGINE},
    {"sage", runSAGE},
    {"graphconv", runGraphConv},
    {"custom", runCustom},
    {"edgecat", runEdgeCat},
};

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

int fail(const std::string &msg) {
  llvm::errs() << "gnn-reference: error: " << msg << "\n";
  return 1;
}

int usage() {
  std::string names;
  for (const ModelEntry &m : kModels)
    names += std::string(names.empty() ? "" : "|") + m.name;
  llvm::errs() << "usage: gnn-reference " << names
               << " --graph E.npy --features X.npy --weights W.safetensors "
                  "--output Y.npy [--aggr mean|max|min|add] "
                  "[--normalize 0|1] [--edge-attr E.npy]\n";
  return 1;
}

/// Loads the files named by the flags; throws Failure on bad input.
Inputs loadInputs(const std::map<std::string, std::string> &flags) {
  Inputs in;
  auto features = gnn::readNpyF32(flags.at("features"), 2);
  if (!features)
    throw Failure{llvm::toString(features.takeError())};
  in.numNodes = features->shape[0];
  in.x = Matrix(features->shape[0], features->shape[1]);
  for (size_t i = 0; i < in.x.v.size(); ++i)
    in.x.v[i] = features->data()[i];

  const std::string &graphPath = flags.at("graph");
  auto edges = gnn::readNpyInt2D(graphPath);
  if (!edges)
    throw Failure{llvm::toString(edges.takeError())};
  if (edges->rows != 2)
    throw Failure{graphPath + ": edge_index must have shape [2, E], found [" +
                  std::to_string(edges->rows) + ", " +
                  std::to_string(edges->cols) + "]"};
  int64_t e = edges->cols;
  in.src.assign(edges->values.begin(), edges->values.begin() + e);
  in.dst.assign(edges->values.begin() + e, edges->values.end());
  for (int64_t k = 0; k < e; ++k)
    for (int64_t id : {in.src[size_t(k)], in.dst[size_t(k)]})
      if (id < 0 || id >= in.numNodes)
        throw Failure{graphPath + ": edge " + std::to_string(k) + ": id " +
                      std::to_string(id) + " is outside [0, " +
                      std::to_string(in.numNodes) + ")"};

  in.weightsPath = flags.at("weights");
  auto weights = gnn::readSafetensors(in.weightsPath);
  if (!weights)
    throw Failure{llvm::toString(weights.takeError())};
  in.weights = std::move(*weights);
  return in;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2)
    return usage();
  llvm::StringRef modelName = argv[1];
  const ModelEntry *model = nullptr;
  for (const ModelEntry &m : kModels)
    if (modelName == m.name)
      model = &m;
  if (!model)
    return fail("unknown model '" + modelName.str() + "'");

  // "--name value" or "--name=value"; every flag is required.
  std::map<std::string, std::string> flags;
  const char *known[] = {"graph", "features", "weights", "output"};
  // aggr, normalize: sage only; edge-attr: gine only.
  const char *optional[] = {"aggr", "edge-attr", "normalize"};
  for (int i = 2; i < argc; ++i) {
    llvm::StringRef arg = argv[i];
    if (!arg.consume_front("--"))
      return fail("unexpected argument '" + arg.str() + "'");
    auto [name, value] = arg.split('=');
    bool isKnown = false;
    for (const char *k : known)
      isKnown |= name == k;
    for (const char *k : optional)
      isKnown |= name == k;
    if (!isKnown)
      return fail("unknown flag '--" + name.str() + "'");
    if (!arg.contains('=')) {
      if (i + 1 == argc)
        return fail("--" + name.str() + " needs a value");
      value = argv[++i];
    }
    flags[name.str()] = value.str();
  }
  for (const char *k : known)
    if (!flags.count(k))
      return fail(std::string("--") + k + " must be given");

  if (flags.count("aggr"))
    gAggr = flags["aggr"];
  if (flags.count("edge-attr"))
    gEdgeAttrPath = flags["edge-attr"];
  if (flags.count("normalize"))
    gNormalize = flags["normalize"] == "1";

  Matrix y;
  try {
    Inputs in = loadInputs(flags);
    y = model->run(in);
  } catch (const Failure &f) {
    return fail(f.message);
  }

  std::vector<float> out(y.v.size());
  for (size_t i = 0; i < y.v.size(); ++i)
    out[i] = float(y.v[i]);
  if (auto err = gnn::writeNpyF32(flags.at("output"), out.data(),
                                  {y.rows, y.cols}))
    return fail(llvm::toString(std::move(err)));
  return 0;
}

//===- gcn_reference.cpp - A plain-loop reference for end-to-end tests ----===//
//
//   gnn-reference MODEL --graph E.npy --features X.npy
//                       --weights W.safetensors --output Y.npy
//
// Computes what PyTorch Geometric computes for MODEL (only "gcn" so far), in
// double precision, with the most direct loops over the COO edge list. It
// shares nothing with the compiler or the runtime's CSR graph: only the file
// loaders (GNNFormats, unit-tested on their own) are reused, so that an
// end-to-end test comparing gnn-run against it checks the whole compiled
// path against an independent statement of PyG's semantics.
//
// Another model (sage, gin, gat) is added as one function
// `Matrix runX(const Inputs &)` and one row of kModels; faults in the inputs
// are thrown as Failure and reported as one line.
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
  // Vectors become [1, n] so the helpers below see one kind of thing.
  int64_t rows = t.shape.size() == 2 ? t.shape[0] : 1;
  int64_t cols = t.shape.empty() ? 1 : t.shape.back();
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

struct ModelEntry {
  const char *name;
  Matrix (*run)(const Inputs &);
};
const ModelEntry kModels[] = {
    {"gcn", runGCN},
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
                  "--output Y.npy\n";
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
  for (int i = 2; i < argc; ++i) {
    llvm::StringRef arg = argv[i];
    if (!arg.consume_front("--"))
      return fail("unexpected argument '" + arg.str() + "'");
    auto [name, value] = arg.split('=');
    bool isKnown = false;
    for (const char *k : known)
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

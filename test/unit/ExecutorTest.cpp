//===- ExecutorTest.cpp - JIT kernels and the executor against plain loops -===//
//
// Each test writes a small graph-level gnn program, compiles it through the
// full pipeline to an object (compileToObject) that gnn::Model loads, runs
// it on a hand-made graph and compares with a straightforward loop
// reference written here.
//
//===----------------------------------------------------------------------===//
#include "dialect/GNNDialect.h"
#include "gnn/CsrFile.h"
#include "gnn/EdgeStream.h"
#include "gnn/Model.h"
#include "gnn/Npy.h"
#include "lowering/CompileToObject.h"

#include "llvm/Support/FileSystem.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "RandomTensor.h"
#include "gtest/gtest.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>

using namespace gnn;

namespace {

/// An activation op and what it computes, for checking kernels and
/// oneDNN post-ops against.
struct Activation {
  const char *op;
  const char *attrs;
  std::function<double(double)> f;
  /// `op operand attrs : type`, the op applied to `operand`.
  std::string applied(const char *operand, const char *type) const {
    return std::string(op) + " " + operand + (*attrs ? " " : "") + attrs +
           " : " + type;
  }
};

/// The activations gnn.linear can apply as an epilogue.
std::vector<Activation> activations() {
  return {
      {"gnn.relu", "", [](double v) { return std::max(v, 0.0); }},
      {"gnn.leaky_relu", "{negative_slope = 0.2 : f32}",
       [](double v) { return v > 0 ? v : 0.2 * v; }},
      {"gnn.elu", "{alpha = 1.5 : f32}",
       [](double v) { return v > 0 ? v : 1.5 * std::expm1(v); }},
      {"gnn.sigmoid", "", [](double v) { return 1 / (1 + std::exp(-v)); }},
      {"gnn.tanh", "", [](double v) { return std::tanh(v); }},
      {"gnn.gelu", "",
       [](double v) { return 0.5 * v * (1 + std::erf(v / std::sqrt(2.0))); }},
      {"gnn.exp", "", [](double v) { return std::exp(v); }},
  };
}

/// A graph with a hub, duplicate edges, stored self loops (one vertex has
/// two) and isolated vertices (5 and 7 have no in-edges).
struct SmallGraph {
  int64_t n = 8;
  std::vector<int64_t> src{0, 1, 2, 3, 3, 4, 6, 2, 2, 0, 1, 6, 4, 3, 6, 6};
  std::vector<int64_t> dst{1, 2, 3, 0, 0, 4, 6, 1, 1, 2, 4, 3, 6, 3, 6, 0};
  Graph graph() const {
    return llvm::cantFail(Graph::fromEdges(n, src.data(), dst.data(), src.size()));
  }
};

using test::randomTensor;

class ExecutorTest : public ::testing::Test {
protected:
  ExecutorTest() { ctx.loadDialect<GNNDialect, mlir::func::FuncDialect>(); }

  /// The model of `ir` on two threads, as gnn::Engine would make it.
  std::unique_ptr<Model> compile(const std::string &ir) {
    auto module = mlir::parseSourceString<mlir::ModuleOp>(ir, &ctx);
    EXPECT_TRUE(module) << ir;
    if (!module)
      return nullptr;
    auto object = compileToObject(*module);
    if (!object) {
      ADD_FAILURE() << llvm::toString(object.takeError());
      return nullptr;
    }
    auto model = Model::loadObject(object->object, "test.o");
    if (!model) {
      ADD_FAILURE() << llvm::toString(model.takeError());
      return nullptr;
    }
    (*model)->setThreads(2);
    return std::move(*model);
  }

  Tensor run(Model &model, const Tensor &x, int threads = 2) {
    model.setThreads(threads);
    return runOn(model, g.graph(), x);
  }

  /// One run on `graph`; a failure fails the test and gives no rows.
  static Tensor runOn(Model &model, const Graph &graph, const Tensor &x,
                      RunStats *stats = nullptr) {
    auto out = model.run(graph, x, stats);
    if (!out) {
      ADD_FAILURE() << llvm::toString(out.takeError());
      return Tensor();
    }
    return std::move(*out);
  }

  static void expectNear(const Tensor &got, const std::vector<double> &want,
                         double tol = 1e-5) {
    ASSERT_EQ(got.numElements(), want.size());
    for (size_t i = 0; i < want.size(); ++i)
      EXPECT_NEAR(got.data()[i], want[i], tol * std::max(1.0, std::fabs(want[i])))
          << "at element " << i;
  }

  mlir::MLIRContext ctx;
  SmallGraph g;
};

/// A one-message-passing program: aggregate `message` over `graphKind`.
std::string messageProgram(const std::string &graphKind, const std::string &aggr,
                           const std::string &body) {
  std::string addLoops =
      graphKind == "one_per_vertex"
          ? "  %g1 = gnn.add_self_loops %g : !gnn.graph<as_given> -> !gnn.graph<one_per_vertex>\n"
          : "";
  std::string graph = graphKind == "one_per_vertex" ? "%g1" : "%g";
  return "func.func @forward(%g: !gnn.graph<as_given>, %x: !gnn.vertex<3xf32>) -> !gnn.vertex<3xf32> {\n" +
         addLoops + "  %m = gnn.message_passing " + graph + " (%x) aggr = " + aggr +
         " : !gnn.graph<" + graphKind +
         ">, (!gnn.vertex<3xf32>) -> !gnn.vertex<3xf32> {\n"
         "  ^bb0(%a: !gnn.vertex<3xf32>):\n"
         "    %xj = gnn.get_vertex %a source : !gnn.vertex<3xf32> -> vector<3xf32>\n"
         "    %xi = gnn.get_vertex %a target : !gnn.vertex<3xf32> -> vector<3xf32>\n" +
         body + "  }\n  return %m : !gnn.vertex<3xf32>\n}\n";
}

/// The edges a kernel sees, as (sources, targets): the stored ones, or for
/// one_per_vertex the stored ones that are not self loops and then one loop
/// per vertex (PyG's remove_self_loops + add_self_loops), written out.
std::pair<std::vector<int64_t>, std::vector<int64_t>>
referenceEdges(const SmallGraph &g, bool oneSelfLoop) {
  std::vector<int64_t> src, dst;
  for (size_t e = 0; e < g.src.size(); ++e)
    if (!oneSelfLoop || g.src[e] != g.dst[e]) {
      src.push_back(g.src[e]);
      dst.push_back(g.dst[e]);
    }
  if (oneSelfLoop)
    for (int64_t v = 0; v < g.n; ++v) {
      src.push_back(v);
      dst.push_back(v);
    }
  return {src, dst};
}

/// Reference aggregation over in-edges, PyG scatter semantics (empty → 0).
std::vector<double> referenceAggregate(
    const SmallGraph &g, const Tensor &x, const std::string &aggr,
    bool oneSelfLoop, const std::function<double(int64_t, int64_t, int)> &msg) {
  auto edges = referenceEdges(g, oneSelfLoop);
  const std::vector<int64_t> &src = edges.first, &dst = edges.second;
  std::vector<double> out(g.n * 3, 0.0);
  for (int64_t v = 0; v < g.n; ++v)
    for (int f = 0; f < 3; ++f) {
      std::vector<double> msgs;
      for (size_t e = 0; e < src.size(); ++e)
        if (dst[e] == v)
          msgs.push_back(msg(src[e], v, f));
      if (msgs.empty())
        continue;
      double r = msgs[0];
      for (size_t k = 1; k < msgs.size(); ++k)
        r = aggr == "max" ? std::max(r, msgs[k])
            : aggr == "min" ? std::min(r, msgs[k])
                            : r + msgs[k];
      if (aggr == "mean")
        r /= msgs.size();
      out[v * 3 + f] = r;
    }
  return out;
}

TEST_F(ExecutorTest, AggregationsOverStoredEdges) {
  Tensor x = randomTensor({g.n, 3}, 1);
  for (std::string aggr : {"add", "mean", "max", "min"}) {
    SCOPED_TRACE(aggr);
    auto model = compile(messageProgram(
        "as_given", aggr, "    gnn.yield %xj : vector<3xf32>\n"));
    ASSERT_TRUE(model);
    auto want = referenceAggregate(g, x, aggr, false, [&](int64_t u, int64_t, int f) {
      return x.data()[u * 3 + f];
    });
    expectNear(run(*model, x), want);
  }
}

TEST_F(ExecutorTest, SelfLoopsReplacedByOnePerVertex) {
  Tensor x = randomTensor({g.n, 3}, 2);
  for (std::string aggr : {"add", "mean", "max"}) {
    SCOPED_TRACE(aggr);
    auto model = compile(messageProgram(
        "one_per_vertex", aggr, "    gnn.yield %xj : vector<3xf32>\n"));
    ASSERT_TRUE(model);
    auto want = referenceAggregate(g, x, aggr, true, [&](int64_t u, int64_t, int f) {
      return x.data()[u * 3 + f];
    });
    expectNear(run(*model, x), want);
  }
}

TEST_F(ExecutorTest, MessageReadsSourceAndTarget) {
  Tensor x = randomTensor({g.n, 3}, 3);
  auto model = compile(messageProgram(
      "as_given", "max",
      "    %d = gnn.sub %xi, %xj : vector<3xf32>, vector<3xf32> -> vector<3xf32>\n"
      "    %r = gnn.relu %d : vector<3xf32>\n"
      "    gnn.yield %r : vector<3xf32>\n"));
  ASSERT_TRUE(model);
  auto want = referenceAggregate(g, x, "max", false, [&](int64_t u, int64_t v, int f) {
    return std::max(0.0, double(x.data()[v * 3 + f]) - x.data()[u * 3 + f]);
  });
  expectNear(run(*model, x), want);
}

TEST_F(ExecutorTest, DegreeCountsSelfLoopsPerGraphType) {
  for (bool oneLoop : {false, true}) {
    SCOPED_TRACE(oneLoop ? "one_per_vertex" : "as_given");
    std::string ir =
        "func.func @forward(%g: !gnn.graph<as_given>, %x: !gnn.vertex<3xf32>) -> !gnn.vertex<1xf32> {\n"
        "  %g1 = gnn.add_self_loops %g : !gnn.graph<as_given> -> !gnn.graph<one_per_vertex>\n" +
        std::string(oneLoop
                        ? "  %d = gnn.degree %g1 : !gnn.graph<one_per_vertex> -> !gnn.vertex<1xf32>\n"
                        : "  %d = gnn.degree %g : !gnn.graph<as_given> -> !gnn.vertex<1xf32>\n") +
        "  return %d : !gnn.vertex<1xf32>\n}\n";
    auto model = compile(ir);
    ASSERT_TRUE(model);
    Tensor out = run(*model, randomTensor({g.n, 3}, 4));
    std::vector<double> want(g.n, 0.0);
    for (int64_t d : referenceEdges(g, oneLoop).second)
      want[d] += 1;
    expectNear(out, want);
  }
}

/// x W^T (+ b), by loops: [n, out].
std::vector<double> referenceLinear(const Tensor &x, const Tensor &w,
                                    const Tensor *b) {
  int64_t n = x.shape[0], in = w.shape[1], out = w.shape[0];
  std::vector<double> y(n * out);
  for (int64_t v = 0; v < n; ++v)
    for (int64_t o = 0; o < out; ++o) {
      double acc = b ? b->data()[o] : 0.0;
      for (int64_t i = 0; i < in; ++i)
        acc += double(x.data()[v * in + i]) * w.data()[o * in + i];
      y[v * out + o] = acc;
    }
  return y;
}

TEST_F(ExecutorTest, LinearMatchesLoopsAndThreadCountsAgree) {
  const char *ir = R"(
func.func @forward(%g: !gnn.graph<as_given>, %x: !gnn.vertex<3xf32>,
                   %w: tensor<5x3xf32> {gnn.param = "lin.weight"},
                   %b: tensor<5xf32> {gnn.param = "lin.bias"}) -> !gnn.vertex<5xf32> {
  %y = gnn.linear %x, %w, %b : !gnn.vertex<3xf32>, tensor<5x3xf32>, tensor<5xf32> -> !gnn.vertex<5xf32>
  return %y : !gnn.vertex<5xf32>
}
)";
  auto model = compile(ir);
  ASSERT_TRUE(model);
  ASSERT_EQ(model->parameters().size(), 2u);
  EXPECT_EQ(model->parameters()[0].name, "lin.weight");
  Tensor w = randomTensor({5, 3}, 5), b = randomTensor({5}, 6);
  WeightMap weights;
  weights["lin.weight"] = randomTensor({5, 3}, 5);
  weights["lin.bias"] = randomTensor({5}, 6);
  weights["unused.extra"] = randomTensor({2}, 7); // dropped: Ignore below
  ASSERT_FALSE(bool(model->bindWeights(std::move(weights), "w.safetensors",
                                       UnusedWeights::Ignore)));
  Tensor x = randomTensor({g.n, 3}, 8);
  std::vector<double> want = referenceLinear(x, w, &b);
  expectNear(run(*model, x, 1), want);
  expectNear(run(*model, x, 2), want);
}

TEST_F(ExecutorTest, BindWeightsNamesMissingAndMisshapenWeights) {
  const char *ir = R"(
func.func @forward(%g: !gnn.graph<as_given>, %x: !gnn.vertex<3xf32>,
                   %w: tensor<5x3xf32> {gnn.param = "lin.weight"}) -> !gnn.vertex<5xf32> {
  %y = gnn.linear %x, %w : !gnn.vertex<3xf32>, tensor<5x3xf32> -> !gnn.vertex<5xf32>
  return %y : !gnn.vertex<5xf32>
}
)";
  auto model = compile(ir);
  ASSERT_TRUE(model);
  llvm::Error missing = model->bindWeights({}, "w.safetensors");
  EXPECT_EQ(llvm::toString(std::move(missing)),
            "w.safetensors: missing weight 'lin.weight' (shape [5, 3])");
  WeightMap wrong;
  wrong["lin.weight"] = randomTensor({3, 5}, 1);
  llvm::Error shape = model->bindWeights(std::move(wrong), "w.safetensors");
  EXPECT_EQ(llvm::toString(std::move(shape)),
            "w.safetensors: weight 'lin.weight' has shape [3, 5], expected [5, 3]");
  // A missing weight next to unused ones (here a DataParallel prefix): the
  // message names both.
  WeightMap prefixed;
  prefixed["module.lin.weight"] = randomTensor({5, 3}, 1);
  EXPECT_EQ(llvm::toString(model->bindWeights(std::move(prefixed), "w.st")),
            "w.st: missing weight 'lin.weight' (shape [5, 3]); 1 weight the "
            "model does not use: 'module.lin.weight'");
}

TEST_F(ExecutorTest, BindWeightsRefusesUnusedUnlessIgnored) {
  const char *ir = R"(
func.func @forward(%g: !gnn.graph<as_given>, %x: !gnn.vertex<3xf32>,
                   %w: tensor<2x3xf32> {gnn.param = "lin.weight"}) -> !gnn.vertex<2xf32> {
  %y = gnn.linear %x, %w : !gnn.vertex<3xf32>, tensor<2x3xf32> -> !gnn.vertex<2xf32>
  return %y : !gnn.vertex<2xf32>
}
)";
  auto model = compile(ir);
  ASSERT_TRUE(model);
  Tensor w = randomTensor({2, 3}, 1);
  WeightMap exact;
  exact["lin.weight"] = randomTensor({2, 3}, 1);
  ASSERT_FALSE(bool(model->bindWeights(std::move(exact), "w")));
  Tensor x = randomTensor({g.n, 3}, 2);
  std::vector<double> want = referenceLinear(x, w, nullptr);
  expectNear(run(*model, x, 1), want);

  // Ten extras, as torch's load_state_dict(strict=True) refuses: the
  // error is its own type, lists them sorted (eight, then a count), and
  // leaves the weights bound before in place.
  auto withExtras = [&] {
    WeightMap m;
    m["lin.weight"] = randomTensor({2, 3}, 3);
    for (int i = 0; i < 10; ++i)
      m["extra." + std::to_string(i)] = randomTensor({1}, 4);
    return m;
  };
  std::vector<std::string> names;
  std::string text;
  llvm::handleAllErrors(
      model->bindWeights(withExtras(), "w.safetensors"),
      [&](const UnusedWeightsError &e) {
        names = e.names();
        text = e.message();
      });
  EXPECT_EQ(names.size(), 10u);
  EXPECT_EQ(names.front(), "extra.0");
  EXPECT_EQ(names.back(), "extra.9");
  EXPECT_EQ(text, "w.safetensors: 10 weights the model does not use: "
                  "'extra.0', 'extra.1', 'extra.2', 'extra.3', 'extra.4', "
                  "'extra.5', 'extra.6', 'extra.7' and 2 more");
  EXPECT_EQ(model->unusedWeights(withExtras()), names);
  expectNear(run(*model, x, 1), want);

  // Ignored, they are dropped and the new weight is bound.
  ASSERT_FALSE(bool(model->bindWeights(withExtras(), "w",
                                       UnusedWeights::Ignore)));
  expectNear(run(*model, x, 1), referenceLinear(x, randomTensor({2, 3}, 3),
                                                nullptr));
}

TEST_F(ExecutorTest, ElementwiseActivations) {
  std::vector<Activation> cases = activations();
  cases.push_back({"gnn.abs", "", [](double v) { return std::fabs(v); }});
  cases.push_back({"gnn.neg", "", [](double v) { return -v; }});
  Tensor x = randomTensor({g.n, 3}, 9);
  for (const Activation &c : cases) {
    SCOPED_TRACE(c.op);
    std::string ir = std::string(R"(
func.func @forward(%g: !gnn.graph<as_given>, %x: !gnn.vertex<3xf32>) -> !gnn.vertex<3xf32> {
  %y = gnn.transform (%x) : (!gnn.vertex<3xf32>) -> !gnn.vertex<3xf32> {
  ^bb0(%r: vector<3xf32>):
    %o = )") + c.applied("%r", "vector<3xf32>") + R"(
    gnn.yield %o : vector<3xf32>
  }
  return %y : !gnn.vertex<3xf32>
}
)";
    auto model = compile(ir);
    ASSERT_TRUE(model);
    std::vector<double> want(x.numElements());
    for (size_t i = 0; i < want.size(); ++i)
      want[i] = c.f(x.data()[i]);
    expectNear(run(*model, x), want, 2e-5);
  }
}

/// GAT's aggregation: out[v, h, :] = sum over in-edges (u, v) of
/// softmax_u(leaky_relu(a[u, h] + a[v, h])) * x[u, h, :], for x viewed as
/// 2 heads of 4 channels and a[v, h] = sum_c x[v, h, c], computed by a
/// softmax_add stage.
std::string softmaxProgram(const std::string &graphKind) {
  std::string addLoops =
      graphKind == "one_per_vertex"
          ? "  %g1 = gnn.add_self_loops %g : !gnn.graph<as_given> -> !gnn.graph<one_per_vertex>\n"
          : "";
  std::string graph = graphKind == "one_per_vertex" ? "%g1" : "%g";
  return "func.func @forward(%g: !gnn.graph<as_given>, %x: !gnn.vertex<8xf32>) -> !gnn.vertex<8xf32> {\n" +
         addLoops +
         "  %hv = gnn.reshape %x : !gnn.vertex<8xf32> -> !gnn.vertex<2x4xf32>\n"
         "  %a = gnn.reduce sum %hv dim = 1 : !gnn.vertex<2x4xf32> -> !gnn.vertex<2xf32>\n"
         "  %m = gnn.message_passing " + graph + " (%hv, %a) aggr = softmax_add : !gnn.graph<" + graphKind +
         ">, (!gnn.vertex<2x4xf32>, !gnn.vertex<2xf32>) -> !gnn.vertex<2x4xf32> {\n"
         "  ^bb0(%xa: !gnn.vertex<2x4xf32>, %aa: !gnn.vertex<2xf32>):\n"
         "    %xj = gnn.get_vertex %xa source : !gnn.vertex<2x4xf32> -> vector<2x4xf32>\n"
         "    %aj = gnn.get_vertex %aa source : !gnn.vertex<2xf32> -> vector<2xf32>\n"
         "    %ai = gnn.get_vertex %aa target : !gnn.vertex<2xf32> -> vector<2xf32>\n"
         "    %s = gnn.add %aj, %ai : vector<2xf32>, vector<2xf32> -> vector<2xf32>\n"
         "    %l = gnn.leaky_relu %s {negative_slope = 0.2 : f32} : vector<2xf32>\n"
         "    %l2 = gnn.reshape %l : vector<2xf32> -> vector<2x1xf32>\n"
         "    gnn.yield %xj, %l2 : vector<2x4xf32>, vector<2x1xf32>\n"
         "  }\n"
         "  %o = gnn.reshape %m : !gnn.vertex<2x4xf32> -> !gnn.vertex<8xf32>\n"
         "  return %o : !gnn.vertex<8xf32>\n}\n";
}

TEST_F(ExecutorTest, EdgeSoftmaxAggregation) {
  // Logits are sums of four values in [-2, 2]: far from uniform weights,
  // and the running maximum moves along the in-edges.
  Tensor x = randomTensor({g.n, 8}, 10);
  auto a = [&](int64_t v, int h) {
    double s = 0;
    for (int c = 0; c < 4; ++c)
      s += x.data()[v * 8 + h * 4 + c];
    return s;
  };
  for (bool oneLoop : {false, true}) {
    SCOPED_TRACE(oneLoop ? "one_per_vertex" : "as_given");
    auto model = compile(softmaxProgram(oneLoop ? "one_per_vertex" : "as_given"));
    ASSERT_TRUE(model);
    // The edge list the kernel sees (stored self loops replaced by one per
    // vertex for one_per_vertex), and a two-pass softmax over it.
    auto edges = referenceEdges(g, oneLoop);
    const std::vector<int64_t> &src = edges.first, &dst = edges.second;
    auto logit = [&](size_t e, int h) {
      double s = a(src[e], h) + a(dst[e], h);
      return s > 0 ? s : 0.2 * s;
    };
    std::vector<double> want(g.n * 8, 0.0);
    for (int64_t v = 0; v < g.n; ++v)
      for (int h = 0; h < 2; ++h) {
        double max = -INFINITY, sum = 0;
        for (size_t e = 0; e < src.size(); ++e)
          if (dst[e] == v)
            max = std::max(max, logit(e, h));
        for (size_t e = 0; e < src.size(); ++e)
          if (dst[e] == v)
            sum += std::exp(logit(e, h) - max);
        for (size_t e = 0; e < src.size(); ++e)
          if (dst[e] == v)
            for (int c = 0; c < 4; ++c)
              want[v * 8 + h * 4 + c] += std::exp(logit(e, h) - max) / sum *
                                         x.data()[src[e] * 8 + h * 4 + c];
      }
    Tensor out = run(*model, x);
    expectNear(out, want, 2e-5);
    ASSERT_EQ(out.numElements(), want.size());
    for (int64_t v : {5, 7}) {
      // No in-edges: zeros as given; with one loop per vertex the loop is
      // the only edge, of weight 1, so the vertex's own value.
      for (int i = 0; i < 8; ++i)
        EXPECT_EQ(out.data()[v * 8 + i], oneLoop ? x.data()[v * 8 + i] : 0.0f)
            << "vertex " << v << ", element " << i;
    }
  }
}

/// relu(x W1^T + b1), summed over in-edges from sources, then W2: three
/// steps whose results share the model's arena.
const char *kTwoLayerProgram = R"(
func.func @forward(%g: !gnn.graph<as_given>, %x: !gnn.vertex<3xf32>,
                   %w1: tensor<4x3xf32> {gnn.param = "w1"},
                   %b1: tensor<4xf32> {gnn.param = "b1"},
                   %w2: tensor<2x4xf32> {gnn.param = "w2"}) -> !gnn.vertex<2xf32> {
  %y = gnn.linear %x, %w1, %b1 : !gnn.vertex<3xf32>, tensor<4x3xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
  %h = gnn.relu %y : !gnn.vertex<4xf32>
  %m = gnn.message_passing %g (%h) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %hj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %hj : vector<4xf32>
  }
  %o = gnn.linear %m, %w2 : !gnn.vertex<4xf32>, tensor<2x4xf32> -> !gnn.vertex<2xf32>
  return %o : !gnn.vertex<2xf32>
}
)";

/// kTwoLayerProgram by plain loops.
std::vector<double> referenceTwoLayer(const std::vector<int64_t> &src,
                                      const std::vector<int64_t> &dst,
                                      int64_t n, const Tensor &x,
                                      const Tensor &w1, const Tensor &b1,
                                      const Tensor &w2) {
  std::vector<double> h = referenceLinear(x, w1, &b1), m(n * 4, 0.0),
                      out(n * 2, 0.0);
  for (double &v : h)
    v = std::max(v, 0.0);
  for (size_t e = 0; e < src.size(); ++e)
    for (int f = 0; f < 4; ++f)
      m[dst[e] * 4 + f] += h[src[e] * 4 + f];
  for (int64_t v = 0; v < n; ++v)
    for (int o = 0; o < 2; ++o)
      for (int i = 0; i < 4; ++i)
        out[v * 2 + o] += m[v * 4 + i] * w2.data()[o * 4 + i];
  return out;
}

/// Random weights for kTwoLayerProgram (w1, b1, w2 from seeds `seed`,
/// `seed` + 1, `seed` + 2), bound to `model` and returned for the
/// reference (tensors move, so the same seeds make the bound copies).
static std::tuple<Tensor, Tensor, Tensor> bindTwoLayerWeights(Model &model,
                                                              unsigned seed) {
  Tensor w1 = randomTensor({4, 3}, seed), b1 = randomTensor({4}, seed + 1),
         w2 = randomTensor({2, 4}, seed + 2);
  WeightMap weights;
  weights["w1"] = randomTensor({4, 3}, seed);
  weights["b1"] = randomTensor({4}, seed + 1);
  weights["w2"] = randomTensor({2, 4}, seed + 2);
  EXPECT_FALSE(bool(model.bindWeights(std::move(weights), "w")));
  return {std::move(w1), std::move(b1), std::move(w2)};
}

TEST_F(ExecutorTest, RunsReuseTheArenaAcrossRunsAndGraphSizes) {
  auto model = compile(kTwoLayerProgram);
  ASSERT_TRUE(model);
  auto [w1, b1, w2] = bindTwoLayerWeights(*model, 11);

  // A second, larger graph: every vertex gets a few in-edges.
  int64_t n2 = 301;
  std::vector<int64_t> src2, dst2;
  std::mt19937 rng(5);
  for (int64_t e = 0; e < 1500; ++e) {
    src2.push_back(rng() % n2);
    dst2.push_back(rng() % n2);
  }
  Graph big = llvm::cantFail(Graph::fromEdges(n2, src2.data(), dst2.data(), src2.size()));
  Tensor x = randomTensor({g.n, 3}, 14), x2 = randomTensor({n2, 3}, 15);
  std::vector<double> want = referenceTwoLayer(g.src, g.dst, g.n, x, w1, b1, w2);
  std::vector<double> want2 = referenceTwoLayer(src2, dst2, n2, x2, w1, b1, w2);

  auto runOn = [&](const Graph &graph, const Tensor &features, RunStats *stats) {
    auto out = model->run(graph, features, stats);
    if (!out) {
      ADD_FAILURE() << llvm::toString(out.takeError());
      return Tensor();
    }
    return std::move(*out);
  };
  RunStats stats;
  Tensor first = runOn(g.graph(), x, &stats);
  expectNear(first, want);
  // The returned 2 floats per vertex are the caller's; the rest (how many
  // steps depends on the pipeline) share an arena no larger than them.
  EXPECT_EQ(stats.outputBytes, 64);
  EXPECT_GT(stats.arenaBytes, 0);
  EXPECT_GE(stats.bufferBytes, stats.arenaBytes + stats.outputBytes);
  // The run's time covers mapping its fresh memory as well as every step.
  double stepSeconds = 0;
  for (const StageTiming &t : stats.stages)
    stepSeconds += t.seconds;
  EXPECT_GT(stats.memorySeconds, 0);
  EXPECT_GE(stats.totalSeconds, stats.memorySeconds + stepSeconds);
  int64_t smallArena = stats.arenaBytes;
  Tensor second = runOn(g.graph(), x, nullptr);
  Tensor other = runOn(big, x2, &stats);
  expectNear(other, want2);
  EXPECT_GT(stats.arenaBytes, smallArena) << "planned again for the size";
  Tensor third = runOn(g.graph(), x, nullptr);
  ASSERT_EQ(second.numElements(), first.numElements());
  ASSERT_EQ(third.numElements(), first.numElements());
  for (size_t i = 0; i < first.numElements(); ++i) {
    EXPECT_EQ(first.data()[i], second.data()[i]) << "element " << i;
    EXPECT_EQ(first.data()[i], third.data()[i]) << "element " << i;
  }
  // Each output is its own memory, not the arena's.
  EXPECT_NE(first.data(), second.data());
}

TEST_F(ExecutorTest, OutputsGoIntoBuffersTheCallerLetGo) {
  auto model = compile(kTwoLayerProgram);
  ASSERT_TRUE(model);
  auto [w1, b1, w2] = bindTwoLayerWeights(*model, 12);
  Tensor x = randomTensor({g.n, 3}, 16);
  std::vector<double> want = referenceTwoLayer(g.src, g.dst, g.n, x, w1, b1, w2);
  Graph graph = g.graph();
  auto run = [&] { return runOn(*model, graph, x); };
  Tensor a = run();
  Tensor b = run(); // a is held: another buffer
  EXPECT_NE(a.data(), b.data());
  const float *aData = a.data();
  a = Tensor();
  Tensor c = run(); // into a's buffer, whose pages are mapped
  EXPECT_EQ(c.data(), aData);
  ASSERT_EQ(c.numElements(), b.numElements());
  EXPECT_EQ(0, std::memcmp(c.data(), b.data(), b.numElements() * sizeof(float)));
  expectNear(c, want);
  // Both kept buffers held: a third, which the model does not keep.
  Tensor d = run();
  EXPECT_NE(d.data(), b.data());
  EXPECT_NE(d.data(), c.data());
  const float *bData = b.data();
  d = Tensor();
  b = Tensor();
  Tensor e = run(); // b's, which the model kept
  EXPECT_EQ(e.data(), bData);
  expectNear(e, want);
  // An output outlives its model.
  model.reset();
  expectNear(c, want);
  expectNear(e, want);
}

/// SmallGraph renumbered: graph vertex i is original vertex kOrder[i].
const std::vector<int64_t> kOrder{5, 2, 7, 0, 3, 6, 1, 4};

/// `g` in kOrder's numbering, with kOrder as its original ids, and `x`'s
/// rows in that order.
static std::pair<Graph, Tensor> renumbered(const SmallGraph &g,
                                           const Tensor &x) {
  std::vector<int64_t> graphIds(g.n);
  for (int64_t i = 0; i < g.n; ++i)
    graphIds[kOrder[i]] = i;
  std::vector<int64_t> src, dst;
  for (size_t e = 0; e < g.src.size(); ++e) {
    src.push_back(graphIds[g.src[e]]);
    dst.push_back(graphIds[g.dst[e]]);
  }
  Graph graph = llvm::cantFail(
      Graph::fromEdges(g.n, src.data(), dst.data(), src.size()));
  AlignedArray<int64_t> ids(kOrder.size());
  std::copy(kOrder.begin(), kOrder.end(), ids.data());
  EXPECT_FALSE(bool(graph.setOriginalIds(std::move(ids), "order")));
  int64_t width = x.shape[1];
  Tensor inGraphOrder(x.shape);
  for (int64_t i = 0; i < g.n; ++i)
    std::copy(x.data() + kOrder[i] * width, x.data() + (kOrder[i] + 1) * width,
              inGraphOrder.data() + i * width);
  return {std::move(graph), std::move(inGraphOrder)};
}

TEST_F(ExecutorTest, OutputsComeBackInTheOriginalOrderWhenAsked) {
  auto model = compile(kTwoLayerProgram);
  ASSERT_TRUE(model);
  auto [w1, b1, w2] = bindTwoLayerWeights(*model, 13);
  Tensor x = randomTensor({g.n, 3}, 17);
  // The reference on the graph as given: rows in the original order.
  std::vector<double> want = referenceTwoLayer(g.src, g.dst, g.n, x, w1, b1, w2);
  auto [graph, xg] = renumbered(g, x);
  auto run = [&, &graph = graph, &xg = xg](RunStats *stats = nullptr) {
    return runOn(*model, graph, xg, stats);
  };
  // Off by default: rows in the graph's order, which rowsToOriginalOrder
  // puts back.
  EXPECT_FALSE(model->getOriginalOrderOutput());
  Tensor inGraphOrder = run();
  std::vector<double> wantInGraphOrder;
  for (int64_t i = 0; i < g.n; ++i)
    for (int c = 0; c < 2; ++c)
      wantInGraphOrder.push_back(want[kOrder[i] * 2 + c]);
  expectNear(inGraphOrder, wantInGraphOrder);
  Tensor back =
      llvm::cantFail(rowsToOriginalOrder(graph, std::move(inGraphOrder), "y"));
  expectNear(back, want);

  model->setOriginalOrderOutput(true);
  EXPECT_TRUE(model->getOriginalOrderOutput());
  RunStats stats;
  Tensor a = run(&stats);
  expectNear(a, want);
  ASSERT_EQ(a.shape, back.shape);
  EXPECT_EQ(0, std::memcmp(a.data(), back.data(), back.numElements() * sizeof(float)));
  EXPECT_GE(stats.originalOrderSeconds, 0.0);
  EXPECT_LE(stats.originalOrderSeconds, stats.totalSeconds);
  // The returned buffers are reused as without the option: the graph-order
  // rows are the executor's own, never handed out.
  Tensor b = run();
  EXPECT_NE(a.data(), b.data());
  const float *aData = a.data();
  a = Tensor();
  Tensor c = run();
  EXPECT_EQ(c.data(), aData);
  expectNear(c, want);
  expectNear(b, want);

  // A graph in its original order: the option changes nothing.
  RunStats plain;
  auto same = model->run(g.graph(), x, &plain);
  ASSERT_TRUE(bool(same)) << llvm::toString(same.takeError());
  expectNear(*same, want);
  EXPECT_EQ(plain.originalOrderSeconds, 0.0);

  // Memory given back as the run goes: the same rows.
  model->setReleaseMemory(true);
  Tensor d = run();
  expectNear(d, want);
  EXPECT_EQ(0, std::memcmp(d.data(), back.data(), back.numElements() * sizeof(float)));
}

TEST_F(ExecutorTest, AModelReturningItsFeaturesReturnsThemInTheOriginalOrder) {
  auto model = compile(R"(
func.func @forward(%g: !gnn.graph<as_given>, %x: !gnn.vertex<3xf32>) -> !gnn.vertex<3xf32> {
  return %x : !gnn.vertex<3xf32>
}
)");
  ASSERT_TRUE(model);
  EXPECT_FALSE(bool(model->bindWeights({}, "w")));
  Tensor x = randomTensor({g.n, 3}, 19);
  auto [graph, xg] = renumbered(g, x);
  model->setOriginalOrderOutput(true);
  auto out = model->run(graph, xg);
  ASSERT_TRUE(bool(out)) << llvm::toString(out.takeError());
  ASSERT_EQ(out->shape, x.shape);
  EXPECT_EQ(0, std::memcmp(out->data(), x.data(), x.numElements() * sizeof(float)));
}

/// GCN's normalisation on one side: each in-edge (one self loop per
/// vertex) sends x_j scaled by deg(j)^-1/2, steps of the graph alone first.
const char *kDegreeScaledProgram = R"(
func.func @forward(%g: !gnn.graph<as_given>, %x: !gnn.vertex<3xf32>) -> !gnn.vertex<3xf32> {
  %g1 = gnn.add_self_loops %g : !gnn.graph<as_given> -> !gnn.graph<one_per_vertex>
  %d = gnn.degree %g1 : !gnn.graph<one_per_vertex> -> !gnn.vertex<1xf32>
  %s = gnn.transform(%d) : (!gnn.vertex<1xf32>) -> !gnn.vertex<1xf32> {
  ^bb0(%a: vector<1xf32>):
    %c = arith.constant -5.000000e-01 : f32
    %p = gnn.pow %a, %c : vector<1xf32>, f32 -> vector<1xf32>
    gnn.yield %p : vector<1xf32>
  }
  %m = gnn.message_passing %g1 (%x, %s) aggr = add : !gnn.graph<one_per_vertex>, (!gnn.vertex<3xf32>, !gnn.vertex<1xf32>) -> !gnn.vertex<3xf32> {
  ^bb0(%a: !gnn.vertex<3xf32>, %b: !gnn.vertex<1xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<3xf32> -> vector<3xf32>
    %sj = gnn.get_vertex %b source : !gnn.vertex<1xf32> -> vector<1xf32>
    %r = gnn.mul %sj, %xj : vector<1xf32>, vector<3xf32> -> vector<3xf32>
    gnn.yield %r : vector<3xf32>
  }
  return %m : !gnn.vertex<3xf32>
}
)";

TEST_F(ExecutorTest, StepsOfTheGraphAloneRunOncePerGraph) {
  auto model = compile(kDegreeScaledProgram);
  ASSERT_TRUE(model);
  EXPECT_FALSE(bool(model->bindWeights({}, "w")));
  auto reference = [](const SmallGraph &sg, const Tensor &x) {
    std::vector<double> degree(sg.n, 0.0);
    for (int64_t d : referenceEdges(sg, true).second)
      degree[d] += 1;
    return referenceAggregate(sg, x, "add", true, [&](int64_t j, int64_t, int f) {
      return x.data()[j * 3 + f] / std::sqrt(degree[j]);
    });
  };
  Tensor x = randomTensor({g.n, 3}, 23);
  Graph graph = g.graph();
  auto run = [&](const Graph &on, RunStats &stats) {
    return runOn(*model, on, x, &stats);
  };
  RunStats first, second, third;
  Tensor a = run(graph, first);
  expectNear(a, reference(g, x));
  EXPECT_TRUE(first.keptSteps.empty());
  // Again on the same graph: the degree and its power are not computed
  // again (both kernels: the degree only feeds the power), and the bits
  // stay.
  Tensor b = run(graph, second);
  ASSERT_EQ(second.keptSteps.size(), 2u);
  for (const std::string &label : second.keptSteps)
    EXPECT_EQ(label.rfind("kernel @", 0), 0u) << label;
  EXPECT_EQ(second.stages.size(), first.stages.size());
  ASSERT_EQ(a.numElements(), b.numElements());
  EXPECT_EQ(0, std::memcmp(a.data(), b.data(), a.numElements() * sizeof(float)));
  // Other features on the same graph: the kept degrees still serve.
  Tensor y = randomTensor({g.n, 3}, 29);
  auto withY = model->run(graph, y, &third);
  ASSERT_TRUE(bool(withY)) << llvm::toString(withY.takeError());
  EXPECT_EQ(third.keptSteps.size(), 2u);
  expectNear(*withY, reference(g, y));

  // Another graph of as many vertices: computed afresh, then kept for it.
  SmallGraph other;
  other.src = {0, 1, 2, 3, 4, 5, 6, 7, 7, 7};
  other.dst = {7, 7, 7, 7, 7, 7, 7, 0, 1, 2};
  Graph otherGraph = other.graph();
  RunStats fresh, again;
  Tensor c = run(otherGraph, fresh);
  EXPECT_TRUE(fresh.keptSteps.empty());
  expectNear(c, reference(other, x));
  Tensor d = run(otherGraph, again);
  EXPECT_EQ(again.keptSteps.size(), 2u);
  expectNear(d, reference(other, x));

  // Memory given back as the run goes: nothing kept, every step runs.
  model->setReleaseMemory(true);
  RunStats released;
  Tensor e = run(otherGraph, released);
  EXPECT_TRUE(released.keptSteps.empty());
  expectNear(e, reference(other, x));
}

/// Edges in memory as a stream, for writing a binary CSR file.
class VectorEdges : public EdgeStream {
public:
  VectorEdges(const std::vector<int64_t> &src, const std::vector<int64_t> &dst)
      : src(src), dst(dst) {}
  int64_t size() const override { return int64_t(src.size()); }
  llvm::Error forEach(Batch f) override {
    f(0, src.data(), dst.data(), size());
    return llvm::Error::success();
  }
  const std::vector<int64_t> &src, &dst;
};

TEST_F(ExecutorTest, ReleasingMemoryKeepsTheBits) {
  // Buffers of many pages, so that pages are dropped and mapped again
  // between steps and runs, over a mapped graph file and mapped features
  // (whose pages go too) and over the same inputs in memory (which stay).
  auto model = compile(kTwoLayerProgram);
  ASSERT_TRUE(model);
  auto [w1, b1, w2] = bindTwoLayerWeights(*model, 21);
  int64_t n = 30000;
  std::vector<int64_t> src, dst;
  std::mt19937 rng(7);
  for (int64_t e = 0; e < 300000; ++e) {
    src.push_back(rng() % n);
    dst.push_back(rng() % 4 == 0 ? 0 : rng() % n); // vertex 0 is a hub
  }
  Tensor x = randomTensor({n, 3}, 24);

  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("gnn-release", dir));
  std::string csrPath = (dir + "/g.csr").str(), xPath = (dir + "/x.npy").str();
  VectorEdges edges(src, dst);
  ASSERT_FALSE(bool(writeCsrFile(csrPath, n, edges, CsrWriteOptions())));
  ASSERT_FALSE(bool(writeNpyF32(xPath, x.data(), x.shape)));
  Graph mapped = llvm::cantFail(loadCsrFile(csrPath, n));
  Tensor mappedX = llvm::cantFail(mapNpyF32(xPath, 2));
  Graph inMemory =
      llvm::cantFail(Graph::fromEdges(n, src.data(), dst.data(), src.size()));
  EXPECT_TRUE(mapped.isFileMapped());
  EXPECT_FALSE(inMemory.isFileMapped());

  auto runOn = [&](const Graph &graph, const Tensor &features) {
    auto out = model->run(graph, features);
    if (!out) {
      ADD_FAILURE() << llvm::toString(out.takeError());
      return Tensor();
    }
    return std::move(*out);
  };
  Tensor want = runOn(inMemory, x);
  expectNear(want, referenceTwoLayer(src, dst, n, x, w1, b1, w2));
  model->setReleaseMemory(true);
  std::vector<Tensor> got;
  got.push_back(runOn(mapped, mappedX));
  got.push_back(runOn(mapped, mappedX)); // the arena's pages mapped again
  got.push_back(runOn(inMemory, x));
  model->setReleaseMemory(false);
  got.push_back(runOn(mapped, mappedX)); // after pages were dropped
  for (const Tensor &t : got) {
    ASSERT_EQ(t.numElements(), want.numElements());
    EXPECT_EQ(0, std::memcmp(t.data(), want.data(),
                             want.numElements() * sizeof(float)));
  }
  // The inputs still hold their values.
  EXPECT_EQ(0, std::memcmp(mappedX.data(), x.data(),
                           x.numElements() * sizeof(float)));
  EXPECT_EQ(0, std::memcmp(mapped.sources(), inMemory.sources(),
                           src.size() * sizeof(int32_t)));
  llvm::sys::fs::remove_directories(dir);
}

TEST_F(ExecutorTest, LinearWithBiasAndActivationIsOneStep) {
  // The transform after the linear (bias, activation) folds into it and
  // runs as oneDNN post-ops: one step, same values as the loops.
  Tensor x = randomTensor({g.n, 3}, 21), w = randomTensor({5, 3}, 22),
         b = randomTensor({5}, 23);
  std::vector<double> pre = referenceLinear(x, w, &b);
  for (const Activation &c : activations()) {
    SCOPED_TRACE(c.op);
    std::string ir = std::string(R"(
func.func @forward(%g: !gnn.graph<as_given>, %x: !gnn.vertex<3xf32>,
                   %w: tensor<5x3xf32> {gnn.param = "w"},
                   %b: tensor<5xf32> {gnn.param = "b"}) -> !gnn.vertex<5xf32> {
  %y = gnn.linear %x, %w : !gnn.vertex<3xf32>, tensor<5x3xf32> -> !gnn.vertex<5xf32>
  %t = gnn.transform (%y, %b) : (!gnn.vertex<5xf32>, tensor<5xf32>) -> !gnn.vertex<5xf32> {
  ^bb0(%r: vector<5xf32>, %bias: tensor<5xf32>):
    %s = gnn.add %r, %bias : vector<5xf32>, tensor<5xf32> -> vector<5xf32>
    %o = )") + c.applied("%s", "vector<5xf32>") + R"(
    gnn.yield %o : vector<5xf32>
  }
  return %t : !gnn.vertex<5xf32>
}
)";
    auto model = compile(ir);
    ASSERT_TRUE(model);
    WeightMap weights;
    weights["w"] = randomTensor({5, 3}, 22);
    weights["b"] = randomTensor({5}, 23);
    ASSERT_FALSE(bool(model->bindWeights(std::move(weights), "w")));
    std::vector<double> want(pre.size());
    for (size_t i = 0; i < want.size(); ++i)
      want[i] = c.f(pre[i]);
    RunStats stats;
    auto out = model->run(g.graph(), x, &stats);
    ASSERT_TRUE(bool(out)) << llvm::toString(out.takeError());
    expectNear(*out, want, 2e-5);
    EXPECT_EQ(stats.stages.size(), 1u) << "the epilogue is not fused";
  }
}

TEST_F(ExecutorTest, LinearAccumulatesIntoAnotherLinearsResult) {
  // SAGE's relu(lin_l(x) + lin_r(h)): the second matmul sums into the
  // first one's result. Returned (written in the caller's buffer) and read
  // by a later step (in the arena).
  const char *ir = R"(
func.func @forward(%g: !gnn.graph<as_given>, %x: !gnn.vertex<3xf32>,
                   %wl: tensor<4x3xf32> {gnn.param = "wl"},
                   %bl: tensor<4xf32> {gnn.param = "bl"},
                   %wr: tensor<4x3xf32> {gnn.param = "wr"},
                   %w2: tensor<4x4xf32> {gnn.param = "w2"}) -> !gnn.vertex<4xf32> {
  %h = gnn.neg %x : !gnn.vertex<3xf32>
  %l = gnn.linear %x, %wl, %bl : !gnn.vertex<3xf32>, tensor<4x3xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
  %r = gnn.linear %h, %wr : !gnn.vertex<3xf32>, tensor<4x3xf32> -> !gnn.vertex<4xf32>
  %s = gnn.add %l, %r : !gnn.vertex<4xf32>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
  %a = gnn.relu %s : !gnn.vertex<4xf32>
  %l2 = gnn.linear %a, %w2 : !gnn.vertex<4xf32>, tensor<4x4xf32> -> !gnn.vertex<4xf32>
  %r2 = gnn.linear %x, %wr : !gnn.vertex<3xf32>, tensor<4x3xf32> -> !gnn.vertex<4xf32>
  %o = gnn.add %r2, %l2 : !gnn.vertex<4xf32>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
  return %o : !gnn.vertex<4xf32>
}
)";
  auto model = compile(ir);
  ASSERT_TRUE(model);
  WeightMap weights;
  weights["wl"] = randomTensor({4, 3}, 31);
  weights["bl"] = randomTensor({4}, 32);
  weights["wr"] = randomTensor({4, 3}, 33);
  weights["w2"] = randomTensor({4, 4}, 34);
  Tensor wl = randomTensor({4, 3}, 31), bl = randomTensor({4}, 32),
         wr = randomTensor({4, 3}, 33), w2 = randomTensor({4, 4}, 34);
  ASSERT_FALSE(bool(model->bindWeights(std::move(weights), "w")));
  Tensor x = randomTensor({g.n, 3}, 35), h({g.n, 3});
  for (size_t i = 0; i < x.numElements(); ++i)
    h.data()[i] = -x.data()[i];
  std::vector<double> l = referenceLinear(x, wl, &bl), r = referenceLinear(h, wr, nullptr),
                      r2 = referenceLinear(x, wr, nullptr);
  Tensor a({g.n, 4});
  for (size_t i = 0; i < l.size(); ++i)
    a.data()[i] = float(std::max(l[i] + r[i], 0.0));
  std::vector<double> l2 = referenceLinear(a, w2, nullptr), want(l2.size());
  for (size_t i = 0; i < want.size(); ++i)
    want[i] = l2[i] + r2[i];
  RunStats stats;
  auto out = model->run(g.graph(), x, &stats);
  ASSERT_TRUE(bool(out)) << llvm::toString(out.takeError());
  expectNear(*out, want, 2e-5);
  // neg, two fused pairs of linears with their first halves.
  EXPECT_EQ(stats.stages.size(), 5u);
}

TEST_F(ExecutorTest, AccumulatedTensorReadLaterIsNotOverwritten) {
  // Hand-written: %l is summed into and read again afterwards, so the sum
  // cannot happen in its buffer.
  const char *ir = R"(
func.func @forward(%g: !gnn.graph<as_given>, %x: !gnn.vertex<3xf32>,
                   %w: tensor<3x3xf32> {gnn.param = "w"}) -> !gnn.vertex<3xf32> {
  %l = gnn.linear %x, %w : !gnn.vertex<3xf32>, tensor<3x3xf32> -> !gnn.vertex<3xf32>
  %s = gnn.linear %x, %w accumulate(%l : !gnn.vertex<3xf32>) activation = tanh : !gnn.vertex<3xf32>, tensor<3x3xf32> -> !gnn.vertex<3xf32>
  %o = gnn.sub %s, %l : !gnn.vertex<3xf32>, !gnn.vertex<3xf32> -> !gnn.vertex<3xf32>
  return %o : !gnn.vertex<3xf32>
}
)";
  auto model = compile(ir);
  ASSERT_TRUE(model);
  WeightMap weights;
  weights["w"] = randomTensor({3, 3}, 41);
  Tensor w = randomTensor({3, 3}, 41);
  ASSERT_FALSE(bool(model->bindWeights(std::move(weights), "w")));
  Tensor x = randomTensor({g.n, 3}, 42);
  std::vector<double> l = referenceLinear(x, w, nullptr), want(l.size());
  for (size_t i = 0; i < l.size(); ++i)
    want[i] = std::tanh(2 * l[i]) - l[i];
  expectNear(run(*model, x), want, 2e-5);
  expectNear(run(*model, x), want, 2e-5);
}

TEST_F(ExecutorTest, LinearsAfterAStageRunInItsUpdateWithTheMatmulsBits) {
  // GIN's layer: a sum, then an MLP of two linears, which
  // gnn-fuse-linear-into-update moves into the stage's update, where the
  // kernel multiplies targets in tiles (8 rows for 24 outputs). 37
  // targets leave a partial tile in every thread's range; 20 input
  // features are not a whole number of vectors. The rows must be the
  // bits of the stage alone followed by the two linears as oneDNN
  // matmuls (each its own model), and near a double reference.
  const std::string stage = R"(
  %m = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<20xf32>) -> !gnn.vertex<20xf32> {
  ^bb0(%a: !gnn.vertex<20xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<20xf32> -> vector<20xf32>
    gnn.yield %xj : vector<20xf32>
  } update {
  ^bb0(%a: !gnn.vertex<20xf32>, %agg: vector<20xf32>):
    %xi = gnn.get_vertex %a target : !gnn.vertex<20xf32> -> vector<20xf32>
    %s = gnn.add %agg, %xi : vector<20xf32>, vector<20xf32> -> vector<20xf32>
    gnn.yield %s : vector<20xf32>
  }
)";
  const std::string params = R"(
                   %w1: tensor<24x20xf32> {gnn.param = "w1"}, %b1: tensor<24xf32> {gnn.param = "b1"},
                   %w2: tensor<5x24xf32> {gnn.param = "w2"}, %b2: tensor<5xf32> {gnn.param = "b2"})";
  const std::string mlp = R"(
  %h = gnn.linear %IN, %w1, %b1 activation = relu : !gnn.vertex<20xf32>, tensor<24x20xf32>, tensor<24xf32> -> !gnn.vertex<24xf32>
  %y = gnn.linear %h, %w2, %b2 : !gnn.vertex<24xf32>, tensor<5x24xf32>, tensor<5xf32> -> !gnn.vertex<5xf32>
  return %y : !gnn.vertex<5xf32>
}
)";
  auto withInput = [&](std::string text, const std::string &input) {
    text.replace(text.find("%IN"), 3, input);
    return text;
  };
  auto fused = compile("func.func @forward(%g: !gnn.graph<as_given>, %x: !gnn.vertex<20xf32>," +
                       params + ") -> !gnn.vertex<5xf32> {" + stage + withInput(mlp, "%m"));
  auto alone = compile(
      "func.func @forward(%g: !gnn.graph<as_given>, %x: !gnn.vertex<20xf32>) -> "
      "!gnn.vertex<20xf32> {" + stage + "  return %m : !gnn.vertex<20xf32>\n}\n");
  auto matmuls = compile("func.func @forward(%g: !gnn.graph<as_given>, %x: !gnn.vertex<20xf32>," +
                         params + ") -> !gnn.vertex<5xf32> {" + withInput(mlp, "%x"));
  ASSERT_TRUE(fused && alone && matmuls);
  auto weights = [] {
    WeightMap w;
    w["w1"] = randomTensor({24, 20}, 41);
    w["b1"] = randomTensor({24}, 42);
    w["w2"] = randomTensor({5, 24}, 43);
    w["b2"] = randomTensor({5}, 44);
    return w;
  };
  ASSERT_FALSE(bool(fused->bindWeights(weights(), "w")));
  ASSERT_FALSE(bool(matmuls->bindWeights(weights(), "w")));

  const int64_t n = 37;
  std::vector<int64_t> src, dst;
  std::mt19937 rng(45);
  for (int e = 0; e < 150; ++e) {
    src.push_back(rng() % n);
    dst.push_back(rng() % (n - 3)); // the last three have no in-edges
  }
  Graph graph = llvm::cantFail(Graph::fromEdges(n, src.data(), dst.data(), src.size()));
  Tensor x = randomTensor({n, 20}, 46);

  // The reference: the sum in double, then the MLP in double.
  Tensor sum({n, 20});
  for (int64_t v = 0; v < n; ++v)
    for (int f = 0; f < 20; ++f) {
      double acc = x.data()[v * 20 + f];
      for (size_t e = 0; e < src.size(); ++e)
        if (dst[e] == v)
          acc += x.data()[src[e] * 20 + f];
      sum.data()[v * 20 + f] = float(acc);
    }
  WeightMap w = weights();
  std::vector<double> h = referenceLinear(sum, w["w1"], &w["b1"]);
  Tensor relu({n, 24});
  for (size_t i = 0; i < h.size(); ++i)
    relu.data()[i] = float(std::max(h[i], 0.0));
  std::vector<double> want = referenceLinear(relu, w["w2"], &w["b2"]);

  for (int threads : {1, 2}) {
    SCOPED_TRACE(threads);
    fused->setThreads(threads);
    alone->setThreads(threads);
    matmuls->setThreads(threads);
    RunStats stats;
    auto out = fused->run(graph, x, &stats);
    ASSERT_TRUE(bool(out)) << llvm::toString(out.takeError());
    EXPECT_EQ(stats.stages.size(), 1u) << "the linears are not fused";
    expectNear(*out, want, 1e-4);
    auto aggregated = alone->run(graph, x);
    ASSERT_TRUE(bool(aggregated)) << llvm::toString(aggregated.takeError());
    auto separate = matmuls->run(graph, *aggregated);
    ASSERT_TRUE(bool(separate)) << llvm::toString(separate.takeError());
    ASSERT_EQ(out->numElements(), separate->numElements());
    // oneDNN's AVX-512 matmul sums each row over the features in order, as
    // the row linear does; its kernels for other ISAs may not.
    if (__builtin_cpu_supports("avx512f") && !std::getenv("ONEDNN_MAX_CPU_ISA"))
      EXPECT_EQ(0, std::memcmp(out->data(), separate->data(),
                               out->numElements() * sizeof(float)))
          << "the fused linears' rows differ from the matmuls' bits";
    else
      expectNear(*out, std::vector<double>(separate->data(),
                                           separate->data() + separate->numElements()),
                 1e-5);
    // Gather blocks: the tiles run in the last block's kernel (which
    // sums the blocks' partial sums, in another order).
    fused->setGatherBlocks(3);
    auto blocked = fused->run(graph, x);
    fused->setGatherBlocks(0);
    ASSERT_TRUE(bool(blocked)) << llvm::toString(blocked.takeError());
    expectNear(*blocked, want, 1e-4);
  }
}

TEST_F(ExecutorTest, RejectsFeaturesOfTheWrongWidth) {
  auto model = compile(messageProgram("as_given", "add",
                                      "    gnn.yield %xj : vector<3xf32>\n"));
  ASSERT_TRUE(model);
  Tensor x = randomTensor({g.n, 4}, 1);
  auto out = model->run(g.graph(), x);
  ASSERT_FALSE(bool(out));
  EXPECT_EQ(llvm::toString(out.takeError()),
            "features have shape [8, 4], expected [8, 3]");
}

} // namespace

/// The polynomial forms of transcendental functions (gnn-expand-math:
/// MLIR's approximations) against the C library in double precision, over
/// 2^20 points per function spread evenly across the range where each is
/// used. The bounds are what docs/passes.md promises: a relative error,
/// except where the result is within an absolute bound of the exact value
/// (near log's and tanh's zero, and in gelu's negative tail, where
/// 1 + erf(x) cancels).
TEST_F(ExecutorTest, TranscendentalFunctionsStayWithinTheirErrorBounds) {
  struct Case {
    const char *op;
    double lo, hi;
    std::function<double(double)> f;
    double maxRelative, maxAbsolute;
  };
  std::vector<Case> cases = {
      {"gnn.exp", -87.0, 88.0, [](double v) { return std::exp(v); }, 2e-7, 0},
      {"gnn.log", 1e-6, 1e6, [](double v) { return std::log(v); }, 2e-7, 1e-7},
      {"gnn.sigmoid", -30.0, 30.0,
       [](double v) { return 1 / (1 + std::exp(-v)); }, 3e-7, 0},
      {"gnn.tanh", -10.0, 10.0, [](double v) { return std::tanh(v); }, 5e-7, 1e-7},
      {"gnn.gelu", -8.0, 8.0,
       [](double v) { return 0.5 * v * (1 + std::erf(v / std::sqrt(2.0))); },
       5e-7, 1e-6},
  };
  const int64_t rows = 1 << 16, width = 16;
  std::vector<int64_t> none;
  Graph graph = llvm::cantFail(Graph::fromEdges(rows, none.data(), none.data(), 0));
  for (const Case &c : cases) {
    SCOPED_TRACE(c.op);
    std::string ir = std::string(R"(
func.func @forward(%g: !gnn.graph<as_given>, %x: !gnn.vertex<16xf32>) -> !gnn.vertex<16xf32> {
  %y = gnn.transform (%x) : (!gnn.vertex<16xf32>) -> !gnn.vertex<16xf32> {
  ^bb0(%r: vector<16xf32>):
    %o = )") + c.op + R"( %r : vector<16xf32>
    gnn.yield %o : vector<16xf32>
  }
  return %y : !gnn.vertex<16xf32>
}
)";
    auto model = compile(ir);
    ASSERT_TRUE(model);
    Tensor x({rows, width});
    int64_t n = rows * width;
    for (int64_t i = 0; i < n; ++i)
      x.data()[i] = float(c.lo + (c.hi - c.lo) * double(i) / double(n - 1));
    auto out = model->run(graph, x);
    ASSERT_TRUE(bool(out)) << llvm::toString(out.takeError());
    double worstRelative = 0, worstAt = 0;
    for (int64_t i = 0; i < n; ++i) {
      double in = x.data()[i], want = c.f(in), got = out->data()[i];
      double error = std::fabs(got - want);
      if (error <= c.maxAbsolute)
        continue;
      double relative = error / std::fabs(want);
      if (relative > worstRelative) {
        worstRelative = relative;
        worstAt = in;
      }
    }
    EXPECT_LE(worstRelative, c.maxRelative) << "worst at x = " << worstAt;
    std::printf("%s: max relative error %.3g (at %.9g) over [%g, %g]\n", c.op,
                worstRelative, worstAt, c.lo, c.hi);
  }
}

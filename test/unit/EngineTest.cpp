//===- EngineTest.cpp - The host-program API (gnn/Engine.h) --------------===//
//
// Compiles models from source text through gnn::Engine, checks the errors
// a host program sees (compiler diagnostics with line and caret, weights,
// shapes), runs a SAGE-like layer written here against a loop reference,
// and exercises the disk cache of compiled kernels. Uses only the public
// headers, as a host program would.
//
//===----------------------------------------------------------------------===//
#include "gnn/Engine.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "RandomTensor.h"
#include "gtest/gtest.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <thread>

using namespace gnn;

namespace {

/// relu(lin_l(mean of in-neighbours) + lin_r(x)): PyG's SAGEConv with a
/// ReLU, written out in the model language rather than taken from gnn.nn.
const char *kSageSource = R"(class MeanSage(MessagePassing):
    def __init__(self, in_channels, out_channels):
        super().__init__(aggr="mean")
        self.lin_l = Linear(in_channels, out_channels)
        self.lin_r = Linear(in_channels, out_channels, bias=False)

    def forward(self, x, edge_index):
        out = self.lin_l(self.propagate(edge_index, x=x)) + self.lin_r(x)
        return relu(out)

    def message(self, x_j):
        return x_j


class Net(Model):
    def __init__(self, in_channels=3, out_channels=2):
        self.sage = MeanSage(in_channels, out_channels)

    def forward(self, x, edge_index):
        return self.sage(x, edge_index)
)";

/// A graph with a hub (vertex 1), duplicate edges, a stored self loop and
/// isolated vertices (5 and 7 have no in-edges).
struct SmallGraph {
  int64_t n = 8;
  std::vector<int64_t> src{0, 1, 2, 3, 3, 4, 6, 2, 2, 0, 1, 6, 4, 3, 1, 1};
  std::vector<int64_t> dst{1, 2, 3, 0, 0, 4, 6, 1, 1, 2, 4, 3, 6, 3, 6, 0};
  Graph graph() const {
    return llvm::cantFail(Graph::fromEdges(n, src.data(), dst.data(), src.size()));
  }
};

using test::randomTensor;

WeightMap sageWeights(int64_t in, int64_t out) {
  WeightMap w;
  w["sage.lin_l.weight"] = randomTensor({out, in}, 11);
  w["sage.lin_l.bias"] = randomTensor({out}, 12);
  w["sage.lin_r.weight"] = randomTensor({out, in}, 13);
  return w;
}

/// The SAGE layer as loops, in double precision, from its definition.
std::vector<double> sageReference(const SmallGraph &g, const Tensor &x,
                                  const WeightMap &w) {
  const Tensor &wl = w.at("sage.lin_l.weight"), &bl = w.at("sage.lin_l.bias"),
               &wr = w.at("sage.lin_r.weight");
  int64_t out = wl.shape[0], in = wl.shape[1];
  std::vector<double> y(g.n * out);
  for (int64_t v = 0; v < g.n; ++v) {
    std::vector<double> mean(in, 0.0);
    int count = 0;
    for (size_t e = 0; e < g.src.size(); ++e)
      if (g.dst[e] == v) {
        ++count;
        for (int64_t f = 0; f < in; ++f)
          mean[f] += x.data()[g.src[e] * in + f];
      }
    for (int64_t f = 0; f < in && count; ++f)
      mean[f] /= count; // no in-edges: the mean is 0, as PyG's scatter
    for (int64_t o = 0; o < out; ++o) {
      double acc = bl.data()[o];
      for (int64_t f = 0; f < in; ++f)
        acc += wl.data()[o * in + f] * mean[f] +
               double(wr.data()[o * in + f]) * x.data()[v * in + f];
      y[v * out + o] = std::max(0.0, acc);
    }
  }
  return y;
}

void expectNear(const Tensor &got, const std::vector<double> &want) {
  ASSERT_EQ(got.numElements(), want.size());
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_NEAR(got.data()[i], want[i], 1e-5 * std::max(1.0, std::fabs(want[i])))
        << "at element " << i;
}

bool sameBytes(const Tensor &a, const Tensor &b) {
  return a.shape == b.shape &&
         std::memcmp(a.data(), b.data(), a.numElements() * sizeof(float)) == 0;
}

/// Engines without the cache, so that tests do not touch ~/.cache.
EngineOptions noCache(int threads = 2) {
  EngineOptions options;
  options.threads = threads;
  options.cache = false;
  return options;
}

std::unique_ptr<Model> compileOrFail(Engine &engine, const std::string &source,
                                     const CompileOptions &options = {}) {
  auto model = engine.compileSource(source, "sage.gnn", options);
  if (!model) {
    ADD_FAILURE() << llvm::toString(model.takeError());
    return nullptr;
  }
  return std::move(*model);
}

/// A fresh directory, removed with everything in it at the end.
struct TempDir {
  llvm::SmallString<128> path;
  TempDir() {
    EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("gnn-engine-test", path));
  }
  ~TempDir() { llvm::sys::fs::remove_directories(path); }
  std::vector<std::string> files() const {
    std::vector<std::string> names;
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(path, ec), end; it != end && !ec;
         it.increment(ec))
      names.push_back(it->path());
    return names;
  }
};

TEST(EngineTest, SageFromSourceMatchesLoops) {
  Engine engine(noCache());
  auto model = compileOrFail(engine, kSageSource);
  ASSERT_TRUE(model);
  ASSERT_EQ(model->parameters().size(), 3u);
  EXPECT_EQ(model->parameters()[0].name, "sage.lin_l.weight");
  EXPECT_EQ(model->parameters()[0].shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(model->parameters()[2].name, "sage.lin_r.weight");
  EXPECT_EQ(model->inputShape(), std::vector<int64_t>{3});
  EXPECT_EQ(model->outputShape(), std::vector<int64_t>{2});

  SmallGraph g;
  WeightMap w = sageWeights(3, 2);
  std::vector<double> want = sageReference(g, randomTensor({g.n, 3}, 1), w);
  ASSERT_FALSE(bool(model->bindWeights(std::move(w))));
  Tensor x = randomTensor({g.n, 3}, 1);
  for (int threads : {1, 2}) {
    SCOPED_TRACE(threads);
    model->setThreads(threads);
    RunStats stats;
    auto y = model->run(g.graph(), x, &stats);
    ASSERT_TRUE(bool(y)) << llvm::toString(y.takeError());
    EXPECT_EQ(y->shape, (std::vector<int64_t>{g.n, 2}));
    expectNear(*y, want);
    EXPECT_FALSE(stats.stages.empty());
  }
}

/// GINE-like: sum over in-edges of relu(x_j + lin(e)), edge rows read at
/// their edges whatever the CSR order.
const char *kEdgeSource = R"(class EdgeSum(MessagePassing):
    def __init__(self, channels, edge_dim):
        super().__init__(aggr="add")
        self.lin = Linear(edge_dim, channels)

    def forward(self, x, edge_index, edge_attr):
        return self.propagate(edge_index, x=x, e=self.lin(edge_attr))

    def message(self, x_j, e):
        return relu(x_j + e)


class Net(Model):
    def __init__(self, in_channels=3, edge_dim=2):
        self.conv = EdgeSum(in_channels, edge_dim)

    def forward(self, x, edge_index, edge_attr):
        return self.conv(x, edge_index, edge_attr)
)";

TEST(EngineTest, EdgeFeaturesInCsrOrder) {
  Engine engine(noCache());
  CompileOptions options;
  options.inputFeatures = 3;
  options.edgeFeatures = 2;
  std::unique_ptr<Model> model = compileOrFail(engine, kEdgeSource, options);
  ASSERT_TRUE(model);
  EXPECT_TRUE(model->takesEdgeFeatures());
  EXPECT_EQ(model->edgeInputShape(), (std::vector<int64_t>{2}));
  SmallGraph sg;
  Graph graph = sg.graph();
  int64_t e = int64_t(sg.src.size());
  Tensor x = randomTensor({sg.n, 3}, 21);
  Tensor attr = randomTensor({e, 2}, 22);
  WeightMap w;
  w["conv.lin.weight"] = randomTensor({3, 2}, 23);
  w["conv.lin.bias"] = randomTensor({3}, 24);
  std::vector<double> want(size_t(sg.n * 3), 0.0);
  for (int64_t k = 0; k < e; ++k)
    for (int64_t c = 0; c < 3; ++c) {
      double v = w["conv.lin.bias"].data()[c];
      for (int64_t d = 0; d < 2; ++d)
        v += double(attr.data()[k * 2 + d]) * w["conv.lin.weight"].data()[c * 2 + d];
      want[sg.dst[k] * 3 + c] +=
          std::max(0.0, double(x.data()[sg.src[k] * 3 + c]) + v);
    }
  ASSERT_FALSE(model->bindWeights(std::move(w)));
  // Without edge features, or with rows of the wrong width, the run fails;
  // with the rows reordered into CSR order it matches the loops.
  auto none = model->run(graph, x);
  ASSERT_FALSE(bool(none));
  EXPECT_NE(llvm::toString(none.takeError()).find("edge features"),
            std::string::npos);
  auto csr = edgeFeaturesToCsr(graph, attr, "attr");
  ASSERT_TRUE(bool(csr)) << llvm::toString(csr.takeError());
  auto y = model->run(graph, x, *csr);
  ASSERT_TRUE(bool(y)) << llvm::toString(y.takeError());
  expectNear(*y, want);
  Tensor narrow({e, 1});
  auto bad = model->run(graph, x, narrow);
  ASSERT_FALSE(bool(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find("edge features have shape"),
            std::string::npos);
  Tensor unallocated;
  unallocated.shape = {e, 2};
  auto empty = model->run(graph, x, unallocated);
  ASSERT_FALSE(bool(empty));
  EXPECT_EQ(llvm::toString(empty.takeError()),
            "edge features holds 0 values, but its shape [16, 2] needs 32");
}

TEST(EngineTest, ConstructorOverridesAndInputWidth) {
  Engine engine(noCache());
  CompileOptions options;
  options.overrides = {{"in_channels", "5"}, {"out_channels", "4"}};
  options.inputFeatures = 5;
  auto model = compileOrFail(engine, kSageSource, options);
  ASSERT_TRUE(model);
  EXPECT_EQ(model->inputShape(), std::vector<int64_t>{5});
  EXPECT_EQ(model->outputShape(), std::vector<int64_t>{4});
  EXPECT_EQ(model->parameters()[0].shape, (std::vector<int64_t>{4, 5}));

  SmallGraph g;
  WeightMap w = sageWeights(5, 4);
  Tensor x = randomTensor({g.n, 5}, 2);
  std::vector<double> want = sageReference(g, x, w);
  ASSERT_FALSE(bool(model->bindWeights(std::move(w))));
  auto y = model->run(g.graph(), x);
  ASSERT_TRUE(bool(y)) << llvm::toString(y.takeError());
  expectNear(*y, want);
}

TEST(EngineTest, SyntaxErrorComesBackWithLocationAndCaret) {
  Engine engine(noCache());
  std::string source = kSageSource;
  // Drop the colon after `def forward(self, x, edge_index)` of Net.
  size_t at = source.rfind("edge_index):");
  source.erase(at + std::strlen("edge_index)"), 1);
  auto model = engine.compileSource(source, "bad.gnn");
  ASSERT_FALSE(bool(model));
  std::string text = llvm::toString(model.takeError());
  // gnnc's report: FILE:LINE:COL: error: MESSAGE, the line, a caret.
  llvm::SmallVector<llvm::StringRef, 3> lines;
  llvm::StringRef(text).split(lines, '\n');
  ASSERT_EQ(lines.size(), 3u) << text;
  EXPECT_TRUE(lines[0].starts_with("bad.gnn:19:37: error: expected ':'"))
      << text;
  EXPECT_EQ(lines[1], "    def forward(self, x, edge_index)");
  EXPECT_EQ(lines[2], std::string(36, ' ') + "^");
}

TEST(EngineTest, SemanticErrorNamesTheLine) {
  Engine engine(noCache());
  std::string source = kSageSource;
  size_t at = source.find("relu(out)");
  source.replace(at, 4, "rleu");
  auto model = engine.compileSource(source, "bad.gnn");
  ASSERT_FALSE(bool(model));
  std::string text = llvm::toString(model.takeError());
  EXPECT_NE(text.find("bad.gnn:9:16: error:"), std::string::npos) << text;
  EXPECT_NE(text.find("\n        return rleu(out)\n"), std::string::npos)
      << text;
}

TEST(EngineTest, MissingModelFile) {
  Engine engine(noCache());
  auto model = engine.compileFile("/nonexistent/model.gnn");
  ASSERT_FALSE(bool(model));
  std::string text = llvm::toString(model.takeError());
  EXPECT_EQ(text.rfind("/nonexistent/model.gnn: error: cannot read", 0), 0u)
      << text;
}

TEST(EngineTest, WeightErrors) {
  Engine engine(noCache());
  auto model = compileOrFail(engine, kSageSource);
  ASSERT_TRUE(model);
  SmallGraph g;
  Tensor x = randomTensor({g.n, 3}, 3);

  auto unbound = model->run(g.graph(), x);
  ASSERT_FALSE(bool(unbound));
  EXPECT_EQ(llvm::toString(unbound.takeError()), "weights are not bound");

  WeightMap missing = sageWeights(3, 2);
  missing.erase("sage.lin_r.weight");
  EXPECT_EQ(llvm::toString(model->bindWeights(std::move(missing), "w.st")),
            "w.st: missing weight 'sage.lin_r.weight' (shape [2, 3])");

  WeightMap misshapen = sageWeights(3, 2);
  misshapen["sage.lin_l.bias"] = randomTensor({3}, 4);
  EXPECT_EQ(llvm::toString(model->bindWeights(std::move(misshapen))),
            "weights: weight 'sage.lin_l.bias' has shape [3], expected [2]");

  WeightMap unallocated = sageWeights(3, 2);
  unallocated["sage.lin_l.bias"] = Tensor();
  unallocated["sage.lin_l.bias"].shape = {2};
  EXPECT_EQ(llvm::toString(model->bindWeights(std::move(unallocated))),
            "weights: weight 'sage.lin_l.bias' holds 0 values, but its shape "
            "[2] needs 2");

  llvm::Error noFile = model->loadWeights("/nonexistent/w.safetensors");
  std::string text = llvm::toString(std::move(noFile));
  EXPECT_EQ(text.rfind("/nonexistent/w.safetensors: ", 0), 0u) << text;

  // A safetensors file on disk binds like the map it holds.
  TempDir dir;
  std::string path = (dir.path + "/w.safetensors").str();
  ASSERT_FALSE(bool(writeSafetensors(path, sageWeights(3, 2))));
  ASSERT_FALSE(bool(model->loadWeights(path)));
  auto y = model->run(g.graph(), x);
  ASSERT_TRUE(bool(y)) << llvm::toString(y.takeError());
  expectNear(*y, sageReference(g, x, sageWeights(3, 2)));
}

TEST(EngineTest, FeaturesOfTheWrongShape) {
  Engine engine(noCache());
  auto model = compileOrFail(engine, kSageSource);
  ASSERT_TRUE(model);
  ASSERT_FALSE(bool(model->bindWeights(sageWeights(3, 2))));
  SmallGraph g;
  auto y = model->run(g.graph(), randomTensor({g.n, 4}, 5));
  ASSERT_FALSE(bool(y));
  EXPECT_EQ(llvm::toString(y.takeError()),
            "features have shape [8, 4], expected [8, 3]");
  // A shape its storage does not hold is refused before anything reads it.
  Tensor unallocated;
  unallocated.shape = {g.n, 3};
  auto empty = model->run(g.graph(), unallocated);
  ASSERT_FALSE(bool(empty));
  EXPECT_EQ(llvm::toString(empty.takeError()),
            "features holds 0 values, but its shape [8, 3] needs 24");
  auto null = model->run(g.graph(), Tensor::borrow(nullptr, {g.n, 3}));
  ASSERT_FALSE(bool(null));
  EXPECT_EQ(llvm::toString(null.takeError()),
            "features has shape [8, 3] but no data");
}

TEST(EngineTest, ModelOutlivesEngineAndRunsFromThreads) {
  std::unique_ptr<Model> model;
  {
    Engine engine(noCache());
    model = compileOrFail(engine, kSageSource);
  }
  ASSERT_TRUE(model);
  ASSERT_FALSE(bool(model->bindWeights(sageWeights(3, 2))));
  SmallGraph g;
  Graph graph = g.graph();
  Tensor x = randomTensor({g.n, 3}, 6);
  std::vector<double> want = sageReference(g, x, sageWeights(3, 2));
  // Runs of one Model from several threads take turns.
  std::vector<Tensor> results(4);
  std::vector<std::thread> threads;
  for (Tensor &result : results)
    threads.emplace_back([&] {
      auto y = model->run(graph, x);
      if (y)
        result = std::move(*y);
      else
        llvm::consumeError(y.takeError());
    });
  for (std::thread &t : threads)
    t.join();
  for (const Tensor &result : results)
    expectNear(result, want);
}

TEST(EngineTest, CompilesAndRunsModelsFromSeveralThreads) {
  // Four models (out_channels 2..5) compiled, bound and run by four
  // threads at once on one Engine, three rounds each, must give the bits
  // of the same work done one model after the other.
  Engine engine(noCache());
  SmallGraph g;
  Graph graph = g.graph();
  Tensor x = randomTensor({g.n, 3}, 21);
  auto compileAndRun = [&](int out) -> Tensor {
    CompileOptions options;
    options.overrides = {{"out_channels", std::to_string(out)}};
    auto model = engine.compileSource(kSageSource, "sage.gnn", options);
    if (!model) {
      ADD_FAILURE() << llvm::toString(model.takeError());
      return Tensor();
    }
    if (llvm::Error e = (*model)->bindWeights(sageWeights(3, out))) {
      ADD_FAILURE() << llvm::toString(std::move(e));
      return Tensor();
    }
    auto y = (*model)->run(graph, x);
    if (!y) {
      ADD_FAILURE() << llvm::toString(y.takeError());
      return Tensor();
    }
    return std::move(*y);
  };
  std::vector<Tensor> sequential;
  for (int out = 2; out <= 5; ++out)
    sequential.push_back(compileAndRun(out));
  for (int out = 2; out <= 5; ++out)
    expectNear(sequential[out - 2], sageReference(g, x, sageWeights(3, out)));

  std::vector<std::vector<Tensor>> concurrent(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round)
        concurrent[t].push_back(compileAndRun(2 + t));
    });
  for (std::thread &t : threads)
    t.join();
  for (int t = 0; t < 4; ++t)
    for (const Tensor &y : concurrent[t])
      EXPECT_TRUE(sameBytes(y, sequential[t])) << "model " << t;
}

TEST(EngineTest, CacheHitGivesTheSameOutput) {
  unsetenv("GNNC_CACHE");
  TempDir dir;
  EngineOptions options;
  options.threads = 2;
  options.cacheDir = dir.path.str().str();
  SmallGraph g;
  Tensor x = randomTensor({g.n, 3}, 7);

  auto runOnce = [&](Engine &engine, CompileStats &stats) {
    auto model = compileOrFail(engine, kSageSource);
    if (!model)
      return Tensor();
    stats = model->compileStats();
    EXPECT_FALSE(bool(model->bindWeights(sageWeights(3, 2))));
    auto y = model->run(g.graph(), x);
    if (!y) {
      ADD_FAILURE() << llvm::toString(y.takeError());
      return Tensor();
    }
    return std::move(*y);
  };

  CompileStats cold, warm, again;
  Tensor first, second, third;
  {
    Engine engine(options);
    EXPECT_EQ(engine.cacheDirectory(), options.cacheDir);
    first = runOnce(engine, cold);
  }
  EXPECT_FALSE(cold.cacheHit);
  EXPECT_GT(cold.codegenSeconds, 0);
  ASSERT_EQ(dir.files().size(), 1u);
  EXPECT_EQ(cold.cacheFile, dir.files()[0]);
  EXPECT_EQ(llvm::sys::path::extension(cold.cacheFile), ".o");

  {
    Engine engine(options); // a new process would do the same
    second = runOnce(engine, warm);
  }
  EXPECT_TRUE(warm.cacheHit) << warm.cacheMessage;
  EXPECT_EQ(warm.cacheFile, cold.cacheFile);
  EXPECT_EQ(warm.lowerSeconds, 0);
  EXPECT_EQ(warm.codegenSeconds, 0);
  EXPECT_TRUE(sameBytes(first, second));
  expectNear(second, sageReference(g, x, sageWeights(3, 2)));

  // Another constructor argument is another model: a second entry.
  {
    Engine engine(options);
    CompileOptions wider;
    wider.overrides = {{"out_channels", "3"}};
    auto model = compileOrFail(engine, kSageSource, wider);
    ASSERT_TRUE(model);
    EXPECT_FALSE(model->compileStats().cacheHit);
  }
  EXPECT_EQ(dir.files().size(), 2u);

  // A damaged entry is compiled afresh and replaced.
  {
    std::ofstream(cold.cacheFile, std::ios::trunc) << "not an object";
    Engine engine(options);
    third = runOnce(engine, again);
  }
  EXPECT_FALSE(again.cacheHit);
  EXPECT_TRUE(sameBytes(first, third));
  {
    Engine engine(options);
    runOnce(engine, again);
  }
  EXPECT_TRUE(again.cacheHit);
}

TEST(EngineTest, CacheOffByOptionOrEnvironment) {
  TempDir dir;
  EngineOptions options;
  options.cacheDir = dir.path.str().str();
  options.cache = false;
  {
    Engine engine(options);
    EXPECT_EQ(engine.cacheDirectory(), "");
    auto model = compileOrFail(engine, kSageSource);
    ASSERT_TRUE(model);
    EXPECT_FALSE(model->compileStats().cacheHit);
    EXPECT_EQ(model->compileStats().cacheFile, "");
    EXPECT_EQ(model->compileStats().cacheMessage, "disabled by the program");
  }
  options.cache = true;
  setenv("GNNC_CACHE", "0", 1);
  {
    Engine engine(options);
    EXPECT_EQ(engine.cacheDirectory(), "");
    auto model = compileOrFail(engine, kSageSource);
    ASSERT_TRUE(model);
    EXPECT_EQ(model->compileStats().cacheMessage, "disabled by GNNC_CACHE=0");
  }
  unsetenv("GNNC_CACHE");
  EXPECT_TRUE(dir.files().empty());

  // GNNC_CACHE_DIR picks the directory when the program does not.
  setenv("GNNC_CACHE_DIR", dir.path.c_str(), 1);
  Engine engine{EngineOptions()};
  EXPECT_EQ(engine.cacheDirectory(), dir.path.str());
  unsetenv("GNNC_CACHE_DIR");
}

TEST(EngineTest, CompilesGraphLevelIR) {
  TempDir dir;
  std::string path = (dir.path + "/linear.mlir").str();
  std::ofstream(path) << R"(
func.func @forward(%g: !gnn.graph<as_given>, %x: !gnn.vertex<3xf32>,
                   %w: tensor<2x3xf32> {gnn.param = "lin.weight"}) -> !gnn.vertex<2xf32> {
  %y = gnn.linear %x, %w : !gnn.vertex<3xf32>, tensor<2x3xf32> -> !gnn.vertex<2xf32>
  return %y : !gnn.vertex<2xf32>
}
)";
  Engine engine(noCache());
  auto model = engine.compileFile(path);
  ASSERT_TRUE(bool(model)) << llvm::toString(model.takeError());
  EXPECT_EQ((*model)->parameters()[0].name, "lin.weight");

  std::ofstream(path) << "func.func @forward( {\n";
  auto bad = engine.compileFile(path);
  ASSERT_FALSE(bool(bad));
  std::string text = llvm::toString(bad.takeError());
  EXPECT_NE(text.find("linear.mlir:1:"), std::string::npos) << text;
  EXPECT_NE(text.find(": error: "), std::string::npos) << text;
}

// CompileOptions::passPipeline runs on the graph-level IR before the
// standard pipeline; its faults and a plugin's are one line each.
TEST(EngineTest, PassPipelineAndPlugins) {
  Engine engine(noCache());
  CompileOptions options;
  options.passPipeline = "builtin.module(cse,func.func(canonicalize))";
  auto model = engine.compileSource(kSageSource, "sage.gnn", options);
  ASSERT_TRUE(bool(model)) << llvm::toString(model.takeError());
  EXPECT_GE((*model)->compileStats().pipelineSeconds, 0.0);

  options.passPipeline = "builtin.module(func.func(no-such-pass))";
  auto bad = engine.compileSource(kSageSource, "sage.gnn", options);
  ASSERT_FALSE(bool(bad));
  EXPECT_EQ(llvm::toString(bad.takeError()),
            "invalid --pass-pipeline 'builtin.module(func.func(no-such-pass))': "
            "'no-such-pass' does not refer to a registered pass or pass "
            "pipeline");

  options.passPipeline = "";
  options.passPlugins = {"/nonexistent/plugin.so"};
  auto missing = engine.compileSource(kSageSource, "sage.gnn", options);
  ASSERT_FALSE(bool(missing));
  std::string text = llvm::toString(missing.takeError());
  EXPECT_EQ(text.rfind("cannot load the pass plugin /nonexistent/plugin.so: "
                       "Could not load library '/nonexistent/plugin.so': ",
                       0),
            0u)
      << text;
  EXPECT_NE(text.find("No such file or directory"), std::string::npos) << text;
  EXPECT_EQ(text.find('\n'), std::string::npos) << text;
}

} // namespace

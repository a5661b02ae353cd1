//===- gnn-run.cpp - JIT-compile a model and run full-graph inference -----===//
//
//   gnn-run MODEL.gnn --graph G --features X.npy --weights W.safetensors
//           --output Y.npy [--threads N] [--set k=v]... [--stats]
//
// Constructor arguments not given by --set are inferred from the weights'
// shapes and the features' width (docs/language.md).
//
// A binary CSR file written by `gnn-graph convert --reorder` runs in its own
// vertex order: the features (in the user's order) are put into it once,
// and the output rows back before they are written (docs/runtime.md,
// "Reordering vertices"); --stats times both.
//
// Under `mpiexec -n P`, or with a partition directory as --graph, it runs
// distributed, one graph part per rank (DistributedRun.cpp,
// docs/distributed.md).
//
// MODEL may also be graph-level gnn IR (.mlir), for passes under test.
// A thin host program over gnn/Engine.h, like examples/embed. Compiled
// kernels are cached on disk (--no-cache, GNNC_CACHE=0 turn that off).
// Every fault is reported as one line naming the file; the output file is
// written (atomically) only after everything else succeeded.
//
//===----------------------------------------------------------------------===//
#include "GnnRun.h"
#include "gnn/FaultHandlers.h"
#include "gnn/Graph.h"
#include "gnn/Npy.h"
#include "gnn/Partition.h"
#include "gnn/Progress.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cmath>

using gnnrun::Flags;

static const char *kUsage =
    "usage: gnn-run MODEL.gnn|MODEL.mlir --graph G --features X.npy\n"
    "               [--weights W.safetensors] --output Y.npy [--num-nodes N]\n"
    "               [--edge-attr E.npy]\n"
    "               [--threads N] [--set name=value]... [--model NAME] [--stats]\n"
    "               [--gather-blocks auto|N]\n"
    "               [--no-cache] [--allow-unused-weights] [--quiet]\n"
    "               [--load-pass-plugin P.so]... [--pass-pipeline TEXT]\n"
    "       gnn-run --compiled M.gnnc ... (a model from gnnc --emit=artifact:\n"
    "               no compiler runs)\n"
    "       mpiexec -n P gnn-run MODEL --graph PARTITION_DIR\n"
    "               [--weights W.safetensors] --output Y.npy | --output-dir DIR\n"
    "               [--threads N] [--runs N] [--exchange auto|pull|push] ...\n"
    "               (one part per rank; with an edge list as --graph,\n"
    "               --features X.npy, it is split by range first)\n"
    "  G: an edge_index .npy, a text edge list, or a binary CSR file\n"
    "  (gnn-graph convert); one written with --reorder runs in its own\n"
    "  vertex order while X.npy and Y.npy stay in the original order\n";

[[noreturn]] static void fail(const llvm::Twine &message) {
  llvm::errs() << "gnn-run: error: " << message << "\n";
  std::exit(1);
}

template <typename T> static T check(llvm::Expected<T> value) {
  if (!value)
    fail(llvm::toString(value.takeError()));
  return std::move(*value);
}

static void check(llvm::Error error) {
  if (error)
    fail(llvm::toString(std::move(error)));
}

static int64_t parseInteger(llvm::StringRef flag, llvm::StringRef text) {
  int64_t v;
  if (text.getAsInteger(10, v) || v < 0)
    fail("--" + flag + " expects a non-negative integer, got '" + text + "'");
  return v;
}

static Flags parseFlags(int argc, char **argv) {
  Flags f;
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      llvm::outs() << kUsage;
      std::exit(0);
    }
    if (!arg.starts_with("-")) {
      if (!f.modelPath.empty())
        fail("unexpected argument '" + arg + "' (the model is '" +
             f.modelPath + "')");
      f.modelPath = arg.str();
      continue;
    }
    auto [name, inlineValue] = arg.ltrim('-').split('=');
    bool hasInline = arg.contains('=');
    if (name == "stats") {
      f.stats = true;
      continue;
    }
    if (name == "quiet") {
      gnn::setProgressEnabled(false);
      continue;
    }
    if (name == "no-cache") {
      f.cache = false;
      continue;
    }
    if (name == "allow-unused-weights") {
      f.allowUnusedWeights = true;
      continue;
    }
    if (name == "compiled") {
      // The model is the next argument, or the value after '='.
      if (!f.modelPath.empty())
        fail("--compiled names the model; '" + f.modelPath +
             "' is given as well");
      if (!hasInline && i + 1 >= argc)
        fail("--compiled expects a compiled model (gnnc --emit=artifact)");
      f.modelPath = hasInline ? inlineValue.str() : argv[++i];
      f.compiled = true;
      continue;
    }
    auto value = [&]() -> std::string {
      if (hasInline)
        return inlineValue.str();
      if (i + 1 >= argc)
        fail("--" + name + " expects a value");
      return argv[++i];
    };
    if (name == "graph") f.graphPath = value();
    else if (name == "features") f.featuresPath = value();
    else if (name == "weights") f.weightsPath = value();
    else if (name == "edge-attr") f.edgeAttrPath = value();
    else if (name == "output") f.outputPath = value();
    else if (name == "output-dir") f.outputDir = value();
    else if (name == "model") f.modelName = value();
    else if (name == "set") f.sets.push_back(value());
    else if (name == "load-pass-plugin") f.passPlugins.push_back(value());
    else if (name == "pass-pipeline") f.passPipeline = value();
    else if (name == "num-nodes") f.numNodes = parseInteger(name, value());
    else if (name == "threads") f.threads = parseInteger(name, value());
    else if (name == "gather-blocks") {
      std::string v = value();
      if (v == "auto")
        f.gatherBlocks = 0;
      else if (int64_t blocks = parseInteger(name, v);
               blocks >= 1 && blocks <= gnn::kMaxGatherBlocks)
        f.gatherBlocks = int(blocks);
      else
        fail("--gather-blocks expects auto or a block count from 1 to " +
             std::to_string(gnn::kMaxGatherBlocks) + ", got '" + v + "'");
    }
    else if (name == "exchange") {
      std::string form = value();
      if (form == "auto") f.exchangeForm = gnn::ExchangeForm::Auto;
      else if (form == "pull") f.exchangeForm = gnn::ExchangeForm::Pull;
      else if (form == "push") f.exchangeForm = gnn::ExchangeForm::Push;
      else fail("--exchange expects auto, pull or push, not '" + form + "'");
      f.exchangeFormGiven = true;
    }
    else if (name == "runs") {
      f.runs = parseInteger(name, value());
      if (f.runs < 1)
        fail("--runs expects at least 1");
    }
    else fail("unknown option '" + arg + "'; see --help");
  }
  if (f.modelPath.empty())
    fail("no model file given; see --help");
  if (f.graphPath.empty())
    fail("missing required option --graph");
  // Under mpiexec (hydra sets PMI_SIZE), or on a partition directory.
  bool partitioned = gnn::isPartitionDirectory(f.graphPath);
  f.distributed = std::getenv("PMI_SIZE") || partitioned;
  if (f.featuresPath.empty() && !partitioned)
    fail("missing required option --features");
  if (f.outputPath.empty() == f.outputDir.empty())
    fail(f.distributed ? "give one of --output and --output-dir"
                       : "missing required option --output");
  if (f.runs > 1 && !f.distributed)
    fail("--runs repeats distributed runs only (bench/gnnc-repeat times "
         "repeated single-process runs)");
  if (f.exchangeFormGiven && !f.distributed)
    fail("--exchange chooses how MPI ranks trade rows: run under mpiexec, or "
         "on a partition directory");
  if (!f.outputDir.empty() && !f.distributed)
    fail("--output-dir writes one shard per rank: run under mpiexec, or on "
         "a partition directory");
  return f;
}

/// The model's compile options from the flags; the input width is the
/// features'.
static llvm::Expected<gnn::CompileOptions>
compileOptions(const Flags &flags, int64_t inputFeatures,
               const gnn::WeightMap *weights) {
  gnn::CompileOptions options;
  for (const std::string &s : flags.sets) {
    auto [name, value] = llvm::StringRef(s).split('=');
    if (name.empty() || !llvm::StringRef(s).contains('='))
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "--set expects name=value, got '" + s + "'");
    options.overrides.emplace_back(name.str(), value.str());
  }
  options.inputFeatures = inputFeatures;
  options.modelName = flags.modelName;
  options.passPlugins = flags.passPlugins;
  options.passPipeline = flags.passPipeline;
  // Constructor arguments not --set follow the weights' shapes.
  if (weights) {
    options.weightShapes = gnn::weightShapes(*weights);
    options.weightsName = flags.weightsPath;
  }
  return options;
}

llvm::Expected<std::unique_ptr<gnn::Model>>
gnnrun::compileModel(gnn::Engine &engine, const Flags &flags,
                     int64_t inputFeatures, std::optional<int64_t> edgeFeatures,
                     const gnn::WeightMap *weights) {
  if (flags.compiled) {
    // No compiler: the artifact is loaded as it is, on this host's CPU.
    if (!flags.sets.empty())
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "--set applies when compiling; " + flags.modelPath +
              " is compiled already (gnnc --emit=artifact --set ...)");
    if (!flags.passPlugins.empty() || !flags.passPipeline.empty())
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "--load-pass-plugin and --pass-pipeline apply when compiling; " +
              flags.modelPath + " is compiled already (gnnc --emit=artifact "
              "--load-pass-plugin ... --pass-pipeline ...)");
    auto model = gnn::Model::loadArtifact(flags.modelPath);
    if (model)
      (*model)->setThreads(flags.threads);
    return model;
  }
  auto options = compileOptions(flags, inputFeatures, weights);
  if (!options)
    return options.takeError();
  // The edge feature width is the model's edge_dim where it has one (a
  // file of another width is then reported by checkInputs, naming the
  // file), else the width of the edge features given.
  auto compiled = engine.compileFile(flags.modelPath, *options);
  if (compiled || !edgeFeatures)
    return compiled;
  std::string message = llvm::toString(compiled.takeError());
  if (!llvm::StringRef(message).contains(
          "cannot tell the width of the edge features"))
    return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
  options->edgeFeatures = edgeFeatures;
  return engine.compileFile(flags.modelPath, *options);
}

llvm::Error gnnrun::bindWeights(gnn::Model &model,
                                std::optional<gnn::WeightMap> weights,
                                const Flags &flags) {
  if (!weights) {
    if (model.parameters().empty())
      return llvm::Error::success();
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   flags.modelPath +
                                       ": the model has parameters; pass "
                                       "--weights");
  }
  // Bound even when the model has no parameters: then every entry is
  // unused, which is as likely a mistake as any other.
  llvm::Error error = model.bindWeights(std::move(*weights), flags.weightsPath,
                                        flags.allowUnusedWeights
                                            ? gnn::UnusedWeights::Ignore
                                            : gnn::UnusedWeights::Reject);
  return llvm::handleErrors(
      std::move(error), [](const gnn::UnusedWeightsError &unused) {
        std::string text;
        llvm::raw_string_ostream os(text);
        unused.log(os);
        return llvm::createStringError(
            llvm::inconvertibleErrorCode(),
            os.str() + " (--allow-unused-weights ignores them)");
      });
}

std::string gnnrun::formatCompileError(const std::string &message,
                                       const std::string &prefix) {
  if (llvm::StringRef(message).split('\n').first.contains(": error: "))
    return message;
  return "gnn-run: error: " + prefix + message;
}

std::string gnnrun::checkInputs(const gnn::Model &model, const Flags &flags,
                                const std::string &featuresName,
                                int64_t featureWidth,
                                const std::string &edgeName,
                                std::optional<int64_t> edgeWidth,
                                int64_t numEdges) {
  const std::vector<int64_t> &inShape = model.inputShape();
  if (inShape.size() != 1 || inShape[0] != featureWidth)
    return featuresName + ": has " + std::to_string(featureWidth) +
           " features per vertex but the model expects " +
           gnn::formatShape(inShape);
  if (model.takesEdgeFeatures() && !edgeWidth)
    return flags.modelPath + ": the model's forward() takes edge features "
           "(edge_attr); pass --edge-attr E.npy (float32 [" +
           std::to_string(numEdges) + ", " +
           std::to_string(model.edgeInputShape().front()) + "])";
  if (!model.takesEdgeFeatures() && edgeWidth)
    return edgeName +
           (flags.edgeAttrPath.empty() ? ": has edge features"
                                       : ": --edge-attr given") +
           ", but the model's forward() takes no edge features (edge_attr)";
  if (edgeWidth && model.edgeInputShape() != std::vector<int64_t>{*edgeWidth})
    return edgeName + ": has " + std::to_string(*edgeWidth) +
           " features per edge but the model expects " +
           gnn::formatShape(model.edgeInputShape());
  return "";
}

/// What the single-process run is doing, for an out-of-memory fault that
/// escapes the library's own checks (those name what they allocated).
static std::string currentStep = "starting";

static int runSingle(const Flags &flags) {
  const std::string &featuresPath = flags.featuresPath;

  using clock = std::chrono::steady_clock;
  auto seconds = [](clock::time_point since) {
    return std::chrono::duration<double>(clock::now() - since).count();
  };
  auto start = clock::now();

  // Fail before the expensive part if the output cannot be written there.
  llvm::StringRef outputDir = llvm::sys::path::parent_path(flags.outputPath);
  if (!outputDir.empty() && !llvm::sys::fs::is_directory(outputDir))
    fail(flags.outputPath + ": directory '" + outputDir + "' does not exist");

  currentStep = "reading " + featuresPath;
  // Mapped, not copied: a 2^24 x 64 input is 4 GiB the run need not hold
  // twice.
  gnn::Tensor features = check(gnn::mapNpyF32(featuresPath, /*rank=*/2));
  int64_t n = features.shape[0];
  if (flags.numNodes >= 0 && flags.numNodes != n)
    fail(featuresPath + ": has " + llvm::Twine(n) + " rows but --num-nodes is " +
         llvm::Twine(flags.numNodes));
  currentStep = "loading the graph " + flags.graphPath;
  auto loadStart = clock::now();
  gnn::Progress loading("load graph", 0, "edges");
  gnn::Graph graph = check(gnn::loadGraph(flags.graphPath, n));
  loading.advance(graph.numEdges());
  loading.finish();
  // Once per graph, not per inference (PyTorch's peers keep the edge list).
  double csrSeconds = seconds(loadStart);
  // A reordered graph (gnn-graph convert --reorder) runs in its own vertex
  // order: the features, given in the original order, are put into it
  // once here, and the output is put back before it is written.
  double reorderInSeconds = 0;
  if (graph.isReordered()) {
    currentStep = "putting " + featuresPath + " into the graph's order";
    auto reorderStart = clock::now();
    gnn::Progress reordering("reorder features", 0, "rows");
    features = check(
        gnn::rowsToGraphOrder(graph, std::move(features), featuresPath));
    reordering.advance(n);
    reordering.finish();
    reorderInSeconds = seconds(reorderStart);
  }
  // Edge features, in the graph file's edge order: reordered into CSR
  // order once, here.
  std::optional<gnn::Tensor> edgeAttr;
  if (!flags.edgeAttrPath.empty()) {
    gnn::Tensor rows = check(gnn::readEdgeRowsF32(flags.edgeAttrPath));
    edgeAttr = check(gnn::edgeFeaturesToCsr(graph, rows, flags.edgeAttrPath));
  }
  double loadSeconds = seconds(loadStart);

  // Read before compiling: their shapes complete the model's arguments.
  std::optional<gnn::WeightMap> weights;
  currentStep = "reading the weights";
  if (!flags.weightsPath.empty())
    weights = check(gnn::readSafetensors(flags.weightsPath));
  const gnn::WeightMap *weightsOrNull = weights ? &*weights : nullptr;

  currentStep = "compiling " + flags.modelPath;
  gnn::EngineOptions engineOptions;
  engineOptions.threads = flags.threads;
  engineOptions.cache = flags.cache;
  gnn::Engine engine(engineOptions);
  auto compiled = gnnrun::compileModel(
      engine, flags, features.shape[1],
      edgeAttr ? std::optional<int64_t>(edgeAttr->shape[1]) : std::nullopt,
      weightsOrNull);
  if (!compiled) {
    llvm::errs() << gnnrun::formatCompileError(
                        llvm::toString(compiled.takeError()))
                 << "\n";
    std::exit(1);
  }
  std::unique_ptr<gnn::Model> model = std::move(*compiled);
  std::string inputError = gnnrun::checkInputs(
      *model, flags, featuresPath, features.shape[1],
      flags.edgeAttrPath,
      edgeAttr ? std::optional<int64_t>(edgeAttr->shape[1]) : std::nullopt,
      graph.numEdges());
  if (!inputError.empty())
    fail(inputError);

  check(gnnrun::bindWeights(*model, std::move(weights), flags));
  // One run per process: a line per step, and memory handed back as the
  // run goes rather than kept for a next run (the billion-edge GCN peaks
  // at 8.3 GiB so, at 17.1 without).
  model->setProgress(true);
  model->setReleaseMemory(true);
  model->setGatherBlocks(flags.gatherBlocks);

  currentStep = "running the model";
  gnn::RunStats stats;
  gnn::Progress running("inference", 0, "edges");
  gnn::Tensor output =
      check(edgeAttr ? model->run(graph, features, *edgeAttr, &stats)
                     : model->run(graph, features, &stats));
  running.advance(graph.numEdges());
  running.finish();
  double reorderOutSeconds = 0;
  if (graph.isReordered()) {
    currentStep = "putting the output back into the original order";
    auto reorderStart = clock::now();
    output = check(
        gnn::rowsToOriginalOrder(graph, std::move(output), flags.outputPath));
    reorderOutSeconds = seconds(reorderStart);
  }
  currentStep = "writing " + flags.outputPath;
  check(gnn::writeNpyF32(flags.outputPath, output.data(), output.shape));

  if (flags.stats) {
    llvm::outs() << llvm::format("graph: %lld vertices, %lld edges (loaded in %.3f s)\n",
                                 (long long)n, (long long)graph.numEdges(), loadSeconds);
    llvm::outs() << llvm::format("csr build: %.3f s (edge list file read, CSR by "
                                 "destination built; once per graph, not in the "
                                 "inference time)\n", csrSeconds);
    if (graph.isReordered()) {
      llvm::outs() << llvm::format("reorder: features into graph order %.3f s "
                                   "(once per graph, not in the inference "
                                   "time)\n", reorderInSeconds);
      llvm::outs() << llvm::format("reorder: output into original order %.3f s "
                                   "(not in the inference time)\n",
                                   reorderOutSeconds);
    }
    const gnn::CompileStats &c = model->compileStats();
    llvm::outs() << llvm::format("compile: %.3f s (frontend %.3f s, lowering "
                                 "%.3f s, codegen %.3f s, load %.3f s)\n",
                                 c.totalSeconds, c.frontendSeconds,
                                 c.lowerSeconds, c.codegenSeconds,
                                 c.loadSeconds);
    if (!flags.passPipeline.empty())
      llvm::outs() << llvm::format("pass pipeline: %.3f s (--pass-pipeline, "
                                   "in the compile time)\n",
                                   c.pipelineSeconds);
    if (c.cacheHit)
      llvm::outs() << "kernel cache: hit " << c.cacheFile << "\n";
    else if (!c.cacheFile.empty())
      llvm::outs() << "kernel cache: stored " << c.cacheFile
                   << (c.cacheMessage.empty() ? "" : " (" + c.cacheMessage + ")")
                   << "\n";
    else
      llvm::outs() << "kernel cache: off (" << c.cacheMessage << ")\n";
    if (flags.compiled)
      llvm::outs() << "compiled by: " << model->compilerVersion() << "\n";
    for (const gnn::StageTiming &t : stats.stages)
      llvm::outs() << llvm::format("  %9.3f ms  ", t.seconds * 1e3) << t.name << "\n";
    auto mib = [](int64_t bytes) { return double(bytes) / (1 << 20); };
    for (const gnn::GatherBlockChoice &c : stats.gatherBlocks) {
      llvm::outs() << "gather blocks: " << c.blocks << " for "
                   << llvm::StringRef(c.stage).split(" loc(").first
                   << llvm::format(" (table %.1f MiB, budget %.1f MiB; ",
                                   mib(c.tableBytes), mib(c.budgetBytes));
      if (c.unblockedSeconds > 0)
        llvm::outs() << llvm::format("local gathers %.0f%%, cached gathers "
                                     "%.0f%% -> %.0f%%, predicted %.3f -> "
                                     "%.3f s; ",
                                     100 * c.nearShare, 100 * c.hotShare,
                                     100 * c.blockedHotShare,
                                     c.unblockedSeconds, c.blockedSeconds);
      llvm::outs() << c.reason << ")\n";
    }
    for (const gnn::LinearRows &l : stats.linearRows)
      llvm::outs() << "linear rows: " << l.rows << " of " << l.vertices
                   << " for "
                   << llvm::StringRef(l.stage).split(" loc(").first
                   << " (only in-edges read them: the rows up to the "
                      "largest source)\n";
    if (stats.gatherSetupSeconds > 0)
      llvm::outs() << llvm::format("gather blocks setup: %.3f s (source degrees "
                                   "and blocks, once per graph, in the "
                                   "inference time)\n",
                                   stats.gatherSetupSeconds);
    double sum = 0, sumAbs = 0;
    for (size_t i = 0; i < output.numElements(); ++i) {
      sum += output.data()[i];
      sumAbs += std::fabs(output.data()[i]);
    }
    llvm::outs() << llvm::format("inference: %.3f s, %.1f M graph edges/s "
                                 "(mapping result memory: %.3f ms of it)\n",
                                 stats.totalSeconds,
                                 graph.numEdges() / stats.totalSeconds / 1e6,
                                 stats.memorySeconds * 1e3);
    llvm::outs() << llvm::format(
        "memory: arena %.2f MiB (reused across runs) + output %.2f MiB; "
        "results %.2f MiB in all, %.2f MiB live at most\n",
        mib(stats.arenaBytes), mib(stats.outputBytes), mib(stats.bufferBytes),
        mib(stats.peakLiveBytes));
    llvm::outs() << "output: " << gnn::formatShape(output.shape)
                 << llvm::format(", checksum sum=%.6e sum|x|=%.6e\n", sum, sumAbs);
    llvm::outs() << llvm::format("total wall time: %.3f s\n", seconds(start));
  }
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // After InitLLVM, whose new-handler would otherwise abort on any failed
  // allocation: out of memory anywhere is the one-line error below.
  gnn::reportLLVMOutOfMemoryAsBadAlloc();
  gnn::exitOnLLVMFatalError("gnn-run");
  gnn::setProgressTool("gnn-run");
  Flags flags = parseFlags(argc, argv);
  if (flags.distributed)
    return gnnrun::runDistributed(flags);
  // No output is written before the run succeeded, so there is none to
  // remove here.
  try {
    return runSingle(flags);
  } catch (const std::bad_alloc &) {
    fail("out of memory (" + currentStep + ")");
  }
}

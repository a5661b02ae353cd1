//===- Engine.cpp - The host-program API: compile through the cache, run --===//
//
// Engine = frontend (model file -> graph-level gnn IR) + the kernel cache
// (KernelCache.cpp) + CompiledModel::loadObject. Models are always built
// from an object file, fresh or cached, so that a cache hit and a cold
// compile run the very same machine code.
//
//===----------------------------------------------------------------------===//
#include "gnn/Engine.h"
#include "KernelCache.h"
#include "dialect/GNNDialect.h"
#include "frontend/Frontend.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include "gnn/Npy.h"

#include <chrono>

using namespace gnn;
using clock_type = std::chrono::steady_clock;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static double secondsSince(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

//===----------------------------------------------------------------------===//
// Model
//===----------------------------------------------------------------------===//

Model::Model(std::unique_ptr<CompiledModel> compiled, int threads,
             CompileStats stats, std::string object)
    : compiled(std::move(compiled)), object(std::move(object)),
      threads(threads), stats(std::move(stats)) {}
Model::~Model() = default;

const std::vector<ParamInfo> &Model::parameters() const {
  return compiled->parameters();
}
const std::vector<int64_t> &Model::inputShape() const {
  return compiled->inputShape();
}
const std::vector<int64_t> &Model::outputShape() const {
  return compiled->outputShape();
}
bool Model::takesEdgeFeatures() const { return compiled->takesEdgeFeatures(); }
const std::vector<int64_t> &Model::edgeInputShape() const {
  return compiled->edgeInputShape();
}

llvm::Error Model::bindWeights(WeightMap weights, const std::string &source) {
  std::lock_guard<std::mutex> lock(runMutex);
  return compiled->bindWeights(std::move(weights), source);
}

llvm::Error Model::loadWeights(const std::string &safetensorsPath) {
  auto weights = readSafetensors(safetensorsPath);
  if (!weights)
    return weights.takeError();
  return bindWeights(std::move(*weights), safetensorsPath);
}

llvm::Expected<Tensor> Model::run(const Graph &graph, const Tensor &features,
                                  RunStats *stats) {
  std::lock_guard<std::mutex> lock(runMutex);
  RunOptions options;
  options.threads = threads;
  return compiled->run(graph, features, nullptr, options, stats);
}

llvm::Expected<Tensor> Model::run(const Graph &graph, const Tensor &features,
                                  const Tensor &edgeFeaturesCsr,
                                  RunStats *stats) {
  std::lock_guard<std::mutex> lock(runMutex);
  RunOptions options;
  options.threads = threads;
  return compiled->run(graph, features, &edgeFeaturesCsr, options, stats);
}

llvm::Expected<Tensor> Model::run(const Graph &graph, Tensor &features,
                                  const Tensor *edgeFeaturesCsr,
                                  HaloExchange &exchange, RunStats *stats) {
  std::lock_guard<std::mutex> lock(runMutex);
  RunOptions options;
  options.threads = threads;
  options.exchange = &exchange;
  return compiled->run(graph, features, edgeFeaturesCsr, options, stats);
}

//===----------------------------------------------------------------------===//
// Engine
//===----------------------------------------------------------------------===//

struct Engine::Impl {
  EngineOptions options;
  mlir::MLIRContext context;
  std::string cacheDir;     // empty: caching is off
  std::string cacheOffWhy;  // why it is off
  std::mutex mutex;         // one compilation at a time per context

  explicit Impl(EngineOptions o) : options(std::move(o)) {
    context.loadDialect<GNNDialect, mlir::func::FuncDialect,
                        mlir::arith::ArithDialect, mlir::LLVM::LLVMDialect>();
    cacheDir = detail::resolveCacheDir(options.cache, options.cacheDir,
                                       cacheOffWhy);
  }

  /// Turns a graph-level module into a Model through the cache.
  llvm::Expected<std::unique_ptr<Model>> build(mlir::ModuleOp module,
                                               CompileStats stats,
                                               clock_type::time_point start);
  /// Reads graph-level gnn IR (.mlir) with MLIR's diagnostics as the error.
  llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
  parseIR(const std::string &path);
};

/// The object in the cache entry `path`, if it exists and carries `keyLine`
/// (a file of another key or a truncated write never gets used).
static std::unique_ptr<llvm::MemoryBuffer> readEntry(const std::string &path,
                                                     const std::string &keyLine) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer || !llvm::StringRef((*buffer)->getBuffer()).contains(keyLine))
    return nullptr;
  return std::move(*buffer);
}

llvm::Expected<std::unique_ptr<Model>>
Engine::Impl::build(mlir::ModuleOp module, CompileStats stats,
                    clock_type::time_point start) {
  std::string key, path;
  if (!cacheDir.empty()) {
    key = detail::computeCacheKey(module, stats.cacheMessage);
    if (!key.empty()) {
      llvm::SmallString<256> p(cacheDir);
      llvm::sys::path::append(p, key + ".o");
      path = p.str().str();
    }
  } else {
    stats.cacheMessage = cacheOffWhy;
  }
  std::string keyLine = key.empty() ? "" : detail::cacheKeyLine(key);

  auto loadStart = clock_type::now();
  if (!path.empty()) {
    if (auto object = readEntry(path, keyLine)) {
      std::string bytes = object->getBuffer().str();
      auto compiled = CompiledModel::loadObject(std::move(object), context);
      if (compiled) {
        detail::touchEntry(path);
        stats.cacheHit = true;
        stats.cacheFile = path;
        stats.loadSeconds = secondsSince(loadStart);
        stats.totalSeconds = secondsSince(start);
        return std::unique_ptr<Model>(new Model(std::move(*compiled),
                                                options.threads, std::move(stats),
                                                std::move(bytes)));
      }
      // A damaged entry: compile afresh and overwrite it.
      stats.cacheMessage = "ignored a bad entry: " +
                           llvm::toString(compiled.takeError());
    }
  }

  detail::CodegenTimes times;
  auto object = detail::compileToObject(module, keyLine, times);
  if (!object)
    return object.takeError();
  stats.lowerSeconds = times.lowerSeconds;
  stats.codegenSeconds = times.codegenSeconds;

  loadStart = clock_type::now();
  if (!path.empty()) {
    std::error_code ec = llvm::sys::fs::create_directories(cacheDir);
    llvm::Error stored =
        ec ? makeError(cacheDir + ": " + ec.message())
           : writeFileAtomically(path, [&](llvm::raw_ostream &os) {
               os.write(object->data(), object->size());
               return llvm::Error::success();
             });
    if (stored) {
      stats.cacheMessage = "not stored: " + llvm::toString(std::move(stored));
    } else {
      stats.cacheFile = path;
      detail::trimCache(cacheDir, path);
    }
  }
  auto compiled = CompiledModel::loadObject(
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(object->data(), object->size()), "gnn_kernels.o"),
      context);
  if (!compiled)
    return compiled.takeError();
  stats.loadSeconds = secondsSince(loadStart);
  stats.totalSeconds = secondsSince(start);
  return std::unique_ptr<Model>(
      new Model(std::move(*compiled), options.threads, std::move(stats),
                std::string(object->data(), object->size())));
}

llvm::Expected<std::unique_ptr<Model>>
Engine::loadObject(llvm::StringRef object, const std::string &name) {
  std::lock_guard<std::mutex> lock(impl->mutex);
  auto start = clock_type::now();
  auto compiled = CompiledModel::loadObject(
      llvm::MemoryBuffer::getMemBufferCopy(object, name), impl->context);
  if (!compiled)
    return compiled.takeError();
  CompileStats stats;
  stats.loadSeconds = stats.totalSeconds = secondsSince(start);
  stats.cacheMessage = "loaded from " + name;
  return std::unique_ptr<Model>(new Model(std::move(*compiled),
                                          impl->options.threads,
                                          std::move(stats), object.str()));
}

llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
Engine::Impl::parseIR(const std::string &path) {
  std::string messages;
  llvm::raw_string_ostream os(messages);
  llvm::SourceMgr sources;
  mlir::SourceMgrDiagnosticHandler handler(sources, &context, os);
  auto module = mlir::parseSourceFile<mlir::ModuleOp>(path, sources,
                                                      &context);
  if (!module) {
    if (messages.empty()) // parseSourceFile reports unreadable files itself
      return makeError(path + ": cannot read the file");
    return makeError(llvm::StringRef(os.str()).rtrim());
  }
  return std::move(module);
}


static frontend::ModelOptions toModelOptions(const CompileOptions &options) {
  frontend::ModelOptions m;
  m.overrides = options.overrides;
  m.weightShapes = options.weightShapes;
  m.weightsName = options.weightsName;
  m.inputFeatures = options.inputFeatures;
  m.edgeFeatures = options.edgeFeatures;
  if (!options.modelName.empty())
    m.modelName = options.modelName;
  return m;
}

Engine::Engine(EngineOptions options)
    : impl(std::make_unique<Impl>(std::move(options))) {}
Engine::~Engine() = default;

const std::string &Engine::cacheDirectory() const { return impl->cacheDir; }

llvm::Expected<std::unique_ptr<Model>>
Engine::compileFile(const std::string &path, const CompileOptions &options) {
  std::lock_guard<std::mutex> lock(impl->mutex);
  auto start = clock_type::now();
  CompileStats stats;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  if (llvm::StringRef(path).ends_with(".mlir")) {
    auto parsed = impl->parseIR(path);
    if (!parsed)
      return parsed.takeError();
    module = std::move(*parsed);
  } else {
    std::string messages;
    llvm::raw_string_ostream os(messages);
    frontend::DiagnosticEngine diag(os);
    module = frontend::compileModelFile(path, toModelOptions(options),
                                        impl->context, diag);
    if (!module)
      return makeError(llvm::StringRef(os.str()).rtrim());
  }
  stats.frontendSeconds = secondsSince(start);
  return impl->build(*module, std::move(stats), start);
}

llvm::Expected<std::unique_ptr<Model>>
Engine::compileSource(const std::string &source, const std::string &fileName,
                      const CompileOptions &options) {
  std::lock_guard<std::mutex> lock(impl->mutex);
  auto start = clock_type::now();
  CompileStats stats;
  std::string messages;
  llvm::raw_string_ostream os(messages);
  frontend::DiagnosticEngine diag(os);
  mlir::OwningOpRef<mlir::ModuleOp> module = frontend::compileModelSource(
      source, fileName, toModelOptions(options), impl->context, diag);
  if (!module)
    return makeError(llvm::StringRef(os.str()).rtrim());
  stats.frontendSeconds = secondsSince(start);
  return impl->build(*module, std::move(stats), start);
}

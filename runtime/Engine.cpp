//===- Engine.cpp - The host-program API: compile through the cache ------===//
//
// Engine = frontend (model file -> graph-level gnn IR) + compileToObject
// (lowering/CompileToObject.cpp) + the kernel cache (KernelCache.cpp) +
// Model::loadObject. Models are always built from an object file, fresh or
// cached, so that a cache hit and a cold compile run the very same machine
// code.
//
//===----------------------------------------------------------------------===//
#include "ResourceFaults.h"
#include "gnn/Engine.h"
#include "KernelCache.h"
#include "dialect/GNNDialect.h"
#include "frontend/Frontend.h"
#include "gnn/Npy.h"
#include "lowering/CompileToObject.h"
#include "lowering/UserPipeline.h"

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

#include <chrono>
#include <mutex>

using namespace gnn;
using clock_type = std::chrono::steady_clock;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static double secondsSince(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

struct Engine::Impl {
  EngineOptions options;
  mlir::MLIRContext context;
  std::string cacheDir;     // empty: caching is off
  std::string cacheOffWhy;  // why it is off
  std::mutex mutex;         // one compilation at a time per context

  explicit Impl(EngineOptions o)
      : options(std::move(o)),
        // Passes run on the calling thread. MLIR's thread pool would run
        // a model's few functions in parallel, but its workers cannot hand
        // an exception back: a std::bad_alloc there ended the process.
        // Measured on rmat-18 models (GAT, EdgeConv; 2 threads): lowering
        // takes 0.02-0.03 s either way, against 0.1 s of LLVM codegen.
        context(mlir::MLIRContext::Threading::DISABLED) {
    context.loadDialect<GNNDialect, mlir::func::FuncDialect,
                        mlir::arith::ArithDialect, mlir::LLVM::LLVMDialect>();
    cacheDir = detail::resolveCacheDir(options.cache, options.cacheDir,
                                       cacheOffWhy);
  }

  /// Turns a graph-level module into a Model through the cache.
  llvm::Expected<std::unique_ptr<Model>> build(mlir::ModuleOp module,
                                               CompileStats stats,
                                               clock_type::time_point start,
                                               const CompileOptions &compile);
  /// Reads graph-level gnn IR (.mlir) with MLIR's diagnostics as the error.
  llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
  parseIR(const std::string &path);
};

/// The cache entry `path`, if it exists; null otherwise.
static std::unique_ptr<llvm::MemoryBuffer> readEntry(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return nullptr;
  return std::move(*buffer);
}

/// Checks the target the environment names, if any, so that its error
/// names the variables.
static llvm::Error checkEnvironmentTarget(const gnn::TargetOptions &target) {
  if (target.cpu.empty() && target.features.empty() &&
      target.vectorWidth.empty())
    return llvm::Error::success();
  llvm::Expected<detail::CodeTarget> resolved = resolveTarget(target);
  if (resolved)
    return llvm::Error::success();
  return makeError("GNNC_TARGET_CPU='" + target.cpu +
                   "' GNNC_TARGET_FEATURES='" + target.features +
                   "' GNNC_VECTOR_WIDTH='" + target.vectorWidth +
                   "': " + llvm::toString(resolved.takeError()));
}

llvm::Expected<std::unique_ptr<Model>>
Engine::Impl::build(mlir::ModuleOp module, CompileStats stats,
                    clock_type::time_point start,
                    const CompileOptions &compile) {
  // The researcher's pipeline runs on every compile, cache hit or not: the
  // key is that of the module it leaves, and of the plugins and the text.
  if (!compile.passPlugins.empty() || !compile.passPipeline.empty()) {
    auto pipelineStart = clock_type::now();
    if (llvm::Error e = loadPassPlugins(compile.passPlugins))
      return std::move(e);
    if (!compile.passPipeline.empty())
      if (llvm::Error e = runUserPipeline(module, compile.passPipeline))
        return std::move(e);
    stats.pipelineSeconds = secondsSince(pipelineStart);
  }
  std::string key, path;
  if (!cacheDir.empty()) {
    key = detail::computeCacheKey(
        module, stats.cacheMessage,
        passPluginIdentity(compile.passPlugins) + compile.passPipeline);
    if (!key.empty()) {
      llvm::SmallString<256> p(cacheDir);
      llvm::sys::path::append(p, key + ".o");
      path = p.str().str();
    }
  } else {
    stats.cacheMessage = cacheOffWhy;
  }
  std::string keyComment = key.empty() ? "" : detail::cacheKeyComment(key);
  auto finish = [&](std::unique_ptr<Model> model,
                    clock_type::time_point loadStart) {
    stats.loadSeconds = secondsSince(loadStart);
    stats.totalSeconds = secondsSince(start);
    model->setCompileStats(std::move(stats));
    model->setThreads(options.threads);
    return model;
  };

  auto loadStart = clock_type::now();
  if (!path.empty()) {
    if (auto entry = readEntry(path)) {
      // Nothing of an entry is mapped or run before its hash checks out
      // and its schedule carries its key (a file of another key, renamed,
      // is not used either).
      llvm::Expected<llvm::StringRef> object = detail::unsealEntry(entry->getBuffer());
      llvm::Expected<std::unique_ptr<Model>> model =
          makeError("its schedule is not that of its key");
      if (!object) {
        llvm::consumeError(model.takeError());
        model = object.takeError();
      } else if (object->contains(keyComment)) {
        llvm::consumeError(model.takeError());
        model = Model::loadObject(*object, path);
      }
      if (model) {
        detail::touchEntry(path);
        stats.cacheHit = true;
        stats.cacheFile = path;
        return finish(std::move(*model), loadStart);
      }
      // A bad entry is removed, then compiled afresh and stored again.
      llvm::sys::fs::remove(path);
      stats.cacheMessage = "removed a bad entry (" +
                           llvm::toString(model.takeError()) + ")";
    }
  }

  ObjectOptions objectOptions;
  objectOptions.target = detail::targetFromEnvironment();
  objectOptions.comment = keyComment;
  if (llvm::Error e = checkEnvironmentTarget(objectOptions.target))
    return std::move(e);
  auto compiled = compileToObject(module, objectOptions);
  if (!compiled)
    return compiled.takeError();
  stats.lowerSeconds = compiled->lowerSeconds;
  stats.codegenSeconds = compiled->codegenSeconds;

  loadStart = clock_type::now();
  if (!path.empty()) {
    std::error_code ec = llvm::sys::fs::create_directories(cacheDir);
    llvm::Error stored =
        ec ? makeError(cacheDir + ": " + ec.message())
           : writeFileAtomically(path, [&](llvm::raw_ostream &os) {
               os << detail::sealEntry(compiled->object);
               return llvm::Error::success();
             });
    if (stored) {
      stats.cacheMessage = "not stored: " + llvm::toString(std::move(stored));
    } else {
      stats.cacheFile = path;
      detail::trimCache(cacheDir, path);
    }
  }
  auto model = Model::loadObject(compiled->object, "the compiled model");
  if (!model)
    return model.takeError();
  return finish(std::move(*model), loadStart);
}

llvm::Expected<std::unique_ptr<Model>>
Engine::loadObject(llvm::StringRef object, const std::string &name) {
  return gnn::detail::catchOutOfMemory(name, "loading the compiled model",
                                      [&]() -> llvm::Expected<std::unique_ptr<Model>> {
    auto model = Model::loadObject(object, name);
    if (model)
      (*model)->setThreads(impl->options.threads);
    return model;
  });
}

llvm::Expected<std::unique_ptr<Model>>
Engine::loadArtifact(const std::string &path) {
  return gnn::detail::catchOutOfMemory(path, "loading the compiled model",
                                      [&]() -> llvm::Expected<std::unique_ptr<Model>> {
    auto model = Model::loadArtifact(path);
    if (model)
      (*model)->setThreads(impl->options.threads);
    return model;
  });
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
  return gnn::detail::catchOutOfMemory(path, "compiling the model",
                                      [&]() -> llvm::Expected<std::unique_ptr<Model>> {
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
    return impl->build(*module, std::move(stats), start, options);
  });
}

llvm::Expected<std::unique_ptr<Model>>
Engine::compileSource(const std::string &source, const std::string &fileName,
                      const CompileOptions &options) {
  return gnn::detail::catchOutOfMemory(fileName, "compiling the model",
                                      [&]() -> llvm::Expected<std::unique_ptr<Model>> {
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
    return impl->build(*module, std::move(stats), start, options);
  });
}

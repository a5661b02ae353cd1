//===- UserPipeline.cpp - Pass plugins and a textual pipeline in a compile ===//
#include "lowering/UserPipeline.h"

#include "lowering/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <mutex>

using namespace mlir;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// `text` on one line: newlines become "; ", trailing space dropped.
static std::string oneLine(llvm::StringRef text) {
  llvm::SmallVector<llvm::StringRef> lines;
  text.trim().split(lines, '\n', -1, /*KeepEmpty=*/false);
  std::string result;
  for (llvm::StringRef line : lines) {
    if (!result.empty())
      result += "; ";
    result += line.trim().str();
  }
  return result;
}

void gnn::registerPipelinePasses() {
  // A pipeline registered twice is a fatal error in MLIR.
  static std::once_flag once;
  std::call_once(once, [] {
    gnn::registerGNNPipelines();
    registerCanonicalizerPass();
    registerCSEPass();
    registerSymbolDCEPass();
    registerSCFToControlFlow();
    registerConvertVectorToLLVMPass();
    registerConvertMathToLLVMPass();
    registerArithToLLVMConversionPass();
    registerConvertControlFlowToLLVMPass();
    registerConvertFuncToLLVMPass();
    registerReconcileUnrealizedCasts();
  });
}

llvm::Error gnn::loadPassPlugins(llvm::ArrayRef<std::string> paths) {
  // Registering a plugin's passes twice is a fatal error in MLIR.
  static std::mutex mutex;
  static llvm::StringSet<> loaded;
  std::lock_guard<std::mutex> lock(mutex);
  for (const std::string &path : paths) {
    if (loaded.contains(path))
      continue;
    llvm::Expected<PassPlugin> plugin = PassPlugin::load(path);
    if (!plugin)
      // MLIR's text names the path and gives dlerror's reason.
      return makeError("cannot load the pass plugin " + path + ": " +
                       oneLine(llvm::toString(plugin.takeError())));
    plugin->registerPassRegistryCallbacks();
    loaded.insert(path);
  }
  return llvm::Error::success();
}

llvm::Error gnn::runUserPipeline(ModuleOp module, llvm::StringRef pipeline) {
  registerPipelinePasses();
  // Diagnostics of the parser (a pass added at the wrong level) and of the
  // passes are collected, not printed.
  std::string messages;
  llvm::raw_string_ostream os(messages);
  ScopedDiagnosticHandler handler(module.getContext(), [&](Diagnostic &d) {
    os << d.getLocation() << ": " << d.str() << "; ";
    return success();
  });
  std::string parseErrors;
  llvm::raw_string_ostream parseOs(parseErrors);
  FailureOr<OpPassManager> parsed = parsePassPipeline(pipeline, parseOs);
  if (failed(parsed)) {
    // The parser's first line is "<source>:1:COL: error: REASON"; the
    // lines after it repeat the text with a caret.
    llvm::StringRef first = llvm::StringRef(parseOs.str()).split('\n').first;
    size_t at = first.find("error: ");
    llvm::StringRef reason =
        at == llvm::StringRef::npos ? first : first.drop_front(at + 7);
    if (!messages.empty()) // "Can't add pass ..., did you intend to nest?"
      reason = llvm::StringRef(messages).rtrim("; ");
    if (size_t loc = reason.find("<unknown>:0: "); loc == 0)
      reason = reason.drop_front(13);
    return makeError("invalid --pass-pipeline '" + pipeline + "': " +
                     oneLine(reason));
  }
  if (parsed->getOpAnchorName() != ModuleOp::getOperationName() &&
      parsed->getOpAnchorName() != OpPassManager::getAnyOpAnchorName())
    return makeError("invalid --pass-pipeline '" + pipeline +
                     "': it must be anchored on builtin.module, as in "
                     "'builtin.module(func.func(PASS))'");

  PassManager pm(module.getContext());
  static_cast<OpPassManager &>(pm) = *parsed;
  if (failed(pm.run(module)))
    return makeError("--pass-pipeline '" + pipeline + "' failed: " +
                     llvm::StringRef(os.str()).rtrim("; "));
  return llvm::Error::success();
}

std::string gnn::passPluginIdentity(llvm::ArrayRef<std::string> paths) {
  std::string identity;
  for (const std::string &path : paths) {
    llvm::sys::fs::file_status status;
    identity += path;
    if (!llvm::sys::fs::status(path, status))
      identity += " " + std::to_string(status.getSize()) + " " +
                  std::to_string(
                      status.getLastModificationTime().time_since_epoch().count());
    identity += "\n";
  }
  return identity;
}

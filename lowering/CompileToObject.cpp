//===- CompileToObject.cpp - A graph-level model to an object file --------===//
#include "lowering/CompileToObject.h"
#include "dialect/GNNDialect.h"
#include "lowering/ScheduleFromIR.h"
#include "runtime/ScheduleFormat.h"
#include "gnn/Version.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace mlir;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Prefixes every symbol of `module` and the references to them.
static llvm::Error prefixSymbols(ModuleOp module, llvm::StringRef prefix) {
  for (Operation &op : module.getBody()->getOperations())
    if (auto name =
            op.getAttrOfType<StringAttr>(SymbolTable::getSymbolAttrName())) {
      auto renamed = StringAttr::get(module.getContext(), prefix + name.getValue());
      if (failed(SymbolTable::replaceAllSymbolUses(name, renamed, module)))
        return makeError("cannot rename @" + name.getValue());
      SymbolTable::setSymbolName(&op, renamed);
    }
  return llvm::Error::success();
}

llvm::Expected<gnn::CompiledObject>
gnn::compileToObject(ModuleOp graphLevel, const ObjectOptions &options,
                     PipelineRunner run) {
  using clock = std::chrono::steady_clock;
  auto start = clock::now();
  // Bad target names fail before the pipeline runs.
  llvm::Expected<detail::CodeTarget> target = resolveTarget(options.target);
  if (!target)
    return target.takeError();

  OwningOpRef<ModuleOp> module(cast<ModuleOp>(graphLevel->clone()));
  auto kernels = lowerModelToKernels(*module, run);
  if (!kernels)
    return kernels.takeError();
  if (!options.symbolPrefix.empty())
    for (ModuleOp m : {*module, **kernels})
      if (llvm::Error e = prefixSymbols(m, options.symbolPrefix))
        return std::move(e);
  auto forward = module->lookupSymbol<func::FuncOp>(
      (llvm::Twine(options.symbolPrefix) + gnn::kForwardName).str());
  if (!forward || forward.isDeclaration())
    return makeError("the module has no function @" + gnn::kForwardName);
  llvm::Expected<detail::Schedule> schedule = scheduleFromIR(forward);
  if (!schedule)
    return schedule.takeError();
  schedule->target = std::move(*target);
  schedule->compiler = gnn::version();

  CompiledObject result;
  result.schedule = detail::serializeSchedule(*schedule, options.comment);
  auto lowered = clock::now();
  result.lowerSeconds = std::chrono::duration<double>(lowered - start).count();

  llvm::SmallVector<char, 0> object;
  llvm::raw_svector_ostream os(object);
  if (llvm::Error e = emitObjectFile(
          **kernels, result.schedule, options.target, os,
          options.symbolPrefix + detail::kScheduleSymbol))
    return std::move(e);
  result.object.assign(object.data(), object.size());
  result.codegenSeconds =
      std::chrono::duration<double>(clock::now() - lowered).count();
  return result;
}

llvm::Expected<gnn::CompiledObject>
gnn::compileToObject(ModuleOp graphLevel, const ObjectOptions &options) {
  return compileToObject(
      graphLevel, options,
      [](ModuleOp module, void (*build)(OpPassManager &)) -> llvm::Error {
        std::string messages;
        llvm::raw_string_ostream os(messages);
        ScopedDiagnosticHandler handler(module.getContext(), [&](Diagnostic &d) {
          os << d.getLocation() << ": " << d.str() << "; ";
          return success();
        });
        PassManager pm(module.getContext());
        build(pm);
        if (failed(pm.run(module)))
          return makeError("compilation failed: " + os.str());
        return llvm::Error::success();
      });
}

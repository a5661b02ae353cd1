//===- ObjectLoader.cpp - A model from an object file of its kernels ------===//
//
// Every runnable model comes from an object file of its kernels: one
// compiled just now (CompiledModel::compile, a kernel-cache miss), one from
// the cache, or one from gnnc --emit=obj. It is linked into memory with
// ORC, its embedded schedule parsed and its kernels looked up.
//
//===----------------------------------------------------------------------===//
#include "KernelCache.h"
#include "ModelImpl.h"
#include "ScheduleReader.h"
#include "dialect/GNNDialect.h"
#include "lowering/Codegen.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstring>

using namespace gnn;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Expected<std::unique_ptr<CompiledModel>>
CompiledModel::loadObject(std::unique_ptr<llvm::MemoryBuffer> object,
                          mlir::MLIRContext &context) {
  auto start = std::chrono::steady_clock::now();
  static bool targetsReady = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)targetsReady;
  std::string name = object->getBufferIdentifier().str();

  auto host = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!host)
    return host.takeError();
  // One JIT per model: kernel names (forward_kernel0, ...) and
  // gnn_schedule repeat across models. Library calls the kernels make
  // (memset, expf) resolve against the process.
  auto jit = llvm::orc::LLJITBuilder()
                 .setJITTargetMachineBuilder(std::move(*host))
                 .create();
  if (!jit)
    return jit.takeError();
  if (llvm::Error e = (*jit)->addObjectFile(std::move(object)))
    return makeError(name + ": cannot load the object file: " +
                     llvm::toString(std::move(e)));

  auto scheduleAddress = (*jit)->lookup(kScheduleSymbol);
  if (!scheduleAddress)
    return makeError(name + ": no embedded schedule (" +
                     llvm::toString(scheduleAddress.takeError()) + ")");
  llvm::StringRef text(scheduleAddress->toPtr<const char *>());

  context.loadDialect<GNNDialect, mlir::func::FuncDialect,
                      mlir::LLVM::LLVMDialect>();
  std::string messages;
  llvm::raw_string_ostream os(messages);
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &d) {
    os << d.getLocation() << ": " << d.str() << "; ";
    return mlir::success();
  });
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(text, &context,
                                              name + ":gnn_schedule");
  if (!module)
    return makeError(name + ": the embedded schedule does not parse: " +
                     os.str());
  auto forward = module->lookupSymbol<mlir::func::FuncOp>("forward");
  if (!forward || forward.isDeclaration())
    return makeError(name + ": the embedded schedule has no @forward");
  auto schedule = detail::readSchedule(forward);
  if (!schedule)
    return schedule.takeError();

  for (detail::Step &step : schedule->steps) {
    if (step.kind != detail::Step::Kind::Launch)
      continue;
    auto address = (*jit)->lookup(step.kernel);
    if (!address)
      return makeError(name + ": kernel @" + step.kernel + " is missing (" +
                       llvm::toString(address.takeError()) + ")");
    step.fn = address->toPtr<detail::KernelFn>();
  }

  auto impl = std::make_unique<Impl>();
  impl->schedule = std::move(*schedule);
  impl->jit = std::shared_ptr<llvm::orc::LLJIT>(std::move(*jit));
  impl->compileSeconds = std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - start)
                             .count();
  return std::unique_ptr<CompiledModel>(new CompiledModel(std::move(impl)));
}

llvm::Expected<std::unique_ptr<CompiledModel>>
CompiledModel::compile(mlir::ModuleOp module) {
  // The same path as a kernel-cache miss, without the cache: one way of
  // turning a model into machine code.
  auto start = std::chrono::steady_clock::now();
  detail::CodegenTimes times;
  auto object = detail::compileToObject(module, /*header=*/"", times);
  if (!object)
    return object.takeError();
  auto model = loadObject(llvm::MemoryBuffer::getMemBufferCopy(
                              llvm::StringRef(object->data(), object->size()),
                              "gnn_kernels.o"),
                          *module.getContext());
  if (model)
    (*model)->impl->compileSeconds = std::chrono::duration<double>(
                                         std::chrono::steady_clock::now() - start)
                                         .count();
  return model;
}

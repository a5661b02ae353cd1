//===- ObjectLoader.cpp - A model from an object file of its kernels ------===//
//
// Every runnable model comes from an object file: one compiled just now
// by gnn::Engine (or a kernel-cache hit), one from gnnc --emit=obj, or one
// another rank compiled. It is linked into memory with ORC, its embedded
// plain-data schedule read (ScheduleFormat.cpp) and checked against the
// host, and its kernels looked up. No MLIR: a process that only runs
// models links neither it nor the compiler.
//
//===----------------------------------------------------------------------===//
#include "ModelImpl.h"
#include "ScheduleFormat.h"
#include "TargetCheck.h"

#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"

#include <chrono>

using namespace gnn;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Expected<std::unique_ptr<Model>>
Model::loadObject(llvm::StringRef object, const std::string &name) {
  auto start = std::chrono::steady_clock::now();
  static bool targetsReady = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)targetsReady;

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
  if (llvm::Error e = (*jit)->addObjectFile(
          llvm::MemoryBuffer::getMemBufferCopy(object, name)))
    return makeError(name + ": cannot load the object file: " +
                     llvm::toString(std::move(e)));

  auto scheduleAddress = (*jit)->lookup(detail::kScheduleSymbol);
  if (!scheduleAddress)
    return makeError(name + ": no embedded schedule (" +
                     llvm::toString(scheduleAddress.takeError()) + ")");
  auto schedule = detail::parseSchedule(
      llvm::StringRef(scheduleAddress->toPtr<const char *>()), name);
  if (!schedule)
    return schedule.takeError();
  if (llvm::Error e = detail::checkTargetOnHost(schedule->target))
    return makeError(name + ": " + llvm::toString(std::move(e)));

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
  impl->code = std::shared_ptr<llvm::orc::LLJIT>(std::move(*jit));
  impl->object = object.str();
  impl->stats.loadSeconds = impl->stats.totalSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  impl->stats.cacheMessage = "loaded from " + name;
  return std::unique_ptr<Model>(new Model(std::move(impl)));
}

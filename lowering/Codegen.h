//===- Codegen.h - Kernels to machine code: JIT, object files -*- C++ -*-===//
//
// The last step of the pipeline, under compileToObject
// (CompileToObject.cpp), which gnnc --emit=obj and gnn::Engine share: one
// target-machine recipe and one LLVM optimisation recipe.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_LOWERING_CODEGEN_H
#define GNN_LOWERING_CODEGEN_H

#include "runtime/Schedule.h"
#include "runtime/ScheduleFormat.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"

#include <functional>
#include <memory>
#include <string>

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
class raw_pwrite_stream;
} // namespace llvm

namespace gnn {

/// What the kernels are compiled for. The defaults are the host CPU with
/// all its features, optimised at O3.
struct TargetOptions {
  /// A CPU name as `llc -mcpu` takes it (`skylake-avx512`, `x86-64-v3`…);
  /// empty or "native" means the host CPU with its detected features.
  std::string cpu;
  /// Comma-separated `+feature,-feature` list applied on top of the CPU's
  /// (`-avx512f` on an AVX-512 host gives AVX2 code).
  std::string features;
  /// "256" or "512": the vector register width of every kernel on AVX-512
  /// targets; empty: each kernel's own (the gnn.vector_width attribute).
  std::string vectorWidth;
  /// PIC and the small code model, so that an object file links into
  /// position-independent executables and shared libraries. The JIT does
  /// not need it.
  bool positionIndependent = false;
};

/// Creates the target machine kernels are compiled with; checks the CPU
/// and feature names against the host's target.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createKernelTargetMachine(const TargetOptions &options = {});

/// The triple, CPU and features code for `options` is compiled with, as a
/// schedule records them for the runtime to check the host against. Fails
/// as createKernelTargetMachine does, or on a bad vector width.
llvm::Expected<detail::CodeTarget> resolveTarget(const TargetOptions &options);

/// Translates `kernels` (LLVM dialect) to LLVM IR and gives each kernel the
/// function attributes of its vector width: `vectorWidth` bits if not 0,
/// else the kernel's gnn.vector_width (512 without one). On AVX-512 targets
/// a 256-bit kernel keeps AVX-512 instructions on ymm registers; elsewhere
/// the attributes change nothing. Returns null if translation fails.
std::unique_ptr<llvm::Module>
translateKernelsToLLVMIR(mlir::ModuleOp kernels, llvm::LLVMContext &context,
                         unsigned vectorWidth = 0);

/// The LLVM-IR optimisation applied to kernels (O3), as an
/// ExecutionEngine transformer. `tm` must outlive it, and
/// it must outlive ExecutionEngine::create (whose options hold only a
/// function_ref to it).
std::function<llvm::Error(llvm::Module *)>
makeKernelOptimizer(llvm::TargetMachine *tm);

/// Adds private declarations of the kernels of `kernels` to `schedule`, so
/// that the schedule left by extractKernels verifies on its own (its
/// gnn.launch ops name the kernels).
void declareKernels(mlir::ModuleOp schedule, mlir::ModuleOp kernels);

/// Runs one pipeline on a module, reporting failures its own way (gnnc
/// prints MLIR diagnostics; the runtime turns them into an llvm::Error).
using PipelineRunner =
    llvm::function_ref<llvm::Error(mlir::ModuleOp, void (*)(mlir::OpPassManager &))>;

/// The one lowering of a graph-level model for code generation, under
/// compileToObject and gnnc --emit=llvm: runs gnn-to-kernels on
/// `module` in place (it becomes the schedule, its kernels declared so it
/// verifies alone) and returns the kernels lowered to the LLVM dialect.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
lowerModelToKernels(mlir::ModuleOp module, PipelineRunner run);

/// Translates `kernels` (LLVM dialect, after gnn-kernels-to-llvm) to LLVM
/// IR, optimises it like the JIT does and writes a relocatable object to
/// `os`. Each kernel is a global function of the C ABI
/// `void kernel(int64_t lo, int64_t hi, void **args)`. If `schedule` is
/// not empty it is embedded as the NUL-terminated string `scheduleSymbol`
/// (`gnn_schedule` unless a program links several models' objects).
llvm::Error
emitObjectFile(mlir::ModuleOp kernels, llvm::StringRef schedule,
               const TargetOptions &options, llvm::raw_pwrite_stream &os,
               llvm::StringRef scheduleSymbol = detail::kScheduleSymbol);

} // namespace gnn

#endif // GNN_LOWERING_CODEGEN_H

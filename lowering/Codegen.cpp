//===- Codegen.cpp - Kernels to machine code: JIT setup and object files --===//
#include "lowering/Codegen.h"
#include "lowering/Passes.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Checks names a user typed before LLVM sees them: LLVM only warns about
/// an unknown CPU or feature on stderr and carries on.
static llvm::Error checkTargetNames(const llvm::Target &target,
                                    const llvm::Triple &triple,
                                    const gnn::TargetOptions &options,
                                    llvm::ArrayRef<std::string> features) {
  std::unique_ptr<llvm::MCSubtargetInfo> info(
      target.createMCSubtargetInfo(triple.str(), "", ""));
  if (!info)
    return makeError("no subtarget information for " + triple.str());
  if (!options.cpu.empty() && options.cpu != "native" &&
      !info->isCPUStringValid(options.cpu))
    return makeError("unknown target CPU '" + options.cpu + "'");
  for (llvm::StringRef feature : features) {
    if (!feature.consume_front("+") && !feature.consume_front("-"))
      return makeError("target feature '" + feature +
                       "' must start with '+' or '-'");
    if (llvm::none_of(info->getAllProcessorFeatures(),
                      [&](const llvm::SubtargetFeatureKV &kv) {
                        return feature == kv.Key;
                      }))
      return makeError("unknown target feature '" + feature + "'");
  }
  return llvm::Error::success();
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
gnn::createKernelTargetMachine(const TargetOptions &options) {
  static bool targetsReady = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)targetsReady;

  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return builder.takeError();

  std::vector<std::string> features;
  for (llvm::StringRef f : llvm::split(options.features, ','))
    if (!f.trim().empty())
      features.push_back(f.trim().str());
  std::string error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(
      builder->getTargetTriple().str(), error);
  if (!target)
    return makeError(error);
  if (llvm::Error e = checkTargetNames(*target, builder->getTargetTriple(),
                                       options, features))
    return std::move(e);

  if (!options.cpu.empty() && options.cpu != "native") {
    // The named CPU's own features, not the host's.
    builder->setCPU(options.cpu);
    builder->getFeatures() = llvm::SubtargetFeatures();
  }
  builder->addFeatures(features);
  builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  if (options.positionIndependent) {
    // The JIT default is the large code model without PIC (absolute
    // R_X86_64_64 relocations in .ltext), which makes a PIE's text
    // writable at load time.
    builder->setRelocationModel(llvm::Reloc::PIC_);
    builder->setCodeModel(llvm::CodeModel::Small);
  }
  return builder->createTargetMachine();
}

/// The width TargetOptions::vectorWidth names: 0 (each kernel's own), 256
/// or 512.
static llvm::Expected<unsigned> parseVectorWidth(llvm::StringRef text) {
  if (text.empty())
    return 0;
  if (text != "256" && text != "512")
    return makeError("vector width '" + text + "' must be 256 or 512");
  return text == "256" ? 256 : 512;
}

llvm::Expected<gnn::detail::CodeTarget>
gnn::resolveTarget(const TargetOptions &options) {
  auto tm = createKernelTargetMachine(options);
  if (!tm)
    return tm.takeError();
  if (llvm::Expected<unsigned> width = parseVectorWidth(options.vectorWidth);
      !width)
    return width.takeError();
  return detail::CodeTarget{(*tm)->getTargetTriple().str(),
                            (*tm)->getTargetCPU().str(),
                            (*tm)->getTargetFeatureString().str()};
}

std::function<llvm::Error(llvm::Module *)>
gnn::makeKernelOptimizer(llvm::TargetMachine *tm) {
  // Each kernel's vector width is set when it is translated
  // (translateKernelsToLLVMIR).
  return makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0, tm);
}

/// Sets the width the X86 backend vectorises `f` with. Both attributes are
/// needed (as clang's -mprefer-vector-width): with only the preference,
/// 512-bit IR vectors (our rows) are still legal and go to zmm registers;
/// a minimum legal width of 256 splits them into ymm halves.
static void setVectorWidth(llvm::Function &f, unsigned bits) {
  std::string text = std::to_string(bits);
  f.addFnAttr("prefer-vector-width", text);
  f.addFnAttr("min-legal-vector-width", text);
}

std::unique_ptr<llvm::Module>
gnn::translateKernelsToLLVMIR(ModuleOp kernels, llvm::LLVMContext &context,
                              unsigned vectorWidth) {
  // The translation drops gnn.* attributes: read them first.
  llvm::StringMap<unsigned> widths;
  for (auto f : kernels.getOps<LLVM::LLVMFuncOp>())
    if (auto attr = f->getAttrOfType<IntegerAttr>(kVectorWidthAttrName))
      widths[f.getSymName()] = attr.getInt();
  MLIRContext *ctx = kernels.getContext();
  registerBuiltinDialectTranslation(*ctx);
  registerLLVMDialectTranslation(*ctx);
  std::unique_ptr<llvm::Module> module =
      translateModuleToLLVMIR(kernels, context, "gnn_kernels");
  if (!module)
    return nullptr;
  for (llvm::Function &f : *module) {
    if (f.isDeclaration())
      continue;
    auto own = widths.find(f.getName());
    setVectorWidth(f, vectorWidth ? vectorWidth
                      : own != widths.end() ? own->second
                                            : 512);
  }
  return module;
}

void gnn::declareKernels(ModuleOp schedule, ModuleOp kernels) {
  OpBuilder b = OpBuilder::atBlockEnd(schedule.getBody());
  for (auto kernel : kernels.getOps<func::FuncOp>()) {
    auto declaration = b.create<func::FuncOp>(
        kernel.getLoc(), kernel.getSymName(), kernel.getFunctionType());
    declaration.setPrivate();
    declaration->setAttr(kKernelAttrName, b.getUnitAttr());
  }
}

llvm::Expected<OwningOpRef<ModuleOp>>
gnn::lowerModelToKernels(ModuleOp module, PipelineRunner run) {
  if (llvm::Error e = run(module, buildKernelPipeline))
    return std::move(e);
  if (!module.lookupSymbol(kForwardName))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "the module has no function @forward");
  OwningOpRef<ModuleOp> kernels = extractKernels(module);
  declareKernels(module, *kernels);
  if (llvm::Error e = run(*kernels, buildKernelsToLLVMPipeline))
    return std::move(e);
  return kernels;
}

llvm::Error gnn::emitObjectFile(ModuleOp kernels, llvm::StringRef schedule,
                                const TargetOptions &options,
                                llvm::raw_pwrite_stream &os,
                                llvm::StringRef scheduleSymbol) {
  auto tm = createKernelTargetMachine(options);
  if (!tm)
    return tm.takeError();
  llvm::Expected<unsigned> vectorWidth = parseVectorWidth(options.vectorWidth);
  if (!vectorWidth)
    return vectorWidth.takeError();

  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> module =
      translateKernelsToLLVMIR(kernels, llvmContext, *vectorWidth);
  if (!module)
    return makeError("cannot translate the kernels to LLVM IR");
  module->setDataLayout((*tm)->createDataLayout());
  module->setTargetTriple((*tm)->getTargetTriple().str());

  if (!schedule.empty()) {
    llvm::Constant *text = llvm::ConstantDataArray::getString(
        llvmContext, schedule, /*AddNull=*/true);
    auto *global = new llvm::GlobalVariable(
        *module, text->getType(), /*isConstant=*/true,
        llvm::GlobalValue::ExternalLinkage, text, scheduleSymbol);
    global->setAlignment(llvm::Align(1));
  }

  if (llvm::Error e = makeKernelOptimizer(tm->get())(module.get()))
    return e;

  llvm::legacy::PassManager codegen;
  if ((*tm)->addPassesToEmitFile(codegen, os, nullptr,
                                 llvm::CodeGenFileType::ObjectFile))
    return makeError("the target cannot emit object files");
  codegen.run(*module);
  return llvm::Error::success();
}

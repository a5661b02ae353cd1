//===- gnnc.cpp - The gnnc model compiler driver --------------------------===//
//
// Compiles a model file and prints or writes the stage selected by --emit:
// the syntax tree, graph-level gnn IR, stages, LLVM IR, the parameter list,
// or an object file of the kernels and the plain-data schedule, which
// gnn::Model::loadObject runs (--emit=artifact: that object alone, for
// gnn-run --compiled). The work is done by the frontend and
// lowering libraries.
//
//===----------------------------------------------------------------------===//

#include "frontend/AST.h"
#include "frontend/Diagnostics.h"
#include "frontend/Frontend.h"
#include "frontend/Parser.h"
#include "GatherPlan.h"
#include "gnn/Graph.h"
#include "gnn/Safetensors.h"
#include "gnn/Version.h"
#include "lowering/Codegen.h"
#include "lowering/CompileToObject.h"
#include "lowering/Passes.h"
#include "lowering/UserPipeline.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>

namespace cl = llvm::cl;
using namespace gnn::frontend;

// libLLVM registers hundreds of options of its own; --help shows ours only
// (the --mlir-* printing options still work, see --help-hidden).
static cl::OptionCategory gnncCategory("gnnc options");

static cl::opt<std::string> inputFilename(cl::Positional, cl::Required,
                                          cl::desc("<model file>"),
                                          cl::value_desc("filename"),
                                          cl::cat(gnncCategory));

static cl::opt<std::string> outputFilename(
    "o",
    cl::desc("Output file (--emit=obj: default MODEL.o; its schedule is "
             "also written to the same name with .schedule.json; "
             "--emit=artifact: default MODEL.gnnc)"),
                                           cl::value_desc("filename"),
                                           cl::init("-"),
                                           cl::cat(gnncCategory));

namespace {
enum class Emit { AST, GNN, Stages, LLVM, Params, Obj, Artifact };
} // namespace

static cl::opt<Emit> emitAction(
    "emit", cl::desc("The stage to stop at and print"), cl::init(Emit::Obj),
    cl::values(clEnumValN(Emit::AST, "ast", "the syntax tree"),
               clEnumValN(Emit::GNN, "gnn", "graph-level gnn dialect IR"),
               clEnumValN(Emit::Stages, "stages",
                          "IR decomposed into transform and message_passing "
                          "stages"),
               clEnumValN(Emit::LLVM, "llvm", "LLVM IR of the kernels"),
               clEnumValN(Emit::Params, "params",
                          "the parameters (state_dict names and shapes)"),
               clEnumValN(Emit::Obj, "obj", "an object file"),
               clEnumValN(Emit::Artifact, "artifact",
                          "a compiled model: the object file alone, for "
                          "gnn-run --compiled and gnn::Model::loadObject")),
    cl::cat(gnncCategory));

static cl::list<std::string>
    setOptions("set", cl::desc("Set a constructor argument of the model"),
               cl::value_desc("name=value"), cl::cat(gnncCategory));

static cl::opt<int64_t>
    inputFeatures("input-features",
                  cl::desc("Width of the input features (default: the model's "
                           "in_channels)"),
                  cl::value_desc("F"), cl::cat(gnncCategory));

static cl::opt<int64_t>
    edgeFeatures("edge-features",
                 cl::desc("Width of the edge features of a forward() taking "
                          "edge_attr (default: the model's edge_dim)"),
                 cl::value_desc("D"), cl::cat(gnncCategory));

static cl::opt<std::string>
    weightsFile("weights",
                cl::desc("Infer the constructor arguments --set does not "
                         "give from the tensor shapes of this .safetensors "
                         "file"),
                cl::value_desc("file"), cl::cat(gnncCategory));

static cl::opt<std::string>
    modelName("model",
              cl::desc("The class to compile (default: the class deriving "
                       "Model)"),
              cl::value_desc("name"), cl::cat(gnncCategory));

static cl::opt<std::string>
    targetCPU("target-cpu",
              cl::desc("CPU to generate code for (--emit=obj; default: the "
                       "host CPU)"),
              cl::value_desc("name"), cl::cat(gnncCategory));

static cl::opt<std::string> targetFeatures(
    "target-features",
    cl::desc("Target features to add or remove (--emit=obj), e.g. "
             "-avx512f,+fma"),
    cl::value_desc("+f,-g,..."), cl::cat(gnncCategory));

static cl::opt<std::string> symbolPrefix(
    "symbol-prefix",
    cl::desc("Prefix the object's symbols (--emit=obj): kernels become "
             "PREFIXforward_kernelN and the schedule PREFIXgnn_schedule, so "
             "several models' objects link into one program"),
    cl::value_desc("prefix"), cl::cat(gnncCategory));

static cl::opt<std::string> layerLibrary(
    "layer-library",
    cl::desc("Read the gnn.nn layer library from this file instead of the "
             "built-in copy"),
    cl::value_desc("file"), cl::Hidden, cl::cat(gnncCategory));

static cl::list<std::string> passPlugins(
    "load-pass-plugin",
    cl::desc("Load a pass plugin (as gnn-opt does); its passes may appear "
             "in --pass-pipeline"),
    cl::value_desc("file.so"), cl::cat(gnncCategory));

static cl::opt<std::string> graphFile(
    "graph",
    cl::desc("With --emit=stages: a graph file (as gnn-run's --graph); each "
             "message stage shows, as its gnn.gather_blocks attribute, the "
             "gather blocking the runtime would choose on it"),
    cl::value_desc("file"));
static cl::opt<int64_t> graphVertices(
    "num-nodes",
    cl::desc("With --graph: the vertex count (default: the file's, or the "
             "largest id plus one)"),
    cl::init(-1));

static cl::opt<std::string> passPipeline(
    "pass-pipeline",
    cl::desc("A textual pass pipeline, as gnn-opt's "
             "('builtin.module(func.func(PASS))'), run on the graph-level "
             "IR before the standard pipeline (every --emit but ast)"),
    cl::value_desc("pipeline"), cl::cat(gnncCategory));

/// Runs `build`'s pipeline on `module`; MLIR reports its own diagnostics.
static bool runPipeline(mlir::MLIRContext &context, mlir::ModuleOp module,
                        void (*build)(mlir::OpPassManager &)) {
  mlir::PassManager pm(&context);
  if (mlir::failed(mlir::applyPassManagerCLOptions(pm)))
    return false;
  mlir::applyDefaultTimingPassManagerCLOptions(pm);
  build(pm);
  return mlir::succeeded(pm.run(module));
}

/// Runs a pipeline for gnn::lowerModelToKernels and compileToObject: MLIR
/// prints the diagnostics, so the error only signals failure.
static llvm::Error runPipelineOrFail(mlir::MLIRContext &context,
                                     mlir::ModuleOp module,
                                     void (*build)(mlir::OpPassManager &)) {
  if (runPipeline(context, module, build))
    return llvm::Error::success();
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "");
}

/// Prints `e` unless it is a failure MLIR has reported already.
static void reportError(llvm::Error e) {
  std::string message = llvm::toString(std::move(e));
  if (!message.empty())
    llvm::errs() << "gnnc: error: " << message << "\n";
}

/// The model's kernels lowered to the LLVM dialect (the module becomes the
/// schedule), or null after printing why not.
static mlir::OwningOpRef<mlir::ModuleOp>
lowerKernels(mlir::MLIRContext &context, mlir::ModuleOp module) {
  auto kernels = gnn::lowerModelToKernels(
      module, [&](mlir::ModuleOp m, void (*build)(mlir::OpPassManager &)) {
        return runPipelineOrFail(context, m, build);
      });
  if (!kernels) {
    reportError(kernels.takeError());
    return nullptr;
  }
  return std::move(*kernels);
}

/// Writes what `print` produces to the -o file (or stdout).
static int writeOutput(DiagnosticEngine &diag,
                       llvm::function_ref<void(llvm::raw_ostream &)> print) {
  std::error_code ec;
  llvm::ToolOutputFile output(outputFilename, ec, llvm::sys::fs::OF_Text);
  if (ec) {
    diag.error(outputFilename, "cannot open output file: " + ec.message());
    return 1;
  }
  print(output.os());
  output.os().flush();
  if (output.os().has_error()) {
    diag.error(outputFilename,
               "cannot write output file: " + output.os().error().message());
    output.os().clear_error();
    return 1;
  }
  output.keep();
  return 0;
}

/// --emit=obj: the kernels and the schedule as an object file
/// (compileToObject), and the schedule's text beside it. --emit=artifact:
/// the same object alone (it embeds the schedule, the parameter list, the
/// input widths, the target and the format version), MODEL.gnnc.
static int emitObject(mlir::MLIRContext &context, mlir::ModuleOp module,
                      DiagnosticEngine &diag, bool artifact) {
  std::string objectPath = outputFilename;
  if (!outputFilename.getNumOccurrences())
    objectPath = llvm::sys::path::stem(inputFilename).str() +
                 (artifact ? ".gnnc" : ".o");
  llvm::StringRef prefix = symbolPrefix;
  if (!prefix.empty()) {
    bool identifier = !llvm::isDigit(prefix.front()) &&
                      llvm::all_of(prefix, [](char c) {
                        return llvm::isAlnum(c) || c == '_';
                      });
    if (!identifier) {
      llvm::errs() << "gnnc: error: --symbol-prefix '" << prefix
                   << "' is not a C identifier\n";
      return 1;
    }
  }
  gnn::ObjectOptions options;
  options.target.cpu = targetCPU;
  options.target.features = targetFeatures;
  options.target.positionIndependent = true;
  options.symbolPrefix = prefix.str();
  options.comment =
      "compiled from " + llvm::sys::path::filename(inputFilename).str();
  auto compiled = gnn::compileToObject(
      module, options,
      [&](mlir::ModuleOp m, void (*build)(mlir::OpPassManager &)) {
        return runPipelineOrFail(context, m, build);
      });
  if (!compiled) {
    reportError(compiled.takeError());
    return 1;
  }

  auto open = [&](const std::string &path, llvm::sys::fs::OpenFlags flags)
      -> std::unique_ptr<llvm::ToolOutputFile> {
    std::error_code ec;
    auto file = std::make_unique<llvm::ToolOutputFile>(path, ec, flags);
    if (ec) {
      diag.error(path, "cannot open output file: " + ec.message());
      return nullptr;
    }
    return file;
  };
  std::unique_ptr<llvm::ToolOutputFile> object =
      open(objectPath, llvm::sys::fs::OF_None);
  if (!object)
    return 1;
  object->os() << compiled->object;
  // No schedule file beside an artifact or an object written to stdout.
  std::unique_ptr<llvm::ToolOutputFile> scheduleFile;
  if (objectPath != "-" && !artifact) {
    llvm::SmallString<128> schedulePath(objectPath);
    llvm::sys::path::replace_extension(schedulePath, "schedule.json");
    scheduleFile = open(schedulePath.str().str(), llvm::sys::fs::OF_Text);
    if (!scheduleFile)
      return 1;
    scheduleFile->os() << compiled->schedule;
  }
  for (llvm::ToolOutputFile *file : {object.get(), scheduleFile.get()}) {
    if (!file)
      continue;
    file->os().flush();
    if (file->os().has_error()) {
      diag.error(file->outputFilename(), "cannot write output file: " +
                                          file->os().error().message());
      file->os().clear_error();
      return 1;
    }
  }
  object->keep();
  if (scheduleFile)
    scheduleFile->keep();
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  // First, so that --mlir-print-ir-after=gnn-decompose and the like find
  // the passes of the pipelines by name.
  gnn::registerPipelinePasses();
  mlir::registerPassManagerCLOptions();
  mlir::registerDefaultTimingManagerCLOptions();
  cl::HideUnrelatedOptions(gnncCategory);
  // --version names the gnnc that --emit=obj and artifact record.
  cl::SetVersionPrinter([](llvm::raw_ostream &os) {
    os << gnn::version() << "\n  LLVM " << LLVM_VERSION_STRING << "\n";
  });
  cl::ParseCommandLineOptions(argc, argv, "gnnc: GNN model compiler\n");

  DiagnosticEngine diag;
  // Options that only --emit=obj (and artifact) read would otherwise be
  // silently ignored. An artifact keeps its symbols' plain names, which
  // the loader looks up.
  bool emitsObject = emitAction == Emit::Obj || emitAction == Emit::Artifact;
  for (llvm::cl::Option *option : {static_cast<llvm::cl::Option *>(&symbolPrefix),
                                    static_cast<llvm::cl::Option *>(&targetCPU),
                                    static_cast<llvm::cl::Option *>(&targetFeatures)}) {
    bool allowed = option == &symbolPrefix ? emitAction == Emit::Obj
                                           : emitsObject;
    if (option->getNumOccurrences() && !allowed) {
      llvm::errs() << "gnnc: error: --" << option->ArgStr << " applies to "
                   << (option == &symbolPrefix ? "--emit=obj only"
                                               : "--emit=obj and artifact only")
                   << "\n";
      return 1;
    }
  }
  for (llvm::cl::Option *option : {static_cast<llvm::cl::Option *>(&graphFile),
                                    static_cast<llvm::cl::Option *>(&graphVertices)}) {
    if (option->getNumOccurrences() && emitAction != Emit::Stages) {
      llvm::errs() << "gnnc: error: --" << option->ArgStr
                   << " applies to --emit=stages only\n";
      return 1;
    }
  }
  // Before the model is compiled: a plugin that cannot be loaded fails
  // at once.
  if (llvm::Error e = gnn::loadPassPlugins(passPlugins)) {
    reportError(std::move(e));
    return 1;
  }
  if (emitAction == Emit::AST) {
    std::unique_ptr<ModuleAST> ast = parseFile(inputFilename, diag);
    if (!ast)
      return 1;
    return writeOutput(diag, [&](llvm::raw_ostream &os) { dump(*ast, os); });
  }

  ModelOptions options;
  for (const std::string &setting : setOptions) {
    size_t eq = setting.find('=');
    if (eq == std::string::npos || eq == 0) {
      llvm::errs() << "gnnc: error: --set expects NAME=VALUE, got '" << setting
                   << "'\n";
      return 1;
    }
    options.overrides.emplace_back(setting.substr(0, eq),
                                   setting.substr(eq + 1));
  }
  if (inputFeatures.getNumOccurrences())
    options.inputFeatures = inputFeatures;
  if (edgeFeatures.getNumOccurrences())
    options.edgeFeatures = edgeFeatures;
  if (modelName.getNumOccurrences())
    options.modelName = modelName;
  options.libraryPath = layerLibrary;
  if (!weightsFile.empty()) {
    llvm::Expected<gnn::WeightMap> weights = gnn::readSafetensors(weightsFile);
    if (!weights) {
      llvm::errs() << "gnnc: error: " << llvm::toString(weights.takeError())
                   << "\n";
      return 1;
    }
    options.weightShapes = gnn::weightShapes(*weights);
    options.weightsName = weightsFile;
  }

  // On the calling thread, as the Engine compiles (runtime/Engine.cpp).
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      compileModelFile(inputFilename, options, context, diag);
  if (!module)
    return 1;
  if (!passPipeline.empty())
    if (llvm::Error e = gnn::runUserPipeline(*module, passPipeline)) {
      reportError(std::move(e));
      return 1;
    }

  switch (emitAction) {
  case Emit::GNN:
    break;
  case Emit::Params:
    return writeOutput(diag, [&](llvm::raw_ostream &os) {
      for (const ModelParameter &p : getModelParameters(*module)) {
        os << p.name << ' ';
        llvm::interleave(p.shape, os, "x");
        os << '\n';
      }
    });
  case Emit::Stages:
    if (!runPipeline(context, *module, gnn::buildStagePipeline))
      return 1;
    if (!graphFile.empty()) {
      llvm::Expected<int64_t> n =
          graphVertices >= 0 ? llvm::Expected<int64_t>(int64_t(graphVertices))
                             : gnn::countVertices(graphFile);
      llvm::Expected<gnn::Graph> graph =
          n ? gnn::loadGraph(graphFile, *n) : n.takeError();
      if (!graph) {
        reportError(graph.takeError());
        return 1;
      }
      gnn::annotateGatherBlocks(*module, *graph);
    }
    break;
  case Emit::Obj:
    return emitObject(context, *module, diag, /*artifact=*/false);
  case Emit::Artifact:
    return emitObject(context, *module, diag, /*artifact=*/true);
  case Emit::LLVM: {
    mlir::OwningOpRef<mlir::ModuleOp> kernels = lowerKernels(context, *module);
    if (!kernels)
      return 1;
    // As --emit=obj translates them: with each kernel's vector width.
    llvm::LLVMContext llvmContext;
    std::unique_ptr<llvm::Module> llvmModule =
        gnn::translateKernelsToLLVMIR(*kernels, llvmContext);
    if (!llvmModule) {
      llvm::errs() << "gnnc: error: cannot translate the kernels to LLVM IR\n";
      return 1;
    }
    return writeOutput(
        diag, [&](llvm::raw_ostream &os) { llvmModule->print(os, nullptr); });
  }
  case Emit::AST:
    break;
  }
  return writeOutput(diag, [&](llvm::raw_ostream &os) { module->print(os); });
}

//===- gnnc.cpp - The gnnc model compiler driver --------------------------===//
//
// Parses a model file and prints or writes the stage selected by --emit.
//
//===----------------------------------------------------------------------===//

#include "frontend/AST.h"
#include "frontend/Diagnostics.h"
#include "frontend/Parser.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>

namespace cl = llvm::cl;
using namespace gnn::frontend;

// libLLVM registers hundreds of options of its own; --help shows ours only.
static cl::OptionCategory gnncCategory("gnnc options");

static cl::opt<std::string> inputFilename(cl::Positional, cl::Required,
                                          cl::desc("<model file>"),
                                          cl::value_desc("filename"),
                                          cl::cat(gnncCategory));

static cl::opt<std::string> outputFilename("o", cl::desc("Output file"),
                                           cl::value_desc("filename"),
                                           cl::init("-"),
                                           cl::cat(gnncCategory));

namespace {
enum class Emit { AST, GNN, Stages, LLVM, Obj };
} // namespace

static cl::opt<Emit> emitAction(
    "emit", cl::desc("The stage to stop at and print"), cl::init(Emit::Obj),
    cl::values(clEnumValN(Emit::AST, "ast", "the syntax tree"),
               clEnumValN(Emit::GNN, "gnn", "graph-level gnn dialect IR"),
               clEnumValN(Emit::Stages, "stages",
                          "IR decomposed into transform and message_passing "
                          "stages"),
               clEnumValN(Emit::LLVM, "llvm", "LLVM IR"),
               clEnumValN(Emit::Obj, "obj", "an object file")),
    cl::cat(gnncCategory));

static llvm::StringRef getEmitName(Emit emit) {
  switch (emit) {
  case Emit::AST:
    return "ast";
  case Emit::GNN:
    return "gnn";
  case Emit::Stages:
    return "stages";
  case Emit::LLVM:
    return "llvm";
  case Emit::Obj:
    return "obj";
  }
  return "?";
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::HideUnrelatedOptions(gnncCategory);
  cl::ParseCommandLineOptions(argc, argv, "gnnc: GNN model compiler\n");

  // Every stage starts from the syntax tree, so syntax errors are reported
  // whatever --emit asks for.
  DiagnosticEngine diag;
  std::unique_ptr<ModuleAST> module = parseFile(inputFilename, diag);
  if (!module)
    return 1;

  if (emitAction != Emit::AST) {
    llvm::errs() << "gnnc: error: --emit=" << getEmitName(emitAction)
                 << " is not available yet\n";
    return 1;
  }

  std::error_code ec;
  llvm::ToolOutputFile output(outputFilename, ec, llvm::sys::fs::OF_Text);
  if (ec) {
    diag.error(outputFilename, "cannot open output file: " + ec.message());
    return 1;
  }
  dump(*module, output.os());
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

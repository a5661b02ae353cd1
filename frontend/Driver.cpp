//===- Driver.cpp - The frontend's entry points ---------------------------===//
//
// Model file to graph-level IR: parse, load the program with its library,
// elaborate the model (inferring its arguments), trace @forward, verify.
//
//===----------------------------------------------------------------------===//

#include "frontend/Frontend.h"
#include "frontend/IRGen.h"
#include "frontend/Inference.h"
#include "frontend/Parser.h"

#include "dialect/GNNDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"

using namespace gnn::frontend;
using llvm::StringRef;
using llvm::Twine;

static mlir::OwningOpRef<mlir::ModuleOp>
compileModel(std::unique_ptr<ModuleAST> ast, const ModelOptions &options,
             mlir::MLIRContext &context, DiagnosticEngine &diag) {
  if (!ast)
    return nullptr;
  std::string file = *ast->loc().file;
  std::unique_ptr<Program> program =
      Program::load(std::move(ast), diag, options.libraryPath);
  if (!program)
    return nullptr;
  std::optional<StringRef> modelName;
  if (options.modelName)
    modelName = *options.modelName;
  const ClassInfo *cls = program->findModel(modelName, diag);
  if (!cls)
    return nullptr;

  Interpreter interp(*program, diag);
  std::optional<ElaboratedModel> model =
      elaborateInferring(interp, *cls, options, diag);
  if (!model)
    return nullptr;

  int64_t inputFeatures = 0;
  if (options.inputFeatures) {
    inputFeatures = *options.inputFeatures;
    if (inputFeatures <= 0 || inputFeatures > (int64_t(1) << 31)) {
      diag.error(file, "the input feature width must be a positive integer, "
                       "got " +
                           Twine(inputFeatures));
      return nullptr;
    }
  } else {
    auto inChannels = llvm::find_if(model->arguments, [](const auto &arg) {
      return arg.first == "in_channels";
    });
    if (inChannels == model->arguments.end()) {
      diag.error(file, "cannot tell the input feature width; pass "
                       "--input-features");
      return nullptr;
    }
    const Value &v = inChannels->second;
    if (!v.is(Value::Kind::Int) || v.getInt() <= 0 ||
        v.getInt() > (int64_t(1) << 31)) {
      diag.error(file, "cannot tell the input feature width: in_channels is " +
                           v.repr() + "; pass --input-features");
      return nullptr;
    }
    inputFeatures = v.getInt();
  }
  // The edge feature width: --edge-features, else the model's edge_dim
  // (used only if forward() takes edge_attr).
  std::optional<int64_t> edgeFeatures = options.edgeFeatures;
  if (!edgeFeatures) {
    auto edgeDim = llvm::find_if(model->arguments, [](const auto &arg) {
      return arg.first == "edge_dim";
    });
    if (edgeDim != model->arguments.end() &&
        edgeDim->second.is(Value::Kind::Int))
      edgeFeatures = edgeDim->second.getInt();
  }
  if (edgeFeatures &&
      (*edgeFeatures <= 0 || *edgeFeatures > (int64_t(1) << 31))) {
    diag.error(file, "the edge feature width must be a positive integer, "
                     "got " +
                         Twine(*edgeFeatures));
    return nullptr;
  }

  context.loadDialect<gnn::GNNDialect, mlir::func::FuncDialect,
                      mlir::arith::ArithDialect>();
  IRGen gen(context, interp);
  mlir::OwningOpRef<mlir::ModuleOp> module = gen.generate(
      *cls, model->model, collectStateDict(*model->model.getModule()),
      inputFeatures, edgeFeatures);
  if (!module)
    return nullptr;

  // The checks above should make this unreachable; a failure here is a bug
  // in the compiler, reported as such rather than as the user's fault.
  std::string messages;
  {
    mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &d) {
      llvm::raw_string_ostream os(messages);
      os << "\n  " << d.getLocation() << ": " << d;
      return mlir::success();
    });
    if (mlir::failed(mlir::verify(*module))) {
      diag.error(file, "internal compiler error: the generated IR does not "
                       "verify:" +
                           messages);
      return nullptr;
    }
  }
  return module;
}

mlir::OwningOpRef<mlir::ModuleOp>
gnn::frontend::compileModelFile(StringRef path, const ModelOptions &options,
                                mlir::MLIRContext &context,
                                DiagnosticEngine &diag) {
  return compileModel(parseFile(path, diag), options, context, diag);
}

mlir::OwningOpRef<mlir::ModuleOp> gnn::frontend::compileModelSource(
    StringRef source, StringRef fileName, const ModelOptions &options,
    mlir::MLIRContext &context, DiagnosticEngine &diag) {
  return compileModel(parseModule(source, fileName, diag), options, context,
                      diag);
}

std::vector<ModelParameter>
gnn::frontend::getModelParameters(mlir::ModuleOp module) {
  std::vector<ModelParameter> params;
  auto func = module.lookupSymbol<mlir::func::FuncOp>(gnn::kForwardName);
  if (!func)
    return params;
  for (unsigned i = 0; i < func.getNumArguments(); ++i) {
    auto name = func.getArgAttrOfType<mlir::StringAttr>(i, gnn::kParamAttrName);
    auto type =
        llvm::dyn_cast<mlir::RankedTensorType>(func.getArgumentTypes()[i]);
    if (!name || !type)
      continue;
    params.push_back(
        {name.str(),
         std::vector<int64_t>(type.getShape().begin(), type.getShape().end()),
         i});
  }
  return params;
}

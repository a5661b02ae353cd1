//===- fuzz-frontend.cpp - Fuzzing the model-file frontend ----------------===//
//
// The input is a model file. compileModelSource parses it, runs its
// constructors at compile time (within the interpreter's budgets of calls
// and loop iterations) and traces forward() into gnn IR, which it
// verifies; a module it returns must verify again here. Diagnostics are
// dropped. The MLIR context is shared by all runs, as in gnn::Engine.
//
//===----------------------------------------------------------------------===//
#include "FuzzInput.h"

#include "frontend/Frontend.h"

#include "mlir/IR/Verifier.h"

using namespace gnn;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static mlir::MLIRContext *context = [] {
    auto *c = new mlir::MLIRContext();
    c->disableMultithreading();
    return c;
  }();
  llvm::StringRef source(reinterpret_cast<const char *>(data), size);
  frontend::DiagnosticEngine diag(llvm::nulls());
  frontend::ModelOptions options;
  auto module =
      frontend::compileModelSource(source, "fuzz.gnn", options, *context, diag);
  if (module) {
    GNN_FUZZ_CHECK(!diag.hadError());
    GNN_FUZZ_CHECK(mlir::succeeded(mlir::verify(*module)));
  } else {
    GNN_FUZZ_CHECK(diag.hadError());
  }
  return 0;
}

//===- fuzz-object.cpp - Fuzzing Model::loadObject ------------------------===//
//
// The input is an object file as gnnc --emit=obj writes it. Loading links
// it with ORC (LLVM's own object readers), finds `gnn_schedule` and parses
// it; each run makes a JIT, so this target is slow and mostly exercises
// the glue between them. A model that loads must answer its accessors.
//
//===----------------------------------------------------------------------===//
#include "FuzzInput.h"

#include "gnn/Model.h"

using namespace gnn;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef object(reinterpret_cast<const char *>(data), size);
  auto model = Model::loadObject(object, "fuzz.o");
  if (!model) {
    llvm::consumeError(model.takeError());
    return 0;
  }
  GNN_FUZZ_CHECK((*model)->objectCode() == object.str());
  for (const ParamInfo &p : (*model)->parameters())
    for (int64_t d : p.shape)
      GNN_FUZZ_CHECK(d >= 0);
  (void)(*model)->inputShape();
  (void)(*model)->outputShape();
  (void)(*model)->edgeInputShape();
  return 0;
}

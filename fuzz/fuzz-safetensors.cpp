//===- fuzz-safetensors.cpp - Fuzzing the .safetensors reader -------------===//
//
// The input is a weights file; every tensor the reader returns must hold
// exactly the elements its shape names, and no more than the file's bytes
// can hold.
//
//===----------------------------------------------------------------------===//
#include "FuzzInput.h"

#include "gnn/Safetensors.h"

using namespace gnn;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string path = fuzz::writeInput(data, size, "input.safetensors");
  auto weights = readSafetensors(path);
  if (!weights) {
    llvm::consumeError(weights.takeError());
    return 0;
  }
  size_t bytes = 0;
  for (const auto &[name, tensor] : *weights) {
    size_t count = 1;
    for (int64_t d : tensor.shape) {
      GNN_FUZZ_CHECK(d >= 0);
      count *= size_t(d);
    }
    GNN_FUZZ_CHECK(count == tensor.numElements());
    // The narrowest floats in a file (F16, BF16) take 2 bytes an element.
    bytes += count * 2;
    volatile float sink = 0;
    for (size_t i = 0; i < count; ++i)
      sink = sink + tensor.data()[i];
  }
  GNN_FUZZ_CHECK(bytes <= size);
  auto shapes = weightShapes(*weights);
  GNN_FUZZ_CHECK(shapes.size() == weights->size());
  return 0;
}

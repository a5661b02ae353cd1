//===- fuzz-npy.cpp - Fuzzing the .npy reader -----------------------------===//
//
// The input is a .npy file, read by every entry point that takes features
// or edge lists; what they accept must agree with the header they parsed.
//
//===----------------------------------------------------------------------===//
#include "FuzzInput.h"

#include "gnn/Npy.h"

using namespace gnn;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string path = fuzz::writeInput(data, size, "input.npy");

  auto file = openNpy(path);
  if (file) {
    int64_t count = 1;
    bool zero = false;
    for (int64_t d : file->shape) {
      GNN_FUZZ_CHECK(d >= 0);
      zero |= d == 0;
      if (d != 0)
        GNN_FUZZ_CHECK(!__builtin_mul_overflow(count, d, &count));
    }
    GNN_FUZZ_CHECK((zero ? 0 : count) == file->numElements);
    GNN_FUZZ_CHECK(file->itemSize > 0);
    GNN_FUZZ_CHECK(uint64_t(file->numElements) * file->itemSize <= size);
    // Touch every byte the reader vouches for.
    volatile char sink = 0;
    for (int64_t i = 0, e = file->numElements * file->itemSize; i < e; ++i)
      sink = sink ^ file->data[i];
  } else {
    llvm::consumeError(file.takeError());
  }

  for (int rank : {-1, 2}) {
    auto t = readNpyF32(path, rank);
    if (t)
      GNN_FUZZ_CHECK(rank < 0 || t->shape.size() == size_t(rank));
    else
      llvm::consumeError(t.takeError());
  }

  auto m = readNpyInt2D(path);
  if (m)
    GNN_FUZZ_CHECK(m->rows >= 0 && m->cols >= 0 &&
                   m->values.size() == size_t(m->rows * m->cols));
  else
    llvm::consumeError(m.takeError());
  return 0;
}

//===- DenseKernels.h - Dense matmuls through oneDNN ------------*- C++ -*-===//
#ifndef GNN_RUNTIME_DENSEKERNELS_H
#define GNN_RUNTIME_DENSEKERNELS_H

#include "Schedule.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>

namespace gnn::detail {

/// y[rows, out] = act(x[rows, in] * W^T + bias [+ y]), with W in
/// PyTorch's [out, in] layout. oneDNN primitives are created on first use
/// of a shape and epilogue and reused afterwards (creation costs
/// milliseconds; a model calls each once per run). The rows go to the
/// OpenMP threads in blocks of a fixed size, each one single-threaded
/// oneDNN call, so the result is the same bits on any number of threads.
/// A oneDNN error or running out of memory is returned, not thrown.
class DenseLinear {
public:
  DenseLinear();
  ~DenseLinear();
  llvm::Error run(const float *x, int64_t rows, int64_t in,
                  const float *weight, int64_t out, const float *bias, float *y,
                  const DenseEpilogue &epilogue = {},
                  const float *rowScale = nullptr);

private:
  struct Impl;
  std::unique_ptr<Impl> impl;
};

} // namespace gnn::detail

#endif // GNN_RUNTIME_DENSEKERNELS_H

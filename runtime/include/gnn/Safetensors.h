//===- Safetensors.h - Weights in the safetensors format --------*- C++ -*-===//
//
// An 8-byte little-endian header length, a JSON header mapping tensor names
// to {dtype, shape, data_offsets}, then the data. Weights come back as F32
// whatever their dtype: F32, F16 and BF16 (widened exactly) and F64
// (rounded to nearest). Integer and BOOL tensors, such as the I64
// `*.num_batches_tracked` counters of PyTorch's BatchNorm, are buffers no
// parameter can be: checked and dropped. Header length, duplicate names,
// offsets and shapes are validated before any data is read.
//
// scripts/pt-to-safetensors makes such a file from a torch.save'd
// state_dict (docs/weights.md).
//
//===----------------------------------------------------------------------===//
#ifndef GNN_SAFETENSORS_H
#define GNN_SAFETENSORS_H

#include "gnn/Tensor.h"
#include "llvm/Support/Error.h"

#include <map>
#include <string>

namespace gnn {

using WeightMap = std::map<std::string, Tensor>;

/// Reads every floating-point tensor of a safetensors file as F32
/// ("__metadata__" and integer buffers are skipped).
llvm::Expected<WeightMap> readSafetensors(const std::string &path);

/// The shape of every tensor of `weights` (what constructor-argument
/// inference reads: gnnc --weights, CompileOptions::weightShapes).
std::map<std::string, std::vector<int64_t>>
weightShapes(const WeightMap &weights);

/// Writes tensors as F32 safetensors (used by tests and gnn-graph).
llvm::Error writeSafetensors(const std::string &path, const WeightMap &weights);

} // namespace gnn

#endif // GNN_SAFETENSORS_H

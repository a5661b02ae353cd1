//===- Safetensors.h - Weights in the safetensors format --------*- C++ -*-===//
//
// An 8-byte little-endian header length, a JSON header mapping tensor names
// to {dtype, shape, data_offsets}, then the data. Only F32 tensors are
// accepted, except the I64 `*.num_batches_tracked` counters of PyTorch's
// BatchNorm, which are checked and dropped; offsets, shapes and the header
// length are validated.
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

/// Reads every tensor of a safetensors file ("__metadata__" is skipped).
llvm::Expected<WeightMap> readSafetensors(const std::string &path);

/// The shape of every tensor of `weights` (what constructor-argument
/// inference reads: gnnc --weights, CompileOptions::weightShapes).
std::map<std::string, std::vector<int64_t>>
weightShapes(const WeightMap &weights);

/// Writes tensors as F32 safetensors (used by tests and gnn-graph).
llvm::Error writeSafetensors(const std::string &path, const WeightMap &weights);

} // namespace gnn

#endif // GNN_SAFETENSORS_H

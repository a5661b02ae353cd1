//===- Arrays.h - numpy arrays and torch tensors in and out -----*- C++ -*-===//
//
// The bindings take numpy arrays, torch tensors (through their .numpy(),
// so the module never links torch) and anything numpy.asarray accepts.
// Inputs of a run are borrowed, not copied, when they already are what
// the runtime reads; weights are copied, since a model keeps them.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_PYTHON_ARRAYS_H
#define GNN_PYTHON_ARRAYS_H

#include "gnn/Graph.h"
#include "gnn/Safetensors.h"
#include "gnn/Tensor.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>

namespace gnnpy {

/// `obj` as a numpy array, without a copy where one can be avoided: a
/// numpy array as it is, a torch tensor as .detach().cpu().numpy() (which
/// shares a CPU tensor's memory). A bfloat16 tensor, which numpy cannot
/// hold, is widened by torch (exactly) when `widenBfloat16`, else refused.
/// `what` names the argument in error messages.
pybind11::array asArray(pybind11::handle obj, const std::string &what,
                        bool widenBfloat16 = false);

/// `obj` as a float32 [rows, columns] array, any strides; any other dtype
/// or rank is an Error naming `what`.
pybind11::array floatArray2D(pybind11::handle obj, const std::string &what);

/// A float32 [rows, columns] input of one run. `tensor` borrows the array's
/// memory when it is C-contiguous and aligned (no copy), else that of
/// `keep`, a C-contiguous copy (the one copy). Any other dtype or rank is
/// an Error naming `what`. The caller keeps this alive over the run.
struct FloatMatrix {
  pybind11::array keep;
  gnn::Tensor tensor;
};
FloatMatrix floatMatrix(pybind11::handle obj, const std::string &what);

/// Edge features [E, D] (floatArray2D) in the edge order of the graph's
/// edge_index, copied once into the CSR order the kernels read (row k is
/// edge graph.edgeIds()[k]), whatever the array's strides. The reorder
/// needs the copy; there is no second one.
gnn::Tensor edgeRowsToCsr(const gnn::Graph &graph, const pybind11::array &rows);

/// The graph of a PyG edge_index ([2, E], int64 or int32), read in place
/// when each row is contiguous; `numNodes` < 0 means the largest id + 1.
gnn::Graph graphFromEdgeIndex(pybind11::handle edgeIndex, int64_t numNodes);

/// A state_dict (any mapping of str to arrays or tensors) as the runtime's
/// weights: float32 copied, float16 and bfloat16 widened exactly, float64
/// rounded to nearest (as the safetensors reader does), integer and bool
/// entries (BatchNorm's num_batches_tracked) skipped. Other dtypes and
/// non-str keys are an Error.
gnn::WeightMap weightsFromMapping(pybind11::handle mapping);

/// A numpy array that owns `t`'s memory (no copy).
pybind11::array toNumpy(gnn::Tensor t);

/// "[2, 3]" for a numpy array's shape.
std::string shapeText(const pybind11::array &a);

} // namespace gnnpy

#endif // GNN_PYTHON_ARRAYS_H

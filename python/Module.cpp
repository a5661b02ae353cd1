//===- Module.cpp - The gnnc Python module --------------------------------===//
//
// `import gnnc`: compile or load a model, bind a state_dict, run it on
// numpy arrays. The module is a thin layer over the C++ API (gnn/Engine.h,
// gnn/Model.h); docs/python.md describes it.
//
//===----------------------------------------------------------------------===//
#include "Bindings.h"
#include "Errors.h"
#include "gnn/FaultHandlers.h"

namespace py = pybind11;

static const char *kModuleDoc = R"doc(gnnc: full-graph GNN inference with kernels compiled for this CPU.

A PyTorch-Geometric-style model file is compiled into native kernels, given
a state_dict, and run on numpy arrays (or torch tensors):

    import gnnc, numpy as np
    model = gnnc.compile("examples/models/gcn.gnn", in_channels=128)
    model.load_weights(torch_model.state_dict())  # or "weights.safetensors"
    graph = gnnc.Graph(edge_index)                # [2, E] int64, built once
    y = model(graph, x)                           # x: float32 [N, 128]
                                                  # y: float32 [N, 16]

compile(path, **constructor_args)  compile a model file (--set name=value)
load(path)                         load a compiled artifact (gnnc --emit=artifact)
Graph(edge_index, num_nodes=None)  a graph, reused across runs
Model                              load_weights, __call__, parameters, shapes
Error                              every fault, with gnnc's message
UnusedWeightsError                 state_dict entries the model does not use

Results are those of gnn-run on the same inputs, bit for bit: the same
kernels run. See docs/python.md.)doc";

PYBIND11_MODULE(gnnc, m) {
  m.doc() = kModuleDoc;
  // LLVM out of memory while compiling: a gnnc.Error, not an abort of the
  // interpreter (the module owns the process's LLVM).
  gnn::reportLLVMOutOfMemoryAsBadAlloc();
  gnnpy::registerErrors(m);
  gnnpy::registerGraph(m);
  gnnpy::registerModel(m);
  gnnpy::registerCompile(m);
}

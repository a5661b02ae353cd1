//===- Bindings.h - The parts of the gnnc Python module ---------*- C++ -*-===//
//
// Module.cpp makes the module and calls each part's register function:
// the exceptions (Errors.cpp), gnnc.Graph (GraphBinding.cpp), gnnc.Model
// (ModelBinding.cpp) and compile/load (Compile.cpp).
//
//===----------------------------------------------------------------------===//
#ifndef GNN_PYTHON_BINDINGS_H
#define GNN_PYTHON_BINDINGS_H

#include <pybind11/pybind11.h>

namespace gnnpy {

void registerGraph(pybind11::module_ &m);
void registerModel(pybind11::module_ &m);
void registerCompile(pybind11::module_ &m);

} // namespace gnnpy

#endif // GNN_PYTHON_BINDINGS_H

//===- Errors.h - gnnc's faults as Python exceptions ------------*- C++ -*-===//
//
// Every fault the C++ API reports (an llvm::Error) and every bad argument
// the bindings find reaches Python as gnnc.Error, a RuntimeError whose
// text is gnnc's message; entries a model does not use as its subclass
// gnnc.UnusedWeightsError, with the names.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_PYTHON_ERRORS_H
#define GNN_PYTHON_ERRORS_H

#include "llvm/Support/Error.h"

#include <pybind11/pybind11.h>

#include <string>
#include <utility>

namespace gnnpy {

/// Creates gnnc.Error and gnnc.UnusedWeightsError in `m` and teaches
/// pybind11 to translate the exceptions below into them.
void registerErrors(pybind11::module_ &m);

/// A fault with gnnc's message, raised in Python as gnnc.Error.
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Entries a model does not use (gnn::UnusedWeightsError).
struct UnusedWeights : Error {
  UnusedWeights(const std::string &message, std::vector<std::string> names)
      : Error(message), names(std::move(names)) {}
  std::vector<std::string> names;
};

/// Throws `error` as one of the exceptions above; does nothing on success.
/// Callable without the GIL: the Python exception is made where pybind11
/// translates it, after the GIL is taken back.
void throwIfError(llvm::Error error);

template <typename T> T unwrap(llvm::Expected<T> value) {
  if (!value)
    throwIfError(value.takeError());
  return std::move(*value);
}

} // namespace gnnpy

#endif // GNN_PYTHON_ERRORS_H

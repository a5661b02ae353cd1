//===- Errors.cpp - gnnc's faults as Python exceptions --------------------===//

#include "Errors.h"

#include "gnn/Model.h"

namespace py = pybind11;

namespace gnnpy {

void throwIfError(llvm::Error error) {
  std::vector<std::string> unusedNames;
  std::string unusedText;
  error = llvm::handleErrors(
      std::move(error), [&](const gnn::UnusedWeightsError &unused) {
        llvm::raw_string_ostream os(unusedText);
        unused.log(os);
        unusedNames = unused.names();
      });
  if (!unusedText.empty()) {
    llvm::consumeError(std::move(error));
    throw UnusedWeights(unusedText + " (load_weights(..., strict=False) "
                                     "ignores them)",
                        std::move(unusedNames));
  }
  if (error)
    throw Error(llvm::toString(std::move(error)));
}

void registerErrors(py::module_ &m) {
  // Held for the life of the process: the translator below refers to them
  // after the module object may be gone.
  static py::exception<Error> error(m, "Error", PyExc_RuntimeError);
  error.doc() = "A fault gnnc reports: a compiler error, a bad file, an "
                "input of the wrong\nshape or dtype. str(e) is gnnc's "
                "message (a compiler error adds the source\nline and a "
                "caret below its first line).";
  static py::exception<UnusedWeights> unused(m, "UnusedWeightsError",
                                             error.ptr());
  unused.doc() = "Weights given to a model that it has no parameter for "
                 "(torch's\nload_state_dict(strict=True) refuses them too). "
                 "e.names lists them, sorted;\nload_weights(..., "
                 "strict=False) ignores them instead.";
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p)
        std::rethrow_exception(p);
    } catch (const UnusedWeights &e) {
      // An instance, not unused(...), which would only set the message.
      py::object instance = py::handle(unused.ptr())(e.what());
      py::list names;
      for (const std::string &name : e.names)
        names.append(name);
      instance.attr("names") = names;
      PyErr_SetObject(unused.ptr(), instance.ptr());
    } catch (const Error &e) {
      error(e.what());
    }
  });
}

} // namespace gnnpy

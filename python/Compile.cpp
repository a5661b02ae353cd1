//===- Compile.cpp - gnnc.compile and gnnc.load ---------------------------===//
//
// compile() runs the compiler of one gnn::Engine per process (its MLIR
// context and kernel cache are for the process); load() reads an artifact
// with no compiler at all.
//
//===----------------------------------------------------------------------===//
#include "Arrays.h"
#include "Bindings.h"
#include "Errors.h"

#include "gnn/Engine.h"

#include "llvm/Support/MemoryBuffer.h"

#include <dlfcn.h>

namespace py = pybind11;

namespace gnnpy {

/// Never destroyed: Models outlive it anyway (they do not refer to it),
/// and tearing down an MLIR context during interpreter exit gains nothing.
static gnn::Engine &engine() {
  static gnn::Engine *instance = new gnn::Engine();
  return *instance;
}

/// Pass plugins resolve the gnn dialect's and MLIR's symbols in the
/// process (gnnc and gnn-run export theirs), but Python loads extension
/// modules with RTLD_LOCAL: this module's symbols are made global once,
/// before the first plugin loads.
static void exportSymbolsForPlugins() {
  static bool done = [] {
    Dl_info self;
    if (dladdr(reinterpret_cast<void *>(&exportSymbolsForPlugins), &self) &&
        self.dli_fname)
      dlopen(self.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_GLOBAL);
    return true;
  }();
  (void)done;
}

/// A str or os.PathLike argument as a path.
static std::string pathArgument(py::handle obj, const char *what) {
  if (!py::isinstance<py::str>(obj) && !py::hasattr(obj, "__fspath__"))
    throw Error(std::string(what) + ": expected a path, got " +
                std::string(py::repr(obj)));
  return py::str(py::module_::import("os").attr("fspath")(obj));
}

/// A constructor argument's value as `--set` text, in the model language.
static std::string argumentText(const std::string &name, py::handle value) {
  if (value.is_none())
    return "None";
  if (py::isinstance<py::bool_>(value))
    return value.cast<bool>() ? "True" : "False";
  // 32, 0.5, 1e-05: Python's spelling of numbers is the language's; numpy
  // scalars are taken as the int or float they hold.
  if (py::hasattr(value, "__index__"))
    return py::str(value.attr("__index__")());
  if (py::isinstance<py::float_>(value) || py::hasattr(value, "__float__"))
    return py::str(py::float_(py::reinterpret_borrow<py::object>(value)));
  if (py::isinstance<py::str>(value))
    return value.cast<std::string>(); // already written in the language
  throw Error("compile: constructor argument " + name + "=" +
              std::string(py::repr(value)) +
              " is not an int, float, bool, None or str");
}

/// A width given to compile(): an integer, or None for the default.
static std::optional<int64_t> widthArgument(py::handle value,
                                            const char *name) {
  if (value.is_none())
    return std::nullopt;
  if (py::isinstance<py::bool_>(value) || !py::hasattr(value, "__index__"))
    throw Error(std::string("compile: ") + name + " must be an integer, got " +
                std::string(py::repr(value)));
  int64_t width = py::cast<int64_t>(value.attr("__index__")());
  if (width <= 0)
    throw Error(std::string("compile: ") + name + " must be positive, got " +
                std::to_string(width));
  return width;
}

/// Keyword arguments of compile() that are not constructor arguments.
static bool takeOption(py::kwargs &kwargs, const char *name, py::object &out) {
  if (!kwargs.contains(name))
    return false;
  out = kwargs[name];
  PyDict_DelItemString(kwargs.ptr(), name);
  return true;
}

static std::unique_ptr<gnn::Model> compile(py::object pathObj,
                                           py::kwargs kwargs) {
  std::string path = pathArgument(pathObj, "compile");
  gnn::CompileOptions options;
  py::object value;
  if (takeOption(kwargs, "model_name", value) && !value.is_none()) {
    if (!py::isinstance<py::str>(value))
      throw Error("compile: model_name must be a str, got " +
                  std::string(py::repr(value)));
    options.modelName = py::str(value);
  }
  if (takeOption(kwargs, "input_features", value))
    options.inputFeatures = widthArgument(value, "input_features");
  if (takeOption(kwargs, "edge_features", value))
    options.edgeFeatures = widthArgument(value, "edge_features");
  if (takeOption(kwargs, "pass_pipeline", value) && !value.is_none()) {
    if (!py::isinstance<py::str>(value))
      throw Error("compile: pass_pipeline must be a str, got " +
                  std::string(py::repr(value)));
    options.passPipeline = py::str(value);
  }
  if (takeOption(kwargs, "pass_plugins", value) && !value.is_none()) {
    if (py::isinstance<py::str>(value) || !py::isinstance<py::iterable>(value))
      throw Error("compile: pass_plugins must be a list of paths, got " +
                  std::string(py::repr(value)));
    for (py::handle plugin : value)
      options.passPlugins.push_back(pathArgument(plugin, "compile: pass_plugins"));
    if (!options.passPlugins.empty())
      exportSymbolsForPlugins();
  }
  std::optional<gnn::WeightMap> weights;
  std::string weightsName = "weights";
  if (takeOption(kwargs, "weights", value) && !value.is_none()) {
    if (py::isinstance<py::str>(value) || py::hasattr(value, "__fspath__")) {
      weightsName = pathArgument(value, "weights");
      py::gil_scoped_release unlocked;
      weights = unwrap(gnn::readSafetensors(weightsName));
    } else {
      weights = weightsFromMapping(value);
    }
    // Constructor arguments not given follow the weights' shapes.
    options.weightShapes = gnn::weightShapes(*weights);
    options.weightsName = weightsName;
  }
  for (auto item : kwargs) {
    std::string name = py::str(item.first);
    options.overrides.emplace_back(name, argumentText(name, item.second));
  }

  py::gil_scoped_release unlocked;
  std::unique_ptr<gnn::Model> model =
      unwrap(engine().compileFile(path, options));
  if (weights)
    throwIfError(model->bindWeights(std::move(*weights), weightsName));
  return model;
}

static std::unique_ptr<gnn::Model> load(py::object pathObj) {
  std::string path = pathArgument(pathObj, "load");
  py::gil_scoped_release unlocked;
  auto bytes = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                           /*RequiresNullTerminator=*/false);
  if (!bytes)
    throw Error(path + ": cannot read file: " + bytes.getError().message());
  return unwrap(gnn::Model::loadObject((*bytes)->getBuffer(), path));
}

static const char *kCompileDoc = R"doc(compile(path, *, weights=None, input_features=None, edge_features=None, model_name=None, pass_plugins=(), pass_pipeline=None, **constructor_args) -> gnnc.Model

Compiles a model file (the model language, a PyG-style .py or .gnn file;
docs/language.md) into native kernels for this CPU.

constructor_args are the model class's __init__ arguments, as gnn-run's
`--set name=value`: gnnc.compile("gcn.gnn", in_channels=33, hidden=17).
Values are int, float, bool or None (or a str holding model-language text).
Arguments not given come from `weights` (below), else from __init__'s
defaults.

The kernels are specialised to the width of x: it is in_channels unless
input_features says otherwise; edge_features likewise gives the width of
edge_attr for a model without an edge_dim argument. model_name picks the
class when the file defines several models.

weights (a .safetensors path or a state_dict, as Model.load_weights takes)
fills in the integer constructor arguments left open from their shapes (a
state_dict trained with hidden=16 compiles for hidden=16), and is then
bound, strictly.

pass_plugins (paths of pass plugins, gnnc's --load-pass-plugin) and
pass_pipeline (a textual pipeline such as
"builtin.module(func.func(gnn-fold-unit-mul))", gnnc's --pass-pipeline)
run a researcher's passes on the graph-level IR before the standard
pipeline (docs/passes.md).

Compiled kernels are cached on disk (~/.cache/gnnc; GNNC_CACHE=0 turns the
cache off, GNNC_CACHE_DIR moves it). Compiler errors raise gnnc.Error with
gnnc's report: `FILE:LINE:COL: error: MESSAGE`, the source line and a caret.)doc";

static const char *kLoadDoc = R"doc(load(path) -> gnnc.Model

A model compiled before, by `gnnc MODEL --emit=artifact -o M.gnnc` or
Model.save: its kernels are linked into memory with no compiler. An artifact
built for CPU features this host lacks, or of another format version, raises
gnnc.Error naming both, and is never run.)doc";

void registerCompile(py::module_ &m) {
  m.def("compile", &compile, py::arg("path"), kCompileDoc);
  m.def("load", &load, py::arg("path"), kLoadDoc);
}

} // namespace gnnpy

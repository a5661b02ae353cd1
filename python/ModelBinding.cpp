//===- ModelBinding.cpp - gnnc.Model: weights, attributes and runs --------===//
//
// A compiled model (gnn::Model) as Python sees it. Runs release the GIL:
// other Python threads go on while the kernels work, and calls on one
// model take turns inside it.
//
//===----------------------------------------------------------------------===//
#include "Arrays.h"
#include "Bindings.h"
#include "Errors.h"

#include "gnn/Model.h"

#include <pybind11/stl.h>

#include <fstream>
#include <limits>

namespace py = pybind11;

namespace gnnpy {

static const char *kModelDoc = R"doc(A compiled model: native kernels for this CPU, a schedule of stages, and
(after load_weights) its weights. Made by gnnc.compile or gnnc.load.

    model.load_weights(state_dict)          # or a .safetensors path
    y = model(graph, x)                     # numpy float32 [N, C]
    y = model(graph, x, edge_attr)          # models that take edge features

Attributes: parameters, input_shape, output_shape, takes_edge_attr,
edge_input_shape, threads, gather_blocks, compile_stats. A model may be
called from several threads; calls on one model take turns, different models
run concurrently.)doc";

static const char *kLoadWeightsDoc = R"doc(load_weights(weights, strict=True)

Binds the model's weights by their state_dict names (model.parameters).
`weights` is a .safetensors path (str or os.PathLike) or a mapping of names
to numpy arrays or torch tensors: a torch model's state_dict() as it is.
float32 values are copied; float16 and bfloat16 widen exactly and float64
rounds to float32 (as the .safetensors reader does); integer and bool
entries (BatchNorm's num_batches_tracked) are skipped.

Binding is strict, as torch's load_state_dict(strict=True): a missing or
misshapen weight raises gnnc.Error, an entry the model has no parameter for
raises gnnc.UnusedWeightsError (its .names lists them). strict=False ignores
such entries; missing and misshapen weights are errors either way. On any
error the weights bound before stay bound.)doc";

static const char *kCallDoc = R"doc(model(graph, x, edge_attr=None) -> numpy.ndarray

Full-graph inference: one output row per vertex, float32 [N, *output_shape].

graph is a gnnc.Graph of N vertices. x is float32 [N, F] with F =
input_shape[0] (a numpy array or a torch tensor): read in place when it is
C-contiguous, else copied once. edge_attr, for a model that takes edge
features (takes_edge_attr), is float32 [E, D] in the edge order of the
graph's edge_index (for a binary CSR file, its edge order); it is copied
once into the graph's CSR order. On a reordered graph (gnn-graph convert
--reorder) x and the output stay in the original vertex order: x is copied
into the graph's order and the output copied back. Inputs are
only read, and not kept. Other dtypes are refused, not converted. The GIL is
released while the kernels run. Faults raise gnnc.Error.)doc";

static py::tuple shapeTuple(const std::vector<int64_t> &shape) {
  py::tuple t(shape.size());
  for (size_t i = 0; i < shape.size(); ++i)
    t[i] = shape[i];
  return t;
}

/// A path argument (str or os.PathLike), or nullopt for anything else.
static std::optional<std::string> pathOf(py::handle obj) {
  if (py::isinstance<py::str>(obj) || py::hasattr(obj, "__fspath__"))
    return py::str(py::module_::import("os").attr("fspath")(obj));
  return std::nullopt;
}

static void loadWeights(gnn::Model &model, py::handle weights, bool strict) {
  gnn::UnusedWeights unused =
      strict ? gnn::UnusedWeights::Reject : gnn::UnusedWeights::Ignore;
  if (std::optional<std::string> path = pathOf(weights)) {
    py::gil_scoped_release unlocked;
    throwIfError(model.loadWeights(*path, unused));
    return;
  }
  gnn::WeightMap map = weightsFromMapping(weights);
  py::gil_scoped_release unlocked;
  throwIfError(model.bindWeights(std::move(map), "weights", unused));
}

static py::array run(gnn::Model &model, const gnn::Graph &graph, py::handle x,
                     py::handle edgeAttr) {
  FloatMatrix features = floatMatrix(x, "x");
  int64_t rows = features.tensor.shape[0], width = features.tensor.shape[1];
  if (rows != graph.numVertices())
    throw Error("x: has " + std::to_string(rows) + " rows but the graph has " +
                std::to_string(graph.numVertices()) + " vertices");
  if (model.inputShape() != std::vector<int64_t>{width})
    throw Error("x: has " + std::to_string(width) +
                " features per vertex but the model expects " +
                gnn::formatShape(model.inputShape()) +
                " (compile it for this width: gnnc.compile(path, "
                "in_channels=" + std::to_string(width) + "))");
  std::optional<gnn::Tensor> edgeCsr;
  if (model.takesEdgeFeatures() && edgeAttr.is_none())
    throw Error("the model's forward() takes edge features: pass edge_attr "
                "(float32 [" + std::to_string(graph.numEdges()) + ", " +
                std::to_string(model.edgeInputShape().front()) + "])");
  if (!model.takesEdgeFeatures() && !edgeAttr.is_none())
    throw Error("edge_attr given, but the model's forward() takes no edge "
                "features");
  if (!edgeAttr.is_none()) {
    py::array edgeRows = asArray(edgeAttr, "edge_attr");
    // PyG's edge_weight shape [E] is one feature per edge.
    if (edgeRows.ndim() == 1)
      edgeRows = py::array(edgeRows.attr("reshape")(-1, 1));
    edgeRows = floatArray2D(edgeRows, "edge_attr");
    int64_t d = edgeRows.shape(1);
    if (model.edgeInputShape() != std::vector<int64_t>{d})
      throw Error("edge_attr: has " + std::to_string(d) +
                  " features per edge but the model expects " +
                  gnn::formatShape(model.edgeInputShape()));
    edgeCsr = edgeRowsToCsr(graph, edgeRows);
  }
  gnn::Tensor output;
  {
    py::gil_scoped_release unlocked; // `features` keeps x referenced
    // A reordered graph (a CSR file from gnn-graph convert --reorder) runs
    // in its own vertex order; x and the result are in the original one
    // (the run puts its rows back, into memory an earlier run mapped).
    gnn::Tensor x = unwrap(
        gnn::rowsToGraphOrder(graph, std::move(features.tensor), "x"));
    model.setOriginalOrderOutput(true);
    output = unwrap(edgeCsr ? model.run(graph, x, *edgeCsr)
                            : model.run(graph, x));
  }
  return toNumpy(std::move(output));
}

static py::dict compileStats(const gnn::Model &model) {
  const gnn::CompileStats &c = model.compileStats();
  py::dict d;
  d["total_seconds"] = c.totalSeconds;
  d["frontend_seconds"] = c.frontendSeconds;
  d["lowering_seconds"] = c.lowerSeconds;
  d["codegen_seconds"] = c.codegenSeconds;
  d["load_seconds"] = c.loadSeconds;
  d["cache_hit"] = c.cacheHit;
  d["cache_file"] = c.cacheFile;
  d["cache_message"] = c.cacheMessage;
  return d;
}

static void save(const gnn::Model &model, py::handle pathObj) {
  std::optional<std::string> path = pathOf(pathObj);
  if (!path)
    throw Error("save: expected a path, got " + std::string(py::repr(pathObj)));
  // Written beside and renamed: a reader never sees half an artifact.
  std::string partial = *path + ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    const std::string &object = model.objectCode();
    out.write(object.data(), object.size());
    out.close();
    if (!out) {
      std::remove(partial.c_str());
      throw Error(*path + ": cannot write the compiled model");
    }
  }
  if (std::rename(partial.c_str(), path->c_str()) != 0) {
    std::remove(partial.c_str());
    throw Error(*path + ": cannot write the compiled model");
  }
}

/// The integer in [0, most] that attribute `name` is set to; a non-integer
/// or a value out of range raises, the message naming the attribute and
/// saying what it takes (`expected`).
static int settingInRange(const char *name, py::handle value, long long most,
                          const std::string &expected) {
  if (!py::isinstance<py::int_>(value) || py::isinstance<py::bool_>(value))
    throw Error(std::string(name) + ": expected an integer, got " +
                std::string(py::repr(value)));
  int overflow = 0;
  long long n = PyLong_AsLongLongAndOverflow(value.ptr(), &overflow);
  if (overflow || n < 0 || n > most)
    throw Error(std::string(name) + ": " + std::string(py::repr(value)) +
                " is not " + expected);
  return int(n);
}

/// Model.threads = n: 0 (all hardware threads) or a positive count.
static void setThreads(gnn::Model &model, py::handle threads) {
  model.setThreads(settingInRange("threads", threads,
                                  std::numeric_limits<int>::max(),
                                  "0 (all hardware threads) or a positive "
                                  "count"));
}

/// Model.gather_blocks = n: 0 (the cost model), 1 (never) or a count.
static void setGatherBlocks(gnn::Model &model, py::handle blocks) {
  model.setGatherBlocks(settingInRange(
      "gather_blocks", blocks, gnn::kMaxGatherBlocks,
      "0 (the cost model decides), 1 (never) or a block count up to " +
          std::to_string(gnn::kMaxGatherBlocks)));
}

void registerModel(py::module_ &m) {
  py::class_<gnn::Model>(m, "Model", kModelDoc)
      .def("load_weights", &loadWeights, py::arg("weights"),
           py::arg("strict") = true, kLoadWeightsDoc)
      .def("__call__", &run, py::arg("graph"), py::arg("x"),
           py::arg("edge_attr") = py::none(), kCallDoc)
      .def_property_readonly(
          "parameters",
          [](const gnn::Model &model) {
            py::dict d; // in state_dict order
            for (const gnn::ParamInfo &p : model.parameters())
              d[py::str(p.name)] = shapeTuple(p.shape);
            return d;
          },
          "The weights the model needs: {state_dict name: shape}, in "
          "state_dict order,\nwith PyTorch's shapes (Linear.weight is "
          "(out, in)).")
      .def_property_readonly(
          "input_shape",
          [](const gnn::Model &model) { return shapeTuple(model.inputShape()); },
          "The shape of one row of x: (F,).")
      .def_property_readonly(
          "output_shape",
          [](const gnn::Model &model) { return shapeTuple(model.outputShape()); },
          "The shape of one output row: (C,) for an [N, C] output.")
      .def_property_readonly("takes_edge_attr", &gnn::Model::takesEdgeFeatures,
                             "Whether forward() takes edge features "
                             "(edge_attr).")
      .def_property_readonly(
          "edge_input_shape",
          [](const gnn::Model &model) -> py::object {
            if (!model.takesEdgeFeatures())
              return py::none();
            return shapeTuple(model.edgeInputShape());
          },
          "The shape of one row of edge_attr, (D,); None for a model without "
          "edge features.")
      .def_property("threads", &gnn::Model::getThreads, &setThreads,
                    "Worker threads of a run (kernels and oneDNN); 0, the "
                    "default, means all\nhardware threads. Results do not "
                    "depend on it.")
      .def_property("gather_blocks", &gnn::Model::getGatherBlocks,
                    &setGatherBlocks,
                    "Source blocks of the message stages' gathers: 0, the "
                    "default, lets the\ncost model choose per stage and "
                    "graph; 1 never blocks; N forces N. Sums\nare regrouped "
                    "by blocks (docs/passes.md, gnn-outline-kernels).")
      .def_property_readonly("compile_stats", &compileStats,
                             "Where the time to make the model went (seconds "
                             "per phase) and whether\nits kernels came from "
                             "the kernel cache.")
      .def("save", &save, py::arg("path"),
           "save(path)\n\nWrites the compiled model as `gnnc --emit=artifact` "
           "does: gnnc.load and\n`gnn-run --compiled` run it with no compiler, "
           "on a host with this CPU's\nfeatures.")
      .def("__repr__", [](const gnn::Model &model) {
        return "<gnnc.Model input_shape=" +
               gnn::formatShape(model.inputShape()) + " output_shape=" +
               gnn::formatShape(model.outputShape()) + " parameters=" +
               std::to_string(model.parameters().size()) + ">";
      });
}

} // namespace gnnpy

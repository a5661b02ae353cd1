//===- GraphBinding.cpp - gnnc.Graph: a PyG edge_index as a CSR -----------===//
//
// Built once from the edge_index and reused by every run, as gnn-run
// builds its CSR once per graph file.
//
//===----------------------------------------------------------------------===//
#include "Arrays.h"
#include "Bindings.h"
#include "Errors.h"

#include "gnn/Graph.h"

namespace py = pybind11;

namespace gnnpy {

static const char *kGraphDoc = R"doc(A graph for gnnc models, built once and reused by every run.

Graph(edge_index, num_nodes=None)

edge_index is PyG's: a [2, E] array of int64 or int32 ids (a numpy array or a
torch tensor), row 0 the source of each edge, row 1 its target. num_nodes is
the vertex count N; by default the largest id + 1 (as PyG's maybe_num_nodes).
Every id must lie in [0, N), and N below 2^31.

The edges are kept as a CSR grouped by target (the in-edges of each vertex in
edge_index order, self loops and duplicates as given); the edge_index itself
is read in place (no copy when each of its rows is contiguous) and not kept.
Edge features given to a run follow the order of edge_index.)doc";

/// The num_nodes argument: -1 for None, else a non-negative integer.
static int64_t numNodesArg(py::handle numNodes) {
  if (numNodes.is_none())
    return -1;
  if (!py::isinstance<py::int_>(numNodes) && !py::hasattr(numNodes, "__index__"))
    throw Error("num_nodes: expected an integer, got " +
                std::string(py::repr(numNodes)));
  py::object index = numNodes.attr("__index__")();
  // Beyond int64 the vertex check below could not say what it got.
  int overflow = 0;
  long long n = PyLong_AsLongLongAndOverflow(index.ptr(), &overflow);
  if (overflow)
    throw Error("num_nodes: " + std::string(py::repr(index)) +
                " is not below 2^31");
  if (n < 0)
    throw Error("num_nodes: " + std::to_string(n) + " is negative");
  return n;
}

void registerGraph(py::module_ &m) {
  py::class_<gnn::Graph>(m, "Graph", kGraphDoc)
      .def(py::init([](py::object edgeIndex, py::object numNodes) {
             return graphFromEdgeIndex(edgeIndex, numNodesArg(numNodes));
           }),
           py::arg("edge_index"), py::arg("num_nodes") = py::none())
      .def_static(
          "load",
          [](const std::string &path, py::object numNodes) {
            int64_t n = numNodesArg(numNodes);
            if (n < 0)
              n = unwrap(gnn::countVertices(path));
            return unwrap(gnn::loadGraph(path, n));
          },
          py::arg("path"), py::arg("num_nodes") = py::none(),
          "Graph.load(path, num_nodes=None): a graph file as gnn-run reads "
          "--graph: an edge_index .npy, a text edge list, or a binary CSR "
          "file (gnn-graph convert), which is memory-mapped, not copied. "
          "num_nodes defaults to the file's (CSR) or the largest id + 1. "
          "A reordered CSR file (convert --reorder) keeps its permutation: "
          "runs take x and return rows in the original vertex order.")
      .def_property_readonly("num_nodes", &gnn::Graph::numVertices,
                             "The vertex count N: the rows of x and of the "
                             "output.")
      .def_property_readonly("num_edges", &gnn::Graph::numEdges,
                             "The edge count E: the rows of edge_attr.")
      .def_property_readonly(
          "reordered", &gnn::Graph::isReordered,
          "Whether the graph is stored with its vertices renumbered "
          "(gnn-graph convert --reorder); runs still take and return rows "
          "in the original vertex order.")
      .def("__repr__", [](const gnn::Graph &g) {
        return "gnnc.Graph(num_nodes=" + std::to_string(g.numVertices()) +
               ", num_edges=" + std::to_string(g.numEdges()) + ")";
      });
}

} // namespace gnnpy

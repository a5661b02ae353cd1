//===- run-object.cpp - A compiled model run with no compiler -------------===//
//
//   gnn-run-object MODEL.gnnc GRAPH.npy FEATURES.npy WEIGHTS.safetensors
//                  [OUTPUT.npy]
//
// Runs a compiled model that `gnnc --emit=artifact` wrote (or an object
// file of `gnnc --emit=obj`, or Model::objectCode of a model compiled
// elsewhere) on a graph: binds the weights of a PyG
// state_dict, runs inference and prints a checksum of the output (and
// writes it). It uses only the public headers gnn/Model.h, Graph.h and
// Npy.h and links only the CMake target GNNRuntime: neither MLIR nor the
// compiler is in the process.
//
//===----------------------------------------------------------------------===//
#include "gnn/Graph.h"
#include "gnn/Model.h"
#include "gnn/Npy.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

/// Prints an error's text and exits. gnn's errors name the file at fault.
static void exitOnError(llvm::Error error) {
  if (error) {
    std::fprintf(stderr, "%s\n", llvm::toString(std::move(error)).c_str());
    std::exit(1);
  }
}

template <typename T> static T exitOnError(llvm::Expected<T> value) {
  exitOnError(value.takeError());
  return std::move(*value);
}

int main(int argc, char **argv) {
  if (argc != 5 && argc != 6) {
    std::fprintf(stderr, "usage: %s MODEL.gnnc GRAPH.npy FEATURES.npy "
                         "WEIGHTS.safetensors [OUTPUT.npy]\n", argv[0]);
    return 2;
  }
  std::string objectPath = argv[1], graphPath = argv[2],
              featuresPath = argv[3], weightsPath = argv[4];

  // 1. The model: the object's kernels, linked into this process, and
  //    its schedule, checked against this host.
  std::unique_ptr<gnn::Model> model =
      exitOnError(gnn::Model::loadArtifact(objectPath));

  // 2. Data and weights, as for a model compiled in the process.
  gnn::Tensor features = exitOnError(gnn::readNpyF32(featuresPath, 2));
  gnn::Graph graph =
      exitOnError(gnn::loadGraph(graphPath, /*numVertices=*/features.shape[0]));
  // A graph stored reordered (gnn-graph convert --reorder) runs in its own
  // vertex order: the rows go into it (the same tensor, if it is not).
  features = exitOnError(
      gnn::rowsToGraphOrder(graph, std::move(features), featuresPath));
  for (const gnn::ParamInfo &p : model->parameters())
    std::printf("parameter %s %s\n", p.name.c_str(),
                gnn::formatShape(p.shape).c_str());
  exitOnError(model->loadWeights(weightsPath));

  // 3. Run: one output row per vertex.
  gnn::RunStats stats;
  gnn::Tensor output = exitOnError(model->run(graph, features, &stats));
  // Back into the user's vertex order.
  output = exitOnError(
      gnn::rowsToOriginalOrder(graph, std::move(output), "the output"));
  double sum = 0, sumAbs = 0;
  for (size_t i = 0; i < output.numElements(); ++i) {
    sum += output.data()[i];
    sumAbs += std::fabs(output.data()[i]);
  }
  std::printf("loaded %s in %.3f s, compiled by %s\n", objectPath.c_str(),
              model->compileStats().loadSeconds,
              model->compilerVersion().c_str());
  std::printf("output: %s, checksum sum=%.6e sum|x|=%.6e\n",
              gnn::formatShape(output.shape).c_str(), sum, sumAbs);

  if (argc == 6)
    exitOnError(gnn::writeNpyF32(argv[5], output.data(), output.shape));
  return 0;
}

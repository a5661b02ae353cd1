//===- embed-example.cpp - Full-graph GNN inference from a host program ---===//
//
//   gnn-embed-example MODEL.gnn GRAPH.npy FEATURES.npy WEIGHTS.safetensors
//                     [OUTPUT.npy]
//
// Loads a graph (PyG edge_index) and its vertex features, compiles the
// model for the features' width, binds the weights of a PyG state_dict,
// runs inference and prints a checksum of the output (and writes it).
// It uses only the public headers gnn/Engine.h, Graph.h and Npy.h.
//
//===----------------------------------------------------------------------===//
#include "gnn/Engine.h"
#include "gnn/Graph.h"
#include "gnn/Npy.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

/// Prints an error's text and exits. gnn's errors name the file at fault;
/// compiler errors are multi-line (file:line:col, the line, a caret).
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
    std::fprintf(stderr, "usage: %s MODEL.gnn GRAPH.npy FEATURES.npy "
                         "WEIGHTS.safetensors [OUTPUT.npy]\n", argv[0]);
    return 2;
  }
  std::string modelPath = argv[1], graphPath = argv[2],
              featuresPath = argv[3], weightsPath = argv[4];

  // 1. Data: features [N, F] fix the vertex count the graph is checked
  //    against.
  gnn::Tensor features = exitOnError(gnn::readNpyF32(featuresPath, 2));
  gnn::Graph graph =
      exitOnError(gnn::loadGraph(graphPath, /*numVertices=*/features.shape[0]));
  // A graph stored reordered (gnn-graph convert --reorder) runs in its own
  // vertex order: the rows go into it (the same tensor, if it is not).
  features = exitOnError(
      gnn::rowsToGraphOrder(graph, std::move(features), featuresPath));

  // 2. Compile. The kernels are specialised to the feature width, so it is
  //    a compile option. A second run finds the kernels in the disk cache.
  gnn::Engine engine; // all hardware threads, default cache
  gnn::CompileOptions options;
  options.inputFeatures = features.shape[1];
  std::unique_ptr<gnn::Model> model =
      exitOnError(engine.compileFile(modelPath, options));
  const gnn::CompileStats &compile = model->compileStats();
  std::printf("compiled %s in %.3f s (%s)\n", modelPath.c_str(),
              compile.totalSeconds,
              compile.cacheHit ? "kernel cache hit" : "no cache hit");

  // 3. Weights, by their PyG state_dict names.
  for (const gnn::ParamInfo &p : model->parameters())
    std::printf("parameter %s %s\n", p.name.c_str(),
                gnn::formatShape(p.shape).c_str());
  exitOnError(model->loadWeights(weightsPath));

  // 4. Run: one output row per vertex.
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
  std::printf("inference: %.3f s over %lld vertices, %lld edges\n",
              stats.totalSeconds, (long long)graph.numVertices(),
              (long long)graph.numEdges());
  std::printf("output: %s, checksum sum=%.6e sum|x|=%.6e\n",
              gnn::formatShape(output.shape).c_str(), sum, sumAbs);

  if (argc == 6)
    exitOnError(gnn::writeNpyF32(argv[5], output.data(), output.shape));
  return 0;
}

// gnnc's steady state for bench/: one process compiles a model through the
// public embedding API (gnn/Engine.h), then runs full-graph inference RUNS
// times after a first run, the way the PyTorch peers are timed.
//
//   gnnc-repeat MODEL.gnn GRAPH.npy FEATURES.npy WEIGHTS.safetensors
//               THREADS RUNS [OUTPUT.npy]
//
// Prints one JSON object: the CSR build, the first run, every timed run
// with its stages and its memory mapping (both inside its time, as in
// `gnn-run --stats`), and the output's checksum.
#include "gnn/Engine.h"
#include "gnn/Graph.h"
#include "gnn/Npy.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

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

static void printRun(const gnn::RunStats &stats) {
  std::printf("{\"seconds\": %.6f, \"memory_ms\": %.3f, \"stages_ms\": [",
              stats.totalSeconds, stats.memorySeconds * 1e3);
  for (size_t i = 0; i < stats.stages.size(); ++i)
    std::printf("%s%.3f", i ? ", " : "", stats.stages[i].seconds * 1e3);
  std::printf("]}");
}

int main(int argc, char **argv) {
  if (argc != 7 && argc != 8) {
    std::fprintf(stderr, "usage: %s MODEL.gnn GRAPH.npy FEATURES.npy "
                         "WEIGHTS.safetensors THREADS RUNS [OUTPUT.npy]\n", argv[0]);
    return 2;
  }
  auto start = std::chrono::steady_clock::now();
  gnn::Tensor features = exitOnError(gnn::readNpyF32(argv[3], 2));
  auto csrStart = std::chrono::steady_clock::now();
  gnn::Graph graph = exitOnError(gnn::loadGraph(argv[2], features.shape[0]));
  // A reordered CSR file runs in its own vertex order (outside the timing).
  features = exitOnError(gnn::rowsToGraphOrder(graph, std::move(features), argv[3]));
  double csrSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - csrStart).count();

  gnn::EngineOptions engineOptions;
  engineOptions.threads = std::atoi(argv[5]);
  gnn::Engine engine(engineOptions);
  gnn::CompileOptions options;
  options.inputFeatures = features.shape[1];
  std::unique_ptr<gnn::Model> model = exitOnError(engine.compileFile(argv[1], options));
  exitOnError(model->loadWeights(argv[4]));

  gnn::RunStats first;
  gnn::Tensor output = exitOnError(model->run(graph, features, &first));
  double toFirst = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("{\"compile_s\": %.6f, \"cache_hit\": %s, \"time_to_first_result_s\": %.6f,\n"
              " \"csr_build_s\": %.6f, \"first\": ", model->compileStats().totalSeconds,
              model->compileStats().cacheHit ? "true" : "false", toFirst, csrSeconds);
  printRun(first);
  std::printf(",\n \"runs\": [");
  int runs = std::atoi(argv[6]);
  for (int r = 0; r < runs; ++r) {
    gnn::RunStats stats;
    output = exitOnError(model->run(graph, features, &stats));
    std::printf("%s", r ? ",\n   " : "");
    printRun(stats);
  }
  output = exitOnError(gnn::rowsToOriginalOrder(graph, std::move(output), "the output"));
  double sum = 0, sumAbs = 0;
  for (size_t i = 0; i < output.numElements(); ++i) {
    sum += output.data()[i];
    sumAbs += std::fabs(output.data()[i]);
  }
  std::printf("],\n \"checksum\": [%.6e, %.6e]}\n", sum, sumAbs);
  if (argc == 8)
    exitOnError(gnn::writeNpyF32(argv[7], output.data(), output.shape));
  return 0;
}

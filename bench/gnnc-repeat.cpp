// gnnc's steady state for bench/: one process compiles a model through the
// public embedding API (gnn/Engine.h), then runs full-graph inference RUNS
// times after a first run, the way the PyTorch peers are timed.
//
//   gnnc-repeat MODEL.gnn GRAPH FEATURES.npy WEIGHTS.safetensors
//               THREADS RUNS [OUTPUT.npy] [--gather-blocks=B[,B...]]
//
// GRAPH is an edge list (.npy, text) or a binary CSR file (gnn-graph
// convert, possibly with its vertices renumbered by --reorder). A
// renumbered graph runs in its own order: the features are put into it
// once (gnn::rowsToGraphOrder, "features_to_graph_order_s", once per graph
// and outside every run), and every run returns its output in the
// original order (Model::setOriginalOrderOutput: inside the run's time,
// each run's "original_order_ms" of it).
//
// Prints one JSON object: the CSR build, the first run, every timed run
// with its stages and its memory mapping (both inside its time, as in
// `gnn-run --stats`), the stage names, and the output's checksum.
//
// --gather-blocks sets Model::setGatherBlocks (auto = 0: the cost model
// picks per stage, 1 = off, N >= 2 = N source blocks). With a list, each
// setting in turn gets a first (untimed) run and RUNS timed runs in the
// same process, the graph, features and compiled kernels shared; the
// object then has "settings", one entry per setting (gather_blocks,
// first, runs, checksum), in place of those top-level fields. With a list
// OUTPUT.npy is the first setting's output and OUTPUT.B.npy each other's.
#include "gnn/Engine.h"
#include "gnn/Graph.h"
#include "gnn/Model.h"
#include "gnn/Npy.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

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

/// A JSON string of S (stage names hold locations with quotes).
static std::string quoted(const std::string &s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\', out += c;
    else if (static_cast<unsigned char>(c) < 0x20)
      out += ' ';
    else
      out += c;
  }
  return out + "\"";
}

static void printGatherChoices(const gnn::RunStats &s) {
  std::printf(", \"gather_choices\": [");
  for (size_t i = 0; i < s.gatherBlocks.size(); ++i)
    std::printf("%s{\"stage\": %s, \"blocks\": %d, \"reason\": %s}", i ? ", " : "",
                quoted(s.gatherBlocks[i].stage).c_str(), int(s.gatherBlocks[i].blocks),
                quoted(s.gatherBlocks[i].reason).c_str());
  std::printf("]");
}

static void printRun(const gnn::RunStats &stats, bool choices = false) {
  std::printf("{\"seconds\": %.6f, \"memory_ms\": %.3f, \"stages_ms\": [",
              stats.totalSeconds, stats.memorySeconds * 1e3);
  for (size_t i = 0; i < stats.stages.size(); ++i)
    std::printf("%s%.3f", i ? ", " : "", stats.stages[i].seconds * 1e3);
  std::printf("], \"gather_setup_ms\": %.3f, \"original_order_ms\": %.3f",
              stats.gatherSetupSeconds * 1e3, stats.originalOrderSeconds * 1e3);
  if (choices)
    printGatherChoices(stats);
  std::printf("}");
}

static double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// One --gather-blocks setting: "auto" (0) or a block count >= 1.
struct Setting {
  std::string name;
  int blocks = 0;
};

static std::vector<Setting> parseSettings(const char *list) {
  std::vector<Setting> settings;
  std::string all(list);
  size_t start = 0;
  while (start <= all.size()) {
    size_t end = all.find(',', start);
    if (end == std::string::npos)
      end = all.size();
    std::string item = all.substr(start, end - start);
    Setting s{item, 0};
    if (item != "auto") {
      char *rest = nullptr;
      long n = std::strtol(item.c_str(), &rest, 10);
      if (item.empty() || *rest || n < 1 || n > 1 << 20) {
        std::fprintf(stderr, "--gather-blocks: expected auto or a count >= 1, found '%s'\n",
                     item.c_str());
        std::exit(2);
      }
      s.blocks = int(n);
    }
    settings.push_back(s);
    start = end + 1;
  }
  return settings;
}

static double checksum(const gnn::Tensor &output, double *sumAbs) {
  double sum = 0;
  *sumAbs = 0;
  for (size_t i = 0; i < output.numElements(); ++i) {
    sum += output.data()[i];
    *sumAbs += std::fabs(output.data()[i]);
  }
  return sum;
}

int main(int argc, char **argv) {
  std::vector<Setting> settings;
  if (argc >= 2 && !std::strncmp(argv[argc - 1], "--gather-blocks=", 16)) {
    settings = parseSettings(argv[argc - 1] + 16);
    --argc;
  }
  if (argc != 7 && argc != 8) {
    std::fprintf(stderr, "usage: %s MODEL.gnn GRAPH FEATURES.npy WEIGHTS.safetensors "
                         "THREADS RUNS [OUTPUT.npy] [--gather-blocks=auto|N[,...]]\n", argv[0]);
    return 2;
  }
  const bool list = settings.size() > 1;
  if (settings.empty())
    settings.push_back({"", 0});  // the runtime's default, nothing set
  auto start = std::chrono::steady_clock::now();
  gnn::Tensor features = exitOnError(gnn::readNpyF32(argv[3], 2));
  auto csrStart = std::chrono::steady_clock::now();
  gnn::Graph graph = exitOnError(gnn::loadGraph(argv[2], features.shape[0]));
  double csrSeconds = secondsSince(csrStart);
  auto permuteStart = std::chrono::steady_clock::now();
  features = exitOnError(gnn::rowsToGraphOrder(graph, std::move(features), argv[3]));
  double permuteSeconds = secondsSince(permuteStart);

  gnn::EngineOptions engineOptions;
  engineOptions.threads = std::atoi(argv[5]);
  gnn::Engine engine(engineOptions);
  gnn::CompileOptions options;
  options.inputFeatures = features.shape[1];
  std::unique_ptr<gnn::Model> model = exitOnError(engine.compileFile(argv[1], options));
  exitOnError(model->loadWeights(argv[4]));
  model->setOriginalOrderOutput(true);
  const int runs = std::atoi(argv[6]);

  for (size_t k = 0; k < settings.size(); ++k) {
    const Setting &setting = settings[k];
    if (!setting.name.empty())
      model->setGatherBlocks(setting.blocks);
    gnn::RunStats first;
    gnn::Tensor output = exitOnError(model->run(graph, features, &first));
    if (k == 0) {
      double toFirst = secondsSince(start);
      std::printf("{\"compile_s\": %.6f, \"cache_hit\": %s, \"time_to_first_result_s\": %.6f,\n"
                  " \"csr_build_s\": %.6f, \"features_to_graph_order_s\": %.6f,\n"
                  " \"stages\": [",
                  model->compileStats().totalSeconds,
                  model->compileStats().cacheHit ? "true" : "false", toFirst, csrSeconds,
                  permuteSeconds);
      for (size_t i = 0; i < first.stages.size(); ++i)
        std::printf("%s%s", i ? ", " : "", quoted(first.stages[i].name).c_str());
      std::printf("],\n");
    }
    if (list)
      std::printf("%s{\"gather_blocks\": \"%s\",\n  ", k == 0 ? " \"settings\": [" : ",\n  ",
                  setting.name.c_str());
    else if (!setting.name.empty())
      std::printf(" \"gather_blocks\": \"%s\",\n", setting.name.c_str());
    std::printf(" \"first\": ");
    printRun(first, /*choices=*/true);
    std::printf(",\n \"runs\": [");
    for (int r = 0; r < runs; ++r) {
      gnn::RunStats stats;
      output = exitOnError(model->run(graph, features, &stats));
      std::printf("%s", r ? ",\n   " : "");
      printRun(stats);
    }
    double sumAbs = 0, sum = checksum(output, &sumAbs);
    std::printf("],\n \"checksum\": [%.6e, %.6e]%s", sum, sumAbs, list ? "}" : "");
    if (argc == 8) {
      std::string path = argv[7];
      if (k > 0) {
        size_t dot = path.rfind(".npy");
        path = (dot == std::string::npos ? path : path.substr(0, dot)) + "." + setting.name + ".npy";
      }
      exitOnError(gnn::writeNpyF32(path, output.data(), output.shape));
    }
    std::fflush(stdout);
  }
  std::printf("%s}\n", list ? "]" : "");
  return 0;
}

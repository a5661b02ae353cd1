//===- Model.cpp - A compiled model's weights, accessors and runs ---------===//
//
// The public face of a loaded model (ObjectLoader.cpp makes them): weights
// bound by state_dict name, and the run() overloads, which take turns on
// the model's executor (Executor.cpp).
//
//===----------------------------------------------------------------------===//
#include "ResourceFaults.h"
#include "ModelImpl.h"

#include "llvm/ADT/STLExtras.h"

using namespace gnn;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

Model::Model(std::unique_ptr<Impl> impl) : impl(std::move(impl)) {}
Model::~Model() = default;

const std::vector<ParamInfo> &Model::parameters() const {
  return impl->schedule.params;
}
const std::vector<int64_t> &Model::inputShape() const {
  return impl->schedule.slots[impl->schedule.input].shape;
}
const std::vector<int64_t> &Model::outputShape() const {
  return impl->schedule.slots[impl->schedule.output].shape;
}
bool Model::takesEdgeFeatures() const { return impl->schedule.edgeInput >= 0; }
const std::vector<int64_t> &Model::edgeInputShape() const {
  static const std::vector<int64_t> none;
  const detail::Schedule &s = impl->schedule;
  return s.edgeInput >= 0 ? s.slots[s.edgeInput].shape : none;
}
const CompileStats &Model::compileStats() const { return impl->stats; }
void Model::setCompileStats(CompileStats stats) {
  impl->stats = std::move(stats);
}
const std::string &Model::objectCode() const { return impl->object; }
const std::string &Model::compilerVersion() const {
  return impl->schedule.compiler;
}

void Model::setThreads(int threads) { impl->threads = threads; }
int Model::getThreads() const { return impl->threads; }
void Model::setProgress(bool progress) { impl->progress = progress; }
void Model::setReleaseMemory(bool release) { impl->releaseMemory = release; }
void Model::setGatherBlocks(int blocks) { impl->gatherBlocks = blocks; }
int Model::getGatherBlocks() const { return impl->gatherBlocks; }
void Model::setOriginalOrderOutput(bool original) {
  impl->originalOrder = original;
}
bool Model::getOriginalOrderOutput() const { return impl->originalOrder; }

char UnusedWeightsError::ID = 0;

UnusedWeightsError::UnusedWeightsError(std::string source,
                                       std::vector<std::string> names)
    : source(std::move(source)), unused(std::move(names)) {}

/// "N weights the model does not use: 'a', 'b' and K more": a state_dict
/// of another model has hundreds of entries, and the message is one line.
static std::string describeUnused(const std::vector<std::string> &names) {
  constexpr size_t kShown = 8;
  std::string text = std::to_string(names.size()) +
                     (names.size() == 1 ? " weight" : " weights") +
                     " the model does not use: ";
  for (size_t i = 0; i < names.size() && i < kShown; ++i)
    text += (i ? ", '" : "'") + names[i] + "'";
  if (names.size() > kShown)
    text += " and " + std::to_string(names.size() - kShown) + " more";
  return text;
}

void UnusedWeightsError::log(llvm::raw_ostream &os) const {
  os << source << ": " << describeUnused(unused);
}

std::error_code UnusedWeightsError::convertToErrorCode() const {
  return llvm::inconvertibleErrorCode();
}

std::vector<std::string> Model::unusedWeights(const WeightMap &weights) const {
  std::vector<std::string> unused;
  for (const auto &entry : weights)
    if (llvm::none_of(impl->schedule.params, [&](const ParamInfo &p) {
          return p.name == entry.first;
        }))
      unused.push_back(entry.first);
  return unused; // WeightMap is ordered: sorted by name
}

llvm::Error Model::bindWeights(WeightMap weights, const std::string &source,
                               UnusedWeights unused) {
  return gnn::detail::catchOutOfMemory(source, "binding the weights",
                                      [&]() -> llvm::Error {
    std::vector<std::string> extra = unusedWeights(weights);
    // A missing weight next to unused ones is most often a prefix
    // ('module.' from DataParallel) or another model's file: say both.
    std::string extraNote =
        extra.empty() ? "" : "; " + describeUnused(extra);
    std::vector<Tensor> bound;
    for (const ParamInfo &p : impl->schedule.params) {
      auto it = weights.find(p.name);
      if (it == weights.end())
        return makeError(source + ": missing weight '" + p.name + "' (shape " +
                         formatShape(p.shape) + ")" + extraNote);
      if (it->second.shape != p.shape)
        return makeError(source + ": weight '" + p.name + "' has shape " +
                         formatShape(it->second.shape) + ", expected " +
                         formatShape(p.shape));
      if (std::string bad = describeBadStorage(it->second); !bad.empty())
        return makeError(source + ": weight '" + p.name + "' " + bad);
      bound.push_back(std::move(it->second));
    }
    if (!extra.empty() && unused == UnusedWeights::Reject)
      return llvm::make_error<UnusedWeightsError>(source, std::move(extra));
    std::lock_guard<std::mutex> lock(impl->runMutex);
    impl->weights = std::move(bound);
    return llvm::Error::success();
  });
}

llvm::Error Model::loadWeights(const std::string &safetensorsPath,
                               UnusedWeights unused) {
  auto weights = readSafetensors(safetensorsPath);
  if (!weights)
    return weights.takeError();
  return bindWeights(std::move(*weights), safetensorsPath, unused);
}

llvm::Expected<Tensor> Model::execute(const Graph &graph,
                                      const Tensor &features,
                                      const Tensor *edgeFeatures,
                                      const RunOptions &options,
                                      RunStats *stats) {
  return gnn::detail::catchOutOfMemory("Model::run", "running on a graph of " + llvm::Twine(graph.numVertices()) + " vertices and " + llvm::Twine(graph.numEdges()) + " edges",
                                      [&]() -> llvm::Expected<Tensor> {
    std::lock_guard<std::mutex> lock(impl->runMutex);
    return impl->executor.run(impl->schedule, impl->weights, graph, features,
                              edgeFeatures, options, stats);
  });
}

llvm::Expected<Tensor> Model::run(const Graph &graph, const Tensor &features,
                                  RunStats *stats) {
  RunOptions options = impl->runOptions();
  return execute(graph, features, nullptr, options, stats);
}

llvm::Expected<Tensor> Model::run(const Graph &graph, const Tensor &features,
                                  const Tensor &edgeFeaturesCsr,
                                  RunStats *stats) {
  RunOptions options = impl->runOptions();
  return execute(graph, features, &edgeFeaturesCsr, options, stats);
}

llvm::Expected<Tensor> Model::run(const Graph &graph, Tensor &features,
                                  const Tensor *edgeFeaturesCsr,
                                  HaloExchange &exchange, RunStats *stats,
                                  ExchangeForm form) {
  RunOptions options = impl->runOptions();
  options.exchange = &exchange;
  options.exchangeForm = form;
  return execute(graph, features, edgeFeaturesCsr, options, stats);
}

// An exchange without a push form: the executor never calls these.
llvm::Expected<const Graph *> HaloExchange::pushGraph() {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "this exchange has no push form");
}

llvm::Error HaloExchange::exchangeToMirrors(float *, int64_t, ExchangeTiming &) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "this exchange has no push form");
}

llvm::Error HaloExchange::exchangePartials(
    float *, int64_t, llvm::function_ref<void(float *, const float *)>,
    ExchangeTiming &) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "this exchange has no push form");
}

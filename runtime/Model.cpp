//===- Model.cpp - A compiled model's weights, accessors and runs ---------===//
//
// The public face of a loaded model (ObjectLoader.cpp makes them): weights
// bound by state_dict name, and the run() overloads, which take turns on
// the model's executor (Executor.cpp).
//
//===----------------------------------------------------------------------===//
#include "ModelImpl.h"

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

void Model::setThreads(int threads) { impl->threads = threads; }
int Model::getThreads() const { return impl->threads; }

llvm::Error Model::bindWeights(WeightMap weights, const std::string &source) {
  std::vector<Tensor> bound;
  for (const ParamInfo &p : impl->schedule.params) {
    auto it = weights.find(p.name);
    if (it == weights.end())
      return makeError(source + ": missing weight '" + p.name + "' (shape " +
                       formatShape(p.shape) + ")");
    if (it->second.shape != p.shape)
      return makeError(source + ": weight '" + p.name + "' has shape " +
                       formatShape(it->second.shape) + ", expected " +
                       formatShape(p.shape));
    bound.push_back(std::move(it->second));
  }
  std::lock_guard<std::mutex> lock(impl->runMutex);
  impl->weights = std::move(bound);
  return llvm::Error::success();
}

llvm::Error Model::loadWeights(const std::string &safetensorsPath) {
  auto weights = readSafetensors(safetensorsPath);
  if (!weights)
    return weights.takeError();
  return bindWeights(std::move(*weights), safetensorsPath);
}

llvm::Expected<Tensor> Model::execute(const Graph &graph,
                                      const Tensor &features,
                                      const Tensor *edgeFeatures,
                                      const RunOptions &options,
                                      RunStats *stats) {
  std::lock_guard<std::mutex> lock(impl->runMutex);
  return impl->executor.run(impl->schedule, impl->weights, graph, features,
                            edgeFeatures, options, stats);
}

llvm::Expected<Tensor> Model::run(const Graph &graph, const Tensor &features,
                                  RunStats *stats) {
  RunOptions options;
  options.threads = impl->threads;
  return execute(graph, features, nullptr, options, stats);
}

llvm::Expected<Tensor> Model::run(const Graph &graph, const Tensor &features,
                                  const Tensor &edgeFeaturesCsr,
                                  RunStats *stats) {
  RunOptions options;
  options.threads = impl->threads;
  return execute(graph, features, &edgeFeaturesCsr, options, stats);
}

llvm::Expected<Tensor> Model::run(const Graph &graph, Tensor &features,
                                  const Tensor *edgeFeaturesCsr,
                                  HaloExchange &exchange, RunStats *stats,
                                  ExchangeForm form) {
  RunOptions options;
  options.threads = impl->threads;
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

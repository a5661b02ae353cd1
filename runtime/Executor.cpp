//===- Executor.cpp - Run a compiled model's schedule over a graph --------===//
//
// Steps run in order. A kernel launch splits the destination range [0, N)
// into chunks (by in-edge count for message kernels, so hubs don't stall a
// thread) that OpenMP threads take dynamically; dense steps call oneDNN,
// which uses the same OpenMP runtime. Buffers are freed after their last
// reader, so peak memory is the widest live set, not the sum of stages.
//
//===----------------------------------------------------------------------===//
#include "ModelImpl.h"

#include <omp.h>

#include <algorithm>
#include <chrono>

using namespace gnn;
using namespace gnn::detail;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

CompiledModel::CompiledModel(std::unique_ptr<Impl> impl)
    : impl(std::move(impl)) {}
CompiledModel::~CompiledModel() = default;

const std::vector<ParamInfo> &CompiledModel::parameters() const {
  return impl->schedule.params;
}
const std::vector<int64_t> &CompiledModel::inputShape() const {
  return impl->schedule.slots[impl->schedule.input].shape;
}
const std::vector<int64_t> &CompiledModel::outputShape() const {
  return impl->schedule.slots[impl->schedule.output].shape;
}
bool CompiledModel::takesEdgeFeatures() const {
  return impl->schedule.edgeInput >= 0;
}
const std::vector<int64_t> &CompiledModel::edgeInputShape() const {
  static const std::vector<int64_t> none;
  const Schedule &s = impl->schedule;
  return s.edgeInput >= 0 ? s.slots[s.edgeInput].shape : none;
}
double CompiledModel::compileSeconds() const { return impl->compileSeconds; }

llvm::Error CompiledModel::bindWeights(WeightMap weights,
                                       const std::string &source) {
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
  impl->weights = std::move(bound);
  impl->weightsBound = true;
  return llvm::Error::success();
}

/// Chunk boundaries over [0, n): equal vertex counts, or, when
/// `byEdges`, equal (in-edges + vertices) so that work per chunk matches.
static std::vector<int64_t> splitRange(const Graph &g, int chunks, bool byEdges) {
  int64_t n = g.numVertices();
  std::vector<int64_t> bounds{0};
  if (!byEdges) {
    for (int c = 1; c < chunks; ++c)
      bounds.push_back(n * c / chunks);
  } else {
    const int64_t *off = g.offsets();
    int64_t total = g.numEdges() + n;
    for (int c = 1; c < chunks; ++c) {
      int64_t target = total * c / chunks;
      // First v with offsets[v] + v >= target.
      int64_t lo = bounds.back(), hi = n;
      while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (off[mid] + mid < target)
          lo = mid + 1;
        else
          hi = mid;
      }
      bounds.push_back(lo);
    }
  }
  bounds.push_back(n);
  return bounds;
}

/// Chunk boundaries over [0, count): equal row counts (edge-domain steps).
static std::vector<int64_t> splitRows(int64_t count, int chunks) {
  std::vector<int64_t> bounds{0};
  for (int c = 1; c < chunks; ++c)
    bounds.push_back(count * c / chunks);
  bounds.push_back(count);
  return bounds;
}

llvm::Expected<Tensor> CompiledModel::run(const Graph &graph,
                                          const Tensor &features,
                                          const RunOptions &options,
                                          RunStats *stats) {
  return run(graph, features, nullptr, options, stats);
}

llvm::Expected<Tensor> CompiledModel::run(const Graph &graph,
                                          const Tensor &features,
                                          const Tensor *edgeFeatures,
                                          const RunOptions &options,
                                          RunStats *stats) {
  const Schedule &s = impl->schedule;
  if (!impl->weightsBound && !s.params.empty())
    return makeError("weights are not bound");
  int64_t n = graph.numVertices();
  const Slot &in = s.slots[s.input];
  if (features.shape.size() != 2 || features.shape[0] != n ||
      features.shape[1] != in.rowSize)
    return makeError("features have shape " + formatShape(features.shape) +
                     ", expected [" + llvm::Twine(n) + ", " +
                     llvm::Twine(in.rowSize) + "]");
  int64_t numEdges = graph.numEdges();
  if (s.edgeInput >= 0) {
    const Slot &ein = s.slots[s.edgeInput];
    if (!edgeFeatures)
      return makeError("the model takes edge features (edge_attr, [" +
                       llvm::Twine(numEdges) + ", " + llvm::Twine(ein.rowSize) +
                       "]) but none were given");
    if (edgeFeatures->shape.size() != 2 ||
        edgeFeatures->shape[0] != numEdges ||
        edgeFeatures->shape[1] != ein.rowSize)
      return makeError("edge features have shape " +
                       formatShape(edgeFeatures->shape) + ", expected [" +
                       llvm::Twine(numEdges) + ", " + llvm::Twine(ein.rowSize) +
                       "]");
  }
  // Rows of a slot's tensor: one per vertex or one per edge.
  auto rowsOf = [&](int slot) { return s.slots[slot].edges ? numEdges : n; };

  int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
  omp_set_num_threads(threads);

  // A view reads and keeps alive the buffer of the slot it shows.
  auto owner = [&](int slot) {
    return s.slots[slot].kind == SlotKind::View ? s.slots[slot].base : slot;
  };
  // The last step reading each slot, so buffers die as early as possible.
  std::vector<int> lastUse(s.slots.size(), -1);
  for (size_t i = 0; i < s.steps.size(); ++i)
    for (int slot : s.steps[i].inputs)
      lastUse[owner(slot)] = i;
  lastUse[owner(s.output)] = s.steps.size();

  std::vector<AlignedArray<float>> buffers(s.slots.size());
  auto dataOf = [&](int view) -> float * {
    int slot = owner(view);
    switch (s.slots[slot].kind) {
    case SlotKind::Features:
      return const_cast<float *>(features.data());
    case SlotKind::EdgeFeatures:
      return const_cast<float *>(edgeFeatures->data());
    case SlotKind::Param:
      return impl->weights[s.slots[slot].param].data();
    case SlotKind::Buffer:
      return buffers[slot].data();
    case SlotKind::Graph:
    case SlotKind::View:
      return nullptr;
    }
    return nullptr;
  };

  // Several chunks per thread let dynamic scheduling even out the rest.
  int chunks = std::max<int64_t>(1, std::min<int64_t>(n, threads * 16));
  std::vector<int64_t> vertexChunks = splitRange(graph, chunks, false);
  std::vector<int64_t> edgeChunks = splitRange(graph, chunks, true);
  std::vector<int64_t> edgeRowChunks = splitRows(
      numEdges, std::max<int64_t>(1, std::min<int64_t>(numEdges, threads * 16)));

  auto runStart = std::chrono::steady_clock::now();
  for (size_t i = 0; i < s.steps.size(); ++i) {
    const Step &step = s.steps[i];
    auto stepStart = std::chrono::steady_clock::now();
    const Slot &result = s.slots[step.result];
    buffers[step.result] =
        AlignedArray<float>(size_t(rowsOf(step.result)) * result.rowSize);
    float *out = buffers[step.result].data();

    if (step.kind == Step::Kind::Linear) {
      const Slot &x = s.slots[step.inputs[0]];
      const Slot &w = s.slots[step.inputs[1]];
      const float *bias = step.inputs.size() > 2 ? dataOf(step.inputs[2]) : nullptr;
      impl->dense.run(dataOf(step.inputs[0]),
                      rowsOf(step.inputs[0]) * (x.rowSize / w.shape[1]),
                      w.shape[1], dataOf(step.inputs[1]), w.shape[0], bias, out);
    } else {
      std::vector<void *> args;
      args.push_back(const_cast<int64_t *>(graph.offsets()));
      args.push_back(const_cast<int32_t *>(graph.sources()));
      for (int slot : step.inputs)
        args.push_back(dataOf(slot));
      args.push_back(out);
      const std::vector<int64_t> &bounds =
          result.edges ? edgeRowChunks
                       : step.edgeBalanced ? edgeChunks : vertexChunks;
      KernelFn fn = step.fn;
      void **argv = args.data();
      int64_t numChunks = bounds.size() - 1;
#pragma omp parallel for schedule(dynamic, 1)
      for (int64_t c = 0; c < numChunks; ++c)
        if (bounds[c] < bounds[c + 1])
          fn(bounds[c], bounds[c + 1], argv);
    }

    for (int input : step.inputs) {
      int slot = owner(input);
      if (lastUse[slot] == int(i) && s.slots[slot].kind == SlotKind::Buffer)
        buffers[slot] = AlignedArray<float>();
    }
    if (stats)
      stats->stages.push_back(
          {step.label, std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - stepStart)
                           .count()});
  }
  if (stats)
    stats->totalSeconds = std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - runStart)
                              .count();

  Tensor output;
  output.shape = {n};
  for (int64_t d : s.slots[s.output].shape)
    output.shape.push_back(d);
  if (s.slots[owner(s.output)].kind == SlotKind::Features) {
    output = Tensor(output.shape);
    std::copy(features.data(), features.data() + features.numElements(),
              output.data());
  } else {
    output.values = std::move(buffers[owner(s.output)]);
  }
  return output;
}

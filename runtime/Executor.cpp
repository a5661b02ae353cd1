//===- Executor.cpp - Run a compiled model's schedule over a graph --------===//
//
// Steps run in order. A kernel launch splits the destination range [0, N)
// into chunks (by in-edge count for message kernels, so hubs don't stall a
// thread) that OpenMP threads take dynamically; dense steps call oneDNN,
// which uses the same OpenMP runtime. Step results live in one arena,
// planned from the buffers' live ranges (planMemory) and kept with the
// model for the next run on a graph of the same size.
//
//===----------------------------------------------------------------------===//
#include "ModelImpl.h"

#include <omp.h>
#include <sys/mman.h>

#include <algorithm>
#include <chrono>
#include <limits>

using namespace gnn;
using namespace gnn::detail;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Maps the pages of fresh memory `[p, p + bytes)` before kernels write it.
/// Faulting them in from inside the kernels, on several threads at once,
/// measured several times slower than this one call (GCN on rmat-18: its
/// last kernel, which writes the 16 MiB output, took 7 ms instead of 3.5;
/// its first run, which also faults in the arena, 190 ms instead of 42).
static void prefault(void *p, size_t bytes) {
#ifdef MADV_POPULATE_WRITE
  if (madvise(p, bytes, MADV_POPULATE_WRITE) == 0)
    return;
#endif
  // Kernels before Linux 5.14: one write per page.
  auto *bytesOf = static_cast<volatile char *>(p);
  for (size_t at = 0; at < bytes; at += 4096)
    bytesOf[at] = 0;
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

MemoryPlan detail::planMemory(const Schedule &s, int64_t vertices,
                              int64_t edges) {
  MemoryPlan plan;
  plan.vertices = vertices;
  plan.edges = edges;
  size_t numSlots = s.slots.size();
  plan.offsets.assign(numSlots, -1);
  plan.bytes.assign(numSlots, 0);
  plan.live.assign(numSlots, {-1, -1});
  plan.storage.resize(numSlots);
  for (size_t slot = 0; slot < numSlots; ++slot)
    plan.storage[slot] =
        s.slots[slot].kind == SlotKind::View ? s.slots[slot].base : slot;
  auto roundUp = [](int64_t b) {
    return (b + MemoryPlan::kAlignment - 1) / MemoryPlan::kAlignment *
           MemoryPlan::kAlignment;
  };
  // The last step reading each buffer, directly or through a view.
  std::vector<int> lastRead(numSlots, -1);
  for (size_t i = 0; i < s.steps.size(); ++i)
    for (int input : s.steps[i].inputs)
      lastRead[plan.storage[input]] = i;
  int output = plan.storage[s.output];
  if (s.slots[output].kind == SlotKind::Buffer)
    lastRead[output] = s.steps.size();

  for (size_t i = 0; i < s.steps.size(); ++i) {
    const Step &step = s.steps[i];
    int r = step.result;
    const Slot &slot = s.slots[r];
    int64_t rows = slot.edges ? edges : vertices;
    plan.bytes[r] = roundUp(rows * slot.rowSize * int64_t(sizeof(float)));
    int root = r;
    if (step.accumulate >= 0) {
      int acc = plan.storage[plan.storage[step.accumulate]];
      // In place only if the matmul's source (inputs[0]) is another buffer:
      // its source and destination must not overlap.
      bool readElsewhere = !step.inputs.empty() &&
                           plan.storage[plan.storage[step.inputs[0]]] == acc;
      if (s.slots[acc].kind == SlotKind::Buffer && plan.live[acc].second == int(i) &&
          plan.bytes[acc] == plan.bytes[r] && !readElsewhere)
        root = acc; // nothing reads the accumulated buffer later
    }
    plan.live[root].second = std::max(lastRead[r], int(i));
    if (root == r)
      plan.live[r].first = i;
    else
      plan.storage[r] = root;
  }
  // Views of a result that shares its bytes share them too.
  for (size_t slot = 0; slot < numSlots; ++slot)
    plan.storage[slot] = plan.storage[plan.storage[slot]];
  output = plan.storage[output];
  if (s.slots[output].kind == SlotKind::Buffer)
    plan.outputBytes = plan.bytes[output];

  for (size_t slot = 0; slot < numSlots; ++slot)
    plan.bufferBytes += plan.bytes[slot];
  // The least any plan needs: the widest set of buffers alive at a step.
  for (size_t i = 0; i < s.steps.size(); ++i) {
    int64_t alive = 0;
    for (size_t slot = 0; slot < numSlots; ++slot)
      if (plan.live[slot].first >= 0 && plan.live[slot].first <= int(i) &&
          int(i) <= plan.live[slot].second)
        alive += plan.bytes[slot];
    plan.peakLiveBytes = std::max(plan.peakLiveBytes, alive);
  }

  // One address space: the returned buffer at [0, outputBytes), then the
  // arena. Buffers dead before the output is written may use its bytes
  // (fresh memory each run, but the output touches those pages anyway);
  // none straddles the two.
  int64_t fence = plan.outputBytes;
  std::vector<int> placed; // kept sorted by offset
  if (s.slots[output].kind == SlotKind::Buffer) {
    plan.offsets[output] = 0;
    placed.push_back(output);
  }
  std::vector<int> order;
  for (size_t slot = 0; slot < numSlots; ++slot)
    if (plan.live[slot].first >= 0 && int(slot) != output)
      order.push_back(slot);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return plan.bytes[a] > plan.bytes[b];
  });
  for (int slot : order) {
    auto [first, last] = plan.live[slot];
    int64_t size = plan.bytes[slot];
    int64_t best = -1, bestGap = std::numeric_limits<int64_t>::max();
    // The free range [lo, hi), split at the fence.
    auto consider = [&](int64_t lo, int64_t hi) {
      for (auto [a, b] : {std::make_pair(lo, std::min(hi, fence)),
                          std::make_pair(std::max(lo, fence), hi)})
        if (b - a >= size && b - a < bestGap) {
          best = a;
          bestGap = b - a;
        }
    };
    int64_t end = 0; // the end of the overlapping buffers seen so far
    for (int other : placed) {
      if (plan.live[other].second < first || last < plan.live[other].first)
        continue;
      consider(end, plan.offsets[other]);
      end = std::max(end, plan.offsets[other] + plan.bytes[other]);
    }
    if (best < 0)
      best = end < fence && end + size > fence ? fence : end;
    plan.offsets[slot] = best;
    if (best >= fence)
      plan.arenaBytes = std::max(plan.arenaBytes, best + size - fence);
    placed.insert(std::upper_bound(placed.begin(), placed.end(), slot,
                                   [&](int a, int b) {
                                     return plan.offsets[a] < plan.offsets[b];
                                   }),
                  slot);
  }
  for (size_t slot = 0; slot < numSlots; ++slot)
    if (s.slots[slot].kind == SlotKind::Buffer)
      plan.offsets[slot] = plan.offsets[plan.storage[slot]];
  return plan;
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
  // Kernels compute the rows of the n destination vertices; on a graph
  // part, vertex tensors also hold rows for the ghosts, which only the
  // exchange writes.
  int64_t n = graph.numVertices();
  int64_t ghosts = graph.numGhosts();
  int64_t vertexRows = n + ghosts;
  if (ghosts > 0 && !options.exchange)
    return makeError("the graph is a part with ghost vertices, but the run "
                     "has no exchange to fill them");
  const Slot &in = s.slots[s.input];
  if (features.shape.size() != 2 || features.shape[0] != vertexRows ||
      features.shape[1] != in.rowSize)
    return makeError("features have shape " + formatShape(features.shape) +
                     ", expected [" + llvm::Twine(vertexRows) + ", " +
                     llvm::Twine(in.rowSize) + "]" +
                     (ghosts ? " (owned and ghost rows)" : ""));
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
  auto storedRowsOf = [&](int slot) {
    return s.slots[slot].edges ? numEdges : vertexRows;
  };

  std::lock_guard<std::mutex> lock(impl->runMutex);
  // Timed from here: what the run maps and allocates is part of it.
  auto runStart = std::chrono::steady_clock::now();
  int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
  omp_set_num_threads(threads);

  MemoryPlan &plan = impl->plan;
  if (plan.vertices != vertexRows || plan.edges != numEdges) {
    impl->arena = AlignedArray<float>(); // the old one goes first
    plan.vertices = -1; // no plan without its arena, should allocation throw
    MemoryPlan next = planMemory(s, vertexRows, numEdges);
    impl->arena = AlignedArray<float>(next.arenaBytes / sizeof(float));
    prefault(impl->arena.data(), next.arenaBytes);
    plan = std::move(next);
  }
  char *arena = reinterpret_cast<char *>(impl->arena.data());

  // The returned buffer is the caller's, so it is not in the arena.
  int outputSlot = plan.storage[s.output];
  AlignedArray<float> outputBuffer;
  if (s.slots[outputSlot].kind == SlotKind::Buffer) {
    // Exactly the output's elements (the Tensor's size); AlignedArray's
    // allocation is rounded up to 64 bytes like the plan's outputBytes.
    int64_t elements = storedRowsOf(outputSlot) * s.slots[outputSlot].rowSize;
    assert(int64_t(((elements * sizeof(float) + 63) / 64) * 64) >= plan.outputBytes);
    outputBuffer = AlignedArray<float>(elements);
    prefault(outputBuffer.data(), elements * sizeof(float));
  }
  double memorySeconds = std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - runStart)
                             .count();
  auto dataOf = [&](int view) -> float * {
    int slot = plan.storage[view];
    switch (s.slots[slot].kind) {
    case SlotKind::Features:
      return const_cast<float *>(features.data());
    case SlotKind::EdgeFeatures:
      return const_cast<float *>(edgeFeatures->data());
    case SlotKind::Param:
      return impl->weights[s.slots[slot].param].data();
    case SlotKind::Buffer: {
      int64_t at = plan.offsets[slot];
      return reinterpret_cast<float *>(
          at < plan.outputBytes
              ? reinterpret_cast<char *>(outputBuffer.data()) + at
              : arena + (at - plan.outputBytes));
    }
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

  // On a graph part: whether each storage slot's ghost rows hold its
  // owners' current rows.
  std::vector<bool> ghostsCurrent(s.slots.size(), false);
  auto exchangeGathered = [&](const Step &step) -> llvm::Error {
    for (int view : step.gathers) {
      int slot = plan.storage[view];
      if (ghostsCurrent[slot])
        continue;
      auto start = std::chrono::steady_clock::now();
      ExchangeTiming timing;
      int producer = -1;
      for (size_t k = 0; k < s.steps.size(); ++k)
        if (plan.storage[s.steps[k].result] == slot)
          producer = k;
      timing.tensor = producer >= 0 ? s.steps[producer].label : "features";
      timing.rowFloats = s.slots[slot].rowSize;
      if (llvm::Error e = options.exchange->exchange(dataOf(slot),
                                                     s.slots[slot].rowSize, timing))
        return e;
      ghostsCurrent[slot] = true;
      if (stats) {
        timing.seconds = std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - start)
                             .count();
        stats->stages.push_back({"exchange " + timing.tensor, timing.seconds});
        stats->exchanges.push_back(std::move(timing));
      }
    }
    return llvm::Error::success();
  };

  for (size_t i = 0; i < s.steps.size(); ++i) {
    const Step &step = s.steps[i];
    if (options.exchange && !step.gathers.empty())
      if (llvm::Error e = exchangeGathered(step))
        return std::move(e);
    ghostsCurrent[plan.storage[step.result]] = false;
    auto stepStart = std::chrono::steady_clock::now();
    const Slot &result = s.slots[step.result];
    float *out = dataOf(step.result);

    if (step.kind == Step::Kind::Linear) {
      const Slot &x = s.slots[step.inputs[0]];
      const Slot &w = s.slots[step.inputs[1]];
      const float *bias = step.bias >= 0 ? dataOf(step.bias) : nullptr;
      if (step.accumulate >= 0 && dataOf(step.accumulate) != out) {
        // Not planned in place (the accumulated tensor is read later).
        const float *acc = dataOf(step.accumulate);
        std::copy(acc, acc + rowsOf(step.result) * result.rowSize, out);
      }
      impl->dense.run(dataOf(step.inputs[0]),
                      rowsOf(step.inputs[0]) * (x.rowSize / w.shape[1]),
                      w.shape[1], dataOf(step.inputs[1]), w.shape[0], bias, out,
                      step.epilogue);
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

    if (stats)
      stats->stages.push_back(
          {step.label, std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - stepStart)
                           .count()});
  }

  Tensor output;
  output.shape = {n};
  for (int64_t d : s.slots[s.output].shape)
    output.shape.push_back(d);
  if (s.slots[outputSlot].kind == SlotKind::Features) {
    output = Tensor(output.shape);
    std::copy(features.data(), features.data() + output.numElements(),
              output.data());
  } else {
    output.values = std::move(outputBuffer);
  }
  if (stats) {
    stats->totalSeconds = std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - runStart)
                              .count();
    stats->memorySeconds = memorySeconds;
    stats->arenaBytes = plan.arenaBytes;
    stats->outputBytes = plan.outputBytes;
    stats->bufferBytes = plan.bufferBytes;
    stats->peakLiveBytes = plan.peakLiveBytes;
  }
  return output;
}

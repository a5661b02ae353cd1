//===- Executor.cpp - Run a compiled model's schedule over a graph --------===//
//
// Steps run in order. A kernel launch splits the destination range [0, N)
// into chunks (by in-edge count for message kernels, so hubs don't stall a
// thread) that OpenMP threads take dynamically; dense steps give oneDNN
// fixed blocks of rows on the same threads (DenseKernels.cpp), so the
// thread count never changes a result's bits. Step results live in one
// arena, planned from the buffers' live ranges (MemoryPlan.cpp) and kept
// for the next run on a graph of the same size; with
// RunOptions::releaseMemory a step maps the pages of what it writes first
// and drops those of what nothing reads later (Pages.h).
//
//===----------------------------------------------------------------------===//
#include "Executor.h"
#include "Pages.h"
#include "ParamViews.h"
#include "PartialStates.h"
#include "RowGather.h"
#include "gnn/Progress.h"

#include <omp.h>
#include <pthread.h>

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cstring>
#include <optional>

using namespace gnn;
using namespace gnn::detail;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Whether `threads` threads can start: libgomp ends the process (its own
/// message, exit status 1) when the system refuses a thread of a team, for
/// instance when no address space is left for its stack. Tried here with
/// the same default stack size, once per calling thread and team size
/// (libgomp keeps a team's threads for the next region, and the stacks of
/// threads just joined are reused), the refusal is an error instead.
static llvm::Error checkThreadsStart(int threads) {
  thread_local int started = 1;
  if (threads <= started)
    return llvm::Error::success();
  std::vector<pthread_t> tried;
  int rc = 0;
  while (int(tried.size()) + 1 < threads) {
    pthread_t t;
    rc = pthread_create(&t, nullptr, [](void *) -> void * { return nullptr; },
                        nullptr);
    if (rc != 0)
      break;
    tried.push_back(t);
  }
  for (pthread_t t : tried)
    pthread_join(t, nullptr);
  if (rc != 0)
    return makeError("cannot start " + llvm::Twine(threads) +
                     " threads: " + std::strerror(rc));
  started = threads;
  return llvm::Error::success();
}

/// Chunk boundaries over [0, n) for in-edge offsets `off`: equal vertex
/// counts, or, when `byEdges`, equal (in-edges + vertices) so that work per
/// chunk matches.
static std::vector<int64_t> splitRange(const int64_t *off, int64_t n,
                                       int chunks, bool byEdges) {
  std::vector<int64_t> bounds{0};
  if (!byEdges) {
    for (int c = 1; c < chunks; ++c)
      bounds.push_back(n * c / chunks);
  } else {
    int64_t total = off[n] + n;
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

static std::vector<int64_t> splitRange(const Graph &g, int chunks, bool byEdges) {
  return splitRange(g.offsets(), g.numVertices(), chunks, byEdges);
}

/// Chunk boundaries over [0, count): equal row counts (edge-domain steps).
static std::vector<int64_t> splitRows(int64_t count, int chunks) {
  std::vector<int64_t> bounds{0};
  for (int c = 1; c < chunks; ++c)
    bounds.push_back(count * c / chunks);
  bounds.push_back(count);
  return bounds;
}

/// "inference 3/6 linear": step `i`'s progress line, without the step
/// label's source location.
static std::string stageName(const Schedule &s, size_t i) {
  llvm::StringRef label = s.steps[i].label;
  return ("inference " + llvm::Twine(i + 1) + "/" + llvm::Twine(s.steps.size()) +
          " " + label.substr(0, label.find(" loc(")))
      .str();
}

llvm::Expected<Tensor> Executor::run(const Schedule &s,
                                     const std::vector<Tensor> &weights,
                                     const Graph &graph, const Tensor &features,
                                     const Tensor *edgeFeatures,
                                     const RunOptions &options,
                                     RunStats *stats) {
  // Timed from the call: the checks and the memory the run maps are part
  // of it.
  auto runStart = std::chrono::steady_clock::now();
  if (weights.size() != s.params.size())
    return makeError("weights are not bound");
  // Kernels compute the rows of the n destination vertices; on a graph
  // part, the vertex tensors that stages read at other parts' vertices
  // also hold a halo of rows after the owned ones, which only the exchange
  // writes: the ghosts' rows (pull) or the mirrors' (a push form's target
  // reads).
  int64_t n = graph.numVertices();
  int64_t ghosts = graph.numGhosts();
  if (ghosts > 0 && !options.exchange)
    return makeError("the graph is a part with ghost vertices, but the run "
                     "has no exchange to fill them");
  HaloExchange *exchange = options.exchange;
  bool pushing = exchange && exchange->hasPushForm() &&
                 options.exchangeForm != ExchangeForm::Pull &&
                 llvm::any_of(s.steps, [](const Step &st) { return bool(st.push); });
  int64_t mirrors = pushing ? exchange->mirrorRows() : 0;
  int64_t halo = std::max(ghosts, mirrors);
  // The caller's tensors are read as far as their shapes say.
  if (std::string bad = describeBadStorage(features); !bad.empty())
    return makeError("features " + bad);
  if (edgeFeatures)
    if (std::string bad = describeBadStorage(*edgeFeatures); !bad.empty())
      return makeError("edge features " + bad);
  const Slot &in = s.slots[s.input];
  // On a part the features have a row per ghost (Model::run), which the
  // push form's decisions count on; a whole graph's may have them too.
  bool featureRowsFit = features.shape.size() == 2 &&
                        (features.shape[0] == n + ghosts ||
                         (features.shape[0] == n && !exchange));
  if (!featureRowsFit || features.shape[1] != in.rowSize)
    return makeError("features have shape " + formatShape(features.shape) +
                     ", expected [" + llvm::Twine(n + ghosts) + ", " +
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

  int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
  omp_set_num_threads(threads);

  auto memoryStart = std::chrono::steady_clock::now();
  if (plan.vertices != n || plan.edges != numEdges || plan.halo != halo ||
      plan.pushReads != pushing) {
    arena = AlignedArray<float>(); // the old one goes first
    plan.vertices = -1; // no plan without its arena, should allocation throw
    MemoryPlan next = planMemory(s, n, numEdges, halo, pushing);
    arena = AlignedArray<float>(next.arenaBytes / sizeof(float));
    if (!options.releaseMemory)
      prefault(arena.data(), next.arenaBytes);
    plan = std::move(next);
    graphOnlySteps = findGraphOnlySteps(s, plan.storage);
  }
  char *arenaBytes = reinterpret_cast<char *>(arena.data());

  // The returned buffer is the caller's, so it is not in the arena.
  int outputSlot = plan.storage[s.output];
  std::shared_ptr<AlignedArray<float>> outputBuffer;
  // Where the steps write the output: the returned buffer, or, when its
  // rows go back into the original order after the last step, a buffer
  // of the executor's own that stays mapped from run to run.
  float *outputRows = nullptr;
  bool backToOriginal = options.originalOrder && graph.isReordered() && !exchange;
  bool reuse = !options.releaseMemory && !exchange;
  if (s.slots[outputSlot].kind == SlotKind::Buffer) {
    // Exactly the output's elements (the Tensor's size); AlignedArray's
    // allocation is rounded up to 64 bytes like the plan's outputBytes.
    int64_t rows = s.slots[outputSlot].edges ? numEdges
                   : n + (plan.haloRows[outputSlot] ? halo : 0);
    size_t elements = size_t(rows * s.slots[outputSlot].rowSize);
    assert(int64_t(((elements * sizeof(float) + 63) / 64) * 64) >= plan.outputBytes);
    // One the caller has let go of, its pages mapped by an earlier run
    // (rmat-22's 256 MiB output took 6-170 ms to map afresh). Not on a
    // part, nor when memory goes back as the run goes.
    if (!reuse)
      outputs.clear();
    llvm::erase_if(outputs, [&](const auto &b) { return b->size() != elements; });
    for (const auto &b : outputs)
      if (b.use_count() == 1)
        outputBuffer = b;
    if (!outputBuffer) {
      outputBuffer = std::make_shared<AlignedArray<float>>(elements);
      if (!options.releaseMemory)
        prefault(outputBuffer->data(), elements * sizeof(float));
      if (reuse && outputs.size() < kKeptOutputs)
        outputs.push_back(outputBuffer);
    }
    outputRows = outputBuffer->data();
    if (backToOriginal) {
      if (graphOrderOutput.size() != elements) {
        graphOrderOutput = AlignedArray<float>(); // the old one goes first
        graphOrderOutput = AlignedArray<float>(elements);
        if (!options.releaseMemory)
          prefault(graphOrderOutput.data(), elements * sizeof(float));
      }
      outputRows = graphOrderOutput.data();
    }
  }
  double memorySeconds = std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - memoryStart)
                             .count();
  // After the large allocations, which leave the threads' stacks less room.
  if (llvm::Error e = checkThreadsStart(threads))
    return std::move(e);
  std::vector<Tensor> paramViews = cutParamViews(s, weights);
  auto dataOf = [&](int view) -> float * {
    int slot = plan.storage[view];
    switch (s.slots[slot].kind) {
    case SlotKind::Features:
      return const_cast<float *>(features.data());
    case SlotKind::EdgeFeatures:
      return const_cast<float *>(edgeFeatures->data());
    case SlotKind::Param:
      if (s.slots[slot].isParamView())
        return paramViews[slot].data();
      return const_cast<float *>(weights[s.slots[slot].param].data());
    case SlotKind::Buffer: {
      int64_t at = plan.offsets[slot];
      return reinterpret_cast<float *>(
          at < plan.outputBytes
              ? reinterpret_cast<char *>(outputRows) + at
              : arenaBytes + (at - plan.outputBytes));
    }
    case SlotKind::Graph:
    case SlotKind::View:
      return nullptr;
    }
    return nullptr;
  };

  // Several chunks per thread let dynamic scheduling even out the rest;
  // on a large graph, chunks of about 4M edges at most, so that a progress
  // line moves and a mapped graph's pages go back soon after they are
  // read. Chunks never change a result: each row is computed alone.
  int64_t perThread = std::max<int64_t>(threads * 16, numEdges >> 22);
  int chunks = std::max<int64_t>(1, std::min<int64_t>(n, perThread));
  std::vector<int64_t> vertexChunks = splitRange(graph, chunks, false);
  std::vector<int64_t> edgeChunks = splitRange(graph, chunks, true);
  std::vector<int64_t> edgeRowChunks = splitRows(
      numEdges, std::max<int64_t>(1, std::min<int64_t>(numEdges, perThread)));

  // releaseMemory: the features go after the last step reading them, unless
  // the output is them or the exchange writes their ghost rows (a part's
  // features are the caller's working copy).
  int featuresLastRead = -1;
  for (size_t i = 0; i < s.steps.size(); ++i)
    for (int input : s.steps[i].inputs)
      if (s.slots[plan.storage[input]].kind == SlotKind::Features)
        featuresLastRead = i;
  bool releaseFeatures = options.releaseMemory && !exchange &&
                         s.slots[outputSlot].kind != SlotKind::Features;
  bool releaseSources = options.releaseMemory && graph.isFileMapped();

  // On a graph part: what each storage slot's halo rows hold now.
  enum class Halo { Stale, Ghosts, Mirrors };
  std::vector<Halo> haloHolds(s.slots.size(), Halo::Stale);
  // Fills the halo of `view` with `holds` unless it has them; the exchange
  // is named by the step that last wrote the rows (for --stats).
  auto fillHalo = [&](size_t at, int view, Halo holds) -> llvm::Error {
    int slot = plan.storage[view];
    if (haloHolds[slot] == holds)
      return llvm::Error::success();
    auto start = std::chrono::steady_clock::now();
    ExchangeTiming timing;
    int producer = -1;
    for (size_t k = 0; k < at; ++k)
      if (plan.storage[s.steps[k].result] == slot)
        producer = k;
    timing.tensor = producer >= 0 ? s.steps[producer].label : "features";
    timing.rowFloats = s.slots[slot].rowSize;
    llvm::Error e =
        holds == Halo::Ghosts
            ? exchange->exchange(dataOf(slot), s.slots[slot].rowSize, timing)
            : exchange->exchangeToMirrors(dataOf(slot), s.slots[slot].rowSize,
                                          timing);
    if (e)
      return e;
    haloHolds[slot] = holds;
    if (stats) {
      timing.seconds = std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - start)
                           .count();
      stats->stages.push_back({"exchange " + timing.tensor, timing.seconds});
      stats->exchanges.push_back(std::move(timing));
    }
    return llvm::Error::success();
  };
  // Whether message step `at` runs in its push form: forced, or when it
  // moves fewer bytes than pulling (rows already current cost nothing).
  // Every part decides alike: the counts are totals over all parts.
  auto choosePush = [&](size_t at) {
    const Step &step = s.steps[at];
    if (!pushing || !step.push)
      return false;
    // The features have a row per ghost: room for the mirrors' rows only
    // if no part has more (decided alike on every part).
    for (int t : step.push->targetReads)
      if (s.slots[plan.storage[t]].kind == SlotKind::Features &&
          !exchange->mirrorsFitGhostRows())
        return false;
    if (options.exchangeForm == ExchangeForm::Push)
      return true;
    // Each tensor counts once, by its storage (views of one tensor are
    // exchanged once), with the rows an exchange moves.
    int64_t pullFloats = 0, pushFloats = step.push->stateFloats();
    std::vector<int> counted;
    auto count = [&](int view, Halo holds) -> int64_t {
      int slot = plan.storage[view];
      if (haloHolds[slot] == holds || llvm::is_contained(counted, slot))
        return 0;
      counted.push_back(slot);
      return s.slots[slot].rowSize;
    };
    for (int g : step.gathers)
      pullFloats += count(g, Halo::Ghosts);
    counted.clear();
    for (int t : step.push->targetReads)
      pushFloats += count(t, Halo::Mirrors);
    return pushFloats * exchange->totalMirrorRows() <
           pullFloats * exchange->totalGhostRows();
  };
  // Runs `fn` over chunks [bounds[c], bounds[c+1]) on the threads, then
  // `done(begin, end)` after each chunk, on its thread. The kernels are
  // JIT code over memory mapped above and `done` drops pages and counts
  // (catching what drawing a progress line throws), so no exception can
  // try to leave the region.
  auto launch = [&](KernelFn fn, std::vector<void *> &args,
                    const std::vector<int64_t> &bounds,
                    llvm::function_ref<void(int64_t, int64_t)> done = {}) {
    void **argv = args.data();
    int64_t numChunks = bounds.size() - 1;
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t c = 0; c < numChunks; ++c)
      if (bounds[c] < bounds[c + 1]) {
        fn(bounds[c], bounds[c + 1], argv);
        if (done)
          done(bounds[c], bounds[c + 1]);
      }
  };
  auto secondsSince = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t)
        .count();
  };

  // After step `i`: its progress line ends (`unreported` units done that
  // no chunk counted), and with releaseMemory the pages of what no later
  // step reads go.
  auto stepDone = [&](size_t i, std::optional<Progress> &progress,
                      int64_t unreported) {
    if (progress) {
      progress->advance(unreported);
      progress->finish();
    }
    if (!options.releaseMemory)
      return;
    for (size_t slot = 0; slot < s.slots.size(); ++slot)
      if (plan.live[slot].second == int(i))
        dropPages(dataOf(slot), plan.bytes[slot]);
    if (releaseFeatures && int(i) == featuresLastRead)
      pageOut(features.data(), features.numElements() * sizeof(float));
  };

  // Gather blocking (GatherBlocking.h): the block count for message step
  // `step`, 1 for unblocked; the choice goes into the stats. Profiling
  // the sources and building blocks happen once per graph, here.
  if (gatherCache.graph != graph.id()) {
    gatherCache = GatherCache();
    gatherCache.graph = graph.id();
  }
  double gatherSetupSeconds = 0;
  auto chooseBlocks = [&](const Step &step) {
    if (!step.push || !step.push->hasBlockedForm() || n == 0)
      return 1;
    GatherStage stage;
    stage.vertices = n;
    stage.edges = numEdges;
    for (int slot : step.gathers)
      stage.gatheredRowBytes += s.slots[slot].rowSize * int64_t(sizeof(float));
    stage.stateRowBytes = step.push->stateFloats() * int64_t(sizeof(float));
    stage.computeBound =
        step.push->aggregation == PushForm::Aggregation::Softmax;
    stage.budgetBytes = step.push->gatherBudget; // 0: the default
    // A part runs unblocked (its sources include ghosts, which the blocks
    // do not split). Blocks hold a copy of the sources: a run that gives
    // memory back (a graph near the machine's memory) blocks only when
    // forced or when that copy takes at most an eighth of the memory.
    int forced = options.gatherBlocks;
    int64_t copyBytes = numEdges * int64_t(sizeof(int32_t)) +
                        4 * (n + 1) * int64_t(sizeof(int64_t));
    const char *unblocked =
        exchange || ghosts ? "a graph part"
        : options.releaseMemory && forced < 2 &&
                copyBytes > physicalMemoryBytes() / 8
            ? "releasing memory: a copy of the sources would take over an "
              "eighth of the memory"
            : nullptr;
    if (unblocked)
      forced = 1;
    auto setupStart = std::chrono::steady_clock::now();
    bool profiled = gatherCache.profile.has_value();
    GatherBlockChoice choice =
        planGatherBlocks(stage, graph, gatherCache.profile, forced, threads);
    bool setup = profiled != gatherCache.profile.has_value();
    if (unblocked)
      choice.reason = unblocked;
    choice.blocks = int(std::min<int64_t>(
        std::min(choice.blocks, gnn::kMaxGatherBlocks), n));
    choice.stage = step.label;
    if (choice.blocks > 1 && !gatherCache.blocks.count(choice.blocks)) {
      gatherCache.blocks.emplace(choice.blocks,
                                 splitSources(graph, choice.blocks, threads));
      setup = true;
    }
    if (setup)
      gatherSetupSeconds += std::chrono::duration<double>(
                                std::chrono::steady_clock::now() - setupStart)
                                .count();
    int blocks = choice.blocks;
    if (stats)
      stats->gatherBlocks.push_back(std::move(choice));
    return blocks;
  };

  // A linear whose rows only in-edges gather computes the rows up to the
  // largest source (in degree order, the vertices without out-edges come
  // last). Not on a part, whose rows other parts gather too.
  bool onlySourceRows = !exchange && ghosts == 0;

  // Steps of the graph alone run on the first run over a graph; later
  // runs copy in the results other steps read and skip the rest. Not on a
  // part (the exchange may write their halo), nor when memory goes back.
  bool keepGraphOnly = !exchange && ghosts == 0 && !options.releaseMemory;
  if (!keepGraphOnly || graphOnlyCache.graph != graph.id()) {
    graphOnlyCache = GraphOnlyCache();
    graphOnlyCache.graph = keepGraphOnly ? graph.id() : 0;
  }
  bool graphOnlyKept = keepGraphOnly && graphOnlyCache.complete;

  for (size_t i = 0; i < s.steps.size(); ++i) {
    const Step &step = s.steps[i];
    GraphOnly ofGraph = keepGraphOnly ? graphOnlySteps[i] : GraphOnly::No;
    // Message kernels count edges (their chunks hold equal edge counts, so
    // the ETA holds on skewed graphs); other steps count rows.
    bool byEdges = step.kind != Step::Kind::Linear &&
                   (s.slots[step.result].edges || step.edgeBalanced);
    int64_t units = byEdges ? numEdges : rowsOf(step.result);
    std::optional<Progress> progress;
    if (options.progress)
      progress.emplace(stageName(s, i), units, byEdges ? "edges" : "rows");
    // Counts `done` units on the line, from a kernel chunk's thread. A live
    // line is drawn into a std::string: out of memory there loses the
    // line, never the run (nor leaves the OpenMP region).
    auto advance = [&](int64_t done) {
      if (!progress)
        return;
#pragma omp critical(gnn_executor_progress)
      {
        try {
          progress->advance(done);
        } catch (const std::bad_alloc &) {
        }
      }
    };
    if (graphOnlyKept && ofGraph != GraphOnly::No) {
      auto keptStart = std::chrono::steady_clock::now();
      if (ofGraph == GraphOnly::Keep) {
        const AlignedArray<float> &kept = graphOnlyCache.results.at(i);
        std::copy(kept.data(), kept.data() + kept.size(),
                  dataOf(step.result));
      }
      if (stats) {
        stats->stages.push_back({step.label, secondsSince(keptStart)});
        stats->keptSteps.push_back(step.label);
      }
      stepDone(i, progress, units);
      continue;
    }
    bool push = exchange && choosePush(i);
    if (exchange && !push)
      for (int view : step.gathers)
        if (llvm::Error e = fillHalo(i, view, Halo::Ghosts))
          return std::move(e);
    if (push)
      for (int view : step.push->targetReads)
        if (llvm::Error e = fillHalo(i, view, Halo::Mirrors))
          return std::move(e);
    haloHolds[plan.storage[step.result]] = Halo::Stale;
    int blocks = step.kind == Step::Kind::Launch && !push ? chooseBlocks(step) : 1;
    if (options.releaseMemory) {
      auto mapStart = std::chrono::steady_clock::now();
      for (size_t slot = 0; slot < s.slots.size(); ++slot)
        if (plan.live[slot].first == int(i))
          prefault(dataOf(slot), plan.bytes[slot]);
      memorySeconds += secondsSince(mapStart);
    }
    auto stepStart = std::chrono::steady_clock::now();
    const Slot &result = s.slots[step.result];
    float *out = dataOf(step.result);

    if (step.kind == Step::Kind::Linear) {
      const Slot &x = s.slots[step.inputs[0]];
      const Slot &w = s.slots[step.inputs[1]];
      int64_t rows = rowsOf(step.inputs[0]);
      if (step.sourceRowsOnly && onlySourceRows) {
        rows = std::min(n, graph.sourceEnd());
        if (stats)
          stats->linearRows.push_back({step.label, rows, n});
      }
      const float *bias = step.bias >= 0 ? dataOf(step.bias) : nullptr;
      if (step.accumulate >= 0 && dataOf(step.accumulate) != out) {
        // Not planned in place (the accumulated tensor is read later).
        const float *acc = dataOf(step.accumulate);
        std::copy(acc, acc + rows * result.rowSize, out);
      }
      // No rows (a graph without in-edges, for a source-rows step): no call.
      if (rows > 0)
        if (llvm::Error e = dense.run(
                dataOf(step.inputs[0]), rows * (x.rowSize / w.shape[1]),
                w.shape[1], dataOf(step.inputs[1]), w.shape[0], bias, out,
                step.epilogue,
                step.scale >= 0 ? dataOf(step.scale) : nullptr))
          return std::move(e);
    } else if (push) {
      // Partial states over the owned targets and the mirrors, merged at
      // the targets' owners, then finished there.
      llvm::Expected<const Graph *> pushGraph = exchange->pushGraph();
      if (!pushGraph)
        return pushGraph.takeError();
      const PushForm &form = *step.push;
      int64_t stateRows = (*pushGraph)->numVertices();
      size_t stateFloats = stateRows * form.stateFloats();
      if (states.size() < stateFloats) {
        states = AlignedArray<float>(stateFloats);
        prefault(states.data(), stateFloats * sizeof(float));
      }
      std::vector<void *> args;
      args.push_back(const_cast<int64_t *>((*pushGraph)->offsets()));
      args.push_back(const_cast<int32_t *>((*pushGraph)->sources()));
      for (int slot : step.inputs)
        args.push_back(dataOf(slot));
      args.push_back(states.data());
      launch(form.partial, args,
             splitRange(**pushGraph,
                        std::max<int64_t>(1, std::min<int64_t>(stateRows,
                                                               threads * 16)),
                        true));
      if (stats)
        stats->stages.push_back(
            {"kernel @" + form.partialKernel, secondsSince(stepStart)});

      auto exchangeStart = std::chrono::steady_clock::now();
      ExchangeTiming timing;
      timing.tensor = step.label;
      timing.form = "push";
      if (llvm::Error e = exchange->exchangePartials(
              states.data(), form.stateFloats(),
              [&](float *into, const float *from) {
                mergePartialState(form, into, from);
              },
              timing))
        return std::move(e);
      if (stats) {
        timing.seconds = secondsSince(exchangeStart);
        stats->stages.push_back({"exchange " + timing.tensor, timing.seconds});
        stats->exchanges.push_back(std::move(timing));
      }

      stepStart = std::chrono::steady_clock::now();
      args[0] = const_cast<int64_t *>(graph.offsets());
      args[1] = const_cast<int32_t *>(graph.sources());
      args.push_back(out);
      launch(form.finish, args, vertexChunks);
      if (stats)
        stats->stages.push_back(
            {"kernel @" + form.finishKernel, secondsSince(stepStart)});
      stepDone(i, progress, units);
      continue;
    } else if (blocks > 1) {
      // The in-edges from each block of sources in turn: the first starts
      // the state rows, the middle ones fold into them, the last folds and
      // finishes. Where a state row is a result row (no count, no softmax
      // terms, no update changing the width), the result holds the states.
      const SourceBlocks &split = gatherCache.blocks.at(blocks);
      const PushForm &form = *step.push;
      std::vector<void *> args{nullptr, nullptr};
      for (int slot : step.inputs)
        args.push_back(dataOf(slot));
      bool inPlace = form.stateFloats() == result.rowSize &&
                     llvm::find(args, static_cast<void *>(out)) == args.end();
      float *stateRows = out;
      if (!inPlace) {
        size_t stateFloats = n * form.stateFloats();
        if (states.size() < stateFloats) {
          states = AlignedArray<float>(stateFloats);
          prefault(states.data(), stateFloats * sizeof(float));
        }
        stateRows = states.data();
      }
      args.push_back(stateRows);
      for (int b = 0; b < blocks; ++b) {
        const int64_t *off = split.offsets[b].data();
        args[0] = const_cast<int64_t *>(off);
        args[1] = const_cast<int32_t *>(split.sources[b].data());
        bool last = b == blocks - 1;
        if (last)
          args.push_back(out);
        launch(b == 0 ? form.partial : last ? form.foldFinish : form.fold,
               args, splitRange(off, n, chunks, true),
               [&](int64_t begin, int64_t end) {
                 advance(off[end] - off[begin]);
               });
      }
    } else {
      std::vector<void *> args;
      args.push_back(const_cast<int64_t *>(graph.offsets()));
      args.push_back(const_cast<int32_t *>(graph.sources()));
      for (int slot : step.inputs)
        args.push_back(dataOf(slot));
      args.push_back(out);
      const int64_t *off = graph.offsets();
      const int32_t *sources = graph.sources();
      launch(step.fn, args,
             result.edges ? edgeRowChunks
                          : step.edgeBalanced ? edgeChunks : vertexChunks,
             [&](int64_t begin, int64_t end) {
               // The chunk's in-edges, or its edge rows.
               int64_t first = result.edges ? begin : off[begin];
               int64_t last = result.edges ? end : off[end];
               if (releaseSources)
                 dropPages(sources + first, (last - first) * sizeof(int32_t));
               advance(byEdges ? last - first : end - begin);
             });
    }

    if (ofGraph == GraphOnly::Keep) {
      size_t floats = size_t(rowsOf(step.result) * result.rowSize);
      AlignedArray<float> &kept = graphOnlyCache.results[i];
      if (kept.size() != floats)
        kept = AlignedArray<float>(floats);
      std::copy(out, out + floats, kept.data());
    }
    if (stats)
      stats->stages.push_back({step.label, secondsSince(stepStart)});
    // Kernels counted their chunks as they went.
    stepDone(i, progress, step.kind == Step::Kind::Linear ? units : 0);
  }
  if (keepGraphOnly)
    graphOnlyCache.complete = true;

  Tensor output;
  output.shape = {n};
  for (int64_t d : s.slots[s.output].shape)
    output.shape.push_back(d);
  double originalOrderSeconds = 0;
  int64_t outputWidth = s.slots[outputSlot].rowSize;
  if (s.slots[outputSlot].kind == SlotKind::Features) {
    output = Tensor(output.shape);
    if (backToOriginal)
      gatherRows(features.data(), graph.graphIds(), n, outputWidth,
                 output.data());
    else
      std::copy(features.data(), features.data() + output.numElements(),
                output.data());
  } else {
    if (backToOriginal) {
      auto start = std::chrono::steady_clock::now();
      gatherRows(outputRows, graph.graphIds(), n, outputWidth,
                 outputBuffer->data());
      originalOrderSeconds = secondsSince(start);
    }
    if (!reuse)
      graphOrderOutput = AlignedArray<float>();
    float *data = outputBuffer->data();
    size_t elements = outputBuffer->size();
    output.values =
        AlignedArray<float>::share(data, elements, std::move(outputBuffer));
  }
  if (stats) {
    stats->gatherSetupSeconds = gatherSetupSeconds;
    stats->totalSeconds = std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - runStart)
                              .count();
    stats->memorySeconds = memorySeconds;
    stats->originalOrderSeconds = originalOrderSeconds;
    stats->arenaBytes = plan.arenaBytes;
    stats->outputBytes = plan.outputBytes;
    stats->bufferBytes = plan.bufferBytes;
    stats->peakLiveBytes = plan.peakLiveBytes;
  }
  return output;
}

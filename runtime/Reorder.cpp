//===- Reorder.cpp - Degree, RCM and community vertex orders --------------===//
//
// See gnn/Reorder.h for what each order is. All are sequential and depend
// only on the graph, so the same graph always gets the same order.
//
//===----------------------------------------------------------------------===//

#include "gnn/Reorder.h"

#include "ResourceFaults.h"

#include <algorithm>
#include <cstring>
#include <numeric>

namespace gnn {
namespace {

llvm::Error fail(const std::string &where, const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 where + ": " + msg.str());
}

/// Out-degree of every vertex: how often its row is gathered.
std::vector<int64_t> outDegrees(const Graph &g) {
  std::vector<int64_t> deg(size_t(g.numVertices()), 0);
  const int32_t *src = g.sources();
  for (int64_t k = 0; k < g.numEdges(); ++k)
    ++deg[size_t(src[k])];
  return deg;
}

/// The graph's out-edges (the transpose of its CSR by destination):
/// targets of v are targets[offsets[v] .. offsets[v+1]), ascending.
struct OutEdges {
  std::vector<int64_t> offsets;
  std::vector<int32_t> targets;
};

OutEdges transpose(const Graph &g) {
  int64_t n = g.numVertices(), e = g.numEdges();
  OutEdges t;
  t.offsets.assign(size_t(n) + 1, 0);
  const int32_t *src = g.sources();
  const int64_t *off = g.offsets();
  for (int64_t k = 0; k < e; ++k)
    ++t.offsets[size_t(src[k]) + 1];
  for (int64_t v = 0; v < n; ++v)
    t.offsets[v + 1] += t.offsets[v];
  t.targets.resize(size_t(e));
  std::vector<int64_t> cursor(t.offsets.begin(), t.offsets.end() - 1);
  for (int64_t v = 0; v < n; ++v)
    for (int64_t k = off[v]; k < off[v + 1]; ++k)
      t.targets[size_t(cursor[src[k]]++)] = int32_t(v);
  return t;
}

/// Calls f(u) for each neighbour u of v in the symmetrised graph: its
/// in-edges' sources, then its out-edges' targets, duplicates included.
template <typename F>
inline void forNeighbours(const Graph &g, const OutEdges &out, int64_t v,
                          F &&f) {
  const int64_t *off = g.offsets();
  const int32_t *src = g.sources();
  for (int64_t k = off[v]; k < off[v + 1]; ++k)
    f(src[k]);
  for (int64_t k = out.offsets[v]; k < out.offsets[v + 1]; ++k)
    f(out.targets[size_t(k)]);
}

/// Each vertex's degree in the symmetrised graph: in- plus out-edges.
std::vector<int64_t> symmetricDegrees(const Graph &g, const OutEdges &out) {
  std::vector<int64_t> deg(size_t(g.numVertices()));
  for (int64_t v = 0; v < g.numVertices(); ++v)
    deg[size_t(v)] = g.inDegree(v) + (out.offsets[v + 1] - out.offsets[v]);
  return deg;
}

/// Vertices by descending `deg`, ties by ascending id.
std::vector<int32_t> byDescendingDegree(const std::vector<int64_t> &deg) {
  std::vector<int32_t> order(deg.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
    return deg[size_t(a)] > deg[size_t(b)];
  });
  return order;
}

std::vector<int32_t> degreeOrder(const Graph &g) {
  return byDescendingDegree(outDegrees(g));
}

std::vector<int32_t> rcmOrder(const Graph &g) {
  int64_t n = g.numVertices();
  OutEdges out = transpose(g);
  std::vector<int64_t> deg = symmetricDegrees(g, out);
  auto byDegree = [&](int32_t a, int32_t b) {
    return deg[size_t(a)] != deg[size_t(b)] ? deg[size_t(a)] < deg[size_t(b)]
                                            : a < b;
  };
  // Component starts: the unvisited vertex of least degree, smallest id.
  std::vector<int32_t> starts(static_cast<size_t>(n));
  std::iota(starts.begin(), starts.end(), 0);
  std::sort(starts.begin(), starts.end(), byDegree);

  std::vector<int32_t> order;
  order.reserve(size_t(n));
  std::vector<bool> visited(size_t(n), false);
  std::vector<int32_t> fresh;
  for (int32_t s : starts) {
    if (visited[size_t(s)])
      continue;
    visited[size_t(s)] = true;
    order.push_back(s);
    // Breadth first: `order` is the queue.
    for (size_t head = order.size() - 1; head < order.size(); ++head) {
      fresh.clear();
      forNeighbours(g, out, order[head], [&](int32_t u) {
        if (!visited[size_t(u)]) {
          visited[size_t(u)] = true;
          fresh.push_back(u);
        }
      });
      std::sort(fresh.begin(), fresh.end(), byDegree);
      order.insert(order.end(), fresh.begin(), fresh.end());
    }
  }
  std::reverse(order.begin(), order.end());
  return order;
}

std::vector<int32_t> communityOrder(const Graph &g) {
  int64_t n = g.numVertices();
  OutEdges out = transpose(g);
  std::vector<int64_t> deg = symmetricDegrees(g, out);

  std::vector<int32_t> label(static_cast<size_t>(n)), size(size_t(n), 1);
  std::iota(label.begin(), label.end(), 0);
  // Per label, the count of neighbours holding it (zero between vertices),
  // and the labels touched for the current vertex.
  std::vector<int64_t> count(size_t(n), 0);
  std::vector<int32_t> touched;
  for (int round = 0; round < kCommunityRounds; ++round) {
    int64_t moved = 0;
    for (int64_t v = 0; v < n; ++v) {
      touched.clear();
      forNeighbours(g, out, v, [&](int32_t u) {
        int32_t l = label[size_t(u)];
        if (count[size_t(l)]++ == 0)
          touched.push_back(l);
      });
      int32_t mine = label[size_t(v)], best = mine;
      int64_t bestCount = -1;
      for (int32_t l : touched) {
        int64_t c = count[size_t(l)];
        count[size_t(l)] = 0;
        // A full community takes no one in; v may stay where it is.
        if (l != mine && size[size_t(l)] >= kCommunitySize)
          continue;
        if (c > bestCount || (c == bestCount && l < best)) {
          best = l;
          bestCount = c;
        }
      }
      if (best != mine) {
        --size[size_t(mine)];
        ++size[size_t(best)];
        label[size_t(v)] = best;
        ++moved;
      }
    }
    if (moved == 0)
      break;
  }
  // Communities by their smallest vertex; inside, by descending degree,
  // then id.
  std::vector<int32_t> first(size_t(n), -1);
  for (int64_t v = 0; v < n; ++v)
    if (first[size_t(label[v])] < 0)
      first[size_t(label[v])] = int32_t(v);
  std::vector<int32_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
    int32_t ca = first[size_t(label[size_t(a)])],
            cb = first[size_t(label[size_t(b)])];
    if (ca != cb)
      return ca < cb;
    if (deg[size_t(a)] != deg[size_t(b)])
      return deg[size_t(a)] > deg[size_t(b)];
    return a < b;
  });
  return order;
}

} // namespace

llvm::Expected<VertexOrder> parseVertexOrder(llvm::StringRef name) {
  if (name == "none")
    return VertexOrder::None;
  if (name == "degree")
    return VertexOrder::Degree;
  if (name == "rcm")
    return VertexOrder::Rcm;
  if (name == "community")
    return VertexOrder::Community;
  return llvm::createStringError(
      llvm::inconvertibleErrorCode(),
      "--reorder must be none, degree, rcm or community, found '" + name +
          "'");
}

const char *vertexOrderName(VertexOrder order) {
  switch (order) {
  case VertexOrder::None:
    return "none";
  case VertexOrder::Degree:
    return "degree";
  case VertexOrder::Rcm:
    return "rcm";
  case VertexOrder::Community:
    return "community";
  }
  return "?";
}

llvm::Expected<std::vector<int32_t>> computeVertexOrder(const Graph &graph,
                                                        VertexOrder order) {
  return detail::catchOutOfMemory(
      "reorder", llvm::Twine("computing the ") + vertexOrderName(order) +
                     " order",
      [&]() -> llvm::Expected<std::vector<int32_t>> {
        switch (order) {
        case VertexOrder::Degree:
          return degreeOrder(graph);
        case VertexOrder::Rcm:
          return rcmOrder(graph);
        case VertexOrder::Community:
          return communityOrder(graph);
        case VertexOrder::None:
          break;
        }
        std::vector<int32_t> identity(size_t(graph.numVertices()));
        std::iota(identity.begin(), identity.end(), 0);
        return identity;
      });
}

llvm::Expected<Graph> permuteGraph(const Graph &graph,
                                   const std::vector<int32_t> &sequence) {
  const std::string where = "permuteGraph";
  int64_t n = graph.numVertices(), e = graph.numEdges();
  if (graph.numGhosts() != 0)
    return fail(where, "a graph part (with ghosts) cannot be renumbered "
                       "whole; reorder the vertices inside each part");
  if (int64_t(sequence.size()) != n)
    return fail(where, "the order has " + llvm::Twine(sequence.size()) +
                           " vertices for a graph of " + llvm::Twine(n));
  return detail::catchOutOfMemory(
      where, "renumbering the graph", [&]() -> llvm::Expected<Graph> {
        AlignedArray<int64_t> ids(static_cast<size_t>(n));
        for (int64_t i = 0; i < n; ++i)
          ids[i] = sequence[size_t(i)];
        if (std::string bad = describeBadPermutation(ids.data(), n,
                                                     "position");
            !bad.empty())
          return fail(where, "the order is not a permutation: " + bad);
        std::vector<int32_t> rank(static_cast<size_t>(n));
        for (int64_t i = 0; i < n; ++i)
          rank[size_t(sequence[size_t(i)])] = int32_t(i);
        const int64_t *off = graph.offsets();
        const int32_t *src = graph.sources();
        const int64_t *eid = graph.edgeIds();
        AlignedArray<int64_t> offsets(size_t(n) + 1);
        AlignedArray<int32_t> sources(static_cast<size_t>(e));
        AlignedArray<int64_t> edgeIds(static_cast<size_t>(e));
        int64_t pos = 0;
        for (int64_t i = 0; i < n; ++i) {
          int64_t v = sequence[size_t(i)];
          offsets[i] = pos;
          for (int64_t k = off[v]; k < off[v + 1]; ++k, ++pos) {
            sources[pos] = rank[size_t(src[k])];
            edgeIds[pos] = eid[k];
          }
        }
        offsets[n] = pos;
        // The user's ids: through the graph's own permutation, if any.
        if (const int64_t *orig = graph.originalIds())
          for (int64_t i = 0; i < n; ++i)
            ids[i] = orig[ids[i]];
        auto out = Graph::fromCsr(n, 0, std::move(offsets), std::move(sources),
                                  std::move(edgeIds), where);
        if (!out)
          return out.takeError();
        if (llvm::Error err = out->setOriginalIds(std::move(ids), where))
          return std::move(err);
        return std::move(*out);
      });
}

void detail::sortInEdgeRuns(const int64_t *off, int64_t count, int32_t *src,
                            int64_t *ids, float *rows, int64_t d) {
  std::vector<int64_t> order, sortedIds;
  std::vector<int32_t> sortedSrc;
  std::vector<float> sortedRows;
  for (int64_t t = 0; t < count; ++t) {
    int64_t b = off[t] - off[0], m = off[t + 1] - off[t];
    if (std::is_sorted(src + b, src + b + m))
      continue;
    order.resize(size_t(m));
    std::iota(order.begin(), order.end(), b);
    std::stable_sort(order.begin(), order.end(),
                     [&](int64_t x, int64_t y) { return src[x] < src[y]; });
    // The run's items of `width` elements of `a` into `order`.
    auto permute = [&](auto *a, int64_t width, auto &scratch) {
      scratch.resize(size_t(m * width));
      for (int64_t i = 0; i < m; ++i)
        std::copy_n(a + order[size_t(i)] * width, width,
                    scratch.data() + i * width);
      std::copy(scratch.begin(), scratch.end(), a + b * width);
    };
    permute(src, 1, sortedSrc);
    if (ids)
      permute(ids, 1, sortedIds);
    if (d > 0)
      permute(rows, d, sortedRows);
  }
}

llvm::Expected<Graph> sortInEdges(const Graph &graph) {
  const std::string where = "sortInEdges";
  int64_t n = graph.numVertices(), e = graph.numEdges();
  if (graph.numGhosts() != 0)
    return fail(where, "a graph part (with ghosts) is not a whole graph");
  return detail::catchOutOfMemory(
      where, "sorting the in-edges", [&]() -> llvm::Expected<Graph> {
        // A copy of the arrays, each vertex's run sorted in place.
        AlignedArray<int64_t> offsets(size_t(n) + 1);
        AlignedArray<int32_t> sources(static_cast<size_t>(e));
        AlignedArray<int64_t> edgeIds(static_cast<size_t>(e));
        std::copy_n(graph.offsets(), n + 1, offsets.data());
        std::copy_n(graph.sources(), e, sources.data());
        std::copy_n(graph.edgeIds(), e, edgeIds.data());
        detail::sortInEdgeRuns(offsets.data(), n, sources.data(), edgeIds.data(),
                               nullptr, 0);
        auto out = Graph::fromCsr(n, 0, std::move(offsets), std::move(sources),
                                  std::move(edgeIds), where);
        if (!out)
          return out.takeError();
        if (const int64_t *orig = graph.originalIds()) {
          AlignedArray<int64_t> ids(static_cast<size_t>(n));
          std::memcpy(ids.data(), orig, sizeof(int64_t) * size_t(n));
          if (llvm::Error err = out->setOriginalIds(std::move(ids), where))
            return std::move(err);
        }
        return std::move(*out);
      });
}

llvm::Expected<std::vector<int32_t>> streamDegreeOrder(EdgeStream &edges,
                                                       int64_t numVertices) {
  return detail::catchOutOfMemory(
      "streamDegreeOrder", "ordering the vertices by degree",
      [&]() -> llvm::Expected<std::vector<int32_t>> {
        std::vector<int64_t> deg(size_t(numVertices), 0);
        if (llvm::Error err = edges.forEach(
                [&](int64_t, const int64_t *src, const int64_t *, int64_t count) {
                  for (int64_t i = 0; i < count; ++i)
                    ++deg[size_t(src[i])];
                }))
          return std::move(err);
        return byDescendingDegree(deg);
      });
}

namespace {
/// An edge stream renamed through a rank table.
class RenumberedEdgeStream : public EdgeStream {
public:
  RenumberedEdgeStream(EdgeStream &edges, const std::vector<int32_t> &sequence)
      : edges(edges), rank(sequence.size()) {
    for (size_t i = 0; i < sequence.size(); ++i)
      rank[size_t(sequence[i])] = int32_t(i);
  }
  int64_t size() const override { return edges.size(); }
  llvm::Error forEach(Batch batch) override {
    std::vector<int64_t> src, dst;
    return edges.forEach([&](int64_t first, const int64_t *s, const int64_t *d,
                             int64_t count) {
      src.resize(size_t(count));
      dst.resize(size_t(count));
      for (int64_t i = 0; i < count; ++i) {
        src[size_t(i)] = rank[size_t(s[i])];
        dst[size_t(i)] = rank[size_t(d[i])];
      }
      batch(first, src.data(), dst.data(), count);
    });
  }

private:
  EdgeStream &edges;
  std::vector<int32_t> rank;
};
} // namespace

std::unique_ptr<EdgeStream>
renumberEdgeStream(EdgeStream &edges, const std::vector<int32_t> &sequence) {
  return std::make_unique<RenumberedEdgeStream>(edges, sequence);
}

} // namespace gnn

//===- Partition.cpp - Graph parts: assignment, extraction, their files ---===//
//
// A part is cut out of the whole destination-grouped CSR by walking its
// owned vertices in ascending global id (or in a given vertex order: a part
// reordered inside) and copying each one's in-edge
// list as it stands, so every sum a kernel runs sees its terms in the
// single-process order; only the source ids are renamed to local ones.
//
// A part file's layout is in PartFile.h. The manifest holds the counts
// and an xxh3-64 of each whole part file; a part is checked against both
// before any of it is used, so a file from another partitioning is
// refused, not misread.
//
//===----------------------------------------------------------------------===//

#include "gnn/Partition.h"

#include "PartFile.h"
#include "PartitionMetis.h"
#include "ResourceFaults.h"
#include "gnn/Npy.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <cassert>
#include <cstring>

using llvm::StringRef;
namespace endian = llvm::support::endian;

namespace gnn {
using namespace partfile;
namespace {

/// A part is a rank: more than this is a mistake, not a cluster.
constexpr int kMaxParts = 1 << 16;
/// Bounds on what a manifest may claim (with kMaxVertices and kMaxEdges);
/// sizes derived from them are overflow-checked as well.
constexpr int64_t kMaxWidth = int64_t(1) << 31;
/// A manifest is a few lines per part.
constexpr uint64_t kMaxManifestBytes = uint64_t(16) << 20;

std::string joinPath(const std::string &dir, const llvm::Twine &name) {
  llvm::SmallString<256> p(dir);
  llvm::sys::path::append(p, name);
  return std::string(p);
}
std::string manifestPath(const std::string &dir) {
  return joinPath(dir, "manifest");
}
std::string partPath(const std::string &dir, int part) {
  return joinPath(dir, "part-" + llvm::Twine(part) + ".bin");
}

/// Whether a directory entry is one a partition writer makes: the manifest,
/// a part file, or a temporary file of either left by an interrupted write.
bool isPartitionFileName(StringRef name) {
  if (name == "manifest" || name.starts_with("manifest.tmp."))
    return true;
  if (!name.consume_front("part-"))
    return false;
  size_t digits = 0;
  while (digits < name.size() && llvm::isDigit(name[digits]))
    ++digits;
  name = name.drop_front(digits);
  return digits > 0 && (name == ".bin" || name.starts_with(".bin.tmp."));
}

/// Makes `dir` ready to receive a partition: created if absent; refused if
/// it is a file, or a directory that holds anything else than a partition.
llvm::Error prepareDirectory(const std::string &dir) {
  if (!llvm::sys::fs::exists(dir)) {
    if (std::error_code ec = llvm::sys::fs::create_directories(dir))
      return fail(dir, "cannot create directory: " + ec.message());
    return llvm::Error::success();
  }
  if (!llvm::sys::fs::is_directory(dir))
    return fail(dir, "exists and is not a directory; refusing to overwrite it");
  if (isPartitionDirectory(dir))
    return llvm::Error::success();
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec)) {
    StringRef name = llvm::sys::path::filename(it->path());
    if (!isPartitionFileName(name))
      return fail(dir, "exists and is not a partition directory (it holds '" +
                           name + "'); refusing to overwrite it");
  }
  if (ec)
    return fail(dir, "cannot list directory: " + ec.message());
  return llvm::Error::success();
}

/// Removes the part files of an older partition with more parts.
void removeStaleParts(const std::string &dir, int numParts) {
  std::error_code ec;
  std::vector<std::string> stale;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec)) {
    StringRef name = llvm::sys::path::filename(it->path());
    unsigned k;
    if (name.consume_front("part-") && name.consume_back(".bin") &&
        !name.getAsInteger(10, k) && k >= unsigned(numParts))
      stale.push_back(it->path());
  }
  for (const std::string &path : stale)
    llvm::sys::fs::remove(path);
}

/// Serialises `part` into the bytes of its file (padding zeroed, so equal
/// parts give equal bytes and checksums).
std::vector<char> serializePart(const GraphPart &part, const PartCounts &c) {
  Layout layout;
  bool ok = computeLayout(c, layout);
  assert(ok && "layout of an in-memory part overflows");
  (void)ok;
  std::vector<char> bytes(layout.fileSize, 0);
  char *h = bytes.data();
  writeHeader(h, part.part, part.numParts, part.globalVertices,
              part.globalEdges, c, layout);
  // The arrays in the host's byte order, which the format fixes as
  // little-endian (every target gnnc builds for).
  const void *sources[kNumArrays] = {
      part.globalIds.data(),   part.graph.offsets(),
      part.graph.sources(),    part.graph.edgeIds(),
      part.ghostOwner.data(),  part.ghostRemote.data(),
      part.features.data(),    part.edgeFeatures.data()};
  for (int i = 0; i < kNumArrays; ++i)
    if (layout.length[i])
      std::memcpy(h + layout.offset[i], sources[i], layout.length[i]);
  return bytes;
}

/// A copy of array `i` of a mapped part file (already bounds-checked).
template <typename T>
AlignedArray<T> copyArray(StringRef file, const Layout &layout, Array i) {
  AlignedArray<T> out(layout.length[i] / sizeof(T));
  if (layout.length[i])
    std::memcpy(out.data(), file.data() + layout.offset[i], layout.length[i]);
  return out;
}

/// Reads "COUNT" in [0, max] into `out`; false if it is not one.
bool parseCount(StringRef token, int64_t max, int64_t &out) {
  uint64_t v;
  if (token.empty() || !llvm::all_of(token, llvm::isDigit) ||
      token.getAsInteger(10, v) || v > uint64_t(max))
    return false;
  out = int64_t(v);
  return true;
}

} // namespace

//===----------------------------------------------------------------------===//
// Assignment
//===----------------------------------------------------------------------===//

llvm::Expected<std::vector<int32_t>>
assignParts(const Graph &graph, int parts, PartitionMethod method,
            int64_t vertexWeight) {
  int64_t n = graph.numVertices();
  if (parts < 1 || parts > kMaxParts)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "the part count " + llvm::Twine(parts) +
                                       " is not in [1, " +
                                       llvm::Twine(kMaxParts) + "]");
  // Empty parts can still come out of METIS (or a range next to a hub),
  // and the format allows them; asking for them is refused as a mistake.
  if (parts > std::max<int64_t>(n, 1))
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "cannot split " + llvm::Twine(n) + " vertices into " +
            llvm::Twine(parts) + " parts: a part would own no vertex");
  if (vertexWeight < 0 || vertexWeight > (int64_t(1) << 20))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "the vertex weight " + llvm::Twine(vertexWeight) +
                                       " is not in [0, 2^20]");
  if (parts == 1)
    return std::vector<int32_t>(size_t(n), 0);
  if (method == PartitionMethod::Metis)
    return detail::metisParts(graph, parts, vertexWeight);

  // Range: part c gets the vertices from the first v with
  // offsets[v] + vertexWeight * v >= total * c / parts.
  std::vector<int32_t> owner(static_cast<size_t>(n));
  const int64_t *off = graph.offsets();
  int64_t total = graph.numEdges() + vertexWeight * n, begin = 0;
  for (int c = 0; c < parts; ++c) {
    int64_t end = n;
    if (c + 1 < parts) {
      int64_t target = total / parts * (c + 1) +
                       total % parts * (c + 1) / parts; // No overflow.
      int64_t lo = begin, hi = n;
      while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (off[mid] + vertexWeight * mid < target)
          lo = mid + 1;
        else
          hi = mid;
      }
      end = lo;
    }
    std::fill(owner.begin() + begin, owner.begin() + end, int32_t(c));
    begin = end;
  }
  return owner;
}

//===----------------------------------------------------------------------===//
// Extraction and what it costs
//===----------------------------------------------------------------------===//

/// An assignment of `graph`'s vertices to `numParts` parts, as
/// extractPart, summarizePartition and writePartitionDirectory take it;
/// errors name `where`.
static llvm::Error checkAssignment(const std::string &where, const Graph &graph,
                                   const std::vector<int32_t> &owner,
                                   int numParts) {
  int64_t n = graph.numVertices();
  if (numParts < 1 || numParts > kMaxParts)
    return fail(where, "the part count " + llvm::Twine(numParts) +
                           " is not in [1, " + llvm::Twine(kMaxParts) + "]");
  if (int64_t(owner.size()) != n)
    return fail(where, "the part assignment has " + llvm::Twine(owner.size()) +
                           " entries for " + llvm::Twine(n) + " vertices");
  for (int64_t v = 0; v < n; ++v)
    if (owner[v] < 0 || owner[v] >= numParts)
      return fail(where, "vertex " + llvm::Twine(v) + " is assigned to part " +
                             llvm::Twine(owner[v]) + ", not in [0, " +
                             llvm::Twine(numParts) + ")");
  return llvm::Error::success();
}

/// An order of `graph`'s vertices (null: ascending) as extractPart and
/// writePartitionDirectory take it: a permutation of 0..N-1.
static llvm::Error checkOrder(const std::string &where, const Graph &graph,
                              const std::vector<int32_t> *order) {
  if (!order)
    return llvm::Error::success();
  int64_t n = graph.numVertices();
  if (int64_t(order->size()) != n)
    return fail(where, "the vertex order has " + llvm::Twine(order->size()) +
                           " entries for " + llvm::Twine(n) + " vertices");
  std::vector<int64_t> ids(order->begin(), order->end());
  if (std::string bad = describeBadPermutation(ids.data(), n, "position");
      !bad.empty())
    return fail(where, "the vertex order is not a permutation: " + bad);
  return llvm::Error::success();
}

/// Features [N, F] and edge features in CSR order [E, D] of `graph`, each
/// optional, that a part's rows are copied from.
static llvm::Error checkPartFeatures(const std::string &where,
                                     const Graph &graph, const Tensor *features,
                                     const Tensor *edgeFeaturesCsr) {
  auto fits = [](const Tensor &t, int64_t rows) {
    return t.shape.size() == 2 && t.shape[0] == rows && t.shape[1] >= 0 &&
           t.shape[1] < kMaxWidth;
  };
  if (features) {
    if (!fits(*features, graph.numVertices()))
      return fail(where, "features of shape " + formatShape(features->shape) +
                             " are not [" + llvm::Twine(graph.numVertices()) +
                             ", F]");
    if (std::string bad = describeBadStorage(*features); !bad.empty())
      return fail(where, "features " + bad);
  }
  if (edgeFeaturesCsr) {
    if (!fits(*edgeFeaturesCsr, graph.numEdges()))
      return fail(where, "edge features of shape " +
                             formatShape(edgeFeaturesCsr->shape) +
                             " are not [" + llvm::Twine(graph.numEdges()) +
                             ", D]");
    if (std::string bad = describeBadStorage(*edgeFeaturesCsr); !bad.empty())
      return fail(where, "edge features " + bad);
  }
  return llvm::Error::success();
}

/// extractPart once its arguments are checked.
static GraphPart extractCheckedPart(const Graph &graph,
                                    const std::vector<int32_t> &owner,
                                    int numParts, int part,
                                    const Tensor *features,
                                    const Tensor *edgeFeaturesCsr,
                                    const std::vector<int32_t> *order) {
  int64_t n = graph.numVertices();
  assert(int64_t(owner.size()) == n && part >= 0 && part < numParts);
  assert((!order || int64_t(order->size()) == n) && "order of another size");
  const int64_t *off = graph.offsets();
  const int32_t *src = graph.sources();
  const int64_t *eid = graph.edgeIds();
  // The vertices in the order parts number them: ascending, or `order`.
  auto vertexAt = [&](int64_t i) -> int64_t {
    return order ? (*order)[size_t(i)] : i;
  };
  // The user's id of each graph vertex (a reordered graph's originalIds).
  const int64_t *orig = graph.originalIds();

  // The id each vertex has in its owner: its rank among the owner's
  // vertices in that order.
  std::vector<int32_t> remoteId(static_cast<size_t>(n));
  std::vector<int64_t> counts(size_t(numParts), 0);
  for (int64_t i = 0; i < n; ++i) {
    int64_t v = vertexAt(i);
    assert(owner[v] >= 0 && owner[v] < numParts && "owner out of range");
    remoteId[v] = int32_t(counts[owner[v]]++);
  }

  GraphPart p;
  p.part = part;
  p.numParts = numParts;
  p.globalVertices = n;
  p.globalEdges = graph.numEdges();
  p.owned = counts[part];
  // globalIds holds graph ids while the part is built, the user's ids
  // (through `orig`) at the end.
  p.globalIds.reserve(size_t(p.owned));
  for (int64_t i = 0; i < n; ++i)
    if (int64_t v = vertexAt(i); owner[v] == part)
      p.globalIds.push_back(v);

  // Local ids: owned vertices by rank; ghosts (-2 while collected) after
  // them, sorted by (owner, id there) so each owner's block is contiguous.
  std::vector<int32_t> local(size_t(n), -1);
  for (int64_t i = 0; i < p.owned; ++i)
    local[p.globalIds[i]] = int32_t(i);
  std::vector<int32_t> ghostList;
  int64_t edges = 0;
  for (int64_t i = 0; i < p.owned; ++i) {
    int64_t v = p.globalIds[i];
    edges += off[v + 1] - off[v];
    for (int64_t k = off[v]; k < off[v + 1]; ++k)
      if (local[src[k]] == -1) {
        local[src[k]] = -2;
        ghostList.push_back(src[k]);
      }
  }
  std::sort(ghostList.begin(), ghostList.end(), [&](int32_t a, int32_t b) {
    return owner[a] != owner[b] ? owner[a] < owner[b]
                                : remoteId[a] < remoteId[b];
  });
  p.ghosts = int64_t(ghostList.size());
  for (int64_t g = 0; g < p.ghosts; ++g) {
    int32_t s = ghostList[g];
    local[s] = int32_t(p.owned + g);
    p.globalIds.push_back(s);
    p.ghostOwner.push_back(owner[s]);
    p.ghostRemote.push_back(remoteId[s]);
  }

  // Each in-edge list copied in its global order, sources renamed.
  AlignedArray<int64_t> offsets(size_t(p.owned) + 1);
  AlignedArray<int32_t> sources(static_cast<size_t>(edges));
  AlignedArray<int64_t> edgeIds(static_cast<size_t>(edges));
  int64_t pos = 0;
  for (int64_t i = 0; i < p.owned; ++i) {
    int64_t v = p.globalIds[i];
    offsets[i] = pos;
    for (int64_t k = off[v]; k < off[v + 1]; ++k, ++pos) {
      sources[pos] = local[src[k]];
      edgeIds[pos] = eid[k];
    }
  }
  offsets[p.owned] = pos;
  p.graph = llvm::cantFail(Graph::fromCsr(p.owned, p.ghosts, std::move(offsets),
                                          std::move(sources),
                                          std::move(edgeIds), "graph part"));

  // A width of 0 stores nothing, as in the part file.
  if (features && features->shape.size() == 2 && features->shape[1] > 0) {
    assert(features->shape[0] == n && "features are not [N, F]");
    int64_t f = features->shape[1];
    p.features = Tensor({p.owned + p.ghosts, f});
    float *out = p.features.data();
    for (int64_t i = 0; i < p.owned; ++i)
      std::memcpy(out + i * f, features->data() + p.globalIds[i] * f,
                  sizeof(float) * f);
    std::memset(out + p.owned * f, 0, sizeof(float) * p.ghosts * f);
  }
  if (edgeFeaturesCsr && edgeFeaturesCsr->shape.size() == 2 &&
      edgeFeaturesCsr->shape[1] > 0) {
    assert(edgeFeaturesCsr->shape[0] == graph.numEdges() &&
           "edge features are not [E, D]");
    int64_t d = edgeFeaturesCsr->shape[1];
    p.edgeFeatures = Tensor({edges, d});
    // A vertex's in-edges are contiguous in both CSRs: one block each.
    float *out = p.edgeFeatures.data();
    for (int64_t i = 0; i < p.owned; ++i) {
      int64_t v = p.globalIds[i], count = off[v + 1] - off[v];
      std::memcpy(out, edgeFeaturesCsr->data() + off[v] * d,
                  sizeof(float) * count * d);
      out += count * d;
    }
  }
  if (orig)
    for (int64_t &id : p.globalIds)
      id = orig[id];
  return p;
}

llvm::Expected<GraphPart> extractPart(const Graph &graph,
                                      const std::vector<int32_t> &owner,
                                      int numParts, int part,
                                      const Tensor *features,
                                      const Tensor *edgeFeaturesCsr,
                                      const std::vector<int32_t> *order) {
  const std::string where = "extractPart";
  if (llvm::Error err = checkAssignment(where, graph, owner, numParts))
    return std::move(err);
  if (llvm::Error err = checkOrder(where, graph, order))
    return std::move(err);
  if (part < 0 || part >= numParts)
    return fail(where, "part " + llvm::Twine(part) + " is not in [0, " +
                           llvm::Twine(numParts) + ")");
  if (llvm::Error err =
          checkPartFeatures(where, graph, features, edgeFeaturesCsr))
    return std::move(err);
  return gnn::detail::catchOutOfMemory(
      where, "extracting part " + llvm::Twine(part),
      [&]() -> llvm::Expected<GraphPart> {
        return extractCheckedPart(graph, owner, numParts, part, features,
                                  edgeFeaturesCsr, order);
      });
}

llvm::Expected<PartitionSummary>
summarizePartition(const Graph &graph, const std::vector<int32_t> &owner,
                   int numParts) {
  if (llvm::Error err =
          checkAssignment("summarizePartition", graph, owner, numParts))
    return std::move(err);
  int64_t n = graph.numVertices();
  const int64_t *off = graph.offsets();
  const int32_t *src = graph.sources();
  PartitionSummary s;
  s.owned.assign(size_t(numParts), 0);
  s.ghosts.assign(size_t(numParts), 0);
  s.edges.assign(size_t(numParts), 0);
  s.mirrors.assign(size_t(numParts), 0);
  // Per source part, the last target it was counted a mirror for.
  std::vector<int64_t> lastTarget(size_t(numParts), -1);
  for (int64_t v = 0; v < n; ++v) {
    s.owned[owner[v]] += 1;
    s.edges[owner[v]] += off[v + 1] - off[v];
    for (int64_t k = off[v]; k < off[v + 1]; ++k) {
      int32_t q = owner[src[k]];
      if (q == owner[v])
        continue;
      ++s.cutEdges;
      if (lastTarget[q] != v) {
        lastTarget[q] = v;
        ++s.mirrors[q];
      }
    }
  }
  // Vertices grouped by part, so that one stamp per vertex (the last part
  // that counted it as a ghost) finds each part's distinct ghosts.
  std::vector<int64_t> start(size_t(numParts) + 1, 0);
  for (int p = 0; p < numParts; ++p)
    start[p + 1] = start[p] + s.owned[p];
  std::vector<int32_t> byPart(static_cast<size_t>(n));
  {
    std::vector<int64_t> cursor(start.begin(), start.end() - 1);
    for (int64_t v = 0; v < n; ++v)
      byPart[cursor[owner[v]]++] = int32_t(v);
  }
  std::vector<int32_t> stamp(size_t(n), -1);
  for (int p = 0; p < numParts; ++p)
    for (int64_t i = start[p]; i < start[p + 1]; ++i) {
      int64_t v = byPart[i];
      for (int64_t k = off[v]; k < off[v + 1]; ++k) {
        int32_t u = src[k];
        if (owner[u] != p && stamp[u] != p) {
          stamp[u] = p;
          ++s.ghosts[p];
        }
      }
    }
  return s;
}

//===----------------------------------------------------------------------===//
// The directory
//===----------------------------------------------------------------------===//

bool isPartitionDirectory(const std::string &path) {
  return llvm::sys::fs::is_directory(path) &&
         llvm::sys::fs::is_regular_file(manifestPath(path));
}

llvm::Error writePartitionDirectory(const std::string &dir, const Graph &graph,
                                    const std::vector<int32_t> &owner,
                                    int numParts, const std::string &method,
                                    const Tensor *features,
                                    const Tensor *edgeFeaturesCsr,
                                    const std::vector<int32_t> *order) {
  int64_t n = graph.numVertices();
  if (llvm::Error err = checkAssignment(dir, graph, owner, numParts))
    return err;
  if (llvm::Error err = checkOrder(dir, graph, order))
    return err;
  if (method.empty() || !llvm::all_of(method, [](char c) {
        return llvm::isAlnum(c) || c == '-' || c == '_';
      }))
    return fail(dir, "the method name '" + method +
                         "' is not a word of letters, digits, '-' and '_'");
  if (llvm::Error err = checkPartFeatures(dir, graph, features, edgeFeaturesCsr))
    return err;
  PartCounts counts;
  if (features)
    counts.featureWidth = features->shape[1];
  if (edgeFeaturesCsr)
    counts.edgeFeatureWidth = edgeFeaturesCsr->shape[1];
  if (llvm::Error err = prepareDirectory(dir))
    return err;
  // The old manifest goes first: until the new one is written the
  // directory is not a partition that anything would load.
  std::string manifestFile = manifestPath(dir);
  if (std::error_code ec = llvm::sys::fs::remove(manifestFile))
    return fail(manifestFile, "cannot remove the old manifest: " + ec.message());

  PartitionManifest m;
  m.vertices = n;
  m.edges = graph.numEdges();
  m.parts = numParts;
  m.featureWidth = counts.featureWidth;
  m.edgeFeatureWidth = counts.edgeFeatureWidth;
  m.method = method;
  for (int k = 0; k < numParts; ++k) {
    // Parts one at a time: memory stays at one part beyond the input.
    std::vector<char> bytes;
    {
      GraphPart part = extractCheckedPart(graph, owner, numParts, k, features,
                                          edgeFeaturesCsr, order);
      counts.owned = part.owned;
      counts.ghosts = part.ghosts;
      counts.edges = part.graph.numEdges();
      bytes = serializePart(part, counts);
    }
    PartitionManifest::Part info;
    info.owned = counts.owned;
    info.ghosts = counts.ghosts;
    info.edges = counts.edges;
    info.checksum = llvm::xxh3_64bits(StringRef(bytes.data(), bytes.size()));
    m.partInfo.push_back(info);
    if (llvm::Error err = writeFileAtomically(
            partPath(dir, k), [&](llvm::raw_ostream &os) {
              os.write(bytes.data(), bytes.size());
              return llvm::Error::success();
            }))
      return err;
  }

  llvm::Error err =
      writeFileAtomically(manifestFile, [&](llvm::raw_ostream &os) {
        os << "gnnc-partition " << PartitionManifest::kVersion << "\n"
           << "vertices " << m.vertices << "\n"
           << "edges " << m.edges << "\n"
           << "parts " << m.parts << "\n"
           << "features " << m.featureWidth << "\n"
           << "edge-features " << m.edgeFeatureWidth << "\n"
           << "method " << m.method << "\n";
        for (int k = 0; k < m.parts; ++k) {
          const PartitionManifest::Part &p = m.partInfo[k];
          os << "part " << k << " owned " << p.owned << " ghosts " << p.ghosts
             << " edges " << p.edges << " checksum "
             << llvm::format_hex_no_prefix(p.checksum, 16) << "\n";
        }
        return llvm::Error::success();
      });
  if (err)
    return err;
  removeStaleParts(dir, numParts);
  return llvm::Error::success();
}

llvm::Expected<PartitionManifest> readManifest(const std::string &dir) {
  std::string path = manifestPath(dir);
  uint64_t size = 0;
  if (std::error_code ec = llvm::sys::fs::file_size(path, size))
    return fail(path, "cannot read file: " + ec.message() +
                          (llvm::sys::fs::is_directory(dir)
                               ? " (not a partition directory?)"
                               : ""));
  if (size > kMaxManifestBytes)
    return fail(path, "is " + llvm::Twine(size) +
                          " bytes, too large for a manifest");
  auto bufOr = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                           /*RequiresNullTerminator=*/false);
  if (!bufOr)
    return fail(path, "cannot read file: " + bufOr.getError().message());
  StringRef rest = (*bufOr)->getBuffer();

  PartitionManifest m;
  bool seen[6] = {};
  const char *keys[6] = {"vertices", "edges",         "parts",
                         "features", "edge-features", "method"};
  int64_t *values[5] = {&m.vertices, &m.edges, nullptr, &m.featureWidth,
                        &m.edgeFeatureWidth};
  const int64_t limits[5] = {kMaxVertices - 1, kMaxEdges, kMaxParts,
                             kMaxWidth - 1, kMaxWidth - 1};
  for (int64_t lineNo = 1; !rest.empty(); ++lineNo) {
    auto [line, tail] = rest.split('\n');
    rest = tail;
    auto where = [&] { return path + ":" + std::to_string(lineNo); };
    llvm::SmallVector<StringRef, 12> tokens;
    llvm::SplitString(line, tokens, " \t\r");
    if (lineNo == 1) {
      if (tokens.size() != 2 || tokens[0] != "gnnc-partition")
        return fail(where(), "not a gnnc partition manifest (expected "
                             "'gnnc-partition " +
                                 llvm::Twine(PartitionManifest::kVersion) +
                                 "')");
      if (tokens[1] != std::to_string(PartitionManifest::kVersion))
        return fail(where(), "format version '" + tokens[1].take_front(20) +
                                 "', this build reads version " +
                                 llvm::Twine(PartitionManifest::kVersion));
      continue;
    }
    if (tokens.empty())
      continue;
    StringRef key = tokens[0];
    if (key == "part") {
      // part K owned O ghosts G edges E checksum HEX, in order of K.
      int64_t k, fields[3];
      if (tokens.size() != 10 || tokens[2] != "owned" ||
          tokens[4] != "ghosts" || tokens[6] != "edges" ||
          tokens[8] != "checksum")
        return fail(where(), "expected 'part K owned O ghosts G edges E "
                             "checksum HEX'");
      if (!parseCount(tokens[1], kMaxParts, k) ||
          k != int64_t(m.partInfo.size()))
        return fail(where(), "expected part " +
                                 llvm::Twine(m.partInfo.size()) +
                                 " (parts are listed in order)");
      for (int i = 0; i < 3; ++i)
        if (!parseCount(tokens[3 + 2 * i], i == 2 ? kMaxEdges : kMaxVertices - 1,
                        fields[i]))
          return fail(where(), "part " + llvm::Twine(k) + ": bad " +
                                   tokens[2 + 2 * i] + " count '" +
                                   tokens[3 + 2 * i].take_front(20) + "'");
      StringRef hex = tokens[9];
      PartitionManifest::Part info;
      if (hex.size() != 16 || !llvm::all_of(hex, llvm::isHexDigit) ||
          hex.getAsInteger(16, info.checksum))
        return fail(where(), "part " + llvm::Twine(k) +
                                 ": the checksum is not 16 hex digits");
      info.owned = fields[0];
      info.ghosts = fields[1];
      info.edges = fields[2];
      m.partInfo.push_back(info);
      continue;
    }
    int index = int(std::find(keys, keys + 6, key) - keys);
    if (index == 6)
      return fail(where(), "unknown key '" + key.take_front(20) + "'");
    if (seen[index])
      return fail(where(), "'" + key + "' is given twice");
    seen[index] = true;
    if (tokens.size() != 2)
      return fail(where(), "expected '" + key + " VALUE'");
    if (key == "method") {
      m.method = tokens[1].take_front(64).str();
      continue;
    }
    int64_t value;
    if (!parseCount(tokens[1], limits[index], value))
      return fail(where(), "'" + key + "' must be an integer in [0, " +
                               llvm::Twine(limits[index]) + "], found '" +
                               tokens[1].take_front(20) + "'");
    if (key == "parts")
      m.parts = int(value);
    else
      *values[index] = value;
  }

  for (int i = 0; i < 6; ++i)
    if (!seen[i])
      return fail(path, "'" + llvm::Twine(keys[i]) + "' is missing");
  if (m.parts < 1)
    return fail(path, "'parts' must be at least 1");
  if (int64_t(m.partInfo.size()) != m.parts)
    return fail(path, "lists " + llvm::Twine(m.partInfo.size()) +
                          " parts, but 'parts' is " + llvm::Twine(m.parts));
  int64_t owned = 0, edges = 0;
  for (int k = 0; k < m.parts; ++k) {
    const PartitionManifest::Part &p = m.partInfo[k];
    owned += p.owned; // Each is below 2^31 and there are at most 2^16.
    edges += p.edges; // Each is at most 2^48: no overflow either.
    if (p.ghosts > m.vertices - std::min(p.owned, m.vertices))
      return fail(path, "part " + llvm::Twine(k) + " has " +
                            llvm::Twine(p.ghosts) + " ghosts beside " +
                            llvm::Twine(p.owned) + " owned vertices, more "
                            "than the graph's " +
                            llvm::Twine(m.vertices) + " vertices");
  }
  if (owned != m.vertices)
    return fail(path, "the parts own " + llvm::Twine(owned) +
                          " vertices in all, but 'vertices' is " +
                          llvm::Twine(m.vertices));
  if (edges != m.edges)
    return fail(path, "the parts hold " + llvm::Twine(edges) +
                          " edges in all, but 'edges' is " +
                          llvm::Twine(m.edges));
  return m;
}

llvm::Expected<GraphPart> loadPart(const std::string &dir,
                                   const PartitionManifest &manifest,
                                   int part) {
  if (part < 0 || part >= manifest.parts ||
      int64_t(manifest.partInfo.size()) != manifest.parts)
    return fail(manifestPath(dir), "has no part " + llvm::Twine(part) +
                                       " (it lists " +
                                       llvm::Twine(manifest.partInfo.size()) +
                                       ")");
  std::string path = partPath(dir, part);
  const PartitionManifest::Part &info = manifest.partInfo[part];
  PartCounts counts;
  counts.owned = info.owned;
  counts.ghosts = info.ghosts;
  counts.edges = info.edges;
  counts.featureWidth = manifest.featureWidth;
  counts.edgeFeatureWidth = manifest.edgeFeatureWidth;
  Layout expected;
  if (info.owned < 0 || info.ghosts < 0 || info.edges < 0 ||
      manifest.featureWidth < 0 || manifest.edgeFeatureWidth < 0 ||
      !computeLayout(counts, expected))
    return fail(path, "the manifest's counts for this part are out of range");

  // Mapped, not read: part files are large. Not volatile: nothing writes
  // a part file in place (writers rename whole files over it).
  auto bufOr = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                           /*RequiresNullTerminator=*/false,
                                           /*IsVolatile=*/false);
  if (!bufOr)
    return fail(path, "cannot read file: " + bufOr.getError().message());
  StringRef file = (*bufOr)->getBuffer();
  if (file.size() != expected.fileSize)
    return fail(path, "is " + llvm::Twine(file.size()) +
                          " bytes, but the manifest's counts make " +
                          llvm::Twine(expected.fileSize) +
                          " (truncated, or from another partitioning)");
  uint64_t checksum = llvm::xxh3_64bits(file);
  if (checksum != info.checksum)
    return fail(path, "checksum " + llvm::utohexstr(checksum, true, 16) +
                          " does not match the manifest's " +
                          llvm::utohexstr(info.checksum, true, 16) +
                          " (damaged, or from another partitioning)");

  // The header, field by field against the manifest.
  const char *h = file.data();
  if (std::memcmp(h, kMagic, sizeof(kMagic)) != 0)
    return fail(path, "not a gnnc part file (bad magic)");
  if (uint32_t v = endian::read32le(h + 8); v != kFileVersion)
    return fail(path, "part file version " + llvm::Twine(v) +
                          ", this build reads version " +
                          llvm::Twine(kFileVersion));
  struct Field {
    const char *name;
    size_t at;
    int64_t want;
    bool is32;
  } fields[] = {{"part", 12, part, true},
                {"parts", 16, manifest.parts, true},
                {"vertices", 24, manifest.vertices, false},
                {"edges", 32, manifest.edges, false},
                {"owned", 40, info.owned, false},
                {"ghosts", 48, info.ghosts, false},
                {"part edges", 56, info.edges, false},
                {"feature width", 64, manifest.featureWidth, false},
                {"edge feature width", 72, manifest.edgeFeatureWidth, false}};
  for (const Field &f : fields) {
    uint64_t got = f.is32 ? endian::read32le(h + f.at) : endian::read64le(h + f.at);
    if (got != uint64_t(f.want))
      return fail(path, "header " + llvm::Twine(f.name) + " is " +
                            llvm::Twine(got) + ", the manifest says " +
                            llvm::Twine(f.want));
  }
  Layout layout;
  for (int i = 0; i < kNumArrays; ++i) {
    uint64_t offset = endian::read64le(h + kTableOffset + 16 * i);
    uint64_t length = endian::read64le(h + kTableOffset + 16 * i + 8);
    if (length != expected.length[i])
      return fail(path, llvm::Twine(kArrayNames[i]) + " is " +
                            llvm::Twine(length) + " bytes, expected " +
                            llvm::Twine(expected.length[i]));
    if (offset < kHeaderSize || offset % kAlign != 0 || offset > file.size() ||
        length > file.size() - offset)
      return fail(path, llvm::Twine(kArrayNames[i]) + " at offset " +
                            llvm::Twine(offset) + " (" + llvm::Twine(length) +
                            " bytes) is not an aligned range inside the file");
    layout.offset[i] = offset;
    layout.length[i] = length;
  }

  // Copied out of the mapping for now (Graph owns aligned arrays); a
  // Graph that borrows the mapping would save the copy and the memory.
  GraphPart p;
  p.part = part;
  p.numParts = manifest.parts;
  p.globalVertices = manifest.vertices;
  p.globalEdges = manifest.edges;
  p.owned = info.owned;
  p.ghosts = info.ghosts;
  int64_t rows = info.owned + info.ghosts;
  {
    AlignedArray<int64_t> ids = copyArray<int64_t>(file, layout, GlobalIds);
    // Owned vertices ascend by global id, or come in any order in a part
    // reordered inside (gnn-graph partition --reorder); none twice.
    bool ascending = true;
    for (int64_t i = 0; i < rows; ++i) {
      if (uint64_t(ids[i]) >= uint64_t(manifest.vertices))
        return fail(path, "local vertex " + llvm::Twine(i) + " has global id " +
                              llvm::Twine(ids[i]) + ", not below " +
                              llvm::Twine(manifest.vertices));
      if (i > 0 && i < info.owned && ids[i] <= ids[i - 1])
        ascending = false;
    }
    std::vector<int64_t> sortedOwned;
    const int64_t *ownedIds = ids.data();
    if (!ascending) {
      sortedOwned.assign(ids.data(), ids.data() + info.owned);
      std::sort(sortedOwned.begin(), sortedOwned.end());
      auto repeat = std::adjacent_find(sortedOwned.begin(), sortedOwned.end());
      if (repeat != sortedOwned.end())
        return fail(path, "global id " + llvm::Twine(*repeat) +
                              " is owned twice by this part");
      ownedIds = sortedOwned.data();
    }
    for (int64_t i = info.owned; i < rows; ++i)
      if (std::binary_search(ownedIds, ownedIds + info.owned, ids[i]))
        return fail(path, "ghost " + llvm::Twine(i - info.owned) +
                              " is global vertex " + llvm::Twine(ids[i]) +
                              ", which this part owns");
    p.globalIds.assign(ids.data(), ids.data() + rows);
  }
  {
    AlignedArray<int32_t> owners = copyArray<int32_t>(file, layout, GhostOwner);
    AlignedArray<int32_t> remote = copyArray<int32_t>(file, layout, GhostRemote);
    for (int64_t g = 0; g < info.ghosts; ++g) {
      int32_t o = owners[g], r = remote[g];
      if (o < 0 || o >= manifest.parts || o == part)
        return fail(path, "ghost " + llvm::Twine(g) + " has owner part " +
                              llvm::Twine(o) + ", not another of the " +
                              llvm::Twine(manifest.parts) + " parts");
      if (r < 0 || r >= manifest.partInfo[o].owned)
        return fail(path, "ghost " + llvm::Twine(g) + " has id " +
                              llvm::Twine(r) + " in part " + llvm::Twine(o) +
                              ", which owns " +
                              llvm::Twine(manifest.partInfo[o].owned) +
                              " vertices");
      if (g > 0 && (o < owners[g - 1] || (o == owners[g - 1] && r <= remote[g - 1])))
        return fail(path, "ghosts are not sorted by (owner, id) without "
                          "repeats at ghost " +
                              llvm::Twine(g));
    }
    p.ghostOwner.assign(owners.data(), owners.data() + info.ghosts);
    p.ghostRemote.assign(remote.data(), remote.data() + info.ghosts);
  }
  AlignedArray<int64_t> edgeIds = copyArray<int64_t>(file, layout, EdgeIds);
  for (int64_t k = 0; k < info.edges; ++k)
    if (uint64_t(edgeIds[k]) >= uint64_t(manifest.edges))
      return fail(path, "edge " + llvm::Twine(k) + " has input position " +
                            llvm::Twine(edgeIds[k]) + ", not below " +
                            llvm::Twine(manifest.edges));
  // fromCsr checks the offsets and every source id, naming `path`.
  auto graph = Graph::fromCsr(info.owned, info.ghosts,
                              copyArray<int64_t>(file, layout, Offsets),
                              copyArray<int32_t>(file, layout, Sources),
                              std::move(edgeIds), path);
  if (!graph)
    return graph.takeError();
  p.graph = std::move(*graph);

  if (int64_t f = manifest.featureWidth) {
    p.features = Tensor({rows, f});
    float *out = p.features.data();
    std::memcpy(out, file.data() + layout.offset[Features],
                layout.length[Features]);
    std::memset(out + info.owned * f, 0, sizeof(float) * info.ghosts * f);
  }
  if (int64_t d = manifest.edgeFeatureWidth) {
    p.edgeFeatures = Tensor({info.edges, d});
    std::memcpy(p.edgeFeatures.data(), file.data() + layout.offset[EdgeFeatures],
                layout.length[EdgeFeatures]);
  }
  return std::move(p);
}

} // namespace gnn

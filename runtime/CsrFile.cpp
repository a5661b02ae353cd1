//===- CsrFile.cpp - Binary CSR graph files: mapped loading, bounded writing ===//

#include "gnn/CsrFile.h"

#include "MappedFile.h"
#include "PartFile.h"
#include "ResourceFaults.h"
#include "gnn/Npy.h"
#include "gnn/Progress.h"
#include "gnn/Reorder.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <optional>
#include <cstring>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

using llvm::StringRef;
namespace endian = llvm::support::endian;

namespace gnn {
using namespace partfile;
namespace {

/// What a checked header says.
struct CsrHeader {
  int64_t vertices = 0, edges = 0;
  Layout layout;
};

/// Checks the header of a binary CSR file against itself and the file's
/// size: every count in range, the table exactly the canonical layout.
llvm::Expected<CsrHeader> checkHeader(const std::string &path,
                                      StringRef file) {
  if (file.size() < kHeaderSize)
    return fail(path, "is " + llvm::Twine(file.size()) +
                          " bytes, shorter than a CSR file header (" +
                          llvm::Twine(kHeaderSize) + ")");
  const char *h = file.data();
  if (std::memcmp(h, kMagic, sizeof(kMagic)) != 0)
    return fail(path, "not a binary CSR file (bad magic)");
  if (uint32_t v = endian::read32le(h + 8); v != kFileVersion)
    return fail(path, "CSR file version " + llvm::Twine(v) +
                          ", this build reads version " +
                          llvm::Twine(kFileVersion));
  uint32_t part = endian::read32le(h + 12), parts = endian::read32le(h + 16);
  if (part != 0 || parts != 1)
    return fail(path, "is part " + llvm::Twine(part) + " of " +
                          llvm::Twine(parts) +
                          " of a partition, not a whole graph (give its "
                          "directory instead)");
  auto field = [&](size_t at) { return endian::read64le(h + at); };
  uint64_t vertices = field(24), edges = field(32), owned = field(40),
           ghosts = field(48), partEdges = field(56), width = field(64),
           edgeWidth = field(72);
  if (vertices >= uint64_t(kMaxVertices))
    return fail(path, "vertex count " + llvm::Twine(vertices) +
                          " is not below 2^31");
  if (edges > uint64_t(kMaxEdges))
    return fail(path, "edge count " + llvm::Twine(edges) +
                          " is more than 2^48");
  if (owned != vertices || partEdges != edges || ghosts != 0)
    return fail(path, "header counts disagree (" + llvm::Twine(owned) +
                          " owned of " + llvm::Twine(vertices) +
                          " vertices, " + llvm::Twine(partEdges) + " of " +
                          llvm::Twine(edges) + " edges, " +
                          llvm::Twine(ghosts) + " ghosts)");
  if (width != 0 || edgeWidth != 0)
    return fail(path, "holds features; a binary CSR file holds only the "
                      "graph (features come from --features)");
  CsrHeader out;
  out.vertices = int64_t(vertices);
  out.edges = int64_t(edges);
  PartCounts counts;
  counts.owned = out.vertices;
  counts.edges = out.edges;
  if (!computeLayout(counts, out.layout))
    return fail(path, "the header's counts overflow a file size");
  for (int i = 0; i < kNumArrays; ++i) {
    uint64_t offset = endian::read64le(h + kTableOffset + 16 * i);
    uint64_t length = endian::read64le(h + kTableOffset + 16 * i + 8);
    if (offset != out.layout.offset[i] || length != out.layout.length[i])
      return fail(path, llvm::Twine(kArrayNames[i]) + " at offset " +
                            llvm::Twine(offset) + " (" + llvm::Twine(length) +
                            " bytes) is not where the counts put it (" +
                            llvm::Twine(out.layout.offset[i]) + ", " +
                            llvm::Twine(out.layout.length[i]) + " bytes)");
  }
  if (file.size() != out.layout.fileSize)
    return fail(path, "is " + llvm::Twine(file.size()) +
                          " bytes, but its header's counts make " +
                          llvm::Twine(out.layout.fileSize) +
                          (file.size() < out.layout.fileSize ? " (truncated)"
                                                             : ""));
  return out;
}

/// A file written under a temporary name, renamed over PATH by commit();
/// removed if never committed.
class TempFile {
public:
  static llvm::Expected<std::unique_ptr<TempFile>>
  create(const std::string &path, uint64_t size) {
    auto t = std::unique_ptr<TempFile>(new TempFile(path));
    if (std::error_code ec = llvm::sys::fs::createUniqueFile(
            path + ".tmp.%%%%%%", t->fd, t->tmp))
      return fail(path, "cannot create a temporary file: " + ec.message());
    if (::ftruncate(t->fd, off_t(size)) != 0)
      return fail(path, "cannot size the file to " + llvm::Twine(size) +
                            " bytes: " + std::strerror(errno));
    return std::move(t);
  }
  ~TempFile() {
    if (fd >= 0)
      ::close(fd);
    if (!committed && !tmp.empty())
      llvm::sys::fs::remove(tmp);
  }
  llvm::Error writeAt(const void *data, uint64_t bytes, uint64_t offset) {
    const char *p = static_cast<const char *>(data);
    while (bytes > 0) {
      ssize_t put = ::pwrite(fd, p, std::min<uint64_t>(bytes, 1 << 30),
                             off_t(offset));
      if (put <= 0)
        return fail(path, llvm::Twine("cannot write file: ") +
                              std::strerror(errno));
      p += put;
      bytes -= uint64_t(put);
      offset += uint64_t(put);
    }
    return llvm::Error::success();
  }
  llvm::Error commit() {
    int err = ::close(fd);
    fd = -1;
    if (err != 0)
      return fail(path, llvm::Twine("cannot write file: ") +
                            std::strerror(errno));
    if (std::error_code ec = llvm::sys::fs::rename(tmp, path))
      return fail(path, "cannot write file: " + ec.message());
    committed = true;
    return llvm::Error::success();
  }

private:
  explicit TempFile(std::string path) : path(std::move(path)) {}
  std::string path;
  llvm::SmallString<256> tmp;
  int fd = -1;
  bool committed = false;
};

/// Writes `count` int64 values v0, v0+1, ... at `offset`, a block at a time.
llvm::Error writeIota(TempFile &out, int64_t count, uint64_t offset) {
  constexpr int64_t kBlock = int64_t(1) << 20;
  std::vector<int64_t> block(size_t(std::min(count, kBlock)));
  for (int64_t first = 0; first < count; first += kBlock) {
    int64_t n = std::min(kBlock, count - first);
    for (int64_t i = 0; i < n; ++i)
      block[i] = first + i;
    if (llvm::Error err = out.writeAt(block.data(), uint64_t(n) * 8,
                                      offset + uint64_t(first) * 8))
      return err;
  }
  return llvm::Error::success();
}

} // namespace

bool isCsrFile(const std::string &path) {
  if (!llvm::sys::fs::is_regular_file(path))
    return false;
  auto head = llvm::MemoryBuffer::getFileSlice(path, sizeof(kMagic), 0,
                                               /*IsVolatile=*/false);
  return head && (*head)->getBuffer() == StringRef(kMagic, sizeof(kMagic));
}

llvm::Expected<int64_t> csrFileVertices(const std::string &path) {
  auto region =
      detail::mapFile(path, llvm::sys::fs::mapped_file_region::readonly);
  if (!region)
    return region.takeError();
  auto header =
      checkHeader(path, StringRef((*region)->const_data(), (*region)->size()));
  if (!header)
    return header.takeError();
  return header->vertices;
}

llvm::Expected<Graph> loadCsrFile(const std::string &path,
                                  int64_t numVertices) {
  // Read-only: nothing writes a Graph's arrays.
  auto region =
      detail::mapFile(path, llvm::sys::fs::mapped_file_region::readonly);
  if (!region)
    return region.takeError();
  std::shared_ptr<llvm::sys::fs::mapped_file_region> map = std::move(*region);
  StringRef file(map->const_data(), map->size());
  auto header = checkHeader(path, file);
  if (!header)
    return header.takeError();
  int64_t n = header->vertices, e = header->edges;
  if (numVertices >= 0 && numVertices != n)
    return fail(path, "has " + llvm::Twine(n) +
                          " vertices, but the features (or --num-nodes) "
                          "give " +
                          llvm::Twine(numVertices));
  const Layout &layout = header->layout;
  // A read-only mapping's data() is const in spirit: the views are read.
  char *base = const_cast<char *>(map->const_data());
  // globalIds: the user's id of each vertex, 0..N-1 for a file in the
  // original order, any permutation of them for a reordered one
  // (gnn-graph convert --reorder); anything else is refused, by
  // setOriginalIds below.
  auto *ids = reinterpret_cast<int64_t *>(base + layout.offset[GlobalIds]);
  // Views of the mapping that hold it; Graph::fromCsr checks the offsets
  // and every source id before anything reads them.
  auto offsets = AlignedArray<int64_t>::share(
      reinterpret_cast<int64_t *>(base + layout.offset[Offsets]),
      size_t(n) + 1, map);
  auto sources = AlignedArray<int32_t>::share(
      reinterpret_cast<int32_t *>(base + layout.offset[Sources]), size_t(e),
      map);
  auto edgeIds = AlignedArray<int64_t>::share(
      reinterpret_cast<int64_t *>(base + layout.offset[EdgeIds]), size_t(e),
      map);
  llvm::Expected<Graph> graph =
      Graph::fromCsr(n, 0, std::move(offsets), std::move(sources),
                     std::move(edgeIds), path);
  if (!graph)
    return graph.takeError();
  graph->fileMapped_ = true;
  if (llvm::Error err = graph->setOriginalIds(
          AlignedArray<int64_t>::share(ids, size_t(n), map), path))
    return std::move(err);
  // The checks read every source id (4 GiB at a billion edges): give their
  // pages back rather than hold them until the run reads them again. They
  // stay in the page cache; the run maps them back as it goes.
  madvise(base, map->size(), MADV_DONTNEED);
  return graph;
}

/// A binary CSR file of n vertices and e edges under a temporary name,
/// sized, with its header written; `layout` says where each array goes.
static llvm::Expected<std::unique_ptr<TempFile>>
startCsrFile(const std::string &path, int64_t n, int64_t e, Layout &layout) {
  PartCounts counts;
  counts.owned = n;
  counts.edges = e;
  if (!computeLayout(counts, layout))
    return fail(path, "a graph of " + llvm::Twine(n) + " vertices and " +
                          llvm::Twine(e) + " edges overflows a file size");
  auto out = TempFile::create(path, layout.fileSize);
  if (!out)
    return out.takeError();
  std::vector<char> header(kHeaderSize, 0);
  writeHeader(header.data(), 0, 1, n, e, counts, layout);
  if (llvm::Error err = (*out)->writeAt(header.data(), header.size(), 0))
    return std::move(err);
  return out;
}

llvm::Error writeCsrFile(const std::string &path, int64_t n,
                         EdgeStream &edges, const CsrWriteOptions &options) {
  return detail::catchOutOfMemory(path, "writing the CSR file", [&]()
                                                                   -> llvm::Error {
    if (n < 0 || n >= kMaxVertices)
      return fail(path, "vertex count " + llvm::Twine(n) +
                            " is outside [0, 2^31)");
    // Pass 1: in-degrees, into off[d + 1].
    AlignedArray<int64_t> off(size_t(n) + 1);
    std::memset(off.data(), 0, sizeof(int64_t) * (size_t(n) + 1));
    int64_t e = 0;
    {
      Progress progress("count pass", edges.size(), "edges");
      int64_t *o = off.data();
      if (llvm::Error err = edges.forEach(
              [&](int64_t, const int64_t *, const int64_t *dst, int64_t count) {
                for (int64_t i = 0; i < count; ++i)
                  ++o[dst[i] + 1];
                e += count;
                progress.advance(count);
              }))
        return err;
      progress.finish();
    }
    for (int64_t v = 0; v < n; ++v)
      off[v + 1] += off[v];
    if (e > kMaxEdges)
      return fail(path, llvm::Twine(e) + " edges are more than 2^48");

    // Edge features: checked now, read by pread a batch at a time.
    int64_t d = 0;
    uint64_t featureData = 0;
    int featureFd = -1;
    auto closeFeatures = llvm::make_scope_exit([&] {
      if (featureFd >= 0)
        ::close(featureFd);
    });
    if (!options.edgeFeaturesIn.empty()) {
      const std::string &in = options.edgeFeaturesIn;
      auto f = openNpy(in);
      if (!f)
        return f.takeError();
      if (f->descr != "<f4")
        return fail(in, "dtype is '" + f->descr + "', expected float32 ('<f4')");
      if (f->shape.size() != 2)
        return fail(in, "edge features must be [E, D], got shape " +
                            formatShape(f->shape));
      if (f->shape[0] != e)
        return fail(in, "has " + llvm::Twine(f->shape[0]) +
                            " rows of edge features but the graph has " +
                            llvm::Twine(e) + " edges");
      d = f->shape[1];
      featureData = uint64_t(f->data - f->buffer->getBufferStart());
      if (std::error_code ec = llvm::sys::fs::openFileForRead(in, featureFd))
        return fail(in, "cannot read file: " + ec.message());
    }

    Layout layout;
    auto out = startCsrFile(path, n, e, layout);
    if (!out)
      return out.takeError();
    if (options.originalIds) {
      if (llvm::Error err = (*out)->writeAt(options.originalIds,
                                            layout.length[GlobalIds],
                                            layout.offset[GlobalIds]))
        return err;
    } else if (llvm::Error err =
                   writeIota(**out, n, layout.offset[GlobalIds])) {
      return err;
    }
    if (llvm::Error err = (*out)->writeAt(off.data(), layout.length[Offsets],
                                          layout.offset[Offsets]))
      return err;
    // The file's edge order is its CSR order.
    if (llvm::Error err = writeIota(**out, e, layout.offset[EdgeIds]))
      return err;

    std::unique_ptr<TempFile> featuresOut;
    std::string npyHead;
    if (featureFd >= 0) {
      npyHead = npyHeader("<f4", {e, d});
      auto f = TempFile::create(options.edgeFeaturesOut,
                                npyHead.size() + uint64_t(e) * d * 4);
      if (!f)
        return f.takeError();
      featuresOut = std::move(*f);
      if (llvm::Error err = featuresOut->writeAt(npyHead.data(),
                                                 npyHead.size(), 0))
        return err;
    }

    // Fill passes: each places the in-edges of a range of destinations
    // that fits the budget.
    uint64_t perEdge = 4 + 4 * uint64_t(d);
    int64_t budgetEdges =
        std::max<int64_t>(1, int64_t(options.memoryBytes / perEdge));
    std::vector<std::pair<int64_t, int64_t>> ranges;
    for (int64_t v0 = 0; v0 < n;) {
      int64_t v1 = v0 + 1;
      while (v1 < n && off[v1 + 1] - off[v0] <= budgetEdges)
        ++v1;
      ranges.emplace_back(v0, v1);
      v0 = v1;
    }
    int64_t largest = 0;
    for (auto [v0, v1] : ranges)
      largest = std::max(largest, off[v1] - off[v0]);
    AlignedArray<int32_t> sources(size_t(std::max<int64_t>(largest, 1)));
    AlignedArray<float> rows(size_t(std::max<int64_t>(largest * d, 1)));
    AlignedArray<int64_t> cursor(size_t(std::max<int64_t>(n, 1)));
    std::memcpy(cursor.data(), off.data(), sizeof(int64_t) * size_t(n));
    std::vector<float> batchRows(size_t(kEdgeBatch * d));
    for (size_t r = 0; r < ranges.size(); ++r) {
      auto [v0, v1] = ranges[r];
      int64_t first = off[v0], count = off[v1] - first;
      int64_t *cur = cursor.data();
      int32_t *src32 = sources.data();
      float *rowOut = rows.data();
      bool readFailed = false, changed = false;
      Progress progress(ranges.size() == 1
                            ? std::string("fill pass")
                            : "fill pass " + std::to_string(r + 1) + "/" +
                                  std::to_string(ranges.size()),
                        e, "edges");
      if (llvm::Error err = edges.forEach([&](int64_t k0, const int64_t *src,
                                              const int64_t *dst,
                                              int64_t m) {
            progress.advance(m);
            if (readFailed)
              return;
            if (d > 0) {
              uint64_t bytes = uint64_t(m) * d * 4;
              uint64_t at = featureData + uint64_t(k0) * d * 4;
              char *p = reinterpret_cast<char *>(batchRows.data());
              for (uint64_t got = 0; got < bytes;) {
                ssize_t r = ::pread(featureFd, p + got, bytes - got,
                                    off_t(at + got));
                if (r <= 0) {
                  readFailed = true;
                  return;
                }
                got += uint64_t(r);
              }
            }
            for (int64_t i = 0; i < m; ++i) {
              int64_t t = dst[i];
              if (t < v0 || t >= v1)
                continue;
              if (cur[t] == off[t + 1]) { // More edges than counted.
                changed = true;
                continue;
              }
              int64_t pos = cur[t]++ - first;
              src32[pos] = int32_t(src[i]);
              if (d > 0)
                std::memcpy(rowOut + pos * d, batchRows.data() + i * d,
                            sizeof(float) * d);
            }
          }))
        return err;
      if (changed)
        return fail(path, "the edges changed between passes");
      if (readFailed)
        return fail(options.edgeFeaturesIn,
                    "cannot read the edge features (the file changed or is "
                    "unreadable)");
      progress.finish();
      if (options.sortInEdges)
        detail::sortInEdgeRuns(off.data() + v0, v1 - v0, src32, nullptr,
                               rowOut, d);
      if (llvm::Error err = (*out)->writeAt(
              src32, uint64_t(count) * 4,
              layout.offset[Sources] + uint64_t(first) * 4))
        return err;
      if (featuresOut)
        if (llvm::Error err = featuresOut->writeAt(
                rowOut, uint64_t(count) * d * 4,
                npyHead.size() + uint64_t(first) * d * 4))
          return err;
    }
    // A stream that changed between passes (a file rewritten meanwhile)
    // would leave a cursor short of its range's end.
    for (int64_t v = 0; v < n; ++v)
      if (cursor[v] != off[v + 1])
        return fail(path, "the edges changed between passes (vertex " +
                              llvm::Twine(v) + ")");
    if (featuresOut)
      if (llvm::Error err = featuresOut->commit())
        return err;
    return (*out)->commit();
  });
}

llvm::Error writeCsrFile(const std::string &path, const Graph &graph,
                         const CsrWriteOptions &options) {
  return detail::catchOutOfMemory(path, "writing the CSR file", [&]()
                                                                   -> llvm::Error {
    if (graph.numGhosts() != 0)
      return fail(path, "a graph part (with ghosts) is not a whole graph");
    std::optional<Graph> sorted;
    if (options.sortInEdges) {
      auto s = sortInEdges(graph);
      if (!s)
        return s.takeError();
      sorted = std::move(*s);
    }
    const Graph &g = sorted ? *sorted : graph;
    int64_t n = g.numVertices(), e = g.numEdges();
    std::optional<Tensor> rows;
    if (!options.edgeFeaturesIn.empty()) {
      auto in = mapNpyF32(options.edgeFeaturesIn, 2);
      if (!in)
        return in.takeError();
      auto csr = edgeFeaturesToCsr(g, *in, options.edgeFeaturesIn);
      if (!csr)
        return csr.takeError();
      rows = std::move(*csr);
    }
    Layout layout;
    auto out = startCsrFile(path, n, e, layout);
    if (!out)
      return out.takeError();
    if (const int64_t *ids = g.originalIds()) {
      if (llvm::Error err = (*out)->writeAt(ids, layout.length[GlobalIds],
                                            layout.offset[GlobalIds]))
        return err;
    } else if (llvm::Error err =
                   writeIota(**out, n, layout.offset[GlobalIds])) {
      return err;
    }
    if (llvm::Error err = (*out)->writeAt(g.offsets(),
                                          layout.length[Offsets],
                                          layout.offset[Offsets]))
      return err;
    if (llvm::Error err = (*out)->writeAt(g.sources(),
                                          layout.length[Sources],
                                          layout.offset[Sources]))
      return err;
    if (llvm::Error err = writeIota(**out, e, layout.offset[EdgeIds]))
      return err;
    if (rows)
      if (llvm::Error err = writeNpyF32(options.edgeFeaturesOut, rows->data(),
                                        rows->shape))
        return err;
    return (*out)->commit();
  });
}

} // namespace gnn

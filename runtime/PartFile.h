//===- PartFile.h - The layout of a part file (and a binary CSR file) -*- C++ -*-===//
//
// A part file is a fixed little-endian header followed by the arrays, each
// at a 64-byte aligned offset the header records with its byte length:
//
//   0   magic "GNNPART\0"          40  owned            (i64)
//   8   version     (u32)          48  ghosts           (i64)
//   12  part        (u32)          56  edges            (i64)
//   16  parts       (u32)          64  feature width    (i64)
//   20  reserved, 0 (u32)          72  edge feature width (i64)
//   24  vertices N  (i64)          80  per array: offset, length (u64 each)
//   32  edges E     (i64)
//
// Arrays, in order: globalIds (owned + ghosts, i64), offsets (owned + 1,
// i64), sources (edges, i32 local ids), edgeIds (edges, i64), ghostOwner,
// ghostRemote (ghosts, i32 each), features (owned x F, f32), edge features
// (edges x D, f32).
//
// The binary CSR file (gnn/CsrFile.h) is this format with one part: part
// 0 of 1, no ghosts, globalIds 0..N-1. Shared here by the partition
// directory (Partition.cpp) and the CSR file (CsrFile.cpp).
//
//===----------------------------------------------------------------------===//
#ifndef GNN_RUNTIME_PARTFILE_H
#define GNN_RUNTIME_PARTFILE_H

#include "llvm/ADT/Twine.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <cstring>
#include <string>

namespace gnn::partfile {

/// Ids are stored in 32 bits (as in gnn/Graph.h).
constexpr int64_t kMaxVertices = int64_t(1) << 31;
/// The most edges a file may claim; sizes derived from it are
/// overflow-checked as well.
constexpr int64_t kMaxEdges = int64_t(1) << 48;

/// "WHERE: MSG", the readers' and writers' errors.
inline llvm::Error fail(const std::string &where, const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 where + ": " + msg.str());
}

constexpr char kMagic[8] = {'G', 'N', 'N', 'P', 'A', 'R', 'T', '\0'};
constexpr uint32_t kFileVersion = 1;
constexpr uint64_t kAlign = 64;

enum Array {
  GlobalIds,
  Offsets,
  Sources,
  EdgeIds,
  GhostOwner,
  GhostRemote,
  Features,
  EdgeFeatures,
  kNumArrays
};
constexpr const char *kArrayNames[kNumArrays] = {
    "globalIds",  "offsets",     "sources",  "edgeIds",
    "ghostOwner", "ghostRemote", "features", "edgeFeatures"};
constexpr uint64_t kElementSize[kNumArrays] = {8, 8, 4, 8, 4, 4, 4, 4};
constexpr size_t kTableOffset = 80;
constexpr size_t kHeaderSize = kTableOffset + 16 * kNumArrays;

/// The counts a part file's layout follows from.
struct PartCounts {
  int64_t owned = 0, ghosts = 0, edges = 0, featureWidth = 0,
          edgeFeatureWidth = 0;
};

/// Where each array lies in a part file, and the file's size.
struct Layout {
  uint64_t offset[kNumArrays] = {}, length[kNumArrays] = {};
  uint64_t fileSize = 0;
};

/// The canonical layout for `c` (non-negative counts); false if a size
/// overflows 64 bits.
inline bool computeLayout(const PartCounts &c, Layout &layout) {
  uint64_t owned = c.owned, ghosts = c.ghosts, edges = c.edges;
  uint64_t featureCount, edgeFeatureCount;
  if (__builtin_mul_overflow(owned, uint64_t(c.featureWidth), &featureCount) ||
      __builtin_mul_overflow(edges, uint64_t(c.edgeFeatureWidth),
                             &edgeFeatureCount))
    return false;
  const uint64_t counts[kNumArrays] = {owned + ghosts, owned + 1, edges,
                                       edges,          ghosts,    ghosts,
                                       featureCount,   edgeFeatureCount};
  uint64_t pos = kHeaderSize;
  for (int i = 0; i < kNumArrays; ++i) {
    if (__builtin_add_overflow(pos, kAlign - 1, &pos))
      return false;
    pos &= ~(kAlign - 1);
    layout.offset[i] = pos;
    if (__builtin_mul_overflow(counts[i], kElementSize[i], &layout.length[i]) ||
        __builtin_add_overflow(pos, layout.length[i], &pos))
      return false;
  }
  layout.fileSize = pos;
  return true;
}

/// Fills the kHeaderSize bytes at `h` (zeroed by the caller).
inline void writeHeader(char *h, int part, int parts, int64_t vertices,
                        int64_t edges, const PartCounts &c,
                        const Layout &layout) {
  namespace endian = llvm::support::endian;
  std::memcpy(h, kMagic, sizeof(kMagic));
  endian::write32le(h + 8, kFileVersion);
  endian::write32le(h + 12, uint32_t(part));
  endian::write32le(h + 16, uint32_t(parts));
  endian::write64le(h + 24, uint64_t(vertices));
  endian::write64le(h + 32, uint64_t(edges));
  endian::write64le(h + 40, uint64_t(c.owned));
  endian::write64le(h + 48, uint64_t(c.ghosts));
  endian::write64le(h + 56, uint64_t(c.edges));
  endian::write64le(h + 64, uint64_t(c.featureWidth));
  endian::write64le(h + 72, uint64_t(c.edgeFeatureWidth));
  for (int i = 0; i < kNumArrays; ++i) {
    endian::write64le(h + kTableOffset + 16 * i, layout.offset[i]);
    endian::write64le(h + kTableOffset + 16 * i + 8, layout.length[i]);
  }
}

} // namespace gnn::partfile

#endif // GNN_RUNTIME_PARTFILE_H

//===- Npy.h - NumPy .npy files: read features and edge lists, write outputs =//
//
// Format 1.0/2.0/3.0 headers, little-endian, C order only. Every size in the
// header is checked against the file's length before any data is read.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_NPY_H
#define GNN_NPY_H

#include "gnn/Tensor.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace gnn {

/// A 2-D integer array read from .npy ('<i8' or '<i4'), widened to int64.
struct IntMatrix {
  int64_t rows = 0, cols = 0;
  std::vector<int64_t> values; // rows * cols, row-major
};

/// Reads a float32 ('<f4') array of rank `rank` (or any rank when rank < 0).
/// Errors read "PATH: fault", e.g. "x.npy: dtype is '<f8', expected float32".
llvm::Expected<Tensor> readNpyF32(const std::string &path, int rank = -1);

/// Reads per-edge rows for --edge-attr: a float32 [E, D] array, or PyG's
/// edge_weight shape [E], read as [E, 1].
llvm::Expected<Tensor> readEdgeRowsF32(const std::string &path);

/// A float32 array of rank `rank` (any when rank < 0) memory-mapped, not
/// copied: the tensor views the file's pages (private, copy-on-write) and
/// keeps the mapping alive. Same checks and errors as readNpyF32, whose
/// copy it falls back to when the data is not 4-byte aligned in the file.
/// Big-endian or Fortran-order files are refused, as readNpyF32 does.
llvm::Expected<Tensor> mapNpyF32(const std::string &path, int rank = -1);

/// Reads a rank-2 int64 or int32 array.
llvm::Expected<IntMatrix> readNpyInt2D(const std::string &path);

/// Writes a float32 array to `path` atomically: a temporary file beside it
/// is renamed over it only once every byte is written.
llvm::Error writeNpyF32(const std::string &path, const float *data,
                        const std::vector<int64_t> &shape);

/// Writes an int64 ('<i8') array atomically, e.g. a PyG edge_index [2, E].
llvm::Error writeNpyI64(const std::string &path, const int64_t *data,
                        const std::vector<int64_t> &shape);

/// A validated, memory-mapped .npy file. The header is parsed and the data
/// length checked against shape and dtype, but the dtype itself is not
/// restricted: callers check `descr` (e.g. "<f4", "<i8") and the rank. Lets
/// large inputs (edge lists) be consumed without an intermediate copy.
struct NpyFile {
  std::string descr;
  std::vector<int64_t> shape;
  int64_t numElements = 0;
  size_t itemSize = 0;
  const char *data = nullptr; // numElements * itemSize bytes, maybe unaligned
  std::unique_ptr<llvm::MemoryBuffer> buffer; // owns `data`
};
llvm::Expected<NpyFile> openNpy(const std::string &path);

/// openNpy on bytes already in memory (a mapping): `buffer` stays empty,
/// `data` points into `bytes`; `path` names the file in errors.
llvm::Expected<NpyFile> parseNpy(const std::string &path,
                                 llvm::StringRef bytes);

/// The bytes of a .npy preamble and header for an array of `descr`
/// ("<f4", "<i8") and `shape`, padded so the data starts 64-byte aligned:
/// what a streaming writer puts before the data.
std::string npyHeader(llvm::StringRef descr, const std::vector<int64_t> &shape);

/// True when `bytes` start with the .npy magic string "\x93NUMPY".
bool hasNpyMagic(llvm::StringRef bytes);

/// Writes a file atomically: `write` fills PATH.tmp.XXXXXX in the same
/// directory, which is renamed to PATH only if writing and closing succeed;
/// otherwise it is removed and no (partial) PATH appears. Shared by every
/// writer of the runtime. Errors read "PATH: fault".
llvm::Error
writeFileAtomically(const std::string &path,
                    llvm::function_ref<llvm::Error(llvm::raw_ostream &)> write);

} // namespace gnn

#endif // GNN_NPY_H

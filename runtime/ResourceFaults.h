//===- ResourceFaults.h - Out of memory as an llvm::Error -------*- C++ -*-===//
//
// The public entry points run their bodies through catchOutOfMemory: a
// std::bad_alloc (AlignedArray throws it, so do the standard containers)
// becomes "WHERE: out of memory (WHAT)" instead of ending the process.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_RUNTIME_RESOURCEFAULTS_H
#define GNN_RUNTIME_RESOURCEFAULTS_H

#include "llvm/Support/Error.h"

#include <new>

namespace gnn::detail {

inline llvm::Error outOfMemory(const llvm::Twine &where,
                               const llvm::Twine &what) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 where + ": out of memory (" + what + ")");
}

/// body(), or the out-of-memory error if it throws std::bad_alloc. `body`
/// returns an llvm::Error or an llvm::Expected.
template <typename F>
auto catchOutOfMemory(const llvm::Twine &where, const llvm::Twine &what,
                      F &&body) -> decltype(body()) {
  try {
    return body();
  } catch (const std::bad_alloc &) {
    return outOfMemory(where, what);
  }
}

} // namespace gnn::detail

#endif // GNN_RUNTIME_RESOURCEFAULTS_H

//===- KernelCache.h - Compiled kernels on disk, keyed by IR and CPU -----===//
//
// gnn::Engine's disk cache. An entry is one object file, exactly what
// `gnnc --emit=obj` writes (kernels plus the schedule embedded as
// `gnn_schedule`), named by a SHA-256 over everything that determines its
// bytes: the graph-level IR with its locations, the compiler's build id,
// the LLVM version and the host's target triple, CPU and features.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_RUNTIME_KERNELCACHE_H
#define GNN_RUNTIME_KERNELCACHE_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

#include <string>

namespace gnn::detail {

/// The cache directory for `requested` (empty: the default locations), or
/// empty with `why` set when caching is off.
std::string resolveCacheDir(bool enabled, const std::string &requested,
                            std::string &why);

/// The hex SHA-256 key of `graphLevel`'s compiled code on this host, or
/// empty (with `why` set) when the compiler's identity is unknown, in
/// which case nothing may be cached.
std::string computeCacheKey(mlir::ModuleOp graphLevel, std::string &why);

/// The first line of the schedule embedded in an entry; checked on load so
/// that a file renamed or overwritten by something else is not used.
std::string cacheKeyLine(const std::string &key);

/// Marks the entry at `path` as just used (its modification time), so that
/// trimming removes the least recently used entries first.
void touchEntry(const std::string &path);

/// Keeps the cache directory `dir` within its size limit after an entry
/// was stored: removes entries (files named like keys, nothing else), least
/// recently used first, never `keep`, until the rest fit. The limit is
/// GNNC_CACHE_MAX_KIB (256 MiB by default; 0: none). Errors are ignored:
/// the cache is an optimisation.
void trimCache(const std::string &dir, const std::string &keep);

/// Seconds spent in each half of compileToObject.
struct CodegenTimes {
  double lowerSeconds = 0, codegenSeconds = 0;
};

/// Lowers `graphLevel` (not modified) through the one pipeline to an
/// object file for the host CPU with the schedule embedded, preceded by
/// the comment line `header` (may be empty).
llvm::Expected<llvm::SmallVector<char, 0>>
compileToObject(mlir::ModuleOp graphLevel, const std::string &header,
                CodegenTimes &times);

} // namespace gnn::detail

#endif // GNN_RUNTIME_KERNELCACHE_H

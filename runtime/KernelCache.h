//===- KernelCache.h - Compiled kernels on disk, keyed by IR and CPU -----===//
//
// gnn::Engine's disk cache. An entry is one object file, exactly what
// `gnnc --emit=obj` writes (kernels plus the plain-data schedule embedded
// as `gnn_schedule`), named by a SHA-256 over everything that determines
// its bytes: the graph-level IR with its locations, the compiler's build
// id and those of the LLVM and MLIR libraries, the LLVM version and the
// host's target triple, CPU and features. An entry ends with the SHA-256
// of its object, checked before the object is loaded.
// Part of the compiler side (GNNEngine): the key needs the IR.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_RUNTIME_KERNELCACHE_H
#define GNN_RUNTIME_KERNELCACHE_H

#include "lowering/Codegen.h"

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace gnn::detail {

/// The cache directory for `requested` (empty: the default locations), or
/// empty with `why` set when caching is off.
std::string resolveCacheDir(bool enabled, const std::string &requested,
                            std::string &why);

/// The hex SHA-256 key of `graphLevel`'s compiled code on this host, or
/// empty (with `why` set) when the compiler's identity is unknown, in
/// which case nothing may be cached. `extra` also goes into the key: the
/// pass plugins' identities and the --pass-pipeline text.
std::string computeCacheKey(mlir::ModuleOp graphLevel, std::string &why,
                            llvm::StringRef extra = "");

/// The comment recorded in the schedule of the entry of `key`; checked on
/// load so that a file renamed or overwritten by something else is not
/// used.
std::string cacheKeyComment(const std::string &key);

/// An entry's bytes: the object file, then a trailer with its SHA-256, so
/// that a damaged or truncated entry is caught before its code is mapped.
std::string sealEntry(llvm::StringRef object);
/// The object of a sealed entry, or why it cannot be trusted.
llvm::Expected<llvm::StringRef> unsealEntry(llvm::StringRef entry);

/// The target the Engine compiles for: the host, unless the environment
/// says otherwise (GNNC_TARGET_CPU, GNNC_TARGET_FEATURES,
/// GNNC_VECTOR_WIDTH; docs/runtime.md). Part of the key.
TargetOptions targetFromEnvironment();

/// Marks the entry at `path` as just used (its modification time), so that
/// trimming removes the least recently used entries first.
void touchEntry(const std::string &path);

/// Keeps the cache directory `dir` within its size limit after an entry
/// was stored: removes entries (files named like keys, nothing else), least
/// recently used first, never `keep`, until the rest fit. The limit is
/// GNNC_CACHE_MAX_KIB (256 MiB by default; 0: none). Errors are ignored:
/// the cache is an optimisation.
void trimCache(const std::string &dir, const std::string &keep);

} // namespace gnn::detail

#endif // GNN_RUNTIME_KERNELCACHE_H

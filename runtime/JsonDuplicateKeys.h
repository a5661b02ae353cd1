//===- JsonDuplicateKeys.h - A key repeated in a JSON object ----*- C++ -*-===//
//
// llvm::json::parse keeps the last of two equal keys in an object without a
// word, so a header that names one tensor twice would read as if the first
// entry were not there. File readers call this on text the parser accepted.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_RUNTIME_JSONDUPLICATEKEYS_H
#define GNN_RUNTIME_JSONDUPLICATEKEYS_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace gnn::detail {

/// The first key (decoded: "a" and "\u0061" are one key) that occurs twice
/// in one object of `json`, at any depth; nullopt if none. `json` must be
/// text that llvm::json::parse accepted.
std::optional<std::string> findDuplicateKey(llvm::StringRef json);

} // namespace gnn::detail

#endif // GNN_RUNTIME_JSONDUPLICATEKEYS_H

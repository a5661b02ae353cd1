//===- FileKind.h - What a file given in the wrong place is ----*- C++ -*-===//
//
// A loader that meets a file of another kind (a text file as weights, a
// weights file as a graph) says what the file is, not what byte of its own
// format it failed on.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_RUNTIME_FILEKIND_H
#define GNN_RUNTIME_FILEKIND_H

#include "llvm/ADT/StringRef.h"

#include <string>

namespace gnn {

/// What the file whose contents start with `bytes` is, recognised from its
/// first bytes: "a .npy array", "a .safetensors file", "a zip archive
/// (...)", "a Python pickle (...)", "an ELF object file", "a gnnc part
/// file", "text starting \"...\"", or "" when it is none of these
/// (unrecognised binary data).
std::string describeFileKind(llvm::StringRef bytes);

} // namespace gnn

#endif // GNN_RUNTIME_FILEKIND_H

//===- Version.h - Which gnnc this is --------------------------*- C++ -*-===//
//
// The version a compiled model records as the compiler that made it
// (Model::compilerVersion) and that `gnnc --version` prints.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_VERSION_H
#define GNN_VERSION_H

namespace gnn {

/// "gnnc 0.1.0 git 8ca1fd0": the project version and, when built from a
/// git checkout, `git describe` of the sources (with "-dirty" for
/// uncommitted changes).
const char *version();

} // namespace gnn

#endif // GNN_VERSION_H

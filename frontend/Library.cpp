//===- Library.cpp - The embedded layer library (gnn.nn) -----------------===//
//
// frontend/lib/nn.gnn is compiled into the binary, so gnnc and gnn-run need
// no data files; the build turns it into a raw string literal.
//
//===----------------------------------------------------------------------===//

#include "frontend/Program.h"

llvm::StringRef gnn::frontend::getLayerLibrarySource() {
  static const char source[] =
#include "frontend/lib/nn.gnn.inc"
      ;
  return llvm::StringRef(source, sizeof(source) - 1);
}

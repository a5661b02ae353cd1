//===- Version.cpp - Which gnnc this is -----------------------------------===//
//
// Version.inc is written at build time (WriteVersion.cmake), so a new
// commit changes the version without reconfiguring.
//
//===----------------------------------------------------------------------===//
#include "gnn/Version.h"

const char *gnn::version() {
  return
#include "runtime/Version.inc"
      ;
}

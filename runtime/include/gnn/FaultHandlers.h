//===- FaultHandlers.h - LLVM's out-of-memory and fatal errors, reported -*- C++ -*-===//
//
// LLVM is built without exceptions: when it runs out of memory (a failed
// malloc in its containers; any operator new once llvm::InitLLVM has set
// its new-handler) or cannot start a thread, it prints "LLVM ERROR" and
// aborts. These handlers turn the first into std::bad_alloc, which the
// library's entry points return as "WHERE: out of memory (WHAT)", and the
// second into the tool's one-line error and exit status 1.
//
// Usage (a tool, after llvm::InitLLVM):
//   gnn::reportLLVMOutOfMemoryAsBadAlloc();
//   gnn::exitOnLLVMFatalError("gnn-run");
//
// Both replace any handler installed before (LLVM keeps one of each per
// process); a host program that has its own should not call them.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_FAULTHANDLERS_H
#define GNN_FAULTHANDLERS_H

#include "llvm/ADT/StringRef.h"

namespace gnn {

/// LLVM's out-of-memory reports throw std::bad_alloc instead of aborting.
/// Idempotent.
void reportLLVMOutOfMemoryAsBadAlloc();

/// A fatal LLVM error prints "TOOL: error: REASON" and exits with status
/// 1, instead of printing a crash report and aborting. Idempotent.
void exitOnLLVMFatalError(llvm::StringRef tool);

} // namespace gnn

#endif // GNN_FAULTHANDLERS_H

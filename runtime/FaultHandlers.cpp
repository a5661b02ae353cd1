//===- FaultHandlers.cpp - LLVM's out-of-memory and fatal errors, reported ===//
//
// See gnn/FaultHandlers.h.
//
//===----------------------------------------------------------------------===//
#include "gnn/FaultHandlers.h"

#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/Signals.h"

#include <mutex>
#include <new>
#include <string>
#include <unistd.h>

/// Throwing is safe where LLVM calls this: its frames have unwind tables
/// (x86-64 emits them without exceptions too), and the callers catch it
/// where the allocation started (catchOutOfMemory, the tools' main).
static void throwBadAlloc(void *, const char *, bool) {
  throw std::bad_alloc();
}

void gnn::reportLLVMOutOfMemoryAsBadAlloc() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::install_bad_alloc_error_handler(throwBadAlloc, nullptr);
  });
}

static std::string fatalTool;

/// Written with write(2): the fault may be anywhere, holding any lock.
static void exitWithOneLine(void *, const char *reason, bool) {
  std::string line = fatalTool + ": error: LLVM: " + reason + "\n";
  (void)!::write(2, line.data(), line.size());
  // Files registered to be removed on a signal (partial outputs) go too.
  llvm::sys::RunInterruptHandlers();
  ::_exit(1);
}

void gnn::exitOnLLVMFatalError(llvm::StringRef tool) {
  static std::once_flag once;
  std::call_once(once, [&] {
    fatalTool = tool.str();
    llvm::install_fatal_error_handler(exitWithOneLine, nullptr);
  });
}

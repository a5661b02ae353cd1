//===- TargetCheck.h - Whether this host can run a model's code -*- C++ -*-===//
//
// An object compiled on one machine may be loaded on another (a rank of a
// distributed run, a shared cache directory): code using an instruction
// the host lacks would die of SIGILL halfway through a run, so it is
// refused at load with the missing features named.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_RUNTIME_TARGETCHECK_H
#define GNN_RUNTIME_TARGETCHECK_H

#include "Schedule.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace gnn::detail {

/// Fails, saying why, if code compiled for `target` cannot run on a host
/// of `hostTriple` and CPU `hostCpu` with `hostFeatures` (LLVM's names, as
/// llvm::sys::getHostCPUFeatures gives them): another architecture or
/// operating system, or an instruction set feature the host lacks (the
/// message names both CPUs and the missing features). A target with an
/// empty triple (none recorded) passes.
llvm::Error checkTargetOnHost(const CodeTarget &target,
                              llvm::StringRef hostTriple,
                              llvm::StringRef hostCpu,
                              const llvm::StringMap<bool> &hostFeatures);

/// The same against the host this process runs on.
llvm::Error checkTargetOnHost(const CodeTarget &target);

} // namespace gnn::detail

#endif // GNN_RUNTIME_TARGETCHECK_H

//===- ScheduleFormat.h - The schedule as versioned plain text --*- C++ -*-===//
//
// How a schedule travels inside an object file (the NUL-terminated string
// `gnn_schedule`): JSON, one slot or step per line, with a format name and
// version. Lowering writes it; the runtime reads it back with no MLIR.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_RUNTIME_SCHEDULEFORMAT_H
#define GNN_RUNTIME_SCHEDULEFORMAT_H

#include "Schedule.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace gnn::detail {

/// The symbol under which an object file carries its schedule's text
/// (prefixed by gnnc --symbol-prefix when several models share a program).
constexpr const char *kScheduleSymbol = "gnn_schedule";

/// The version serializeSchedule writes and the only one parseSchedule
/// reads. Bump it with any change to the format's meaning. (A key added
/// with an operand among a step's inputs, as a linear's `scale`, needs
/// none: a runtime that predates it refuses the step's input count.)
constexpr int kScheduleFormatVersion = 1;

/// The schedule as text (kernel pointers are not part of it). A non-empty
/// `comment` is recorded with it: gnnc names the model file, the kernel
/// cache its key.
std::string serializeSchedule(const Schedule &s, llvm::StringRef comment = {});

/// Reads serializeSchedule's text and checks everything the executor
/// relies on: kinds and activations are known, shapes non-negative, every
/// slot index in range and of the kind its use needs, buffers written by
/// exactly one step before any step reads them, gathers among a launch's
/// inputs, linear shapes consistent. A fault is one line naming `name`
/// (the object file) and where in the schedule it is; text of another
/// format version, or the MLIR text of older objects, is refused as such.
llvm::Expected<Schedule> parseSchedule(llvm::StringRef text,
                                       llvm::StringRef name);

} // namespace gnn::detail

#endif // GNN_RUNTIME_SCHEDULEFORMAT_H

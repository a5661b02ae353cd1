//===- fuzz-schedule.cpp - Fuzzing the schedule text parser ---------------===//
//
// The input is the text an object file carries as `gnn_schedule`. What
// parseSchedule accepts the executor runs without further checks, so a
// schedule that parses must also serialize and parse back to the same text.
//
//===----------------------------------------------------------------------===//
#include "FuzzInput.h"

#include "ScheduleFormat.h"

using namespace gnn;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  auto schedule = detail::parseSchedule(text, "fuzz.o");
  if (!schedule) {
    llvm::consumeError(schedule.takeError());
    return 0;
  }
  std::string again = detail::serializeSchedule(*schedule);
  auto reparsed = detail::parseSchedule(again, "reserialized");
  if (!reparsed) {
    fprintf(stderr, "%s\n", llvm::toString(reparsed.takeError()).c_str());
    GNN_FUZZ_CHECK(!"a parsed schedule serializes to text that parses");
  }
  GNN_FUZZ_CHECK(detail::serializeSchedule(*reparsed) == again);
  return 0;
}

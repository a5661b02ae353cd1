//===- FuzzInput.h - Handing fuzz inputs to the path-based loaders --------===//
//
// The runtime's loaders read files by path (and map them), so each input is
// written to a file in a directory private to the process, under /dev/shm
// when there is one (no disk traffic), replacing the previous input. Shared
// by the libFuzzer targets and the regression driver.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_FUZZ_FUZZINPUT_H
#define GNN_FUZZ_FUZZINPUT_H

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

// LLVM's headers make BumpPtrAllocator poison fresh slabs and unpoison
// each allocation when the including code has ASan, but Debian's libLLVM
// and libMLIR do not: an allocation their code makes from a slab ours
// started stays poisoned, and ASan reports a use-after-poison that is not
// there (seen in mlir::VectorType::get). Manual poisoning is turned off;
// ASan's own checks stay.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
extern "C" const char *__asan_default_options() {
  return "allow_user_poisoning=0";
}
#endif
#endif

namespace gnn::fuzz {

/// The process's scratch directory, made on first use and removed (with
/// the files written to it) at exit.
inline const std::string &scratchDirectory() {
  static const std::string dir = [] {
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : nullptr;
    if (!base)
      base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    std::string pattern = std::string(base) + "/gnn-fuzz.XXXXXX";
    if (!mkdtemp(pattern.data())) {
      perror("gnn-fuzz: mkdtemp");
      abort();
    }
    static std::string removeCommand = "rm -rf '" + pattern + "'";
    atexit([] { (void)!system(removeCommand.c_str()); });
    return pattern;
  }();
  return dir;
}

/// Writes `size` bytes to scratchDirectory()/name and returns its path.
inline std::string writeInput(const uint8_t *data, size_t size,
                              const std::string &name) {
  std::string path = scratchDirectory() + "/" + name;
  FILE *f = fopen(path.c_str(), "wb");
  if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
    perror(("gnn-fuzz: cannot write " + path).c_str());
    abort();
  }
  return path;
}

/// Stops the run with a report when a loader's result breaks its contract.
#define GNN_FUZZ_CHECK(cond)                                                   \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: contract violated: %s\n", __FILE__, __LINE__,    \
              #cond);                                                          \
      abort();                                                                 \
    }                                                                          \
  } while (0)

} // namespace gnn::fuzz

#endif // GNN_FUZZ_FUZZINPUT_H

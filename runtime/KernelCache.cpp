//===- KernelCache.cpp - Compiled kernels on disk, keyed by IR and CPU ---===//
//
// The key must change whenever the bytes of an entry could: a new pass, a
// fixed lowering or another LLVM all change the compiler binary, so the
// binary's identity (its ELF build id, a hash of its contents that the
// linker writes) is part of the key; a version number bumped by hand
// would be forgotten.
//
//===----------------------------------------------------------------------===//
#include "KernelCache.h"

#include "mlir/IR/OperationSupport.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <cstring>

#include <dlfcn.h>
#include <sys/time.h>
#include <elf.h>
#include <link.h>

using namespace mlir;

/// Bumped when the layout of an entry changes (not for compiler changes:
/// the build id covers those). 2: the schedule is plain data
/// (runtime/ScheduleFormat.h), not MLIR text. 3: a SHA-256 of the object
/// follows it.
static constexpr const char *kCacheFormat = "gnnc-kernel-cache-3";

/// The trailer of an entry: this tag, 64 hex digits, a newline.
static constexpr llvm::StringLiteral kDigestTag = "\ngnnc-object-sha256 ";
static constexpr size_t kTrailerSize = kDigestTag.size() + 64 + 1;

static std::string sha256Hex(llvm::StringRef bytes) {
  std::array<uint8_t, 32> digest = llvm::SHA256::hash(
      llvm::ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(bytes.data()),
                              bytes.size()));
  return llvm::toHex(llvm::ArrayRef<uint8_t>(digest), /*LowerCase=*/true);
}

std::string gnn::detail::sealEntry(llvm::StringRef object) {
  return (object + kDigestTag + sha256Hex(object) + "\n").str();
}

llvm::Expected<llvm::StringRef>
gnn::detail::unsealEntry(llvm::StringRef entry) {
  auto fail = [](const llvm::Twine &why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), why);
  };
  if (entry.size() < kTrailerSize ||
      !entry.drop_back(65).ends_with(kDigestTag) || !entry.ends_with("\n"))
    return fail("no content hash at its end (truncated?)");
  llvm::StringRef object = entry.drop_back(kTrailerSize);
  llvm::StringRef recorded = entry.take_back(65).drop_back(1);
  if (sha256Hex(object) != recorded)
    return fail("its bytes do not match their SHA-256 (damaged)");
  return object;
}

static std::string getEnv(const char *name) {
  const char *value = std::getenv(name);
  return value ? value : "";
}

std::string gnn::detail::resolveCacheDir(bool enabled,
                                         const std::string &requested,
                                         std::string &why) {
  if (getEnv("GNNC_CACHE") == "0") {
    why = "disabled by GNNC_CACHE=0";
    return "";
  }
  if (!enabled) {
    why = "disabled by the program";
    return "";
  }
  if (!requested.empty())
    return requested;
  if (std::string dir = getEnv("GNNC_CACHE_DIR"); !dir.empty())
    return dir;
  llvm::SmallString<128> dir;
  if (std::string xdg = getEnv("XDG_CACHE_HOME"); !xdg.empty()) {
    dir = xdg;
  } else if (llvm::sys::path::home_directory(dir)) {
    llvm::sys::path::append(dir, ".cache");
  } else {
    why = "no cache directory: set GNNC_CACHE_DIR";
    return "";
  }
  llvm::sys::path::append(dir, "gnnc");
  return dir.str().str();
}

/// GNNC_TARGET_CPU names another CPU and GNNC_TARGET_FEATURES changes
/// features (-avx512f gives AVX2 kernels on an AVX-512 host), as gnnc's
/// --target-cpu and --target-features do for object files;
/// GNNC_VECTOR_WIDTH=256 or 512 gives every kernel one vector width. For
/// measuring one instruction set or width against another.
gnn::TargetOptions gnn::detail::targetFromEnvironment() {
  gnn::TargetOptions target;
  target.cpu = getEnv("GNNC_TARGET_CPU");
  target.features = getEnv("GNNC_TARGET_FEATURES");
  target.vectorWidth = getEnv("GNNC_VECTOR_WIDTH");
  target.positionIndependent = true; // as gnnc --emit=obj
  return target;
}

namespace {
struct ImageSearch {
  uintptr_t address; // an address inside the image we want
  std::string buildId;
  bool found = false;
};
} // namespace

/// Reads the NT_GNU_BUILD_ID note of the loaded image that contains this
/// code (the executable, or a shared library the compiler is linked into).
static int findBuildId(dl_phdr_info *info, size_t, void *data) {
  auto *search = static_cast<ImageSearch *>(data);
  bool contains = false;
  for (int i = 0; i < info->dlpi_phnum && !contains; ++i) {
    const ElfW(Phdr) &ph = info->dlpi_phdr[i];
    uintptr_t start = info->dlpi_addr + ph.p_vaddr;
    contains = ph.p_type == PT_LOAD && search->address >= start &&
               search->address < start + ph.p_memsz;
  }
  if (!contains)
    return 0;
  search->found = true;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr) &ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_NOTE)
      continue;
    auto *p = reinterpret_cast<const char *>(info->dlpi_addr + ph.p_vaddr);
    const char *end = p + ph.p_memsz;
    auto align4 = [](size_t n) { return (n + 3) & ~size_t(3); };
    while (p + sizeof(ElfW(Nhdr)) <= end) {
      ElfW(Nhdr) note;
      std::memcpy(&note, p, sizeof(note));
      const char *name = p + sizeof(note);
      const char *desc = name + align4(note.n_namesz);
      p = desc + align4(note.n_descsz);
      if (p > end)
        break;
      if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 &&
          std::memcmp(name, "GNU", 4) == 0) {
        search->buildId = llvm::toHex(llvm::StringRef(desc, note.n_descsz),
                                      /*LowerCase=*/true);
        return 1;
      }
    }
  }
  return 1;
}

/// The build ids of the shared LLVM and MLIR libraries loaded in this
/// process (Debian's libLLVM.so.19.1 and libMLIR.so.19.1): a rebuilt or
/// patched library of the same version can generate other code.
static int collectLibraryIds(dl_phdr_info *info, size_t, void *data) {
  auto *ids = static_cast<std::string *>(data);
  llvm::StringRef name = info->dlpi_name ? info->dlpi_name : "";
  llvm::StringRef file = llvm::sys::path::filename(name);
  if (!file.starts_with("libLLVM") && !file.starts_with("libMLIR"))
    return 0;
  // findBuildId reads the notes of the image containing `address`.
  for (int i = 0; i < info->dlpi_phnum; ++i)
    if (info->dlpi_phdr[i].p_type == PT_LOAD) {
      ImageSearch search{info->dlpi_addr + info->dlpi_phdr[i].p_vaddr, {}};
      findBuildId(info, 0, &search);
      *ids += " " + file.str() + ":" +
              (search.buildId.empty() ? std::string("?") : search.buildId);
      break;
    }
  return 0;
}

/// What identifies the compiler that produces entries: its build id, or
/// failing that the path, size and time of the file it was loaded from;
/// then the build ids of the LLVM and MLIR libraries it runs on.
static std::string compilerIdentity() {
  static const std::string identity = [] {
    ImageSearch search{reinterpret_cast<uintptr_t>(&findBuildId), {}};
    dl_iterate_phdr(findBuildId, &search);
    std::string libraries;
    dl_iterate_phdr(collectLibraryIds, &libraries);
    if (!search.buildId.empty())
      return "build-id " + search.buildId + libraries;
    Dl_info info;
    llvm::sys::fs::file_status status;
    if (dladdr(reinterpret_cast<void *>(&findBuildId), &info) &&
        info.dli_fname && !llvm::sys::fs::status(info.dli_fname, status)) {
      auto time = status.getLastModificationTime().time_since_epoch();
      return "file " + std::string(info.dli_fname) + " " +
             std::to_string(status.getSize()) + " " +
             std::to_string(time.count()) + libraries;
    }
    return std::string();
  }();
  return identity;
}

std::string gnn::detail::computeCacheKey(ModuleOp graphLevel,
                                         std::string &why,
                                         llvm::StringRef extra) {
  std::string identity = compilerIdentity();
  if (identity.empty()) {
    why = "the compiler binary has no build id";
    return "";
  }
  auto host = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!host) {
    why = llvm::toString(host.takeError());
    return "";
  }

  llvm::SHA256 hash;
  auto add = [&](llvm::StringRef part) {
    hash.update(part);
    hash.update(llvm::StringRef("\n", 1));
  };
  add(kCacheFormat);
  add(identity);
  add(LLVM_VERSION_STRING);
  add(host->getTargetTriple().str());
  add(host->getCPU());
  add(host->getFeatures().getString());
  gnn::TargetOptions target = targetFromEnvironment();
  add(target.cpu);
  add(target.features);
  add(target.vectorWidth);
  add(extra);
  // With locations: the schedule's step labels (--stats) carry them.
  std::string ir;
  llvm::raw_string_ostream os(ir);
  graphLevel->print(os, OpPrintingFlags().enableDebugInfo());
  add(os.str());
  std::array<uint8_t, 32> digest = hash.final();
  return llvm::toHex(llvm::ArrayRef<uint8_t>(digest), /*LowerCase=*/true);
}

std::string gnn::detail::cacheKeyComment(const std::string &key) {
  return std::string(kCacheFormat) + " " + key;
}

void gnn::detail::touchEntry(const std::string &path) {
  ::utimes(path.c_str(), nullptr); // now; a failure only ages the entry
}

/// The cache's size limit in bytes (0: none).
static uint64_t cacheLimitBytes() {
  std::string text = getEnv("GNNC_CACHE_MAX_KIB");
  uint64_t kib = 256 * 1024;
  if (!text.empty() && llvm::StringRef(text).getAsInteger(10, kib))
    kib = 256 * 1024; // not a number: the default
  // Past 2^54 KiB the limit is no limit.
  return kib > (uint64_t(1) << 54) ? 0 : kib * 1024;
}

/// Whether `name` is an entry's: 64 hex digits and ".o".
static bool isEntryName(llvm::StringRef name) {
  return name.size() == 66 && name.ends_with(".o") &&
         llvm::all_of(name.drop_back(2), llvm::isHexDigit);
}

void gnn::detail::trimCache(const std::string &dir, const std::string &keep) {
  uint64_t limit = cacheLimitBytes();
  if (limit == 0)
    return;
  struct Entry {
    std::string path;
    uint64_t size;
    llvm::sys::TimePoint<> used;
  };
  std::vector<Entry> entries;
  uint64_t total = 0;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec)) {
    if (!isEntryName(llvm::sys::path::filename(it->path())))
      continue;
    llvm::sys::fs::file_status status;
    if (llvm::sys::fs::status(it->path(), status))
      continue;
    entries.push_back({it->path(), status.getSize(),
                       status.getLastModificationTime()});
    total += status.getSize();
  }
  if (total <= limit)
    return;
  llvm::sort(entries, [](const Entry &a, const Entry &b) { return a.used < b.used; });
  for (const Entry &e : entries) {
    if (total <= limit)
      break;
    if (e.path == keep)
      continue;
    if (!llvm::sys::fs::remove(e.path))
      total -= e.size;
  }
}

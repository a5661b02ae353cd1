//===- ObjectLoader.cpp - A model from an object file of its kernels ------===//
//
// Every runnable model comes from an object file: one compiled just now
// by gnn::Engine (or a kernel-cache hit), one from gnnc --emit=obj, or one
// another rank compiled. It is linked into memory with ORC, its embedded
// plain-data schedule read (ScheduleFormat.cpp) and checked against the
// host, and its kernels looked up. No MLIR: a process that only runs
// models links neither it nor the compiler.
//
//===----------------------------------------------------------------------===//
#include "ModelImpl.h"
#include "ScheduleFormat.h"
#include "TargetCheck.h"

#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/Object/ELF.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"

#include <algorithm>
#include <chrono>
#include <cstring>

using namespace gnn;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// The size `object` gives its symbol `symbol` (ELF st_size, cut at the
/// end of its section), or 0 when it has none: the bound within which the
/// symbol's bytes may be read. Read with ELFFile, whose accessors return
/// errors where ObjectFile's symbol iterators may abort on bad tables.
static uint64_t symbolSize(llvm::StringRef object, llvm::StringRef symbol) {
  using ELFT = llvm::object::ELF64LE;
  auto file = llvm::object::ELFFile<ELFT>::create(object);
  if (!file) {
    llvm::consumeError(file.takeError());
    return 0;
  }
  auto sections = file->sections();
  if (!sections) {
    llvm::consumeError(sections.takeError());
    return 0;
  }
  for (const ELFT::Shdr &sec : *sections) {
    if (sec.sh_type != llvm::ELF::SHT_SYMTAB)
      continue;
    auto symbols = file->symbols(&sec);
    auto names = file->getStringTableForSymtab(sec, *sections);
    if (!symbols || !names) {
      llvm::consumeError(symbols.takeError());
      llvm::consumeError(names.takeError());
      return 0;
    }
    for (const ELFT::Sym &sym : *symbols) {
      auto symName = sym.getName(*names);
      if (!symName) {
        llvm::consumeError(symName.takeError());
        continue;
      }
      if (*symName != symbol)
        continue;
      // In a relocatable object, st_value is the offset in the section.
      if (sym.st_shndx == llvm::ELF::SHN_UNDEF ||
          sym.st_shndx >= sections->size())
        return 0;
      uint64_t sectionSize = (*sections)[sym.st_shndx].sh_size;
      if (sym.st_value > sectionSize)
        return 0;
      return std::min<uint64_t>(sym.st_size, sectionSize - sym.st_value);
    }
  }
  return 0;
}

/// The bytes a relocation of ELF x86-64 type `type` patches.
static uint64_t fixupBytes(uint64_t type) {
  using namespace llvm::ELF;
  switch (type) {
  case R_X86_64_64:
  case R_X86_64_PC64:
  case R_X86_64_GOT64:
  case R_X86_64_GOTPC64:
  case R_X86_64_GOTOFF64:
  case R_X86_64_GOTPCREL64:
  case R_X86_64_PLTOFF64:
  case R_X86_64_SIZE64:
  case R_X86_64_DTPMOD64:
  case R_X86_64_DTPOFF64:
  case R_X86_64_TPOFF64:
    return 8;
  default:
    return 4;
  }
}

/// What ORC's linker takes on trust in an object file: every relocation
/// patches bytes inside the section it applies to (it writes there). Read
/// with ELFFile, whose accessors return errors where ObjectFile's
/// relocation iterators abort the process on bad tables. Only 64-bit
/// little-endian ELF, what gnnc writes for x86-64, is checked.
static llvm::Error checkRelocations(llvm::StringRef object,
                                   const std::string &name) {
  using ELFT = llvm::object::ELF64LE;
  auto bad = [&](const llvm::Twine &why) {
    return makeError(name + ": cannot load the object file: " + why);
  };
  if (!object.starts_with(llvm::ELF::ElfMagic) ||
      object.size() <= llvm::ELF::EI_DATA ||
      object[llvm::ELF::EI_CLASS] != llvm::ELF::ELFCLASS64 ||
      object[llvm::ELF::EI_DATA] != llvm::ELF::ELFDATA2LSB)
    return llvm::Error::success();
  auto file = llvm::object::ELFFile<ELFT>::create(object);
  if (!file)
    return bad(llvm::toString(file.takeError()));
  auto sections = file->sections();
  if (!sections)
    return bad(llvm::toString(sections.takeError()));
  bool x86 = file->getHeader().e_machine == llvm::ELF::EM_X86_64;
  for (const ELFT::Shdr &sec : *sections) {
    if (sec.sh_type != llvm::ELF::SHT_RELA && sec.sh_type != llvm::ELF::SHT_REL)
      continue;
    if (sec.sh_info >= sections->size())
      return bad("a relocation section applies to section " +
                 llvm::Twine(sec.sh_info) + ", which does not exist");
    uint64_t size = (*sections)[sec.sh_info].sh_size;
    auto check = [&](uint64_t offset, uint32_t type) -> llvm::Error {
      uint64_t bytes = x86 ? fixupBytes(type) : 8;
      if (offset > size || size - offset < bytes)
        return bad("a relocation at offset " + llvm::Twine(offset) +
                   " lies outside its section of " + llvm::Twine(size) +
                   " bytes");
      return llvm::Error::success();
    };
    if (sec.sh_type == llvm::ELF::SHT_RELA) {
      auto relas = file->relas(sec);
      if (!relas)
        return bad(llvm::toString(relas.takeError()));
      for (const ELFT::Rela &r : *relas)
        if (llvm::Error e = check(r.r_offset, r.getType(false)))
          return e;
    } else {
      auto rels = file->rels(sec);
      if (!rels)
        return bad(llvm::toString(rels.takeError()));
      for (const ELFT::Rel &r : *rels)
        if (llvm::Error e = check(r.r_offset, r.getType(false)))
          return e;
    }
  }
  return llvm::Error::success();
}

llvm::Expected<std::unique_ptr<Model>>
Model::loadObject(llvm::StringRef object, const std::string &name) {
  auto start = std::chrono::steady_clock::now();
  static bool targetsReady = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)targetsReady;

  auto host = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!host)
    return host.takeError();
  // One JIT per model: kernel names (forward_kernel0, ...) and
  // gnn_schedule repeat across models. Library calls the kernels make
  // (memset, expf) resolve against the process.
  auto jit = llvm::orc::LLJITBuilder()
                 .setJITTargetMachineBuilder(std::move(*host))
                 .create();
  if (!jit)
    return jit.takeError();
  if (llvm::Error e = checkRelocations(object, name))
    return std::move(e);
  if (llvm::Error e = (*jit)->addObjectFile(
          llvm::MemoryBuffer::getMemBufferCopy(object, name)))
    return makeError(name + ": cannot load the object file: " +
                     llvm::toString(std::move(e)));

  auto scheduleAddress = (*jit)->lookup(detail::kScheduleSymbol);
  if (!scheduleAddress)
    return makeError(name + ": no embedded schedule (" +
                     llvm::toString(scheduleAddress.takeError()) + ")");
  // The text is a NUL-terminated string; nothing in the object promises
  // the NUL, so it is looked for only within the symbol's bytes.
  uint64_t scheduleSize = symbolSize(object, detail::kScheduleSymbol);
  const char *scheduleText = scheduleAddress->toPtr<const char *>();
  size_t scheduleLength =
      scheduleText && scheduleSize ? strnlen(scheduleText, scheduleSize) : 0;
  if (scheduleLength == scheduleSize)
    return makeError(name + ": the embedded schedule is not a NUL-terminated "
                            "string of known size");
  auto schedule = detail::parseSchedule(
      llvm::StringRef(scheduleText, scheduleLength), name);
  if (!schedule)
    return schedule.takeError();
  if (llvm::Error e = detail::checkTargetOnHost(schedule->target))
    return makeError(name + ": " + llvm::toString(std::move(e)));

  for (detail::Step &step : schedule->steps) {
    if (step.kind != detail::Step::Kind::Launch)
      continue;
    auto address = (*jit)->lookup(step.kernel);
    if (!address)
      return makeError(name + ": kernel @" + step.kernel + " is missing (" +
                       llvm::toString(address.takeError()) + ")");
    step.fn = address->toPtr<detail::KernelFn>();
  }

  auto impl = std::make_unique<Impl>();
  impl->schedule = std::move(*schedule);
  impl->code = std::shared_ptr<llvm::orc::LLJIT>(std::move(*jit));
  impl->object = object.str();
  impl->stats.loadSeconds = impl->stats.totalSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  impl->stats.cacheMessage = "loaded from " + name;
  return std::unique_ptr<Model>(new Model(std::move(impl)));
}

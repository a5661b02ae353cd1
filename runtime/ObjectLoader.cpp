//===- ObjectLoader.cpp - A model from an object file of its kernels ------===//
//
// Every runnable model comes from an object file: one compiled just now
// by gnn::Engine (or a kernel-cache hit), one from gnnc --emit=obj or
// --emit=artifact, or one another rank compiled. It is linked into memory
// with ORC, its embedded plain-data schedule read (ScheduleFormat.cpp) and
// checked against the host, and its kernels looked up. No MLIR: a process that only runs
// models links neither it nor the compiler.
//
//===----------------------------------------------------------------------===//
#include "ResourceFaults.h"
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

/// The text of the NUL-terminated string `object` defines as `symbol`,
/// read from the object file's own bytes: the symbol must sit in a
/// section with contents in the file (not an absolute or undefined one),
/// and the NUL must come within the symbol's size, cut at the end of its
/// section. Reading the linked copy instead would trust an address a
/// damaged object can point anywhere. Read with ELFFile, whose accessors
/// return errors where ObjectFile's symbol iterators may abort.
static llvm::Expected<llvm::StringRef>
definedString(llvm::StringRef object, llvm::StringRef symbol,
              const std::string &name) {
  using ELFT = llvm::object::ELF64LE;
  auto invalid = [&](const llvm::Twine &why) {
    return makeError(name + ": the embedded schedule " + why);
  };
  auto file = llvm::object::ELFFile<ELFT>::create(object);
  if (!file)
    return invalid("cannot be read: " + llvm::toString(file.takeError()));
  auto sections = file->sections();
  if (!sections)
    return invalid("cannot be read: " + llvm::toString(sections.takeError()));
  for (const ELFT::Shdr &sec : *sections) {
    if (sec.sh_type != llvm::ELF::SHT_SYMTAB)
      continue;
    auto symbols = file->symbols(&sec);
    if (!symbols)
      return invalid("cannot be read: " + llvm::toString(symbols.takeError()));
    auto names = file->getStringTableForSymtab(sec, *sections);
    if (!names)
      return invalid("cannot be read: " + llvm::toString(names.takeError()));
    for (const ELFT::Sym &sym : *symbols) {
      auto symName = sym.getName(*names);
      if (!symName) {
        llvm::consumeError(symName.takeError());
        continue;
      }
      if (*symName != symbol || sym.st_shndx == llvm::ELF::SHN_UNDEF)
        continue;
      if (sym.st_shndx >= sections->size() ||
          (*sections)[sym.st_shndx].sh_type != llvm::ELF::SHT_PROGBITS)
        return invalid("is not in a section of data");
      auto contents = file->getSectionContents((*sections)[sym.st_shndx]);
      if (!contents)
        return invalid("cannot be read: " + llvm::toString(contents.takeError()));
      // In a relocatable object, st_value is the offset in the section.
      if (sym.st_value >= contents->size())
        return invalid("lies outside its section");
      uint64_t size = std::min<uint64_t>(sym.st_size,
                                         contents->size() - sym.st_value);
      llvm::StringRef bytes(
          reinterpret_cast<const char *>(contents->data()) + sym.st_value, size);
      size_t length = bytes.find('\0');
      if (length == llvm::StringRef::npos)
        return invalid("is not a NUL-terminated string of known size");
      return bytes.take_front(length);
    }
  }
  return makeError(name + ": no embedded schedule (no symbol " + symbol + ")");
}

/// The bytes a relocation of ELF x86-64 type `type`, one that
/// isLinkableRelocation accepts, patches.
static uint64_t fixupBytes(uint64_t type) {
  using namespace llvm::ELF;
  switch (type) {
  case R_X86_64_64:
  case R_X86_64_PC64:
  case R_X86_64_GOT64:
  case R_X86_64_GOTPC64:
  case R_X86_64_GOTOFF64:
  case R_X86_64_GOTPCREL64:
    return 8;
  default:
    return 4;
  }
}

/// Whether ORC's x86-64 ELF linker handles relocations of `type` (what
/// LLVM's code generator emits for kernels, and more). On any other type
/// LLVM 19's JITLink crashes while it words its error (fuzzing found one:
/// test/fuzz-regressions/object/relocation-type-unknown.o).
static bool isLinkableRelocation(uint32_t type) {
  using namespace llvm::ELF;
  switch (type) {
  case R_X86_64_NONE:
  case R_X86_64_64:
  case R_X86_64_PC32:
  case R_X86_64_PLT32:
  case R_X86_64_GOTPCREL:
  case R_X86_64_32:
  case R_X86_64_32S:
  case R_X86_64_PC64:
  case R_X86_64_GOTOFF64:
  case R_X86_64_GOTPC32:
  case R_X86_64_GOT64:
  case R_X86_64_GOTPCREL64:
  case R_X86_64_GOTPC64:
  case R_X86_64_GOTPCRELX:
  case R_X86_64_REX_GOTPCRELX:
    return true;
  default:
    return false;
  }
}

/// What ORC's linker takes on trust in an object file: every relocation
/// is of a type it handles and patches bytes inside the section it
/// applies to (it writes there). Read
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
      if (x86 && !isLinkableRelocation(type))
        return bad("a relocation of type " + llvm::Twine(type) +
                   ", which gnnc's objects do not use");
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
Model::loadArtifact(const std::string &path) {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file)
    return makeError(path + ": cannot read file: " + file.getError().message());
  return loadObject((*file)->getBuffer(), path);
}

llvm::Expected<std::unique_ptr<Model>>
Model::loadObject(llvm::StringRef object, const std::string &name) {
  return gnn::detail::catchOutOfMemory(name, "loading the compiled model",
                                      [&]() -> llvm::Expected<std::unique_ptr<Model>> {
    auto start = std::chrono::steady_clock::now();
    static bool targetsReady = [] {
      llvm::InitializeNativeTarget();
      llvm::InitializeNativeTargetAsmPrinter();
      return true;
    }();
    (void)targetsReady;

    // The object's own bytes are checked first: no JIT is built for an
    // object that is damaged, of another format or for another CPU.
    if (llvm::Error e = checkRelocations(object, name))
      return std::move(e);
    auto scheduleText = definedString(object, detail::kScheduleSymbol, name);
    if (!scheduleText)
      return scheduleText.takeError();
    auto schedule = detail::parseSchedule(*scheduleText, name);
    if (!schedule)
      return schedule.takeError();
    if (llvm::Error e = detail::checkTargetOnHost(schedule->target))
      return makeError(name + ": " + llvm::toString(std::move(e)));

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
    if (llvm::Error e = (*jit)->addObjectFile(
            llvm::MemoryBuffer::getMemBufferCopy(object, name)))
      return makeError(name + ": cannot load the object file: " +
                       llvm::toString(std::move(e)));

    auto lookup = [&](const std::string &kernel,
                      detail::KernelFn &fn) -> llvm::Error {
      auto address = (*jit)->lookup(kernel);
      if (!address)
        return makeError(name + ": kernel @" + kernel + " is missing (" +
                         llvm::toString(address.takeError()) + ")");
      fn = address->toPtr<detail::KernelFn>();
      return llvm::Error::success();
    };
    for (detail::Step &step : schedule->steps) {
      if (step.kind != detail::Step::Kind::Launch)
        continue;
      if (llvm::Error e = lookup(step.kernel, step.fn))
        return std::move(e);
      if (step.push)
        if (llvm::Error e = lookup(step.push->partialKernel, step.push->partial))
          return std::move(e);
      if (step.push)
        if (llvm::Error e = lookup(step.push->finishKernel, step.push->finish))
          return std::move(e);
      if (step.push && step.push->hasBlockedForm()) {
        if (llvm::Error e = lookup(step.push->foldKernel, step.push->fold))
          return std::move(e);
        if (llvm::Error e =
                lookup(step.push->foldFinishKernel, step.push->foldFinish))
          return std::move(e);
      }
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
  });
}

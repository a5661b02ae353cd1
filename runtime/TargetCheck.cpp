//===- TargetCheck.cpp - Whether this host can run a model's code ---------===//
//
// The code's features are what LLVM enables for its CPU and feature string
// (its MCSubtargetInfo); only names the host reports are compared, since
// the host's list holds instruction set features alone while a CPU also
// implies tuning flags that no host "has". System extensions that a CPU
// name implies but that generated code never uses, and that virtual
// machines often hide (protection keys, SGX, XSAVE, ...), are not
// compared either: an object compiled for skylake-avx512 runs on a VM of
// that CPU without pku.
//
//===----------------------------------------------------------------------===//
#include "TargetCheck.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <memory>
#include <string>
#include <vector>

using namespace gnn::detail;

/// Features for the operating system and privileged code: no kernel uses
/// their instructions.
static bool isSystemFeature(llvm::StringRef name) {
  static const char *const kSystem[] = {
      "cldemote", "clflushopt", "clwb",    "clzero",    "enqcmd",   "fsgsbase",
      "hreset",   "invpcid",    "kl",      "lwp",       "movdir64b", "movdiri",
      "mwaitx",   "pconfig",    "pku",     "ptwrite",   "rdpid",    "rdpru",
      "rdrnd",    "rdseed",     "rtm",     "serialize", "sgx",      "shstk",
      "tsxldtrk", "uintr",      "usermsr", "waitpkg",   "wbnoinvd", "widekl",
      "xsave",    "xsavec",     "xsaveopt", "xsaves"};
  return llvm::is_contained(kSystem, name);
}

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Error
gnn::detail::checkTargetOnHost(const CodeTarget &target,
                               llvm::StringRef hostTriple,
                               llvm::StringRef hostCpu,
                               const llvm::StringMap<bool> &hostFeatures) {
  if (target.triple.empty())
    return llvm::Error::success();
  llvm::Triple code(target.triple), host(hostTriple);
  if (code.getArch() != host.getArch() || code.getOS() != host.getOS())
    return makeError("compiled for " + target.triple + ", not for this host (" +
                     hostTriple + ")");
  static bool targetsReady = [] {
    llvm::InitializeNativeTarget();
    return true;
  }();
  (void)targetsReady;
  std::string error;
  const llvm::Target *t = llvm::TargetRegistry::lookupTarget(target.triple, error);
  std::unique_ptr<llvm::MCSubtargetInfo> info(
      t ? t->createMCSubtargetInfo(target.triple, target.cpu, target.features)
        : nullptr);
  if (!info)
    return makeError("compiled for " + target.triple + ", which this runtime "
                     "cannot check: " + error);
  std::vector<std::string> missing;
  for (const llvm::SubtargetFeatureKV &feature : info->getAllProcessorFeatures()) {
    auto it = hostFeatures.find(feature.Key);
    if (it != hostFeatures.end() && !it->second &&
        info->getFeatureBits().test(feature.Value) &&
        !isSystemFeature(feature.Key))
      missing.push_back(feature.Key);
  }
  if (missing.empty())
    return llvm::Error::success();
  std::string list;
  for (const std::string &name : missing)
    list += (list.empty() ? "" : ", ") + name;
  return makeError("compiled for CPU '" + target.cpu + "' with " + list +
                   ", which this host (CPU '" + hostCpu +
                   "') lacks; compile the model for this host");
}

llvm::Error gnn::detail::checkTargetOnHost(const CodeTarget &target) {
  static const llvm::StringMap<bool> hostFeatures = llvm::sys::getHostCPUFeatures();
  return checkTargetOnHost(target, llvm::sys::getProcessTriple(),
                           llvm::sys::getHostCPUName(), hostFeatures);
}

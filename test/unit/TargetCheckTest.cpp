//===- TargetCheckTest.cpp - Code for one CPU refused on another ----------===//
//
// checkTargetOnHost against made-up hosts: an AVX-512 target on a host
// without it names the features, the same CPU with AVX-512 turned off
// passes, tuning flags of a CPU are not features a host must have, and
// another architecture is refused. Then the real host against itself.
//
//===----------------------------------------------------------------------===//
#include "runtime/TargetCheck.h"

#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"
#include "gtest/gtest.h"

using namespace gnn::detail;

namespace {

constexpr const char *kTriple = "x86_64-unknown-linux-gnu";

/// A host with AVX2 and FMA but no AVX-512, and no protection keys (a VM).
llvm::StringMap<bool> avx2Host() {
  llvm::StringMap<bool> host;
  for (const char *yes : {"sse2", "sse4.2", "avx", "avx2", "fma", "bmi2"})
    host[yes] = true;
  for (const char *no : {"avx512f", "avx512bw", "avx512vl", "avx512dq",
                         "avx512cd", "amx-tile", "pku"})
    host[no] = false;
  return host;
}

std::string check(const CodeTarget &target,
                  const llvm::StringMap<bool> &host = avx2Host()) {
  llvm::Error e = checkTargetOnHost(target, kTriple, "haswell", host);
  return e ? llvm::toString(std::move(e)) : "";
}

class TargetCheckTest : public ::testing::Test {
protected:
  void SetUp() override {
    if (llvm::Triple(llvm::sys::getProcessTriple()).getArch() !=
        llvm::Triple::x86_64)
      GTEST_SKIP() << "the made-up hosts are x86-64";
  }
};

TEST_F(TargetCheckTest, MissingFeaturesAreNamed) {
  EXPECT_EQ(check({kTriple, "skylake-avx512", ""}),
            "compiled for CPU 'skylake-avx512' with avx512bw, avx512cd, "
            "avx512dq, avx512f, avx512vl, which this host (CPU 'haswell') "
            "lacks; compile the model for this host");
  EXPECT_EQ(check({kTriple, "haswell", "+avx512f"}),
            "compiled for CPU 'haswell' with avx512f, which this host (CPU "
            "'haswell') lacks; compile the model for this host");
}

TEST_F(TargetCheckTest, WhatTheCodeDoesNotUsePasses) {
  // AVX-512 turned off takes the features that need it along; the
  // protection keys skylake-avx512 implies are no instruction of a kernel.
  EXPECT_EQ(check({kTriple, "skylake-avx512", "-avx512f"}), "");
  // A CPU's tuning flags are not in any host's feature list.
  EXPECT_EQ(check({kTriple, "haswell", ""}), "");
  EXPECT_EQ(check({kTriple, "x86-64", ""}), "");
  // No target recorded: nothing to check.
  EXPECT_EQ(check({"", "", ""}), "");
}

TEST_F(TargetCheckTest, AnotherArchitectureIsRefused) {
  EXPECT_EQ(check({"aarch64-unknown-linux-gnu", "generic", ""}),
            "compiled for aarch64-unknown-linux-gnu, not for this host "
            "(x86_64-unknown-linux-gnu)");
}

TEST_F(TargetCheckTest, CodeForThisHostRunsHere) {
  std::string features;
  for (const auto &f : llvm::sys::getHostCPUFeatures())
    features += (features.empty() ? "" : ",") +
                std::string(f.second ? "+" : "-") + f.first().str();
  CodeTarget host{llvm::sys::getProcessTriple(),
                  llvm::sys::getHostCPUName().str(), features};
  llvm::Error e = checkTargetOnHost(host);
  EXPECT_FALSE(bool(e)) << llvm::toString(std::move(e));
}

} // namespace

//===- TestUtil.h - Temp dirs and hand-built file bytes for unit tests ----===//
//
// Test inputs are written byte by byte here, not by the writers under test,
// so a reader and a writer cannot agree on the same mistake.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_TEST_UNIT_TESTUTIL_H
#define GNN_TEST_UNIT_TESTUTIL_H

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "gtest/gtest.h"

#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace gnn::test {

/// A fixture owning a fresh temporary directory.
class TempDirTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("gnn-unittest", dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  std::string path(const std::string &name) const {
    llvm::SmallString<256> p(dir);
    llvm::sys::path::append(p, name);
    return std::string(p);
  }

  /// Writes `bytes` to a file in the temp dir and returns its path.
  std::string write(const std::string &name, const std::string &bytes) const {
    std::string p = path(name);
    std::ofstream os(p, std::ios::binary);
    os.write(bytes.data(), bytes.size());
    return p;
  }

  /// Names of the files in the temp dir (to check no temp file is left).
  std::vector<std::string> listDir() const {
    std::vector<std::string> names;
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
         it.increment(ec))
      names.push_back(std::string(llvm::sys::path::filename(it->path())));
    return names;
  }

  llvm::SmallString<256> dir;
};

/// Little-endian bytes of an integer.
template <typename T> std::string le(T v) {
  std::string s(sizeof(T), '\0');
  for (size_t i = 0; i < sizeof(T); ++i)
    s[i] = char(uint64_t(v) >> (8 * i));
  return s;
}

/// Raw bytes of a value array (the test host is little-endian x86).
template <typename T> std::string raw(const std::vector<T> &v) {
  return std::string(reinterpret_cast<const char *>(v.data()),
                     v.size() * sizeof(T));
}

/// A .npy file: magic, version, header length of the version's width, the
/// given dict text (padded with spaces and a newline as NumPy does unless
/// `pad` is false), then `data`.
inline std::string npyBytes(const std::string &dict, const std::string &data,
                            int major = 1, bool pad = true) {
  std::string header = dict;
  size_t pre = 6 + 2 + (major == 1 ? 2 : 4);
  if (pad) {
    size_t total = pre + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header += '\n';
  }
  std::string s = "\x93NUMPY";
  s += char(major);
  s += char(0);
  s += major == 1 ? le<uint16_t>(header.size()) : le<uint32_t>(header.size());
  return s + header + data;
}

/// Expects `result` to have failed with a one-line "PATH: ..." message that
/// contains `fragment`.
template <typename T>
void expectError(llvm::Expected<T> result, const std::string &prefix,
                 const std::string &fragment) {
  ASSERT_FALSE(bool(result)) << "expected an error containing: " << fragment;
  std::string msg = llvm::toString(result.takeError());
  EXPECT_EQ(msg.rfind(prefix, 0), 0u) << msg;
  EXPECT_NE(msg.find(fragment), std::string::npos) << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
}

inline void expectError(llvm::Error err, const std::string &prefix,
                        const std::string &fragment) {
  ASSERT_TRUE(bool(err)) << "expected an error containing: " << fragment;
  std::string msg = llvm::toString(std::move(err));
  EXPECT_EQ(msg.rfind(prefix, 0), 0u) << msg;
  EXPECT_NE(msg.find(fragment), std::string::npos) << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
}

} // namespace gnn::test

#endif // GNN_TEST_UNIT_TESTUTIL_H

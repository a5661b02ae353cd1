//===- NpyTest.cpp - .npy reading, writing and rejection of bad files -----===//

#include "TestUtil.h"

#include "gnn/Npy.h"

#include <cmath>

using namespace gnn;
using namespace gnn::test;

namespace {

class NpyTest : public TempDirTest {};

const std::string kF32x23 =
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
const std::vector<float> kSix = {1.5f, -2.0f, 0.25f, 3.0f, -0.0f, 1e-3f};

TEST_F(NpyTest, ReadsHandWrittenF32Version1) {
  std::string p = write("x.npy", npyBytes(kF32x23, raw(kSix)));
  auto t = readNpyF32(p, 2);
  ASSERT_TRUE(bool(t)) << llvm::toString(t.takeError());
  EXPECT_EQ(t->shape, (std::vector<int64_t>{2, 3}));
  ASSERT_EQ(t->values.size(), 6u);
  for (size_t i = 0; i < 6; ++i)
    EXPECT_EQ(t->data()[i], kSix[i]) << i;
  EXPECT_EQ(reinterpret_cast<uintptr_t>(t->data()) % 64, 0u);
}

TEST_F(NpyTest, ReadsVersion2And3Headers) {
  for (int major : {2, 3}) {
    std::string p = write("v" + std::to_string(major) + ".npy",
                          npyBytes(kF32x23, raw(kSix), major));
    auto t = readNpyF32(p);
    ASSERT_TRUE(bool(t)) << llvm::toString(t.takeError());
    EXPECT_EQ(t->shape, (std::vector<int64_t>{2, 3}));
    EXPECT_EQ(t->data()[5], kSix[5]);
  }
}

TEST_F(NpyTest, HeaderKeysInAnyOrderWithOddSpacing) {
  // Double quotes, no trailing comma, no padding, a 1-tuple with spaces.
  std::string dict =
      "{ \"shape\" : ( 6 , ) ,'fortran_order':False,\t'descr' :'<f4'}";
  std::string p = write("odd.npy", npyBytes(dict, raw(kSix), 1, false));
  auto t = readNpyF32(p, 1);
  ASSERT_TRUE(bool(t)) << llvm::toString(t.takeError());
  EXPECT_EQ(t->shape, (std::vector<int64_t>{6}));
  EXPECT_EQ(t->data()[1], -2.0f);
}

TEST_F(NpyTest, ScalarAndEmptyArrays) {
  std::string p = write(
      "s.npy", npyBytes("{'descr': '<f4', 'fortran_order': False, "
                        "'shape': (), }",
                        raw(std::vector<float>{7.0f})));
  auto t = readNpyF32(p, 0);
  ASSERT_TRUE(bool(t)) << llvm::toString(t.takeError());
  EXPECT_TRUE(t->shape.empty());
  EXPECT_EQ(t->data()[0], 7.0f);

  p = write("e.npy", npyBytes("{'descr': '<f4', 'fortran_order': False, "
                              "'shape': (0, 4), }",
                              ""));
  t = readNpyF32(p, 2);
  ASSERT_TRUE(bool(t)) << llvm::toString(t.takeError());
  EXPECT_EQ(t->shape, (std::vector<int64_t>{0, 4}));
}

TEST_F(NpyTest, F32RoundTripWritesNumPyLayout) {
  std::vector<float> v(3 * 5);
  for (size_t i = 0; i < v.size(); ++i)
    v[i] = std::sin(float(i)) * 100;
  std::string p = path("out.npy");
  ASSERT_FALSE(bool(writeNpyF32(p, v.data(), {3, 5})));

  // Check the bytes against the format, not only against our reader.
  std::ifstream is(p, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(is)),
                    std::istreambuf_iterator<char>());
  ASSERT_GE(bytes.size(), 10u);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  size_t hlen = uint8_t(bytes[8]) | uint8_t(bytes[9]) << 8;
  EXPECT_EQ((10 + hlen) % 64, 0u);
  EXPECT_EQ(bytes[10 + hlen - 1], '\n');
  std::string dict = bytes.substr(10, hlen);
  EXPECT_NE(dict.find("'descr': '<f4'"), std::string::npos) << dict;
  EXPECT_NE(dict.find("'fortran_order': False"), std::string::npos) << dict;
  EXPECT_NE(dict.find("'shape': (3, 5)"), std::string::npos) << dict;
  EXPECT_EQ(bytes.substr(10 + hlen), raw(v));

  auto t = readNpyF32(p, 2);
  ASSERT_TRUE(bool(t)) << llvm::toString(t.takeError());
  EXPECT_EQ(t->shape, (std::vector<int64_t>{3, 5}));
  EXPECT_EQ(std::memcmp(t->data(), v.data(), v.size() * 4), 0);
  // Only the output is left: the temporary was renamed.
  EXPECT_EQ(listDir(), std::vector<std::string>{"out.npy"});
}

TEST_F(NpyTest, OneDimensionalWriteUsesOneTuple) {
  std::vector<float> v = {1, 2, 3};
  std::string p = path("one.npy");
  ASSERT_FALSE(bool(writeNpyF32(p, v.data(), {3})));
  std::ifstream is(p, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(is)),
                    std::istreambuf_iterator<char>());
  EXPECT_NE(bytes.find("'shape': (3,)"), std::string::npos);
}

TEST_F(NpyTest, WriteOverwritesAtomicallyAndFailsCleanly) {
  std::string p = write("y.npy", "old");
  std::vector<float> v = {1, 2};
  ASSERT_FALSE(bool(writeNpyF32(p, v.data(), {2})));
  auto t = readNpyF32(p);
  ASSERT_TRUE(bool(t)) << llvm::toString(t.takeError());
  EXPECT_EQ(t->data()[1], 2.0f);

  std::string bad = path("no-such-dir/z.npy");
  expectError(writeNpyF32(bad, v.data(), {2}), bad + ": ", "temporary file");
  EXPECT_EQ(listDir(), std::vector<std::string>{"y.npy"});
}

TEST_F(NpyTest, WriteChecksItsArguments) {
  std::string p = path("w.npy");
  std::vector<float> v = {1, 2};
  expectError(writeNpyF32(p, nullptr, {2}), p + ": ",
              "no data for an array of shape [2]");
  expectError(writeNpyF32(p, v.data(), {2, -1}), p + ": ",
              "cannot write an array of shape [2, -1]");
  // An empty array needs no data.
  ASSERT_FALSE(bool(writeNpyF32(p, nullptr, {0, 4})));
  EXPECT_EQ(listDir(), std::vector<std::string>{"w.npy"});
}

TEST_F(NpyTest, ReadsInt64AndInt32Matrices) {
  std::vector<int64_t> v64 = {0, 1, 2, int64_t(1) << 40, -3, 5};
  std::string p = write(
      "i8.npy", npyBytes("{'descr': '<i8', 'fortran_order': False, "
                         "'shape': (2, 3), }",
                         raw(v64)));
  auto m = readNpyInt2D(p);
  ASSERT_TRUE(bool(m)) << llvm::toString(m.takeError());
  EXPECT_EQ(m->rows, 2);
  EXPECT_EQ(m->cols, 3);
  EXPECT_EQ(m->values, v64);

  std::vector<int32_t> v32 = {7, -1, 2147483647, 0};
  p = write("i4.npy", npyBytes("{'descr': '<i4', 'fortran_order': False, "
                               "'shape': (2, 2), }",
                               raw(v32), 2));
  m = readNpyInt2D(p);
  ASSERT_TRUE(bool(m)) << llvm::toString(m.takeError());
  EXPECT_EQ(m->values, (std::vector<int64_t>{7, -1, 2147483647, 0}));
}

TEST_F(NpyTest, RejectsTruncatedAndTrailingData) {
  std::string data = raw(kSix);
  std::string p = write("t.npy", npyBytes(kF32x23, data.substr(0, 20)));
  expectError(readNpyF32(p), p + ": ", "data is truncated");
  expectError(readNpyF32(p), p + ": ", "needs 24 bytes, the file holds 20");
  p = write("t2.npy", npyBytes(kF32x23, data + "xx"));
  expectError(readNpyF32(p), p + ": ", "trailing bytes");
}

TEST_F(NpyTest, RejectsWrongDtype) {
  std::vector<double> d(6, 1.0);
  std::string p = write(
      "f8.npy", npyBytes("{'descr': '<f8', 'fortran_order': False, "
                         "'shape': (2, 3), }",
                         raw(d)));
  expectError(readNpyF32(p), p + ": ", "dtype is '<f8', expected float32");
  expectError(readNpyInt2D(p), p + ": ", "dtype is '<f8', expected int64");
  // Big-endian floats are not silently byte-swapped.
  p = write("be.npy", npyBytes("{'descr': '>f4', 'fortran_order': False, "
                               "'shape': (2, 3), }",
                               raw(kSix)));
  expectError(readNpyF32(p), p + ": ", "dtype is '>f4'");
  p = write("obj.npy", npyBytes("{'descr': '|O', 'fortran_order': False, "
                                "'shape': (2, 3), }",
                                raw(kSix)));
  expectError(readNpyF32(p), p + ": ", "unsupported dtype '|O'");
}

TEST_F(NpyTest, RejectsFortranOrder) {
  std::string p = write(
      "fo.npy", npyBytes("{'descr': '<f4', 'fortran_order': True, "
                         "'shape': (2, 3), }",
                         raw(kSix)));
  expectError(readNpyF32(p), p + ": ", "Fortran order");
}

TEST_F(NpyTest, RejectsBadMagicAndVersion) {
  std::string bytes = npyBytes(kF32x23, raw(kSix));
  std::string b = bytes;
  b[1] = 'X';
  std::string p = write("m.npy", b);
  expectError(readNpyF32(p), p + ": ", "bad magic");
  p = write("short.npy", "\x93NU");
  expectError(readNpyF32(p), p + ": ", "bad magic");
  b = bytes;
  b[6] = 4;
  p = write("v4.npy", b);
  expectError(readNpyF32(p), p + ": ", "unsupported .npy format version 4.0");
  p = write("pre.npy", bytes.substr(0, 9));
  expectError(readNpyF32(p), p + ": ", "truncated inside the .npy preamble");
}

TEST_F(NpyTest, RejectsHeaderLengthBeyondFile) {
  std::string b = npyBytes(kF32x23, "");
  b[8] = char(0xff);
  b[9] = char(0x7f);
  std::string p = write("hl.npy", b);
  expectError(readNpyF32(p), p + ": ", "header length 32767 runs past");
  // Version 2.0 length fields are 32-bit: a huge one must not wrap.
  std::string v2 = std::string("\x93NUMPY\x02\x00", 8) + le<uint32_t>(~0u);
  p = write("hl2.npy", v2);
  expectError(readNpyF32(p), p + ": ", "header length 4294967295 runs past");
}

TEST_F(NpyTest, RejectsBadShapes) {
  auto dictWith = [](const std::string &shape) {
    return "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape +
           ", }";
  };
  std::string p = write("neg.npy", npyBytes(dictWith("(-2, 3)"), raw(kSix)));
  expectError(readNpyF32(p), p + ": ", "negative dimension");
  // The product overflows int64 (and the byte count more so) although the
  // file is small: must be caught before any allocation.
  p = write("ovf.npy",
            npyBytes(dictWith("(4294967296, 4294967296)"), raw(kSix)));
  expectError(readNpyF32(p), p + ": ", "has too many elements");
  p = write("ovf2.npy",
            npyBytes(dictWith("(3074457345618258603,)"), raw(kSix)));
  expectError(readNpyF32(p), p + ": ", "too many elements");
  p = write("big.npy",
            npyBytes(dictWith("(99999999999999999999,)"), raw(kSix)));
  expectError(readNpyF32(p), p + ": ", "does not fit in 64 bits");
  p = write("nt.npy", npyBytes(dictWith("[2, 3]"), raw(kSix)));
  expectError(readNpyF32(p), p + ": ", "'shape' is not a tuple");
  p = write("ni.npy", npyBytes(dictWith("(2, x)"), raw(kSix)));
  expectError(readNpyF32(p), p + ": ", "non-integer dimension");
}

TEST_F(NpyTest, RejectsRankMismatch) {
  std::string p = write(
      "r.npy", npyBytes("{'descr': '<f4', 'fortran_order': False, "
                        "'shape': (6,), }",
                        raw(kSix)));
  expectError(readNpyF32(p, 2), p + ": ",
              "expected a rank-2 array, found shape [6]");
  std::string q = write(
      "r3.npy", npyBytes("{'descr': '<i8', 'fortran_order': False, "
                         "'shape': (1, 1, 1), }",
                         le<int64_t>(1)));
  expectError(readNpyInt2D(q), q + ": ",
              "expected a rank-2 array, found shape [1, 1, 1]");
}

TEST_F(NpyTest, RejectsMalformedHeaderDicts) {
  struct Case {
    std::string dict, fragment;
  };
  std::vector<Case> cases = {
      {"{'descr': '<f4', 'shape': (2, 3)}", "no 'fortran_order'"},
      {"{'fortran_order': False, 'shape': (2, 3)}", "no 'descr'"},
      {"{'descr': '<f4', 'fortran_order': False}", "no 'shape'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), "
       "'extra': 1}",
       "unexpected key 'extra'"},
      {"{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, "
       "'shape': (2, 3)}",
       "duplicate key 'descr'"},
      {"{'descr': '<f4', 'fortran_order': 0, 'shape': (2, 3)}",
       "not True or False"},
      {"{'descr': '<f4' 'fortran_order': False, 'shape': (2, 3)}",
       "expected ',' or '}'"},
      {"'descr': '<f4'", "does not start with '{'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)} junk",
       "unexpected text after"},
      {"{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2, 3)}",
       "structured dtypes"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    std::string p = write("h" + std::to_string(i) + ".npy",
                          npyBytes(cases[i].dict, raw(kSix)));
    expectError(readNpyF32(p), p + ": malformed .npy header: ",
                cases[i].fragment);
  }
}

TEST_F(NpyTest, MissingFileNamesThePath) {
  std::string p = path("absent.npy");
  expectError(readNpyF32(p), p + ": ", "cannot read file");
}

} // namespace

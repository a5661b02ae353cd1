//===- SafetensorsTest.cpp - safetensors reading, writing, rejection ------===//

#include "TestUtil.h"

#include "gnn/Safetensors.h"

#include <cmath>
#include <limits>

using namespace gnn;
using namespace gnn::test;

namespace {

class SafetensorsTest : public TempDirTest {
protected:
  /// A file from header JSON text and data bytes, built by hand.
  std::string file(const std::string &name, const std::string &json,
                   const std::string &data) {
    return write(name, le<uint64_t>(json.size()) + json + data);
  }
};

// lin.weight [2, 3] at [0, 24), bias [2] at [24, 32).
const std::vector<float> kWeight = {1, 2, 3, 4, 5, 6};
const std::vector<float> kBias = {-1.5f, 0.5f};

std::string twoTensors(const std::string &biasOffsets = "[24, 32]",
                       const std::string &biasDtype = "F32") {
  return "{\"__metadata__\": {\"format\": \"pt\"}, "
         "\"conv1.bias\": {\"dtype\": \"" +
         biasDtype + "\", \"shape\": [2], \"data_offsets\": " + biasOffsets +
         "}, "
         "\"conv1.lin.weight\": {\"dtype\": \"F32\", \"shape\": [2, 3], "
         "\"data_offsets\": [0, 24]}}";
}

TEST_F(SafetensorsTest, ReadsTwoTensors) {
  std::string p =
      file("w.safetensors", twoTensors(), raw(kWeight) + raw(kBias));
  auto w = readSafetensors(p);
  ASSERT_TRUE(bool(w)) << llvm::toString(w.takeError());
  ASSERT_EQ(w->size(), 2u); // __metadata__ is skipped.
  const Tensor &weight = w->at("conv1.lin.weight");
  EXPECT_EQ(weight.shape, (std::vector<int64_t>{2, 3}));
  for (size_t i = 0; i < 6; ++i)
    EXPECT_EQ(weight.data()[i], kWeight[i]);
  const Tensor &bias = w->at("conv1.bias");
  EXPECT_EQ(bias.shape, (std::vector<int64_t>{2}));
  EXPECT_EQ(bias.data()[0], -1.5f);
  EXPECT_EQ(bias.data()[1], 0.5f);
}

TEST_F(SafetensorsTest, ReadsScalarAndEmptyTensors) {
  std::string json =
      "{\"s\": {\"dtype\": \"F32\", \"shape\": [], \"data_offsets\": [0, 4]},"
      " \"e\": {\"dtype\": \"F32\", \"shape\": [0, 3], "
      "\"data_offsets\": [4, 4]}}";
  std::string p = file("s.safetensors", json, raw(std::vector<float>{9}));
  auto w = readSafetensors(p);
  ASSERT_TRUE(bool(w)) << llvm::toString(w.takeError());
  EXPECT_EQ(w->at("s").data()[0], 9.0f);
  EXPECT_EQ(w->at("e").shape, (std::vector<int64_t>{0, 3}));
}

TEST_F(SafetensorsTest, RoundTrip) {
  WeightMap m;
  m.emplace("b", Tensor({2}));
  m.emplace("a.weight", Tensor({3, 2}));
  for (int i = 0; i < 2; ++i)
    m.at("b").data()[i] = i + 0.5f;
  for (int i = 0; i < 6; ++i)
    m.at("a.weight").data()[i] = -i;
  std::string p = path("rt.safetensors");
  ASSERT_FALSE(bool(writeSafetensors(p, m)));

  std::ifstream is(p, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(is)),
                    std::istreambuf_iterator<char>());
  uint64_t n = 0;
  std::memcpy(&n, bytes.data(), 8);
  EXPECT_EQ(n % 8, 0u); // Data is 8-byte aligned, like the reference writer.
  EXPECT_EQ(bytes.size(), 8 + n + 8 * 4);

  auto w = readSafetensors(p);
  ASSERT_TRUE(bool(w)) << llvm::toString(w.takeError());
  EXPECT_EQ(w->at("a.weight").shape, (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(w->at("a.weight").data()[5], -5.0f);
  EXPECT_EQ(w->at("b").data()[1], 1.5f);
  EXPECT_EQ(listDir(), std::vector<std::string>{"rt.safetensors"});
}

TEST_F(SafetensorsTest, RejectsHeaderLengthBeyondFile) {
  std::string json = twoTensors();
  std::string p = write("hl.safetensors",
                        le<uint64_t>(json.size() + 100) + json);
  expectError(readSafetensors(p), p + ": ", "header length");
  expectError(readSafetensors(p), p + ": ", "runs past the end of the file");
  p = write("huge.safetensors", le<uint64_t>(~uint64_t(0)) + json);
  expectError(readSafetensors(p), p + ": ", "runs past the end of the file");
  p = write("tiny.safetensors", "abc");
  expectError(readSafetensors(p), p + ": ", "too short");
}

TEST_F(SafetensorsTest, RejectsBadJson) {
  std::string p = file("j.safetensors", "{\"a\": {\"dtype\": ", "");
  expectError(readSafetensors(p), p + ": ", "header is not valid JSON");
  p = file("arr.safetensors", "[1, 2]", "");
  expectError(readSafetensors(p), p + ": ", "not a JSON object");
  p = file("md.safetensors", "{\"__metadata__\": 3}", "");
  expectError(readSafetensors(p), p + ": ", "'__metadata__' is not");
}

TEST_F(SafetensorsTest, RejectsDtypesItDoesNotRead) {
  for (std::string dtype : {"F8_E4M3", "C64", "f32", "X"}) {
    std::string p = file("d.safetensors", twoTensors("[24, 32]", dtype),
                         raw(kWeight) + raw(kBias));
    expectError(readSafetensors(p), p + ": ",
                "tensor 'conv1.bias' has dtype '" + dtype +
                    "', which is not read (weights are F32, F16, BF16 or "
                    "F64; integer and BOOL buffers are skipped)");
  }
}

TEST_F(SafetensorsTest, SkipsIntegerBuffers) {
  // A PyTorch BatchNorm1d state_dict holds num_batches_tracked as an I64
  // scalar; other modules register integer and bool buffers too. No
  // parameter is an integer: each is checked like any tensor, then left
  // out.
  std::string json =
      "{\"bn.running_mean\": {\"dtype\": \"F32\", \"shape\": [2], "
      "\"data_offsets\": [0, 8]}, \"bn.num_batches_tracked\": {\"dtype\": "
      "\"I64\", \"shape\": [], \"data_offsets\": [8, 16]}, "
      "\"idx\": {\"dtype\": \"I32\", \"shape\": [2], "
      "\"data_offsets\": [16, 24]}, "
      "\"mask\": {\"dtype\": \"BOOL\", \"shape\": [3], "
      "\"data_offsets\": [24, 27]}, "
      "\"bytes\": {\"dtype\": \"U8\", \"shape\": [1], "
      "\"data_offsets\": [27, 28]}}";
  std::string p = file("bn.safetensors", json,
                       raw(kBias) + le<uint64_t>(1000) + le<uint64_t>(7) +
                           std::string("\x01\x00\x01\x05", 4));
  auto w = readSafetensors(p);
  ASSERT_TRUE(bool(w)) << llvm::toString(w.takeError());
  EXPECT_EQ(w->size(), 1u);
  EXPECT_EQ(w->at("bn.running_mean").data()[1], 0.5f);

  // The counter's bytes must still match its shape.
  std::string bad =
      "{\"bn.num_batches_tracked\": {\"dtype\": \"I64\", \"shape\": [], "
      "\"data_offsets\": [0, 4]}}";
  p = file("bn-size.safetensors", bad, raw(std::vector<float>{1}));
  expectError(readSafetensors(p), p + ": ",
              "tensor 'bn.num_batches_tracked': data_offsets [0, 4] hold 4 "
              "bytes, but shape [] of I64 needs 8");
  // A shape whose byte count overflows at 8 bytes an element.
  std::string huge =
      "{\"c\": {\"dtype\": \"I64\", \"shape\": [1073741824, 1073741824, "
      "8], \"data_offsets\": [0, 8]}}";
  p = file("i64-huge.safetensors", huge, le<uint64_t>(3));
  expectError(readSafetensors(p), p + ": tensor 'c'", "too many elements");
}

/// A one-tensor file "t" of `dtype` with the given 16-bit patterns.
std::string halfJson(const std::string &dtype, size_t count) {
  return "{\"t\": {\"dtype\": \"" + dtype + "\", \"shape\": [" +
         std::to_string(count) + "], \"data_offsets\": [0, " +
         std::to_string(2 * count) + "]}}";
}

std::string halfBytes(const std::vector<uint16_t> &bits) {
  std::string bytes;
  for (uint16_t b : bits)
    bytes += le<uint16_t>(b);
  return bytes;
}

uint32_t bitsOf(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}

TEST_F(SafetensorsTest, WidensHalfValuesKnownByHand) {
  // binary16: sign, 5 exponent bits (bias 15), 10 fraction bits.
  struct Case {
    uint16_t bits;
    float value;
  };
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<Case> cases = {
      {0x0000, 0.0f},
      {0x8000, -0.0f},
      {0x3c00, 1.0f},
      {0xc000, -2.0f},
      {0x3555, std::ldexp(1.0f + 0x155 / 1024.0f, -2)}, // exponent 13
      {0x7bff, 65504.0f},                        // largest finite
      {0x0400, std::ldexp(1.0f, -14)},           // smallest normal
      {0x0001, std::ldexp(1.0f, -24)},           // smallest subnormal
      {0x0002, std::ldexp(1.0f, -23)},
      {0x0003, std::ldexp(3.0f, -24)},
      {0x0200, std::ldexp(1.0f, -15)},
      {0x03ff, std::ldexp(1023.0f, -24)},        // largest subnormal
      {0x83ff, -std::ldexp(1023.0f, -24)},
      {0x7c00, inf},
      {0xfc00, -inf},
  };
  std::vector<uint16_t> bits;
  for (const Case &c : cases)
    bits.push_back(c.bits);
  bits.push_back(0x7e00); // quiet NaN
  bits.push_back(0xfd01); // signalling NaN, negative, payload 0x101
  std::string p = file("h.safetensors", halfJson("F16", bits.size()),
                       halfBytes(bits));
  auto w = readSafetensors(p);
  ASSERT_TRUE(bool(w)) << llvm::toString(w.takeError());
  const float *got = w->at("t").data();
  for (size_t i = 0; i < cases.size(); ++i)
    EXPECT_EQ(bitsOf(got[i]), bitsOf(cases[i].value))
        << "F16 0x" << std::hex << cases[i].bits << " -> " << got[i];
  EXPECT_TRUE(std::isnan(got[cases.size()]));
  // The payload stays (shifted into the F32 fraction), the sign too.
  EXPECT_EQ(bitsOf(got[cases.size() + 1]), 0xff800000u | (0x101u << 13));
}

TEST_F(SafetensorsTest, WidensBfloat16ValuesKnownByHand) {
  // bfloat16: the top 16 bits of an F32.
  std::vector<uint16_t> bits = {0x3f80, 0xc000, 0x0001, 0x807f,
                                0x7f7f, 0xff80, 0x7fc1};
  std::vector<float> want = {1.0f,
                             -2.0f,
                             std::ldexp(1.0f, -133), // F32 subnormal
                             -std::ldexp(127.0f, -133),
                             std::ldexp(255.0f, 120), // largest finite
                             -std::numeric_limits<float>::infinity()};
  std::string p = file("b.safetensors", halfJson("BF16", bits.size()),
                       halfBytes(bits));
  auto w = readSafetensors(p);
  ASSERT_TRUE(bool(w)) << llvm::toString(w.takeError());
  const float *got = w->at("t").data();
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_EQ(bitsOf(got[i]), bitsOf(want[i])) << i;
  EXPECT_EQ(bitsOf(got[6]), 0x7fc10000u); // NaN with its payload
}

#include "Inputs/WideningGolden.inc"

TEST_F(SafetensorsTest, WidensHalfAndBfloat16AsNumpyAndTorchDo) {
  // Reads `golden` ({bits, F32 bits}) as one tensor of `dtype` and checks
  // every value bit for bit.
  auto check = [&](const std::string &name, const std::string &dtype,
                   const auto &golden) {
    std::vector<uint16_t> bits;
    for (const auto &g : golden)
      bits.push_back(uint16_t(g[0]));
    std::string p = file(name, halfJson(dtype, bits.size()), halfBytes(bits));
    auto w = readSafetensors(p);
    ASSERT_TRUE(bool(w)) << llvm::toString(w.takeError());
    const float *got = w->at("t").data();
    for (size_t i = 0; i < bits.size(); ++i)
      EXPECT_EQ(bitsOf(got[i]), golden[i][1])
          << dtype << " 0x" << std::hex << golden[i][0];
  };
  check("f16.safetensors", "F16", kF16Golden);
  check("bf16.safetensors", "BF16", kBF16Golden);
}

#ifdef __FLT16_MAX__
TEST_F(SafetensorsTest, WidensEveryHalfAsTheCompilerDoes) {
  // All 65536 patterns against the compiler's own _Float16 -> float (F16C
  // or libgcc's soft-float). It sets a signalling NaN's quiet bit, which
  // the reader leaves as it found it, so NaNs compare with that bit set.
  std::vector<uint16_t> bits(1 << 16);
  for (size_t i = 0; i < bits.size(); ++i)
    bits[i] = uint16_t(i);
  std::string p = file("all.safetensors", halfJson("F16", bits.size()),
                       halfBytes(bits));
  auto w = readSafetensors(p);
  ASSERT_TRUE(bool(w)) << llvm::toString(w.takeError());
  const float *got = w->at("t").data();
  int wrong = 0;
  for (size_t i = 0; i < bits.size() && wrong < 10; ++i) {
    _Float16 h;
    std::memcpy(&h, &bits[i], 2);
    uint32_t want = bitsOf(static_cast<float>(h));
    uint32_t have = bitsOf(got[i]);
    if (std::isnan(got[i]))
      have |= 0x00400000u;
    if (have != want) {
      ++wrong;
      ADD_FAILURE() << "F16 0x" << std::hex << i << ": 0x" << bitsOf(got[i])
                    << ", compiler 0x" << want;
    }
  }
}
#endif

TEST_F(SafetensorsTest, RoundsF64ToNearestF32) {
  std::vector<double> values = {1.0 / 3.0, -1e300, 1e-50, 0.1, 2.5};
  std::string json = "{\"t\": {\"dtype\": \"F64\", \"shape\": [5], "
                     "\"data_offsets\": [0, 40]}}";
  std::string p = file("d.safetensors", json, raw(values));
  auto w = readSafetensors(p);
  ASSERT_TRUE(bool(w)) << llvm::toString(w.takeError());
  const float *got = w->at("t").data();
  EXPECT_EQ(got[0], 0.333333343f); // the F32 nearest 1/3
  EXPECT_EQ(got[1], -std::numeric_limits<float>::infinity());
  EXPECT_EQ(bitsOf(got[2]), 0u); // below half the smallest subnormal
  EXPECT_EQ(got[3], 0.1f);
  EXPECT_EQ(got[4], 2.5f);
}

TEST_F(SafetensorsTest, RejectsHalfTensorOfWrongByteCount) {
  // Two F16 values need 4 bytes, not 8 (the F32 count).
  std::string p = file("f16.safetensors", twoTensors("[24, 32]", "F16"),
                       raw(kWeight) + raw(kBias));
  expectError(readSafetensors(p), p + ": ",
              "tensor 'conv1.bias': data_offsets [24, 32] hold 8 bytes, but "
              "shape [2] of F16 needs 4");
}

TEST_F(SafetensorsTest, RejectsRepeatedNames) {
  // A JSON parser keeps one of two equal keys; the file is refused instead.
  std::string entry = "{\"dtype\": \"F32\", \"shape\": [1], "
                      "\"data_offsets\": [0, 4]}";
  std::string data = raw(std::vector<float>{1});
  std::string p = file("dup.safetensors",
                       "{\"a\": " + entry + ", \"a\": " + entry + "}", data);
  expectError(readSafetensors(p), p + ": ",
              "header has the key 'a' twice in one object");
  // Spelled differently, the same name.
  p = file("esc.safetensors",
           "{\"ab\": " + entry + ", \"\\u0061b\": " + entry + "}", data);
  expectError(readSafetensors(p), p + ": ", "the key 'ab' twice");
  // Inside an entry, and inside the metadata.
  p = file("field.safetensors",
           "{\"t\": {\"dtype\": \"F32\", \"dtype\": \"F16\", \"shape\": "
           "[1], \"data_offsets\": [0, 4]}}",
           data);
  expectError(readSafetensors(p), p + ": ", "the key 'dtype' twice");
  p = file("meta.safetensors",
           "{\"__metadata__\": {\"k\": \"1\", \"k\": \"2\"}, \"t\": " +
               entry + "}",
           data);
  expectError(readSafetensors(p), p + ": ", "the key 'k' twice");
  // Equal keys in different objects, and names holding JSON's own
  // punctuation, are no repetition.
  p = file("ok.safetensors",
           "{\"x{,:\\\"}\": " + entry +
               ", \"y\": {\"dtype\": \"F32\", \"shape\": [0], "
               "\"data_offsets\": [4, 4]}}",
           data);
  auto w = readSafetensors(p);
  ASSERT_TRUE(bool(w)) << llvm::toString(w.takeError());
  EXPECT_EQ(w->count("x{,:\"}"), 1u);
}

TEST_F(SafetensorsTest, RejectsOffsetsOutOfRangeOrWrongSize) {
  std::string data = raw(kWeight) + raw(kBias);
  std::string p = file("o1.safetensors", twoTensors("[24, 40]"), data);
  expectError(readSafetensors(p), p + ": ",
              "tensor 'conv1.bias': data_offsets [24, 40] lie outside the "
              "data (32 bytes)");
  p = file("o2.safetensors", twoTensors("[32, 24]"), data);
  expectError(readSafetensors(p), p + ": ", "lie outside the data");
  p = file("o3.safetensors", twoTensors("[24, 28]"), data);
  expectError(readSafetensors(p), p + ": ",
              "data_offsets [24, 28] hold 4 bytes, but shape [2] of F32 "
              "needs 8");
  p = file("o4.safetensors", twoTensors("[-8, 32]"), data);
  expectError(readSafetensors(p), p + ": ", "non-negative integers");
  p = file("o5.safetensors", twoTensors("[24]"), data);
  expectError(readSafetensors(p), p + ": ", "array of two integers");
  p = file("o6.safetensors", twoTensors("[24, 18446744073709551615]"), data);
  expectError(readSafetensors(p), p + ": ", "tensor 'conv1.bias'");
}

TEST_F(SafetensorsTest, RejectsOverlapsAndHoles) {
  // Bias inside the weight's bytes; sizes match, so only overlap is wrong.
  std::string data = raw(kWeight) + raw(kBias);
  std::string p = file("ov.safetensors", twoTensors("[16, 24]"), data);
  expectError(readSafetensors(p), p + ": ", "overlap in the data");
  // Bytes [24, 32) belong to nobody.
  p = file("hole.safetensors", twoTensors("[32, 40]"), data + raw(kBias));
  expectError(readSafetensors(p), p + ": ",
              "data bytes [24, 32) belong to no tensor");
  p = file("tail.safetensors", twoTensors(), data + "junk");
  expectError(readSafetensors(p), p + ": ",
              "data bytes [32, 36) belong to no tensor");
}

TEST_F(SafetensorsTest, RejectsMissingAndUnexpectedFields) {
  struct Case {
    std::string entry, fragment;
  };
  std::vector<Case> cases = {
      {"{\"shape\": [1], \"data_offsets\": [0, 4]}", "has no 'dtype'"},
      {"{\"dtype\": \"F32\", \"data_offsets\": [0, 4]}", "has no 'shape'"},
      {"{\"dtype\": \"F32\", \"shape\": [1]}", "has no 'data_offsets'"},
      {"{\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4], "
       "\"x\": 1}",
       "unexpected field 'x'"},
      {"{\"dtype\": 5, \"shape\": [1], \"data_offsets\": [0, 4]}",
       "'dtype' is not a string"},
      {"{\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}",
       "non-negative integer"},
      {"{\"dtype\": \"F32\", \"shape\": 1, \"data_offsets\": [0, 4]}",
       "'shape' is not an array"},
      {"{\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296], "
       "\"data_offsets\": [0, 4]}",
       "too many elements"},
      {"[1]", "is not a JSON object"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    std::string p = file("f" + std::to_string(i) + ".safetensors",
                         "{\"t\": " + cases[i].entry + "}",
                         raw(std::vector<float>{1}));
    expectError(readSafetensors(p), p + ": tensor 't'", cases[i].fragment);
  }
}

TEST_F(SafetensorsTest, WriteRejectsInconsistentTensor) {
  WeightMap m;
  m.emplace("empty", Tensor()); // Shape [] needs 1 value; it holds none.
  std::string p = path("bad.safetensors");
  expectError(writeSafetensors(p, m), p + ": ", "tensor 'empty' holds 0");
  EXPECT_TRUE(listDir().empty());
}

} // namespace

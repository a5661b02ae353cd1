//===- SafetensorsTest.cpp - safetensors reading, writing, rejection ------===//

#include "TestUtil.h"

#include "gnn/Safetensors.h"

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

TEST_F(SafetensorsTest, RejectsNonF32) {
  std::string p = file("f16.safetensors", twoTensors("[24, 32]", "F16"),
                       raw(kWeight) + raw(kBias));
  expectError(readSafetensors(p), p + ": ",
              "tensor 'conv1.bias' has dtype 'F16'; only F32 is supported");
}

TEST_F(SafetensorsTest, SkipsBatchNormCounters) {
  // A PyTorch BatchNorm1d state_dict holds num_batches_tracked as an I64
  // scalar: checked like any tensor, then left out.
  std::string json =
      "{\"bn.running_mean\": {\"dtype\": \"F32\", \"shape\": [2], "
      "\"data_offsets\": [0, 8]}, \"bn.num_batches_tracked\": {\"dtype\": "
      "\"I64\", \"shape\": [], \"data_offsets\": [8, 16]}}";
  std::string p = file("bn.safetensors", json,
                       raw(kBias) + le<uint64_t>(1000));
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
  // Other integer tensors are still refused.
  std::string other =
      "{\"bn.count\": {\"dtype\": \"I64\", \"shape\": [], "
      "\"data_offsets\": [0, 8]}}";
  p = file("i64.safetensors", other, le<uint64_t>(3));
  expectError(readSafetensors(p), p + ": ",
              "tensor 'bn.count' has dtype 'I64'; only F32 is supported");
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

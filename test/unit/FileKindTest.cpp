//===- FileKindTest.cpp - Naming a file of the wrong kind -----------------===//
#include "runtime/FileKind.h"

#include <gtest/gtest.h>

#include <string>

using gnn::describeFileKind;

TEST(FileKind, RecognisesWhatUsersMixUp) {
  using namespace std::string_literals;
  EXPECT_EQ(describeFileKind("\x93NUMPY\x01\x00v\x00{'descr'"), "a .npy array");
  // 8-byte length 2, then "{}".
  EXPECT_EQ(describeFileKind("\x02\0\0\0\0\0\0\0{}"s), "a .safetensors file");
  // A length past the end is not a safetensors file.
  EXPECT_EQ(describeFileKind("\x09\0\0\0\0\0\0\0{}"s), "");
  EXPECT_EQ(describeFileKind("PK\x03\x04" "archive/data.pkl").substr(0, 13),
            "a zip archive");
  EXPECT_EQ(describeFileKind("\x80\x02}q\0(X"s).substr(0, 15), "a Python pickle");
  EXPECT_EQ(describeFileKind("\x7f" "ELF\x02\x01\x01"), "an ELF object file");
  EXPECT_EQ(describeFileKind("GNNPART\0\x01\0\0\0"s),
            "a gnnc part file (give its partition directory)");
}

TEST(FileKind, QuotesTheFirstLineOfText) {
  EXPECT_EQ(describeFileKind("conv1.bias 64\nconv1.lin.weight 64 128\n"),
            "text starting \"conv1.bias 64\"");
  EXPECT_EQ(describeFileKind("0 1\r\n1 2\r\n"), "text starting \"0 1\"");
  EXPECT_EQ(describeFileKind(std::string(40, 'x')),
            "text starting \"" + std::string(32, 'x') + "...\"");
  // Control bytes or NUL: binary, unnamed.
  EXPECT_EQ(describeFileKind(std::string("ab\0cd", 5)), "");
  EXPECT_EQ(describeFileKind("\x01\x02\x03"), "");
  // Bytes that are not UTF-8 are binary; UTF-8 is text, even cut short.
  EXPECT_EQ(describeFileKind("\x93NU"), "");
  EXPECT_EQ(describeFileKind("\xff\xff\xff\xff"), "");
  EXPECT_EQ(describeFileKind("caf\xc3\xa9 0 1"), "text starting \"caf?? 0 1\"");
  EXPECT_EQ(describeFileKind("x \xc3"), "text starting \"x ?\"");
  EXPECT_EQ(describeFileKind(""), "");
}

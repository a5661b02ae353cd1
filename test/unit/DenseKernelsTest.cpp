//===- DenseKernelsTest.cpp - The blocked oneDNN matmul and its row scale -===//
//
// DenseLinear against a plain triple loop: the product, bias and relu of
// rows that fill one block and a padded short one, and the row scale
// applied after them (the same IEEE product a kernel would form per row).
//
//===----------------------------------------------------------------------===//
#include "runtime/DenseKernels.h"

#include "RandomTensor.h"

#include "gtest/gtest.h"

#include <cmath>
#include <vector>

using namespace gnn;
using namespace gnn::detail;

namespace {

TEST(DenseKernelsTest, RowsAreScaledAfterThePostOps) {
  // 2000 rows: two whole blocks of 960 and a short one of 80.
  const int64_t rows = 2000, in = 12, out = 5;
  Tensor x = test::randomTensor({rows, in}, 1);
  Tensor w = test::randomTensor({out, in}, 2);
  Tensor b = test::randomTensor({out}, 3);
  Tensor s = test::randomTensor({rows}, 4);
  s.data()[7] = 0.0f; // a vertex whose scale is 0 (no source rows needed)

  DenseEpilogue relu;
  relu.activation = DenseActivation::Relu;
  DenseLinear dense;
  std::vector<float> plain(rows * out), scaled(rows * out);
  ASSERT_FALSE(bool(dense.run(x.data(), rows, in, w.data(), out, b.data(),
                              plain.data(), relu)));
  ASSERT_FALSE(bool(dense.run(x.data(), rows, in, w.data(), out, b.data(),
                              scaled.data(), relu, s.data())));
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t o = 0; o < out; ++o) {
      double sum = b.data()[o];
      for (int64_t k = 0; k < in; ++k)
        sum += double(x.data()[r * in + k]) * w.data()[o * in + k];
      float reference = float(std::max(sum, 0.0) * s.data()[r]);
      float got = scaled[r * out + o];
      ASSERT_NEAR(got, reference, 1e-4f * (1 + std::fabs(reference)))
          << "row " << r << " column " << o;
      // Scaled after the matmul, bit for bit.
      ASSERT_EQ(got, plain[r * out + o] * s.data()[r])
          << "row " << r << " column " << o;
    }
}

} // namespace

//===- FloatWidening.h - Exact F16 and BF16 to F32 conversion ---*- C++ -*-===//
//
// Every IEEE half (F16) and bfloat16 (BF16) value is exactly representable
// as an F32, so widening is pure bit manipulation: no rounding, no reliance
// on the host's F16C instructions. Infinities and NaNs keep their sign and
// payload (as NumPy's float16 -> float32 cast does); F16 subnormals become
// normal F32 values.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_RUNTIME_FLOATWIDENING_H
#define GNN_RUNTIME_FLOATWIDENING_H

#include <cstdint>
#include <cstring>

namespace gnn::detail {

inline float floatFromBits(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

/// IEEE 754 binary16: 1 sign, 5 exponent (bias 15), 10 fraction bits.
inline float halfToFloat(uint16_t h) {
  uint32_t sign = uint32_t(h & 0x8000u) << 16;
  uint32_t exponent = (h >> 10) & 0x1fu;
  uint32_t fraction = h & 0x3ffu;
  if (exponent == 0x1f) // inf and NaN: the F32 all-ones exponent
    return floatFromBits(sign | 0x7f800000u | (fraction << 13));
  if (exponent != 0) // normal: rebias 15 -> 127
    return floatFromBits(sign | ((exponent + 112) << 23) | (fraction << 13));
  if (fraction == 0)
    return floatFromBits(sign); // +-0
  // Subnormal: fraction * 2^-24. With p the top set bit of the fraction it
  // is 2^(p-24) * 1.rest, a normal F32 of exponent field p - 24 + 127.
  int p = 31 - __builtin_clz(fraction);
  return floatFromBits(sign | (uint32_t(p + 103) << 23) |
                       ((fraction ^ (1u << p)) << (23 - p)));
}

/// bfloat16 is the top half of an F32.
inline float bfloat16ToFloat(uint16_t h) {
  return floatFromBits(uint32_t(h) << 16);
}

} // namespace gnn::detail

#endif // GNN_RUNTIME_FLOATWIDENING_H

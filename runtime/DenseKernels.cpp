//===- DenseKernels.cpp - Dense matmuls through oneDNN (2.x API) ----------===//
#include "DenseKernels.h"

#include <dnnl.hpp>
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

using namespace gnn::detail;

namespace {
// in, out, bias, accumulate, activation, alpha (rows: kRowBlock)
using Key = std::tuple<int64_t, int64_t, bool, bool, DenseActivation, float>;

/// The oneDNN eltwise algorithm and its (alpha, beta) for an activation.
std::tuple<dnnl::algorithm, float, float> eltwiseOf(DenseActivation act,
                                                    float alpha) {
  using alg = dnnl::algorithm;
  switch (act) {
  case DenseActivation::Relu:
    return {alg::eltwise_relu, 0.f, 0.f};
  case DenseActivation::LeakyRelu:
    // oneDNN's relu with alpha is x > 0 ? x : alpha * x.
    return {alg::eltwise_relu, alpha, 0.f};
  case DenseActivation::Elu:
    return {alg::eltwise_elu, alpha, 0.f};
  case DenseActivation::Sigmoid:
    return {alg::eltwise_logistic, 0.f, 0.f};
  case DenseActivation::Tanh:
    return {alg::eltwise_tanh, 0.f, 0.f};
  case DenseActivation::Gelu:
    return {alg::eltwise_gelu_erf, 0.f, 0.f};
  case DenseActivation::Exp:
    return {alg::eltwise_exp, 0.f, 0.f};
  case DenseActivation::None:
    break;
  }
  return {alg::undef, 0.f, 0.f};
}
/// Multiplies each of `rows` rows of `width` floats by its scale. Cloned
/// for the vector widths a host may have (the runtime is built for the
/// baseline x86-64): on 4M rows of 64 floats, 13 ms with SSE's.
__attribute__((target_clones("avx512f", "avx2", "default"))) void
scaleRows(float *__restrict y, const float *__restrict scale, int64_t rows,
          int64_t width) {
  for (int64_t r = 0; r < rows; ++r) {
    const float s = scale[r];
    float *__restrict row = y + r * width;
    for (int64_t c = 0; c < width; ++c)
      row[c] *= s;
  }
}
} // namespace

/// Rows per oneDNN call. Fixed, so that the rows each call computes, and
/// with them the kernel (and summation order) oneDNN picks for each row,
/// do not depend on the thread count. Measured on 131072 rows, one
/// thread, CPU time against one call for all rows: +6% in blocks of 256,
/// within 3% from 1024 on (128x64, 64x16 and 602x256 weights).
/// Every call is made for exactly this many rows (a short block is
/// padded), and 960 = 2^6 x 3 x 5 is a multiple of 6, the row unroll of
/// oneDNN's AVX2 GEMM, and of the other unrolls its kernels use (8, 16,
/// 24, 32, 48, 64), so no row falls into a kernel's tail, which sums in
/// another order. With 1024 rows a call (1024 = 6 x 170 + 4), AVX2 gave
/// rows other bits by their position in the block -- which a reordered
/// graph or an MPI part changes; 960 and 1020 both keep the bits
/// (test/e2e/reorder-bitwise.test, under ONEDNN_MAX_CPU_ISA=AVX2).
constexpr int64_t kRowBlock = 960;

struct Primitive {
  dnnl::matmul matmul;
  dnnl::memory::desc scratchpad;
};

struct DenseLinear::Impl {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  std::map<Key, Primitive> primitives;
  /// Each thread's scratchpad (primitives are built with a user
  /// scratchpad: one oneDNN keeps inside a primitive is shared by all
  /// threads that execute it at once).
  std::vector<std::vector<char>> scratchpads;

  /// The primitive for a call of kRowBlock rows (every call has that many).
  Primitive &get(int64_t in, int64_t out, bool hasBias,
                 const DenseEpilogue &e) {
    // alpha is 0 but for elu and leaky_relu (gnn.linear's verifier).
    Key key{in, out, hasBias, e.accumulate, e.activation, e.alpha};
    auto it = primitives.find(key);
    if (it != primitives.end())
      return it->second;
    using tag = dnnl::memory::format_tag;
    using dt = dnnl::memory::data_type;
    dnnl::memory::desc src({kRowBlock, in}, dt::f32, tag::ab);
    // W^T viewed as [in, out] is W [out, in] read column-major: tag "ba".
    dnnl::memory::desc weights({in, out}, dt::f32, tag::ba);
    dnnl::memory::desc dst({kRowBlock, out}, dt::f32, tag::ab);
    dnnl::memory::desc bias = hasBias
                                  ? dnnl::memory::desc({1, out}, dt::f32, tag::ab)
                                  : dnnl::memory::desc();
    // Post-ops run in order on each output tile: dst = act(xW + b + dst).
    dnnl::post_ops ops;
    if (e.accumulate)
      ops.append_sum(1.f);
    if (e.activation != DenseActivation::None) {
      auto [algorithm, a, b] = eltwiseOf(e.activation, e.alpha);
      ops.append_eltwise(1.f, algorithm, a, b);
    }
    dnnl::primitive_attr attr;
    attr.set_post_ops(ops);
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    dnnl::matmul::desc desc(src, weights, bias, dst);
    // oneDNN splits a call's work for the threads OpenMP offers when the
    // primitive is made; a primitive made for one thread computes every
    // row alike on any team (its split over threads is ours, by rows).
    int threads = omp_get_max_threads();
    omp_set_num_threads(1);
    dnnl::matmul::primitive_desc pd(desc, attr, engine);
    omp_set_num_threads(threads);
    Primitive made{dnnl::matmul(pd), pd.scratchpad_desc()};
    return primitives.emplace(key, std::move(made)).first->second;
  }
};

DenseLinear::DenseLinear() : impl(std::make_unique<Impl>()) {}
DenseLinear::~DenseLinear() = default;

llvm::Error DenseLinear::run(const float *x, int64_t rows, int64_t in,
                             const float *weight, int64_t out,
                             const float *bias, float *y,
                             const DenseEpilogue &epilogue,
                             const float *rowScale) {
  if (rows == 0)
    return llvm::Error::success();
  // What went wrong, said as "a dense layer [rows x in] * [in x out]: ...".
  auto fault = [&](const std::string &what) {
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "a dense layer [" + std::to_string(rows) + " x " + std::to_string(in) +
            "] * [" + std::to_string(in) + " x " + std::to_string(out) +
            "]: " + what);
  };
  // Blocks of kRowBlock rows, one oneDNN call each,
  // taken by the threads dynamically: the same calls on any number of
  // threads, so the same bits (oneDNN's own threading regroups sums with
  // the thread count on some CPUs: its AVX2 GEMM splits by thread).
  // Every call is made for kRowBlock rows: a shorter last block (or a
  // graph of fewer rows) is padded to a whole block in a buffer. oneDNN
  // picks its kernel and blocking by the row count (its AVX2 GEMM sums a
  // row of a 952-row call in another order than one of a 1024-row call),
  // so a row's bits would otherwise depend on where it falls: a graph
  // reordered (gnn/Reorder.h), or a part of it on an MPI rank, moves
  // rows between the last block and the others.
  int64_t blocks = (rows + kRowBlock - 1) / kRowBlock;
  int64_t tail = rows - (blocks - 1) * kRowBlock;
  Primitive *primitive = nullptr;
  try {
    primitive = &impl->get(in, out, bias != nullptr, epilogue);
    impl->scratchpads.resize(
        std::max<size_t>(impl->scratchpads.size(), omp_get_max_threads()));
  } catch (const dnnl::error &e) {
    return fault(std::string("oneDNN error: ") + e.what());
  } catch (const std::bad_alloc &) {
    return fault("out of memory (oneDNN primitives)");
  }
  Primitive &prim = *primitive;
  using tag = dnnl::memory::format_tag;
  using dt = dnnl::memory::data_type;
  dnnl::engine &engine = impl->engine;
  auto wrap = [&](const void *p, dnnl::memory::dims dims, dt type, tag t) {
    return dnnl::memory({dims, type, t}, engine, const_cast<void *>(p));
  };
  // No exception may leave the parallel region (that terminates): the
  // first fault of any thread is kept, and the others stop early.
  std::string firstFault;
  std::atomic<bool> failed{false};
  auto record = [&](const std::string &what) {
#pragma omp critical(gnn_dense_fault)
    if (!failed.exchange(true))
      firstFault = what;
  };
#pragma omp parallel
  {
    try {
      dnnl::stream stream{engine};
      std::vector<char> &scratchpad = impl->scratchpads[omp_get_thread_num()];
#pragma omp for schedule(dynamic, 1)
      for (int64_t b = 0; b < blocks; ++b) {
        if (failed.load(std::memory_order_relaxed))
          continue;
        try {
          int64_t first = b * kRowBlock;
          int64_t count = b + 1 < blocks ? kRowBlock : tail;
          // A short block runs on a padded copy: zero rows after the
          // input's, and the addend's rows when the epilogue accumulates.
          const float *src = x + first * in;
          float *dst = y + first * out;
          std::vector<float> paddedSrc, paddedDst;
          if (count < kRowBlock) {
            paddedSrc.assign(size_t(kRowBlock * in), 0.f);
            paddedDst.assign(size_t(kRowBlock * out), 0.f);
            std::copy(src, src + count * in, paddedSrc.begin());
            if (epilogue.accumulate)
              std::copy(dst, dst + count * out, paddedDst.begin());
            src = paddedSrc.data();
            dst = paddedDst.data();
          }
          // Aligned as oneDNN aligns the buffers it allocates itself.
          size_t bytes = prim.scratchpad.get_size() + 64;
          if (scratchpad.size() < bytes)
            scratchpad.resize(bytes);
          uintptr_t start = reinterpret_cast<uintptr_t>(scratchpad.data());
          void *aligned =
              reinterpret_cast<void *>((start + 63) & ~uintptr_t(63));
          std::unordered_map<int, dnnl::memory> args{
              {DNNL_ARG_SRC, wrap(src, {kRowBlock, in}, dt::f32, tag::ab)},
              {DNNL_ARG_WEIGHTS, wrap(weight, {in, out}, dt::f32, tag::ba)},
              {DNNL_ARG_DST, wrap(dst, {kRowBlock, out}, dt::f32, tag::ab)},
              {DNNL_ARG_SCRATCHPAD,
               dnnl::memory(prim.scratchpad, engine, aligned)}};
          if (bias)
            args.emplace(DNNL_ARG_BIAS, wrap(bias, {1, out}, dt::f32, tag::ab));
          prim.matmul.execute(stream, args);
          stream.wait();
          if (count < kRowBlock)
            std::copy(paddedDst.begin(), paddedDst.begin() + count * out,
                      y + first * out);
          // The row scale while the block (960 rows) is still in cache:
          // oneDNN 2.6's per-row binary post-op falls back to its
          // reference matmul (measured 2000x slower).
          if (rowScale)
            scaleRows(y + first * out, rowScale + first, count, out);
        } catch (const dnnl::error &e) {
          record(std::string("oneDNN error: ") + e.what());
        } catch (const std::bad_alloc &) {
          record("out of memory (oneDNN scratchpad)");
        }
      }
    } catch (const dnnl::error &e) {
      record(std::string("oneDNN error: ") + e.what());
    } catch (const std::bad_alloc &) {
      record("out of memory (oneDNN stream)");
    }
  }
  if (failed)
    return fault(firstFault);
  return llvm::Error::success();
}

//===- DenseKernels.cpp - Dense matmuls through oneDNN (2.x API) ----------===//
#include "DenseKernels.h"

#include <dnnl.hpp>

#include <map>
#include <tuple>

using namespace gnn::detail;

namespace {
// rows, in, out, bias, accumulate, activation, alpha
using Key = std::tuple<int64_t, int64_t, int64_t, bool, bool, DenseActivation,
                       float>;

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
} // namespace

struct DenseLinear::Impl {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{engine};
  std::map<Key, dnnl::matmul> primitives;

  dnnl::matmul &get(int64_t rows, int64_t in, int64_t out, bool hasBias,
                    const DenseEpilogue &e) {
    // alpha is 0 but for elu and leaky_relu (gnn.linear's verifier).
    Key key{rows, in, out, hasBias, e.accumulate, e.activation, e.alpha};
    auto it = primitives.find(key);
    if (it != primitives.end())
      return it->second;
    using tag = dnnl::memory::format_tag;
    using dt = dnnl::memory::data_type;
    dnnl::memory::desc src({rows, in}, dt::f32, tag::ab);
    // W^T viewed as [in, out] is W [out, in] read column-major: tag "ba".
    dnnl::memory::desc weights({in, out}, dt::f32, tag::ba);
    dnnl::memory::desc dst({rows, out}, dt::f32, tag::ab);
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
    dnnl::matmul::desc desc(src, weights, bias, dst);
    dnnl::matmul::primitive_desc pd(desc, attr, engine);
    return primitives.emplace(key, dnnl::matmul(pd)).first->second;
  }
};

DenseLinear::DenseLinear() : impl(std::make_unique<Impl>()) {}
DenseLinear::~DenseLinear() = default;

void DenseLinear::run(const float *x, int64_t rows, int64_t in,
                      const float *weight, int64_t out, const float *bias,
                      float *y, const DenseEpilogue &epilogue) {
  if (rows == 0)
    return;
  dnnl::matmul &mm = impl->get(rows, in, out, bias != nullptr, epilogue);
  using tag = dnnl::memory::format_tag;
  using dt = dnnl::memory::data_type;
  auto wrap = [&](const float *p, dnnl::memory::dims dims, tag t) {
    return dnnl::memory({dims, dt::f32, t}, impl->engine,
                        const_cast<float *>(p));
  };
  std::unordered_map<int, dnnl::memory> args{
      {DNNL_ARG_SRC, wrap(x, {rows, in}, tag::ab)},
      {DNNL_ARG_WEIGHTS, wrap(weight, {in, out}, tag::ba)},
      {DNNL_ARG_DST, wrap(y, {rows, out}, tag::ab)}};
  if (bias)
    args.emplace(DNNL_ARG_BIAS, wrap(bias, {1, out}, tag::ab));
  mm.execute(impl->stream, args);
  impl->stream.wait();
}

//===- BuiltinsTensor.cpp - torch and torch.nn.functional -----------------===//
//
// Tensor functions: activations, pow, elementwise minimum and maximum,
// log_softmax, cat and dropout. They are traced, except abs of a number
// and dropout, which inference makes the identity.
//
//===----------------------------------------------------------------------===//

#include "frontend/Builtins.h"

#include <cmath>
#include <limits>

using namespace gnn::frontend;
using llvm::StringRef;

/// abs() of a number is Python's; of a tensor, torch's.
static std::optional<Value> absolute(const BuiltinCall &call) {
  const Value &x = call.args[0].value;
  if (!x.isNumber())
    return call.trace();
  if (x.is(Value::Kind::Float))
    return Value::floating(std::fabs(x.getNumber()));
  if (x.getInt() == std::numeric_limits<int64_t>::min()) {
    call.interp.error(call.loc, "integer overflow in abs()");
    return std::nullopt;
  }
  return Value::integer(std::abs(x.getInt()));
}

/// Inference only: dropout is the identity, and asking for training
/// behaviour is an error rather than silently ignored.
static std::optional<Value> dropout(const BuiltinCall &call) {
  const Arg &training = call.args[2];
  std::optional<bool> on = call.interp.getBool(training, "training");
  if (!on)
    return std::nullopt;
  if (*on) {
    call.interp.error(training.loc, "dropout(training=True) is not "
                                    "supported: gnnc compiles models for "
                                    "inference");
    return std::nullopt;
  }
  return call.args[0].value;
}

void gnn::frontend::registerTensorBuiltins(Builtins &b) {
  BuiltinParam input = {"input", std::nullopt};
  for (StringRef unary :
       {"relu", "sigmoid", "tanh", "exp", "log", "sqrt", "neg"})
    b.addFunction(unary, {{input}}, traceBuiltin).tensorMethod = true;
  // torch has no Tensor.gelu().
  b.addFunction("gelu", {{input}}, traceBuiltin);
  b.addFunction("abs", {{input}}, absolute).tensorMethod = true;
  b.addFunction("elu", {{input, {"alpha", Value::floating(1.0)}}},
                traceBuiltin);
  b.addFunction("leaky_relu",
                {{input, {"negative_slope", Value::floating(0.01)}}},
                traceBuiltin);
  b.addFunction("pow", {{input, {"exponent", std::nullopt}}}, traceBuiltin)
      .tensorMethod = true;
  b.addFunction("maximum", {{input, {"other", std::nullopt}}}, traceBuiltin);
  b.addFunction("minimum", {{input, {"other", std::nullopt}}}, traceBuiltin);
  b.addFunction("dropout",
                {{input,
                  {"p", Value::floating(0.5)},
                  {"training", Value::boolean(false)}}},
                dropout);
  b.addFunction("log_softmax", {{input, {"dim", std::nullopt}}}, traceBuiltin)
      .tensorMethod = true;
  // torch.cat: dim 0 would join the rows, which gnnc never does; the
  // tracer says so.
  b.addFunction("cat",
                {{{"tensors", std::nullopt}, {"dim", Value::integer(0)}}},
                traceBuiltin);
}

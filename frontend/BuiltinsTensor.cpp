//===- BuiltinsTensor.cpp - torch and torch.nn.functional -----------------===//
//
// Tensor functions: activations, pow, elementwise minimum and maximum,
// log_softmax, cat and dropout. They are traced, except abs of a number
// and dropout, which inference makes the identity. And the tensor methods
// on shapes, whose arguments are checked here and whose shapes the tracer
// checks; and the table of tensor methods outside the math (x.detach(),
// x.item(), x.backward(), x.to(...)) and what each is to a model file.
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

/// torch.nn.functional.dropout and torch.dropout: unlike the model
/// language's dropout(), PyTorch's `training` defaults to True, so they
/// drop (at random) even in eval mode unless told otherwise. Refused then,
/// with the usual spelling as the way out.
static std::optional<Value> torchDropout(const BuiltinCall &call) {
  const Arg &training = call.args[2];
  if (training.value.isNone()) {
    call.interp.error(call.loc,
                      call.callee.name +
                          "() without 'training' drops at random even in "
                          "eval mode (PyTorch's default is training=True); "
                          "pass training=self.training");
    return std::nullopt;
  }
  return dropout(call);
}

/// silu(x) = x * sigmoid(x).
static std::optional<Value> silu(const BuiltinCall &call) {
  const Arg &x = call.args[0];
  std::optional<Value> gate = call.trace("sigmoid");
  if (!gate)
    return std::nullopt;
  return call.interp.getTensorOps()->binary(BinaryOp::Mul, x,
                                            {*gate, call.loc}, call.loc);
}

/// torch.clamp(x, min=None, max=None): maximum with min, then minimum with
/// max, as PyTorch orders them.
static std::optional<Value> clamp(const BuiltinCall &call) {
  Interpreter &interp = call.interp;
  TensorOps *ops = interp.getTensorOps();
  if (!ops) {
    interp.error(call.loc, "'clamp' can only be used in forward() and message()");
    return std::nullopt;
  }
  Arg x = call.args[0];
  const Arg &lo = call.args[1], &hi = call.args[2];
  if (lo.value.is(Value::Kind::None) && hi.value.is(Value::Kind::None)) {
    interp.error(call.loc, "clamp() needs min= or max=");
    return std::nullopt;
  }
  for (auto [bound, name] : {std::pair(&lo, "maximum"), std::pair(&hi, "minimum")}) {
    if (bound->value.is(Value::Kind::None))
      continue;
    std::optional<Value> y = ops->callBuiltin(name, {x, *bound}, call.loc);
    if (!y)
      return std::nullopt;
    x = {*y, call.loc};
  }
  return x.value;
}

/// torch.rsqrt(x): x ** -0.5.
static std::optional<Value> rsqrt(const BuiltinCall &call) {
  TensorOps *ops = call.interp.getTensorOps();
  if (!ops) {
    call.interp.error(call.loc, "'rsqrt' can only be used in forward() and message()");
    return std::nullopt;
  }
  return ops->callBuiltin("pow", {call.args[0], {Value::floating(-0.5), call.loc}},
                          call.loc);
}

/// F.normalize(x, p=2.0, dim=1, eps=1e-12): x / max(||x||_2 along dim, eps).
static std::optional<Value> normalize(const BuiltinCall &call) {
  Interpreter &interp = call.interp;
  TensorOps *ops = interp.getTensorOps();
  if (!ops) {
    interp.error(call.loc, "'normalize' can only be used in forward() and "
                           "message()");
    return std::nullopt;
  }
  const Arg &x = call.args[0], &p = call.args[1], &dim = call.args[2],
            &eps = call.args[3];
  if (!p.value.isNumber() || p.value.getNumber() != 2.0) {
    interp.error(p.loc, "normalize() supports p=2 only, got " +
                            p.value.repr());
    return std::nullopt;
  }
  if (!eps.value.isNumber()) {
    interp.error(eps.loc, "normalize() argument 'eps' must be a number, got " +
                              eps.value.repr());
    return std::nullopt;
  }
  std::optional<Value> squares = ops->binary(BinaryOp::Mul, x, x, call.loc);
  std::optional<Value> sum =
      squares ? ops->callBuiltin("sum",
                                 {{*squares, call.loc},
                                  dim,
                                  {Value::boolean(true), call.loc}},
                                 call.loc)
              : std::nullopt;
  std::optional<Value> norm =
      sum ? ops->callBuiltin("sqrt", {{*sum, call.loc}}, call.loc)
          : std::nullopt;
  std::optional<Value> floor =
      norm ? ops->callBuiltin("maximum", {{*norm, call.loc}, eps}, call.loc)
           : std::nullopt;
  if (!floor)
    return std::nullopt;
  return ops->binary(BinaryOp::Div, x, {*floor, call.loc}, call.loc);
}

/// x.view(d0, d1, ...) or x.view((d0, d1, ...)), and reshape: the
/// dimensions go to the tracer as one tuple.
static std::optional<Value> view(const BuiltinCall &call) {
  Interpreter &interp = call.interp;
  std::string callee = call.callName();
  if (!call.kwargs.empty()) {
    interp.error(call.kwargs[0].nameLoc, callee + " takes only dimensions");
    return std::nullopt;
  }
  std::vector<Arg> dims = unpackDims(call.args.drop_front());
  if (dims.empty()) {
    interp.error(call.loc, callee + " needs the new shape");
    return std::nullopt;
  }
  std::vector<Value> shape;
  for (const Arg &dim : dims) {
    if (!dim.value.is(Value::Kind::Int)) {
      interp.error(dim.loc, callee + " dimensions must be integers, got " +
                                dim.value.describe());
      return std::nullopt;
    }
    shape.push_back(dim.value);
  }
  return interp.getTensorOps()->callBuiltin(
      call.callee.name,
      {call.args[0], {Value::tuple(std::move(shape)), dims[0].loc}}, call.loc);
}

/// x.OP(dim), or with Keepdim x.OP(dim, keepdim=False); without a dim
/// (if DimOptional) the whole feature shape.
template <bool Keepdim, bool DimOptional>
static std::optional<Value> alongDim(const BuiltinCall &call) {
  Interpreter &interp = call.interp;
  std::string callee = call.callName();
  std::vector<std::string> names = {"dim"};
  std::vector<Value> defaults = {Value::none()};
  if (Keepdim) {
    names.push_back("keepdim");
    defaults.push_back(Value::boolean(false));
  }
  std::optional<std::vector<Arg>> bound = interp.bindArguments(
      callee, names,
      [&](size_t i) { return std::optional<Value>(defaults[i]); },
      [&](size_t i) { return i > 0 || DimOptional; }, call.args.drop_front(),
      call.kwargs, call.loc);
  if (!bound)
    return std::nullopt;
  const Arg &dim = (*bound)[0];
  if (!dim.value.is(Value::Kind::Int) && !(dim.value.isNone() && DimOptional)) {
    interp.error(dim.loc, callee + " argument 'dim' must be an integer, got " +
                              dim.value.repr());
    return std::nullopt;
  }
  if (Keepdim && !interp.getBool((*bound)[1], callee + " argument 'keepdim'"))
    return std::nullopt;
  std::vector<Arg> all = {call.args[0]};
  all.insert(all.end(), bound->begin(), bound->end());
  return interp.getTensorOps()->callBuiltin(call.callee.name, all, call.loc);
}

static std::optional<Value> size(const BuiltinCall &call) {
  if (call.args.size() == 1 && call.kwargs.empty()) {
    call.interp.error(call.loc,
                      "x.size() would hold the number of rows, which is not "
                      "known at compile time; ask for a feature dimension "
                      "(x.size(-1))");
    return std::nullopt;
  }
  return alongDim</*Keepdim=*/false, /*DimOptional=*/false>(call);
}

std::optional<TensorMethodRole>
gnn::frontend::tensorMethodRole(StringRef name) {
  using Role = TensorMethodRole;
  static const std::pair<StringRef, Role> kRoles[] = {
      // The identity at inference on the CPU.
      {"detach", Role::Identity},
      {"contiguous", Role::Identity},
      {"clone", Role::Identity},
      {"cpu", Role::Identity},
      {"float", Role::Identity},
      // Reading values into Python: a traced forward has none.
      {"item", Role::ReadsValues},
      {"tolist", Role::ReadsValues},
      {"numpy", Role::ReadsValues},
      {"any", Role::ReadsValues},
      {"all", Role::ReadsValues},
      {"nonzero", Role::ReadsValues},
      {"backward", Role::TrainingOnly},
      {"requires_grad_", Role::TrainingOnly},
      {"retain_grad", Role::TrainingOnly},
      {"register_hook", Role::TrainingOnly},
      {"zero_", Role::TrainingOnly},
      {"to", Role::ChangesStorage},
      {"cuda", Role::ChangesStorage},
      {"type", Role::ChangesStorage},
      {"half", Role::ChangesStorage},
      {"double", Role::ChangesStorage},
  };
  for (const auto &[method, role] : kRoles)
    if (method == name)
      return role;
  return std::nullopt;
}

void gnn::frontend::registerTensorBuiltins(Builtins &b) {
  BuiltinParam input = {"input", std::nullopt};
  // F.relu(x, inplace=True) and the like: in place or not, the value is
  // the same, and model code works on values.
  BuiltinParam inplace = {"inplace", Value::boolean(false)};
  for (StringRef unary : {"sigmoid", "tanh", "exp", "log", "sqrt", "neg"}) {
    Builtin &fn = b.addFunction(unary, {{input}}, traceBuiltin);
    fn.tensorMethod = true;
    fn.inPlaceMethod = true;
  }
  Builtin &relu = b.addFunction("relu", {{input, inplace}}, traceBuiltin);
  relu.tensorMethod = true;
  relu.inPlaceMethod = true;
  // torch has no Tensor.gelu().
  b.addFunction("gelu", {{input, {"approximate", Value::string("none")}}},
                traceBuiltin);
  b.addFunction("silu", {{input, inplace}}, silu);
  b.addFunction("normalize",
                {{input,
                  {"p", Value::floating(2.0)},
                  {"dim", Value::integer(1)},
                  {"eps", Value::floating(1e-12)}}},
                normalize);
  // Stacking along a new feature dimension; the tracer refuses dim 0,
  // which would stack rows.
  b.addFunction("stack",
                {{{"tensors", std::nullopt}, {"dim", Value::integer(0)}}},
                traceBuiltin);
  Builtin &abs = b.addFunction("abs", {{input}}, absolute);
  abs.tensorMethod = true;
  abs.inPlaceMethod = true;
  b.addFunction("elu", {{input, {"alpha", Value::floating(1.0)}, inplace}},
                traceBuiltin);
  b.addFunction("leaky_relu",
                {{input, {"negative_slope", Value::floating(0.01)}, inplace}},
                traceBuiltin);
  b.addFunction("pow", {{input, {"exponent", std::nullopt}}}, traceBuiltin)
      .tensorMethod = true;
  Builtin &clampFn = b.addFunction(
      "clamp", {{input, {"min", Value::none()}, {"max", Value::none()}}}, clamp);
  clampFn.tensorMethod = true;
  clampFn.inPlaceMethod = true;
  Builtin &rsqrtFn = b.addFunction("rsqrt", {{input}}, rsqrt);
  rsqrtFn.tensorMethod = true;
  rsqrtFn.inPlaceMethod = true;
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

  // Methods without a function form (Python's own sum() and max() mean
  // something else).
  b.addMethod("view", view);
  b.addMethod("reshape", view);
  b.addMethod("unsqueeze", alongDim<false, false>);
  b.addMethod("squeeze", alongDim<false, false>);
  b.addMethod("size", size);
  b.addMethod("sum", alongDim<true, true>);
  b.addMethod("mean", alongDim<true, true>);
  b.addMethod("amax", alongDim<true, false>);
  b.addMethod("amin", alongDim<true, false>);

  // The qualified spellings: torch.relu, torch.nn.functional.relu (F.relu
  // after `import torch.nn.functional as F`).
  b.addAliases("torch",
               {"relu", "sigmoid", "tanh", "exp", "log", "sqrt", "neg", "abs",
                "pow", "maximum", "minimum", "log_softmax", "cat", "stack",
                "clamp", "rsqrt"});
  b.addAliases("torch.nn.functional",
               {"relu", "sigmoid", "tanh", "gelu", "elu", "leaky_relu",
                "silu", "normalize", "log_softmax"});
  // PyTorch's own dropout functions: training is PyTorch's (see
  // torchDropout); None stands for "not given".
  b.addFunction("torch.nn.functional.dropout",
                {{input,
                  {"p", Value::floating(0.5)},
                  {"training", Value::none()},
                  inplace}},
                torchDropout);
  b.addFunction("torch.dropout",
                {{input, {"p", std::nullopt}, {"train", Value::none()}}},
                torchDropout);
}

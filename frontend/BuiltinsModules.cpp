//===- BuiltinsModules.cpp - torch.nn's modules and Parameter -------------===//
//
// The builtin classes, constructed in __init__ with PyTorch's arguments
// and state_dict entries: Parameter, Linear, Sequential, ModuleList,
// BatchNorm1d, Dropout and the activation modules; what applying one does
// in forward(); and the __init__ of the bases a model-language class
// derives.
//
//===----------------------------------------------------------------------===//

#include "frontend/Builtins.h"

#include "llvm/ADT/STLExtras.h"

using namespace gnn::frontend;
using llvm::StringRef;

/// Parameters beyond this many elements are surely a mistake (and their
/// byte size must not overflow later).
static constexpr int64_t kMaxParamElements = int64_t(1) << 40;

/// The object a builtin module's constructor fills in.
static std::shared_ptr<ModuleObject> newModule(const BuiltinCall &call,
                                               BuiltinModule kind) {
  auto object = std::make_shared<ModuleObject>();
  object->typeName = call.callee.name;
  object->loc = call.loc;
  object->builtin = kind;
  return object;
}

static std::optional<Value> parameter(const BuiltinCall &call) {
  // Parameter(d0, d1, ...) or Parameter((d0, d1, ...)), or PyTorch's
  // Parameter(torch.empty(d0, ...)), whose argument is already one;
  // requires_grad matters to training only.
  Interpreter &interp = call.interp;
  for (const KeywordArg &kw : call.kwargs)
    if (kw.name != "requires_grad" ||
        !interp.getBool({kw.value, kw.loc}, "requires_grad")) {
      if (kw.name != "requires_grad")
        interp.error(kw.nameLoc, "Parameter() takes only its dimensions, or "
                                 "a tensor and requires_grad");
      return std::nullopt;
    }
  if (call.args.size() == 1 && call.args[0].value.is(Value::Kind::Param)) {
    if (interp.isTracing()) {
      interp.error(call.loc, "layers and parameters can only be created in "
                             "__init__");
      return std::nullopt;
    }
    return call.args[0].value;
  }
  std::vector<Arg> dims = unpackDims(call.args);
  if (dims.empty()) {
    interp.error(call.loc, "Parameter() needs at least one dimension");
    return std::nullopt;
  }
  auto param = std::make_shared<ParamObject>();
  param->loc = call.loc;
  int64_t elements = 1;
  for (const Arg &dim : dims) {
    std::optional<int64_t> d =
        interp.getDimension(dim, "a Parameter() dimension");
    if (!d)
      return std::nullopt;
    param->shape.push_back(*d);
    param->origins.push_back(dim.value.getOrigin());
    if (__builtin_mul_overflow(elements, *d, &elements) ||
        elements > kMaxParamElements) {
      interp.error(call.loc, "Parameter() is too large");
      return std::nullopt;
    }
  }
  return Value::param(std::move(param));
}

/// torch.empty(d0, ...), torch.zeros, torch.ones, torch.rand(n),
/// torch.Tensor(d0, ...): in __init__, a parameter of that shape (what
/// Parameter() wraps), whose values the weights file gives.
static std::optional<Value> uninitialised(const BuiltinCall &call) {
  Interpreter &interp = call.interp;
  if (interp.isTracing()) {
    interp.error(call.loc, "'" + call.callee.name +
                               "' makes a parameter's storage: it can only "
                               "be used in __init__, inside Parameter()");
    return std::nullopt;
  }
  for (const KeywordArg &kw : call.kwargs)
    if (kw.name != "requires_grad") {
      interp.error(kw.nameLoc, call.callName() +
                                   " in __init__ takes only dimensions");
      return std::nullopt;
    }
  return parameter({interp, call.callee, call.args, {}, call.loc});
}

/// torch.nn.init.* and torch_geometric.nn.inits.*: initialisers, which
/// do nothing here, since the weights file sets every parameter.
static std::optional<Value> initialiser(const BuiltinCall &call) {
  if (call.interp.isTracing()) {
    call.interp.error(call.loc, "'" + call.callee.name +
                                    "' initialises parameters: call it in "
                                    "__init__ or reset_parameters() only");
    return std::nullopt;
  }
  return call.args.empty() ? Value::none() : call.args[0].value;
}

static std::optional<Value> linear(const BuiltinCall &call) {
  Interpreter &interp = call.interp;
  const Arg &inArg = call.args[0], &outArg = call.args[1];
  std::optional<int64_t> in =
      interp.getDimension(inArg, "Linear() argument 'in_features'");
  if (!in)
    return std::nullopt;
  std::optional<int64_t> out =
      interp.getDimension(outArg, "Linear() argument 'out_features'");
  if (!out)
    return std::nullopt;
  std::optional<bool> bias =
      interp.getBool(call.args[2], "Linear() argument 'bias'");
  if (!bias)
    return std::nullopt;
  if (*in * *out > kMaxParamElements) {
    interp.error(call.loc, "Linear() is too large");
    return std::nullopt;
  }
  auto object = newModule(call, BuiltinModule::Linear);
  std::optional<IntOrigin> inOrigin = inArg.value.getOrigin(),
                           outOrigin = outArg.value.getOrigin();
  object->set("weight", Value::param(std::make_shared<ParamObject>(ParamObject{
                            {*out, *in}, call.loc, {outOrigin, inOrigin}})));
  if (*bias)
    object->set("bias", Value::param(std::make_shared<ParamObject>(
                            ParamObject{{*out}, call.loc, {outOrigin}})));
  object->set("in_features", Value::integer(*in, inOrigin));
  object->set("out_features", Value::integer(*out, outOrigin));
  return Value::module(std::move(object));
}

static std::optional<Value> sequential(const BuiltinCall &call) {
  // torch.nn.Sequential(m0, m1, ...): submodules named "0", "1", ...
  // (every module counts, parameterless ones included, as in PyTorch).
  if (!call.kwargs.empty()) {
    call.interp.error(call.kwargs[0].nameLoc,
                      "Sequential() takes only modules");
    return std::nullopt;
  }
  auto object = newModule(call, BuiltinModule::Sequential);
  for (auto [i, arg] : llvm::enumerate(call.args)) {
    if (!arg.value.is(Value::Kind::Module)) {
      call.interp.error(arg.loc, "Sequential() takes modules, got " +
                                     arg.value.describe());
      return std::nullopt;
    }
    object->set(std::to_string(i), arg.value);
  }
  return Value::module(std::move(object));
}

static std::optional<Value> moduleList(const BuiltinCall &call) {
  // torch.nn.ModuleList(modules=None): submodules "0", "1", ...; more
  // come with append() in __init__.
  const Arg &modules = call.args[0];
  auto object = newModule(call, BuiltinModule::ModuleList);
  if (modules.value.isNone())
    return Value::module(std::move(object));
  std::optional<std::vector<Value>> items =
      call.interp.iterate(modules.value, modules.loc);
  if (!items)
    return std::nullopt;
  for (auto [i, item] : llvm::enumerate(*items)) {
    if (!item.is(Value::Kind::Module)) {
      call.interp.error(modules.loc,
                        "ModuleList() takes modules, got " + item.describe());
      return std::nullopt;
    }
    object->set(std::to_string(i), item);
  }
  return Value::module(std::move(object));
}

static std::optional<Value> batchNorm1d(const BuiltinCall &call) {
  Interpreter &interp = call.interp;
  llvm::ArrayRef<Arg> args = call.args;
  std::optional<int64_t> features =
      interp.getDimension(args[0], "BatchNorm1d() argument 'num_features'");
  std::optional<double> eps =
      features ? interp.getFloat(args[1], "eps") : std::nullopt;
  std::optional<bool> affine =
      eps ? interp.getBool(args[3], "BatchNorm1d() argument 'affine'")
          : std::nullopt;
  std::optional<bool> tracked =
      affine ? interp.getBool(args[4],
                              "BatchNorm1d() argument 'track_running_stats'")
             : std::nullopt;
  if (!tracked)
    return std::nullopt;
  if (!*tracked) {
    // Without running statistics, eval mode normalises with the batch's.
    interp.error(args[4].loc, "BatchNorm1d(track_running_stats=False) is not "
                              "supported: inference uses the running "
                              "statistics");
    return std::nullopt;
  }
  if (*eps <= 0) {
    interp.error(args[1].loc, "BatchNorm1d() argument 'eps' must be positive");
    return std::nullopt;
  }
  auto object = newModule(call, BuiltinModule::BatchNorm1d);
  auto vector = [&] {
    return Value::param(std::make_shared<ParamObject>(
        ParamObject{{*features}, call.loc, {args[0].value.getOrigin()}}));
  };
  // state_dict order: weight, bias, running_mean, running_var (and
  // num_batches_tracked, an int64 counter inference does not read).
  if (*affine) {
    object->set("weight", vector());
    object->set("bias", vector());
  }
  object->set("running_mean", vector());
  object->set("running_var", vector());
  object->set("num_features",
              Value::integer(*features, args[0].value.getOrigin()));
  object->set("eps", Value::floating(*eps));
  return Value::module(std::move(object));
}

static std::optional<Value> dropout(const BuiltinCall &call) {
  const Arg &pArg = call.args[0];
  std::optional<double> p = call.interp.getFloat(pArg, "p");
  if (!p)
    return std::nullopt;
  if (*p < 0 || *p > 1) {
    call.interp.error(pArg.loc, "dropout probability must be between 0 and 1");
    return std::nullopt;
  }
  auto object = newModule(call, BuiltinModule::Dropout);
  object->set("p", Value::floating(*p));
  return Value::module(std::move(object));
}

namespace {
/// An activation as a module: ELU and LeakyReLU have one float setting,
/// passed to the function after the input.
struct Activation {
  StringRef name;
  BuiltinModule kind;
  StringRef setting;
  double def;
  StringRef function; // what applying it calls; none for Identity
};
} // namespace

static const Activation activations[] = {
    {"Identity", BuiltinModule::Identity, "", 0, ""},
    {"ReLU", BuiltinModule::ReLU, "", 0, "relu"},
    {"Sigmoid", BuiltinModule::Sigmoid, "", 0, "sigmoid"},
    {"Tanh", BuiltinModule::Tanh, "", 0, "tanh"},
    {"GELU", BuiltinModule::GELU, "", 0, "gelu"},
    {"SiLU", BuiltinModule::SiLU, "", 0, "silu"},
    {"ELU", BuiltinModule::ELU, "alpha", 1.0, "elu"},
    {"LeakyReLU", BuiltinModule::LeakyReLU, "negative_slope", 0.01,
     "leaky_relu"}};

static std::optional<Value> activation(const BuiltinCall &call) {
  const Activation &act = *llvm::find_if(activations, [&](const Activation &a) {
    return a.name == call.callee.name;
  });
  auto object = newModule(call, act.kind);
  if (!act.setting.empty()) {
    std::optional<double> v = call.interp.getFloat(call.args[0], act.setting);
    if (!v)
      return std::nullopt;
    object->set(act.setting, Value::floating(*v));
  }
  return Value::module(std::move(object));
}

std::optional<Value>
gnn::frontend::initModuleBase(Interpreter &interp, const Value &self,
                              RootKind root, llvm::ArrayRef<Arg> args,
                              llvm::ArrayRef<KeywordArg> kwargs,
                              const Location &loc) {
  if (root != RootKind::MessagePassing) {
    StringRef base = root == RootKind::Model ? "Model" : "Module";
    if (!interp.bindArguments((base + ".__init__()").str(), {},
                              [](size_t) { return std::nullopt; },
                              [](size_t) { return false; }, args, kwargs, loc))
      return std::nullopt;
    return Value::none();
  }
  std::vector<std::string> names = {"aggr", "flow"};
  Value defaults[] = {Value::string("add"), Value::string("source_to_target")};
  std::optional<std::vector<Arg>> bound = interp.bindArguments(
      "MessagePassing.__init__()", names,
      [&](size_t i) { return std::optional<Value>(defaults[i]); },
      [](size_t) { return true; }, args, kwargs, loc);
  if (!bound)
    return std::nullopt;
  const Arg &aggr = (*bound)[0], &flow = (*bound)[1];
  static const std::pair<StringRef, Aggregation> aggregations[] = {
      {"add", Aggregation::Add},
      {"sum", Aggregation::Add},
      {"mean", Aggregation::Mean},
      {"max", Aggregation::Max},
      {"min", Aggregation::Min}};
  const Aggregation *chosen = nullptr;
  if (aggr.value.is(Value::Kind::Str))
    for (const auto &[name, kind] : aggregations)
      if (aggr.value.getStr() == name)
        chosen = &kind;
  if (!chosen) {
    interp.error(aggr.loc,
                 "aggr must be one of 'add', 'sum', 'mean', 'max', 'min'; "
                 "got " +
                     aggr.value.repr());
    return std::nullopt;
  }
  if (!flow.value.is(Value::Kind::Str) ||
      flow.value.getStr() != "source_to_target") {
    interp.error(flow.loc, "only flow='source_to_target' is supported; got " +
                               flow.value.repr());
    return std::nullopt;
  }
  self.getModule()->aggr = *chosen;
  return Value::none();
}

/// Eval mode (torch.nn.functional.batch_norm with training=False):
/// (x - running_mean) / sqrt(running_var + eps) * weight + bias.
static std::optional<Value> applyBatchNorm(Interpreter &interp,
                                           const ModuleObject &m,
                                           const Arg &input,
                                           const Location &loc) {
  TensorOps *ops = interp.getTensorOps();
  if (!ops) {
    interp.error(loc, "BatchNorm1d can only be applied in forward()");
    return std::nullopt;
  }
  auto attr = [&](StringRef name) { return Arg{*m.find(name), m.loc}; };
  std::optional<Value> x =
      ops->binary(BinaryOp::Sub, input, attr("running_mean"), loc);
  if (!x)
    return std::nullopt;
  std::optional<Value> var =
      ops->binary(BinaryOp::Add, attr("running_var"), attr("eps"), loc);
  if (!var)
    return std::nullopt;
  std::optional<Value> deviation =
      ops->callBuiltin("sqrt", {{*var, m.loc}}, loc);
  if (!deviation)
    return std::nullopt;
  x = ops->binary(BinaryOp::Div, {*x, loc}, {*deviation, m.loc}, loc);
  if (x && m.find("weight"))
    x = ops->binary(BinaryOp::Mul, {*x, loc}, attr("weight"), loc);
  if (x && m.find("bias"))
    x = ops->binary(BinaryOp::Add, {*x, loc}, attr("bias"), loc);
  return x;
}

std::optional<Value> gnn::frontend::applyBuiltinModule(
    Interpreter &interp, const ModuleObject &m, llvm::ArrayRef<Arg> args,
    llvm::ArrayRef<KeywordArg> kwargs, const Location &loc) {
  std::optional<std::vector<Arg>> bound = interp.bindArguments(
      m.typeName + "()", {"input"}, [](size_t) { return std::nullopt; },
      [](size_t) { return false; }, args, kwargs, loc);
  if (!bound)
    return std::nullopt;
  const Arg &input = (*bound)[0];
  switch (m.builtin) {
  case BuiltinModule::Linear:
    if (!interp.getTensorOps()) {
      interp.error(loc, "Linear can only be applied in forward()");
      return std::nullopt;
    }
    return interp.getTensorOps()->linear(m, input, loc);
  case BuiltinModule::BatchNorm1d:
    return applyBatchNorm(interp, m, input, loc);
  case BuiltinModule::Dropout:
  case BuiltinModule::Identity:
    return input.value;
  default:
    break;
  }
  const Activation *act = llvm::find_if(
      activations, [&](const Activation &a) { return a.kind == m.builtin; });
  assert(act != std::end(activations) && "not an applicable builtin module");
  std::vector<Arg> functionArgs = {input};
  if (!act->setting.empty())
    functionArgs.push_back({*m.find(act->setting), m.loc});
  return interp.callFunction(act->function, functionArgs, {}, loc);
}

void gnn::frontend::registerModuleBuiltins(Builtins &b) {
  b.addClass("Parameter", std::nullopt, parameter);
  b.addClass("Linear",
             {{{"in_features", std::nullopt},
               {"out_features", std::nullopt},
               {"bias", Value::boolean(true)}}},
             linear);
  b.addClass("Sequential", std::nullopt, sequential);
  b.addClass("ModuleList", {{{"modules", Value::none()}}}, moduleList);
  b.addClass("BatchNorm1d",
             {{{"num_features", std::nullopt},
               {"eps", Value::floating(1e-5)},
               {"momentum", Value::floating(0.1)},
               {"affine", Value::boolean(true)},
               {"track_running_stats", Value::boolean(true)}}},
             batchNorm1d);
  // inplace=True changes no value.
  BuiltinParam inplace = {"inplace", Value::boolean(false)};
  b.addClass("Dropout", {{{"p", Value::floating(0.5)}, inplace}}, dropout);
  for (const Activation &act : activations) {
    std::vector<BuiltinParam> params;
    if (!act.setting.empty())
      params.push_back({act.setting.str(), Value::floating(act.def)});
    if (act.kind != BuiltinModule::Identity && act.kind != BuiltinModule::GELU &&
        act.kind != BuiltinModule::Sigmoid && act.kind != BuiltinModule::Tanh)
      params.push_back(inplace);
    b.addClass(act.name, std::move(params), activation);
    b.addAlias(("torch.nn." + act.name).str(), act.name);
  }
  b.addAliases("torch.nn", {"Parameter", "Linear", "Sequential", "ModuleList",
                            "BatchNorm1d", "Dropout"});
  // PyG's Linear (torch_geometric.nn.Linear, .dense.linear.Linear) names
  // its parameters as torch's; its initialiser choices do not matter.
  b.addClass("torch_geometric.nn.Linear",
             {{{"in_channels", std::nullopt},
               {"out_channels", std::nullopt},
               {"bias", Value::boolean(true)},
               {"weight_initializer", Value::none()},
               {"bias_initializer", Value::none()}}},
             linear);
  b.addAlias("torch_geometric.nn.dense.linear.Linear",
             "torch_geometric.nn.Linear");
  b.addAlias("torch.nn.parameter.Parameter", "Parameter");

  for (StringRef storage :
       {"torch.empty", "torch.zeros", "torch.ones", "torch.rand",
        "torch.randn", "torch.Tensor", "torch.FloatTensor"})
    b.addFunction(storage, std::nullopt, uninitialised);
  for (StringRef init :
       {"xavier_uniform_", "xavier_normal_", "kaiming_uniform_",
        "kaiming_normal_", "zeros_", "ones_", "constant_", "normal_",
        "uniform_", "orthogonal_", "trunc_normal_", "eye_"})
    b.addFunction(("torch.nn.init." + init).str(), std::nullopt, initialiser);
  for (StringRef init : {"glorot", "glorot_orthogonal", "zeros", "ones",
                         "uniform", "kaiming_uniform", "constant", "normal",
                         "reset"})
    b.addFunction(("torch_geometric.nn.inits." + init).str(), std::nullopt,
                  initialiser);
}

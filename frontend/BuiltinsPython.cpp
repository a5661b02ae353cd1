//===- BuiltinsPython.cpp - Python's builtins on plain values -------------===//
//
// int, float, bool, len, range, enumerate, sum, min and max, computed at
// compile time. min and max of tensors are torch.minimum and torch.maximum;
// sum adds tensors as `+` does.
//
//===----------------------------------------------------------------------===//

#include "frontend/Builtins.h"

#include "llvm/ADT/Twine.h"

#include <cmath>
#include <limits>

using namespace gnn::frontend;
using llvm::Twine;

/// range() builds its list at compile time; a longer one is surely a
/// mistake in a model file.
static constexpr size_t kMaxRangeLength = 100000;

/// `Plain` run on plain values only: a tensor argument is an error.
template <BuiltinHandler Plain>
static std::optional<Value> onPlainValues(const BuiltinCall &call) {
  if (call.anyTensor()) {
    call.interp.error(call.loc, call.callName() + " does not take tensors");
    return std::nullopt;
  }
  return Plain(call);
}

static std::optional<Value> cannotConvert(const BuiltinCall &call) {
  call.interp.error(call.args[0].loc, call.callName() + " cannot convert " +
                                          call.args[0].value.repr());
  return std::nullopt;
}

static std::optional<Value> toInt(const BuiltinCall &call) {
  const Value &x = call.args[0].value;
  if (x.isIntegral())
    return Value::integer(x.getInt(), x.getOrigin());
  if (x.is(Value::Kind::Float) && std::isfinite(x.getNumber()) &&
      std::fabs(x.getNumber()) < 9.2e18)
    return Value::integer(int64_t(x.getNumber()));
  int64_t parsed;
  if (x.is(Value::Kind::Str) && !x.getStr().getAsInteger(10, parsed))
    return Value::integer(parsed);
  return cannotConvert(call);
}

static std::optional<Value> toFloat(const BuiltinCall &call) {
  const Value &x = call.args[0].value;
  if (x.isNumber())
    return Value::floating(x.getNumber());
  double parsed;
  if (x.is(Value::Kind::Str) && !x.getStr().getAsDouble(parsed))
    return Value::floating(parsed);
  return cannotConvert(call);
}

static std::optional<Value> toBool(const BuiltinCall &call) {
  std::optional<bool> t =
      call.interp.truthy(call.args[0].value, call.args[0].loc);
  if (!t)
    return std::nullopt;
  return Value::boolean(*t);
}

static std::optional<Value> length(const BuiltinCall &call) {
  const Value &x = call.args[0].value;
  if (x.is(Value::Kind::Tuple) || x.is(Value::Kind::List))
    return Value::integer(int64_t(x.getElements().size()));
  if (isModuleSequence(x))
    return Value::integer(int64_t(x.getModule()->modules.size()));
  if (x.is(Value::Kind::Str))
    return Value::integer(int64_t(x.getStr().size()));
  return cannotConvert(call);
}

static std::optional<Value> range(const BuiltinCall &call) {
  // range(stop) or range(start, stop[, step]), as a list.
  llvm::ArrayRef<Arg> args = call.args;
  for (const Arg &arg : args)
    if (!arg.value.isIntegral() && !(&arg == &args[1] && arg.value.isNone())) {
      call.interp.error(arg.loc,
                        "range() takes integers, got " + arg.value.repr());
      return std::nullopt;
    }
  int64_t start = 0, stop = args[0].value.getInt(),
          step = args[2].value.getInt();
  if (!args[1].value.isNone()) {
    start = args[0].value.getInt();
    stop = args[1].value.getInt();
  }
  if (step == 0) {
    call.interp.error(args[2].loc, "range() step must not be zero");
    return std::nullopt;
  }
  std::vector<Value> values;
  for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
    if (values.size() >= kMaxRangeLength) {
      call.interp.error(call.loc,
                        "range() is too long for a compile-time loop (more "
                        "than " +
                            Twine(kMaxRangeLength) + " values)");
      return std::nullopt;
    }
    values.push_back(Value::integer(i));
    if ((step > 0 && i > std::numeric_limits<int64_t>::max() - step) ||
        (step < 0 && i < std::numeric_limits<int64_t>::min() - step))
      break;
  }
  return Value::list(std::move(values));
}

static std::optional<Value> enumerate(const BuiltinCall &call) {
  const Arg &iterable = call.args[0], &start = call.args[1];
  std::optional<std::vector<Value>> items =
      call.interp.iterate(iterable.value, iterable.loc);
  if (!items)
    return std::nullopt;
  if (!start.value.isIntegral()) {
    call.interp.error(start.loc, "enumerate() start must be an integer, got " +
                                     start.value.repr());
    return std::nullopt;
  }
  std::vector<Value> pairs;
  int64_t i = start.value.getInt();
  for (const Value &item : *items) {
    pairs.push_back(Value::tuple({Value::integer(i), item}));
    if (__builtin_add_overflow(i, 1, &i) && &item != &items->back()) {
      call.interp.error(start.loc,
                        "enumerate() counts past the largest integer");
      return std::nullopt;
    }
  }
  return Value::list(std::move(pairs));
}

/// min(a, b) and max(a, b): Python's on plain values, torch's elementwise
/// minimum and maximum on tensors.
template <bool IsMin>
static std::optional<Value> minOrMax(const BuiltinCall &call) {
  if (call.anyTensor())
    return call.trace(IsMin ? "minimum" : "maximum");
  const Value &a = call.args[0].value, &b = call.args[1].value;
  std::optional<Value> less =
      call.interp.compare(BinaryOp::Less, b, a, call.loc);
  if (!less)
    return std::nullopt;
  return less->getBool() == IsMin ? b : a;
}

/// sum(iterable, start=0): start + the elements, added left to right, as
/// Python does (of tensors too: `sum(lin(x) for lin in self.lins)`).
static std::optional<Value> sum(const BuiltinCall &call) {
  const Arg &iterable = call.args[0];
  std::optional<std::vector<Value>> items =
      call.interp.iterate(iterable.value, iterable.loc);
  if (!items)
    return std::nullopt;
  Arg total = call.args[1];
  for (const Value &item : *items) {
    std::optional<Value> next =
        call.interp.binary(BinaryOp::Add, total, {item, iterable.loc}, call.loc);
    if (!next)
      return std::nullopt;
    total = {*next, call.loc};
  }
  return total.value;
}

void gnn::frontend::registerPythonBuiltins(Builtins &b) {
  b.addFunction("int", {{{"x", std::nullopt}}}, onPlainValues<toInt>);
  b.addFunction("float", {{{"x", std::nullopt}}}, onPlainValues<toFloat>);
  b.addFunction("bool", {{{"x", std::nullopt}}}, onPlainValues<toBool>);
  b.addFunction("len", {{{"x", std::nullopt}}}, onPlainValues<length>);
  b.addFunction("range",
                {{{"start", std::nullopt},
                  {"stop", Value::none()},
                  {"step", Value::integer(1)}}},
                onPlainValues<range>);
  b.addFunction("enumerate",
                {{{"iterable", std::nullopt}, {"start", Value::integer(0)}}},
                onPlainValues<enumerate>);
  b.addFunction("sum",
                {{{"iterable", std::nullopt}, {"start", Value::integer(0)}}},
                sum);
  b.addFunction("min", {{{"a", std::nullopt}, {"b", std::nullopt}}},
                minOrMax<true>);
  b.addFunction("max", {{{"a", std::nullopt}, {"b", std::nullopt}}},
                minOrMax<false>);
}

//===- Builtins.cpp - The table of builtins and what handlers share -------===//

#include "frontend/Builtins.h"

#include "llvm/ADT/STLExtras.h"

using namespace gnn::frontend;
using llvm::StringRef;

const Builtins &Builtins::get() {
  static const Builtins builtins = [] {
    Builtins b;
    registerPythonBuiltins(b);
    registerTensorBuiltins(b);
    registerGraphBuiltins(b);
    registerModuleBuiltins(b);
    return b;
  }();
  return builtins;
}

const Builtin *Builtins::lookupFunction(StringRef name) const {
  auto it = functions.find(name);
  return it == functions.end() ? nullptr : &it->second;
}

const Builtin *Builtins::lookupClass(StringRef name) const {
  auto it = classes.find(name);
  return it == classes.end() ? nullptr : &it->second;
}

const Builtin *Builtins::lookupMethod(StringRef name) const {
  auto it = methods.find(name);
  return it == methods.end() ? nullptr : &it->second;
}

static Builtin &add(llvm::StringMap<Builtin> &table, StringRef name,
                    std::optional<std::vector<BuiltinParam>> params,
                    BuiltinHandler handler) {
  Builtin &b = table[name];
  assert(!b.handler && "a builtin registered twice");
  b.name = name.str();
  b.params = std::move(params);
  b.handler = handler;
  return b;
}

Builtin &Builtins::addFunction(StringRef name,
                               std::optional<std::vector<BuiltinParam>> params,
                               BuiltinHandler handler) {
  return add(functions, name, std::move(params), handler);
}

Builtin &Builtins::addClass(StringRef name,
                            std::optional<std::vector<BuiltinParam>> params,
                            BuiltinHandler handler) {
  return add(classes, name, std::move(params), handler);
}

Builtin &Builtins::addMethod(StringRef name, BuiltinHandler handler) {
  return add(methods, name, std::nullopt, handler);
}

void Builtins::addAlias(StringRef spelling, StringRef name) {
  for (llvm::StringMap<Builtin> *table : {&functions, &classes}) {
    auto it = table->find(name);
    if (it == table->end())
      continue;
    Builtin copy = it->second;
    assert(!table->count(spelling) && "a builtin spelling registered twice");
    (*table)[spelling] = std::move(copy);
    return;
  }
  assert(false && "an alias of an unknown builtin");
}

void Builtins::addAliases(StringRef prefix, llvm::ArrayRef<StringRef> names) {
  for (StringRef name : names)
    addAlias((prefix + "." + name).str(), name);
}

std::string BuiltinCall::callName() const { return callee.name + "()"; }

bool BuiltinCall::anyTensor() const {
  return llvm::any_of(args,
                      [](const Arg &arg) { return arg.value.isTensorLike(); });
}

std::optional<Value> BuiltinCall::trace(StringRef name) const {
  if (name.empty())
    name = callee.name;
  TensorOps *ops = interp.getTensorOps();
  if (!ops) {
    interp.error(loc,
                 "'" + name + "' can only be used in forward() and message()");
    return std::nullopt;
  }
  return ops->callBuiltin(name, args, loc);
}

std::optional<Value> gnn::frontend::traceBuiltin(const BuiltinCall &call) {
  return call.trace();
}

std::vector<Arg> gnn::frontend::unpackDims(llvm::ArrayRef<Arg> args) {
  if (args.size() == 1 && (args[0].value.is(Value::Kind::Tuple) ||
                           args[0].value.is(Value::Kind::List))) {
    std::vector<Arg> unpacked;
    for (const Value &v : args[0].value.getElements())
      unpacked.push_back({v, args[0].loc});
    return unpacked;
  }
  return std::vector<Arg>(args.begin(), args.end());
}

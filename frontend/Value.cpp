//===- Value.cpp - Values of the model-language interpreter ---------------===//
//
// Constructors and printing of interpreter values, and the state_dict walk
// over a module tree.
//
//===----------------------------------------------------------------------===//

#include "frontend/Value.h"
#include "frontend/Program.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace gnn::frontend;

llvm::StringRef gnn::frontend::getAggregationName(Aggregation aggr) {
  switch (aggr) {
  case Aggregation::Add:
    return "add";
  case Aggregation::Mean:
    return "mean";
  case Aggregation::Max:
    return "max";
  case Aggregation::Min:
    return "min";
  }
  return "?";
}

//===----------------------------------------------------------------------===//
// Value
//===----------------------------------------------------------------------===//

Value Value::boolean(bool b) {
  Value v(Kind::Bool);
  v.b = b;
  return v;
}

Value Value::integer(int64_t i) {
  Value v(Kind::Int);
  v.i = i;
  return v;
}

Value Value::integer(int64_t i, std::optional<IntOrigin> origin) {
  Value v = integer(i);
  v.origin = origin;
  return v;
}

Value Value::floating(double f) {
  Value v(Kind::Float);
  v.f = f;
  return v;
}

Value Value::string(std::string s) {
  Value v(Kind::Str);
  v.str = std::move(s);
  return v;
}

Value Value::tuple(std::vector<Value> elements) {
  Value v(Kind::Tuple);
  v.elements = std::make_shared<std::vector<Value>>(std::move(elements));
  return v;
}

Value Value::list(std::vector<Value> elements) {
  Value v(Kind::List);
  v.elements = std::make_shared<std::vector<Value>>(std::move(elements));
  return v;
}

Value Value::module(std::shared_ptr<ModuleObject> m) {
  Value v(Kind::Module);
  v.module_ = std::move(m);
  return v;
}

Value Value::param(std::shared_ptr<ParamObject> p) {
  Value v(Kind::Param);
  v.param_ = std::move(p);
  return v;
}

Value Value::userClass(const ClassInfo *cls) {
  Value v(Kind::Class);
  v.cls = cls;
  v.str = cls->name;
  return v;
}

Value Value::builtinClass(llvm::StringRef name) {
  Value v(Kind::Class);
  v.str = name.str();
  return v;
}

Value Value::function(llvm::StringRef name) {
  Value v(Kind::Function);
  v.str = name.str();
  return v;
}

Value Value::super(std::shared_ptr<ModuleObject> self,
                   const ClassInfo *definer) {
  Value v(Kind::Super);
  v.module_ = std::move(self);
  v.cls = definer;
  return v;
}

Value Value::tensor(const void *opaque) {
  Value v(Kind::Tensor);
  v.opaque = opaque;
  return v;
}

Value Value::edgeRows(std::shared_ptr<const EdgeExpr> expr) {
  Value v(Kind::EdgeRows);
  v.edge_ = std::move(expr);
  return v;
}

Value Value::graph(const void *opaque) {
  Value v(Kind::Graph);
  v.opaque = opaque;
  return v;
}

Value Value::graphPairedWithNone(const void *opaque) {
  Value v = graph(opaque);
  v.pairedWithNone = true;
  return v;
}

double Value::getNumber() const {
  if (kind == Kind::Float)
    return f;
  return double(getInt());
}

llvm::ArrayRef<Value> Value::getElements() const {
  if (!elements)
    return {};
  return *elements;
}

/// Python's repr() of a float: the shortest form that reads back the same.
static std::string formatFloat(double f) {
  if (std::isnan(f))
    return "nan";
  if (std::isinf(f))
    return f < 0 ? "-inf" : "inf";
  char buf[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof(buf), "%.*g", precision, f);
    if (std::strtod(buf, nullptr) == f)
      break;
  }
  std::string s = buf;
  if (s.find_first_of(".e") == std::string::npos)
    s += ".0";
  return s;
}

std::string Value::describe() const {
  switch (kind) {
  case Kind::None:
    return "None";
  case Kind::Bool:
    return "a bool";
  case Kind::Int:
    return "an integer";
  case Kind::Float:
    return "a float";
  case Kind::Str:
    return "a string";
  case Kind::Tuple:
    return "a tuple";
  case Kind::List:
    return "a list";
  case Kind::Module:
    return "a '" + module_->typeName + "' module";
  case Kind::Param:
    return "a parameter";
  case Kind::Class:
    return "the class '" + str + "'";
  case Kind::Function:
    return "the function '" + str + "'";
  case Kind::Super:
    return "super()";
  case Kind::Tensor:
    return "a tensor";
  case Kind::Graph:
    return "a graph";
  case Kind::Index:
    return "the edge index 'index'";
  case Kind::EdgeRows:
    return "a per-edge value built from the graph's rows (row, col)";
  }
  return "a value";
}

std::string Value::repr() const {
  switch (kind) {
  case Kind::None:
    return "None";
  case Kind::Bool:
    return b ? "True" : "False";
  case Kind::Int:
    return std::to_string(i);
  case Kind::Float:
    return formatFloat(f);
  case Kind::Str:
    return "'" + str + "'";
  case Kind::Tuple:
  case Kind::List: {
    std::string s = kind == Kind::Tuple ? "(" : "[";
    llvm::ArrayRef<Value> elems = getElements();
    for (size_t n = 0; n < elems.size(); ++n) {
      if (n)
        s += ", ";
      s += elems[n].repr();
    }
    if (kind == Kind::Tuple && elems.size() == 1)
      s += ",";
    return s + (kind == Kind::Tuple ? ")" : "]");
  }
  default:
    return describe();
  }
}

//===----------------------------------------------------------------------===//
// ModuleObject
//===----------------------------------------------------------------------===//

using AttrList = std::vector<std::pair<std::string, Value>>;

static AttrList::iterator findIn(AttrList &list, llvm::StringRef name) {
  return llvm::find_if(list,
                       [&](const auto &entry) { return entry.first == name; });
}

const Value *ModuleObject::find(llvm::StringRef name) const {
  for (const AttrList *list : {&params, &modules, &others})
    for (const auto &entry : *list)
      if (entry.first == name)
        return &entry.second;
  return nullptr;
}

void ModuleObject::set(llvm::StringRef name, Value value) {
  AttrList *target = value.is(Value::Kind::Param)    ? &params
                     : value.is(Value::Kind::Module) ? &modules
                                                     : &others;
  for (AttrList *list : {&params, &modules, &others}) {
    auto it = findIn(*list, name);
    if (it == list->end())
      continue;
    if (list == target) {
      it->second = std::move(value);
      return;
    }
    list->erase(it);
  }
  target->emplace_back(name.str(), std::move(value));
}

static void collect(const ModuleObject &module, const std::string &prefix,
                    std::vector<NamedParam> &out,
                    llvm::DenseSet<const void *> &seen) {
  if (!seen.insert(&module).second)
    return;
  for (const auto &[name, value] : module.params)
    if (seen.insert(value.getParam().get()).second)
      out.push_back({prefix + name, value.getParam()});
  for (const auto &[name, value] : module.modules)
    collect(*value.getModule(), prefix + name + ".", out, seen);
}

bool gnn::frontend::isModuleSequence(const Value &v) {
  return v.is(Value::Kind::Module) &&
         (v.getModule()->builtin == BuiltinModule::Sequential ||
          v.getModule()->builtin == BuiltinModule::ModuleList);
}

std::vector<NamedParam>
gnn::frontend::collectStateDict(const ModuleObject &root) {
  std::vector<NamedParam> out;
  llvm::DenseSet<const void *> seen;
  collect(root, "", out, seen);
  return out;
}

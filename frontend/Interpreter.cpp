//===- Interpreter.cpp - Evaluates model code at compile time -------------===//
//
// Statements, expressions, Python's arithmetic on plain values, calls with
// Python's argument binding and module construction. The builtin classes
// and functions are in tables (Builtins.h); tensor operations are
// delegated to TensorOps.
//
//===----------------------------------------------------------------------===//

#include "frontend/Interpreter.h"
#include "frontend/Builtins.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

#include <cmath>
#include <limits>

using namespace gnn::frontend;
using llvm::StringRef;
using llvm::Twine;

/// Comparing tensors: a condition on tensor values (an `if`, a mask).
static const char *const kTensorComparison =
    "tensors cannot be compared: gnnc traces forward() once for every graph, "
    "so a condition or mask on tensor values cannot be decided at compile "
    "time (elementwise forms such as clamp(min=0) or maximum() can)";

TensorOps::~TensorOps() = default;

/// Deep enough for any sensible model; shallow enough that a method calling
/// itself is reported long before the C++ stack is at risk.
static constexpr size_t kMaxCallDepth = 64;

/// Every call is inlined into the trace, so a method that calls itself
/// twice per level would grow the IR exponentially; this caps the total.
static constexpr size_t kMaxCalls = 100000;

/// Dimensions beyond this are surely a mistake (and their products must
/// not overflow later).
static constexpr int64_t kMaxDimension = int64_t(1) << 31;

/// Loops are unrolled as they run; nested ones multiply, so their total
/// is capped too.
static constexpr size_t kMaxIterations = 1000000;

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

void Interpreter::error(const Location &loc, const Twine &message) {
  diag.error(loc, message);
  printCallNotes();
}

void Interpreter::error(const Location &loc, const Twine &message,
                        const Location &noteLoc, const Twine &note) {
  diag.error(loc, message);
  diag.note(noteLoc, note);
  printCallNotes();
}

void Interpreter::printCallNotes() {
  // Innermost call first; a run of identical calls (recursion) is one note.
  auto same = [](const CallSite &a, const CallSite &b) {
    return a.what == b.what && a.loc.file == b.loc.file &&
           a.loc.line == b.loc.line && a.loc.col == b.loc.col;
  };
  for (size_t i = callStack.size(); i > 0;) {
    const CallSite &site = callStack[i - 1];
    size_t repeats = 1;
    while (i - repeats > 0 && same(callStack[i - repeats - 1], site))
      ++repeats;
    i -= repeats;
    if (!site.loc.file)
      continue;
    if (repeats == 1)
      diag.note(site.loc, "in " + site.what + ", called from here");
    else
      diag.note(site.loc, "in " + site.what + ", called from here (" +
                              Twine(repeats) + " times)");
  }
}

std::string Interpreter::typeName(const Value &module) {
  return module.getModule()->typeName;
}

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

Interpreter::Flow Interpreter::execBlock(llvm::ArrayRef<StmtPtr> body,
                                         Frame &frame, Value &result) {
  for (const StmtPtr &stmt : body) {
    Flow flow = execStmt(*stmt, frame, result);
    if (flow != Flow::Next)
      return flow;
  }
  return Flow::Next;
}

Interpreter::Flow Interpreter::execStmt(const StmtAST &stmt, Frame &frame,
                                        Value &result) {
  switch (stmt.getKind()) {
  case StmtAST::Stmt_Expr:
    return eval(*llvm::cast<ExprStmtAST>(stmt).getExpr(), frame) ? Flow::Next
                                                                 : Flow::Error;
  case StmtAST::Stmt_Assign: {
    const auto &assignStmt = llvm::cast<AssignStmtAST>(stmt);
    std::optional<Value> value = eval(*assignStmt.getValue(), frame);
    if (!value || !assign(*assignStmt.getTarget(), *value, frame, stmt.loc()))
      return Flow::Error;
    return Flow::Next;
  }
  case StmtAST::Stmt_AugAssign: {
    const auto &aug = llvm::cast<AugAssignStmtAST>(stmt);
    std::optional<Value> current = eval(*aug.getTarget(), frame);
    if (!current)
      return Flow::Error;
    std::optional<Value> rhs = eval(*aug.getValue(), frame);
    if (!rhs)
      return Flow::Error;
    std::optional<Value> value =
        binary(aug.getOp(), {*current, aug.getTarget()->loc()},
               {*rhs, aug.getValue()->loc()}, stmt.loc());
    if (!value || !assign(*aug.getTarget(), *value, frame, stmt.loc()))
      return Flow::Error;
    return Flow::Next;
  }
  case StmtAST::Stmt_Return: {
    const ExprAST *value = llvm::cast<ReturnStmtAST>(stmt).getValue();
    if (!value) {
      result = Value::none();
      lastReturnLoc = stmt.loc();
      return Flow::Return;
    }
    std::optional<Value> v = eval(*value, frame);
    if (!v)
      return Flow::Error;
    result = *v;
    lastReturnLoc = value->loc();
    return Flow::Return;
  }
  case StmtAST::Stmt_If: {
    const auto &ifStmt = llvm::cast<IfStmtAST>(stmt);
    std::optional<Value> test = eval(*ifStmt.getTest(), frame);
    if (!test)
      return Flow::Error;
    std::optional<bool> taken = truthy(*test, ifStmt.getTest()->loc());
    if (!taken)
      return Flow::Error;
    return execBlock(*taken ? ifStmt.getThen() : ifStmt.getElse(), frame,
                     result);
  }
  case StmtAST::Stmt_For: {
    // Loops run at compile time (in forward() too: the trace unrolls them).
    const auto &forStmt = llvm::cast<ForStmtAST>(stmt);
    std::optional<std::vector<Value>> items =
        loopItems(*forStmt.getIter(), frame);
    if (!items)
      return Flow::Error;
    for (const Value &item : *items) {
      if (!countIteration(forStmt.loc()))
        return Flow::Error;
      if (!assign(*forStmt.getTarget(), item, frame,
                  forStmt.getTarget()->loc()))
        return Flow::Error;
      Flow flow = execBlock(forStmt.getBody(), frame, result);
      if (flow != Flow::Next)
        return flow;
    }
    return Flow::Next;
  }
  case StmtAST::Stmt_Pass:
    return Flow::Next;
  case StmtAST::Stmt_Raise:
    raise(llvm::cast<RaiseStmtAST>(stmt), frame);
    return Flow::Error;
  }
  return Flow::Next;
}

/// The items a loop over `iter` visits: a `for` statement's or a
/// comprehension's.
std::optional<std::vector<Value>> Interpreter::loopItems(const ExprAST &iter,
                                                         Frame &frame) {
  std::optional<Value> iterable = eval(iter, frame);
  if (!iterable)
    return std::nullopt;
  return iterate(*iterable, iter.loc());
}

/// Counts one loop iteration; past the compile-time limit, the error.
bool Interpreter::countIteration(const Location &loc) {
  if (++numIterations <= kMaxIterations)
    return true;
  error(loc, "the model runs more than " + Twine(kMaxIterations) +
                 " loop iterations at compile time");
  return false;
}

/// A comprehension runs as a `for` statement would, in a frame of its own
/// (its target does not outlive it, as in Python 3).
std::optional<Value>
Interpreter::evalComprehension(const ComprehensionExprAST &expr,
                               Frame &frame) {
  std::optional<std::vector<Value>> items = loopItems(*expr.getIter(), frame);
  if (!items)
    return std::nullopt;
  Frame inner = frame;
  std::vector<Value> values;
  for (const Value &item : *items) {
    if (!countIteration(expr.loc()))
      return std::nullopt;
    if (!assign(*expr.getTarget(), item, inner, expr.getTarget()->loc()))
      return std::nullopt;
    bool kept = true;
    for (const ExprPtr &condition : expr.getConditions()) {
      std::optional<Value> test = eval(*condition, inner);
      if (!test)
        return std::nullopt;
      std::optional<bool> taken = truthy(*test, condition->loc());
      if (!taken)
        return std::nullopt;
      if (!(kept = *taken))
        break;
    }
    if (!kept)
      continue;
    std::optional<Value> value = eval(*expr.getElement(), inner);
    if (!value)
      return std::nullopt;
    values.push_back(*value);
  }
  return Value::list(std::move(values));
}

/// `raise Name(message)` reached: the compile error Python would print,
/// `Name: message`. The exception's name is not evaluated (ValueError and
/// its kin are not builtins here); its first argument is the message.
void Interpreter::raise(const RaiseStmtAST &stmt, Frame &frame) {
  const ExprAST *exception = stmt.getException();
  std::string name;
  const ExprAST *callee = exception;
  const auto *call = llvm::dyn_cast_or_null<CallExprAST>(exception);
  if (call)
    callee = call->getCallee();
  while (const auto *attr = llvm::dyn_cast_or_null<AttributeExprAST>(callee)) {
    name = "." + attr->getAttr().str() + name;
    callee = attr->getValue();
  }
  if (const auto *n = llvm::dyn_cast_or_null<NameExprAST>(callee))
    name = n->getName().str() + name;
  if (name.empty())
    name = "exception";
  else if (name.front() == '.')
    name.erase(0, 1);
  if (!call || call->getArgs().empty()) {
    error(stmt.loc(), name + " raised");
    return;
  }
  std::optional<Value> message = eval(*call->getArgs().front(), frame);
  if (!message)
    return;
  error(stmt.loc(), name + ": " +
                        (message->is(Value::Kind::Str) ? message->getStr().str()
                                                       : message->repr()));
}

/// The submodules of a Sequential or ModuleList, in order.
static std::vector<Value> listedModules(const ModuleObject &m) {
  std::vector<Value> modules;
  for (const auto &[name, module] : m.modules)
    modules.push_back(module);
  return modules;
}

std::optional<std::vector<Value>> Interpreter::iterate(const Value &iterable,
                                                       const Location &loc) {
  if (iterable.is(Value::Kind::Tuple) || iterable.is(Value::Kind::List))
    return std::vector<Value>(iterable.getElements().begin(),
                              iterable.getElements().end());
  if (isModuleSequence(iterable))
    return listedModules(*iterable.getModule());
  if (iterable.isTraced() || iterable.is(Value::Kind::Param)) {
    error(loc, "cannot iterate over " + iterable.describe() +
                   ": loops run at compile time, over lists, tuples, "
                   "range() and ModuleList");
    return std::nullopt;
  }
  error(loc, "cannot iterate over " + iterable.describe());
  return std::nullopt;
}

/// Whether `value` holds a module or parameter inside a tuple or list,
/// which PyTorch would not register (it needs ModuleList/ParameterList).
static bool containsRegistrable(const Value &value) {
  if (!value.is(Value::Kind::Tuple) && !value.is(Value::Kind::List))
    return false;
  for (const Value &element : value.getElements())
    if (element.is(Value::Kind::Module) || element.is(Value::Kind::Param) ||
        containsRegistrable(element))
      return true;
  return false;
}

bool Interpreter::assign(const ExprAST &target, Value value, Frame &frame,
                         const Location &loc) {
  if (const auto *name = llvm::dyn_cast<NameExprAST>(&target)) {
    // Once named, a graph is a graph: `row, col = edge_index` must not
    // take it for add_self_loops()'s pair.
    if (value.pairsWithNone())
      value = Value::graph(value.getOpaque());
    frame.locals[name->getName()] = std::move(value);
    return true;
  }
  if (const auto *attr = llvm::dyn_cast<AttributeExprAST>(&target)) {
    std::optional<Value> object = eval(*attr->getValue(), frame);
    if (!object)
      return false;
    if (!object->is(Value::Kind::Module)) {
      error(attr->loc(), "cannot set attribute '" + attr->getAttr() + "' of " +
                             object->describe());
      return false;
    }
    if (isTracing()) {
      error(attr->loc(), "attributes of 'self' can only be assigned in "
                         "__init__; use a local variable");
      return false;
    }
    if (containsRegistrable(value)) {
      error(attr->getValue()->loc(),
            "layers and parameters inside a tuple or list are not "
            "registered; use ModuleList([...]), or assign each to an "
            "attribute of its own");
      return false;
    }
    object->getModule()->set(attr->getAttr(), std::move(value));
    return true;
  }
  if (const auto *subscript = llvm::dyn_cast<SubscriptExprAST>(&target))
    return assignMasked(*subscript, value, frame, loc);
  const auto &tuple = llvm::cast<TupleExprAST>(target);
  if (value.pairsWithNone())
    value = Value::tuple({Value::graph(value.getOpaque()), Value::none()});
  // PyG's `row, col = edge_index`: each edge's source and target.
  else if (value.is(Value::Kind::Graph) && tuple.getElements().size() == 2 &&
           tensorOps) {
    std::optional<Value> ends = tensorOps->unpackGraph(value, loc);
    if (!ends)
      return false;
    value = *ends;
  }
  if (!value.is(Value::Kind::Tuple) && !value.is(Value::Kind::List)) {
    error(loc, "cannot unpack " + value.describe() + " into " +
                   Twine(tuple.getElements().size()) + " names");
    return false;
  }
  llvm::ArrayRef<Value> elements = value.getElements();
  if (elements.size() != tuple.getElements().size()) {
    error(loc, "cannot unpack " + Twine(elements.size()) + " values into " +
                   Twine(tuple.getElements().size()) + " names");
    return false;
  }
  for (auto [element, name] : llvm::zip(elements, tuple.getElements()))
    if (!assign(*name, element, frame, loc))
      return false;
  return true;
}

bool Interpreter::assignMasked(const SubscriptExprAST &target, Value value,
                              Frame &frame, const Location &loc) {
  // PyTorch's masked assignment `t[t == a] = b` (PyG's GCN sets the inf of
  // deg ** -0.5 to 0), with numbers a and b: t becomes a new value, as an
  // in-place method rebinds its name.
  const auto *name = llvm::dyn_cast<NameExprAST>(target.getValue());
  const auto *mask = target.getIndices().size() == 1
                         ? llvm::dyn_cast<BinaryExprAST>(
                               target.getIndices()[0].get())
                         : nullptr;
  const auto *masked = mask ? llvm::dyn_cast<NameExprAST>(mask->getLHS())
                            : nullptr;
  if (!name || !mask || mask->getOp() != BinaryOp::Eq || !masked ||
      masked->getName() != name->getName()) {
    error(loc, "assignment to a subscript is supported as a masked fill "
               "only, t[t == a] = b with numbers a and b; tensors are "
               "otherwise immutable");
    return false;
  }
  std::optional<Value> tensor = eval(*name, frame);
  std::optional<Value> from =
      tensor ? eval(*mask->getRHS(), frame) : std::nullopt;
  if (!from)
    return false;
  if (!tensorOps || !tensor->isTensorLike()) {
    error(target.getValue()->loc(), "a masked fill needs a tensor in "
                                    "forward() or message(), got " +
                                        tensor->describe());
    return false;
  }
  if (!from->isNumber() || !value.isNumber()) {
    const Value &bad = from->isNumber() ? value : *from;
    error(from->isNumber() ? loc : mask->getRHS()->loc(),
          "a masked fill t[t == a] = b takes numbers for a and b, got " +
              bad.describe());
    return false;
  }
  std::optional<Value> filled = tensorOps->callBuiltin(
      "replace",
      {{*tensor, name->loc()}, {*from, mask->getRHS()->loc()}, {value, loc}},
      loc);
  if (!filled)
    return false;
  frame.locals[name->getName()] = *filled;
  return true;
}

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

std::optional<Value> Interpreter::eval(const ExprAST &expr, Frame &frame) {
  switch (expr.getKind()) {
  case ExprAST::Expr_Name:
    return evalName(llvm::cast<NameExprAST>(expr), frame);
  case ExprAST::Expr_Int:
    return Value::integer(llvm::cast<IntExprAST>(expr).getValue());
  case ExprAST::Expr_Float:
    return Value::floating(llvm::cast<FloatExprAST>(expr).getValue());
  case ExprAST::Expr_String:
    return Value::string(llvm::cast<StringExprAST>(expr).getValue().str());
  case ExprAST::Expr_Bool:
    return Value::boolean(llvm::cast<BoolExprAST>(expr).getValue());
  case ExprAST::Expr_None:
    return Value::none();
  case ExprAST::Expr_Tuple:
  case ExprAST::Expr_List: {
    llvm::ArrayRef<ExprPtr> elements =
        expr.getKind() == ExprAST::Expr_Tuple
            ? llvm::cast<TupleExprAST>(expr).getElements()
            : llvm::cast<ListExprAST>(expr).getElements();
    std::vector<Value> values;
    for (const ExprPtr &element : elements) {
      std::optional<Value> v = eval(*element, frame);
      if (!v)
        return std::nullopt;
      values.push_back(*v);
    }
    return expr.getKind() == ExprAST::Expr_Tuple
               ? Value::tuple(std::move(values))
               : Value::list(std::move(values));
  }
  case ExprAST::Expr_Comprehension:
    return evalComprehension(llvm::cast<ComprehensionExprAST>(expr), frame);
  case ExprAST::Expr_Unary:
    return evalUnary(llvm::cast<UnaryExprAST>(expr), frame);
  case ExprAST::Expr_Binary:
    return evalBinary(llvm::cast<BinaryExprAST>(expr), frame);
  case ExprAST::Expr_IfExp: {
    const auto &ifExp = llvm::cast<IfExpAST>(expr);
    std::optional<Value> test = eval(*ifExp.getTest(), frame);
    if (!test)
      return std::nullopt;
    std::optional<bool> taken = truthy(*test, ifExp.getTest()->loc());
    if (!taken)
      return std::nullopt;
    return eval(*taken ? *ifExp.getBody() : *ifExp.getOrElse(), frame);
  }
  case ExprAST::Expr_Call:
    return evalCall(llvm::cast<CallExprAST>(expr), frame);
  case ExprAST::Expr_Attribute:
    return evalAttribute(llvm::cast<AttributeExprAST>(expr), frame);
  case ExprAST::Expr_Subscript:
    return evalSubscript(llvm::cast<SubscriptExprAST>(expr), frame);
  case ExprAST::Expr_Slice:
    error(expr.loc(), "slices are not supported yet");
    return std::nullopt;
  }
  return std::nullopt;
}

std::optional<Value> Interpreter::evalName(const NameExprAST &expr,
                                           Frame &frame) {
  StringRef name = expr.getName();
  auto it = frame.locals.find(name);
  if (it != frame.locals.end())
    return it->second;
  if (frame.scope)
    if (const ClassInfo *cls = frame.scope->lookup(name))
      return Value::userClass(cls);
  if (std::optional<std::string> qualified = qualifiedName(expr, frame))
    return resolveQualified(*qualified, expr.loc());
  if (frame.scope) {
    auto constant = frame.scope->constants.find(name);
    if (constant != frame.scope->constants.end())
      return eval(*constant->second, frame);
    auto unrun = frame.scope->unrun.find(name);
    if (unrun != frame.scope->unrun.end()) {
      const UnrunNameAST &bound = *unrun->second;
      if (bound.what == "function")
        error(expr.loc(), "'" + name + "' is a top-level function (line " +
                              Twine(bound.loc.line) +
                              "); model code calls methods only: make it a "
                              "method of the class");
      else
        error(expr.loc(),
              "'" + name + "' is set by top-level code (line " +
                  Twine(bound.loc.line) +
                  "), which gnnc does not run: model code reads only the "
                  "imports, classes and constants (NAME = literal) of the "
                  "top level");
      return std::nullopt;
    }
  }
  if (Builtins::get().lookupClass(name))
    return Value::builtinClass(name);
  if (Builtins::get().lookupFunction(name))
    return Value::function(name);
  if (name == "super") {
    error(expr.loc(), "super must be called: super().method(...)");
    return std::nullopt;
  }
  if (name == "Model" || name == "MessagePassing" || name == "Module") {
    error(expr.loc(), "'" + name + "' can only be used as a base class");
    return std::nullopt;
  }
  if (name == "print") {
    error(expr.loc(), "print() in model code: forward() runs once at compile "
                      "time, not on data; remove it");
    return std::nullopt;
  }
  error(expr.loc(), "unknown name '" + name + "'");
  return std::nullopt;
}

std::optional<bool> Interpreter::truthy(const Value &value,
                                        const Location &loc) {
  switch (value.getKind()) {
  case Value::Kind::None:
    return false;
  case Value::Kind::Bool:
    return value.getBool();
  case Value::Kind::Int:
    return value.getInt() != 0;
  case Value::Kind::Float:
    return value.getNumber() != 0;
  case Value::Kind::Str:
    return !value.getStr().empty();
  case Value::Kind::Tuple:
  case Value::Kind::List:
    return !value.getElements().empty();
  case Value::Kind::Tensor:
  case Value::Kind::Param:
  case Value::Kind::EdgeRows:
    error(loc, "a tensor cannot be used as a condition: conditions are "
               "evaluated at compile time (did you mean 'is not None'?)");
    return std::nullopt;
  case Value::Kind::Graph:
    error(loc, "a graph cannot be used as a condition: conditions are "
               "evaluated at compile time");
    return std::nullopt;
  default:
    return true;
  }
}

std::optional<Value> Interpreter::evalUnary(const UnaryExprAST &expr,
                                            Frame &frame) {
  std::optional<Value> operand = eval(*expr.getOperand(), frame);
  if (!operand)
    return std::nullopt;
  const Value &v = *operand;
  switch (expr.getOp()) {
  case UnaryOp::Not: {
    std::optional<bool> t = truthy(v, expr.getOperand()->loc());
    if (!t)
      return std::nullopt;
    return Value::boolean(!*t);
  }
  case UnaryOp::Neg:
    if (v.is(Value::Kind::Float))
      return Value::floating(-v.getNumber());
    if (v.isIntegral()) {
      if (v.getInt() == std::numeric_limits<int64_t>::min()) {
        error(expr.loc(), "integer overflow");
        return std::nullopt;
      }
      std::optional<IntOrigin> origin = v.getOrigin();
      if (origin && (__builtin_mul_overflow(origin->scale, int64_t(-1),
                                            &origin->scale) ||
                     __builtin_mul_overflow(origin->offset, int64_t(-1),
                                            &origin->offset)))
        origin.reset();
      return Value::integer(-v.getInt(), origin);
    }
    if (v.is(Value::Kind::Tensor) || v.is(Value::Kind::Param)) {
      if (!tensorOps) {
        error(expr.loc(), "parameters cannot be used in arithmetic in "
                          "__init__");
        return std::nullopt;
      }
      return tensorOps->negate({v, expr.getOperand()->loc()}, expr.loc());
    }
    break;
  case UnaryOp::Pos:
    if (v.is(Value::Kind::Bool))
      return Value::integer(v.getInt());
    if (v.isNumber() || v.is(Value::Kind::Tensor))
      return v;
    break;
  }
  error(expr.loc(), "bad operand for unary '" +
                        getUnaryOpSpelling(expr.getOp()) +
                        "': " + v.describe());
  return std::nullopt;
}

std::optional<Value> Interpreter::evalBinary(const BinaryExprAST &expr,
                                             Frame &frame) {
  std::optional<Value> lhs = eval(*expr.getLHS(), frame);
  if (!lhs)
    return std::nullopt;
  if (isLogical(expr.getOp())) {
    // Python's short circuit: the result is one of the operands.
    std::optional<bool> t = truthy(*lhs, expr.getLHS()->loc());
    if (!t)
      return std::nullopt;
    if (*t == (expr.getOp() == BinaryOp::Or))
      return lhs;
    return eval(*expr.getRHS(), frame);
  }
  std::optional<Value> rhs = eval(*expr.getRHS(), frame);
  if (!rhs)
    return std::nullopt;
  return binary(expr.getOp(), {*lhs, expr.getLHS()->loc()},
                {*rhs, expr.getRHS()->loc()}, expr.loc());
}

std::optional<Value> Interpreter::binary(BinaryOp op, const Arg &lhs,
                                         const Arg &rhs, const Location &loc) {
  const Value &l = lhs.value, &r = rhs.value;
  if (op == BinaryOp::Is || op == BinaryOp::IsNot)
    return Value::boolean(identical(l, r) == (op == BinaryOp::Is));
  if (op == BinaryOp::In || op == BinaryOp::NotIn) {
    bool found = false;
    if (r.is(Value::Kind::Str) && l.is(Value::Kind::Str)) {
      found = r.getStr().contains(l.getStr());
    } else if (r.is(Value::Kind::Tuple) || r.is(Value::Kind::List)) {
      for (const Value &element : r.getElements()) {
        std::optional<Value> eq = compare(BinaryOp::Eq, l, element, loc);
        if (!eq)
          return std::nullopt;
        found |= eq->getBool();
      }
    } else {
      error(loc, "'in' needs a tuple, list or string on its right, got " +
                     r.describe());
      return std::nullopt;
    }
    return Value::boolean(found == (op == BinaryOp::In));
  }
  if (l.isTensorLike() || r.isTensorLike()) {
    if (isComparison(op)) {
      error(loc, kTensorComparison);
      return std::nullopt;
    }
    if (!tensorOps) {
      error(loc, "parameters cannot be used in arithmetic in __init__");
      return std::nullopt;
    }
    return tensorOps->binary(op, lhs, rhs, loc);
  }
  if (isComparison(op))
    return compare(op, l, r, loc);
  return plainArithmetic(op, l, r, loc);
}

/// The origin of `l OP r` on integers when it stays an affine function of
/// one model argument (`2 * hidden`, `in_channels + 1`); none otherwise.
static std::optional<IntOrigin> affineOrigin(BinaryOp op, const Value &l,
                                             const Value &r) {
  const std::optional<IntOrigin> &lo = l.getOrigin(), &ro = r.getOrigin();
  if (lo.has_value() == ro.has_value())
    return std::nullopt; // plain, or a product/sum of two arguments
  IntOrigin o = lo ? *lo : *ro;
  int64_t c = lo ? r.getInt() : l.getInt();
  bool overflow = false;
  switch (op) {
  case BinaryOp::Add:
    overflow = __builtin_add_overflow(o.offset, c, &o.offset);
    break;
  case BinaryOp::Sub:
    if (lo) {
      overflow = __builtin_sub_overflow(o.offset, c, &o.offset);
    } else { // c - (a x + b)
      overflow = __builtin_sub_overflow(c, o.offset, &o.offset) ||
                 __builtin_mul_overflow(o.scale, int64_t(-1), &o.scale);
    }
    break;
  case BinaryOp::Mul:
    if (c == 0)
      return std::nullopt;
    overflow = __builtin_mul_overflow(o.scale, c, &o.scale) ||
               __builtin_mul_overflow(o.offset, c, &o.offset);
    break;
  default:
    return std::nullopt;
  }
  if (overflow)
    return std::nullopt;
  return o;
}

/// Python's floor division and modulo on integers (rounding toward -inf).
static int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0)))
    --q;
  return q;
}

static int64_t floorMod(int64_t a, int64_t b) {
  int64_t m = a % b;
  if (m != 0 && ((m < 0) != (b < 0)))
    m += b;
  return m;
}

std::optional<Value> Interpreter::plainArithmetic(BinaryOp op, const Value &l,
                                                  const Value &r,
                                                  const Location &loc) {
  StringRef spelling = getBinaryOpSpelling(op);
  if (l.isNumber() && r.isNumber()) {
    if (l.isIntegral() && r.isIntegral() && op != BinaryOp::Div &&
        !(op == BinaryOp::Pow && r.getInt() < 0)) {
      int64_t a = l.getInt(), b = r.getInt(), out = 0;
      bool overflow = false;
      switch (op) {
      case BinaryOp::Add:
        overflow = __builtin_add_overflow(a, b, &out);
        break;
      case BinaryOp::Sub:
        overflow = __builtin_sub_overflow(a, b, &out);
        break;
      case BinaryOp::Mul:
        overflow = __builtin_mul_overflow(a, b, &out);
        break;
      case BinaryOp::FloorDiv:
      case BinaryOp::Mod:
        if (b == 0) {
          error(loc, "integer division by zero");
          return std::nullopt;
        }
        if (a == std::numeric_limits<int64_t>::min() && b == -1) {
          overflow = op == BinaryOp::FloorDiv;
          out = 0;
          break;
        }
        out = op == BinaryOp::FloorDiv ? floorDiv(a, b) : floorMod(a, b);
        break;
      case BinaryOp::Pow:
        out = 1;
        for (int64_t n = 0; n < b && !overflow; ++n) {
          overflow = __builtin_mul_overflow(out, a, &out);
          if (out == 0 || out == 1)
            break; // 0**n and 1**n stay put; no need to loop n times
        }
        if (!overflow && a == -1)
          out = (b % 2) ? -1 : 1;
        break;
      default:
        break;
      }
      if (overflow) {
        error(loc, "integer overflow in '" + spelling + "'");
        return std::nullopt;
      }
      return Value::integer(out, affineOrigin(op, l, r));
    }
    double a = l.getNumber(), b = r.getNumber();
    switch (op) {
    case BinaryOp::Add:
      return Value::floating(a + b);
    case BinaryOp::Sub:
      return Value::floating(a - b);
    case BinaryOp::Mul:
      return Value::floating(a * b);
    case BinaryOp::Div:
    case BinaryOp::FloorDiv:
    case BinaryOp::Mod:
      if (b == 0) {
        error(loc, "division by zero");
        return std::nullopt;
      }
      if (op == BinaryOp::Div)
        return Value::floating(a / b);
      if (op == BinaryOp::FloorDiv)
        return Value::floating(std::floor(a / b));
      {
        double m = std::fmod(a, b);
        if (m != 0 && ((m < 0) != (b < 0)))
          m += b;
        return Value::floating(m);
      }
    case BinaryOp::Pow:
      if (a == 0 && b < 0) {
        error(loc, "zero cannot be raised to a negative power");
        return std::nullopt;
      }
      if (a < 0 && b != std::floor(b)) {
        error(loc, "a negative number cannot be raised to a fractional power");
        return std::nullopt;
      }
      return Value::floating(std::pow(a, b));
    default:
      break;
    }
  }
  if (op == BinaryOp::Add) {
    if (l.is(Value::Kind::Str) && r.is(Value::Kind::Str))
      return Value::string(l.getStr().str() + r.getStr().str());
    if ((l.is(Value::Kind::Tuple) && r.is(Value::Kind::Tuple)) ||
        (l.is(Value::Kind::List) && r.is(Value::Kind::List))) {
      std::vector<Value> elements(l.getElements().begin(),
                                  l.getElements().end());
      elements.insert(elements.end(), r.getElements().begin(),
                      r.getElements().end());
      return l.is(Value::Kind::Tuple) ? Value::tuple(std::move(elements))
                                      : Value::list(std::move(elements));
    }
  }
  if (l.is(Value::Kind::Graph) || r.is(Value::Kind::Graph)) {
    error(loc, "a graph cannot be used in arithmetic");
    return std::nullopt;
  }
  if (l.is(Value::Kind::Index) || r.is(Value::Kind::Index)) {
    error(loc, "'index' cannot be used in arithmetic; it can only be passed "
               "to softmax(..., index)");
    return std::nullopt;
  }
  error(loc, "unsupported operand types for '" + spelling +
                 "': " + l.describe() + " and " + r.describe());
  return std::nullopt;
}

/// Python's == on plain values; values of different kinds are unequal.
static bool equalValues(const Value &l, const Value &r) {
  if (l.isNumber() && r.isNumber())
    return l.getNumber() == r.getNumber() &&
           (l.is(Value::Kind::Float) || r.is(Value::Kind::Float) ||
            l.getInt() == r.getInt());
  if (l.getKind() != r.getKind())
    return false;
  switch (l.getKind()) {
  case Value::Kind::None:
    return true;
  case Value::Kind::Str:
    return l.getStr() == r.getStr();
  case Value::Kind::Tuple:
  case Value::Kind::List: {
    llvm::ArrayRef<Value> a = l.getElements(), b = r.getElements();
    if (a.size() != b.size())
      return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (!equalValues(a[i], b[i]))
        return false;
    return true;
  }
  case Value::Kind::Module:
    return l.getModule() == r.getModule();
  case Value::Kind::Class:
    return l.getClass() == r.getClass() && l.getName() == r.getName();
  case Value::Kind::Function:
    return l.getName() == r.getName();
  default:
    return false;
  }
}

std::optional<Value> Interpreter::compare(BinaryOp op, const Value &l,
                                          const Value &r, const Location &loc) {
  if (l.isTensorLike() || r.isTensorLike()) {
    error(loc, kTensorComparison);
    return std::nullopt;
  }
  if (op == BinaryOp::Eq || op == BinaryOp::NotEq)
    return Value::boolean(equalValues(l, r) == (op == BinaryOp::Eq));
  int order;
  if (l.isNumber() && r.isNumber()) {
    double a = l.getNumber(), b = r.getNumber();
    order = a < b ? -1 : a > b ? 1 : 0;
  } else if (l.is(Value::Kind::Str) && r.is(Value::Kind::Str)) {
    order = l.getStr().compare(r.getStr());
  } else {
    error(loc, "'" + getBinaryOpSpelling(op) + "' is not supported between " +
                   l.describe() + " and " + r.describe());
    return std::nullopt;
  }
  switch (op) {
  case BinaryOp::Less:
    return Value::boolean(order < 0);
  case BinaryOp::LessEq:
    return Value::boolean(order <= 0);
  case BinaryOp::Greater:
    return Value::boolean(order > 0);
  default:
    return Value::boolean(order >= 0);
  }
}

bool Interpreter::identical(const Value &l, const Value &r) {
  if (l.getKind() != r.getKind())
    return false;
  switch (l.getKind()) {
  case Value::Kind::Param:
    return l.getParam() == r.getParam();
  case Value::Kind::Tensor:
  case Value::Kind::Graph:
    return l.getOpaque() == r.getOpaque();
  case Value::Kind::Tuple:
  case Value::Kind::List:
    return l.getElements().data() == r.getElements().data();
  case Value::Kind::Super:
    return false;
  default:
    return equalValues(l, r);
  }
}

std::optional<Value> Interpreter::evalSubscript(const SubscriptExprAST &expr,
                                                Frame &frame) {
  std::optional<Value> value = eval(*expr.getValue(), frame);
  if (!value)
    return std::nullopt;
  if (value->is(Value::Kind::Graph)) {
    // edge_index[0] and edge_index[1] are PyG's row and col.
    if (expr.getIndices().size() == 1 && tensorOps &&
        !llvm::isa<SliceExprAST>(expr.getIndices()[0].get())) {
      std::optional<Value> i = eval(*expr.getIndices()[0], frame);
      if (!i)
        return std::nullopt;
      if (i->is(Value::Kind::Int) && (i->getInt() == 0 || i->getInt() == 1)) {
        std::optional<Value> ends = tensorOps->unpackGraph(*value, expr.loc());
        if (!ends)
          return std::nullopt;
        return ends->getElements()[i->getInt()];
      }
    }
    error(expr.loc(), "the graph can be indexed by 0 (each edge's source, "
                      "PyG's row) or 1 (target, col) only, in forward()");
    return std::nullopt;
  }
  if (value->is(Value::Kind::Tensor) || value->is(Value::Kind::Param)) {
    // x[:, a:b, ...]: for the tracer, the tensor and then per index an
    // integer, or a slice as the list [start, stop, step] (None if absent).
    if (!tensorOps) {
      error(expr.loc(), "tensors can only be indexed in forward() and "
                        "message()");
      return std::nullopt;
    }
    std::vector<Arg> args = {{*value, expr.getValue()->loc()}};
    for (const ExprPtr &index : expr.getIndices()) {
      if (const auto *slice = llvm::dyn_cast<SliceExprAST>(index.get())) {
        std::vector<Value> bounds;
        for (const ExprAST *bound :
             {slice->getLower(), slice->getUpper(), slice->getStep()}) {
          std::optional<Value> v =
              bound ? eval(*bound, frame) : std::optional<Value>(Value::none());
          if (!v)
            return std::nullopt;
          bounds.push_back(*v);
        }
        args.push_back({Value::list(std::move(bounds)), index->loc()});
        continue;
      }
      std::optional<Value> v = eval(*index, frame);
      if (!v)
        return std::nullopt;
      // Slices reach the tracer as lists; an index that is a list itself
      // (PyTorch's advanced indexing) must not pass for one.
      if (v->is(Value::Kind::List) || v->is(Value::Kind::Tuple) ||
          v->is(Value::Kind::Tensor) || v->is(Value::Kind::Param)) {
        error(index->loc(), "a tensor index must be an integer or a slice, "
                            "got " + v->describe() +
                                " (advanced indexing is not supported)");
        return std::nullopt;
      }
      args.push_back({*v, index->loc()});
    }
    return tensorOps->callBuiltin("__getitem__", args, expr.loc());
  }
  bool sequential = isModuleSequence(*value);
  if (!sequential && !value->is(Value::Kind::Tuple) &&
      !value->is(Value::Kind::List)) {
    error(expr.loc(), value->describe() + " cannot be indexed");
    return std::nullopt;
  }
  if (expr.getIndices().size() != 1) {
    error(expr.getIndices()[1]->loc(),
          "a list, tuple or module sequence takes one index");
    return std::nullopt;
  }
  if (const auto *slice =
          llvm::dyn_cast<SliceExprAST>(expr.getIndices()[0].get()))
    return sliceSequence(*value, *slice, frame);
  const ExprAST &indexExpr = *expr.getIndices()[0];
  std::optional<Value> index = eval(indexExpr, frame);
  if (!index)
    return std::nullopt;
  if (!index->isIntegral()) {
    error(indexExpr.loc(),
          "an index must be an integer, got " + index->describe());
    return std::nullopt;
  }
  // Sequential(m0, m1, ...)[i], ModuleList([...])[i]: its i-th module,
  // as in PyTorch. (Indexable values are the iterable ones.)
  std::vector<Value> elements = *iterate(*value, expr.loc());
  int64_t i = index->getInt();
  int64_t n = int64_t(elements.size());
  if (i < -n || i >= n) {
    error(indexExpr.loc(), "index " + Twine(i) + " is out of range for " +
                               value->describe() + " of " + Twine(n) +
                               " elements");
    return std::nullopt;
  }
  return elements[i < 0 ? i + n : i];
}

std::optional<Value> Interpreter::sliceSequence(const Value &sequence,
                                               const SliceExprAST &slice,
                                               Frame &frame) {
  std::optional<int64_t> bounds[3];
  const ExprAST *exprs[3] = {slice.getLower(), slice.getUpper(), slice.getStep()};
  for (int k = 0; k < 3; ++k) {
    if (!exprs[k])
      continue;
    std::optional<Value> v = eval(*exprs[k], frame);
    if (!v)
      return std::nullopt;
    if (v->isNone())
      continue;
    if (!v->isIntegral()) {
      error(exprs[k]->loc(), "slice bounds must be integers, got " + v->repr());
      return std::nullopt;
    }
    bounds[k] = v->getInt();
  }
  int64_t step = bounds[2].value_or(1);
  if (step == 0) {
    error(exprs[2]->loc(), "a slice step cannot be zero");
    return std::nullopt;
  }
  bool sequential = isModuleSequence(sequence);
  std::vector<Value> elements = *iterate(sequence, slice.loc());
  // Python's rules (PySlice_AdjustIndices): negative bounds count from the
  // end, then clamp to the sequence, which a negative step walks backwards.
  int64_t n = int64_t(elements.size());
  auto adjust = [&](std::optional<int64_t> bound, int64_t fromStart,
                    int64_t fromEnd) {
    if (!bound)
      return step < 0 ? fromEnd : fromStart;
    int64_t b = *bound;
    if (b < 0) {
      b = b < -n ? -1 : b + n;
      return b < 0 ? (step < 0 ? int64_t(-1) : int64_t(0)) : b;
    }
    return b >= n ? (step < 0 ? n - 1 : n) : b;
  };
  int64_t start = adjust(bounds[0], 0, n - 1);
  int64_t stop = adjust(bounds[1], n, -1);
  std::vector<int64_t> picked;
  for (int64_t i = start; step > 0 ? i < stop : i > stop;) {
    picked.push_back(i);
    if (__builtin_add_overflow(i, step, &i))
      break;
  }

  if (!sequential) {
    std::vector<Value> values;
    for (int64_t i : picked)
      values.push_back(elements[i]);
    return sequence.is(Value::Kind::Tuple) ? Value::tuple(std::move(values))
                                           : Value::list(std::move(values));
  }
  // A ModuleList or Sequential of the picked modules (the same modules, so
  // calls and loops use their weights), named as PyTorch's slicing names
  // them: a Sequential keeps its keys, a ModuleList counts from 0 (so that
  // a state_dict entry and a later append() get PyTorch's names).
  auto view = std::make_shared<ModuleObject>(*sequence.getModule());
  bool renumber = view->builtin == BuiltinModule::ModuleList;
  const auto &named = sequence.getModule()->modules;
  view->modules.clear();
  for (int64_t i : picked)
    view->modules.emplace_back(
        renumber ? std::to_string(view->modules.size()) : named[i].first,
        named[i].second);
  return Value::module(std::move(view));
}

std::optional<std::string>
Interpreter::qualifiedName(const ExprAST &expr, const Frame &frame) const {
  if (const auto *attr = llvm::dyn_cast<AttributeExprAST>(&expr)) {
    std::optional<std::string> outer = qualifiedName(*attr->getValue(), frame);
    if (!outer)
      return std::nullopt;
    return *outer + "." + attr->getAttr().str();
  }
  const auto *name = llvm::dyn_cast<NameExprAST>(&expr);
  if (!name || !frame.scope || frame.locals.count(name->getName()) ||
      frame.scope->lookup(name->getName()))
    return std::nullopt;
  auto it = frame.scope->imported.find(name->getName());
  if (it == frame.scope->imported.end())
    return std::nullopt;
  return it->second;
}

std::optional<Value> Interpreter::resolveQualified(StringRef qualified,
                                                   const Location &loc) {
  if (const ClassInfo *layer = program.lookupLibraryClass(qualified))
    return Value::userClass(layer);
  if (const Builtin *cls = Builtins::get().lookupClass(qualified))
    return Value::builtinClass(cls->name);
  if (const Builtin *fn = Builtins::get().lookupFunction(qualified))
    return Value::function(fn->name);
  if (qualified == "torch.nn.Module" ||
      qualified == "torch_geometric.nn.MessagePassing") {
    error(loc, "'" + qualified + "' can only be used as a base class");
    return std::nullopt;
  }
  error(loc, "'" + qualified +
                 "' is not supported in model code; it may be imported but "
                 "not used in __init__, forward or message");
  return std::nullopt;
}

std::optional<Value> Interpreter::evalAttribute(const AttributeExprAST &expr,
                                                Frame &frame) {
  if (std::optional<std::string> qualified = qualifiedName(expr, frame))
    return resolveQualified(*qualified, expr.loc());
  std::optional<Value> object = eval(*expr.getValue(), frame);
  if (!object)
    return std::nullopt;
  return getAttribute(*object, expr.getAttr(), expr.loc());
}

std::optional<Value> Interpreter::getAttribute(const Value &object,
                                               StringRef name,
                                               const Location &loc) {
  if (object.is(Value::Kind::Module)) {
    const ModuleObject &m = *object.getModule();
    if (const Value *attr = m.find(name)) {
      if (attr->is(Value::Kind::Param) && tensorOps)
        return tensorOps->readParam(*attr->getParam(), loc);
      return *attr;
    }
    // What every torch.nn.Module and PyG layer answers: compiled models
    // run in eval mode.
    if (name == "training")
      return Value::boolean(false);
    if (name == "aggr" && m.cls && m.cls->isMessagePassing())
      return Value::string(getAggregationName(m.aggr).str());
    if (m.cls && m.cls->findMethod(name)) {
      error(loc,
            "method '" + name + "' of '" + m.typeName + "' must be called");
      return std::nullopt;
    }
    error(loc, "'" + m.typeName + "' has no attribute '" + name + "'");
    return std::nullopt;
  }
  // `p.data` is the tensor itself (what reset_parameters() initialises
  // through).
  if (name == "data" &&
      (object.is(Value::Kind::Param) || object.is(Value::Kind::Tensor)))
    return object;
  error(loc, object.describe() + " has no attribute '" + name + "'");
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Calls
//===----------------------------------------------------------------------===//

std::optional<std::vector<Arg>> Interpreter::bindArguments(
    StringRef callee, llvm::ArrayRef<std::string> names,
    llvm::function_ref<std::optional<Value>(size_t)> getDefault,
    llvm::function_ref<bool(size_t)> hasDefault, llvm::ArrayRef<Arg> args,
    llvm::ArrayRef<KeywordArg> kwargs, const Location &loc) {
  if (args.size() > names.size()) {
    error(args[names.size()].loc,
          callee + " takes " +
              (names.empty()
                   ? Twine("no arguments")
                   : Twine("at most ") + Twine(names.size()) +
                         (names.size() == 1 ? " argument" : " arguments")) +
              ", got " + Twine(args.size()));
    return std::nullopt;
  }
  std::vector<std::optional<Arg>> slots(names.size());
  for (size_t i = 0; i < args.size(); ++i)
    slots[i] = args[i];
  for (const KeywordArg &kw : kwargs) {
    auto it = llvm::find(names, kw.name);
    if (it == names.end()) {
      error(kw.nameLoc, callee + " has no parameter named '" + kw.name + "'");
      return std::nullopt;
    }
    size_t i = it - names.begin();
    if (slots[i]) {
      error(kw.nameLoc, callee + " got two values for '" + kw.name + "'");
      return std::nullopt;
    }
    slots[i] = Arg{kw.value, kw.loc};
  }
  std::vector<Arg> bound;
  for (size_t i = 0; i < names.size(); ++i) {
    if (slots[i]) {
      bound.push_back(*slots[i]);
      continue;
    }
    if (!hasDefault(i)) {
      error(loc, callee + " is missing the argument '" + names[i] + "'");
      return std::nullopt;
    }
    std::optional<Value> def = getDefault(i);
    if (!def)
      return std::nullopt;
    bound.push_back({*def, loc});
  }
  return bound;
}

std::optional<Value> Interpreter::evalDefault(const ParamAST &param,
                                              const ClassInfo &cls) {
  Frame frame;
  frame.scope = cls.scope;
  return eval(*param.defaultValue, frame);
}

std::optional<Value> Interpreter::evalCall(const CallExprAST &expr,
                                           Frame &frame) {
  const ExprAST *callee = expr.getCallee();
  if (const auto *name = llvm::dyn_cast<NameExprAST>(callee);
      name && name->getName() == "super" && !frame.locals.count("super")) {
    if (!frame.definer || !frame.self.is(Value::Kind::Module)) {
      error(expr.loc(), "super() can only be used in a method");
      return std::nullopt;
    }
    // super() or Python 2's super(Cls, self), with the class whose method
    // runs (what super() means) and the method's self.
    llvm::ArrayRef<ExprPtr> superArgs = expr.getArgs();
    if (superArgs.empty() && expr.getKeywords().empty())
      return Value::super(frame.self.getModule(), frame.definer);
    if (superArgs.size() != 2 || !expr.getKeywords().empty()) {
      error(expr.loc(), "super() takes no arguments, or the class and self");
      return std::nullopt;
    }
    std::optional<Value> cls = eval(*superArgs[0], frame);
    if (!cls)
      return std::nullopt;
    if (!cls->is(Value::Kind::Class) || cls->getClass() != frame.definer) {
      error(superArgs[0]->loc(), "super()'s first argument must be the "
                                 "class whose method this is, '" +
                                     frame.definer->name + "'");
      return std::nullopt;
    }
    std::optional<Value> self = eval(*superArgs[1], frame);
    if (!self)
      return std::nullopt;
    if (!self->is(Value::Kind::Module) ||
        self->getModule() != frame.self.getModule()) {
      error(superArgs[1]->loc(), "super()'s second argument must be self");
      return std::nullopt;
    }
    return Value::super(frame.self.getModule(), frame.definer);
  }

  // Python evaluates the callee (or the receiver of a method) first.
  std::optional<Value> receiver, calleeValue;
  const auto *attr = llvm::dyn_cast<AttributeExprAST>(callee);
  // F.relu(x) is a function call, not a method call.
  if (attr && qualifiedName(*callee, frame))
    attr = nullptr;
  if (attr)
    receiver = eval(*attr->getValue(), frame);
  else
    calleeValue = eval(*callee, frame);
  if (!receiver && !calleeValue)
    return std::nullopt;

  const Builtin *function =
      calleeValue && calleeValue->is(Value::Kind::Function)
          ? Builtins::get().lookupFunction(calleeValue->getName())
          : nullptr;
  bool graphUtility = function && function->graphUtility;
  // A graph utility's num_nodes or dim_size (often x.size(0), unknown at
  // compile time) and dtype (x.dtype) are not evaluated: the graph knows
  // its vertices, and values are float.
  auto unevaluated = [&](llvm::StringRef param) {
    return graphUtility &&
           (param == "num_nodes" || param == "dim_size" || param == "dtype");
  };
  std::vector<Arg> args;
  for (const auto &[i, argExpr] : llvm::enumerate(expr.getArgs())) {
    if (graphUtility && function->params && i < function->params->size() &&
        unevaluated((*function->params)[i].name)) {
      args.push_back({Value::none(), argExpr->loc()});
      continue;
    }
    std::optional<Value> v = eval(*argExpr, frame);
    if (!v)
      return std::nullopt;
    args.push_back({*v, argExpr->loc()});
  }
  std::vector<KeywordArg> kwargs;
  for (const KeywordArgAST &kw : expr.getKeywords()) {
    if (unevaluated(kw.name)) {
      kwargs.push_back({kw.name, Value::none(), kw.value->loc(), kw.loc});
      continue;
    }
    std::optional<Value> v = eval(*kw.value, frame);
    if (!v)
      return std::nullopt;
    kwargs.push_back({kw.name, *v, kw.value->loc(), kw.loc});
  }

  if (!attr)
    return callValue(*calleeValue, args, kwargs, expr.loc());

  StringRef method = attr->getAttr();
  switch (receiver->getKind()) {
  case Value::Kind::Module:
    return callMethod(*receiver, method, args, kwargs, expr.loc());
  case Value::Kind::Super:
    return callSuper(*receiver, method, args, kwargs, expr.loc());
  case Value::Kind::Tensor:
  case Value::Kind::EdgeRows:
  case Value::Kind::Param: {
    // Initialising a parameter in __init__ or reset_parameters()
    // (self.bias.data.zero_()) does nothing: the weights file sets it.
    static const llvm::StringSet<> initialisers = {
        "zero_", "fill_", "uniform_", "normal_", "copy_"};
    if (!tensorOps && receiver->is(Value::Kind::Param) &&
        initialisers.contains(method))
      return *receiver;
    const ExprAST *target = attr->getValue();
    if (method.ends_with("_") && !llvm::isa<NameExprAST>(target) &&
        !llvm::isa<CallExprAST>(target)) {
      error(expr.loc(), "in-place '" + method +
                            "()' is supported on a local name or a call's "
                            "result only; write x = x." +
                            method.drop_back() + "()");
      return std::nullopt;
    }
    std::optional<Value> result = callTensorMethod(
        {*receiver, attr->getValue()->loc()}, method, args, kwargs, expr.loc());
    // x.relu_() changes x: a local name is rebound to the result.
    if (result && method.ends_with("_"))
      if (const auto *name = llvm::dyn_cast<NameExprAST>(attr->getValue()))
        frame.locals[name->getName()] = *result;
    return result;
  }
  case Value::Kind::List:
    return callListMethod(*receiver, *attr, args, kwargs, frame, expr.loc());
  default:
    error(expr.loc(), receiver->describe() + " has no method '" + method + "'");
    return std::nullopt;
  }
}

/// xs.append(v) and xs.extend(vs), as model code collects layers' outputs
/// (for JumpingKnowledge, say). Lists are values here, so the method
/// rebinds a local name to the longer list: it needs one.
std::optional<Value> Interpreter::callListMethod(
    const Value &list, const AttributeExprAST &attr, llvm::ArrayRef<Arg> args,
    llvm::ArrayRef<KeywordArg> kwargs, Frame &frame, const Location &loc) {
  StringRef method = attr.getAttr();
  if (method != "append" && method != "extend") {
    error(loc, "a list has no method '" + method +
                   "' in model files (append and extend are supported)");
    return std::nullopt;
  }
  const auto *name = llvm::dyn_cast<NameExprAST>(attr.getValue());
  if (!name) {
    error(loc, "list." + method + "() is supported on a local name only; "
                                  "collect into a local list first");
    return std::nullopt;
  }
  if (args.size() != 1 || !kwargs.empty()) {
    error(loc, "list." + method + "() takes exactly one argument");
    return std::nullopt;
  }
  std::vector<Value> elements(list.getElements().begin(),
                              list.getElements().end());
  if (method == "append") {
    elements.push_back(args.front().value);
  } else {
    std::optional<std::vector<Value>> more =
        iterate(args.front().value, args.front().loc);
    if (!more)
      return std::nullopt;
    elements.insert(elements.end(), more->begin(), more->end());
  }
  frame.locals[name->getName()] = Value::list(std::move(elements));
  return Value::none();
}

std::optional<Value> Interpreter::callValue(const Value &callee,
                                            llvm::ArrayRef<Arg> args,
                                            llvm::ArrayRef<KeywordArg> kwargs,
                                            const Location &loc) {
  switch (callee.getKind()) {
  case Value::Kind::Module:
    return callModule(callee, args, kwargs, loc);
  case Value::Kind::Class:
    if (isTracing()) {
      error(loc, "layers and parameters can only be created in __init__");
      return std::nullopt;
    }
    if (const ClassInfo *cls = callee.getClass())
      return construct(*cls, args, kwargs, loc);
    return constructBuiltin(callee.getName(), args, kwargs, loc);
  case Value::Kind::Function:
    return callFunction(callee.getName(), args, kwargs, loc);
  default:
    error(loc, callee.describe() + " is not callable");
    return std::nullopt;
  }
}

std::optional<Value> Interpreter::callMethod(const Value &receiver,
                                             StringRef name,
                                             llvm::ArrayRef<Arg> args,
                                             llvm::ArrayRef<KeywordArg> kwargs,
                                             const Location &loc) {
  const ModuleObject &m = *receiver.getModule();
  // Instance attributes come first, as in Python: `self.conv1(x)` calls
  // the module stored in conv1.
  if (const Value *attr = m.find(name))
    return callValue(*attr, args, kwargs, loc);
  const ClassInfo *definer = nullptr;
  if (m.cls)
    if (const FunctionAST *fn = m.cls->findMethod(name, &definer))
      return callUserMethod(*fn, *definer, receiver, args, kwargs, loc);
  if (name == "propagate" && m.cls && m.cls->isMessagePassing())
    return propagate(receiver, args, kwargs, loc);
  if (name == "append" && m.builtin == BuiltinModule::ModuleList)
    return appendModule(receiver, args, kwargs, loc);
  if (name == "forward" && m.builtin != BuiltinModule::None)
    return callModule(receiver, args, kwargs, loc);
  if (name == "reset_parameters" && (m.builtin == BuiltinModule::Linear ||
                                     m.builtin == BuiltinModule::BatchNorm1d))
    return resetParameters(m.typeName, args, kwargs, loc);
  error(loc, "'" + m.typeName + "' has no method '" + name + "'");
  return std::nullopt;
}

/// `m.reset_parameters()` of Linear, BatchNorm1d or the MessagePassing
/// base: initialisation, which the weights file replaces, so nothing.
std::optional<Value>
Interpreter::resetParameters(StringRef typeName, llvm::ArrayRef<Arg> args,
                             llvm::ArrayRef<KeywordArg> kwargs,
                             const Location &loc) {
  if (!bindArguments((typeName + ".reset_parameters()").str(), {},
                     [](size_t) { return std::nullopt; },
                     [](size_t) { return false; }, args, kwargs, loc))
    return std::nullopt;
  return Value::none();
}

std::optional<Value> Interpreter::appendModule(
    const Value &list, llvm::ArrayRef<Arg> args,
    llvm::ArrayRef<KeywordArg> kwargs, const Location &loc) {
  std::optional<std::vector<Arg>> bound = bindArguments(
      "ModuleList.append()", {"module"}, [](size_t) { return std::nullopt; },
      [](size_t) { return false; }, args, kwargs, loc);
  if (!bound)
    return std::nullopt;
  if (isTracing()) {
    error(loc, "a ModuleList can only be changed in __init__");
    return std::nullopt;
  }
  const Arg &module = (*bound)[0];
  if (!module.value.is(Value::Kind::Module)) {
    error(module.loc,
          "ModuleList.append() takes a module, got " + module.value.describe());
    return std::nullopt;
  }
  ModuleObject &m = *list.getModule();
  m.set(std::to_string(m.modules.size()), module.value);
  return list;
}

std::optional<Value> Interpreter::callSuper(const Value &proxy, StringRef name,
                                            llvm::ArrayRef<Arg> args,
                                            llvm::ArrayRef<KeywordArg> kwargs,
                                            const Location &loc) {
  const ClassInfo *definer = proxy.getClass();
  Value self = Value::module(proxy.getModule());
  const ClassInfo *baseDefiner = nullptr;
  if (definer->base)
    if (const FunctionAST *fn = definer->base->findMethod(name, &baseDefiner))
      return callUserMethod(*fn, *baseDefiner, self, args, kwargs, loc);
  if (name == "__init__")
    return initModuleBase(*this, self, definer->root, args, kwargs, loc);
  if (name == "propagate" && definer->isMessagePassing())
    return propagate(self, args, kwargs, loc);
  if (name == "reset_parameters" && definer->isMessagePassing())
    return resetParameters("MessagePassing", args, kwargs, loc);
  error(loc, "the base class of '" + definer->name + "' has no method '" +
                 name + "'");
  return std::nullopt;
}

bool Interpreter::checkParsed(const FunctionAST &fn, const Location &callLoc) {
  const std::optional<UnparsedAST> &unparsed = fn.getUnparsed();
  if (!unparsed)
    return true;
  // Where the model calls it, if that is in a file (forward and message
  // are called by the compiler).
  if (!callLoc.file) {
    error(unparsed->loc, unparsed->message);
    return false;
  }
  error(unparsed->loc, unparsed->message, callLoc,
        "method '" + fn.getName() +
            "' is called here; only the methods the model calls must be in "
            "the model language");
  return false;
}

std::optional<Value>
Interpreter::callUserMethod(const FunctionAST &fn, const ClassInfo &definer,
                            const Value &self, llvm::ArrayRef<Arg> args,
                            llvm::ArrayRef<KeywordArg> kwargs,
                            const Location &loc) {
  if (!checkParsed(fn, loc))
    return std::nullopt;
  llvm::ArrayRef<ParamAST> params = fn.getParams();
  if (params.empty()) {
    error(fn.loc(), "method '" + fn.getName() +
                        "' must take 'self' as its first parameter");
    return std::nullopt;
  }
  std::string what = fn.getName() == "__init__"
                         ? definer.name + "()"
                         : definer.name + "." + fn.getName().str() + "()";
  std::vector<std::string> names;
  for (const ParamAST &p : params.drop_front())
    names.push_back(p.name);
  std::optional<std::vector<Arg>> bound = bindArguments(
      what, names,
      [&](size_t i) { return evalDefault(params[i + 1], definer); },
      [&](size_t i) { return params[i + 1].defaultValue != nullptr; }, args,
      kwargs, loc);
  if (!bound)
    return std::nullopt;
  std::vector<Value> values;
  for (const Arg &arg : *bound)
    values.push_back(arg.value);
  return callBound(fn, definer, self, values, what, loc);
}

std::optional<Value>
Interpreter::callBound(const FunctionAST &fn, const ClassInfo &definer,
                       const Value &self, llvm::ArrayRef<Value> bound,
                       const std::string &what, const Location &callLoc) {
  if (!checkParsed(fn, callLoc))
    return std::nullopt;
  if (callStack.size() >= kMaxCallDepth) {
    error(callLoc, "calls are nested too deeply (more than " +
                       Twine(kMaxCallDepth) + "); does a method call itself?");
    return std::nullopt;
  }
  if (++numCalls > kMaxCalls) {
    error(callLoc, "the model makes more than " + Twine(kMaxCalls) +
                       " calls; is it unrolling a recursion?");
    return std::nullopt;
  }
  llvm::ArrayRef<ParamAST> params = fn.getParams();
  assert(!params.empty() && bound.size() + 1 == params.size());
  Frame frame;
  frame.definer = &definer;
  frame.scope = definer.scope;
  frame.self = self;
  frame.locals[params[0].name] = self;
  for (size_t i = 0; i < bound.size(); ++i)
    frame.locals[params[i + 1].name] =
        bound[i].pairsWithNone() ? Value::graph(bound[i].getOpaque()) : bound[i];

  callStack.push_back({what, callLoc});
  Value result = Value::none();
  Flow flow = execBlock(fn.getBody(), frame, result);
  callStack.pop_back();
  if (flow == Flow::Error)
    return std::nullopt;
  if (flow == Flow::Next)
    lastReturnLoc = fn.loc();
  return result;
}

std::optional<Value> Interpreter::construct(const ClassInfo &cls,
                                            llvm::ArrayRef<Arg> args,
                                            llvm::ArrayRef<KeywordArg> kwargs,
                                            const Location &loc) {
  auto object = std::make_shared<ModuleObject>();
  object->cls = &cls;
  object->typeName = cls.name;
  object->loc = loc;
  Value self = Value::module(object);
  const ClassInfo *definer = nullptr;
  std::optional<Value> result;
  if (const FunctionAST *init = cls.findMethod("__init__", &definer))
    result = callUserMethod(*init, *definer, self, args, kwargs, loc);
  else
    result = initModuleBase(*this, self, cls.root, args, kwargs, loc);
  if (!result)
    return std::nullopt;
  if (!result->isNone()) {
    error(lastReturnLoc,
          "__init__() must return None, not " + result->describe());
    return std::nullopt;
  }
  return self;
}


std::optional<int64_t> Interpreter::getDimension(const Arg &arg,
                                                 StringRef what) {
  if (!arg.value.is(Value::Kind::Int) || arg.value.getInt() <= 0 ||
      arg.value.getInt() > kMaxDimension) {
    error(arg.loc,
          what + " must be a positive integer, got " + arg.value.repr());
    return std::nullopt;
  }
  return arg.value.getInt();
}

std::optional<bool> Interpreter::getBool(const Arg &arg, StringRef what) {
  if (!arg.value.is(Value::Kind::Bool)) {
    error(arg.loc, what + " must be True or False, got " + arg.value.repr());
    return std::nullopt;
  }
  return arg.value.getBool();
}

std::optional<double> Interpreter::getFloat(const Arg &arg, StringRef what) {
  if (!arg.value.isNumber()) {
    error(arg.loc, what + " must be a number, got " + arg.value.repr());
    return std::nullopt;
  }
  return arg.value.getNumber();
}

std::optional<Value>
Interpreter::constructBuiltin(StringRef name, llvm::ArrayRef<Arg> args,
                              llvm::ArrayRef<KeywordArg> kwargs,
                              const Location &loc) {
  const Builtin *cls = Builtins::get().lookupClass(name);
  if (!cls) {
    error(loc, "unknown builtin class '" + name + "'");
    return std::nullopt;
  }
  return callBuiltin(*cls, args, kwargs, loc);
}

std::optional<Value> Interpreter::callModule(const Value &module,
                                             llvm::ArrayRef<Arg> args,
                                             llvm::ArrayRef<KeywordArg> kwargs,
                                             const Location &loc) {
  const ModuleObject &m = *module.getModule();
  if (m.builtin == BuiltinModule::None) {
    const ClassInfo *definer = nullptr;
    const FunctionAST *forward = m.cls->findMethod("forward", &definer);
    if (!forward) {
      error(loc, "'" + m.typeName + "' has no forward() method");
      return std::nullopt;
    }
    return callUserMethod(*forward, *definer, module, args, kwargs, loc);
  }
  if (m.builtin == BuiltinModule::ModuleList) {
    error(loc, "a ModuleList cannot be called; iterate over it (for layer "
               "in self.layers:) or index it");
    return std::nullopt;
  }
  if (m.builtin == BuiltinModule::Sequential) {
    // Each module's output is the next one's input.
    std::optional<std::vector<Arg>> bound = bindArguments(
        "Sequential()", {"input"}, [](size_t) { return std::nullopt; },
        [](size_t) { return false; }, args, kwargs, loc);
    if (!bound)
      return std::nullopt;
    Arg current = (*bound)[0];
    for (const auto &[name, sub] : m.modules) {
      std::optional<Value> out = callModule(sub, {current}, {}, loc);
      if (!out)
        return std::nullopt;
      current = Arg{*out, loc};
    }
    return current.value;
  }

  return applyBuiltinModule(*this, m, args, kwargs, loc);
}

std::optional<Value>
Interpreter::callFunction(StringRef name, llvm::ArrayRef<Arg> args,
                          llvm::ArrayRef<KeywordArg> kwargs,
                          const Location &loc) {
  const Builtin *fn = Builtins::get().lookupFunction(name);
  assert(fn && "callFunction on an unknown builtin");
  return callBuiltin(*fn, args, kwargs, loc);
}

std::optional<Value> Interpreter::callBuiltin(const Builtin &builtin,
                                              llvm::ArrayRef<Arg> args,
                                              llvm::ArrayRef<KeywordArg> kwargs,
                                              const Location &loc) {
  if (!builtin.params)
    return builtin.handler({*this, builtin, args, kwargs, loc});
  const std::vector<BuiltinParam> &params = *builtin.params;
  std::vector<std::string> names;
  for (const BuiltinParam &param : params)
    names.push_back(param.name);
  std::optional<std::vector<Arg>> bound = bindArguments(
      builtin.name + "()", names,
      [&](size_t i) { return params[i].defaultValue; },
      [&](size_t i) { return params[i].defaultValue.has_value(); }, args,
      kwargs, loc);
  if (!bound)
    return std::nullopt;
  return builtin.handler({*this, builtin, *bound, {}, loc});
}

std::optional<Value> Interpreter::callTensorMethod(
    const Arg &receiver, StringRef name, llvm::ArrayRef<Arg> args,
    llvm::ArrayRef<KeywordArg> kwargs, const Location &loc) {
  if (const Builtin *method = Builtins::get().lookupMethod(name)) {
    if (!tensorOps) {
      error(loc, "'" + name + "()' can only be used in forward() and "
                                "message()");
      return std::nullopt;
    }
    std::vector<Arg> all = {receiver};
    all.insert(all.end(), args.begin(), args.end());
    return method->handler({*this, *method, all, kwargs, loc});
  }
  if ((name == "max" || name == "min") &&
      (!args.empty() || !kwargs.empty())) {
    // torch returns (values, indices) here; indices have no place in gnnc.
    error(loc, "x." + name + "(dim) returns values and indices in PyTorch; "
                              "use x.a" + name + "(dim) for the values");
    return std::nullopt;
  }
  if (name.ends_with("_")) {
    // In place: x.relu_().
    const Builtin *fn = Builtins::get().lookupFunction(name.drop_back());
    if (fn && fn->inPlaceMethod) {
      std::vector<Arg> all = {receiver};
      all.insert(all.end(), args.begin(), args.end());
      return callFunction(fn->name, all, kwargs, loc);
    }
  }
  // What PyTorch code does with tensors outside the math (the table in
  // BuiltinsTensor.cpp): placement and bookkeeping are the identity at
  // inference on the CPU; reading values into Python and training have no
  // place in a traced forward.
  if (std::optional<TensorMethodRole> role = tensorMethodRole(name)) {
    switch (*role) {
    case TensorMethodRole::Identity:
      if (args.empty() && kwargs.empty())
        return receiver.value;
      break; // with arguments: no such method, below
    case TensorMethodRole::ReadsValues:
      error(loc, "x." + name + "() reads a tensor's values in Python, but "
                               "gnnc traces forward() once for every graph, "
                               "so values are not known at compile time; "
                               "compute with tensor operations instead");
      return std::nullopt;
    case TensorMethodRole::TrainingOnly:
      error(loc, "x." + name + "() is training-only; gnnc compiles the "
                               "inference path: move it to the training code");
      return std::nullopt;
    case TensorMethodRole::ChangesStorage:
      error(loc, "x." + name + "() changes where or how a tensor is stored; "
                               "gnnc runs float32 on the CPU: remove it");
      return std::nullopt;
    }
  }
  const Builtin *fn = Builtins::get().lookupFunction(name);
  if (!fn || !fn->tensorMethod) {
    error(loc, "tensors have no method '" + name + "' in model files");
    return std::nullopt;
  }
  std::vector<Arg> all = {receiver};
  all.insert(all.end(), args.begin(), args.end());
  return callFunction(name, all, kwargs, loc);
}

std::optional<Value> Interpreter::propagate(const Value &layer,
                                            llvm::ArrayRef<Arg> args,
                                            llvm::ArrayRef<KeywordArg> kwargs,
                                            const Location &loc) {
  if (!tensorOps) {
    error(loc, "propagate() can only be called in forward()");
    return std::nullopt;
  }
  if (args.empty()) {
    error(loc, "propagate() needs the graph (edge_index) as its first "
               "argument");
    return std::nullopt;
  }
  if (args.size() > 1) {
    error(args[1].loc, "propagate() takes the graph as its only positional "
                       "argument; pass tensors by keyword, e.g. x=x");
    return std::nullopt;
  }
  std::vector<KeywordArg> tensors;
  for (const KeywordArg &kw : kwargs) {
    // PyG's `size` describes bipartite graphs; only the default is valid.
    if (kw.name == "size") {
      if (!kw.value.isNone()) {
        error(kw.nameLoc, "propagate(size=...) is not supported yet");
        return std::nullopt;
      }
      continue;
    }
    tensors.push_back(kw);
  }
  return tensorOps->propagate(layer, args[0], tensors, loc);
}

//===----------------------------------------------------------------------===//
// The model
//===----------------------------------------------------------------------===//

/// Parses a --set value: an integer, a float, True, False or None.
static std::optional<Value> parseSetValue(StringRef text) {
  if (text == "True" || text == "False")
    return Value::boolean(text == "True");
  if (text == "None")
    return Value::none();
  int64_t i;
  if (!text.getAsInteger(10, i))
    return Value::integer(i);
  double f;
  // getAsDouble also accepts "inf" and "nan"; those are never meant.
  if (!text.empty() && (llvm::isDigit(text.back()) || text.back() == '.') &&
      !text.getAsDouble(f) && std::isfinite(f))
    return Value::floating(f);
  return std::nullopt;
}

std::optional<ElaboratedModel> Interpreter::elaborateModel(
    const ClassInfo &cls,
    llvm::ArrayRef<std::pair<std::string, std::string>> overrides,
    llvm::ArrayRef<std::pair<std::string, Value>> inferred, bool placeholders) {
  // Each elaboration (inference may run several) gets the whole budget.
  numCalls = 0;
  numIterations = 0;
  placeholdersGiven.clear();
  const ClassInfo *definer = nullptr;
  const FunctionAST *init = cls.findMethod("__init__", &definer);
  llvm::ArrayRef<ParamAST> params;
  if (init && !init->getParams().empty())
    params = init->getParams().drop_front();
  const Location &initLoc = init ? init->loc() : cls.ast->loc();

  // Later --set options of the same name win, as with most tools.
  std::vector<KeywordArg> kwargs;
  for (const auto &[name, text] : overrides) {
    const ParamAST *param = llvm::find_if(
        params, [&](const ParamAST &p) { return p.name == name; });
    if (param == params.end()) {
      error(initLoc, "'" + cls.name + "' has no constructor argument '" + name +
                         "' (from --set " + name + "=" + text + ")");
      return std::nullopt;
    }
    std::optional<Value> value = parseSetValue(text);
    if (!value) {
      error(param->loc, "invalid value '" + text + "' for --set " + name +
                            ": expected an integer, a float, True, False or "
                            "None");
      return std::nullopt;
    }
    llvm::erase_if(kwargs,
                   [&](const KeywordArg &kw) { return kw.name == name; });
    kwargs.push_back({name, *value, param->loc, param->loc});
  }

  ElaboratedModel result;
  for (const ParamAST &param : params) {
    auto set = llvm::find_if(
        kwargs, [&](const KeywordArg &kw) { return kw.name == param.name; });
    if (set != kwargs.end()) {
      result.arguments.emplace_back(param.name, set->value);
      result.given.push_back(true);
      continue;
    }
    result.given.push_back(false);
    auto guess = llvm::find_if(
        inferred, [&](const auto &arg) { return arg.first == param.name; });
    if (guess != inferred.end()) {
      result.arguments.emplace_back(param.name, guess->second);
      continue;
    }
    if (!param.defaultValue && placeholders) {
      placeholdersGiven.emplace_back(param.name, param.loc);
      result.arguments.emplace_back(param.name, Value::integer(kPlaceholder));
      continue;
    }
    if (!param.defaultValue) {
      error(param.loc, "constructor argument '" + param.name + "' of '" +
                           cls.name + "' has no default; pass --set " +
                           param.name + "=VALUE");
      return std::nullopt;
    }
    std::optional<Value> def = evalDefault(param, *definer);
    if (!def)
      return std::nullopt;
    result.arguments.emplace_back(param.name, *def);
  }

  // Every argument is passed by keyword; each integer carries its origin,
  // so the parameters' dimensions say which argument they came from.
  kwargs.clear();
  for (auto [i, arg] : llvm::enumerate(result.arguments)) {
    if (arg.second.is(Value::Kind::Int))
      arg.second = Value::integer(arg.second.getInt(), IntOrigin{unsigned(i)});
    kwargs.push_back({arg.first, arg.second, params[i].loc, params[i].loc});
  }
  std::optional<Value> model = construct(cls, {}, kwargs, Location{});
  if (!model)
    return std::nullopt;
  result.model = *model;
  return result;
}

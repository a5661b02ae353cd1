//===- AST.h - Syntax tree of the gnnc model language -----------*- C++ -*-===//
//
// The tree the parser builds from a model file: a module of imports and
// classes, classes of methods, methods of statements and expressions. Every
// node carries the Location it came from, for diagnostics and for the
// FileLineColLoc of the IR generated from it.
//
//===----------------------------------------------------------------------===//

#ifndef GNN_FRONTEND_AST_H
#define GNN_FRONTEND_AST_H

#include "frontend/Diagnostics.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Casting.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gnn {
namespace frontend {

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

/// Base class of all expressions; dispatch with llvm::isa / dyn_cast.
class ExprAST {
public:
  enum ExprKind {
    Expr_Name,
    Expr_Int,
    Expr_Float,
    Expr_String,
    Expr_Bool,
    Expr_None,
    Expr_Tuple,
    Expr_List,
    Expr_Comprehension,
    Expr_Unary,
    Expr_Binary,
    Expr_IfExp,
    Expr_Call,
    Expr_Attribute,
    Expr_Subscript,
    Expr_Slice,
  };

  ExprAST(ExprKind kind, Location location)
      : kind(kind), location(std::move(location)) {}
  virtual ~ExprAST() = default;

  ExprKind getKind() const { return kind; }
  const Location &loc() const { return location; }

private:
  const ExprKind kind;
  Location location;
};

using ExprPtr = std::unique_ptr<ExprAST>;
using ExprList = std::vector<ExprPtr>;

/// A name: a local variable, a parameter, `self`, or a builtin like `relu`.
class NameExprAST : public ExprAST {
public:
  NameExprAST(Location loc, llvm::StringRef name)
      : ExprAST(Expr_Name, std::move(loc)), name(name.str()) {}
  llvm::StringRef getName() const { return name; }
  static bool classof(const ExprAST *e) { return e->getKind() == Expr_Name; }

private:
  std::string name;
};

class IntExprAST : public ExprAST {
public:
  IntExprAST(Location loc, int64_t value)
      : ExprAST(Expr_Int, std::move(loc)), value(value) {}
  int64_t getValue() const { return value; }
  static bool classof(const ExprAST *e) { return e->getKind() == Expr_Int; }

private:
  int64_t value;
};

class FloatExprAST : public ExprAST {
public:
  FloatExprAST(Location loc, double value)
      : ExprAST(Expr_Float, std::move(loc)), value(value) {}
  double getValue() const { return value; }
  static bool classof(const ExprAST *e) { return e->getKind() == Expr_Float; }

private:
  double value;
};

/// A string literal, escapes decoded and adjacent literals joined.
class StringExprAST : public ExprAST {
public:
  StringExprAST(Location loc, std::string value)
      : ExprAST(Expr_String, std::move(loc)), value(std::move(value)) {}
  llvm::StringRef getValue() const { return value; }
  static bool classof(const ExprAST *e) { return e->getKind() == Expr_String; }

private:
  std::string value;
};

/// `True` or `False`.
class BoolExprAST : public ExprAST {
public:
  BoolExprAST(Location loc, bool value)
      : ExprAST(Expr_Bool, std::move(loc)), value(value) {}
  bool getValue() const { return value; }
  static bool classof(const ExprAST *e) { return e->getKind() == Expr_Bool; }

private:
  bool value;
};

class NoneExprAST : public ExprAST {
public:
  explicit NoneExprAST(Location loc) : ExprAST(Expr_None, std::move(loc)) {}
  static bool classof(const ExprAST *e) { return e->getKind() == Expr_None; }
};

/// `(a, b)`, `a, b` or `()`.
class TupleExprAST : public ExprAST {
public:
  TupleExprAST(Location loc, ExprList elements)
      : ExprAST(Expr_Tuple, std::move(loc)), elements(std::move(elements)) {}
  llvm::ArrayRef<ExprPtr> getElements() const { return elements; }
  /// Moves the elements out, for the parser to regroup them.
  ExprList takeElements() { return std::move(elements); }
  static bool classof(const ExprAST *e) { return e->getKind() == Expr_Tuple; }

private:
  ExprList elements;
};

/// `[a, b]`.
class ListExprAST : public ExprAST {
public:
  ListExprAST(Location loc, ExprList elements)
      : ExprAST(Expr_List, std::move(loc)), elements(std::move(elements)) {}
  llvm::ArrayRef<ExprPtr> getElements() const { return elements; }
  static bool classof(const ExprAST *e) { return e->getKind() == Expr_List; }

private:
  ExprList elements;
};

/// `[element for target in iter if condition ...]`, and a generator
/// expression `(element for ...)`, which gnnc evaluates the same way, into
/// a list: at compile time, as a `for` statement runs, with the target
/// local to the comprehension (Python 3).
class ComprehensionExprAST : public ExprAST {
public:
  ComprehensionExprAST(Location loc, ExprPtr element, ExprPtr target,
                       ExprPtr iter, ExprList conditions)
      : ExprAST(Expr_Comprehension, std::move(loc)),
        element(std::move(element)), target(std::move(target)),
        iter(std::move(iter)), conditions(std::move(conditions)) {}
  const ExprAST *getElement() const { return element.get(); }
  const ExprAST *getTarget() const { return target.get(); }
  const ExprAST *getIter() const { return iter.get(); }
  llvm::ArrayRef<ExprPtr> getConditions() const { return conditions; }
  static bool classof(const ExprAST *e) {
    return e->getKind() == Expr_Comprehension;
  }

private:
  ExprPtr element, target, iter;
  ExprList conditions;
};

enum class UnaryOp { Neg, Pos, Not };
llvm::StringRef getUnaryOpSpelling(UnaryOp op);

class UnaryExprAST : public ExprAST {
public:
  UnaryExprAST(Location loc, UnaryOp op, ExprPtr operand)
      : ExprAST(Expr_Unary, std::move(loc)), op(op),
        operand(std::move(operand)) {}
  UnaryOp getOp() const { return op; }
  const ExprAST *getOperand() const { return operand.get(); }
  static bool classof(const ExprAST *e) { return e->getKind() == Expr_Unary; }

private:
  UnaryOp op;
  ExprPtr operand;
};

/// Arithmetic, boolean (`and`/`or`, short-circuiting) and comparison
/// operators. Comparisons do not chain: `a < b < c` is rejected.
enum class BinaryOp {
  Add,
  Sub,
  Mul,
  Div,
  FloorDiv,
  Mod,
  Pow,
  And,
  Or,
  Eq,
  NotEq,
  Less,
  LessEq,
  Greater,
  GreaterEq,
  Is,
  IsNot,
  In,
  NotIn,
};
llvm::StringRef getBinaryOpSpelling(BinaryOp op);
inline bool isComparison(BinaryOp op) { return op >= BinaryOp::Eq; }
inline bool isLogical(BinaryOp op) {
  return op == BinaryOp::And || op == BinaryOp::Or;
}

class BinaryExprAST : public ExprAST {
public:
  BinaryExprAST(Location loc, BinaryOp op, ExprPtr lhs, ExprPtr rhs)
      : ExprAST(Expr_Binary, std::move(loc)), op(op), lhs(std::move(lhs)),
        rhs(std::move(rhs)) {}
  BinaryOp getOp() const { return op; }
  const ExprAST *getLHS() const { return lhs.get(); }
  const ExprAST *getRHS() const { return rhs.get(); }
  static bool classof(const ExprAST *e) { return e->getKind() == Expr_Binary; }

private:
  BinaryOp op;
  ExprPtr lhs, rhs;
};

/// The conditional expression `body if test else orelse`.
class IfExpAST : public ExprAST {
public:
  IfExpAST(Location loc, ExprPtr test, ExprPtr body, ExprPtr orelse)
      : ExprAST(Expr_IfExp, std::move(loc)), test(std::move(test)),
        body(std::move(body)), orelse(std::move(orelse)) {}
  const ExprAST *getTest() const { return test.get(); }
  const ExprAST *getBody() const { return body.get(); }
  const ExprAST *getOrElse() const { return orelse.get(); }
  static bool classof(const ExprAST *e) { return e->getKind() == Expr_IfExp; }

private:
  ExprPtr test, body, orelse;
};

/// `name=value` in a call.
struct KeywordArgAST {
  Location loc;
  std::string name;
  ExprPtr value;
};

/// `callee(args..., name=value...)`; keywords follow all positional
/// arguments and are unique (the parser checks both).
class CallExprAST : public ExprAST {
public:
  CallExprAST(Location loc, ExprPtr callee, ExprList args,
              std::vector<KeywordArgAST> keywords)
      : ExprAST(Expr_Call, std::move(loc)), callee(std::move(callee)),
        args(std::move(args)), keywords(std::move(keywords)) {}
  const ExprAST *getCallee() const { return callee.get(); }
  llvm::ArrayRef<ExprPtr> getArgs() const { return args; }
  llvm::ArrayRef<KeywordArgAST> getKeywords() const { return keywords; }
  /// Returns the keyword argument called `name`, or null.
  const KeywordArgAST *getKeyword(llvm::StringRef name) const;
  static bool classof(const ExprAST *e) { return e->getKind() == Expr_Call; }

private:
  ExprPtr callee;
  ExprList args;
  std::vector<KeywordArgAST> keywords;
};

/// `value.attr`; the location is that of the attribute name.
class AttributeExprAST : public ExprAST {
public:
  AttributeExprAST(Location loc, ExprPtr value, llvm::StringRef attr)
      : ExprAST(Expr_Attribute, std::move(loc)), value(std::move(value)),
        attr(attr.str()) {}
  const ExprAST *getValue() const { return value.get(); }
  llvm::StringRef getAttr() const { return attr; }
  static bool classof(const ExprAST *e) {
    return e->getKind() == Expr_Attribute;
  }

private:
  ExprPtr value;
  std::string attr;
};

/// `value[i]`, `value[:, 0]`: one index per comma-separated item, each an
/// expression or a SliceExprAST.
class SubscriptExprAST : public ExprAST {
public:
  SubscriptExprAST(Location loc, ExprPtr value, ExprList indices)
      : ExprAST(Expr_Subscript, std::move(loc)), value(std::move(value)),
        indices(std::move(indices)) {}
  const ExprAST *getValue() const { return value.get(); }
  llvm::ArrayRef<ExprPtr> getIndices() const { return indices; }
  static bool classof(const ExprAST *e) {
    return e->getKind() == Expr_Subscript;
  }

private:
  ExprPtr value;
  ExprList indices;
};

/// `lower:upper:step` inside a subscript; each part may be absent (null).
class SliceExprAST : public ExprAST {
public:
  SliceExprAST(Location loc, ExprPtr lower, ExprPtr upper, ExprPtr step)
      : ExprAST(Expr_Slice, std::move(loc)), lower(std::move(lower)),
        upper(std::move(upper)), step(std::move(step)) {}
  const ExprAST *getLower() const { return lower.get(); }
  const ExprAST *getUpper() const { return upper.get(); }
  const ExprAST *getStep() const { return step.get(); }
  static bool classof(const ExprAST *e) { return e->getKind() == Expr_Slice; }

private:
  ExprPtr lower, upper, step;
};

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

class StmtAST {
public:
  enum StmtKind {
    Stmt_Expr,
    Stmt_Assign,
    Stmt_AugAssign,
    Stmt_Return,
    Stmt_If,
    Stmt_For,
    Stmt_Pass,
    Stmt_Raise,
  };

  StmtAST(StmtKind kind, Location location)
      : kind(kind), location(std::move(location)) {}
  virtual ~StmtAST() = default;

  StmtKind getKind() const { return kind; }
  const Location &loc() const { return location; }

private:
  const StmtKind kind;
  Location location;
};

using StmtPtr = std::unique_ptr<StmtAST>;
using StmtList = std::vector<StmtPtr>;

/// An expression evaluated for its effect, e.g. `super().__init__(...)`.
/// String-only statements (docstrings) are dropped by the parser.
class ExprStmtAST : public StmtAST {
public:
  ExprStmtAST(Location loc, ExprPtr expr)
      : StmtAST(Stmt_Expr, std::move(loc)), expr(std::move(expr)) {}
  const ExprAST *getExpr() const { return expr.get(); }
  static bool classof(const StmtAST *s) { return s->getKind() == Stmt_Expr; }

private:
  ExprPtr expr;
};

/// `target = value`. The target is a NameExprAST, an AttributeExprAST on
/// `self`, or a TupleExprAST of NameExprAST (the parser checks).
class AssignStmtAST : public StmtAST {
public:
  AssignStmtAST(Location loc, ExprPtr target, ExprPtr value)
      : StmtAST(Stmt_Assign, std::move(loc)), target(std::move(target)),
        value(std::move(value)) {}
  const ExprAST *getTarget() const { return target.get(); }
  const ExprAST *getValue() const { return value.get(); }
  static bool classof(const StmtAST *s) { return s->getKind() == Stmt_Assign; }

private:
  ExprPtr target, value;
};

/// `target OP= value` with an arithmetic OP; the target is a name or an
/// attribute on `self`.
class AugAssignStmtAST : public StmtAST {
public:
  AugAssignStmtAST(Location loc, BinaryOp op, ExprPtr target, ExprPtr value)
      : StmtAST(Stmt_AugAssign, std::move(loc)), op(op),
        target(std::move(target)), value(std::move(value)) {}
  BinaryOp getOp() const { return op; }
  const ExprAST *getTarget() const { return target.get(); }
  const ExprAST *getValue() const { return value.get(); }
  static bool classof(const StmtAST *s) {
    return s->getKind() == Stmt_AugAssign;
  }

private:
  BinaryOp op;
  ExprPtr target, value;
};

/// `return` or `return value` (a tuple for `return a, b`).
class ReturnStmtAST : public StmtAST {
public:
  ReturnStmtAST(Location loc, ExprPtr value)
      : StmtAST(Stmt_Return, std::move(loc)), value(std::move(value)) {}
  /// Null for a bare `return`.
  const ExprAST *getValue() const { return value.get(); }
  static bool classof(const StmtAST *s) { return s->getKind() == Stmt_Return; }

private:
  ExprPtr value;
};

/// `if test: then else: orelse`. An `elif` is an IfStmtAST (marked isElif)
/// as the only statement of the enclosing else branch.
class IfStmtAST : public StmtAST {
public:
  IfStmtAST(Location loc, ExprPtr test, StmtList thenBody, StmtList elseBody,
            bool isElif)
      : StmtAST(Stmt_If, std::move(loc)), test(std::move(test)),
        thenBody(std::move(thenBody)), elseBody(std::move(elseBody)),
        elif (isElif) {}
  const ExprAST *getTest() const { return test.get(); }
  llvm::ArrayRef<StmtPtr> getThen() const { return thenBody; }
  llvm::ArrayRef<StmtPtr> getElse() const { return elseBody; }
  bool isElif() const { return elif; }
  static bool classof(const StmtAST *s) { return s->getKind() == Stmt_If; }

private:
  ExprPtr test;
  StmtList thenBody, elseBody;
  bool elif;
};

/// `for target in iter: body`: a compile-time loop over a list, tuple,
/// range() or ModuleList, unrolled as it runs. `target` is a name or a
/// tuple of names.
class ForStmtAST : public StmtAST {
public:
  ForStmtAST(Location loc, ExprPtr target, ExprPtr iter, StmtList body)
      : StmtAST(Stmt_For, std::move(loc)), target(std::move(target)),
        iter(std::move(iter)), body(std::move(body)) {}
  const ExprAST *getTarget() const { return target.get(); }
  const ExprAST *getIter() const { return iter.get(); }
  llvm::ArrayRef<StmtPtr> getBody() const { return body; }
  static bool classof(const StmtAST *s) { return s->getKind() == Stmt_For; }

private:
  ExprPtr target, iter;
  StmtList body;
};

class PassStmtAST : public StmtAST {
public:
  explicit PassStmtAST(Location loc) : StmtAST(Stmt_Pass, std::move(loc)) {}
  static bool classof(const StmtAST *s) { return s->getKind() == Stmt_Pass; }
};

/// `raise Error("message")`: reached at compile time, it is a compile
/// error with that message (how a layer refuses an argument, as PyG's
/// constructors raise ValueError).
class RaiseStmtAST : public StmtAST {
public:
  RaiseStmtAST(Location loc, ExprPtr exception)
      : StmtAST(Stmt_Raise, std::move(loc)), exception(std::move(exception)) {}
  /// Null for a bare `raise`.
  const ExprAST *getException() const { return exception.get(); }
  static bool classof(const StmtAST *s) { return s->getKind() == Stmt_Raise; }

private:
  ExprPtr exception;
};

//===----------------------------------------------------------------------===//
// Definitions
//===----------------------------------------------------------------------===//

/// A method parameter, `name` or `name=default`.
struct ParamAST {
  Location loc;
  std::string name;
  /// Null when the parameter has no default.
  ExprPtr defaultValue;
};

/// `def name(params): body`, a method of a class.
/// Why a method was not parsed, and where: a method outside the model
/// language (a decorated `inference()`, a training helper) is accepted as
/// long as the model never calls it, and this is reported if it does.
struct UnparsedAST {
  Location loc;
  std::string message;
};

class FunctionAST {
public:
  FunctionAST(Location loc, llvm::StringRef name, std::vector<ParamAST> params,
              std::string docstring, StmtList body)
      : location(std::move(loc)), name(name.str()), params(std::move(params)),
        docstring(std::move(docstring)), body(std::move(body)) {}
  /// A method that could not be parsed: `params` are those parsed (at least
  /// `self`), the body is empty.
  FunctionAST(Location loc, llvm::StringRef name, std::vector<ParamAST> params,
              UnparsedAST why)
      : location(std::move(loc)), name(name.str()), params(std::move(params)),
        unparsed(std::move(why)) {}
  const Location &loc() const { return location; }
  llvm::StringRef getName() const { return name; }
  llvm::ArrayRef<ParamAST> getParams() const { return params; }
  llvm::StringRef getDocstring() const { return docstring; }
  llvm::ArrayRef<StmtPtr> getBody() const { return body; }
  /// Set when the method is outside the model language: calling it is an
  /// error, reported with this.
  const std::optional<UnparsedAST> &getUnparsed() const { return unparsed; }

private:
  Location location;
  std::string name;
  std::vector<ParamAST> params;
  std::string docstring;
  StmtList body;
  std::optional<UnparsedAST> unparsed;
};

/// `class Name(Base): methods`. Method names are unique (the parser checks).
class ClassAST {
public:
  ClassAST(Location loc, llvm::StringRef name, llvm::StringRef base,
           Location baseLoc, std::string docstring,
           std::vector<std::unique_ptr<FunctionAST>> methods)
      : location(std::move(loc)), name(name.str()), base(base.str()),
        baseLocation(std::move(baseLoc)), docstring(std::move(docstring)),
        methods(std::move(methods)) {}
  const Location &loc() const { return location; }
  llvm::StringRef getName() const { return name; }
  /// The base class as written (`MessagePassing`, `a.B`); empty if none.
  llvm::StringRef getBase() const { return base; }
  const Location &getBaseLoc() const { return baseLocation; }
  llvm::StringRef getDocstring() const { return docstring; }
  llvm::ArrayRef<std::unique_ptr<FunctionAST>> getMethods() const {
    return methods;
  }
  /// Returns the method called `name`, or null.
  const FunctionAST *getMethod(llvm::StringRef name) const;

private:
  Location location;
  std::string name;
  std::string base;
  Location baseLocation;
  std::string docstring;
  std::vector<std::unique_ptr<FunctionAST>> methods;
};

/// One name of a from-import, or the module of an `import`.
struct ImportedNameAST {
  Location loc;
  std::string name;
  /// The name it is bound to: `as` NAME, else `name` (for `import a.b`,
  /// "a", as in Python).
  std::string boundName;
};

/// `from a.b import X, Y as Z`, or `import a.b [as c]` (no names; the
/// module is bound).
class ImportAST {
public:
  ImportAST(Location loc, llvm::StringRef module,
            std::vector<ImportedNameAST> names, bool plain = false)
      : location(std::move(loc)), module(module.str()), names(std::move(names)),
        plain(plain) {}
  const Location &loc() const { return location; }
  /// The dotted module path, e.g. "gnn.nn".
  llvm::StringRef getModule() const { return module; }
  /// For `import a.b [as c]`, one name: the module's.
  llvm::ArrayRef<ImportedNameAST> getNames() const { return names; }
  /// `import a.b` rather than `from a.b import ...`.
  bool isPlain() const { return plain; }

private:
  Location location;
  std::string module;
  std::vector<ImportedNameAST> names;
  bool plain;
};

/// A whole model file.
/// A name bound at the top level of a file by code the compiler does not
/// run (`dataset = Planetoid(...)`, `def train():`): model code that reads
/// it gets an error naming where it was bound.
struct UnrunNameAST {
  Location loc;
  std::string name;
  /// "function" for a top-level def, else "module-level code".
  std::string what;
};

class ModuleAST {
public:
  ModuleAST(Location loc, std::string docstring,
            std::vector<std::unique_ptr<ImportAST>> imports,
            std::vector<std::unique_ptr<ClassAST>> classes,
            std::vector<std::unique_ptr<AssignStmtAST>> constants = {},
            std::vector<UnrunNameAST> unrun = {})
      : location(std::move(loc)), docstring(std::move(docstring)),
        imports(std::move(imports)), classes(std::move(classes)),
        constants(std::move(constants)), unrun(std::move(unrun)) {}
  /// Top-level `NAME = literal` assignments (a number, string, bool, None
  /// or a tuple of them), in source order: the constants model code reads.
  llvm::ArrayRef<std::unique_ptr<AssignStmtAST>> getConstants() const {
    return constants;
  }
  llvm::ArrayRef<UnrunNameAST> getUnrunNames() const { return unrun; }
  const Location &loc() const { return location; }
  llvm::StringRef getDocstring() const { return docstring; }
  llvm::ArrayRef<std::unique_ptr<ImportAST>> getImports() const {
    return imports;
  }
  /// Classes in source order; names are unique (the parser checks).
  llvm::ArrayRef<std::unique_ptr<ClassAST>> getClasses() const {
    return classes;
  }
  /// Returns the class called `name`, or null.
  const ClassAST *getClass(llvm::StringRef name) const;

private:
  Location location;
  std::string docstring;
  std::vector<std::unique_ptr<ImportAST>> imports;
  std::vector<std::unique_ptr<ClassAST>> classes;
  std::vector<std::unique_ptr<AssignStmtAST>> constants;
  std::vector<UnrunNameAST> unrun;
};

/// Prints the tree, one node per line, indented by depth, each with its
/// `@file:line:col` (file without directories, so dumps are stable).
void dump(const ModuleAST &module, llvm::raw_ostream &os);
void dump(const ExprAST &expr, llvm::raw_ostream &os);
void dump(const StmtAST &stmt, llvm::raw_ostream &os);

} // namespace frontend
} // namespace gnn

#endif // GNN_FRONTEND_AST_H

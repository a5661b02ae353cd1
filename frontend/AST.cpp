//===- AST.cpp - Syntax tree of the gnnc model language -------------------===//
//
// Lookups on the tree, and the indented dump printed by `gnnc --emit=ast`.
//
//===----------------------------------------------------------------------===//

#include "frontend/AST.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

#include <cstdio>
#include <cstdlib>

using namespace gnn::frontend;

llvm::StringRef gnn::frontend::getUnaryOpSpelling(UnaryOp op) {
  switch (op) {
  case UnaryOp::Neg:
    return "-";
  case UnaryOp::Pos:
    return "+";
  case UnaryOp::Not:
    return "not";
  }
  return "?";
}

llvm::StringRef gnn::frontend::getBinaryOpSpelling(BinaryOp op) {
  switch (op) {
  case BinaryOp::Add:
    return "+";
  case BinaryOp::Sub:
    return "-";
  case BinaryOp::Mul:
    return "*";
  case BinaryOp::Div:
    return "/";
  case BinaryOp::FloorDiv:
    return "//";
  case BinaryOp::Mod:
    return "%";
  case BinaryOp::Pow:
    return "**";
  case BinaryOp::And:
    return "and";
  case BinaryOp::Or:
    return "or";
  case BinaryOp::Eq:
    return "==";
  case BinaryOp::NotEq:
    return "!=";
  case BinaryOp::Less:
    return "<";
  case BinaryOp::LessEq:
    return "<=";
  case BinaryOp::Greater:
    return ">";
  case BinaryOp::GreaterEq:
    return ">=";
  case BinaryOp::Is:
    return "is";
  case BinaryOp::IsNot:
    return "is not";
  case BinaryOp::In:
    return "in";
  case BinaryOp::NotIn:
    return "not in";
  }
  return "?";
}

const KeywordArgAST *CallExprAST::getKeyword(llvm::StringRef name) const {
  for (const KeywordArgAST &keyword : keywords)
    if (keyword.name == name)
      return &keyword;
  return nullptr;
}

const FunctionAST *ClassAST::getMethod(llvm::StringRef name) const {
  for (const auto &method : methods)
    if (method->getName() == name)
      return method.get();
  return nullptr;
}

const ClassAST *ModuleAST::getClass(llvm::StringRef name) const {
  for (const auto &cls : classes)
    if (cls->getName() == name)
      return cls.get();
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Dump
//===----------------------------------------------------------------------===//

namespace {

/// Prints a node per line. A child that plays a named role in its parent
/// (a call's callee, an if's test) is prefixed with that role, so the dump
/// reads unambiguously without a line per field.
class Dumper {
public:
  explicit Dumper(llvm::raw_ostream &os) : os(os) {}

  void dumpModule(const ModuleAST &module);
  void dumpExpr(const ExprAST *expr, llvm::StringRef role = "");
  void dumpStmt(const StmtAST *stmt);

private:
  void dumpClass(const ClassAST &cls);
  void dumpFunction(const FunctionAST &function);
  void dumpBody(llvm::ArrayRef<StmtPtr> body);
  void dumpDocstring(llvm::StringRef docstring);

  /// Starts a line at the current depth, with the role prefix if any.
  llvm::raw_ostream &line(llvm::StringRef role = "") {
    os.indent(depth * 2);
    if (!role.empty())
      os << role << ": ";
    return os;
  }
  void printLoc(const Location &loc) {
    llvm::StringRef file =
        loc.file ? llvm::sys::path::filename(*loc.file) : "<unknown>";
    os << " @" << file << ':' << loc.line << ':' << loc.col << '\n';
  }
  void printString(llvm::StringRef value) {
    os << '"';
    llvm::printEscapedString(value, os);
    os << '"';
  }

  /// Raises the depth for the children of the node just printed.
  struct Nest {
    Dumper &dumper;
    explicit Nest(Dumper &dumper) : dumper(dumper) { ++dumper.depth; }
    ~Nest() { --dumper.depth; }
  };

  llvm::raw_ostream &os;
  int depth = 0;
};

} // namespace

/// The shortest decimal spelling that reads back as the same double, always
/// with a '.' or an exponent so it reads as a float.
static std::string formatFloat(double value) {
  char buffer[64];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof(buffer), "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value)
      break;
  }
  std::string text = buffer;
  if (text.find_first_of(".eEn") == std::string::npos)
    text += ".0";
  return text;
}

void Dumper::dumpExpr(const ExprAST *expr, llvm::StringRef role) {
  llvm::raw_ostream &out = line(role);
  switch (expr->getKind()) {
  case ExprAST::Expr_Name:
    out << "Name " << llvm::cast<NameExprAST>(expr)->getName();
    printLoc(expr->loc());
    return;
  case ExprAST::Expr_Int:
    out << "Int " << llvm::cast<IntExprAST>(expr)->getValue();
    printLoc(expr->loc());
    return;
  case ExprAST::Expr_Float:
    out << "Float " << formatFloat(llvm::cast<FloatExprAST>(expr)->getValue());
    printLoc(expr->loc());
    return;
  case ExprAST::Expr_String:
    out << "String ";
    printString(llvm::cast<StringExprAST>(expr)->getValue());
    printLoc(expr->loc());
    return;
  case ExprAST::Expr_Bool:
    out << "Bool "
        << (llvm::cast<BoolExprAST>(expr)->getValue() ? "True" : "False");
    printLoc(expr->loc());
    return;
  case ExprAST::Expr_None:
    out << "None";
    printLoc(expr->loc());
    return;
  case ExprAST::Expr_Tuple:
  case ExprAST::Expr_List: {
    bool isTuple = llvm::isa<TupleExprAST>(expr);
    out << (isTuple ? "Tuple" : "List");
    printLoc(expr->loc());
    Nest nest(*this);
    llvm::ArrayRef<ExprPtr> elements =
        isTuple ? llvm::cast<TupleExprAST>(expr)->getElements()
                : llvm::cast<ListExprAST>(expr)->getElements();
    for (const ExprPtr &element : elements)
      dumpExpr(element.get());
    return;
  }
  case ExprAST::Expr_Comprehension: {
    auto *comprehension = llvm::cast<ComprehensionExprAST>(expr);
    out << "Comprehension";
    printLoc(expr->loc());
    Nest nest(*this);
    dumpExpr(comprehension->getElement(), "element");
    dumpExpr(comprehension->getTarget(), "target");
    dumpExpr(comprehension->getIter(), "iter");
    for (const ExprPtr &condition : comprehension->getConditions())
      dumpExpr(condition.get(), "if");
    return;
  }
  case ExprAST::Expr_Unary: {
    auto *unary = llvm::cast<UnaryExprAST>(expr);
    out << "UnaryOp " << getUnaryOpSpelling(unary->getOp());
    printLoc(expr->loc());
    Nest nest(*this);
    dumpExpr(unary->getOperand());
    return;
  }
  case ExprAST::Expr_Binary: {
    auto *binary = llvm::cast<BinaryExprAST>(expr);
    out << "BinaryOp " << getBinaryOpSpelling(binary->getOp());
    printLoc(expr->loc());
    Nest nest(*this);
    dumpExpr(binary->getLHS());
    dumpExpr(binary->getRHS());
    return;
  }
  case ExprAST::Expr_IfExp: {
    auto *ifExp = llvm::cast<IfExpAST>(expr);
    out << "IfExp";
    printLoc(expr->loc());
    Nest nest(*this);
    dumpExpr(ifExp->getTest(), "test");
    dumpExpr(ifExp->getBody(), "body");
    dumpExpr(ifExp->getOrElse(), "orelse");
    return;
  }
  case ExprAST::Expr_Call: {
    auto *call = llvm::cast<CallExprAST>(expr);
    out << "Call";
    printLoc(expr->loc());
    Nest nest(*this);
    dumpExpr(call->getCallee(), "callee");
    for (const ExprPtr &arg : call->getArgs())
      dumpExpr(arg.get());
    for (const KeywordArgAST &keyword : call->getKeywords())
      dumpExpr(keyword.value.get(), "keyword " + keyword.name);
    return;
  }
  case ExprAST::Expr_Attribute: {
    auto *attribute = llvm::cast<AttributeExprAST>(expr);
    out << "Attribute " << attribute->getAttr();
    printLoc(expr->loc());
    Nest nest(*this);
    dumpExpr(attribute->getValue());
    return;
  }
  case ExprAST::Expr_Subscript: {
    auto *subscript = llvm::cast<SubscriptExprAST>(expr);
    out << "Subscript";
    printLoc(expr->loc());
    Nest nest(*this);
    dumpExpr(subscript->getValue(), "value");
    for (const ExprPtr &index : subscript->getIndices())
      dumpExpr(index.get(), "index");
    return;
  }
  case ExprAST::Expr_Slice: {
    auto *slice = llvm::cast<SliceExprAST>(expr);
    out << "Slice";
    printLoc(expr->loc());
    Nest nest(*this);
    if (slice->getLower())
      dumpExpr(slice->getLower(), "lower");
    if (slice->getUpper())
      dumpExpr(slice->getUpper(), "upper");
    if (slice->getStep())
      dumpExpr(slice->getStep(), "step");
    return;
  }
  }
}

void Dumper::dumpBody(llvm::ArrayRef<StmtPtr> body) {
  for (const StmtPtr &stmt : body)
    dumpStmt(stmt.get());
}

void Dumper::dumpStmt(const StmtAST *stmt) {
  llvm::raw_ostream &out = line();
  switch (stmt->getKind()) {
  case StmtAST::Stmt_Expr:
    out << "ExprStmt";
    printLoc(stmt->loc());
    {
      Nest nest(*this);
      dumpExpr(llvm::cast<ExprStmtAST>(stmt)->getExpr());
    }
    return;
  case StmtAST::Stmt_Assign: {
    auto *assign = llvm::cast<AssignStmtAST>(stmt);
    out << "Assign";
    printLoc(stmt->loc());
    Nest nest(*this);
    dumpExpr(assign->getTarget(), "target");
    dumpExpr(assign->getValue(), "value");
    return;
  }
  case StmtAST::Stmt_AugAssign: {
    auto *assign = llvm::cast<AugAssignStmtAST>(stmt);
    out << "AugAssign " << getBinaryOpSpelling(assign->getOp()) << '=';
    printLoc(stmt->loc());
    Nest nest(*this);
    dumpExpr(assign->getTarget(), "target");
    dumpExpr(assign->getValue(), "value");
    return;
  }
  case StmtAST::Stmt_Return: {
    auto *ret = llvm::cast<ReturnStmtAST>(stmt);
    out << "Return";
    printLoc(stmt->loc());
    if (ret->getValue()) {
      Nest nest(*this);
      dumpExpr(ret->getValue());
    }
    return;
  }
  case StmtAST::Stmt_If: {
    auto *ifStmt = llvm::cast<IfStmtAST>(stmt);
    out << (ifStmt->isElif() ? "Elif" : "If");
    printLoc(stmt->loc());
    Nest nest(*this);
    dumpExpr(ifStmt->getTest(), "test");
    line() << "Then\n";
    {
      Nest thenNest(*this);
      dumpBody(ifStmt->getThen());
    }
    if (!ifStmt->getElse().empty()) {
      line() << "Else\n";
      Nest elseNest(*this);
      dumpBody(ifStmt->getElse());
    }
    return;
  }
  case StmtAST::Stmt_For: {
    auto *forStmt = llvm::cast<ForStmtAST>(stmt);
    out << "For";
    printLoc(stmt->loc());
    Nest nest(*this);
    dumpExpr(forStmt->getTarget(), "target");
    dumpExpr(forStmt->getIter(), "iter");
    line() << "Body\n";
    Nest bodyNest(*this);
    dumpBody(forStmt->getBody());
    return;
  }
  case StmtAST::Stmt_Pass:
    out << "Pass";
    printLoc(stmt->loc());
    return;
  case StmtAST::Stmt_Raise: {
    out << "Raise";
    printLoc(stmt->loc());
    Nest nest(*this);
    if (const ExprAST *exception =
            llvm::cast<RaiseStmtAST>(stmt)->getException())
      dumpExpr(exception, "exception");
    return;
  }
  }
}

void Dumper::dumpDocstring(llvm::StringRef docstring) {
  if (docstring.empty())
    return;
  line("docstring");
  printString(docstring);
  os << '\n';
}

void Dumper::dumpFunction(const FunctionAST &function) {
  line() << "FunctionDef " << function.getName();
  printLoc(function.loc());
  Nest nest(*this);
  dumpDocstring(function.getDocstring());
  for (const ParamAST &param : function.getParams()) {
    line() << "Param " << param.name;
    printLoc(param.loc);
    if (param.defaultValue) {
      Nest paramNest(*this);
      dumpExpr(param.defaultValue.get(), "default");
    }
  }
  if (const auto &unparsed = function.getUnparsed()) {
    line() << "Unparsed: " << unparsed->message;
    printLoc(unparsed->loc);
  }
  dumpBody(function.getBody());
}

void Dumper::dumpClass(const ClassAST &cls) {
  line() << "ClassDef " << cls.getName();
  if (!cls.getBase().empty())
    os << '(' << cls.getBase() << ')';
  printLoc(cls.loc());
  Nest nest(*this);
  dumpDocstring(cls.getDocstring());
  for (const auto &method : cls.getMethods())
    dumpFunction(*method);
}

void Dumper::dumpModule(const ModuleAST &module) {
  line() << "Module";
  printLoc(module.loc());
  Nest nest(*this);
  dumpDocstring(module.getDocstring());
  for (const auto &import : module.getImports()) {
    if (import->isPlain()) {
      line() << "Import " << import->getModule();
      if (import->getNames()[0].boundName !=
          import->getModule().split('.').first)
        os << " as " << import->getNames()[0].boundName;
    } else {
      line() << "ImportFrom " << import->getModule() << " import ";
      llvm::interleaveComma(import->getNames(), os,
                            [&](const ImportedNameAST &name) {
                              os << name.name;
                              if (name.boundName != name.name)
                                os << " as " << name.boundName;
                            });
    }
    printLoc(import->loc());
  }
  for (const auto &constant : module.getConstants())
    dumpStmt(constant.get());
  for (const UnrunNameAST &name : module.getUnrunNames()) {
    line() << "NotRun " << name.name << " (" << name.what << ")";
    printLoc(name.loc);
  }
  for (const auto &cls : module.getClasses())
    dumpClass(*cls);
}

void gnn::frontend::dump(const ModuleAST &module, llvm::raw_ostream &os) {
  Dumper(os).dumpModule(module);
}

void gnn::frontend::dump(const ExprAST &expr, llvm::raw_ostream &os) {
  Dumper(os).dumpExpr(&expr);
}

void gnn::frontend::dump(const StmtAST &stmt, llvm::raw_ostream &os) {
  Dumper(os).dumpStmt(&stmt);
}

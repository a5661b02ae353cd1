//===- Parser.cpp - Recursive-descent parser for model files --------------===//
//
// One function per grammar rule, lowest precedence first, as in Python's
// grammar. Constructs of Python outside the model language are recognised
// where they start so that the error names them.
//
//===----------------------------------------------------------------------===//

#include "frontend/Parser.h"

#include "llvm/ADT/ScopeExit.h"

using namespace gnn::frontend;

Parser::Parser(Lexer &lexer, DiagnosticEngine &diag)
    : lexer(lexer), diag(diag), errorsAtStart(diag.getNumErrors()) {}

//===----------------------------------------------------------------------===//
// Tokens and errors
//===----------------------------------------------------------------------===//

const Token &Parser::peek(unsigned ahead) {
  while (lookahead.size() <= ahead)
    lookahead.push_back(lexer.next());
  return lookahead[ahead];
}

Token Parser::consume() {
  peek();
  Token tok = std::move(lookahead.front());
  lookahead.pop_front();
  if (tok.is(TokenKind::Indent))
    ++indentLevel;
  else if (tok.is(TokenKind::Dedent))
    --indentLevel;
  lastKind = tok.kind;
  return tok;
}

bool Parser::skipTo(int level) {
  while (true) {
    const Token &tok = peek();
    if (tok.is(TokenKind::Error)) {
      failed = true;
      return false;
    }
    if (tok.is(TokenKind::Eof))
      return true;
    if (indentLevel == level && !tok.is(TokenKind::Indent) &&
        (lastKind == TokenKind::Newline || lastKind == TokenKind::Dedent))
      return true;
    consume();
  }
}

bool Parser::skipAnnotation() {
  int brackets = 0;
  bool empty = true;
  while (true) {
    const Token &tok = peek();
    switch (tok.kind) {
    case TokenKind::Error:
    case TokenKind::Eof:
    case TokenKind::Newline:
      break;
    case TokenKind::LParen:
    case TokenKind::LBracket:
    case TokenKind::LBrace:
      ++brackets;
      consume();
      empty = false;
      continue;
    case TokenKind::RParen:
    case TokenKind::RBracket:
    case TokenKind::RBrace:
      if (brackets == 0)
        break;
      --brackets;
      consume();
      continue;
    case TokenKind::Comma:
    case TokenKind::Equal:
    case TokenKind::Colon:
      if (brackets == 0)
        break;
      consume();
      continue;
    default:
      consume();
      empty = false;
      continue;
    }
    if (empty) {
      errorExpected(tok, "a type annotation");
      return false;
    }
    return true;
  }
}

bool Parser::consumeIf(TokenKind kind) {
  if (!is(kind))
    return false;
  consume();
  return true;
}

std::nullptr_t Parser::error(const Location &loc, const llvm::Twine &message) {
  if (deferred) {
    if (!failed)
      *deferred = UnparsedAST{loc, message.str()};
    failed = true;
    return nullptr;
  }
  if (!failed && diag.getNumErrors() == errorsAtStart)
    diag.error(loc, message);
  failed = true;
  return nullptr;
}

std::nullptr_t Parser::errorExpected(const Token &tok,
                                     const llvm::Twine &what) {
  // Anything unusual that stands where something else was expected may be
  // a construct outside the subset; name it if so.
  if (rejectUnsupported(tok))
    return nullptr;
  if (tok.is(TokenKind::Indent))
    return error(tok.loc, "unexpected indent");
  if (tok.is(TokenKind::Identifier))
    return error(tok.loc,
                 "expected " + what + ", found name '" + tok.spelling + "'");
  return error(tok.loc, "expected " + what + ", found " +
                            getTokenKindSpelling(tok.kind));
}

bool Parser::expect(TokenKind kind, llvm::StringRef context) {
  if (consumeIf(kind))
    return true;
  errorExpected(peek(), getTokenKindSpelling(kind) + " " + context);
  return false;
}

bool Parser::enterNesting(const Location &loc) {
  if (++depth <= maxNestingDepth)
    return true;
  error(loc, "expression or block is nested too deeply (more than " +
                 llvm::Twine(maxNestingDepth) + " levels)");
  return false;
}

bool Parser::rejectUnsupported(const Token &tok) {
  const char *message = nullptr;
  switch (tok.kind) {
  case TokenKind::Error:
    // The lexer has reported it already.
    failed = true;
    return true;
  case TokenKind::KwWhile:
    message = "'while' loops are not supported in model files";
    break;
  case TokenKind::KwLambda:
    message = "'lambda' expressions are not supported in model files";
    break;
  case TokenKind::KwTry:
  case TokenKind::KwExcept:
  case TokenKind::KwFinally:
    message = "'try' statements are not supported in model files";
    break;
  case TokenKind::KwWith:
    message = "'with' statements are not supported in model files";
    break;
  case TokenKind::KwGlobal:
    message = "'global' declarations are not supported in model files";
    break;
  case TokenKind::KwNonlocal:
    message = "'nonlocal' declarations are not supported in model files";
    break;
  case TokenKind::KwYield:
    message = "'yield' is not supported in model files";
    break;
  case TokenKind::KwDel:
    message = "'del' statements are not supported in model files";
    break;
  case TokenKind::KwAssert:
    message = "'assert' statements are not supported in model files";
    break;
  case TokenKind::KwBreak:
  case TokenKind::KwContinue:
    message = "'break' and 'continue' are not supported in model files "
              "(loops run to the end of what they iterate)";
    break;
  case TokenKind::KwAsync:
    message = "'async' is not supported in model files";
    break;
  case TokenKind::KwAwait:
    message = "'await' is not supported in model files";
    break;
  case TokenKind::KwAs:
    message = "'as' aliases are not supported in model files";
    break;
  case TokenKind::At:
    message = "decorators are not supported in model files";
    break;
  case TokenKind::Walrus:
    message = "assignment expressions (':=') are not supported in model "
              "files";
    break;
  case TokenKind::Semicolon:
    message = "';' is not supported in model files; put each statement on "
              "its own line";
    break;
  case TokenKind::Ellipsis:
    message = "'...' is not supported in model files";
    break;
  case TokenKind::Star:
    message = "star expressions are not supported in model files";
    break;
  case TokenKind::LBrace:
    message = "dict and set literals are not supported in model files";
    break;
  case TokenKind::Arrow:
    message = "annotations are not supported in model files";
    break;
  case TokenKind::Amp:
  case TokenKind::Pipe:
  case TokenKind::Caret:
  case TokenKind::Tilde:
  case TokenKind::LeftShift:
  case TokenKind::RightShift:
  case TokenKind::AmpEqual:
  case TokenKind::PipeEqual:
  case TokenKind::CaretEqual:
  case TokenKind::LeftShiftEqual:
  case TokenKind::RightShiftEqual:
    error(tok.loc, "bitwise operator " + getTokenKindSpelling(tok.kind) +
                       " is not supported in model files");
    return true;
  case TokenKind::AtEqual:
    message = "the matrix multiplication operator '@' is not supported in "
              "model files";
    break;
  default:
    return false;
  }
  error(tok.loc, message);
  return true;
}

bool Parser::canStartExpression(const Token &tok) {
  switch (tok.kind) {
  case TokenKind::Identifier:
  case TokenKind::Integer:
  case TokenKind::Float:
  case TokenKind::String:
  case TokenKind::KwTrue:
  case TokenKind::KwFalse:
  case TokenKind::KwNone:
  case TokenKind::KwNot:
  case TokenKind::KwLambda:
  case TokenKind::KwYield:
  case TokenKind::KwAwait:
  case TokenKind::LParen:
  case TokenKind::LBracket:
  case TokenKind::LBrace:
  case TokenKind::Minus:
  case TokenKind::Plus:
  case TokenKind::Tilde:
  case TokenKind::Star:
  case TokenKind::Ellipsis:
    return true;
  default:
    return false;
  }
}

//===----------------------------------------------------------------------===//
// Module, imports, classes, methods
//===----------------------------------------------------------------------===//

static bool isDocstring(const StmtAST *stmt) {
  auto *exprStmt = llvm::dyn_cast<ExprStmtAST>(stmt);
  return exprStmt && llvm::isa<StringExprAST>(exprStmt->getExpr());
}

static llvm::StringRef getDocstringValue(const StmtAST *stmt) {
  return llvm::cast<StringExprAST>(llvm::cast<ExprStmtAST>(stmt)->getExpr())
      ->getValue();
}

std::unique_ptr<ModuleAST> Parser::parseModule() {
  Location moduleLoc = peek().loc;
  moduleLoc.line = 1;
  moduleLoc.col = 1;
  std::string docstring;
  bool first = true;
  std::vector<std::unique_ptr<ImportAST>> imports;
  std::vector<std::unique_ptr<ClassAST>> classes;
  std::vector<std::unique_ptr<AssignStmtAST>> constants;
  std::vector<UnrunNameAST> unrun;
  // A string alone on its line: `"doc"` then NEWLINE (adjacent literals
  // join).
  auto isDocstringLine = [&] {
    unsigned i = 0;
    while (peek(i).is(TokenKind::String) && !peek(i).unsupported)
      ++i;
    return peek(i).is(TokenKind::Newline) || peek(i).is(TokenKind::Eof);
  };

  while (!is(TokenKind::Eof)) {
    const Token &tok = peek();
    switch (tok.kind) {
    case TokenKind::KwFrom:
    case TokenKind::KwImport: {
      auto import = parseImport();
      if (!import)
        return nullptr;
      imports.push_back(std::move(import));
      break;
    }
    case TokenKind::KwClass: {
      auto cls = parseClass();
      if (!cls)
        return nullptr;
      for (const auto &other : classes) {
        if (other->getName() == cls->getName()) {
          error(cls->loc(), "class '" + cls->getName() +
                                "' is already defined in this file");
          diag.note(other->loc(), "previous definition is here");
          return nullptr;
        }
      }
      classes.push_back(std::move(cls));
      break;
    }
    case TokenKind::KwDef: {
      // A top-level function (train(), test(), main()) is not part of the
      // model: skipped unparsed, an error only if model code calls it.
      consume();
      if (is(TokenKind::Identifier))
        unrun.push_back({peek().loc, peek().spelling.str(), "function"});
      if (!skipTo(0))
        return nullptr;
      break;
    }
    case TokenKind::String:
      if (first && !tok.unsupported && isDocstringLine()) {
        StmtPtr stmt = parseSimpleStatement();
        if (!stmt)
          return nullptr;
        docstring = getDocstringValue(stmt.get()).str();
        break;
      }
      [[fallthrough]];
    default:
      if (tok.is(TokenKind::Indent))
        return error(tok.loc, "unexpected indent");
      if (!parseTopLevelStatement(constants, unrun))
        return nullptr;
    }
    first = false;
  }
  if (failed)
    return nullptr;
  return std::make_unique<ModuleAST>(std::move(moduleLoc), std::move(docstring),
                                     std::move(imports), std::move(classes),
                                     std::move(constants), std::move(unrun));
}

/// Whether `expr` is a value a top-level constant may hold.
static bool isConstant(const ExprAST *expr) {
  switch (expr->getKind()) {
  case ExprAST::Expr_Int:
  case ExprAST::Expr_Float:
  case ExprAST::Expr_String:
  case ExprAST::Expr_Bool:
  case ExprAST::Expr_None:
    return true;
  case ExprAST::Expr_Unary: {
    const ExprAST *operand = llvm::cast<UnaryExprAST>(expr)->getOperand();
    return llvm::isa<IntExprAST>(operand) || llvm::isa<FloatExprAST>(operand);
  }
  case ExprAST::Expr_Tuple:
    return llvm::all_of(llvm::cast<TupleExprAST>(expr)->getElements(),
                        [](const ExprPtr &e) { return isConstant(e.get()); });
  default:
    return false;
  }
}

bool Parser::parseTopLevelStatement(
    std::vector<std::unique_ptr<AssignStmtAST>> &constants,
    std::vector<UnrunNameAST> &unrun) {
  // Module-level code is the training script around the model (datasets,
  // optimisers, `if __name__ == '__main__':`); it is not run. Only
  // `NAME = constant` is kept, for model code that reads it.
  auto bindsUnrun = [&](const Location &loc, llvm::StringRef name) {
    llvm::erase_if(constants, [&](const auto &c) {
      return llvm::cast<NameExprAST>(c->getTarget())->getName() == name;
    });
    unrun.push_back({loc, name.str(), "module-level code"});
  };
  const Token &tok = peek();
  if (tok.is(TokenKind::Identifier) &&
      (peek(1).is(TokenKind::Equal) || peek(1).is(TokenKind::Colon))) {
    Location loc = tok.loc;
    std::string name = tok.spelling.str();
    std::optional<UnparsedAST> why;
    deferred = &why;
    StmtPtr stmt = parseSimpleStatement();
    deferred = nullptr;
    if (!stmt) {
      if (diag.getNumErrors() != errorsAtStart)
        return false;
      failed = false;
      bindsUnrun(loc, name);
      return skipTo(0);
    }
    auto *assign = llvm::dyn_cast<AssignStmtAST>(stmt.get());
    if (assign && isConstant(assign->getValue())) {
      bindsUnrun(loc, name);
      unrun.pop_back();
      stmt.release();
      constants.emplace_back(assign);
    } else if (assign) {
      bindsUnrun(loc, name);
    }
    return true;
  }
  consume();
  return skipTo(0);
}

std::unique_ptr<ImportAST> Parser::parseImport() {
  Token keyword = consume(); // 'from' or 'import'
  Location loc = keyword.loc;
  bool plain = keyword.is(TokenKind::KwImport);
  if (!plain && (is(TokenKind::Dot) || is(TokenKind::Ellipsis)))
    return error(peek().loc,
                 "relative imports are not supported in model files");
  if (!is(TokenKind::Identifier))
    return errorExpected(peek(), plain ? "a module name after 'import'"
                                       : "a module name after 'from'");
  Location moduleLoc = peek().loc;
  std::string first = peek().spelling.str();
  std::string module = consume().spelling.str();
  while (consumeIf(TokenKind::Dot)) {
    if (!is(TokenKind::Identifier))
      return errorExpected(peek(), "a module name after '.'");
    module += ".";
    module += consume().spelling.str();
  }
  // `import a.b as c` binds c to a.b; `import a.b` binds a, as in Python.
  auto parseAlias = [&](std::string &bound) {
    if (!consumeIf(TokenKind::KwAs))
      return true;
    if (!is(TokenKind::Identifier)) {
      errorExpected(peek(), "a name after 'as'");
      return false;
    }
    bound = consume().spelling.str();
    return true;
  };
  if (plain) {
    std::string bound = first;
    if (!parseAlias(bound))
      return nullptr;
    if (is(TokenKind::Comma))
      return error(peek().loc, "import one module per 'import' statement");
    if (!expectStatementEnd())
      return nullptr;
    std::vector<ImportedNameAST> names = {{moduleLoc, module, bound}};
    return std::make_unique<ImportAST>(std::move(loc), module, std::move(names),
                                       /*plain=*/true);
  }
  if (!expect(TokenKind::KwImport, "after the module name"))
    return nullptr;
  if (is(TokenKind::Star))
    return error(peek().loc, "wildcard imports ('import *') are not "
                             "supported in model files");

  bool parenthesized = consumeIf(TokenKind::LParen);
  std::vector<ImportedNameAST> names;
  while (true) {
    if (!is(TokenKind::Identifier))
      return errorExpected(peek(), "a name to import");
    Token name = consume();
    std::string bound = name.spelling.str();
    if (!parseAlias(bound))
      return nullptr;
    names.push_back({name.loc, name.spelling.str(), bound});
    if (!consumeIf(TokenKind::Comma))
      break;
    // A trailing comma is allowed only inside parentheses, as in Python.
    if (parenthesized && is(TokenKind::RParen))
      break;
  }
  if (parenthesized && !expect(TokenKind::RParen, "after the imported names"))
    return nullptr;
  if (!expectStatementEnd())
    return nullptr;
  return std::make_unique<ImportAST>(std::move(loc), module, std::move(names));
}

std::unique_ptr<ClassAST> Parser::parseClass() {
  Location loc = consume().loc; // 'class'
  if (!is(TokenKind::Identifier))
    return errorExpected(peek(), "a class name after 'class'");
  Token name = consume();

  std::string base;
  Location baseLoc;
  if (consumeIf(TokenKind::LParen)) {
    if (is(TokenKind::Identifier)) {
      baseLoc = peek().loc;
      base = consume().spelling.str();
      while (consumeIf(TokenKind::Dot)) {
        if (!is(TokenKind::Identifier))
          return errorExpected(peek(), "a name after '.'");
        base += ".";
        base += consume().spelling.str();
      }
      if (is(TokenKind::Equal))
        return error(peek().loc, "class keyword arguments are not "
                                 "supported in model files");
      if (is(TokenKind::Comma) && !peek(1).is(TokenKind::RParen))
        return error(peek(1).loc, "multiple inheritance is not supported "
                                  "in model files");
      consumeIf(TokenKind::Comma);
    }
    if (!expect(TokenKind::RParen, "after the base class"))
      return nullptr;
  }
  if (!expect(TokenKind::Colon, "after the class header"))
    return nullptr;

  // A class body holds methods and docstrings only: model state is set up
  // in __init__, so class-level statements have no place to go.
  std::string docstring;
  std::vector<std::unique_ptr<FunctionAST>> methods;
  if (!consumeIf(TokenKind::Newline)) {
    // `class A(B): pass` or a one-line docstring.
    if (is(TokenKind::String)) {
      StmtPtr stmt = parseSimpleStatement();
      if (!stmt)
        return nullptr;
      if (!isDocstring(stmt.get()))
        return error(stmt->loc(), "only methods, docstrings and 'pass' may "
                                  "appear in a class body");
      docstring = getDocstringValue(stmt.get()).str();
    } else if (consumeIf(TokenKind::KwPass)) {
      if (!expectStatementEnd())
        return nullptr;
    } else {
      return errorExpected(peek(), "an indented block after the class "
                                   "definition");
    }
  } else {
    if (!is(TokenKind::Indent)) {
      if (!rejectUnsupported(peek()))
        error(peek().loc, "expected an indented block after the class "
                          "definition");
      return nullptr;
    }
    consume();
    bool first = true;
    int level = indentLevel;
    std::optional<Location> decorator;
    while (!consumeIf(TokenKind::Dedent)) {
      const Token &tok = peek();
      switch (tok.kind) {
      case TokenKind::At: {
        // A decorated method (`@torch.no_grad()` on an inference helper)
        // is kept only to say why, if the model calls it.
        if (!decorator)
          decorator = tok.loc;
        consume();
        if (!skipTo(level))
          return nullptr;
        if (!is(TokenKind::KwDef) && !is(TokenKind::At))
          return errorExpected(peek(), "a method definition after the "
                                       "decorator");
        continue;
      }
      case TokenKind::KwDef: {
        // The methods every layer has are checked in every class; any
        // other (inference(), __repr__, a training helper) only if the
        // model calls it, so it may use any Python.
        llvm::StringRef methodName = peek(1).spelling;
        bool core = methodName == "__init__" || methodName == "forward" ||
                    methodName == "message" || methodName == "update" ||
                    methodName == "reset_parameters";
        auto method = parseFunction(/*deferErrors=*/!core || decorator,
                                    decorator);
        decorator.reset();
        if (!method)
          return nullptr;
        bool replaced = false;
        for (auto &other : methods) {
          if (other->getName() != method->getName())
            continue;
          // Python keeps the last definition; an earlier one the model
          // could not call anyway (an `@overload` stub) gives way to it.
          if (other->getUnparsed()) {
            other = std::move(method);
            replaced = true;
            break;
          }
          error(method->loc(), "method '" + method->getName() +
                                   "' is already defined in class '" +
                                   name.spelling + "'");
          diag.note(other->loc(), "previous definition is here");
          return nullptr;
        }
        if (!replaced)
          methods.push_back(std::move(method));
        break;
      }
      case TokenKind::KwPass:
        consume();
        if (!expectStatementEnd())
          return nullptr;
        break;
      case TokenKind::String: {
        StmtPtr stmt = parseSimpleStatement();
        if (!stmt)
          return nullptr;
        if (!isDocstring(stmt.get()))
          return error(stmt->loc(), "only methods, docstrings and 'pass' may "
                                    "appear in a class body");
        if (first)
          docstring = getDocstringValue(stmt.get()).str();
        break;
      }
      case TokenKind::KwClass:
        return error(tok.loc,
                     "nested class definitions are not supported in model "
                     "files");
      case TokenKind::Identifier:
        // `_cached: Optional[Tensor]` declares a type for TorchScript and
        // binds nothing.
        if (peek(1).is(TokenKind::Colon)) {
          Token attr = consume();
          consume();
          if (!skipAnnotation())
            return nullptr;
          if (is(TokenKind::Equal))
            return error(attr.loc, "class attributes are not supported in "
                                   "model files; assign 'self." +
                                       attr.spelling + "' in __init__ instead");
          if (!expectStatementEnd())
            return nullptr;
          break;
        }
        if (peek(1).is(TokenKind::Equal))
          return error(tok.loc, "class attributes are not supported in model "
                                "files; assign 'self." +
                                    tok.spelling + "' in __init__ instead");
        [[fallthrough]];
      default:
        if (rejectUnsupported(tok))
          return nullptr;
        if (tok.is(TokenKind::Indent))
          return error(tok.loc, "unexpected indent");
        return error(tok.loc, "only methods, docstrings and 'pass' may "
                              "appear in a class body");
      }
      first = false;
    }
  }
  return std::make_unique<ClassAST>(std::move(loc), name.spelling, base,
                                    std::move(baseLoc), std::move(docstring),
                                    std::move(methods));
}

std::unique_ptr<FunctionAST>
Parser::parseFunction(bool deferErrors,
                      const std::optional<Location> &decorator) {
  int level = indentLevel;
  Location loc = consume().loc; // 'def'
  if (!is(TokenKind::Identifier))
    return errorExpected(peek(), "a method name after 'def'");
  Token name = consume();
  std::vector<ParamAST> params;
  std::optional<UnparsedAST> why;
  if (decorator)
    why = UnparsedAST{*decorator, "decorators are not supported in model "
                                  "files"};
  // The method as a stub that reports `why` when called, after skipping
  // the rest of it (a lexer error stays fatal).
  auto unparsed = [&]() -> std::unique_ptr<FunctionAST> {
    deferred = nullptr;
    if (!why || diag.getNumErrors() != errorsAtStart)
      return nullptr;
    failed = false;
    if (!skipTo(level))
      return nullptr;
    if (params.empty())
      params.push_back({name.loc, "self", nullptr});
    return std::make_unique<FunctionAST>(std::move(loc), name.spelling,
                                         std::move(params), std::move(*why));
  };
  std::optional<UnparsedAST> parseError;
  if (deferErrors)
    deferred = decorator ? &parseError : &why;

  if (!expect(TokenKind::LParen, "after the method name"))
    return unparsed();
  if (!parseParams(params))
    return unparsed();
  if (consumeIf(TokenKind::Arrow) && !skipAnnotation())
    return unparsed();
  if (!expect(TokenKind::Colon, "after the method signature"))
    return unparsed();
  std::string docstring;
  std::optional<StmtList> body = parseSuite("function definition", &docstring);
  if (!body || decorator)
    return unparsed();
  deferred = nullptr;
  return std::make_unique<FunctionAST>(std::move(loc), name.spelling,
                                       std::move(params), std::move(docstring),
                                       std::move(*body));
}

bool Parser::parseParams(std::vector<ParamAST> &params) {
  bool seenDefault = false;
  while (!consumeIf(TokenKind::RParen)) {
    const Token &tok = peek();
    if (tok.is(TokenKind::DoubleStar)) {
      error(tok.loc, "'**kwargs' parameters are not supported in model files");
      return false;
    }
    if (tok.is(TokenKind::Star)) {
      const Token &nextTok = peek(1);
      if (nextTok.is(TokenKind::Comma) || nextTok.is(TokenKind::RParen))
        error(tok.loc, "keyword-only parameters ('*') are not supported in "
                       "model files");
      else
        error(tok.loc, "'*args' parameters are not supported in model files");
      return false;
    }
    if (tok.is(TokenKind::Slash)) {
      error(tok.loc, "positional-only parameters ('/') are not supported in "
                     "model files");
      return false;
    }
    if (!tok.is(TokenKind::Identifier)) {
      errorExpected(tok, "a parameter name");
      return false;
    }
    Token name = consume();
    for (const ParamAST &param : params) {
      if (param.name == name.spelling) {
        error(name.loc, "duplicate parameter '" + name.spelling +
                            "' in method definition");
        return false;
      }
    }
    if (consumeIf(TokenKind::Colon) && !skipAnnotation())
      return false;
    ExprPtr defaultValue;
    if (consumeIf(TokenKind::Equal)) {
      defaultValue = parseExpression();
      if (!defaultValue)
        return false;
      seenDefault = true;
    } else if (seenDefault) {
      error(name.loc, "parameter without a default follows parameter with a "
                      "default");
      return false;
    }
    params.push_back({name.loc, name.spelling.str(), std::move(defaultValue)});
    if (!consumeIf(TokenKind::Comma)) {
      if (!expect(TokenKind::RParen, "after the parameters"))
        return false;
      break;
    }
  }
  return true;
}

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

std::optional<StmtList> Parser::parseSuite(llvm::StringRef after,
                                           std::string *docstring) {
  StmtList body;
  bool first = true;
  // Keeps a statement, except string-only ones, which document and do
  // nothing.
  auto add = [&](StmtPtr stmt) {
    if (isDocstring(stmt.get())) {
      if (first && docstring)
        *docstring = getDocstringValue(stmt.get()).str();
    } else {
      body.push_back(std::move(stmt));
    }
    first = false;
  };

  if (!consumeIf(TokenKind::Newline)) {
    // One simple statement on the header's line, as in `if x: return y`.
    if (is(TokenKind::KwIf) || is(TokenKind::KwDef) || is(TokenKind::KwClass)) {
      errorExpected(peek(), "an indented block after " + after);
      return std::nullopt;
    }
    StmtPtr stmt = parseSimpleStatement();
    if (!stmt)
      return std::nullopt;
    add(std::move(stmt));
    return body;
  }

  if (!is(TokenKind::Indent)) {
    if (!rejectUnsupported(peek()))
      error(peek().loc, "expected an indented block after " + after);
    return std::nullopt;
  }
  if (!enterNesting(peek().loc)) {
    leaveNesting();
    return std::nullopt;
  }
  auto restore = llvm::make_scope_exit([&] { leaveNesting(); });
  consume();
  while (!consumeIf(TokenKind::Dedent)) {
    StmtPtr stmt = parseStatement();
    if (!stmt)
      return std::nullopt;
    add(std::move(stmt));
  }
  return body;
}

StmtPtr Parser::parseStatement() {
  const Token &tok = peek();
  switch (tok.kind) {
  case TokenKind::KwIf:
    return parseIf(/*isElif=*/false);
  case TokenKind::KwFor:
    return parseFor();
  case TokenKind::KwDef:
    return error(tok.loc, "nested function definitions are not supported in "
                          "model files");
  case TokenKind::KwClass:
    return error(tok.loc,
                 "nested class definitions are not supported in model files");
  case TokenKind::KwElif:
  case TokenKind::KwElse:
    return error(tok.loc, "'" + tok.spelling + "' without a matching 'if'");
  case TokenKind::Indent:
    return error(tok.loc, "unexpected indent");
  default:
    return parseSimpleStatement();
  }
}

StmtPtr Parser::parseSimpleStatement() {
  const Token &tok = peek();
  switch (tok.kind) {
  case TokenKind::KwPass: {
    Location loc = consume().loc;
    if (!expectStatementEnd())
      return nullptr;
    return std::make_unique<PassStmtAST>(std::move(loc));
  }
  case TokenKind::KwReturn:
    return parseReturn();
  case TokenKind::KwRaise:
    return parseRaise();
  case TokenKind::KwFrom:
  case TokenKind::KwImport:
    return error(tok.loc, "imports are only allowed at the top level of a "
                          "model file");
  default:
    if (!canStartExpression(tok)) {
      if (rejectUnsupported(tok))
        return nullptr;
      return errorExpected(tok, "a statement");
    }
    return parseExprOrAssign();
  }
}

StmtPtr Parser::parseIf(bool isElif) {
  Location loc = consume().loc; // 'if' or 'elif'
  // An elif chain nests in the tree, so it counts against the depth limit.
  if (!enterNesting(loc)) {
    leaveNesting();
    return nullptr;
  }
  auto restore = llvm::make_scope_exit([&] { leaveNesting(); });

  ExprPtr test = parseExpression();
  if (!test)
    return nullptr;
  llvm::StringRef colonContext =
      isElif ? "after the 'elif' condition" : "after the 'if' condition";
  if (!expect(TokenKind::Colon, colonContext))
    return nullptr;
  std::optional<StmtList> thenBody =
      parseSuite(isElif ? "'elif' statement" : "'if' statement", nullptr);
  if (!thenBody)
    return nullptr;

  StmtList elseBody;
  if (is(TokenKind::KwElif)) {
    StmtPtr elif = parseIf(/*isElif=*/true);
    if (!elif)
      return nullptr;
    elseBody.push_back(std::move(elif));
  } else if (is(TokenKind::KwElse)) {
    consume();
    if (!expect(TokenKind::Colon, "after 'else'"))
      return nullptr;
    std::optional<StmtList> body = parseSuite("'else'", nullptr);
    if (!body)
      return nullptr;
    elseBody = std::move(*body);
  }
  return std::make_unique<IfStmtAST>(std::move(loc), std::move(test),
                                     std::move(*thenBody), std::move(elseBody),
                                     isElif);
}

/// The target of a `for`: `name` or `name, name, ...` (what enumerate()
/// and tuples unpack into).
ExprPtr Parser::parseForTarget() {
  ExprList names;
  Location targetLoc = peek().loc;
  do {
    if (!is(TokenKind::Identifier))
      return errorExpected(peek(), "a name after 'for'");
    const Token &name = consume();
    names.push_back(std::make_unique<NameExprAST>(name.loc, name.spelling));
  } while (consumeIf(TokenKind::Comma));
  if (names.size() == 1)
    return std::move(names.front());
  return std::make_unique<TupleExprAST>(std::move(targetLoc), std::move(names));
}

/// The rest of a comprehension whose element is parsed, from its `for` to
/// the closing bracket `close` (not consumed): one `for` clause and any
/// number of `if` clauses.
ExprPtr Parser::parseComprehension(Location loc, ExprPtr element,
                                   TokenKind close) {
  consume(); // 'for'
  ExprPtr target = parseForTarget();
  if (!target)
    return nullptr;
  if (!expect(TokenKind::KwIn, "after the 'for' target"))
    return nullptr;
  // `or` level: an `if` after the iterable starts a condition, not a
  // conditional expression.
  ExprPtr iter = parseOr();
  if (!iter)
    return nullptr;
  ExprList conditions;
  while (consumeIf(TokenKind::KwIf)) {
    ExprPtr condition = parseOr();
    if (!condition)
      return nullptr;
    conditions.push_back(std::move(condition));
  }
  if (is(TokenKind::KwFor))
    return error(peek().loc, "comprehensions with more than one 'for' are "
                             "not supported in model files; nest them");
  if (close == TokenKind::RParen && is(TokenKind::Comma))
    return error(peek().loc, "a generator expression must be parenthesized "
                             "unless it is the sole argument");
  if (!is(close))
    return errorExpected(peek(), "the end of the comprehension");
  return std::make_unique<ComprehensionExprAST>(
      std::move(loc), std::move(element), std::move(target), std::move(iter),
      std::move(conditions));
}

StmtPtr Parser::parseFor() {
  Location loc = consume().loc; // 'for'
  if (!enterNesting(loc)) {
    leaveNesting();
    return nullptr;
  }
  auto restore = llvm::make_scope_exit([&] { leaveNesting(); });
  ExprPtr target = parseForTarget();
  if (!target)
    return nullptr;
  if (!expect(TokenKind::KwIn, "after the 'for' target"))
    return nullptr;
  ExprPtr iter = parseExpression();
  if (!iter)
    return nullptr;
  if (!expect(TokenKind::Colon, "after the 'for' iterable"))
    return nullptr;
  std::optional<StmtList> body = parseSuite("'for' statement", nullptr);
  if (!body)
    return nullptr;
  if (is(TokenKind::KwElse))
    return error(peek().loc, "'for ... else' is not supported in model files");
  return std::make_unique<ForStmtAST>(std::move(loc), std::move(target),
                                      std::move(iter), std::move(*body));
}

StmtPtr Parser::parseReturn() {
  Location loc = consume().loc; // 'return'
  ExprPtr value;
  if (!is(TokenKind::Newline)) {
    value = parseExprList();
    if (!value)
      return nullptr;
  }
  if (!expectStatementEnd())
    return nullptr;
  return std::make_unique<ReturnStmtAST>(std::move(loc), std::move(value));
}

StmtPtr Parser::parseRaise() {
  Location loc = consume().loc; // 'raise'
  ExprPtr exception;
  if (!is(TokenKind::Newline)) {
    exception = parseExpression();
    if (!exception)
      return nullptr;
    // `raise X from Y`: the cause changes nothing here.
    if (consumeIf(TokenKind::KwFrom) && !parseExpression())
      return nullptr;
  }
  if (!expectStatementEnd())
    return nullptr;
  return std::make_unique<RaiseStmtAST>(std::move(loc), std::move(exception));
}

bool Parser::expectStatementEnd() {
  if (consumeIf(TokenKind::Newline))
    return true;
  const Token &tok = peek();
  if (tok.is(TokenKind::Equal))
    error(tok.loc, "chained assignment ('a = b = ...') is not supported in "
                   "model files");
  else if (tok.is(TokenKind::KwFor))
    error(tok.loc, "generator expressions are not supported in model files");
  else
    errorExpected(tok, "end of line");
  return false;
}

/// Maps an augmented assignment token to its operator; returns false for
/// tokens that are not one the subset supports.
static bool getAugmentedOp(TokenKind kind, BinaryOp &op) {
  switch (kind) {
  case TokenKind::PlusEqual:
    op = BinaryOp::Add;
    return true;
  case TokenKind::MinusEqual:
    op = BinaryOp::Sub;
    return true;
  case TokenKind::StarEqual:
    op = BinaryOp::Mul;
    return true;
  case TokenKind::SlashEqual:
    op = BinaryOp::Div;
    return true;
  case TokenKind::DoubleSlashEqual:
    op = BinaryOp::FloorDiv;
    return true;
  case TokenKind::PercentEqual:
    op = BinaryOp::Mod;
    return true;
  case TokenKind::DoubleStarEqual:
    op = BinaryOp::Pow;
    return true;
  default:
    return false;
  }
}

bool Parser::checkAssignTarget(const ExprAST *target, const Location &loc,
                               bool augmented) {
  if (llvm::isa<NameExprAST>(target))
    return true;
  if (auto *attribute = llvm::dyn_cast<AttributeExprAST>(target)) {
    auto *object = llvm::dyn_cast<NameExprAST>(attribute->getValue());
    if (object && object->getName() == "self")
      return true;
    error(loc, "only attributes of 'self' can be assigned in model "
               "files");
    return false;
  }
  if (auto *tuple = llvm::dyn_cast<TupleExprAST>(target)) {
    if (augmented) {
      error(loc, "a tuple cannot be the target of an augmented "
                 "assignment");
      return false;
    }
    if (tuple->getElements().empty()) {
      error(loc, "cannot assign to an empty tuple");
      return false;
    }
    for (const ExprPtr &element : tuple->getElements()) {
      if (!llvm::isa<NameExprAST>(element.get())) {
        error(element->loc(), "only names can be unpacked in a tuple "
                              "assignment");
        return false;
      }
    }
    return true;
  }
  if (llvm::isa<SubscriptExprAST>(target)) {
    // t[mask] = v: the masked fill the interpreter checks the form of.
    if (!augmented && llvm::isa<NameExprAST>(
                          llvm::cast<SubscriptExprAST>(target)->getValue()))
      return true;
    error(loc, "assignment to a subscript is not supported in "
               "model files; tensors are immutable");
    return false;
  }
  if (llvm::isa<CallExprAST>(target)) {
    error(loc, "cannot assign to a function call");
    return false;
  }
  error(loc, "cannot assign to this expression; the target must be "
             "a name, 'self.NAME' or a tuple of names");
  return false;
}

StmtPtr Parser::parseExprOrAssign() {
  Location loc = peek().loc;
  ExprPtr lhs = parseExprList();
  if (!lhs)
    return nullptr;

  const Token &tok = peek();
  if (tok.is(TokenKind::Equal)) {
    if (!checkAssignTarget(lhs.get(), loc, /*augmented=*/false))
      return nullptr;
    consume();
    ExprPtr value = parseExprList();
    if (!value || !expectStatementEnd())
      return nullptr;
    return std::make_unique<AssignStmtAST>(std::move(loc), std::move(lhs),
                                           std::move(value));
  }
  BinaryOp op;
  if (getAugmentedOp(tok.kind, op)) {
    if (!checkAssignTarget(lhs.get(), loc, /*augmented=*/true))
      return nullptr;
    consume();
    ExprPtr value = parseExprList();
    if (!value || !expectStatementEnd())
      return nullptr;
    return std::make_unique<AugAssignStmtAST>(std::move(loc), op,
                                              std::move(lhs), std::move(value));
  }
  if (tok.is(TokenKind::Colon)) {
    // `x: Tensor = ...`: the annotation is not evaluated; one without a
    // value binds nothing.
    if (!llvm::isa<NameExprAST>(lhs.get()) &&
        !llvm::isa<AttributeExprAST>(lhs.get()))
      return error(loc, "only a name or 'self.NAME' can be annotated");
    if (!checkAssignTarget(lhs.get(), loc, /*augmented=*/false))
      return nullptr;
    consume();
    if (!skipAnnotation())
      return nullptr;
    if (!consumeIf(TokenKind::Equal)) {
      if (!expectStatementEnd())
        return nullptr;
      return std::make_unique<PassStmtAST>(std::move(loc));
    }
    ExprPtr value = parseExprList();
    if (!value || !expectStatementEnd())
      return nullptr;
    return std::make_unique<AssignStmtAST>(std::move(loc), std::move(lhs),
                                           std::move(value));
  }
  if (!expectStatementEnd())
    return nullptr;
  return std::make_unique<ExprStmtAST>(std::move(loc), std::move(lhs));
}

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

ExprPtr Parser::parseExprList() {
  Location loc = peek().loc;
  if (is(TokenKind::Star))
    return error(loc, "star expressions are not supported in model files");
  ExprPtr first = parseExpression();
  if (!first || !is(TokenKind::Comma))
    return first;

  ExprList elements;
  elements.push_back(std::move(first));
  while (consumeIf(TokenKind::Comma)) {
    if (is(TokenKind::Star))
      return error(peek().loc,
                   "star expressions are not supported in model files");
    // A trailing comma, as in `return a,`.
    if (!canStartExpression(peek()))
      break;
    ExprPtr element = parseExpression();
    if (!element)
      return nullptr;
    elements.push_back(std::move(element));
  }
  return std::make_unique<TupleExprAST>(std::move(loc), std::move(elements));
}

ExprPtr Parser::parseExpression() {
  const Token &tok = peek();
  if (!enterNesting(tok.loc)) {
    leaveNesting();
    return nullptr;
  }
  auto restore = llvm::make_scope_exit([&] { leaveNesting(); });

  if (tok.is(TokenKind::KwLambda) || tok.is(TokenKind::KwYield)) {
    rejectUnsupported(tok);
    return nullptr;
  }
  ExprPtr body = parseOr();
  if (!body)
    return nullptr;
  if (is(TokenKind::Walrus)) {
    rejectUnsupported(peek());
    return nullptr;
  }
  if (!is(TokenKind::KwIf))
    return body;

  Location loc = consume().loc; // 'if'
  ExprPtr test = parseOr();
  if (!test)
    return nullptr;
  if (!expect(TokenKind::KwElse, "in the conditional expression"))
    return nullptr;
  ExprPtr orelse = parseExpression();
  if (!orelse)
    return nullptr;
  return std::make_unique<IfExpAST>(std::move(loc), std::move(test),
                                    std::move(body), std::move(orelse));
}

ExprPtr Parser::parseOr() {
  ExprPtr lhs = parseAnd();
  // Each operator of a chain deepens the (left-leaning) tree by one level.
  int levels = 0;
  auto restore = llvm::make_scope_exit([&] { leaveNesting(levels); });
  while (lhs && is(TokenKind::KwOr)) {
    Location loc = consume().loc;
    ++levels;
    if (!enterNesting(loc))
      return nullptr;
    ExprPtr rhs = parseAnd();
    if (!rhs)
      return nullptr;
    lhs = std::make_unique<BinaryExprAST>(std::move(loc), BinaryOp::Or,
                                          std::move(lhs), std::move(rhs));
  }
  return lhs;
}

ExprPtr Parser::parseAnd() {
  ExprPtr lhs = parseNot();
  int levels = 0;
  auto restore = llvm::make_scope_exit([&] { leaveNesting(levels); });
  while (lhs && is(TokenKind::KwAnd)) {
    Location loc = consume().loc;
    ++levels;
    if (!enterNesting(loc))
      return nullptr;
    ExprPtr rhs = parseNot();
    if (!rhs)
      return nullptr;
    lhs = std::make_unique<BinaryExprAST>(std::move(loc), BinaryOp::And,
                                          std::move(lhs), std::move(rhs));
  }
  return lhs;
}

ExprPtr Parser::parseNot() {
  if (!is(TokenKind::KwNot))
    return parseComparison();
  Location loc = consume().loc;
  if (!enterNesting(loc)) {
    leaveNesting();
    return nullptr;
  }
  auto restore = llvm::make_scope_exit([&] { leaveNesting(); });
  ExprPtr operand = parseNot();
  if (!operand)
    return nullptr;
  return std::make_unique<UnaryExprAST>(std::move(loc), UnaryOp::Not,
                                        std::move(operand));
}

/// Recognises a comparison operator at the parser's position; `length` is
/// its number of tokens (`not in` and `is not` take two).
static bool getComparisonOp(const Token &tok, const Token &next, BinaryOp &op,
                            unsigned &length) {
  length = 1;
  switch (tok.kind) {
  case TokenKind::EqEq:
    op = BinaryOp::Eq;
    return true;
  case TokenKind::NotEq:
    op = BinaryOp::NotEq;
    return true;
  case TokenKind::Less:
    op = BinaryOp::Less;
    return true;
  case TokenKind::LessEq:
    op = BinaryOp::LessEq;
    return true;
  case TokenKind::Greater:
    op = BinaryOp::Greater;
    return true;
  case TokenKind::GreaterEq:
    op = BinaryOp::GreaterEq;
    return true;
  case TokenKind::KwIn:
    op = BinaryOp::In;
    return true;
  case TokenKind::KwIs:
    if (next.is(TokenKind::KwNot)) {
      op = BinaryOp::IsNot;
      length = 2;
    } else {
      op = BinaryOp::Is;
    }
    return true;
  case TokenKind::KwNot:
    if (!next.is(TokenKind::KwIn))
      return false;
    op = BinaryOp::NotIn;
    length = 2;
    return true;
  default:
    return false;
  }
}

static bool isBitwiseOperator(TokenKind kind) {
  return kind == TokenKind::Amp || kind == TokenKind::Pipe ||
         kind == TokenKind::Caret || kind == TokenKind::LeftShift ||
         kind == TokenKind::RightShift;
}

ExprPtr Parser::parseComparison() {
  ExprPtr lhs = parseArith();
  if (!lhs)
    return nullptr;
  if (isBitwiseOperator(peek().kind)) {
    rejectUnsupported(peek());
    return nullptr;
  }
  BinaryOp op;
  unsigned length;
  if (!getComparisonOp(peek(), peek(1), op, length))
    return lhs;
  Location loc = peek().loc;
  for (unsigned i = 0; i < length; ++i)
    consume();
  ExprPtr rhs = parseArith();
  if (!rhs)
    return nullptr;
  if (isBitwiseOperator(peek().kind)) {
    rejectUnsupported(peek());
    return nullptr;
  }
  // `a < b < c` means `a < b and b < c` in Python; rather than evaluate b
  // twice or surprise a reader, the subset asks for the explicit form.
  BinaryOp nextOp;
  if (getComparisonOp(peek(), peek(1), nextOp, length))
    return error(peek().loc, "chained comparisons are not supported in model "
                             "files; combine them with 'and'");
  return std::make_unique<BinaryExprAST>(std::move(loc), op, std::move(lhs),
                                         std::move(rhs));
}

ExprPtr Parser::parseArith() {
  ExprPtr lhs = parseTerm();
  int levels = 0;
  auto restore = llvm::make_scope_exit([&] { leaveNesting(levels); });
  while (lhs && (is(TokenKind::Plus) || is(TokenKind::Minus))) {
    Token opTok = consume();
    ++levels;
    if (!enterNesting(opTok.loc))
      return nullptr;
    ExprPtr rhs = parseTerm();
    if (!rhs)
      return nullptr;
    BinaryOp op = opTok.is(TokenKind::Plus) ? BinaryOp::Add : BinaryOp::Sub;
    lhs = std::make_unique<BinaryExprAST>(opTok.loc, op, std::move(lhs),
                                          std::move(rhs));
  }
  return lhs;
}

ExprPtr Parser::parseTerm() {
  ExprPtr lhs = parseFactor();
  int levels = 0;
  auto restore = llvm::make_scope_exit([&] { leaveNesting(levels); });
  while (lhs) {
    BinaryOp op;
    switch (peek().kind) {
    case TokenKind::Star:
      op = BinaryOp::Mul;
      break;
    case TokenKind::Slash:
      op = BinaryOp::Div;
      break;
    case TokenKind::DoubleSlash:
      op = BinaryOp::FloorDiv;
      break;
    case TokenKind::Percent:
      op = BinaryOp::Mod;
      break;
    case TokenKind::At:
      return error(peek().loc, "the matrix multiplication operator '@' is "
                               "not supported in model files");
    default:
      return lhs;
    }
    Location loc = consume().loc;
    ++levels;
    if (!enterNesting(loc))
      return nullptr;
    ExprPtr rhs = parseFactor();
    if (!rhs)
      return nullptr;
    lhs = std::make_unique<BinaryExprAST>(std::move(loc), op, std::move(lhs),
                                          std::move(rhs));
  }
  return lhs;
}

ExprPtr Parser::parseFactor() {
  const Token &tok = peek();
  if (tok.is(TokenKind::Tilde)) {
    rejectUnsupported(tok);
    return nullptr;
  }
  if (!tok.is(TokenKind::Minus) && !tok.is(TokenKind::Plus))
    return parsePower();
  Token opTok = consume();
  if (!enterNesting(opTok.loc)) {
    leaveNesting();
    return nullptr;
  }
  auto restore = llvm::make_scope_exit([&] { leaveNesting(); });
  // The operand is a factor, so `-x ** 2` is `-(x ** 2)`.
  ExprPtr operand = parseFactor();
  if (!operand)
    return nullptr;
  UnaryOp op = opTok.is(TokenKind::Minus) ? UnaryOp::Neg : UnaryOp::Pos;
  return std::make_unique<UnaryExprAST>(opTok.loc, op, std::move(operand));
}

ExprPtr Parser::parsePower() {
  ExprPtr base = parsePostfix();
  if (!base || !is(TokenKind::DoubleStar))
    return base;
  Location loc = consume().loc;
  if (!enterNesting(loc)) {
    leaveNesting();
    return nullptr;
  }
  auto restore = llvm::make_scope_exit([&] { leaveNesting(); });
  // Right-associative, and the exponent may carry a sign: 2 ** -x ** 2 is
  // 2 ** (-(x ** 2)).
  ExprPtr exponent = parseFactor();
  if (!exponent)
    return nullptr;
  return std::make_unique<BinaryExprAST>(std::move(loc), BinaryOp::Pow,
                                         std::move(base), std::move(exponent));
}

ExprPtr Parser::parsePostfix() {
  ExprPtr expr = parseAtom();
  int levels = 0;
  auto restore = llvm::make_scope_exit([&] { leaveNesting(levels); });
  while (expr) {
    const Token &tok = peek();
    if (!tok.is(TokenKind::LParen) && !tok.is(TokenKind::Dot) &&
        !tok.is(TokenKind::LBracket))
      return expr;
    ++levels;
    if (!enterNesting(tok.loc))
      return nullptr;
    if (tok.is(TokenKind::LParen)) {
      expr = parseCall(std::move(expr));
    } else if (tok.is(TokenKind::LBracket)) {
      expr = parseSubscript(std::move(expr));
    } else {
      consume(); // '.'
      if (!is(TokenKind::Identifier))
        return errorExpected(peek(), "an attribute name after '.'");
      Token name = consume();
      expr = std::make_unique<AttributeExprAST>(name.loc, std::move(expr),
                                                name.spelling);
    }
  }
  return expr;
}

ExprPtr Parser::parseCall(ExprPtr callee) {
  consume(); // '('
  // The call is located at the name being called (`conv1` in
  // `self.conv1(x)`), where errors about the call are best shown.
  Location loc = callee->loc();
  ExprList args;
  std::vector<KeywordArgAST> keywords;
  while (!is(TokenKind::RParen)) {
    const Token &tok = peek();
    if (tok.is(TokenKind::Star) || tok.is(TokenKind::DoubleStar))
      return error(tok.loc, "argument unpacking ('*' and '**') is not "
                            "supported in model files");
    if (tok.is(TokenKind::Identifier) && peek(1).is(TokenKind::Equal)) {
      Token name = consume();
      consume(); // '='
      for (const KeywordArgAST &keyword : keywords)
        if (keyword.name == name.spelling)
          return error(name.loc,
                       "keyword argument '" + name.spelling + "' repeated");
      ExprPtr value = parseExpression();
      if (!value)
        return nullptr;
      keywords.push_back({name.loc, name.spelling.str(), std::move(value)});
    } else {
      ExprPtr arg = parseExpression();
      if (!arg)
        return nullptr;
      if (is(TokenKind::KwFor)) {
        // f(x for x in xs): the sole argument, without parentheses of its
        // own.
        if (!args.empty() || !keywords.empty())
          return error(peek().loc, "a generator expression must be "
                                   "parenthesized unless it is the sole "
                                   "argument");
        Location genLoc = arg->loc();
        arg = parseComprehension(genLoc, std::move(arg), TokenKind::RParen);
        if (!arg)
          return nullptr;
      }
      if (!keywords.empty())
        return error(arg->loc(),
                     "positional argument follows keyword argument");
      args.push_back(std::move(arg));
    }
    if (!consumeIf(TokenKind::Comma))
      break;
  }
  if (!expect(TokenKind::RParen, "after the call arguments"))
    return nullptr;
  return std::make_unique<CallExprAST>(std::move(loc), std::move(callee),
                                       std::move(args), std::move(keywords));
}

ExprPtr Parser::parseSubscript(ExprPtr value) {
  Location loc = consume().loc; // '['
  ExprList indices;
  bool sawComma = false;
  while (true) {
    ExprPtr index = parseSubscriptItem();
    if (!index)
      return nullptr;
    indices.push_back(std::move(index));
    if (!consumeIf(TokenKind::Comma))
      break;
    sawComma = true;
    if (is(TokenKind::RBracket))
      break; // a trailing comma
  }
  if (!expect(TokenKind::RBracket, "after the subscript"))
    return nullptr;
  // Python reads `a[(i, j)]` as `a[i, j]`; keep one form in the tree.
  if (indices.size() == 1 && !sawComma)
    if (auto *tuple = llvm::dyn_cast<TupleExprAST>(indices.front().get()))
      indices = tuple->takeElements();
  return std::make_unique<SubscriptExprAST>(std::move(loc), std::move(value),
                                            std::move(indices));
}

ExprPtr Parser::parseSubscriptItem() {
  Location loc = peek().loc;
  ExprPtr lower;
  if (!is(TokenKind::Colon)) {
    lower = parseExpression();
    if (!lower || !is(TokenKind::Colon))
      return lower;
  }
  consume(); // ':'
  auto endsPart = [&] {
    return is(TokenKind::Colon) || is(TokenKind::Comma) ||
           is(TokenKind::RBracket);
  };
  ExprPtr upper, step;
  if (!endsPart()) {
    upper = parseExpression();
    if (!upper)
      return nullptr;
  }
  if (consumeIf(TokenKind::Colon) && !endsPart()) {
    step = parseExpression();
    if (!step)
      return nullptr;
  }
  return std::make_unique<SliceExprAST>(std::move(loc), std::move(lower),
                                        std::move(upper), std::move(step));
}

ExprPtr Parser::parseString() {
  // Adjacent literals join, as in Python: "a" "b" is "ab".
  if (peek().unsupported)
    return error(peek().loc, peek().unsupported);
  Token first = consume();
  std::string value = std::move(first.stringValue);
  while (is(TokenKind::String)) {
    if (peek().unsupported)
      return error(peek().loc, peek().unsupported);
    value += consume().stringValue;
  }
  return std::make_unique<StringExprAST>(std::move(first.loc),
                                         std::move(value));
}

ExprPtr Parser::parseParenthesized() {
  Location loc = consume().loc; // '('
  if (consumeIf(TokenKind::RParen))
    return std::make_unique<TupleExprAST>(std::move(loc), ExprList());
  if (is(TokenKind::Star))
    return error(peek().loc, "star expressions are not supported in model "
                             "files");
  ExprPtr first = parseExpression();
  if (!first)
    return nullptr;
  if (is(TokenKind::KwFor)) {
    ExprPtr generator =
        parseComprehension(loc, std::move(first), TokenKind::RParen);
    if (!generator || !expect(TokenKind::RParen, "after the generator "
                                                 "expression"))
      return nullptr;
    return generator;
  }
  if (consumeIf(TokenKind::RParen))
    return first;

  ExprList elements;
  elements.push_back(std::move(first));
  while (consumeIf(TokenKind::Comma)) {
    if (is(TokenKind::RParen))
      break;
    if (is(TokenKind::Star))
      return error(peek().loc, "star expressions are not supported in model "
                               "files");
    ExprPtr element = parseExpression();
    if (!element)
      return nullptr;
    elements.push_back(std::move(element));
  }
  if (!expect(TokenKind::RParen, "after the tuple elements"))
    return nullptr;
  return std::make_unique<TupleExprAST>(std::move(loc), std::move(elements));
}

ExprPtr Parser::parseList() {
  Location loc = consume().loc; // '['
  ExprList elements;
  while (!is(TokenKind::RBracket)) {
    if (is(TokenKind::Star))
      return error(peek().loc, "star expressions are not supported in model "
                               "files");
    ExprPtr element = parseExpression();
    if (!element)
      return nullptr;
    if (is(TokenKind::KwFor) && elements.empty()) {
      ExprPtr comprehension = parseComprehension(loc, std::move(element),
                                                 TokenKind::RBracket);
      if (!comprehension || !expect(TokenKind::RBracket, "after the list "
                                                         "comprehension"))
        return nullptr;
      return comprehension;
    }
    elements.push_back(std::move(element));
    if (!consumeIf(TokenKind::Comma))
      break;
  }
  if (!expect(TokenKind::RBracket, "after the list elements"))
    return nullptr;
  return std::make_unique<ListExprAST>(std::move(loc), std::move(elements));
}

ExprPtr Parser::parseBrace() {
  Location loc = consume().loc; // '{'
  // Look far enough to tell a dict from a set, to name the construct.
  if (is(TokenKind::RBrace) || is(TokenKind::DoubleStar))
    return error(loc, "dict literals are not supported in model files");
  ExprPtr first = parseExpression();
  if (!first)
    return nullptr;
  if (is(TokenKind::Colon))
    return error(loc, "dict literals are not supported in model files");
  if (is(TokenKind::KwFor))
    return error(peek().loc,
                 "set comprehensions are not supported in model files");
  return error(loc, "set literals are not supported in model files");
}

ExprPtr Parser::parseAtom() {
  const Token &tok = peek();
  switch (tok.kind) {
  case TokenKind::Identifier: {
    Token name = consume();
    return std::make_unique<NameExprAST>(name.loc, name.spelling);
  }
  case TokenKind::Integer: {
    Token value = consume();
    return std::make_unique<IntExprAST>(value.loc, value.intValue);
  }
  case TokenKind::Float: {
    Token value = consume();
    return std::make_unique<FloatExprAST>(value.loc, value.floatValue);
  }
  case TokenKind::String:
    return parseString();
  case TokenKind::KwTrue:
  case TokenKind::KwFalse: {
    Token value = consume();
    return std::make_unique<BoolExprAST>(value.loc,
                                         value.is(TokenKind::KwTrue));
  }
  case TokenKind::KwNone:
    return std::make_unique<NoneExprAST>(consume().loc);
  case TokenKind::LParen:
    return parseParenthesized();
  case TokenKind::LBracket:
    return parseList();
  case TokenKind::LBrace:
    return parseBrace();
  default:
    return errorExpected(tok, "an expression");
  }
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

std::unique_ptr<ModuleAST> gnn::frontend::parseModule(llvm::StringRef source,
                                                      llvm::StringRef fileName,
                                                      DiagnosticEngine &diag) {
  // Line and column numbers are ints; refuse sizes that could overflow them.
  if (source.size() > (1u << 30)) {
    diag.error(fileName, "file is too large to be a model file");
    return nullptr;
  }
  std::shared_ptr<std::string> file = diag.addSource(fileName, source);
  Lexer lexer(source, std::move(file), diag);
  Parser parser(lexer, diag);
  return parser.parseModule();
}

std::unique_ptr<ModuleAST> gnn::frontend::parseFile(llvm::StringRef path,
                                                    DiagnosticEngine &diag) {
  std::optional<std::string> source = readSourceFile(path, diag);
  if (!source)
    return nullptr;
  llvm::StringRef name = path == "-" ? llvm::StringRef("<stdin>") : path;
  return parseModule(*source, name, diag);
}

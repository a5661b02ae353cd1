//===- Parser.h - Recursive-descent parser for model files ------*- C++ -*-===//
//
// Builds the AST of a model file from the lexer's tokens, rejecting the parts
// of Python outside the model language with a specific message. Parsing stops
// at the first error.
//
//===----------------------------------------------------------------------===//

#ifndef GNN_FRONTEND_PARSER_H
#define GNN_FRONTEND_PARSER_H

#include "frontend/AST.h"
#include "frontend/Diagnostics.h"
#include "frontend/Lexer.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"

#include <deque>
#include <memory>
#include <optional>

namespace gnn {
namespace frontend {

class Parser {
public:
  /// Nesting deeper than this (parentheses, operator chains, blocks) is an
  /// error rather than a risk to the stack, here and in every later pass
  /// that walks the tree recursively.
  static constexpr int maxNestingDepth = 200;

  Parser(Lexer &lexer, DiagnosticEngine &diag);

  /// Parses the whole file; returns null after reporting the first error.
  std::unique_ptr<ModuleAST> parseModule();

private:
  // Top level.
  std::unique_ptr<ImportAST> parseImport();
  std::unique_ptr<ClassAST> parseClass();
  /// Parses a `def`. With `deferErrors` (methods), a method outside the
  /// model language is skipped and returned as a stub that reports why when
  /// called; `decorator` (where one was) makes it such a stub too.
  std::unique_ptr<FunctionAST>
  parseFunction(bool deferErrors, const std::optional<Location> &decorator);
  bool parseParams(std::vector<ParamAST> &params);
  /// Parses a top-level statement that is not an import, class or
  /// docstring: a constant is kept, anything else is skipped (it is not
  /// run) and the names it binds are recorded.
  bool parseTopLevelStatement(
      std::vector<std::unique_ptr<AssignStmtAST>> &constants,
      std::vector<UnrunNameAST> &unrun);
  /// Consumes tokens until a logical line starts at indentation `level`
  /// (after a NEWLINE or DEDENT that is not followed by an INDENT). The
  /// caller has consumed at least the first token of what is skipped.
  /// Returns false at a lexer error.
  bool skipTo(int level);
  /// Consumes a type annotation after its ':' or '->', up to the ',', ')',
  /// '=', ':' or end of line that ends it: annotations are not evaluated.
  bool skipAnnotation();

  // Statements.
  /// Parses the statements after a block header's ':' (an indented block or
  /// one simple statement on the same line). String-only statements are
  /// dropped; the first one is stored in `docstring` when that is non-null.
  std::optional<StmtList> parseSuite(llvm::StringRef after,
                                     std::string *docstring);
  StmtPtr parseStatement();
  StmtPtr parseSimpleStatement();
  StmtPtr parseIf(bool isElif);
  StmtPtr parseFor();
  ExprPtr parseForTarget();
  ExprPtr parseComprehension(Location loc, ExprPtr element, TokenKind close);
  StmtPtr parseReturn();
  StmtPtr parseRaise();
  StmtPtr parseExprOrAssign();
  /// Checks that `target` may be assigned to; errors about the target as a
  /// whole are reported at `loc`, the start of the statement.
  bool checkAssignTarget(const ExprAST *target, const Location &loc,
                         bool augmented);
  bool expectStatementEnd();

  // Expressions, from lowest to highest precedence.
  ExprPtr parseExprList();
  ExprPtr parseExpression();
  ExprPtr parseOr();
  ExprPtr parseAnd();
  ExprPtr parseNot();
  ExprPtr parseComparison();
  ExprPtr parseArith();
  ExprPtr parseTerm();
  ExprPtr parseFactor();
  ExprPtr parsePower();
  ExprPtr parsePostfix();
  ExprPtr parseAtom();
  ExprPtr parseParenthesized();
  ExprPtr parseList();
  ExprPtr parseBrace();
  ExprPtr parseCall(ExprPtr callee);
  ExprPtr parseSubscript(ExprPtr value);
  ExprPtr parseSubscriptItem();
  ExprPtr parseString();

  // Tokens.
  const Token &peek(unsigned ahead = 0);
  Token consume();
  bool is(TokenKind kind) { return peek().kind == kind; }
  bool consumeIf(TokenKind kind);
  /// Consumes a token of `kind` or reports "expected K CONTEXT, found X".
  bool expect(TokenKind kind, llvm::StringRef context);
  bool canStartExpression(const Token &tok);

  // Errors.
  /// Reports an error unless one was already reported (by the lexer, or
  /// earlier by the parser), so that exactly one error is printed.
  std::nullptr_t error(const Location &loc, const llvm::Twine &message);
  /// Reports "expected WHAT, found TOKEN" at `tok`.
  std::nullptr_t errorExpected(const Token &tok, const llvm::Twine &what);
  /// Reports the specific message for a Python construct outside the
  /// subset that starts with `tok`; returns false if `tok` starts none.
  bool rejectUnsupported(const Token &tok);

  /// Enters one nesting level; reports an error and returns false past
  /// maxNestingDepth. Every call is paired with a leaveNesting().
  bool enterNesting(const Location &loc);
  void leaveNesting(int levels = 1) { depth -= levels; }

  Lexer &lexer;
  DiagnosticEngine &diag;
  std::deque<Token> lookahead;
  unsigned errorsAtStart;
  bool failed = false;
  int depth = 0;
  /// INDENTs minus DEDENTs consumed, and the kind of the last consumed
  /// token: where skipTo() stops.
  int indentLevel = 0;
  TokenKind lastKind = TokenKind::Newline;
  /// While set, error() records the first error here instead of reporting it.
  std::optional<UnparsedAST> *deferred = nullptr;
};

/// Parses `source` as the model file `fileName` (registering the source with
/// `diag` for its reports). Returns null after reporting the first error.
std::unique_ptr<ModuleAST> parseModule(llvm::StringRef source,
                                       llvm::StringRef fileName,
                                       DiagnosticEngine &diag);

/// Reads and parses the model file at `path`; returns null after reporting a
/// read or parse error.
std::unique_ptr<ModuleAST> parseFile(llvm::StringRef path,
                                     DiagnosticEngine &diag);

} // namespace frontend
} // namespace gnn

#endif // GNN_FRONTEND_PARSER_H

//===- Lexer.h - Tokenizer for the gnnc model language ----------*- C++ -*-===//
//
// Splits a model file (a subset of Python) into tokens, including the
// NEWLINE / INDENT / DEDENT tokens that carry Python's block structure.
//
//===----------------------------------------------------------------------===//

#ifndef GNN_FRONTEND_LEXER_H
#define GNN_FRONTEND_LEXER_H

#include "frontend/Diagnostics.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace gnn {
namespace frontend {

enum class TokenKind {
  // Markers.
  Eof,
  Error, // The lexer has reported an error; parsing must stop.
  Newline,
  Indent,
  Dedent,

  // Literals and names.
  Identifier,
  Integer,
  Float,
  String,

  // Keywords of the subset.
  KwFalse,
  KwNone,
  KwTrue,
  KwAnd,
  KwClass,
  KwDef,
  KwElif,
  KwElse,
  KwFrom,
  KwIf,
  KwImport,
  KwIn,
  KwIs,
  KwNot,
  KwOr,
  KwPass,
  KwReturn,
  // Python keywords outside the subset: recognised so that the parser can
  // say precisely what is not supported.
  KwAs,
  KwAssert,
  KwAsync,
  KwAwait,
  KwBreak,
  KwContinue,
  KwDel,
  KwExcept,
  KwFinally,
  KwFor,
  KwGlobal,
  KwLambda,
  KwNonlocal,
  KwRaise,
  KwTry,
  KwWhile,
  KwWith,
  KwYield,

  // Punctuation.
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Comma,
  Colon,
  Dot,
  Semicolon,
  Arrow,    // ->
  Ellipsis, // ...
  Equal,    // =
  Walrus,   // :=

  // Operators.
  Plus,
  Minus,
  Star,
  Slash,
  DoubleSlash,
  Percent,
  DoubleStar,
  At,
  Amp,
  Pipe,
  Caret,
  Tilde,
  LeftShift,
  RightShift,
  EqEq,
  NotEq,
  Less,
  LessEq,
  Greater,
  GreaterEq,

  // Augmented assignments.
  PlusEqual,
  MinusEqual,
  StarEqual,
  SlashEqual,
  DoubleSlashEqual,
  PercentEqual,
  DoubleStarEqual,
  AtEqual,
  AmpEqual,
  PipeEqual,
  CaretEqual,
  LeftShiftEqual,
  RightShiftEqual,
};

/// The spelling of a token kind for messages, e.g. "')'" or "end of line".
llvm::StringRef getTokenKindSpelling(TokenKind kind);

struct Token {
  TokenKind kind = TokenKind::Eof;
  Location loc;
  /// The source text of the token (empty for markers).
  llvm::StringRef spelling;
  /// The decoded value of a String token (escapes applied, adjacent literals
  /// not yet joined).
  std::string stringValue;
  int64_t intValue = 0;
  double floatValue = 0.0;
  /// For a String token the model language rejects (an f-string or bytes
  /// literal): why. Such literals are lexed so that training code the
  /// compiler skips may hold them; the parser reports this where model code
  /// uses one.
  const char *unsupported = nullptr;

  bool is(TokenKind k) const { return kind == k; }
  bool isKeyword() const;
};

/// Produces tokens on demand, so that the first error in source order is the
/// one reported whether the lexer or the parser finds it. After an error the
/// lexer only returns Error tokens.
class Lexer {
public:
  /// `source` must outlive the lexer and its tokens; `file` is the name that
  /// locations carry (see DiagnosticEngine::addSource).
  Lexer(llvm::StringRef source, std::shared_ptr<std::string> file,
        DiagnosticEngine &diag);

  Token next();

private:
  Token lexToken();
  Token lexIdentifier(const char *start);
  Token lexNumber(const char *start);
  Token lexString(const char *start, const char *quote, bool raw);
  /// Consumes indentation at the start of a logical line and queues the
  /// INDENT/DEDENT tokens it implies. Returns false after reporting an error.
  bool handleLineStart();
  /// Skips spaces, tabs, comments and backslash continuations inside a line.
  /// Returns false after reporting an error.
  bool skipWhitespace();
  bool skipComment();

  Token makeToken(TokenKind kind, const char *start, const char *end);
  Token makeMarker(TokenKind kind, Location loc);
  Token errorAt(const char *pos, const llvm::Twine &message);
  Token errorAt(const Location &loc, const llvm::Twine &message);
  Location getLocation(const char *pos);
  /// Moves past a line break at `cur` ("\n", "\r\n") and starts a new line.
  void consumeNewline();

  llvm::StringRef source;
  std::shared_ptr<std::string> file;
  DiagnosticEngine &diag;

  const char *cur;
  const char *end;
  const char *lineStart;
  int line = 1;
  // Column cache: tokens of a line are located left to right, so counting
  // characters from the previous location keeps lexing linear.
  const char *colCachePos;
  int colCacheCol = 1;
  /// Where the last token ended: NEWLINE, DEDENT and EOF point here.
  Location lastTokenEnd;

  bool atLineStart = true;
  bool failed = false;
  /// Whether the current logical line produced a token (so needs a NEWLINE).
  bool lineHasTokens = false;
  int pendingDedents = 0;
  bool pendingIndent = false;
  Location pendingLoc;
  llvm::SmallVector<int, 16> indentStack;
  /// Open brackets, for implicit line joining and for matching closers.
  struct OpenBracket {
    char c;
    Location loc;
  };
  llvm::SmallVector<OpenBracket, 16> brackets;
};

} // namespace frontend
} // namespace gnn

#endif // GNN_FRONTEND_LEXER_H

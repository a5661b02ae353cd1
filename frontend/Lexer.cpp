//===- Lexer.cpp - Tokenizer for the gnnc model language ------------------===//
//
// Python's tokenizer rules, restricted: spaces-only indentation, implicit line
// joining inside brackets, backslash continuation, and strict UTF-8.
//
//===----------------------------------------------------------------------===//

#include "frontend/Lexer.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

using namespace gnn::frontend;

llvm::StringRef gnn::frontend::getTokenKindSpelling(TokenKind kind) {
  switch (kind) {
  case TokenKind::Eof:
    return "end of file";
  case TokenKind::Error:
    return "invalid token";
  case TokenKind::Newline:
    return "end of line";
  case TokenKind::Indent:
    return "indent";
  case TokenKind::Dedent:
    return "dedent";
  case TokenKind::Identifier:
    return "name";
  case TokenKind::Integer:
    return "integer";
  case TokenKind::Float:
    return "number";
  case TokenKind::String:
    return "string";
  case TokenKind::KwFalse:
    return "'False'";
  case TokenKind::KwNone:
    return "'None'";
  case TokenKind::KwTrue:
    return "'True'";
  case TokenKind::KwAnd:
    return "'and'";
  case TokenKind::KwClass:
    return "'class'";
  case TokenKind::KwDef:
    return "'def'";
  case TokenKind::KwElif:
    return "'elif'";
  case TokenKind::KwElse:
    return "'else'";
  case TokenKind::KwFrom:
    return "'from'";
  case TokenKind::KwIf:
    return "'if'";
  case TokenKind::KwImport:
    return "'import'";
  case TokenKind::KwIn:
    return "'in'";
  case TokenKind::KwIs:
    return "'is'";
  case TokenKind::KwNot:
    return "'not'";
  case TokenKind::KwOr:
    return "'or'";
  case TokenKind::KwPass:
    return "'pass'";
  case TokenKind::KwReturn:
    return "'return'";
  case TokenKind::KwAs:
    return "'as'";
  case TokenKind::KwAssert:
    return "'assert'";
  case TokenKind::KwAsync:
    return "'async'";
  case TokenKind::KwAwait:
    return "'await'";
  case TokenKind::KwBreak:
    return "'break'";
  case TokenKind::KwContinue:
    return "'continue'";
  case TokenKind::KwDel:
    return "'del'";
  case TokenKind::KwExcept:
    return "'except'";
  case TokenKind::KwFinally:
    return "'finally'";
  case TokenKind::KwFor:
    return "'for'";
  case TokenKind::KwGlobal:
    return "'global'";
  case TokenKind::KwLambda:
    return "'lambda'";
  case TokenKind::KwNonlocal:
    return "'nonlocal'";
  case TokenKind::KwRaise:
    return "'raise'";
  case TokenKind::KwTry:
    return "'try'";
  case TokenKind::KwWhile:
    return "'while'";
  case TokenKind::KwWith:
    return "'with'";
  case TokenKind::KwYield:
    return "'yield'";
  case TokenKind::LParen:
    return "'('";
  case TokenKind::RParen:
    return "')'";
  case TokenKind::LBracket:
    return "'['";
  case TokenKind::RBracket:
    return "']'";
  case TokenKind::LBrace:
    return "'{'";
  case TokenKind::RBrace:
    return "'}'";
  case TokenKind::Comma:
    return "','";
  case TokenKind::Colon:
    return "':'";
  case TokenKind::Dot:
    return "'.'";
  case TokenKind::Semicolon:
    return "';'";
  case TokenKind::Arrow:
    return "'->'";
  case TokenKind::Ellipsis:
    return "'...'";
  case TokenKind::Equal:
    return "'='";
  case TokenKind::Walrus:
    return "':='";
  case TokenKind::Plus:
    return "'+'";
  case TokenKind::Minus:
    return "'-'";
  case TokenKind::Star:
    return "'*'";
  case TokenKind::Slash:
    return "'/'";
  case TokenKind::DoubleSlash:
    return "'//'";
  case TokenKind::Percent:
    return "'%'";
  case TokenKind::DoubleStar:
    return "'**'";
  case TokenKind::At:
    return "'@'";
  case TokenKind::Amp:
    return "'&'";
  case TokenKind::Pipe:
    return "'|'";
  case TokenKind::Caret:
    return "'^'";
  case TokenKind::Tilde:
    return "'~'";
  case TokenKind::LeftShift:
    return "'<<'";
  case TokenKind::RightShift:
    return "'>>'";
  case TokenKind::EqEq:
    return "'=='";
  case TokenKind::NotEq:
    return "'!='";
  case TokenKind::Less:
    return "'<'";
  case TokenKind::LessEq:
    return "'<='";
  case TokenKind::Greater:
    return "'>'";
  case TokenKind::GreaterEq:
    return "'>='";
  case TokenKind::PlusEqual:
    return "'+='";
  case TokenKind::MinusEqual:
    return "'-='";
  case TokenKind::StarEqual:
    return "'*='";
  case TokenKind::SlashEqual:
    return "'/='";
  case TokenKind::DoubleSlashEqual:
    return "'//='";
  case TokenKind::PercentEqual:
    return "'%='";
  case TokenKind::DoubleStarEqual:
    return "'**='";
  case TokenKind::AtEqual:
    return "'@='";
  case TokenKind::AmpEqual:
    return "'&='";
  case TokenKind::PipeEqual:
    return "'|='";
  case TokenKind::CaretEqual:
    return "'^='";
  case TokenKind::LeftShiftEqual:
    return "'<<='";
  case TokenKind::RightShiftEqual:
    return "'>>='";
  }
  return "token";
}

bool Token::isKeyword() const {
  return kind >= TokenKind::KwFalse && kind <= TokenKind::KwYield;
}

static bool isIdentStart(char c) { return llvm::isAlpha(c) || c == '_'; }
static bool isIdentChar(char c) { return llvm::isAlnum(c) || c == '_'; }

/// Describes a character for "unexpected character" messages; `p` must point
/// at a valid UTF-8 sequence.
static std::string describeChar(const char *p, const char *end) {
  uint32_t cp = 0;
  unsigned length = decodeUTF8(p, end, cp);
  std::string text;
  llvm::raw_string_ostream os(text);
  if (cp > 0x20 && cp < 0x7F)
    os << '\'' << llvm::StringRef(p, length) << '\'';
  else if (cp > 0x7F)
    os << '\'' << llvm::StringRef(p, length) << "' "
       << llvm::format("(U+%04X)", cp);
  else
    os << llvm::format("U+%04X", cp);
  return text;
}

Lexer::Lexer(llvm::StringRef source, std::shared_ptr<std::string> file,
             DiagnosticEngine &diag)
    : source(source), file(std::move(file)), diag(diag), cur(source.begin()),
      end(source.end()), lineStart(source.begin()),
      colCachePos(source.begin()) {
  indentStack.push_back(0);
  lastTokenEnd = getLocation(cur);
}

Location Lexer::getLocation(const char *pos) {
  if (pos < colCachePos || colCachePos < lineStart) {
    colCachePos = lineStart;
    colCacheCol = 1;
  }
  // Count characters, with an invalid byte counting as one, exactly as the
  // diagnostic printer does when it places the caret.
  while (colCachePos < pos) {
    uint32_t cp;
    unsigned length = decodeUTF8(colCachePos, end, cp);
    colCachePos += length ? length : 1;
    ++colCacheCol;
  }
  return Location{file, line, colCacheCol};
}

void Lexer::consumeNewline() {
  if (cur < end && *cur == '\r')
    ++cur;
  if (cur < end && *cur == '\n')
    ++cur;
  ++line;
  lineStart = cur;
  colCachePos = cur;
  colCacheCol = 1;
}

static bool isNewlineAt(const char *p, const char *end) {
  return p < end && (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n'));
}

Token Lexer::makeMarker(TokenKind kind, Location loc) {
  Token tok;
  tok.kind = kind;
  tok.loc = std::move(loc);
  return tok;
}

Token Lexer::makeToken(TokenKind kind, const char *start, const char *stop) {
  Token tok;
  tok.kind = kind;
  tok.loc = getLocation(start);
  tok.spelling = llvm::StringRef(start, stop - start);
  lastTokenEnd = getLocation(stop);
  return tok;
}

Token Lexer::errorAt(const Location &loc, const llvm::Twine &message) {
  diag.error(loc, message);
  failed = true;
  return makeMarker(TokenKind::Error, loc);
}

Token Lexer::errorAt(const char *pos, const llvm::Twine &message) {
  return errorAt(getLocation(pos), message);
}

/// Reports an invalid byte or a control character at `p` inside a comment or
/// string; returns false if `p` holds such a character.
static bool checkTextChar(const char *p, const char *end, unsigned &length,
                          std::string &message) {
  uint32_t cp = 0;
  length = decodeUTF8(p, end, cp);
  if (length == 0) {
    message = llvm::formatv("invalid UTF-8 byte 0x{0:X-2} in source file",
                            static_cast<unsigned char>(*p))
                  .str();
    length = 1;
    return false;
  }
  if (cp == 0) {
    message = "null byte in source file";
    return false;
  }
  return true;
}

bool Lexer::skipComment() {
  while (cur < end && *cur != '\n' && *cur != '\r') {
    unsigned length;
    std::string message;
    if (!checkTextChar(cur, end, length, message)) {
      errorAt(cur, message);
      return false;
    }
    cur += length;
  }
  return true;
}

bool Lexer::skipWhitespace() {
  while (cur < end) {
    char c = *cur;
    if (c == ' ' || c == '\t') {
      ++cur;
    } else if (c == '#') {
      if (!skipComment())
        return false;
    } else if (c == '\\') {
      if (isNewlineAt(cur + 1, end)) {
        ++cur;
        consumeNewline();
      } else if (cur + 1 == end) {
        errorAt(cur, "unexpected end of file after line continuation "
                     "character");
        return false;
      } else {
        errorAt(cur + 1, "unexpected character after line continuation "
                         "character");
        return false;
      }
    } else {
      break;
    }
  }
  return true;
}

bool Lexer::handleLineStart() {
  while (true) {
    const char *p = cur;
    const char *tab = nullptr;
    int width = 0;
    while (p < end && (*p == ' ' || *p == '\t')) {
      if (*p == '\t' && !tab)
        tab = p;
      ++p;
      ++width;
    }
    cur = p;
    if (p == end)
      return true;
    // Blank lines and comment-only lines do not affect indentation.
    if (*p == '#') {
      if (!skipComment())
        return false;
      if (cur == end)
        return true;
      p = cur;
    }
    if (isNewlineAt(p, end)) {
      consumeNewline();
      continue;
    }

    atLineStart = false;
    if (tab) {
      errorAt(tab, "tabs are not allowed in indentation; use spaces");
      return false;
    }
    if (width > indentStack.back()) {
      indentStack.push_back(width);
      pendingIndent = true;
      pendingLoc = getLocation(p);
    } else if (width < indentStack.back()) {
      while (width < indentStack.back()) {
        indentStack.pop_back();
        ++pendingDedents;
      }
      if (width != indentStack.back()) {
        errorAt(p, "unindent does not match any outer indentation level");
        return false;
      }
      pendingLoc = getLocation(p);
    }
    return true;
  }
}

Token Lexer::next() {
  while (true) {
    if (failed)
      return makeMarker(TokenKind::Error, lastTokenEnd);
    if (atLineStart && brackets.empty() && !handleLineStart())
      return makeMarker(TokenKind::Error, lastTokenEnd);
    if (pendingIndent) {
      pendingIndent = false;
      return makeMarker(TokenKind::Indent, pendingLoc);
    }
    if (pendingDedents > 0) {
      --pendingDedents;
      return makeMarker(TokenKind::Dedent, pendingLoc);
    }
    if (!skipWhitespace())
      return makeMarker(TokenKind::Error, lastTokenEnd);

    if (cur == end) {
      if (!brackets.empty()) {
        OpenBracket open = brackets.back();
        return errorAt(open.loc, llvm::Twine("'") + llvm::Twine(open.c) +
                                     "' was never closed");
      }
      // Close the last logical line and every open block, then stop; these
      // point just past the last token so that "unexpected end of file"
      // carets land on a real line.
      if (lineHasTokens) {
        lineHasTokens = false;
        return makeMarker(TokenKind::Newline, lastTokenEnd);
      }
      if (indentStack.size() > 1) {
        indentStack.pop_back();
        return makeMarker(TokenKind::Dedent, lastTokenEnd);
      }
      return makeMarker(TokenKind::Eof, lastTokenEnd);
    }

    if (*cur == '\n' || *cur == '\r') {
      if (*cur == '\r' && !isNewlineAt(cur, end))
        return errorAt(cur, "carriage return without a line feed; use Unix "
                            "or Windows line endings");
      consumeNewline();
      // Inside brackets a line break is just whitespace.
      if (!brackets.empty())
        continue;
      atLineStart = true;
      if (lineHasTokens) {
        lineHasTokens = false;
        return makeMarker(TokenKind::Newline, lastTokenEnd);
      }
      continue;
    }

    lineHasTokens = true;
    return lexToken();
  }
}

Token Lexer::lexToken() {
  const char *start = cur;
  char c = *cur;

  if (isIdentStart(c))
    return lexIdentifier(start);
  if (llvm::isDigit(c) || (c == '.' && cur + 1 < end && llvm::isDigit(cur[1])))
    return lexNumber(start);
  if (c == '\'' || c == '"')
    return lexString(start, cur, /*raw=*/false);

  // Brackets: tracked for implicit line joining and for error messages that
  // name the bracket that does not match.
  auto closing = [](char open) {
    return open == '(' ? ')' : open == '[' ? ']' : '}';
  };
  auto bracketName = [](char b) -> llvm::StringRef {
    return (b == '(' || b == ')')   ? "parenthesis"
           : (b == '[' || b == ']') ? "bracket"
                                    : "brace";
  };
  if (c == '(' || c == '[' || c == '{') {
    brackets.push_back({c, getLocation(cur)});
    ++cur;
    return makeToken(c == '('   ? TokenKind::LParen
                     : c == '[' ? TokenKind::LBracket
                                : TokenKind::LBrace,
                     start, cur);
  }
  if (c == ')' || c == ']' || c == '}') {
    if (brackets.empty())
      return errorAt(cur, llvm::Twine("unmatched '") + llvm::Twine(c) + "'");
    OpenBracket open = brackets.back();
    if (closing(open.c) != c) {
      std::string where;
      if (open.loc.line != line)
        where = " on line " + std::to_string(open.loc.line);
      return errorAt(cur, "closing " + bracketName(c) + " '" + llvm::Twine(c) +
                              "' does not match opening " +
                              bracketName(open.c) + " '" + llvm::Twine(open.c) +
                              "'" + where);
    }
    brackets.pop_back();
    ++cur;
    return makeToken(c == ')'   ? TokenKind::RParen
                     : c == ']' ? TokenKind::RBracket
                                : TokenKind::RBrace,
                     start, cur);
  }

  // Operators and punctuation, longest match first.
  struct Spelling {
    const char *text;
    TokenKind kind;
  };
  static const Spelling operators[] = {
      {"**=", TokenKind::DoubleStarEqual},
      {"//=", TokenKind::DoubleSlashEqual},
      {"<<=", TokenKind::LeftShiftEqual},
      {">>=", TokenKind::RightShiftEqual},
      {"...", TokenKind::Ellipsis},
      {"**", TokenKind::DoubleStar},
      {"//", TokenKind::DoubleSlash},
      {"<<", TokenKind::LeftShift},
      {">>", TokenKind::RightShift},
      {"<=", TokenKind::LessEq},
      {">=", TokenKind::GreaterEq},
      {"==", TokenKind::EqEq},
      {"!=", TokenKind::NotEq},
      {"->", TokenKind::Arrow},
      {":=", TokenKind::Walrus},
      {"+=", TokenKind::PlusEqual},
      {"-=", TokenKind::MinusEqual},
      {"*=", TokenKind::StarEqual},
      {"/=", TokenKind::SlashEqual},
      {"%=", TokenKind::PercentEqual},
      {"@=", TokenKind::AtEqual},
      {"&=", TokenKind::AmpEqual},
      {"|=", TokenKind::PipeEqual},
      {"^=", TokenKind::CaretEqual},
      {"+", TokenKind::Plus},
      {"-", TokenKind::Minus},
      {"*", TokenKind::Star},
      {"/", TokenKind::Slash},
      {"%", TokenKind::Percent},
      {"@", TokenKind::At},
      {"&", TokenKind::Amp},
      {"|", TokenKind::Pipe},
      {"^", TokenKind::Caret},
      {"~", TokenKind::Tilde},
      {"<", TokenKind::Less},
      {">", TokenKind::Greater},
      {",", TokenKind::Comma},
      {":", TokenKind::Colon},
      {".", TokenKind::Dot},
      {";", TokenKind::Semicolon},
      {"=", TokenKind::Equal},
  };
  llvm::StringRef rest(cur, end - cur);
  for (const Spelling &op : operators) {
    if (rest.starts_with(op.text)) {
      cur += std::strlen(op.text);
      return makeToken(op.kind, start, cur);
    }
  }

  unsigned length;
  std::string message;
  if (!checkTextChar(cur, end, length, message))
    return errorAt(cur, message);
  return errorAt(cur, "unexpected character " + describeChar(cur, end));
}

Token Lexer::lexIdentifier(const char *start) {
  while (cur < end && isIdentChar(*cur))
    ++cur;
  llvm::StringRef text(start, cur - start);

  // A string prefix: r"..", u"..", and the ones the subset rejects.
  if (cur < end && (*cur == '\'' || *cur == '"') && text.size() <= 2) {
    std::string prefix = text.lower();
    if (prefix == "r" || prefix == "u")
      return lexString(start, cur, /*raw=*/prefix == "r");
    // Lexed raw (their escapes and braces are never evaluated), so that
    // skipped training code may print with them.
    const char *unsupported = nullptr;
    if (prefix == "f" || prefix == "rf" || prefix == "fr")
      unsupported = "f-strings are not supported in model files";
    if (prefix == "b" || prefix == "rb" || prefix == "br")
      unsupported = "bytes literals are not supported in model files";
    if (unsupported) {
      Token tok = lexString(start, cur, /*raw=*/true);
      tok.unsupported = unsupported;
      return tok;
    }
  }
  // Python allows Unicode identifiers; model files keep to ASCII names.
  if (cur < end && static_cast<unsigned char>(*cur) >= 0x80) {
    unsigned length;
    std::string message;
    if (!checkTextChar(cur, end, length, message))
      return errorAt(cur, message);
    return errorAt(cur, "unexpected character " + describeChar(cur, end) +
                            "; names must be ASCII");
  }

  TokenKind kind = llvm::StringSwitch<TokenKind>(text)
                       .Case("False", TokenKind::KwFalse)
                       .Case("None", TokenKind::KwNone)
                       .Case("True", TokenKind::KwTrue)
                       .Case("and", TokenKind::KwAnd)
                       .Case("class", TokenKind::KwClass)
                       .Case("def", TokenKind::KwDef)
                       .Case("elif", TokenKind::KwElif)
                       .Case("else", TokenKind::KwElse)
                       .Case("from", TokenKind::KwFrom)
                       .Case("if", TokenKind::KwIf)
                       .Case("import", TokenKind::KwImport)
                       .Case("in", TokenKind::KwIn)
                       .Case("is", TokenKind::KwIs)
                       .Case("not", TokenKind::KwNot)
                       .Case("or", TokenKind::KwOr)
                       .Case("pass", TokenKind::KwPass)
                       .Case("return", TokenKind::KwReturn)
                       .Case("as", TokenKind::KwAs)
                       .Case("assert", TokenKind::KwAssert)
                       .Case("async", TokenKind::KwAsync)
                       .Case("await", TokenKind::KwAwait)
                       .Case("break", TokenKind::KwBreak)
                       .Case("continue", TokenKind::KwContinue)
                       .Case("del", TokenKind::KwDel)
                       .Case("except", TokenKind::KwExcept)
                       .Case("finally", TokenKind::KwFinally)
                       .Case("for", TokenKind::KwFor)
                       .Case("global", TokenKind::KwGlobal)
                       .Case("lambda", TokenKind::KwLambda)
                       .Case("nonlocal", TokenKind::KwNonlocal)
                       .Case("raise", TokenKind::KwRaise)
                       .Case("try", TokenKind::KwTry)
                       .Case("while", TokenKind::KwWhile)
                       .Case("with", TokenKind::KwWith)
                       .Case("yield", TokenKind::KwYield)
                       .Default(TokenKind::Identifier);
  return makeToken(kind, start, cur);
}

Token Lexer::lexNumber(const char *start) {
  // Collects the digits of a run, allowing single underscores between digits
  // as Python does; returns false on a misplaced underscore.
  std::string digits;
  auto scanDigits = [&](auto isDigitFn) {
    bool lastWasDigit = false;
    while (cur < end && (isDigitFn(*cur) || *cur == '_')) {
      if (*cur == '_') {
        if (!lastWasDigit || cur + 1 == end || !isDigitFn(cur[1]))
          return false;
        lastWasDigit = false;
      } else {
        digits += *cur;
        lastWasDigit = true;
      }
      ++cur;
    }
    return true;
  };
  auto isDec = [](char c) { return llvm::isDigit(c); };

  // 0x.., 0o.., 0b.. integers.
  if (*cur == '0' && cur + 1 < end &&
      llvm::StringRef("xXoObB").contains(cur[1])) {
    char base = llvm::toLower(cur[1]);
    cur += 2;
    unsigned radix = base == 'x' ? 16 : base == 'o' ? 8 : 2;
    auto isRadixDigit = [radix](char c) {
      if (radix == 16)
        return llvm::isHexDigit(c);
      return c >= '0' && c < static_cast<char>('0' + radix);
    };
    if (cur < end && *cur == '_')
      ++cur; // 0x_ff is valid Python.
    const char *name = radix == 16  ? "hexadecimal"
                       : radix == 8 ? "octal"
                                    : "binary";
    if (!scanDigits(isRadixDigit) || digits.empty() ||
        (cur < end && isIdentChar(*cur)))
      return errorAt(start, llvm::Twine("invalid ") + name + " literal");
    uint64_t value;
    if (llvm::StringRef(digits).getAsInteger(radix, value) ||
        value > static_cast<uint64_t>(INT64_MAX))
      return errorAt(start, "integer literal is too large");
    Token tok = makeToken(TokenKind::Integer, start, cur);
    tok.intValue = static_cast<int64_t>(value);
    return tok;
  }

  bool isFloat = false;
  if (!scanDigits(isDec))
    return errorAt(start, "invalid decimal literal");
  std::string intPart = digits;
  if (cur < end && *cur == '.') {
    isFloat = true;
    digits += '.';
    ++cur;
    if (cur < end && *cur != '_' && !scanDigits(isDec))
      return errorAt(start, "invalid decimal literal");
  }
  if (cur < end && (*cur == 'e' || *cur == 'E')) {
    const char *exp = cur + 1;
    if (exp < end && (*exp == '+' || *exp == '-'))
      ++exp;
    if (exp < end && llvm::isDigit(*exp)) {
      isFloat = true;
      digits += 'e';
      digits.append(cur + 1, exp);
      cur = exp;
      if (!scanDigits(isDec))
        return errorAt(start, "invalid decimal literal");
    }
  }
  if (cur < end && (*cur == 'j' || *cur == 'J'))
    return errorAt(start, "complex literals are not supported in model files");
  if (cur < end && (isIdentChar(*cur) || *cur == '.'))
    return errorAt(start, "invalid decimal literal");

  if (isFloat) {
    char *parsedEnd = nullptr;
    double value = std::strtod(digits.c_str(), &parsedEnd);
    if (parsedEnd != digits.c_str() + digits.size())
      return errorAt(start, "invalid decimal literal");
    if (std::isinf(value))
      return errorAt(start, "floating-point literal is too large");
    Token tok = makeToken(TokenKind::Float, start, cur);
    tok.floatValue = value;
    return tok;
  }

  if (intPart.size() > 1 && intPart[0] == '0' &&
      intPart.find_first_not_of('0') != std::string::npos)
    return errorAt(start, "leading zeros in decimal integer literals are not "
                          "permitted");
  uint64_t value;
  if (llvm::StringRef(intPart).getAsInteger(10, value) ||
      value > static_cast<uint64_t>(INT64_MAX))
    return errorAt(start, "integer literal is too large");
  Token tok = makeToken(TokenKind::Integer, start, cur);
  tok.intValue = static_cast<int64_t>(value);
  return tok;
}

Token Lexer::lexString(const char *start, const char *quotePos, bool raw) {
  Location startLoc = getLocation(start);
  char quote = *quotePos;
  cur = quotePos + 1;
  bool triple = end - cur >= 2 && cur[0] == quote && cur[1] == quote;
  if (triple)
    cur += 2;
  const char *unterminated = triple
                                 ? "unterminated triple-quoted string literal"
                                 : "unterminated string literal";

  std::string value;
  while (true) {
    if (cur == end)
      return errorAt(startLoc, unterminated);
    char c = *cur;
    if (c == quote) {
      if (!triple) {
        ++cur;
        break;
      }
      if (end - cur >= 3 && cur[1] == quote && cur[2] == quote) {
        cur += 3;
        break;
      }
      value += c;
      ++cur;
      continue;
    }
    if (c == '\n' || c == '\r') {
      if (!triple)
        return errorAt(startLoc, unterminated);
      if (c == '\r' && !isNewlineAt(cur, end))
        return errorAt(cur, "carriage return without a line feed; use Unix "
                            "or Windows line endings");
      consumeNewline();
      value += '\n';
      continue;
    }
    if (c == '\\') {
      const char *escape = cur;
      ++cur;
      if (cur == end)
        return errorAt(startLoc, unterminated);
      // A backslash before a line break continues the string on the next
      // line (raw strings keep both characters).
      if (isNewlineAt(cur, end)) {
        if (raw)
          value += "\\\n";
        consumeNewline();
        continue;
      }
      if (raw) {
        // In a raw string a backslash only stops the next quote (or
        // backslash) from ending the literal; both characters are kept.
        value += '\\';
        if (*cur == quote || *cur == '\\')
          value += *cur++;
        continue;
      }
      char e = *cur;
      switch (e) {
      case 'n':
        value += '\n';
        break;
      case 't':
        value += '\t';
        break;
      case 'r':
        value += '\r';
        break;
      case '0':
        value += '\0';
        break;
      case 'a':
        value += '\a';
        break;
      case 'b':
        value += '\b';
        break;
      case 'f':
        value += '\f';
        break;
      case 'v':
        value += '\v';
        break;
      case '\\':
      case '\'':
      case '"':
        value += e;
        break;
      case 'x': {
        if (end - cur < 3 || !llvm::isHexDigit(cur[1]) ||
            !llvm::isHexDigit(cur[2]))
          return errorAt(escape, "invalid '\\x' escape in string literal; "
                                 "expected two hexadecimal digits");
        unsigned byte =
            llvm::hexDigitValue(cur[1]) * 16 + llvm::hexDigitValue(cur[2]);
        // Keep the value valid UTF-8: \xHH is the code point U+00HH.
        if (byte < 0x80) {
          value += static_cast<char>(byte);
        } else {
          value += static_cast<char>(0xC0 | (byte >> 6));
          value += static_cast<char>(0x80 | (byte & 0x3F));
        }
        cur += 2;
        break;
      }
      default: {
        unsigned length;
        std::string message;
        if (!checkTextChar(cur, end, length, message))
          return errorAt(cur, message);
        return errorAt(escape, "unsupported escape sequence '\\" +
                                   llvm::StringRef(cur, length) +
                                   "' in string literal");
      }
      }
      ++cur;
      continue;
    }
    unsigned length;
    std::string message;
    if (!checkTextChar(cur, end, length, message))
      return errorAt(cur, message);
    value.append(cur, length);
    cur += length;
  }

  Token tok = makeToken(TokenKind::String, start, cur);
  tok.loc = startLoc;
  tok.stringValue = std::move(value);
  return tok;
}

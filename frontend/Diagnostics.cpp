//===- Diagnostics.cpp - Source locations and error reporting -------------===//
//
// Prints compiler errors with the offending source line and a caret.
//
//===----------------------------------------------------------------------===//

#include "frontend/Diagnostics.h"

#include "llvm/Support/MemoryBuffer.h"

using namespace gnn::frontend;

unsigned gnn::frontend::decodeUTF8(const char *p, const char *end,
                                   uint32_t &codePoint) {
  auto byte = [&](int i) { return static_cast<unsigned char>(p[i]); };
  if (p >= end)
    return 0;
  unsigned char b0 = byte(0);
  if (b0 < 0x80) {
    codePoint = b0;
    return 1;
  }
  unsigned length;
  uint32_t cp, min;
  if ((b0 & 0xE0) == 0xC0) {
    length = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    length = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    length = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (end - p < static_cast<std::ptrdiff_t>(length))
    return 0;
  for (unsigned i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80)
      return 0;
    cp = (cp << 6) | (byte(i) & 0x3F);
  }
  // Overlong forms and surrogates are invalid UTF-8 and would let garbage
  // masquerade as text.
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  codePoint = cp;
  return length;
}

DiagnosticEngine::DiagnosticEngine(llvm::raw_ostream &os) : os(os) {}

std::shared_ptr<std::string>
DiagnosticEngine::addSource(llvm::StringRef fileName, llvm::StringRef source) {
  for (SourceFile &file : sources) {
    if (*file.name == fileName) {
      file.text = source.str();
      return file.name;
    }
  }
  sources.push_back(
      {std::make_shared<std::string>(fileName.str()), source.str()});
  return sources.back().name;
}

const DiagnosticEngine::SourceFile *
DiagnosticEngine::findSource(llvm::StringRef file) const {
  for (const SourceFile &source : sources)
    if (*source.name == file)
      return &source;
  return nullptr;
}

std::optional<llvm::StringRef>
DiagnosticEngine::getSourceLine(llvm::StringRef file, int line) const {
  const SourceFile *source = findSource(file);
  if (!source || line < 1)
    return std::nullopt;
  llvm::StringRef rest = source->text;
  for (int i = 1; i < line; ++i) {
    size_t newline = rest.find('\n');
    if (newline == llvm::StringRef::npos)
      return std::nullopt;
    rest = rest.drop_front(newline + 1);
  }
  llvm::StringRef text = rest.take_until([](char c) { return c == '\n'; });
  if (text.ends_with("\r"))
    text = text.drop_back();
  return text;
}

void DiagnosticEngine::report(const Location &loc, llvm::StringRef kind,
                              const llvm::Twine &message) {
  llvm::StringRef file = loc.file ? llvm::StringRef(*loc.file) : "<unknown>";
  os << file << ':' << loc.line << ':' << loc.col << ": " << kind << ": "
     << message << '\n';
  std::optional<llvm::StringRef> line = getSourceLine(file, loc.line);
  if (!line) {
    os.flush();
    return;
  }

  // Echo the line with control characters and invalid UTF-8 replaced, so a
  // garbage byte cannot garble the terminal; each replaced byte stays one
  // column wide, as the lexer counts it. The caret line copies tabs so that
  // the caret lines up however the terminal expands them.
  std::string echo, caret;
  const char *p = line->begin(), *end = line->end();
  int col = 1;
  while (p < end) {
    uint32_t cp = 0;
    unsigned length = decodeUTF8(p, end, cp);
    bool isTab = length == 1 && *p == '\t';
    if (length == 0 || (cp < 0x20 && !isTab) || cp == 0x7F) {
      echo += '?';
      length = length ? length : 1;
    } else {
      echo.append(p, length);
    }
    if (col < loc.col)
      caret += isTab ? '\t' : ' ';
    p += length;
    ++col;
  }
  // A location just past the end of the line (a missing token at the end)
  // still gets its caret.
  for (; col < loc.col; ++col)
    caret += ' ';
  os << echo << '\n' << caret << "^\n";
  os.flush();
}

void DiagnosticEngine::error(const Location &loc, const llvm::Twine &message) {
  if (muted) {
    ++numMuted;
    return;
  }
  ++numErrors;
  report(loc, "error", message);
}

void DiagnosticEngine::error(llvm::StringRef fileName,
                             const llvm::Twine &message) {
  if (muted) {
    ++numMuted;
    return;
  }
  ++numErrors;
  os << fileName << ": error: " << message << '\n';
  os.flush();
}

void DiagnosticEngine::note(const Location &loc, const llvm::Twine &message) {
  if (!muted)
    report(loc, "note", message);
}

std::optional<std::string>
gnn::frontend::readSourceFile(llvm::StringRef path, DiagnosticEngine &diag) {
  // Model files are small; a cap keeps line and column numbers well inside
  // `int` and refuses to slurp something that is clearly not a model.
  constexpr uint64_t maxFileSize = 64ull << 20;
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (std::error_code ec = buffer.getError()) {
    diag.error(path, "cannot read file: " + ec.message());
    return std::nullopt;
  }
  if ((*buffer)->getBufferSize() > maxFileSize) {
    diag.error(path, "cannot read file: larger than 64 MiB");
    return std::nullopt;
  }
  return (*buffer)->getBuffer().str();
}

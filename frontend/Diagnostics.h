//===- Diagnostics.h - Source locations and error reporting -----*- C++ -*-===//
//
// One place that turns a source location and a message into the
// `file:line:col: error: message` report, the source line and a caret.
//
//===----------------------------------------------------------------------===//

#ifndef GNN_FRONTEND_DIAGNOSTICS_H
#define GNN_FRONTEND_DIAGNOSTICS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gnn {
namespace frontend {

/// A position in a model file. Lines and columns are 1-based; a column counts
/// characters (UTF-8 code points), not bytes. The file name is shared by every
/// location of a file so that copying a location stays cheap.
struct Location {
  std::shared_ptr<std::string> file;
  int line = 0;
  int col = 0;
};

/// Collects the source buffers of the files being compiled and reports errors
/// against them. Reports are printed as they happen; callers stop at the first
/// error, so the engine only needs to remember that one occurred.
class DiagnosticEngine {
public:
  /// Reports go to `os` (stderr by default; tests may pass a string stream).
  explicit DiagnosticEngine(llvm::raw_ostream &os = llvm::errs());

  /// Registers the contents of a file and returns the shared file name that
  /// locations in it carry. Registering the same name again replaces the text.
  std::shared_ptr<std::string> addSource(llvm::StringRef fileName,
                                         llvm::StringRef source);

  /// Prints `FILE:LINE:COL: error: MESSAGE`, the source line and a caret.
  void error(const Location &loc, const llvm::Twine &message);
  /// Prints `FILE: error: MESSAGE`, for problems with a file as a whole.
  void error(llvm::StringRef fileName, const llvm::Twine &message);
  /// Like error(), with `note:`, for context attached to a preceding error.
  void note(const Location &loc, const llvm::Twine &message);

  bool hadError() const { return numErrors != 0 || numMuted != 0; }
  unsigned getNumErrors() const { return numErrors; }

  /// While muted, reports are dropped (hadError() still sees them): for
  /// attempts whose failure the caller explains itself, such as building a
  /// model with placeholder arguments. Unmuting forgets them.
  void setMuted(bool muted) {
    this->muted = muted;
    numMuted = 0;
  }

  /// Returns the text of line `line` (1-based) of `file`, without its line
  /// break, or std::nullopt when the file or line is unknown.
  std::optional<llvm::StringRef> getSourceLine(llvm::StringRef file,
                                               int line) const;

private:
  struct SourceFile {
    std::shared_ptr<std::string> name;
    std::string text;
  };

  void report(const Location &loc, llvm::StringRef kind,
              const llvm::Twine &message);
  const SourceFile *findSource(llvm::StringRef file) const;

  llvm::raw_ostream &os;
  std::vector<SourceFile> sources;
  unsigned numErrors = 0;
  bool muted = false;
  unsigned numMuted = 0;
};

/// Decodes one UTF-8 character starting at `p`. Returns its length in bytes
/// and sets `codePoint`, or returns 0 when the bytes are not valid UTF-8
/// (truncated, overlong, surrogate or out of range).
unsigned decodeUTF8(const char *p, const char *end, uint32_t &codePoint);

/// Reads a model file ("-" reads standard input). On failure reports
/// `FILE: error: cannot read file: REASON` and returns std::nullopt.
std::optional<std::string> readSourceFile(llvm::StringRef path,
                                          DiagnosticEngine &diag);

} // namespace frontend
} // namespace gnn

#endif // GNN_FRONTEND_DIAGNOSTICS_H

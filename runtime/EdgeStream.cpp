//===- EdgeStream.cpp - Graph files read as replayable streams of edges ---===//
//
// An edge_index .npy is read with pread, one batch of each row at a time,
// so a pass over a file larger than memory holds two batches, not the
// file's pages. A text edge list is parsed from its mapping, and the pages
// already parsed are handed back as the parse moves on.
//
//===----------------------------------------------------------------------===//

#include "gnn/EdgeStream.h"

#include "FileKind.h"
#include "gnn/Npy.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstring>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

using llvm::StringRef;

namespace gnn {
namespace {

llvm::Error fail(const std::string &where, const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 where + ": " + msg.str());
}

/// Untrusted text from a file, made safe for a one-line message.
std::string printable(StringRef s) {
  std::string out;
  for (char c : s.take_front(40))
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (s.size() > 40)
    out += "...";
  return out;
}

std::string vertexCountText(int64_t n) {
  return "the vertex count " + std::to_string(n);
}

/// Reads `bytes` at `offset` of `fd` whole, or fails.
bool readAt(int fd, char *out, size_t bytes, uint64_t offset) {
  while (bytes > 0) {
    ssize_t got = ::pread(fd, out, bytes, off_t(offset));
    if (got <= 0)
      return false;
    out += got;
    bytes -= size_t(got);
    offset += uint64_t(got);
  }
  return true;
}

class NpyEdgeStream : public EdgeStream {
public:
  NpyEdgeStream(std::string path, int fd, uint64_t dataOffset, bool is64,
                int64_t numEdges, int64_t n)
      : path(std::move(path)), fd(fd), dataOffset(dataOffset), is64(is64),
        numEdges(numEdges), n(n) {}
  ~NpyEdgeStream() override { ::close(fd); }
  int64_t size() const override { return numEdges; }

  llvm::Error forEach(Batch batch) override {
    size_t item = is64 ? 8 : 4;
    std::vector<char> raw(size_t(kEdgeBatch) * item);
    std::vector<int64_t> ids[2] = {std::vector<int64_t>(size_t(kEdgeBatch)),
                                   std::vector<int64_t>(size_t(kEdgeBatch))};
    for (int64_t first = 0; first < numEdges; first += kEdgeBatch) {
      int64_t count = std::min(kEdgeBatch, numEdges - first);
      for (int row = 0; row < 2; ++row) {
        uint64_t at = dataOffset + (uint64_t(row) * numEdges + first) * item;
        if (!readAt(fd, raw.data(), size_t(count) * item, at))
          return fail(path, "cannot read edges " + llvm::Twine(first) +
                                " to " + llvm::Twine(first + count - 1) +
                                " (the file changed or is unreadable)");
        int64_t *out = ids[row].data();
        for (int64_t i = 0; i < count; ++i) {
          int64_t v;
          if (is64) {
            std::memcpy(&v, raw.data() + i * 8, 8);
          } else {
            int32_t w;
            std::memcpy(&w, raw.data() + i * 4, 4);
            v = w;
          }
          // One unsigned compare also catches negative ids.
          if (uint64_t(v) >= uint64_t(n)) {
            std::string which = row == 0 ? "source" : "target";
            return fail(path, "edge " + llvm::Twine(first + i) + ": " +
                                  which + " id " + llvm::Twine(v) +
                                  (v < 0 ? " is negative"
                                         : " is not below " +
                                               vertexCountText(n)));
          }
          out[i] = v;
        }
      }
      batch(first, ids[0].data(), ids[1].data(), count);
    }
    return llvm::Error::success();
  }

private:
  std::string path;
  int fd;
  uint64_t dataOffset;
  bool is64;
  int64_t numEdges, n;
};

class TextEdgeStream : public EdgeStream {
public:
  TextEdgeStream(std::string path, int64_t n) : path(std::move(path)), n(n) {}
  int64_t size() const override { return numEdges; }

  llvm::Error forEach(Batch batch) override {
    auto bufOr = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                             /*RequiresNullTerminator=*/false);
    if (!bufOr)
      return fail(path, "cannot read file: " + bufOr.getError().message());
    std::vector<int64_t> src, dst;
    src.reserve(size_t(kEdgeBatch));
    dst.reserve(size_t(kEdgeBatch));
    int64_t first = 0;
    llvm::Error err = scanEdgeList(
        path, (*bufOr)->getBuffer(), n, vertexCountText(n),
        [&](int64_t s, int64_t d) {
          src.push_back(s);
          dst.push_back(d);
          if (int64_t(src.size()) == kEdgeBatch) {
            batch(first, src.data(), dst.data(), kEdgeBatch);
            first += kEdgeBatch;
            src.clear();
            dst.clear();
          }
        });
    if (err)
      return err;
    if (!src.empty())
      batch(first, src.data(), dst.data(), int64_t(src.size()));
    numEdges = first + int64_t(src.size());
    return llvm::Error::success();
  }

private:
  std::string path;
  int64_t n, numEdges = -1;
};

} // namespace

llvm::Error scanEdgeList(const std::string &path, StringRef rest,
                         int64_t limit, const std::string &limitText,
                         llvm::function_ref<void(int64_t, int64_t)> edge) {
  // Not text (a .safetensors or features file given as the graph): say
  // what it is instead of quoting its bytes as a line.
  if (std::string kind = describeFileKind(rest);
      !rest.empty() && !StringRef(kind).starts_with("text"))
    return fail(path, "not a text edge list or an edge_index .npy: it is " +
                          (kind.empty() ? std::string("binary data") : kind));
  auto isSpace = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
  };
  // Parsed pages of a large mapped file are handed back every 64 MiB, so
  // a pass over it holds no more than that of it.
  constexpr size_t kRelease = size_t(64) << 20;
  const long page = sysconf(_SC_PAGESIZE);
  const char *released = rest.data();
  for (int64_t lineNo = 1; !rest.empty(); ++lineNo) {
    if (size_t(rest.data() - released) >= kRelease + size_t(page)) {
      const char *from = reinterpret_cast<const char *>(
          (uintptr_t(released) + page - 1) & ~uintptr_t(page - 1));
      const char *to = reinterpret_cast<const char *>(
          uintptr_t(rest.data()) & ~uintptr_t(page - 1));
      if (to > from)
        madvise(const_cast<char *>(from), size_t(to - from), MADV_DONTNEED);
      released = to;
    }
    size_t eol = rest.find('\n');
    StringRef line = rest.substr(0, eol);
    rest = eol == StringRef::npos ? StringRef() : rest.drop_front(eol + 1);
    StringRef content = line.substr(0, line.find('#'));
    auto where = [&] { return path + ":" + std::to_string(lineNo); };

    // Split first, so a wrong field count is reported as such rather
    // than as a bad id.
    StringRef fields[3];
    size_t i = 0, count = 0;
    while (count < 3) {
      while (i < content.size() && isSpace(content[i]))
        ++i;
      if (i == content.size())
        break;
      size_t start = i;
      while (i < content.size() && !isSpace(content[i]))
        ++i;
      fields[count++] = content.slice(start, i);
    }
    if (count == 0)
      continue; // Blank or comment-only line.
    if (count == 1)
      return fail(where(), "expected 'src dst', found only one field");
    if (count == 3)
      return fail(where(), "expected 'src dst', found a third field '" +
                               printable(fields[2]) + "'");

    int64_t ids[2];
    for (int f = 0; f < 2; ++f) {
      const char *which = f == 0 ? "source" : "target";
      StringRef tok = fields[f];
      std::string text = printable(tok);
      bool negative = tok.consume_front("-");
      uint64_t v = 0;
      bool digits = !tok.empty(), tooBig = false;
      for (char c : tok) {
        if (c < '0' || c > '9') {
          digits = false;
          break;
        }
        v = v * 10 + unsigned(c - '0');
        if (v >= uint64_t(limit))
          tooBig = true, v = uint64_t(limit); // Saturate: no overflow.
      }
      if (!digits)
        return fail(where(), llvm::Twine(which) + " id '" + text +
                                 "' is not an integer");
      if (negative)
        return fail(where(), llvm::Twine(which) + " id " + text +
                                 " is negative");
      if (tooBig)
        return fail(where(), llvm::Twine(which) + " id " + text +
                                 " is not below " + limitText);
      ids[f] = int64_t(v);
    }
    edge(ids[0], ids[1]);
  }
  return llvm::Error::success();
}

llvm::Expected<std::unique_ptr<EdgeStream>>
openEdgeStream(const std::string &path, int64_t numVertices) {
  auto head = llvm::MemoryBuffer::getFileSlice(path, 6, 0,
                                               /*IsVolatile=*/false);
  bool npy = StringRef(path).ends_with(".npy") ||
             (head && hasNpyMagic((*head)->getBuffer()));
  if (!npy) {
    if (!llvm::sys::fs::exists(path))
      return fail(path, "cannot read file: no such file or directory");
    return std::make_unique<TextEdgeStream>(path, numVertices);
  }
  // The header is checked (shape, dtype, length) through the mapping,
  // which touches only its first page; the edges are then read with pread.
  auto f = openNpy(path);
  if (!f)
    return f.takeError();
  if (f->descr != "<i8" && f->descr != "<i4")
    return fail(path, "edge_index dtype is '" + f->descr +
                          "', expected int64 ('<i8') or int32 ('<i4')");
  if (f->shape.size() != 2 || f->shape[0] != 2)
    return fail(path, "edge_index must have shape [2, E], found " +
                          formatShape(f->shape));
  uint64_t dataOffset = uint64_t(f->data - f->buffer->getBufferStart());
  int fd = -1;
  if (std::error_code ec = llvm::sys::fs::openFileForRead(path, fd))
    return fail(path, "cannot read file: " + ec.message());
  return std::make_unique<NpyEdgeStream>(path, fd, dataOffset,
                                         f->descr == "<i8", f->shape[1],
                                         numVertices);
}

} // namespace gnn

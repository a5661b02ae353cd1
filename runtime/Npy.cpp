//===- Npy.cpp - Reading and writing NumPy .npy files ---------------------===//
//
// The header is a Python dict literal; we parse the small subset NumPy
// writes ('descr', 'fortran_order', 'shape'; any key order, any spacing,
// trailing commas) by hand rather than trusting it, and check every size it
// implies against the file before touching the data.
//
//===----------------------------------------------------------------------===//

#include "ResourceFaults.h"
#include "gnn/Npy.h"
#include "FileKind.h"
#include "MappedFile.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cctype>
#include <cstring>
#include <limits>

using llvm::StringRef;

namespace gnn {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicLen = 6;

llvm::Error fail(const std::string &path, const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 path + ": " + msg.str());
}

/// Quotes a piece of untrusted file content for a one-line message: control
/// characters are escaped and long text is cut.
std::string quoteSnippet(StringRef s) {
  std::string out = "'";
  for (char c : s.take_front(40)) {
    if (std::isprint(static_cast<unsigned char>(c)))
      out += c;
    else
      out += "?";
  }
  if (s.size() > 40)
    out += "...";
  return out + "'";
}

/// The fields of a parsed header.
struct NpyHeader {
  std::string descr;
  bool fortranOrder = false;
  std::vector<int64_t> shape;
};

/// A recursive-descent parser for the header dict. Errors name what was
/// expected; the caller adds the path.
class HeaderParser {
public:
  explicit HeaderParser(StringRef text) : text(text) {}

  /// Returns an empty string on success, else the fault.
  std::string parse(NpyHeader &h) {
    bool haveDescr = false, haveFortran = false, haveShape = false;
    skipSpace();
    if (!consume('{'))
      return "header does not start with '{'";
    while (true) {
      skipSpace();
      if (consume('}'))
        break;
      std::string key;
      if (!parseString(key))
        return "expected a quoted key in the header dict";
      skipSpace();
      if (!consume(':'))
        return "expected ':' after key " + quoteSnippet(key);
      skipSpace();
      if (key == "descr") {
        if (haveDescr)
          return "duplicate key 'descr'";
        haveDescr = true;
        if (!parseString(h.descr))
          return "'descr' is not a quoted string (structured dtypes are not "
                 "supported)";
      } else if (key == "fortran_order") {
        if (haveFortran)
          return "duplicate key 'fortran_order'";
        haveFortran = true;
        if (text.consume_front("True"))
          h.fortranOrder = true;
        else if (text.consume_front("False"))
          h.fortranOrder = false;
        else
          return "'fortran_order' is not True or False";
      } else if (key == "shape") {
        if (haveShape)
          return "duplicate key 'shape'";
        haveShape = true;
        std::string err = parseShape(h.shape);
        if (!err.empty())
          return err;
      } else {
        return "unexpected key " + quoteSnippet(key) + " in the header dict";
      }
      skipSpace();
      if (consume(','))
        continue;
      skipSpace();
      if (consume('}'))
        break;
      return "expected ',' or '}' after the value of " + quoteSnippet(key);
    }
    skipSpace();
    if (!text.empty())
      return "unexpected text after the header dict";
    if (!haveDescr)
      return "header has no 'descr'";
    if (!haveFortran)
      return "header has no 'fortran_order'";
    if (!haveShape)
      return "header has no 'shape'";
    return "";
  }

private:
  StringRef text;

  void skipSpace() {
    text = text.ltrim(" \t\r\n");
  }
  bool consume(char c) { return text.consume_front(StringRef(&c, 1)); }

  bool parseString(std::string &out) {
    if (text.empty() || (text[0] != '\'' && text[0] != '"'))
      return false;
    char quote = text[0];
    size_t end = text.find(quote, 1);
    if (end == StringRef::npos)
      return false;
    out = text.slice(1, end).str();
    text = text.drop_front(end + 1);
    return true;
  }

  /// "(2, 3)", "(5,)", "(5)", "()"; dimensions are checked for sign and
  /// int64 overflow.
  std::string parseShape(std::vector<int64_t> &shape) {
    shape.clear();
    if (!consume('('))
      return "'shape' is not a tuple";
    while (true) {
      skipSpace();
      if (consume(')'))
        return "";
      if (!text.empty() && text[0] == '-')
        return "'shape' has a negative dimension";
      if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0])))
        return "'shape' has a non-integer dimension";
      uint64_t v = 0;
      while (!text.empty() && std::isdigit(static_cast<unsigned char>(text[0]))) {
        unsigned digit = text[0] - '0';
        if (v > (uint64_t(std::numeric_limits<int64_t>::max()) - digit) / 10)
          return "'shape' has a dimension that does not fit in 64 bits";
        v = v * 10 + digit;
        text = text.drop_front();
      }
      text.consume_front("L"); // Python 2 long literals.
      shape.push_back(static_cast<int64_t>(v));
      skipSpace();
      if (consume(','))
        continue;
      skipSpace();
      if (consume(')'))
        return "";
      return "expected ',' or ')' in 'shape'";
    }
  }
};

/// The element size of a simple dtype string like "<f4", "|b1", "i8"; 0 if
/// it is not one (strings, objects, structured or malformed dtypes).
size_t simpleItemSize(StringRef descr) {
  if (!descr.empty() && StringRef("<>|=").contains(descr[0]))
    descr = descr.drop_front();
  if (descr.size() < 2 || !StringRef("biufc").contains(descr[0]))
    return 0;
  unsigned size;
  if (descr.drop_front().getAsInteger(10, size) || size == 0 || size > 32)
    return 0;
  return size;
}

/// The number of elements of `shape`, or an error if it overflows int64.
/// Zero-sized dimensions are skipped in the overflow check so that the
/// verdict does not depend on dimension order.
bool shapeElements(const std::vector<int64_t> &shape, int64_t &count) {
  int64_t n = 1;
  bool zero = false;
  for (int64_t d : shape) {
    if (d == 0) {
      zero = true;
      continue;
    }
    if (n > std::numeric_limits<int64_t>::max() / d)
      return false;
    n *= d;
  }
  count = zero ? 0 : n;
  return true;
}

} // namespace

std::string npyHeader(StringRef descr, const std::vector<int64_t> &shape) {
  std::string dict = "{'descr': '" + descr.str() +
                     "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < shape.size(); ++i)
    dict += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1)
    dict += ","; // "(5,)": a Python 1-tuple, as NumPy spells it.
  dict += "), }";
  // Pad so the data starts on a 64-byte boundary, as NumPy does; version
  // 2.0 only when the header does not fit 1.0's 16-bit length.
  size_t preamble = dict.size() + 1 + kMagicLen + 2 + 2;
  bool v2 = preamble + 63 > 0xffff;
  if (v2)
    preamble += 2;
  size_t padded = (preamble + 63) / 64 * 64;
  dict.append(padded - preamble, ' ');
  dict += '\n';
  std::string out(kMagic, kMagicLen);
  out += char(v2 ? 2 : 1);
  out += char(0);
  uint32_t len = dict.size();
  out += char(len);
  out += char(len >> 8);
  if (v2) {
    out += char(len >> 16);
    out += char(len >> 24);
  }
  return out + dict;
}

namespace {

llvm::Error writeNpy(const std::string &path, StringRef descr,
                     size_t itemSize, const void *data,
                     const std::vector<int64_t> &shape) {
  int64_t count;
  for (int64_t d : shape)
    if (d < 0)
      return fail(path, "cannot write an array of shape " + formatShape(shape));
  if (!shapeElements(shape, count) ||
      uint64_t(count) >
          uint64_t(std::numeric_limits<int64_t>::max()) / itemSize)
    return fail(path, "cannot write an array of shape " + formatShape(shape));
  if (count > 0 && !data)
    return fail(path, "no data for an array of shape " + formatShape(shape));

  std::string header = npyHeader(descr, shape);
  uint64_t bytes = uint64_t(count) * itemSize;
  return writeFileAtomically(path, [&](llvm::raw_ostream &os) {
    os << header;
    os.write(static_cast<const char *>(data), bytes);
    return llvm::Error::success();
  });
}

} // namespace

bool hasNpyMagic(StringRef bytes) {
  return bytes.starts_with(StringRef(kMagic, kMagicLen));
}

llvm::Expected<NpyFile> openNpy(const std::string &path) {
  auto bufOr = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                           /*RequiresNullTerminator=*/false);
  if (!bufOr)
    return fail(path, "cannot read file: " + bufOr.getError().message());
  std::unique_ptr<llvm::MemoryBuffer> buffer = std::move(*bufOr);
  auto f = parseNpy(path, buffer->getBuffer());
  if (!f)
    return f.takeError();
  f->buffer = std::move(buffer);
  return f;
}

llvm::Expected<NpyFile> parseNpy(const std::string &path, StringRef bytes) {
  NpyFile f;

  if (!hasNpyMagic(bytes)) {
    std::string kind = describeFileKind(bytes);
    return fail(path, kind.empty() ? std::string("not a .npy file (bad magic string)")
                                   : "not a .npy file: it is " + kind);
  }
  if (bytes.size() < kMagicLen + 2)
    return fail(path, "file is truncated inside the .npy preamble");
  unsigned major = uint8_t(bytes[6]), minor = uint8_t(bytes[7]);
  if (major < 1 || major > 3 || minor != 0)
    return fail(path, "unsupported .npy format version " +
                          llvm::Twine(major) + "." + llvm::Twine(minor));
  size_t lenBytes = major == 1 ? 2 : 4;
  size_t start = kMagicLen + 2 + lenBytes;
  if (bytes.size() < start)
    return fail(path, "file is truncated inside the .npy preamble");
  uint64_t headerLen = 0;
  for (size_t i = 0; i < lenBytes; ++i)
    headerLen |= uint64_t(uint8_t(bytes[8 + i])) << (8 * i);
  if (headerLen > bytes.size() - start)
    return fail(path, "header length " + llvm::Twine(headerLen) +
                          " runs past the end of the file (" +
                          llvm::Twine(bytes.size()) + " bytes)");

  NpyHeader h;
  std::string err = HeaderParser(bytes.substr(start, headerLen)).parse(h);
  if (!err.empty())
    return fail(path, "malformed .npy header: " + err);
  if (h.fortranOrder)
    return fail(path, "array is in Fortran order; only C order is supported");
  f.itemSize = simpleItemSize(h.descr);
  if (!f.itemSize)
    return fail(path, "unsupported dtype " + quoteSnippet(h.descr));
  // Byte counts must fit int64 too (they are compared with file sizes).
  if (!shapeElements(h.shape, f.numElements) ||
      uint64_t(f.numElements) >
          uint64_t(std::numeric_limits<int64_t>::max()) / f.itemSize)
    return fail(path, "shape " + formatShape(h.shape) +
                          " has too many elements");

  uint64_t need = uint64_t(f.numElements) * f.itemSize;
  uint64_t have = bytes.size() - start - headerLen;
  if (have != need)
    return fail(path, (have < need ? "data is truncated: " : "data has "
                                     "trailing bytes: ") +
                          llvm::Twine("shape ") + formatShape(h.shape) +
                          " of '" + h.descr + "' needs " + llvm::Twine(need) +
                          " bytes, the file holds " + llvm::Twine(have));
  f.descr = std::move(h.descr);
  f.shape = std::move(h.shape);
  f.data = bytes.data() + start + headerLen;
  return std::move(f);
}

static llvm::Error checkRank(const std::string &path, const NpyFile &f,
                             int rank) {
  if (rank >= 0 && f.shape.size() != size_t(rank))
    return fail(path, "expected a rank-" + llvm::Twine(rank) +
                          " array, found shape " + formatShape(f.shape));
  return llvm::Error::success();
}

/// What readNpyF32 and mapNpyF32 accept: float32 of rank `rank` (any if
/// negative).
static llvm::Error checkF32(const std::string &path, const NpyFile &f,
                           int rank) {
  if (f.descr != "<f4")
    return fail(path, "dtype is '" + f.descr + "', expected float32 ('<f4')");
  return checkRank(path, f, rank);
}

llvm::Expected<Tensor> readNpyF32(const std::string &path, int rank) {
  return gnn::detail::catchOutOfMemory(path, "reading the array",
                                      [&]() -> llvm::Expected<Tensor> {
    auto f = openNpy(path);
    if (!f)
      return f.takeError();
    if (auto err = checkF32(path, *f, rank))
      return std::move(err);
    Tensor t(f->shape);
    if (f->numElements) // An empty tensor's data() may be null.
      std::memcpy(t.data(), f->data, size_t(f->numElements) * sizeof(float));
    return std::move(t);
  });
}

llvm::Expected<Tensor> readEdgeRowsF32(const std::string &path) {
  auto t = readNpyF32(path);
  if (!t)
    return t.takeError();
  if (t->shape.size() == 1)
    t->shape.push_back(1);
  if (t->shape.size() != 2)
    return fail(path, "expected edge features [E, D] or edge weights [E], "
                      "found shape " + formatShape(t->shape));
  return t;
}

llvm::Expected<Tensor> mapNpyF32(const std::string &path, int rank) {
  auto region = detail::mapFile(path);
  if (!region)
    return region.takeError();
  std::shared_ptr<llvm::sys::fs::mapped_file_region> map = std::move(*region);
  auto f = parseNpy(path, StringRef(map->const_data(), map->size()));
  if (!f)
    return f.takeError();
  if (auto err = checkF32(path, *f, rank))
    return std::move(err);
  // NumPy pads headers to 64 bytes, so the data is aligned; a file that
  // is not (a hand-made header) is read into aligned memory instead.
  if (f->numElements == 0 || uintptr_t(f->data) % alignof(float) != 0)
    return readNpyF32(path, rank);
  float *data = reinterpret_cast<float *>(const_cast<char *>(f->data));
  return Tensor::share(data, f->shape, std::move(map));
}

llvm::Expected<IntMatrix> readNpyInt2D(const std::string &path) {
  return gnn::detail::catchOutOfMemory(path, "reading the array",
                                      [&]() -> llvm::Expected<IntMatrix> {
    auto f = openNpy(path);
    if (!f)
      return f.takeError();
    bool i64 = f->descr == "<i8", i32 = f->descr == "<i4";
    if (!i64 && !i32)
      return fail(path, "dtype is '" + f->descr +
                            "', expected int64 ('<i8') or int32 ('<i4')");
    if (auto err = checkRank(path, *f, 2))
      return std::move(err);
    IntMatrix m;
    m.rows = f->shape[0];
    m.cols = f->shape[1];
    m.values.resize(size_t(f->numElements));
    if (i64) {
      if (!m.values.empty()) // An empty vector's data() may be null.
        std::memcpy(m.values.data(), f->data, m.values.size() * sizeof(int64_t));
    } else {
      for (size_t i = 0, e = m.values.size(); i < e; ++i) {
        int32_t v;
        std::memcpy(&v, f->data + i * sizeof(v), sizeof(v));
        m.values[i] = v;
      }
    }
    return std::move(m);
  });
}

llvm::Error writeNpyF32(const std::string &path, const float *data,
                        const std::vector<int64_t> &shape) {
  return writeNpy(path, "<f4", sizeof(float), data, shape);
}

llvm::Error writeNpyI64(const std::string &path, const int64_t *data,
                        const std::vector<int64_t> &shape) {
  return writeNpy(path, "<i8", sizeof(int64_t), data, shape);
}

llvm::Error writeFileAtomically(
    const std::string &path,
    llvm::function_ref<llvm::Error(llvm::raw_ostream &)> write) {
  int fd;
  llvm::SmallString<256> tmp;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueFile(path + ".tmp.%%%%%%", fd, tmp))
    return fail(path, "cannot create a temporary file: " + ec.message());
  std::error_code ec;
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    if (llvm::Error err = write(os)) {
      os.close();
      os.clear_error(); // Else the stream's destructor aborts the process.
      llvm::sys::fs::remove(tmp);
      return err;
    }
    os.close();
    ec = os.error();
    os.clear_error(); // The error is reported below, not by a fatal abort.
  }
  if (!ec)
    ec = llvm::sys::fs::rename(tmp, path);
  if (ec) {
    llvm::sys::fs::remove(tmp);
    return fail(path, "cannot write file: " + ec.message());
  }
  return llvm::Error::success();
}

} // namespace gnn

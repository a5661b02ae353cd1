//===- Safetensors.cpp - Reading safetensors files, writing F32 ones ------===//
//
// Layout: u64 little-endian header length N, N bytes of JSON, then the data
// buffer. As in the format's specification, every tensor's byte range must
// lie inside the buffer, match its shape exactly, and the ranges must tile
// the buffer with no overlap and no hole: a file that breaks this was not
// written by a safetensors writer and its contents cannot be trusted.
//
// Weights are kept as F32 whatever their dtype in the file: F16 and BF16
// widen exactly (FloatWidening.h), F64 rounds to nearest as PyTorch's
// load_state_dict does when it copies into a float32 parameter. Integer
// and boolean tensors (BatchNorm's num_batches_tracked) are buffers no
// model parameter can be: they are checked like the others and left out.
//
//===----------------------------------------------------------------------===//

#include "ResourceFaults.h"
#include "gnn/Safetensors.h"

#include "FileKind.h"
#include "FloatWidening.h"
#include "JsonDuplicateKeys.h"
#include "gnn/Npy.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <limits>
#include <vector>

using llvm::StringRef;

namespace gnn {
namespace {

llvm::Error fail(const std::string &path, const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 path + ": " + msg.str());
}

/// A tensor name from the file, quoted for a one-line message.
std::string quoteName(StringRef s) {
  std::string out = "'";
  for (char c : s.take_front(80))
    out += std::isprint(static_cast<unsigned char>(c)) ? c : '?';
  if (s.size() > 80)
    out += "...";
  return out + "'";
}

/// JSON parse errors may in principle span lines; keep messages one line.
std::string oneLine(std::string s) {
  for (char &c : s)
    if (c == '\n' || c == '\r')
      c = ' ';
  return s;
}

/// How a dtype's elements become weights.
enum class Conversion { F32, F16, BF16, F64, Skip };

struct DType {
  StringRef name;
  uint64_t size; // bytes per element
  Conversion conversion;
};

/// The safetensors dtypes read; any other (F8_*, complex) is refused.
constexpr DType kDTypes[] = {
    {"F32", 4, Conversion::F32},   {"F16", 2, Conversion::F16},
    {"BF16", 2, Conversion::BF16}, {"F64", 8, Conversion::F64},
    {"I64", 8, Conversion::Skip},  {"I32", 4, Conversion::Skip},
    {"I16", 2, Conversion::Skip},  {"I8", 1, Conversion::Skip},
    {"U64", 8, Conversion::Skip},  {"U32", 4, Conversion::Skip},
    {"U16", 2, Conversion::Skip},  {"U8", 1, Conversion::Skip},
    {"BOOL", 1, Conversion::Skip},
};
constexpr uint64_t kMaxElementSize = 8;

/// One tensor entry of the header, validated.
struct Entry {
  std::string name;
  std::vector<int64_t> shape;
  uint64_t begin = 0, end = 0;
  const DType *dtype = nullptr;
};

/// Checks one header entry; returns the fault ("" when valid).
std::string parseEntry(const llvm::json::Value &v, uint64_t dataSize,
                       Entry &e) {
  std::string q = "tensor " + quoteName(e.name);
  const llvm::json::Object *obj = v.getAsObject();
  if (!obj)
    return q + " is not a JSON object";
  for (const auto &kv : *obj) {
    StringRef k = kv.first;
    if (k != "dtype" && k != "shape" && k != "data_offsets")
      return q + " has an unexpected field " + quoteName(k);
  }
  const llvm::json::Value *dtype = obj->get("dtype");
  const llvm::json::Value *shape = obj->get("shape");
  const llvm::json::Value *offsets = obj->get("data_offsets");
  if (!dtype)
    return q + " has no 'dtype'";
  if (!shape)
    return q + " has no 'shape'";
  if (!offsets)
    return q + " has no 'data_offsets'";
  std::optional<StringRef> dt = dtype->getAsString();
  if (!dt)
    return q + ": 'dtype' is not a string";
  for (const DType &d : kDTypes)
    if (d.name == *dt)
      e.dtype = &d;
  if (!e.dtype)
    return q + " has dtype " + quoteName(*dt) +
           ", which is not read (weights are F32, F16, BF16 or F64; "
           "integer and BOOL buffers are skipped)";
  const uint64_t elementSize = e.dtype->size;

  const llvm::json::Array *dims = shape->getAsArray();
  if (!dims)
    return q + ": 'shape' is not an array";
  int64_t count = 1;
  bool zero = false;
  for (const llvm::json::Value &d : *dims) {
    std::optional<int64_t> n = d.getAsInteger();
    if (!n || *n < 0)
      return q + ": 'shape' holds something other than a non-negative "
                 "integer";
    e.shape.push_back(*n);
    // Zero dimensions are left out of the overflow check so the verdict
    // does not depend on dimension order.
    if (*n == 0) {
      zero = true;
      continue;
    }
    if (count >
        std::numeric_limits<int64_t>::max() / int64_t(kMaxElementSize) / *n)
      return q + ": shape " + formatShape(e.shape) + " has too many elements";
    count *= *n;
  }
  if (zero)
    count = 0;

  const llvm::json::Array *offs = offsets->getAsArray();
  if (!offs || offs->size() != 2)
    return q + ": 'data_offsets' is not an array of two integers";
  std::optional<int64_t> b = (*offs)[0].getAsInteger();
  std::optional<int64_t> en = (*offs)[1].getAsInteger();
  if (!b || !en || *b < 0 || *en < 0)
    return q + ": 'data_offsets' is not an array of two non-negative integers";
  e.begin = *b;
  e.end = *en;
  std::string range = "[" + std::to_string(e.begin) + ", " +
                      std::to_string(e.end) + "]";
  if (e.begin > e.end || e.end > dataSize)
    return q + ": data_offsets " + range + " lie outside the data (" +
           std::to_string(dataSize) + " bytes)";
  if (e.end - e.begin != uint64_t(count) * elementSize)
    return q + ": data_offsets " + range + " hold " +
           std::to_string(e.end - e.begin) + " bytes, but shape " +
           formatShape(e.shape) + " of " + dt->str() + " needs " +
           std::to_string(uint64_t(count) * elementSize);
  return "";
}

} // namespace

llvm::Expected<WeightMap> readSafetensors(const std::string &path) {
  return gnn::detail::catchOutOfMemory(path, "reading the weights",
                                      [&]() -> llvm::Expected<WeightMap> {
    auto bufOr = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                             /*RequiresNullTerminator=*/false);
    if (!bufOr)
      return fail(path, "cannot read file: " + bufOr.getError().message());
    StringRef bytes = (*bufOr)->getBuffer();
    if (bytes.size() < 8)
      return fail(path, "file is too short for a safetensors header (" +
                            llvm::Twine(bytes.size()) + " bytes)");
    uint64_t headerLen = 0;
    for (int i = 0; i < 8; ++i)
      headerLen |= uint64_t(uint8_t(bytes[i])) << (8 * i);
    // A file of another kind (a .params list, a .npy, a torch.save zip) is
    // named as such rather than by the header length its bytes spell.
    if (headerLen > bytes.size() - 8 || (headerLen > 0 && bytes[8] != '{'))
      if (std::string kind = describeFileKind(bytes); !kind.empty())
        return fail(path, "not a .safetensors file: it is " + kind);
    if (headerLen > bytes.size() - 8)
      return fail(path, "header length " + llvm::Twine(headerLen) +
                            " runs past the end of the file (" +
                            llvm::Twine(bytes.size()) + " bytes)");
    StringRef data = bytes.drop_front(8 + headerLen);

    llvm::Expected<llvm::json::Value> json =
        llvm::json::parse(bytes.substr(8, headerLen));
    if (!json)
      return fail(path, "header is not valid JSON: " +
                            oneLine(llvm::toString(json.takeError())));
    const llvm::json::Object *top = json->getAsObject();
    if (!top)
      return fail(path, "header is not a JSON object");
    // A repeated name would otherwise leave one entry's bytes to whichever
    // the parser kept.
    if (std::optional<std::string> key =
            detail::findDuplicateKey(bytes.substr(8, headerLen)))
      return fail(path, "header has the key " + quoteName(*key) +
                            " twice in one object");

    // Sorted by name so that errors and results do not depend on the JSON
    // object's hash order.
    std::vector<Entry> entries;
    for (const auto &kv : *top) {
      if (kv.first == "__metadata__") {
        if (!kv.second.getAsObject())
          return fail(path, "'__metadata__' is not a JSON object");
        continue;
      }
      entries.emplace_back();
      entries.back().name = kv.first.str();
    }
    llvm::sort(entries,
               [](const Entry &a, const Entry &b) { return a.name < b.name; });
    for (Entry &e : entries) {
      std::string err = parseEntry(*top->get(e.name), data.size(), e);
      if (!err.empty())
        return fail(path, err);
    }

    std::vector<const Entry *> byOffset;
    for (const Entry &e : entries)
      byOffset.push_back(&e);
    llvm::stable_sort(byOffset, [](const Entry *a, const Entry *b) {
      return std::make_pair(a->begin, a->end) < std::make_pair(b->begin, b->end);
    });
    uint64_t covered = 0;
    const Entry *prev = nullptr;
    for (const Entry *e : byOffset) {
      if (e->begin < covered)
        return fail(path, "tensors " + quoteName(prev->name) + " and " +
                              quoteName(e->name) + " overlap in the data");
      if (e->begin > covered)
        return fail(path, "data bytes [" + llvm::Twine(covered) + ", " +
                              llvm::Twine(e->begin) +
                              ") belong to no tensor");
      covered = e->end;
      prev = e;
    }
    if (covered != data.size())
      return fail(path, "data bytes [" + llvm::Twine(covered) + ", " +
                            llvm::Twine(data.size()) + ") belong to no tensor");

    WeightMap weights;
    for (Entry &e : entries) {
      if (e.dtype->conversion == Conversion::Skip)
        continue;
      Tensor t(e.shape);
      const char *src = data.data() + e.begin;
      float *dst = t.data();
      size_t count = t.numElements();
      using namespace llvm::support::endian;
      switch (e.dtype->conversion) {
      case Conversion::F32:
        if (count)
          std::memcpy(dst, src, count * sizeof(float));
        break;
      case Conversion::F16:
        for (size_t i = 0; i < count; ++i)
          dst[i] = detail::halfToFloat(read16le(src + 2 * i));
        break;
      case Conversion::BF16:
        for (size_t i = 0; i < count; ++i)
          dst[i] = detail::bfloat16ToFloat(read16le(src + 2 * i));
        break;
      case Conversion::F64:
        for (size_t i = 0; i < count; ++i) {
          uint64_t bits = read64le(src + 8 * i);
          double d;
          std::memcpy(&d, &bits, sizeof d);
          dst[i] = static_cast<float>(d);
        }
        break;
      case Conversion::Skip:
        break;
      }
      weights.emplace(e.name, std::move(t));
    }
    return std::move(weights);
  });
}

llvm::Error writeSafetensors(const std::string &path,
                             const WeightMap &weights) {
  // Validate first: the JSON stream below must not be left half-open.
  for (const auto &[name, t] : weights)
    if (std::string bad = describeBadStorage(t); !bad.empty())
      return fail(path, "tensor " + quoteName(name) + " " + bad);

  std::string header;
  uint64_t offset = 0;
  {
    llvm::raw_string_ostream hs(header);
    llvm::json::OStream j(hs);
    j.objectBegin();
    for (const auto &[name, t] : weights) {
      uint64_t bytes = uint64_t(t.numElements()) * 4;
      j.attributeBegin(name);
      j.objectBegin();
      j.attribute("dtype", "F32");
      j.attributeArray("shape", [&] {
        for (int64_t d : t.shape)
          j.value(d);
      });
      j.attributeArray("data_offsets", [&] {
        j.value(int64_t(offset));
        j.value(int64_t(offset + bytes));
      });
      j.objectEnd();
      j.attributeEnd();
      offset += bytes;
    }
    j.objectEnd();
  }
  // The reference writer pads the header with spaces to 8 bytes so the
  // data is aligned for readers that map it.
  header.append((8 - header.size() % 8) % 8, ' ');

  return writeFileAtomically(path, [&](llvm::raw_ostream &os) {
    uint64_t n = header.size();
    char le[8];
    for (int i = 0; i < 8; ++i)
      le[i] = char(n >> (8 * i));
    os.write(le, 8);
    os << header;
    for (const auto &kv : weights)
      os.write(reinterpret_cast<const char *>(kv.second.data()),
               kv.second.numElements() * sizeof(float));
    return llvm::Error::success();
  });
}

} // namespace gnn

std::map<std::string, std::vector<int64_t>>
gnn::weightShapes(const WeightMap &weights) {
  std::map<std::string, std::vector<int64_t>> shapes;
  for (const auto &[name, tensor] : weights)
    shapes[name] = tensor.shape;
  return shapes;
}

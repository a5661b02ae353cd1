//===- FileKind.cpp - What a file given in the wrong place is -------------===//
#include "FileKind.h"

#include "llvm/Support/Endian.h"
#include "llvm/Support/JSON.h"

using namespace gnn;
using llvm::StringRef;

std::string gnn::describeFileKind(StringRef bytes) {
  if (bytes.starts_with("\x93NUMPY"))
    return "a .npy array";
  if (bytes.size() >= 9) {
    uint64_t header = llvm::support::endian::read64le(bytes.data());
    if (header >= 2 && header <= bytes.size() - 8 && bytes[8] == '{')
      return "a .safetensors file";
  }
  if (bytes.starts_with("PK\x03\x04"))
    return "a zip archive (torch.save writes one: convert a state_dict with "
           "scripts/pt-to-safetensors)";
  if (bytes.size() >= 2 && uint8_t(bytes[0]) == 0x80 && bytes[1] >= 2 &&
      bytes[1] <= 5)
    return "a Python pickle (torch.save's legacy format: convert a "
           "state_dict with scripts/pt-to-safetensors)";
  if (bytes.starts_with("\x7f" "ELF"))
    return "an ELF object file";
  if (bytes.starts_with(StringRef("GNNPART\0", 8)))
    return "a gnnc part file (give its partition directory)";
  // Text: valid UTF-8 in the first KiB (which may end inside a
  // character), no control characters but whitespace.
  StringRef head = bytes.take_front(1024);
  bool text = !head.empty();
  for (char c : head)
    if (c == '\0' || (uint8_t(c) < 0x20 && c != '\n' && c != '\r' &&
                      c != '\t' && c != '\f' && c != '\v'))
      text = false;
  bool utf8 = false;
  for (size_t cut = 0; cut < 4 && cut < head.size() && !utf8; ++cut)
    utf8 = llvm::json::isUTF8(head.drop_back(cut));
  if (!text || !utf8)
    return "";
  StringRef line = head.substr(0, head.find_first_of("\r\n"));
  std::string shown;
  for (char c : line.take_front(32))
    shown += uint8_t(c) < 0x7f ? c : '?';
  if (line.size() > 32)
    shown += "...";
  return "text starting \"" + shown + "\"";
}

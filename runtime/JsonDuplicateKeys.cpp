//===- JsonDuplicateKeys.cpp - Finding a key repeated in a JSON object ----===//
//
// A scan of the raw text: strings are skipped whole (so brackets, colons
// and commas inside them do not count), and a string is a key when it is
// the first token of an object member.
//
//===----------------------------------------------------------------------===//
#include "JsonDuplicateKeys.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/JSON.h"

#include <vector>

using llvm::StringRef;

std::optional<std::string> gnn::detail::findDuplicateKey(StringRef json) {
  struct Level {
    bool object = false;
    bool expectKey = false;
    llvm::StringSet<> keys;
  };
  std::vector<Level> stack;
  for (size_t i = 0; i < json.size(); ++i) {
    switch (json[i]) {
    case '{':
      stack.emplace_back();
      stack.back().object = stack.back().expectKey = true;
      break;
    case '[':
      stack.emplace_back();
      break;
    case '}':
    case ']':
      if (!stack.empty())
        stack.pop_back();
      break;
    case ':':
      if (!stack.empty())
        stack.back().expectKey = false;
      break;
    case ',':
      if (!stack.empty() && stack.back().object)
        stack.back().expectKey = true;
      break;
    case '"': {
      size_t end = i + 1;
      while (end < json.size() && json[end] != '"')
        end += json[end] == '\\' ? 2 : 1;
      if (end >= json.size())
        return std::nullopt; // not valid JSON: the caller's parser said so
      if (!stack.empty() && stack.back().expectKey) {
        StringRef token = json.slice(i, end + 1);
        std::string key = token.slice(1, token.size() - 1).str();
        // Escapes are decoded by the JSON parser itself, so that spellings
        // of one key compare equal.
        if (token.contains('\\')) {
          llvm::Expected<llvm::json::Value> v = llvm::json::parse(token);
          if (!v) {
            llvm::consumeError(v.takeError());
            return std::nullopt;
          }
          key = v->getAsString().value_or("").str();
        }
        if (!stack.back().keys.insert(key).second)
          return key;
      }
      i = end;
      break;
    }
    default:
      break;
    }
  }
  return std::nullopt;
}

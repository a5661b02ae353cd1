//===- Tensor.cpp - Shape formatting for error messages -------------------===//

#include "gnn/Tensor.h"

#include <string>

namespace gnn {

std::string formatShape(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ", ";
    s += std::to_string(shape[i]);
  }
  s += "]";
  return s;
}

} // namespace gnn

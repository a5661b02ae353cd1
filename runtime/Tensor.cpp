//===- Tensor.cpp - Shape formatting and checks for error messages --------===//

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

std::string describeBadStorage(const Tensor &t) {
  for (int64_t d : t.shape)
    if (d < 0)
      return "has shape " + formatShape(t.shape);
  if (t.values.size() != t.numElements())
    return "holds " + std::to_string(t.values.size()) +
           " values, but its shape " + formatShape(t.shape) + " needs " +
           std::to_string(t.numElements());
  if (t.numElements() > 0 && !t.data())
    return "has shape " + formatShape(t.shape) + " but no data";
  return "";
}

} // namespace gnn

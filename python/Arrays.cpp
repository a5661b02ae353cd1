//===- Arrays.cpp - numpy arrays and torch tensors in and out -------------===//

#include "Arrays.h"
#include "Errors.h"

#include "runtime/FloatWidening.h"

#include <cstring>
#include <limits>

namespace py = pybind11;

namespace gnnpy {

std::string shapeText(const py::array &a) {
  std::vector<int64_t> shape(a.shape(), a.shape() + a.ndim());
  return gnn::formatShape(shape);
}

/// numpy's name of the dtype ("float64"), or its byte-order string when
/// the byte order is not the host's (">f4").
static std::string dtypeName(const py::array &a) {
  std::string str = py::str(a.dtype().attr("str"));
  if (!str.empty() && str[0] == '>')
    return str;
  return py::str(a.dtype());
}

/// The dtype's byte-order string: "<f4", "<i8", "|b1", ...
static std::string dtypeCode(const py::array &a) {
  return py::str(a.dtype().attr("str"));
}

py::array asArray(py::handle obj, const std::string &what, bool widenBfloat16) {
  if (py::isinstance<py::array>(obj))
    return py::reinterpret_borrow<py::array>(obj);
  py::object value = py::reinterpret_borrow<py::object>(obj);
  // A torch.Tensor, told apart by its methods so that torch is never
  // imported here.
  if (py::hasattr(value, "detach") && py::hasattr(value, "numpy") &&
      py::hasattr(value, "dtype")) {
    value = value.attr("detach")();
    if (py::hasattr(value, "cpu"))
      value = value.attr("cpu")();
    if (std::string(py::str(value.attr("dtype"))) == "torch.bfloat16") {
      if (!widenBfloat16)
        throw Error(what + ": dtype is torch.bfloat16, expected float32");
      value = value.attr("float")(); // exact: bfloat16 is half an F32
    }
    value = value.attr("numpy")();
  }
  py::array a = py::array::ensure(value);
  if (!a) {
    PyErr_Clear();
    throw Error(what + ": expected a numpy array or a torch tensor, got " +
                std::string(py::str(py::type::of(obj).attr("__name__"))));
  }
  return a;
}

py::array floatArray2D(py::handle obj, const std::string &what) {
  py::array a = asArray(obj, what);
  if (dtypeCode(a) != "<f4")
    throw Error(what + ": dtype is " + dtypeName(a) + ", expected float32");
  if (a.ndim() != 2)
    throw Error(what + ": expected a 2-D array [rows, columns], found shape " +
                shapeText(a));
  return a;
}

FloatMatrix floatMatrix(py::handle obj, const std::string &what) {
  FloatMatrix m;
  m.keep = floatArray2D(obj, what);
  bool aligned = reinterpret_cast<uintptr_t>(m.keep.data()) % alignof(float) == 0;
  if (!(m.keep.flags() & py::array::c_style) || !aligned)
    m.keep = py::module_::import("numpy").attr("array")(
        m.keep, py::arg("order") = "C"); // the one copy, C order and aligned
  // Only read: the runtime takes features as const.
  float *data = const_cast<float *>(static_cast<const float *>(m.keep.data()));
  m.tensor = gnn::Tensor::borrow(data, {m.keep.shape(0), m.keep.shape(1)});
  return m;
}

gnn::Tensor edgeRowsToCsr(const gnn::Graph &graph, const py::array &rows) {
  int64_t e = graph.numEdges(), d = rows.shape(1);
  if (rows.shape(0) != e)
    throw Error("edge_attr: has shape " + shapeText(rows) + ", expected [" +
                std::to_string(e) + ", " + std::to_string(d) +
                "]: a row per edge of the graph, in the order of its "
                "edge_index");
  gnn::Tensor out({e, d});
  const char *base = static_cast<const char *>(rows.data());
  py::ssize_t rowStride = rows.strides(0), colStride = rows.strides(1);
  const int64_t *edgeIds = graph.edgeIds();
  for (int64_t k = 0; k < e; ++k) {
    const char *row = base + edgeIds[k] * rowStride;
    float *to = out.data() + k * d;
    if (colStride == sizeof(float)) {
      std::memcpy(to, row, d * sizeof(float));
    } else {
      for (int64_t j = 0; j < d; ++j)
        std::memcpy(to + j, row + j * colStride, sizeof(float));
    }
  }
  return out;
}

/// The largest id of two rows of `numEdges` Id-typed ids, -1 for none.
template <typename Id>
static int64_t largestId(const char *src, const char *dst, int64_t numEdges) {
  int64_t largest = -1;
  for (const char *row : {src, dst})
    for (int64_t k = 0; k < numEdges; ++k) {
      Id id;
      std::memcpy(&id, row + k * sizeof(Id), sizeof(Id));
      largest = std::max<int64_t>(largest, id);
    }
  return largest;
}

gnn::Graph graphFromEdgeIndex(py::handle obj, int64_t numNodes) {
  py::array a = asArray(obj, "edge_index");
  std::string code = dtypeCode(a);
  if (code != "<i8" && code != "<i4")
    throw Error("edge_index: dtype is " + dtypeName(a) +
                ", expected int64 or int32");
  if (a.ndim() != 2 || a.shape(0) != 2)
    throw Error("edge_index: expected shape [2, E], found " + shapeText(a));
  // Each row is read in place when its ids are consecutive (any distance
  // between the rows); a transposed [E, 2] array is copied once.
  if (a.shape(1) > 1 && a.strides(1) != a.itemsize())
    a = py::array::ensure(a, py::array::c_style);
  int idBytes = int(a.itemsize());
  int64_t numEdges = a.shape(1);
  const char *src = static_cast<const char *>(a.data());
  const char *dst = src + (numEdges ? a.strides(0) : 0);
  if (numNodes < 0) {
    int64_t largest = idBytes == 8 ? largestId<int64_t>(src, dst, numEdges)
                                   : largestId<int32_t>(src, dst, numEdges);
    if (largest >= (int64_t(1) << 31) - 1)
      throw Error("edge_index: id " + std::to_string(largest) +
                  " is not below 2147483647 (ids must fit in 31 bits)");
    numNodes = largest + 1;
  }
  py::gil_scoped_release unlocked; // `a` stays referenced meanwhile
  return unwrap(gnn::Graph::fromEdgeIndex(numNodes, src, dst, idBytes,
                                          numEdges, "edge_index"));
}

/// The F32 values of a floating-point array of any strides.
static gnn::Tensor toFloat32(const py::array &a, const std::string &code,
                             const std::string &what) {
  std::vector<int64_t> shape(a.shape(), a.shape() + a.ndim());
  gnn::Tensor t(shape);
  py::array c = py::array::ensure(a, py::array::c_style); // a copy if strided
  const char *from = static_cast<const char *>(c.data());
  size_t n = t.numElements();
  float *to = t.data();
  if (code == "<f4") {
    std::memcpy(to, from, n * sizeof(float));
  } else if (code == "<f2") {
    for (size_t i = 0; i < n; ++i) {
      uint16_t bits;
      std::memcpy(&bits, from + 2 * i, 2);
      to[i] = gnn::detail::halfToFloat(bits);
    }
  } else if (code == "<f8") {
    for (size_t i = 0; i < n; ++i) {
      double v;
      std::memcpy(&v, from + 8 * i, 8);
      to[i] = static_cast<float>(v); // round to nearest, as torch's .float()
    }
  } else {
    throw Error(what + ": dtype is " + dtypeName(a) +
                ", expected float32, float16, bfloat16 or float64");
  }
  return t;
}

gnn::WeightMap weightsFromMapping(py::handle mapping) {
  if (!py::hasattr(mapping, "items"))
    throw Error("weights: expected a .safetensors path or a dict of arrays "
                "(a state_dict), got " +
                std::string(py::str(py::type::of(mapping).attr("__name__"))));
  gnn::WeightMap weights;
  for (py::handle item : mapping.attr("items")()) {
    py::tuple entry = py::reinterpret_borrow<py::tuple>(item);
    if (!py::isinstance<py::str>(entry[0]))
      throw Error("weights: key " + std::string(py::repr(entry[0])) +
                  " is not a string");
    std::string name = py::str(entry[0]);
    std::string what = "weights['" + name + "']";
    py::array a = asArray(entry[1], what, /*widenBfloat16=*/true);
    std::string code = dtypeCode(a);
    char kind = a.dtype().kind();
    // Integer and bool buffers are no parameter (the safetensors rule).
    if (kind == 'i' || kind == 'u' || kind == 'b')
      continue;
    if (kind != 'f')
      throw Error(what + ": dtype is " + dtypeName(a) +
                  ", expected a floating-point type");
    weights[name] = toFloat32(a, code, what);
  }
  return weights;
}

py::array toNumpy(gnn::Tensor t) {
  auto *owner = new gnn::Tensor(std::move(t));
  py::capsule free(owner, [](void *p) { delete static_cast<gnn::Tensor *>(p); });
  return py::array_t<float>(owner->shape, owner->data(), free);
}

} // namespace gnnpy

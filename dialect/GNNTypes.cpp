//===- GNNTypes.cpp - Types of the gnn dialect ----------------------------===//
#include "dialect/GNNTypes.h"
#include "dialect/GNNDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace gnn;

#include "dialect/GNNEnums.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "dialect/GNNTypes.cpp.inc"

void GNNDialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "dialect/GNNTypes.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Vertex and edge tensors: `<64xf32>`, `<8x8xf32>`
//===----------------------------------------------------------------------===//

static LogicalResult verifyFeatureShape(function_ref<InFlightDiagnostic()> emitError,
                                        ArrayRef<int64_t> shape, Type elementType) {
  if (shape.empty())
    return emitError() << "feature shape must have at least one dimension";
  for (int64_t d : shape)
    if (d <= 0)
      return emitError() << "feature dimensions must be positive, got " << d;
  if (!elementType.isF32())
    return emitError() << "element type must be f32, got " << elementType;
  return success();
}

static Type parseFeatureTensor(AsmParser &parser,
                               function_ref<Type(ArrayRef<int64_t>, Type)> build) {
  SmallVector<int64_t> shape;
  Type elementType;
  if (parser.parseLess() ||
      parser.parseDimensionList(shape, /*allowDynamic=*/false,
                                /*withTrailingX=*/true) ||
      parser.parseType(elementType) || parser.parseGreater())
    return {};
  return build(shape, elementType);
}

static void printFeatureTensor(AsmPrinter &printer, ArrayRef<int64_t> shape,
                               Type elementType) {
  printer << '<';
  for (int64_t d : shape)
    printer << d << 'x';
  printer << elementType << '>';
}

static int64_t product(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

#define GNN_FEATURE_TENSOR_METHODS(T)                                          \
  Type T::parse(AsmParser &parser) {                                           \
    Location loc = parser.getEncodedSourceLoc(parser.getCurrentLocation());    \
    return parseFeatureTensor(parser, [&](ArrayRef<int64_t> s, Type e) {       \
      return T::getChecked(mlir::detail::getDefaultDiagnosticEmitFn(loc),      \
                           parser.getContext(), s, e);                         \
    });                                                                        \
  }                                                                            \
  void T::print(AsmPrinter &printer) const {                                   \
    printFeatureTensor(printer, getShape(), getElementType());                 \
  }                                                                            \
  LogicalResult T::verify(function_ref<InFlightDiagnostic()> emitError,        \
                          ArrayRef<int64_t> shape, Type elementType) {         \
    return verifyFeatureShape(emitError, shape, elementType);                  \
  }                                                                            \
  int64_t T::getRowSize() const { return product(getShape()); }                \
  VectorType T::getRowType() const {                                           \
    return VectorType::get(getShape(), getElementType());                      \
  }

GNN_FEATURE_TENSOR_METHODS(VertexType)
GNN_FEATURE_TENSOR_METHODS(EdgeType)

//===----------------------------------------------------------------------===//
// Shape helpers
//===----------------------------------------------------------------------===//

ArrayRef<int64_t> gnn::getFeatureShape(Type type) {
  if (auto v = dyn_cast<VertexType>(type))
    return v.getShape();
  if (auto e = dyn_cast<EdgeType>(type))
    return e.getShape();
  if (auto s = dyn_cast<ShapedType>(type))
    return s.getShape();
  return {};
}

std::optional<SmallVector<int64_t>>
gnn::broadcastShapes(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  SmallVector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      return std::nullopt;
    out[i] = da == 1 ? db : da;
  }
  return out;
}

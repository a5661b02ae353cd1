//===- Rows.cpp - Feature rows as flat vectors inside kernels -------------===//
#include "lowering/Rows.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

static int64_t numElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

SmallVector<int64_t> gnn::broadcastIndices(ArrayRef<int64_t> from,
                                           ArrayRef<int64_t> to) {
  assert(from.size() <= to.size() && "broadcasting cannot drop dimensions");
  size_t lead = to.size() - from.size();
  SmallVector<int64_t> indices;
  indices.reserve(numElements(to));
  SmallVector<int64_t> coord(to.size(), 0);
  for (int64_t i = 0, n = numElements(to); i < n; ++i) {
    // The row-major index in `from` of `coord`, unit dimensions stretched.
    int64_t index = 0;
    for (size_t d = 0; d < from.size(); ++d)
      index = index * from[d] + (from[d] == 1 ? 0 : coord[lead + d]);
    indices.push_back(index);
    for (size_t d = to.size(); d-- > 0;) {
      if (++coord[d] < to[d])
        break;
      coord[d] = 0;
    }
  }
  return indices;
}

ArrayRef<int64_t> gnn::rowShape(Type type) {
  if (auto v = dyn_cast<VectorType>(type))
    return v.getShape();
  return {};
}

Value gnn::flattenRow(OpBuilder &b, Location loc, Value v) {
  auto type = dyn_cast<VectorType>(v.getType());
  if (!type || type.getRank() == 1)
    return v;
  auto flat = VectorType::get({type.getNumElements()}, type.getElementType());
  if (auto cast = v.getDefiningOp<vector::ShapeCastOp>())
    if (cast.getSource().getType() == flat)
      return cast.getSource();
  if (auto constant = v.getDefiningOp<arith::ConstantOp>())
    if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValue()))
      return b.create<arith::ConstantOp>(loc, flat, dense.reshape(flat));
  return b.create<vector::ShapeCastOp>(loc, flat, v);
}

Value gnn::unflattenRow(OpBuilder &b, Location loc, Value flat,
                        VectorType type) {
  if (flat.getType() == type)
    return flat;
  return b.create<vector::ShapeCastOp>(loc, type, flat);
}

Value gnn::broadcastFlat(OpBuilder &b, Location loc, Value flat,
                         ArrayRef<int64_t> from, ArrayRef<int64_t> to) {
  auto type = VectorType::get({numElements(to)}, b.getF32Type());
  if (!isa<VectorType>(flat.getType()) || numElements(from) == 1)
    return b.create<vector::BroadcastOp>(loc, type, flat);
  if (numElements(from) == numElements(to))
    return flat; // equal shapes, up to leading unit dimensions
  SmallVector<int64_t> mask = broadcastIndices(from, to);
  return b.create<vector::ShuffleOp>(loc, flat, flat, mask);
}

/// a OP b for one reduction step.
static Value combine(OpBuilder &b, Location loc, gnn::Reduction kind, Value a,
                     Value c) {
  switch (kind) {
  case gnn::Reduction::Sum:
  case gnn::Reduction::Mean:
    return b.create<arith::AddFOp>(loc, a, c);
  case gnn::Reduction::Max:
    return b.create<arith::MaximumFOp>(loc, a, c);
  case gnn::Reduction::Min:
    return b.create<arith::MinimumFOp>(loc, a, c);
  }
  llvm_unreachable("unknown reduction");
}

Value gnn::reduceFlat(OpBuilder &b, Location loc, Value flat,
                      ArrayRef<int64_t> shape, int64_t dim, Reduction kind) {
  int64_t n = shape[dim];
  Value result;
  if (shape.size() == 1) {
    // The whole vector to one scalar.
    vector::CombiningKind combining =
        kind == Reduction::Max   ? vector::CombiningKind::MAXIMUMF
        : kind == Reduction::Min ? vector::CombiningKind::MINIMUMF
                                 : vector::CombiningKind::ADD;
    result = b.create<vector::ReductionOp>(loc, combining, flat);
  } else {
    // Position k along `dim` of every kept element: (outer, k, inner).
    int64_t inner = numElements(shape.drop_front(dim + 1));
    int64_t outer = numElements(shape.take_front(dim));
    for (int64_t k = 0; k < n; ++k) {
      SmallVector<int64_t> mask;
      for (int64_t o = 0; o < outer; ++o)
        for (int64_t i = 0; i < inner; ++i)
          mask.push_back((o * n + k) * inner + i);
      Value slice = b.create<vector::ShuffleOp>(loc, flat, flat, mask);
      result = result ? combine(b, loc, kind, result, slice) : slice;
    }
  }
  if (kind == Reduction::Mean) {
    Type type = result.getType();
    TypedAttr scale = b.getF32FloatAttr(1.0f / float(n));
    if (auto vec = dyn_cast<VectorType>(type))
      scale = DenseElementsAttr::get(vec, scale);
    result = b.create<arith::MulFOp>(
        loc, result, b.create<arith::ConstantOp>(loc, type, scale));
  }
  return result;
}

//===- IRGen.cpp - Traces a model's forward pass into the gnn dialect -----===//
//
// The tensor operations the interpreter calls while it runs `forward`:
// each is shape-checked here, against the source location, before its op
// is built, so that a fault in a model file is a frontend diagnostic and
// never an MLIR verifier error. propagate() is in MessageTracing.cpp.
//
//===----------------------------------------------------------------------===//

#include "frontend/IRGen.h"
#include "frontend/Frontend.h"

#include "dialect/GNNDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"

#include <variant>

using namespace gnn::frontend;
using llvm::StringRef;
using llvm::Twine;

Domain gnn::frontend::getDomain(mlir::Type t) {
  if (llvm::isa<gnn::VertexType>(t))
    return Domain::Vertex;
  if (llvm::isa<gnn::EdgeType>(t))
    return Domain::Edge;
  if (llvm::isa<mlir::VectorType>(t))
    return Domain::Row;
  return Domain::Uniform;
}

static std::string formatShape(llvm::ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "a scalar";
  return llvm::join(
      llvm::map_range(shape, [](int64_t d) { return std::to_string(d); }), "x");
}

std::string gnn::frontend::describeType(mlir::Type t) {
  auto features = [](llvm::ArrayRef<int64_t> shape) {
    return formatShape(shape) +
           (shape.size() == 1 && shape[0] == 1 ? " feature" : " features");
  };
  if (auto v = llvm::dyn_cast<gnn::VertexType>(t))
    return "a vertex tensor of " + features(v.getShape());
  if (auto e = llvm::dyn_cast<gnn::EdgeType>(t))
    return "an edge tensor of " + features(e.getShape());
  if (auto r = llvm::dyn_cast<mlir::VectorType>(t))
    return "a per-edge value of " + features(r.getShape());
  if (auto p = llvm::dyn_cast<mlir::RankedTensorType>(t))
    return "a parameter of shape " + formatShape(p.getShape());
  if (llvm::isa<gnn::GraphType>(t))
    return "a graph";
  return "a scalar";
}

//===----------------------------------------------------------------------===//
// Operands
//===----------------------------------------------------------------------===//

mlir::Value IRGen::capture(mlir::Value outer) {
  if (!region || outer.getParentBlock() == region->block)
    return outer;
  auto it = region->captured.find(outer);
  if (it != region->captured.end())
    return it->second;
  mlir::Value arg = region->block->addArgument(outer.getType(), outer.getLoc());
  region->inputs.push_back(outer);
  region->captured[outer] = arg;
  return arg;
}

std::optional<mlir::Value> IRGen::operand(const Arg &arg, StringRef context) {
  const Value &v = arg.value;
  if (v.isNumber())
    return builder
        .create<mlir::arith::ConstantOp>(
            getLoc(arg.loc),
            builder.getF32FloatAttr(static_cast<float>(v.getNumber())))
        .getResult();
  if (v.is(Value::Kind::Param)) {
    std::optional<Value> t = readParam(*v.getParam(), arg.loc);
    if (!t)
      return std::nullopt;
    return operand({*t, arg.loc}, context);
  }
  if (v.is(Value::Kind::Tensor)) {
    mlir::Value t = unwrap(v);
    if (region && t.getParentBlock() != region->block &&
        getDomain(t.getType()) != Domain::Uniform) {
      interp.error(arg.loc, "message() cannot use " +
                                describeType(t.getType()) +
                                " directly; pass it to propagate() and read "
                                "it as an _i or _j argument");
      return std::nullopt;
    }
    return capture(t);
  }
  interp.error(arg.loc,
               context + " expects a tensor or a number, got " + describe(v));
  return std::nullopt;
}

std::optional<mlir::Value> IRGen::tensorOperand(const Arg &arg,
                                                StringRef context) {
  if (!arg.value.is(Value::Kind::Tensor) && !arg.value.is(Value::Kind::Param)) {
    interp.error(arg.loc,
                 context + " expects a tensor, got " + describe(arg.value));
    return std::nullopt;
  }
  return operand(arg, context);
}

std::optional<mlir::Value> IRGen::graphOperand(const Arg &arg,
                                               StringRef context) {
  if (!arg.value.is(Value::Kind::Graph)) {
    interp.error(arg.loc, context + " expects the graph (edge_index), got " +
                              describe(arg.value));
    return std::nullopt;
  }
  if (region) {
    interp.error(arg.loc, context + " cannot be used inside message()");
    return std::nullopt;
  }
  return unwrap(arg.value);
}

std::optional<Value> IRGen::readParam(const ParamObject &param,
                                      const Location &loc) {
  auto it = paramArgs.find(&param);
  if (it == paramArgs.end()) {
    // Only reachable for a parameter outside the module tree, which
    // __init__ cannot create; kept as an error rather than a crash.
    interp.error(loc, "this parameter is not part of the model's state_dict");
    return std::nullopt;
  }
  return wrap(it->second);
}

//===----------------------------------------------------------------------===//
// Elementwise operations
//===----------------------------------------------------------------------===//

/// The type `lhs OP rhs` has, or an error message: domains must agree
/// (parameters and scalars go with anything) and feature shapes broadcast.
static std::variant<mlir::Type, std::string> inferBinaryType(mlir::Type lhs,
                                                             mlir::Type rhs) {
  Domain dl = getDomain(lhs), dr = getDomain(rhs);
  if (dl != Domain::Uniform && dr != Domain::Uniform && dl != dr)
    return "cannot combine " + describeType(lhs) + " with " + describeType(rhs);
  llvm::ArrayRef<int64_t> sl = gnn::getFeatureShape(lhs),
                          sr = gnn::getFeatureShape(rhs);
  std::optional<llvm::SmallVector<int64_t>> shape =
      gnn::broadcastShapes(sl, sr);
  if (!shape)
    return "feature sizes do not match: " + formatShape(sl) + " and " +
           formatShape(sr);
  mlir::MLIRContext *ctx = lhs.getContext();
  mlir::Type f32 = mlir::Float32Type::get(ctx);
  switch (dl != Domain::Uniform ? dl : dr) {
  case Domain::Vertex:
    return mlir::Type(gnn::VertexType::get(ctx, *shape, f32));
  case Domain::Edge:
    return mlir::Type(gnn::EdgeType::get(ctx, *shape, f32));
  case Domain::Row:
    return mlir::Type(mlir::VectorType::get(*shape, f32));
  case Domain::Uniform:
    if (shape->empty())
      return f32;
    return mlir::Type(mlir::RankedTensorType::get(*shape, f32));
  }
  return f32;
}

template <typename OpT>
std::optional<Value> IRGen::elementwise(StringRef spelling, const Arg &lhs,
                                        const Arg &rhs, const Location &loc) {
  if (!lhs.value.is(Value::Kind::Tensor) && !lhs.value.is(Value::Kind::Param) &&
      !rhs.value.is(Value::Kind::Tensor) && !rhs.value.is(Value::Kind::Param)) {
    interp.error(loc, spelling + " expects a tensor, got " +
                          describe(lhs.value) + " and " + describe(rhs.value));
    return std::nullopt;
  }
  std::optional<mlir::Value> l = operand(lhs, spelling);
  if (!l)
    return std::nullopt;
  std::optional<mlir::Value> r = operand(rhs, spelling);
  if (!r)
    return std::nullopt;
  if (!alignRows(*l, *r, loc))
    return std::nullopt;
  std::variant<mlir::Type, std::string> type =
      inferBinaryType(l->getType(), r->getType());
  if (auto *message = std::get_if<std::string>(&type)) {
    interp.error(loc, *message);
    return std::nullopt;
  }
  return wrap(
      builder.create<OpT>(getLoc(loc), std::get<mlir::Type>(type), *l, *r));
}

static bool isPerRow(mlir::Type t) {
  Domain d = getDomain(t);
  return d == Domain::Vertex || d == Domain::Edge || d == Domain::Row;
}

bool IRGen::alignRows(mlir::Value &lhs, mlir::Value &rhs, const Location &loc) {
  auto shapeOf = [](mlir::Value v) { return gnn::getFeatureShape(v.getType()); };
  if (isPerRow(lhs.getType()) && isPerRow(rhs.getType())) {
    if (shapeOf(lhs).size() == shapeOf(rhs).size())
      return true;
    interp.error(loc, "feature shapes do not broadcast: " +
                          formatShape(shapeOf(lhs)) + " and " +
                          formatShape(shapeOf(rhs)) +
                          " have different numbers of dimensions (the rows "
                          "would be aligned with a feature dimension); use "
                          "unsqueeze() or view()");
    return false;
  }
  for (auto [row, uniform] : {std::pair<mlir::Value *, mlir::Value *>{&lhs, &rhs},
                              std::pair<mlir::Value *, mlir::Value *>{&rhs, &lhs}}) {
    if (!isPerRow(row->getType()) || getDomain(uniform->getType()) != Domain::Uniform)
      continue;
    llvm::ArrayRef<int64_t> features = shapeOf(*row), param = shapeOf(*uniform);
    if (param.size() <= features.size())
      return true;
    if (param.size() > features.size() + 1 || param.front() != 1) {
      interp.error(loc, "a parameter of shape " + formatShape(param) +
                            " does not broadcast with " +
                            describeType(row->getType()) +
                            ": its leading dimensions would meet the rows");
      return false;
    }
    *uniform = reshapeTo(*uniform, param.drop_front(), loc);
    return true;
  }
  return true;
}

std::optional<Value> IRGen::binary(BinaryOp op, const Arg &lhs, const Arg &rhs,
                                   const Location &loc) {
  if (lhs.value.is(Value::Kind::EdgeRows) ||
      rhs.value.is(Value::Kind::EdgeRows))
    return edgeBinary(op, lhs, rhs, loc);
  std::string spelling = ("'" + getBinaryOpSpelling(op) + "'").str();
  if (lhs.value.is(Value::Kind::Graph) || rhs.value.is(Value::Kind::Graph)) {
    interp.error(loc, "a graph cannot be used in arithmetic");
    return std::nullopt;
  }
  switch (op) {
  case BinaryOp::Add:
    return elementwise<gnn::AddOp>(spelling, lhs, rhs, loc);
  case BinaryOp::Sub:
    return elementwise<gnn::SubOp>(spelling, lhs, rhs, loc);
  case BinaryOp::Mul:
    return elementwise<gnn::MulOp>(spelling, lhs, rhs, loc);
  case BinaryOp::Div:
    return elementwise<gnn::DivOp>(spelling, lhs, rhs, loc);
  case BinaryOp::Pow:
    return elementwise<gnn::PowOp>(spelling, lhs, rhs, loc);
  default:
    interp.error(loc, spelling + " is not supported on tensors");
    return std::nullopt;
  }
}

std::optional<Value> IRGen::negate(const Arg &operandArg, const Location &loc) {
  if (operandArg.value.is(Value::Kind::EdgeRows))
    return edgeBuiltin("neg", {operandArg}, loc);
  return unary("neg", {operandArg}, loc);
}

std::optional<Value> IRGen::unary(StringRef name, llvm::ArrayRef<Arg> args,
                                  const Location &loc) {
  std::string context = (name + "()").str();
  std::optional<mlir::Value> x = tensorOperand(args[0], context);
  if (!x)
    return std::nullopt;
  mlir::Location l = getLoc(loc);
  mlir::Type t = x->getType();
  mlir::Value result;
  if (name == "relu")
    result = builder.create<gnn::ReluOp>(l, t, *x);
  else if (name == "sigmoid")
    result = builder.create<gnn::SigmoidOp>(l, t, *x);
  else if (name == "tanh")
    result = builder.create<gnn::TanhOp>(l, t, *x);
  else if (name == "gelu")
    result = builder.create<gnn::GeluOp>(l, t, *x);
  else if (name == "exp")
    result = builder.create<gnn::ExpOp>(l, t, *x);
  else if (name == "log")
    result = builder.create<gnn::LogOp>(l, t, *x);
  else if (name == "sqrt")
    result = builder.create<gnn::SqrtOp>(l, t, *x);
  else if (name == "abs")
    result = builder.create<gnn::AbsOp>(l, t, *x);
  else if (name == "neg")
    result = builder.create<gnn::NegOp>(l, t, *x);
  else if (name == "replace")
    // t[t == from] = to, with both numbers (Interpreter::assign checks).
    result = builder.create<gnn::ReplaceOp>(
        l, t, *x,
        builder.getF32FloatAttr(static_cast<float>(args[1].value.getNumber())),
        builder.getF32FloatAttr(static_cast<float>(args[2].value.getNumber())));
  else if (name == "elu" || name == "leaky_relu") {
    const Arg &setting = args[1];
    if (!setting.value.isNumber()) {
      interp.error(setting.loc,
                   context + " expects a number for '" +
                       (name == "elu" ? "alpha" : "negative_slope") +
                       "', got " + describe(setting.value));
      return std::nullopt;
    }
    mlir::FloatAttr attr =
        builder.getF32FloatAttr(static_cast<float>(setting.value.getNumber()));
    if (name == "elu")
      result = builder.create<gnn::EluOp>(l, t, *x, attr);
    else
      result = builder.create<gnn::LeakyReluOp>(l, t, *x, attr);
  }
  assert(result && "unknown unary builtin");
  return wrap(result);
}

std::optional<Value> IRGen::callBuiltin(StringRef name,
                                        llvm::ArrayRef<Arg> args,
                                        const Location &loc) {
  if (llvm::any_of(args, [](const Arg &arg) {
        return arg.value.is(Value::Kind::EdgeRows);
      }))
    return edgeBuiltin(name, args, loc);
  if (name == "replace")
    return unary(name, args, loc);
  if (name == "view" || name == "reshape")
    return view(name, args, loc);
  if (name == "size")
    return size(args, loc);
  if (name == "unsqueeze" || name == "squeeze")
    return unsqueeze(name, args, loc);
  if (name == "sum" || name == "mean" || name == "amax" || name == "amin")
    return reduce(name, args, loc);
  if (name == "softmax" || name == "log_softmax")
    return softmax(name, args, loc);
  if (name == "cat")
    return cat(args, loc);
  if (name == "stack")
    return stack(args, loc);
  if (name == "__getitem__")
    return getItem(args, loc);
  if (name == "pow")
    return elementwise<gnn::PowOp>("pow()", args[0], args[1], loc);
  if (name == "maximum")
    return elementwise<gnn::MaximumOp>("maximum()", args[0], args[1], loc);
  if (name == "minimum")
    return elementwise<gnn::MinimumOp>("minimum()", args[0], args[1], loc);
  if (name == "add_self_loops" || name == "add_remaining_self_loops" ||
      name == "remove_self_loops" || name == "degree")
    return graphUtility(name, args, loc);
  if (name == "scatter") {
    interp.error(args[1].loc, "scatter() groups rows by col (the edges' "
                              "targets) only, got " +
                                  describe(args[1].value));
    return std::nullopt;
  }
  return unary(name, args, loc);
}

//===----------------------------------------------------------------------===//
// Shapes, reductions and softmax
//===----------------------------------------------------------------------===//

/// The type of a value of `like`'s domain with feature shape `shape`.
static mlir::Type withShape(mlir::Type like, llvm::ArrayRef<int64_t> shape) {
  mlir::MLIRContext *ctx = like.getContext();
  mlir::Type f32 = mlir::Float32Type::get(ctx);
  switch (getDomain(like)) {
  case Domain::Vertex:
    return gnn::VertexType::get(ctx, shape, f32);
  case Domain::Edge:
    return gnn::EdgeType::get(ctx, shape, f32);
  case Domain::Row:
    return mlir::VectorType::get(shape, f32);
  case Domain::Uniform:
    break;
  }
  if (shape.empty())
    return f32;
  return mlir::RankedTensorType::get(shape, f32);
}

static int64_t numElements(llvm::ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

/// "(-1, 8, 8)" for messages.
static std::string formatDims(llvm::ArrayRef<int64_t> dims) {
  return "(" +
         llvm::join(llvm::map_range(dims,
                                    [](int64_t d) { return std::to_string(d); }),
                    ", ") +
         (dims.size() == 1 ? ",)" : ")");
}

mlir::Value IRGen::reshapeTo(mlir::Value x, llvm::ArrayRef<int64_t> shape,
                             const Location &loc) {
  mlir::Type type = withShape(x.getType(), shape);
  if (type == x.getType())
    return x;
  return builder.create<gnn::ReshapeOp>(getLoc(loc), type, x);
}

std::optional<Value> IRGen::view(StringRef name, llvm::ArrayRef<Arg> args,
                                 const Location &loc) {
  std::string callee = (name + "()").str();
  std::optional<mlir::Value> x = tensorOperand(args[0], callee);
  if (!x)
    return std::nullopt;
  llvm::SmallVector<int64_t> dims;
  for (const Value &d : args[1].value.getElements())
    dims.push_back(d.getInt());
  mlir::Type type = x->getType();
  llvm::ArrayRef<int64_t> shape = gnn::getFeatureShape(type);
  int64_t elements = numElements(shape);
  std::string spelled = (name + formatDims(dims)).str();

  llvm::SmallVector<int64_t> result;
  if (isPerRow(type)) {
    // The first dimension is the rows, whose number the compiler does not
    // know: it must be inferred (-1), and the rest must hold one row.
    if (dims.front() != -1) {
      interp.error(args[1].loc,
                   spelled + ": the first dimension of " + describeType(type) +
                       " is its rows, whose number is known only at run "
                       "time; write -1 there");
      return std::nullopt;
    }
    if (dims.size() == 1) {
      interp.error(args[1].loc, spelled + " would leave " + describeType(type) +
                                    " without a feature dimension");
      return std::nullopt;
    }
    for (int64_t d : llvm::ArrayRef<int64_t>(dims).drop_front()) {
      if (d <= 0) {
        interp.error(args[1].loc, spelled + ": only the first dimension (the "
                                            "rows) can be -1; the others "
                                            "must be positive");
        return std::nullopt;
      }
      result.push_back(d);
    }
    int64_t want = numElements(result);
    if (want != elements) {
      interp.error(args[1].loc, spelled + " needs " + Twine(want) +
                                    " elements per row, but " +
                                    describeType(type) + " has " +
                                    Twine(elements));
      return std::nullopt;
    }
  } else {
    // A parameter: its whole shape, with at most one dimension inferred.
    int64_t known = 1, inferred = -1;
    for (auto [i, d] : llvm::enumerate(dims)) {
      if (d == -1 && inferred < 0) {
        inferred = i;
        result.push_back(1);
        continue;
      }
      if (d <= 0) {
        interp.error(args[1].loc, spelled + ": dimensions must be positive, "
                                            "with at most one -1");
        return std::nullopt;
      }
      known *= d;
      result.push_back(d);
    }
    if (inferred >= 0 && elements % known == 0)
      result[inferred] = elements / known;
    if (numElements(result) != elements) {
      if (inferred >= 0)
        interp.error(args[1].loc, spelled + " cannot hold the " +
                                      Twine(elements) + " elements of " +
                                      describeType(type) + ": " +
                                      Twine(elements) + " is not a multiple of " +
                                      Twine(known));
      else
        interp.error(args[1].loc, spelled + " needs " +
                                      Twine(numElements(result)) +
                                      " elements, but " + describeType(type) +
                                      " has " + Twine(elements));
      return std::nullopt;
    }
  }
  return wrap(reshapeTo(*x, result, loc));
}

std::optional<int64_t> IRGen::featureDim(mlir::Type type, const Arg &dimArg,
                                         bool inserting, StringRef callee) {
  bool perRow = isPerRow(type);
  int64_t rank = gnn::getFeatureShape(type).size() + (perRow ? 1 : 0);
  int64_t range = rank + (inserting ? 1 : 0);
  int64_t dim = dimArg.value.getInt();
  if (dim < -range || dim >= range) {
    interp.error(dimArg.loc, callee + ": dimension " + Twine(dim) +
                                 " is out of range for " + describeType(type) +
                                 " (expected " + Twine(-range) + " to " +
                                 Twine(range - 1) + ")");
    return std::nullopt;
  }
  if (dim < 0)
    dim += range;
  if (!perRow)
    return dim;
  if (dim == 0) {
    interp.error(dimArg.loc,
                 callee + ": dimension 0 of " + describeType(type) +
                     " is its rows (one per " +
                     (getDomain(type) == Domain::Vertex ? "vertex" : "edge") +
                     "), which each compute on their own; use a feature "
                     "dimension (1 or more, or negative)");
    return std::nullopt;
  }
  return dim - 1;
}

std::optional<Value> IRGen::size(llvm::ArrayRef<Arg> args,
                                 const Location &loc) {
  std::optional<mlir::Value> x = tensorOperand(args[0], "size()");
  if (!x)
    return std::nullopt;
  mlir::Type type = x->getType();
  // A vertex or edge tensor's dimension 0 counts its rows: the graph's,
  // known only when it runs.
  if (isPerRow(type)) {
    int64_t rank = gnn::getFeatureShape(type).size() + 1;
    int64_t dim = args[1].value.getInt();
    if (dim == 0 || dim == -rank) {
      interp.error(args[1].loc,
                   "size(" + Twine(dim) + ") is the number of " +
                       (getDomain(type) == Domain::Vertex ? "vertices"
                                                          : "edges") +
                       ", which is not known at compile time (num_nodes= of "
                       "the graph builtins does not need it)");
      return std::nullopt;
    }
  }
  std::optional<int64_t> dim = featureDim(type, args[1], false, "size()");
  if (!dim)
    return std::nullopt;
  llvm::ArrayRef<int64_t> shape =
      isPerRow(type) ? gnn::getFeatureShape(type)
                     : llvm::cast<mlir::ShapedType>(type).getShape();
  return Value::integer(shape[*dim]);
}

std::optional<Value> IRGen::unsqueeze(StringRef name, llvm::ArrayRef<Arg> args,
                                      const Location &loc) {
  std::string callee = (name + "()").str();
  std::optional<mlir::Value> x = tensorOperand(args[0], callee);
  if (!x)
    return std::nullopt;
  mlir::Type type = x->getType();
  bool inserting = name == "unsqueeze";
  if (args[1].value.isNone()) {
    interp.error(loc, callee + " needs the dimension (dim=...)");
    return std::nullopt;
  }
  std::optional<int64_t> dim =
      featureDim(type, args[1], inserting, callee);
  if (!dim)
    return std::nullopt;
  llvm::SmallVector<int64_t> shape(gnn::getFeatureShape(type));
  if (inserting) {
    shape.insert(shape.begin() + *dim, 1);
  } else {
    // PyTorch leaves a dimension of another size alone.
    if (shape[*dim] != 1)
      return wrap(*x);
    shape.erase(shape.begin() + *dim);
    if (shape.empty() && isPerRow(type)) {
      interp.error(loc, callee + " would leave " + describeType(type) +
                            " without a feature dimension");
      return std::nullopt;
    }
  }
  return wrap(reshapeTo(*x, shape, loc));
}

mlir::Value IRGen::reduceAlong(mlir::Value x, gnn::Reduction kind, int64_t dim,
                               bool keepdim, const Location &loc) {
  llvm::SmallVector<int64_t> shape(gnn::getFeatureShape(x.getType()));
  if (keepdim && shape.size() == 1) {
    // The result keeps a dimension (and a tensor with one row per vertex
    // must): reduce [1, n] along its second dimension.
    x = reshapeTo(x, {1, shape[0]}, loc);
    return builder.create<gnn::ReduceOp>(getLoc(loc),
                                         withShape(x.getType(), {1}), x, kind, 1);
  }
  llvm::SmallVector<int64_t> kept = shape;
  kept.erase(kept.begin() + dim);
  mlir::Value r = builder.create<gnn::ReduceOp>(
      getLoc(loc), withShape(x.getType(), kept), x, kind, dim);
  if (keepdim) {
    kept.insert(kept.begin() + dim, 1);
    r = reshapeTo(r, kept, loc);
  }
  return r;
}

std::optional<Value> IRGen::reduce(StringRef name, llvm::ArrayRef<Arg> args,
                                   const Location &loc) {
  std::string callee = (name + "()").str();
  std::optional<mlir::Value> x = tensorOperand(args[0], callee);
  if (!x)
    return std::nullopt;
  gnn::Reduction kind = name == "sum"    ? gnn::Reduction::Sum
                        : name == "mean" ? gnn::Reduction::Mean
                        : name == "amax" ? gnn::Reduction::Max
                                         : gnn::Reduction::Min;
  mlir::Type type = x->getType();
  bool keepdim = args[2].value.getBool();
  if (args[1].value.isNone()) {
    // Over everything: only a parameter has no rows to keep apart.
    if (isPerRow(type)) {
      interp.error(loc, callee + " without 'dim' would also reduce over the "
                                 "rows of " + describeType(type) +
                                 "; pass dim=");
      return std::nullopt;
    }
    mlir::Value r = *x;
    while (!gnn::getFeatureShape(r.getType()).empty())
      r = reduceAlong(r, kind, 0, false, loc);
    if (keepdim)
      r = reshapeTo(r, llvm::SmallVector<int64_t>(
                           gnn::getFeatureShape(type).size(), 1), loc);
    return wrap(r);
  }
  std::optional<int64_t> dim = featureDim(type, args[1], false, callee);
  if (!dim)
    return std::nullopt;
  if (!keepdim && isPerRow(type) && gnn::getFeatureShape(type).size() == 1) {
    interp.error(loc, callee + " over the only feature dimension of " +
                          describeType(type) +
                          " would leave one number per row, which gnnc keeps "
                          "as a feature dimension of size 1; pass "
                          "keepdim=True");
    return std::nullopt;
  }
  return wrap(reduceAlong(*x, kind, *dim, keepdim, loc));
}

template <typename OpT>
mlir::Value IRGen::combineRows(mlir::Value a, mlir::Value b,
                               const Location &loc) {
  mlir::Type type = std::get<mlir::Type>(inferBinaryType(a.getType(), b.getType()));
  return builder.create<OpT>(getLoc(loc), type, a, b);
}

std::optional<Value> IRGen::softmax(StringRef name, llvm::ArrayRef<Arg> args,
                                    const Location &loc) {
  std::string callee = (name + "()").str();
  bool edgeSoftmax = name == "softmax" && !args[1].value.isNone() &&
                     !args[1].value.is(Value::Kind::Int);
  if (edgeSoftmax) {
    // PyG's softmax(src, index, ptr, num_nodes, dim=0): normalise over the
    // edges that share a target.
    if (!args[1].value.is(Value::Kind::Index)) {
      interp.error(args[1].loc, "softmax(src, index) needs message()'s "
                                "'index' argument as index, got " +
                                    describe(args[1].value));
      return std::nullopt;
    }
    if (!args[2].value.isNone()) {
      interp.error(args[2].loc, "softmax(src, index, ptr): ptr must be None");
      return std::nullopt;
    }
    if (!args[4].value.isNone() &&
        !(args[4].value.is(Value::Kind::Int) && args[4].value.getInt() == 0)) {
      interp.error(args[4].loc, "softmax(src, index) normalises over the "
                                "edges (dim=0) only");
      return std::nullopt;
    }
    std::optional<mlir::Value> src = tensorOperand(args[0], callee);
    if (!src)
      return std::nullopt;
    if (!region || getDomain(src->getType()) != Domain::Row) {
      interp.error(args[0].loc, "softmax(src, index) expects a per-edge value "
                                "computed in message(), got " +
                                    describe(args[0].value));
      return std::nullopt;
    }
    // A placeholder until the returned message shows how it is used.
    auto placeholder = builder.create<mlir::UnrealizedConversionCastOp>(
        getLoc(loc), src->getType(), *src);
    region->softmaxes.push_back({placeholder, loc});
    return wrap(placeholder.getResult(0));
  }

  // torch's softmax(input, dim) over a feature dimension, composed from a
  // maximum (for stability), exp and a sum.
  const Arg &dimArg = name == "softmax"
                          ? (args[1].value.is(Value::Kind::Int) ? args[1] : args[4])
                          : args[1];
  if (!dimArg.value.is(Value::Kind::Int)) {
    interp.error(dimArg.value.isNone() ? loc : dimArg.loc,
                 callee + " needs the feature dimension (dim=...), or "
                          "softmax(src, index) in message()");
    return std::nullopt;
  }
  std::optional<mlir::Value> x = tensorOperand(args[0], callee);
  if (!x)
    return std::nullopt;
  std::optional<int64_t> dim =
      featureDim(x->getType(), dimArg, false, callee);
  if (!dim)
    return std::nullopt;
  mlir::Value max = reduceAlong(*x, gnn::Reduction::Max, *dim, true, loc);
  mlir::Value shifted = combineRows<gnn::SubOp>(*x, max, loc);
  mlir::Value e = builder.create<gnn::ExpOp>(getLoc(loc), shifted.getType(), shifted);
  mlir::Value sum = reduceAlong(e, gnn::Reduction::Sum, *dim, true, loc);
  if (name == "softmax")
    return wrap(combineRows<gnn::DivOp>(e, sum, loc));
  mlir::Value logSum = builder.create<gnn::LogOp>(getLoc(loc), sum.getType(), sum);
  return wrap(combineRows<gnn::SubOp>(shifted, logSum, loc));
}

std::optional<Value> IRGen::stack(llvm::ArrayRef<Arg> args,
                                  const Location &loc) {
  const Arg &list = args[0], &dimArg = args[1];
  if ((!list.value.is(Value::Kind::List) &&
       !list.value.is(Value::Kind::Tuple)) ||
      list.value.getElements().empty()) {
    interp.error(list.loc, "stack() expects a non-empty list of tensors, got " +
                               describe(list.value));
    return std::nullopt;
  }
  if (!dimArg.value.is(Value::Kind::Int)) {
    interp.error(dimArg.loc, "stack() argument 'dim' must be an integer, got " +
                                 dimArg.value.repr());
    return std::nullopt;
  }
  std::optional<mlir::Value> first =
      tensorOperand({list.value.getElements().front(), list.loc}, "stack()");
  if (!first)
    return std::nullopt;
  if (!isPerRow(first->getType())) {
    interp.error(list.loc, "stack() joins tensors with one row per vertex or "
                           "edge (or rows in message()), got " +
                               describeType(first->getType()));
    return std::nullopt;
  }
  // The new dimension, counted in the result's feature dimensions.
  std::optional<int64_t> dim =
      featureDim(first->getType(), dimArg, /*inserting=*/true, "stack()");
  if (!dim)
    return std::nullopt;
  llvm::ArrayRef<int64_t> shape = gnn::getFeatureShape(first->getType());
  int64_t count = list.value.getElements().size();
  std::vector<Value> parts;
  Arg minusOne = {Value::integer(-1), dimArg.loc};
  if (*dim == int64_t(shape.size())) {
    // Last: each part gains a trailing 1, and cat joins along it.
    for (const Value &element : list.value.getElements()) {
      std::optional<Value> part =
          unsqueeze("unsqueeze", {{element, list.loc}, minusOne}, loc);
      if (!part)
        return std::nullopt;
      parts.push_back(*part);
    }
    return cat({{Value::list(std::move(parts)), list.loc}, minusOne}, loc);
  }
  if (*dim != 0) {
    interp.error(dimArg.loc, "stack() inserts the new dimension first "
                             "(dim=1) or last (dim=-1) among the features "
                             "only");
    return std::nullopt;
  }
  // First: flatten each part's features, join them, and split the joined
  // row into one block per part.
  int64_t flat = 1;
  for (int64_t d : shape)
    flat *= d;
  for (const Value &element : list.value.getElements()) {
    std::optional<mlir::Value> t = tensorOperand({element, list.loc}, "stack()");
    if (!t)
      return std::nullopt;
    if (t->getType() != first->getType()) {
      interp.error(list.loc, "stack() needs tensors of one shape, got " +
                                 describeType(first->getType()) + " and " +
                                 describeType(t->getType()));
      return std::nullopt;
    }
    std::optional<Value> part = view(
        "view",
        {{element, list.loc},
         {Value::tuple({Value::integer(-1), Value::integer(flat)}), loc}},
        loc);
    if (!part)
      return std::nullopt;
    parts.push_back(*part);
  }
  std::optional<Value> joined =
      cat({{Value::list(std::move(parts)), list.loc}, minusOne}, loc);
  if (!joined)
    return std::nullopt;
  std::vector<Value> newShape = {Value::integer(-1), Value::integer(count)};
  for (int64_t d : shape)
    newShape.push_back(Value::integer(d));
  return view("view",
              {{*joined, loc}, {Value::tuple(std::move(newShape)), loc}}, loc);
}

std::optional<Value> IRGen::cat(llvm::ArrayRef<Arg> args,
                                const Location &loc) {
  const Arg &list = args[0];
  if (!list.value.is(Value::Kind::List) && !list.value.is(Value::Kind::Tuple)) {
    interp.error(list.loc, "cat() expects a list of tensors, got " +
                               describe(list.value));
    return std::nullopt;
  }
  if (list.value.getElements().empty()) {
    interp.error(list.loc, "cat() needs at least one tensor");
    return std::nullopt;
  }
  llvm::SmallVector<mlir::Value> parts;
  for (const Value &element : list.value.getElements()) {
    std::optional<mlir::Value> part = tensorOperand({element, list.loc}, "cat()");
    if (!part)
      return std::nullopt;
    if (!isPerRow(part->getType())) {
      interp.error(list.loc, "cat() joins tensors with one row per vertex or "
                             "edge (or rows in message()), got " +
                                 describeType(part->getType()));
      return std::nullopt;
    }
    parts.push_back(*part);
  }
  mlir::Type first = parts.front().getType();
  if (!args[1].value.is(Value::Kind::Int)) {
    interp.error(args[1].loc, "cat() argument 'dim' must be an integer, got " +
                                  args[1].value.repr());
    return std::nullopt;
  }
  std::optional<int64_t> dim = featureDim(first, args[1], false, "cat()");
  if (!dim)
    return std::nullopt;
  llvm::ArrayRef<int64_t> firstShape = gnn::getFeatureShape(first);
  if (*dim != int64_t(firstShape.size()) - 1) {
    interp.error(args[1].loc, "cat() joins along the last dimension only "
                              "(dim=-1)");
    return std::nullopt;
  }
  // Every part: the same domain and feature shape but for the last
  // dimension, which adds up.
  llvm::SmallVector<int64_t> shape(firstShape);
  shape.back() = 0;
  for (mlir::Value part : parts) {
    llvm::ArrayRef<int64_t> partShape = gnn::getFeatureShape(part.getType());
    if (getDomain(part.getType()) != getDomain(first) ||
        partShape.size() != firstShape.size() ||
        partShape.drop_back() != firstShape.drop_back()) {
      interp.error(list.loc, "cat() cannot join " + describeType(first) +
                                 " and " + describeType(part.getType()));
      return std::nullopt;
    }
    shape.back() += partShape.back();
  }
  if (parts.size() == 1)
    return wrap(parts.front());
  mlir::Location l = getLoc(loc);
  return wrap(rowwise(
      withShape(first, shape), parts,
      [&](llvm::ArrayRef<mlir::Value> rows, mlir::Type rowType) {
        return builder.create<gnn::ConcatOp>(l, rowType, rows).getResult();
      },
      loc));
}

mlir::Value IRGen::rowwise(
    mlir::Type result, llvm::ArrayRef<mlir::Value> parts,
    llvm::function_ref<mlir::Value(llvm::ArrayRef<mlir::Value>, mlir::Type)>
        build,
    const Location &loc) {
  if (getDomain(result) == Domain::Row)
    return build(parts, result);
  // Whole tensors: a transform of its own runs `build` row by row (the
  // decomposition then fuses it with its neighbours).
  mlir::Location l = getLoc(loc);
  llvm::SmallVector<mlir::Value> inputs;
  for (mlir::Value part : parts)
    if (!llvm::is_contained(inputs, part))
      inputs.push_back(part);
  auto stage = builder.create<gnn::TransformOp>(l, result, inputs);
  mlir::OpBuilder::InsertionGuard guard(builder);
  mlir::Block *body = builder.createBlock(&stage.getBody());
  llvm::DenseMap<mlir::Value, mlir::Value> rows;
  for (mlir::Value input : inputs)
    rows[input] = body->addArgument(
        gnn::TransformOp::getRegionArgumentType(input.getType()), l);
  llvm::SmallVector<mlir::Value> rowParts;
  for (mlir::Value part : parts)
    rowParts.push_back(rows[part]);
  mlir::Value row =
      build(rowParts, gnn::TransformOp::getRegionArgumentType(result));
  builder.create<gnn::YieldOp>(l, row);
  return stage.getResult();
}

std::optional<Value> IRGen::getItem(llvm::ArrayRef<Arg> args,
                                    const Location &loc) {
  std::optional<mlir::Value> x = tensorOperand(args[0], "indexing");
  if (!x)
    return std::nullopt;
  mlir::Type type = x->getType();
  if (!isPerRow(type)) {
    interp.error(args[0].loc, "only tensors with one row per vertex or edge "
                              "(or rows in message()) can be indexed, not " +
                                  describeType(type));
    return std::nullopt;
  }
  llvm::ArrayRef<int64_t> shape = gnn::getFeatureShape(type);
  llvm::ArrayRef<Arg> indices = args.drop_front();
  auto isSlice = [](const Value &v) { return v.is(Value::Kind::List); };
  // Index 0 is the rows, which each compute on their own: all of them.
  const Arg &rows = indices.front();
  if (!isSlice(rows.value) ||
      !llvm::all_of(rows.value.getElements(),
                    [](const Value &v) { return v.isNone(); })) {
    interp.error(rows.loc, "the first index of " + describeType(type) +
                               " is its rows, which each compute on their "
                               "own; select them all with ':'");
    return std::nullopt;
  }
  if (indices.size() - 1 > shape.size()) {
    interp.error(indices[shape.size() + 1].loc,
                 "too many indices for " + describeType(type));
    return std::nullopt;
  }
  llvm::SmallVector<int64_t> offsets, strides, sizes, kept;
  for (size_t d = 0; d < shape.size(); ++d) {
    int64_t n = shape[d];
    if (d + 1 >= indices.size()) {
      offsets.push_back(0), strides.push_back(1), sizes.push_back(n);
      kept.push_back(n);
      continue;
    }
    const Arg &index = indices[d + 1];
    if (index.value.is(Value::Kind::Int)) {
      // An integer picks one position and drops the dimension.
      int64_t i = index.value.getInt();
      if (i < -n || i >= n) {
        interp.error(index.loc, "index " + Twine(i) + " is out of range for "
                                    "a dimension of size " + Twine(n));
        return std::nullopt;
      }
      offsets.push_back(i < 0 ? i + n : i), strides.push_back(1);
      sizes.push_back(1);
      continue;
    }
    if (!isSlice(index.value)) {
      interp.error(index.loc, "a tensor index must be an integer or a slice, "
                              "got " +
                                  describe(index.value));
      return std::nullopt;
    }
    llvm::ArrayRef<Value> bounds = index.value.getElements();
    assert(bounds.size() == 3 && "slices are [start, stop, step]");
    for (const Value &bound : bounds)
      if (!bound.isNone() && !bound.is(Value::Kind::Int)) {
        interp.error(index.loc, "slice bounds must be integers, got " +
                                    bound.repr());
        return std::nullopt;
      }
    int64_t step = bounds[2].isNone() ? 1 : bounds[2].getInt();
    if (step <= 0) {
      interp.error(index.loc, "slice steps must be positive, got " +
                                  Twine(step));
      return std::nullopt;
    }
    // Python's rules: negative bounds count from the end, then clamp.
    auto clamp = [&](const Value &bound, int64_t def) {
      if (bound.isNone())
        return def;
      int64_t b = bound.getInt();
      if (b < 0)
        b = std::max<int64_t>(b + n, 0);
      return std::min(b, n);
    };
    int64_t start = clamp(bounds[0], 0), stop = clamp(bounds[1], n);
    int64_t size = stop > start ? (stop - start - 1) / step + 1 : 0;
    if (size == 0) {
      interp.error(index.loc, "the slice selects nothing of a dimension of "
                              "size " +
                                  Twine(n));
      return std::nullopt;
    }
    offsets.push_back(start), strides.push_back(step), sizes.push_back(size);
    kept.push_back(size);
  }
  if (kept.empty()) {
    interp.error(loc, "indexing would leave " + describeType(type) +
                          " without a feature dimension; keep one with a "
                          "slice (x[:, i:i + 1])");
    return std::nullopt;
  }
  mlir::Location l = getLoc(loc);
  mlir::Value picked = *x;
  if (llvm::ArrayRef<int64_t>(sizes) != shape)
    picked = rowwise(
      withShape(type, sizes), {*x},
      [&](llvm::ArrayRef<mlir::Value> rows, mlir::Type rowType) {
        return builder
            .create<gnn::SliceOp>(l, rowType, rows.front(),
                                  builder.getDenseI64ArrayAttr(offsets),
                                  builder.getDenseI64ArrayAttr(strides))
            .getResult();
      },
      loc);
  if (kept.size() != sizes.size())
    picked = reshapeTo(picked, kept, loc);
  return wrap(picked);
}

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

std::optional<Value> IRGen::linear(const ModuleObject &lin, const Arg &input,
                                   const Location &loc) {
  std::optional<mlir::Value> x = tensorOperand(input, "Linear");
  if (!x)
    return std::nullopt;
  mlir::Type type = x->getType();
  Domain domain = getDomain(type);
  if (domain == Domain::Row)
    return rowLinear(lin, *x, loc);
  if (domain == Domain::Uniform) {
    interp.error(input.loc,
                 "Linear expects a vertex tensor, got " + describeType(type));
    return std::nullopt;
  }
  int64_t in = lin.find("in_features")->getInt();
  int64_t out = lin.find("out_features")->getInt();
  llvm::SmallVector<int64_t> shape(gnn::getFeatureShape(type));
  if (shape.back() != in) {
    interp.error(loc, "Linear expects " + Twine(in) + " input features, got " +
                          Twine(shape.back()));
    return std::nullopt;
  }
  shape.back() = out;
  mlir::Type f32 = builder.getF32Type();
  mlir::Type resultType =
      domain == Domain::Vertex
          ? mlir::Type(gnn::VertexType::get(&context, shape, f32))
          : mlir::Type(gnn::EdgeType::get(&context, shape, f32));
  std::optional<std::pair<mlir::Value, mlir::Value>> params =
      linearParams(lin, loc);
  if (!params)
    return std::nullopt;
  return wrap(builder.create<gnn::LinearOp>(getLoc(loc), resultType, *x,
                                            params->first, params->second));
}

std::optional<std::pair<mlir::Value, mlir::Value>>
IRGen::linearParams(const ModuleObject &lin, const Location &loc) {
  std::optional<Value> weight = readParam(*lin.find("weight")->getParam(), loc);
  if (!weight)
    return std::nullopt;
  mlir::Value bias;
  if (const Value *b = lin.find("bias")) {
    std::optional<Value> biasValue = readParam(*b->getParam(), loc);
    if (!biasValue)
      return std::nullopt;
    bias = capture(unwrap(*biasValue));
  }
  return std::make_pair(capture(unwrap(*weight)), bias);
}

/// A Linear on a row inside message(): computed per edge, unless
/// gnn-hoist-message-linears moves parts of it to the vertex level.
std::optional<Value> IRGen::rowLinear(const ModuleObject &lin, mlir::Value x,
                                      const Location &loc) {
  auto row = llvm::cast<mlir::VectorType>(x.getType());
  int64_t in = lin.find("in_features")->getInt();
  int64_t out = lin.find("out_features")->getInt();
  if (row.getRank() != 1) {
    interp.error(loc, "Linear inside message() takes rows with one feature "
                      "dimension, got " +
                          describeType(row) +
                          "; flatten it first (x_j.view(-1, H * C))");
    return std::nullopt;
  }
  if (row.getDimSize(0) != in) {
    interp.error(loc, "Linear expects " + Twine(in) + " input features, got " +
                          Twine(row.getDimSize(0)));
    return std::nullopt;
  }
  std::optional<std::pair<mlir::Value, mlir::Value>> params =
      linearParams(lin, loc);
  if (!params)
    return std::nullopt;
  mlir::Type resultType = mlir::VectorType::get({out}, builder.getF32Type());
  return wrap(builder.create<gnn::RowLinearOp>(
      getLoc(loc), resultType, x, params->first, params->second));
}


//===----------------------------------------------------------------------===//
// The model function
//===----------------------------------------------------------------------===//

mlir::OwningOpRef<mlir::ModuleOp>
IRGen::generate(const ClassInfo &cls, const Value &model,
                const std::vector<NamedParam> &params, int64_t inputFeatures,
                std::optional<int64_t> edgeFeatures) {
  const ClassInfo *definer = nullptr;
  const FunctionAST *forward = cls.findMethod("forward", &definer);
  if (!forward) {
    interp.error(cls.ast->loc(),
                 "model '" + cls.name + "' has no forward() method");
    return nullptr;
  }
  if (!interp.checkParsed(*forward, Location()))
    return nullptr;
  llvm::ArrayRef<ParamAST> fwdParams = forward->getParams();
  if (fwdParams.size() < 3) {
    interp.error(forward->loc(),
                 "the model's forward() must take (self, x, edge_index)");
    return nullptr;
  }
  // A fourth parameter without a default is the edge features, PyG's
  // edge_attr ([E, D] in the edge order of the graph file).
  bool takesEdges = fwdParams.size() > 3 && !fwdParams[3].defaultValue;
  for (const ParamAST &extra : fwdParams.drop_front(takesEdges ? 4 : 3))
    if (!extra.defaultValue) {
      interp.error(extra.loc, "the model's forward() is given only x, "
                              "edge_index and edge_attr; '" +
                                  extra.name + "' needs a default");
      return nullptr;
    }
  // PyG's edge_weight is [E]: one feature per edge unless told otherwise.
  if (takesEdges && !edgeFeatures && fwdParams[3].name == "edge_weight")
    edgeFeatures = 1;
  if (takesEdges && !edgeFeatures) {
    interp.error(fwdParams[3].loc,
                 "cannot tell the width of the edge features '" +
                     fwdParams[3].name +
                     "'; give the model an edge_dim argument, or pass the "
                     "edge features (gnn-run --edge-attr, gnnc "
                     "--edge-features)");
    return nullptr;
  }

  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::ModuleOp::create(getLoc(cls.ast->loc()));
  mlir::Type f32 = builder.getF32Type();
  llvm::SmallVector<mlir::Type> argTypes = {
      gnn::GraphType::get(&context, gnn::SelfLoops::AsGiven),
      gnn::VertexType::get(&context, {inputFeatures}, f32)};
  llvm::SmallVector<mlir::Location> argLocs = {getLoc(fwdParams[2].loc),
                                               getLoc(fwdParams[1].loc)};
  unsigned firstParam = 2;
  if (takesEdges) {
    argTypes.push_back(gnn::EdgeType::get(&context, {*edgeFeatures}, f32));
    argLocs.push_back(getLoc(fwdParams[3].loc));
    firstParam = 3;
  }
  for (const NamedParam &p : params) {
    argTypes.push_back(mlir::RankedTensorType::get(p.param->shape, f32));
    argLocs.push_back(getLoc(p.param->loc));
  }
  auto func =
      mlir::func::FuncOp::create(getLoc(forward->loc()), gnn::kForwardName,
                                 builder.getFunctionType(argTypes, {}));
  module->push_back(func);
  mlir::Block *entry = func.addEntryBlock();
  for (auto [arg, argLoc] : llvm::zip(entry->getArguments(), argLocs))
    arg.setLoc(argLoc);
  for (auto [i, p] : llvm::enumerate(params)) {
    func.setArgAttr(i + firstParam, gnn::kParamAttrName,
                    builder.getStringAttr(p.name));
    paramArgs[p.param.get()] = entry->getArgument(i + firstParam);
  }
  builder.setInsertionPointToStart(entry);

  std::vector<Value> bound = {wrap(entry->getArgument(1)),
                              wrap(entry->getArgument(0))};
  if (takesEdges)
    bound.push_back(wrap(entry->getArgument(2)));
  for (const ParamAST &extra : fwdParams.drop_front(takesEdges ? 4 : 3)) {
    std::optional<Value> def = interp.evalDefault(extra, *definer);
    if (!def)
      return nullptr;
    bound.push_back(*def);
  }
  interp.setTensorOps(this);
  std::optional<Value> result = interp.callBound(
      *forward, *definer, model, bound, cls.name + ".forward()", Location{});
  interp.setTensorOps(nullptr);
  if (!result)
    return nullptr;
  mlir::Value out =
      result->is(Value::Kind::Tensor) ? unwrap(*result) : mlir::Value();
  if (!out || !llvm::isa<gnn::VertexType>(out.getType())) {
    interp.error(interp.getLastReturnLoc(),
                 "the model's forward() must return a vertex tensor, got " +
                     describe(*result));
    return nullptr;
  }
  builder.create<mlir::func::ReturnOp>(getLoc(interp.getLastReturnLoc()), out);
  func.setType(builder.getFunctionType(argTypes, {out.getType()}));
  return module;
}

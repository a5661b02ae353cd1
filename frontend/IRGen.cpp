//===- IRGen.cpp - Traces a model's forward pass into the gnn dialect -----===//
//
// The TensorOps the interpreter calls while it runs `forward`: each tensor
// operation is shape-checked here, against the source location, before its
// op is built, so that a fault in a model file is a frontend diagnostic and
// never an MLIR verifier error. `propagate` builds a gnn.message_passing
// whose region is the trace of `message` for one edge.
//
//===----------------------------------------------------------------------===//

#include "frontend/Frontend.h"
#include "frontend/Inference.h"
#include "frontend/Interpreter.h"
#include "frontend/Parser.h"
#include "frontend/Program.h"

#include "dialect/GNNDialect.h"
#include "dialect/GNNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"

#include <variant>

using namespace gnn::frontend;
using llvm::StringRef;
using llvm::Twine;

namespace {

/// Where a traced value lives (the verifier's notion, dialect/GNNOps.cpp):
/// one row per vertex or per edge, one row inside a message region, or the
/// same for all rows (parameters, scalars).
enum class Domain { Vertex, Edge, Row, Uniform };

Domain getDomain(mlir::Type t) {
  if (llvm::isa<gnn::VertexType>(t))
    return Domain::Vertex;
  if (llvm::isa<gnn::EdgeType>(t))
    return Domain::Edge;
  if (llvm::isa<mlir::VectorType>(t))
    return Domain::Row;
  return Domain::Uniform;
}

std::string formatShape(llvm::ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "a scalar";
  return llvm::join(
      llvm::map_range(shape, [](int64_t d) { return std::to_string(d); }), "x");
}

/// "a vertex tensor of 64 features", for messages.
std::string describeType(mlir::Type t) {
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

class IRGen : public TensorOps {
public:
  IRGen(mlir::MLIRContext &context, Interpreter &interp)
      : context(context), builder(&context), interp(interp) {}

  /// Builds the module holding @forward for `model`, an instance of `cls`.
  mlir::OwningOpRef<mlir::ModuleOp>
  generate(const ClassInfo &cls, const Value &model,
           const std::vector<NamedParam> &params, int64_t inputFeatures,
           std::optional<int64_t> edgeFeatures);

  // TensorOps.
  std::optional<Value> binary(BinaryOp op, const Arg &lhs, const Arg &rhs,
                              const Location &loc) override;
  std::optional<Value> negate(const Arg &operand, const Location &loc) override;
  std::optional<Value> callBuiltin(StringRef name, llvm::ArrayRef<Arg> args,
                                   const Location &loc) override;
  std::optional<Value> linear(const ModuleObject &linear, const Arg &input,
                              const Location &loc) override;
  std::optional<Value> propagate(const Value &layer, const Arg &graph,
                                 llvm::ArrayRef<KeywordArg> kwargs,
                                 const Location &loc) override;
  std::optional<Value> readParam(const ParamObject &param,
                                 const Location &loc) override;

private:
  /// The message region being traced: its block, and the outer values
  /// passed in as inputs (block argument i stands for inputs[i]).
  struct MessageRegion {
    mlir::Block *block = nullptr;
    llvm::SmallVector<mlir::Value> inputs;
    llvm::DenseMap<mlir::Value, mlir::Value> captured;
    /// The `softmax(src, index)` calls of the message: placeholder ops
    /// (src -> weight) until the returned message shows how they are used.
    llvm::SmallVector<std::pair<mlir::Operation *, Location>> softmaxes;
  };

  mlir::Location getLoc(const Location &loc) {
    if (!loc.file)
      return mlir::UnknownLoc::get(&context);
    return mlir::FileLineColLoc::get(&context, *loc.file, loc.line, loc.col);
  }
  static mlir::Value unwrap(const Value &v) {
    return mlir::Value::getFromOpaquePointer(v.getOpaque());
  }
  static Value wrap(mlir::Value v) {
    if (llvm::isa<gnn::GraphType>(v.getType()))
      return Value::graph(v.getAsOpaquePointer());
    return Value::tensor(v.getAsOpaquePointer());
  }
  std::string describe(const Value &v) {
    return v.isTraced() ? describeType(unwrap(v).getType()) : v.describe();
  }

  /// An outer value as seen inside the message region: its block argument,
  /// added as a new input on first use.
  mlir::Value capture(mlir::Value outer);
  /// The operand an argument stands for: a traced tensor (captured into
  /// the message region if need be) or a number as an f32 constant.
  /// Reports an error for anything else.
  std::optional<mlir::Value> operand(const Arg &arg, StringRef context);
  /// A traced tensor operand (numbers rejected).
  std::optional<mlir::Value> tensorOperand(const Arg &arg, StringRef context);
  std::optional<mlir::Value> graphOperand(const Arg &arg, StringRef context);

  template <typename OpT>
  std::optional<Value> elementwise(StringRef spelling, const Arg &lhs,
                                   const Arg &rhs, const Location &loc);
  /// Applies PyTorch's broadcasting to operands with one row per vertex or
  /// edge: two such tensors need the same number of feature dimensions,
  /// and a parameter with one dimension more has a leading 1 (standing
  /// for the rows), which is dropped by a reshape. Reports an error.
  bool alignRows(mlir::Value &lhs, mlir::Value &rhs, const Location &loc);
  std::optional<Value> unary(StringRef name, llvm::ArrayRef<Arg> args,
                             const Location &loc);

  // Shapes, reductions and softmax.
  /// `x` with feature shape `shape` (same domain), as a gnn.reshape.
  mlir::Value reshapeTo(mlir::Value x, llvm::ArrayRef<int64_t> shape,
                        const Location &loc);
  /// The index into the feature shape of `x` that PyTorch dimension `dim`
  /// names (a per-row tensor's dimension 0 is its rows), for `callee`;
  /// `inserting` for unsqueeze, whose range is one larger.
  std::optional<int64_t> featureDim(mlir::Type type, const Arg &dim,
                                    bool inserting, StringRef callee);
  mlir::Value reduceAlong(mlir::Value x, gnn::Reduction kind, int64_t dim,
                          bool keepdim, const Location &loc);
  template <typename OpT>
  mlir::Value combineRows(mlir::Value a, mlir::Value b, const Location &loc);
  std::optional<Value> view(StringRef name, llvm::ArrayRef<Arg> args,
                            const Location &loc);
  /// x.size(d): a feature dimension, or a parameter's (compile time).
  std::optional<Value> size(llvm::ArrayRef<Arg> args, const Location &loc);
  std::optional<Value> unsqueeze(StringRef name, llvm::ArrayRef<Arg> args,
                                 const Location &loc);
  std::optional<Value> reduce(StringRef name, llvm::ArrayRef<Arg> args,
                              const Location &loc);
  std::optional<Value> softmax(StringRef name, llvm::ArrayRef<Arg> args,
                               const Location &loc);
  std::optional<Value> cat(llvm::ArrayRef<Arg> args, const Location &loc);
  std::optional<Value> getItem(llvm::ArrayRef<Arg> args, const Location &loc);
  /// `build` applied row by row to `parts` (all of one domain) with result
  /// type `result`: directly on rows, or in a gnn.transform of its own for
  /// whole tensors. `build` gets the rows and the result's row type.
  mlir::Value rowwise(
      mlir::Type result, llvm::ArrayRef<mlir::Value> parts,
      llvm::function_ref<mlir::Value(llvm::ArrayRef<mlir::Value>, mlir::Type)>
          build,
      const Location &loc);
  /// Splits the traced message `row` = value * softmax(logits, index)
  /// (the weight possibly reshaped) into what a softmax_add stage yields.
  std::optional<std::pair<mlir::Value, mlir::Value>>
  resolveSoftmax(MessageRegion &message, mlir::Value row,
                 const ModuleObject &layer);

  /// The value a `message` parameter is bound to.
  std::optional<Value> bindMessageParam(const ParamAST &param,
                                        const ClassInfo &definer,
                                        llvm::ArrayRef<KeywordArg> kwargs,
                                        const Location &propagateLoc);
  std::optional<Value> traceUpdate(const Value &layer, Value aggregated,
                                   llvm::ArrayRef<KeywordArg> kwargs,
                                   const Location &loc);

  mlir::MLIRContext &context;
  mlir::OpBuilder builder;
  Interpreter &interp;
  llvm::DenseMap<const ParamObject *, mlir::Value> paramArgs;
  /// What add_self_loops(edge_index, edge_attr, fill_value) gives the
  /// added loops: a reduction of their target's other in-edges' rows
  /// ('mean', 'add', 'max', 'min') or a constant (a number; PyG's default
  /// None is 1).
  struct SelfLoopFill {
    mlir::Value edges; // the edge tensor that was filled
    std::optional<gnn::Aggregation> reduce;
    double constant = 0;
    std::string name; // as the model wrote it, for messages
  };
  /// Graphs with self loops added and the fill of their edge rows.
  llvm::DenseMap<mlir::Value, SelfLoopFill> filledEdges;
  /// The loop rows already built, per (graph, edge tensor): a tensor read
  /// by several messages gets one mean stage.
  llvm::DenseMap<std::pair<mlir::Value, mlir::Value>, mlir::Value> loopRows;
  /// The rows the added self loops have for edge tensor `edges`, read in a
  /// message on `graph`; reports an error at `loc` if there are none.
  std::optional<mlir::Value> selfLoopRows(mlir::Value graph, mlir::Value edges,
                                          const Location &loc);
  MessageRegion *region = nullptr;
};

} // namespace

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
  if (name == "__getitem__")
    return getItem(args, loc);
  if (name == "pow")
    return elementwise<gnn::PowOp>("pow()", args[0], args[1], loc);
  if (name == "maximum")
    return elementwise<gnn::MaximumOp>("maximum()", args[0], args[1], loc);
  if (name == "minimum")
    return elementwise<gnn::MinimumOp>("minimum()", args[0], args[1], loc);
  if (name == "add_self_loops" || name == "remove_self_loops" ||
      name == "degree") {
    std::optional<mlir::Value> graph =
        graphOperand(args[0], (name + "()").str());
    if (!graph)
      return std::nullopt;
    mlir::Location l = getLoc(loc);
    if (name == "degree") {
      auto type = gnn::VertexType::get(&context, {1}, builder.getF32Type());
      return wrap(builder.create<gnn::DegreeOp>(l, type, *graph));
    }
    bool adding = name == "add_self_loops";
    mlir::Value result;
    if (adding)
      result = builder.create<gnn::AddSelfLoopsOp>(
          l, gnn::GraphType::get(&context, gnn::SelfLoops::OnePerVertex), *graph);
    else
      result = builder.create<gnn::RemoveSelfLoopsOp>(
          l, gnn::GraphType::get(&context, gnn::SelfLoops::None), *graph);
    if (args.size() < 2 || args[1].value.is(Value::Kind::None))
      return Value::graphPairedWithNone(result.getAsOpaquePointer());
    // With edge_attr, PyG returns (edge_index, edge_attr): the removed
    // loops' rows are skipped by the kernels; the added loops' rows are
    // the fill value.
    std::optional<mlir::Value> edges =
        tensorOperand(args[1], (name + "() edge_attr").str());
    if (!edges)
      return std::nullopt;
    if (!llvm::isa<gnn::EdgeType>(edges->getType())) {
      interp.error(args[1].loc, name + "() expects edge_attr to be a per-edge "
                                "tensor, got " + describe(args[1].value));
      return std::nullopt;
    }
    if (adding) {
      const Value &fill = args.size() > 2 ? args[2].value : Value::none();
      SelfLoopFill f{*edges, std::nullopt, 1.0, "None"};
      if (fill.is(Value::Kind::Str)) {
        static const std::pair<llvm::StringRef, gnn::Aggregation> kReduce[] = {
            {"mean", gnn::Aggregation::Mean}, {"add", gnn::Aggregation::Add},
            {"sum", gnn::Aggregation::Add}, {"max", gnn::Aggregation::Max},
            {"min", gnn::Aggregation::Min}};
        for (const auto &[name, aggr] : kReduce)
          if (fill.getStr() == name)
            f.reduce = aggr;
        f.name = "'" + fill.getStr().str() + "'";
      } else if (fill.isNumber()) {
        f.constant = fill.getNumber();
        f.name = fill.repr();
      }
      if (!f.reduce && !fill.isNumber() && !fill.isNone()) {
        interp.error(args.size() > 2 ? args[2].loc : loc,
                     "add_self_loops() with edge_attr supports fill_value "
                     "'mean', 'add', 'sum', 'max', 'min' (of each target's "
                     "in-edge attributes) or a number (None is 1.0), got " +
                         fill.repr());
        return std::nullopt;
      }
      filledEdges[result] = f;
    }
    return Value::tuple({wrap(result), args[1].value});
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

std::optional<std::pair<mlir::Value, mlir::Value>>
IRGen::resolveSoftmax(MessageRegion &message, mlir::Value row,
                      const ModuleObject &layer) {
  auto misuse = [&](const Location &at) {
    interp.error(at, "softmax(…, index) is supported only as a weight of the "
                     "returned message, as in 'return x_j * "
                     "softmax(alpha, index).unsqueeze(-1)'");
    return std::nullopt;
  };
  if (message.softmaxes.size() > 1)
    return misuse(message.softmaxes[1].second);
  auto [placeholder, callLoc] = message.softmaxes.front();
  // From the softmax to the product: reshapes only (unsqueeze, view),
  // each used once.
  mlir::Value weight = placeholder->getResult(0);
  while (weight.hasOneUse() &&
         llvm::isa<gnn::ReshapeOp>(*weight.getUsers().begin()))
    weight = weight.getUsers().begin()->getResult(0);
  auto mul = row.getDefiningOp<gnn::MulOp>();
  if (!mul || !mul->use_empty() || !weight.hasOneUse() ||
      *weight.getUsers().begin() != mul.getOperation())
    return misuse(callLoc);
  if (layer.aggr != Aggregation::Add) {
    interp.error(callLoc, "softmax(…, index) weights a summed message, but '" +
                              layer.typeName + "' aggregates with '" +
                              getAggregationName(layer.aggr) +
                              "'; use aggr='add'");
    return std::nullopt;
  }
  mlir::Value value = mul.getLhs() == weight ? mul.getRhs() : mul.getLhs();
  mlir::Value logits = placeholder->getOperand(0);
  if (weight == placeholder->getResult(0))
    weight = logits;
  placeholder->getResult(0).replaceAllUsesWith(logits);
  placeholder->erase();
  mul->erase();
  message.softmaxes.clear();
  return std::make_pair(value, weight);
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
  if (domain == Domain::Row) {
    interp.error(loc, "Linear cannot be applied inside message() yet");
    return std::nullopt;
  }
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
  std::optional<Value> weight = readParam(*lin.find("weight")->getParam(), loc);
  if (!weight)
    return std::nullopt;
  mlir::Value bias;
  if (const Value *b = lin.find("bias")) {
    std::optional<Value> biasValue = readParam(*b->getParam(), loc);
    if (!biasValue)
      return std::nullopt;
    bias = unwrap(*biasValue);
  }
  return wrap(builder.create<gnn::LinearOp>(getLoc(loc), resultType, *x,
                                            unwrap(*weight), bias));
}

static std::optional<gnn::Aggregation> toDialect(Aggregation aggr) {
  switch (aggr) {
  case Aggregation::Add:
    return gnn::Aggregation::Add;
  case Aggregation::Mean:
    return gnn::Aggregation::Mean;
  case Aggregation::Max:
    return gnn::Aggregation::Max;
  case Aggregation::Min:
    return gnn::Aggregation::Min;
  }
  return std::nullopt;
}

std::optional<Value> IRGen::bindMessageParam(const ParamAST &param,
                                             const ClassInfo &definer,
                                             llvm::ArrayRef<KeywordArg> kwargs,
                                             const Location &propagateLoc) {
  StringRef name = param.name;
  auto findKeyword = [&](StringRef key) -> const KeywordArg * {
    for (const KeywordArg &kw : kwargs)
      if (kw.name == key)
        return &kw;
    return nullptr;
  };

  // PyG's special arguments: `index` (each edge's target) serves
  // softmax(src, index); `ptr` is None for an edge_index graph, as in PyG.
  if (name == "index")
    return Value::index();
  if (name == "ptr")
    return Value::none();
  if (llvm::is_contained({"size", "size_i", "size_j", "dim_size",
                          "edge_index", "edge_index_i", "edge_index_j"},
                         name)) {
    interp.error(param.loc,
                 "message() argument '" + name + "' is not supported yet");
    return std::nullopt;
  }

  if (name.ends_with("_i") || name.ends_with("_j")) {
    StringRef base = name.drop_back(2);
    bool source = name.ends_with("_j");
    const KeywordArg *kw = findKeyword(base);
    if (!kw) {
      if (param.defaultValue)
        return interp.evalDefault(param, definer);
      interp.error(param.loc,
                   "message() argument '" + name + "' reads '" + base +
                       "', which is not passed to propagate()",
                   propagateLoc, "propagate() is called here");
      return std::nullopt;
    }
    // PyG's pairs: x=(x_src, x_dst) gives x_j from the first and x_i from
    // the second.
    Value passed = kw->value;
    if (passed.is(Value::Kind::Tuple) && passed.getElements().size() == 2)
      passed = passed.getElements()[source ? 0 : 1];
    mlir::Value tensor =
        passed.is(Value::Kind::Tensor) ? unwrap(passed) : mlir::Value();
    if (!tensor || !llvm::isa<gnn::VertexType>(tensor.getType())) {
      interp.error(param.loc,
                   "message() argument '" + name + "' reads '" + base +
                       "' at the " + (source ? "source" : "target") +
                       " vertex, but '" + base + "' is " + describe(passed),
                   kw->loc, "passed to propagate() here");
      return std::nullopt;
    }
    auto vertexType = llvm::cast<gnn::VertexType>(tensor.getType());
    mlir::Value row = builder.create<gnn::GetVertexOp>(
        getLoc(param.loc), vertexType.getRowType(), capture(tensor),
        source ? gnn::Side::Source : gnn::Side::Target);
    return wrap(row);
  }

  if (const KeywordArg *kw = findKeyword(name)) {
    if (!kw->value.is(Value::Kind::Tensor))
      return kw->value; // plain values and parameters pass through
    mlir::Value tensor = unwrap(kw->value);
    if (auto edgeType = llvm::dyn_cast<gnn::EdgeType>(tensor.getType()))
      return wrap(builder.create<gnn::GetEdgeOp>(
          getLoc(param.loc), edgeType.getRowType(), capture(tensor),
          mlir::Value()));
    if (llvm::isa<gnn::VertexType>(tensor.getType())) {
      interp.error(param.loc, "message() argument '" + name + "' is " +
                                  describeType(tensor.getType()) +
                                  "; read it per edge as '" + name +
                                  "_i' (target) or '" + name + "_j' (source)");
      return std::nullopt;
    }
    return kw->value;
  }
  if (param.defaultValue)
    return interp.evalDefault(param, definer);
  interp.error(param.loc,
               "message() argument '" + name + "' is not passed to propagate()",
               propagateLoc, "propagate() is called here");
  return std::nullopt;
}

std::optional<Value> IRGen::propagate(const Value &layerValue,
                                      const Arg &graphArg,
                                      llvm::ArrayRef<KeywordArg> kwargs,
                                      const Location &loc) {
  if (region) {
    interp.error(loc, "propagate() cannot be called inside message()");
    return std::nullopt;
  }
  std::optional<mlir::Value> graph = graphOperand(graphArg, "propagate()");
  if (!graph)
    return std::nullopt;
  const ModuleObject &layer = *layerValue.getModule();
  const ClassInfo &cls = *layer.cls;

  // Trace the message for one edge into a detached block; the op that
  // owns it is built once its inputs (the captured values) are known.
  auto block = std::make_unique<mlir::Block>();
  MessageRegion messageRegion;
  messageRegion.block = block.get();
  std::optional<Value> row;
  Location rowLoc = loc;
  mlir::VectorType rowType;
  gnn::Aggregation aggr = *toDialect(layer.aggr);
  {
    mlir::OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(block.get());
    region = &messageRegion;
    const ClassInfo *definer = nullptr;
    if (const FunctionAST *message = cls.findMethod("message", &definer)) {
      llvm::ArrayRef<ParamAST> params = message->getParams();
      if (params.empty()) {
        interp.error(message->loc(),
                     "method 'message' must take 'self' as its first "
                     "parameter");
        region = nullptr;
        return std::nullopt;
      }
      std::vector<Value> bound;
      for (const ParamAST &param : params.drop_front()) {
        std::optional<Value> v = bindMessageParam(param, *definer, kwargs, loc);
        if (!v) {
          region = nullptr;
          return std::nullopt;
        }
        bound.push_back(*v);
      }
      row = interp.callBound(*message, *definer, layerValue, bound,
                             definer->name + ".message()", loc);
      rowLoc = interp.getLastReturnLoc();
    } else {
      // PyG's default message is x_j.
      if (llvm::none_of(kwargs,
                        [](const KeywordArg &kw) { return kw.name == "x"; })) {
        interp.error(loc, "propagate() needs x=...: '" + cls.name +
                              "' has no message() method, and the default "
                              "message is x_j");
        region = nullptr;
        return std::nullopt;
      }
      ParamAST xj{loc, "x_j", nullptr};
      row = bindMessageParam(xj, cls, kwargs, loc);
    }
    region = nullptr;
    if (!row)
      return std::nullopt;
    mlir::Value rowValue =
        row->is(Value::Kind::Tensor) ? unwrap(*row) : mlir::Value();
    if (!rowValue || !llvm::isa<mlir::VectorType>(rowValue.getType()) ||
        rowValue.getParentBlock() != block.get()) {
      interp.error(rowLoc, "message() must return a per-edge value computed "
                           "from its _i/_j arguments, got " +
                               describe(*row));
      return std::nullopt;
    }
    rowType = llvm::cast<mlir::VectorType>(rowValue.getType());
    llvm::SmallVector<mlir::Value, 2> yielded = {rowValue};
    if (!messageRegion.softmaxes.empty()) {
      // value * softmax(logits, index): one softmax_add stage.
      auto split = resolveSoftmax(messageRegion, rowValue, layer);
      if (!split)
        return std::nullopt;
      yielded = {split->first, split->second};
      aggr = gnn::Aggregation::SoftmaxAdd;
    }
    builder.create<gnn::YieldOp>(getLoc(rowLoc), yielded);
  }

  // The self loops add_self_loops adds have no stored edge rows: each
  // edge tensor the message reads gets the rows of the fill value.
  if (llvm::cast<gnn::GraphType>(graph->getType()).getSelfLoops() ==
      gnn::SelfLoops::OnePerVertex) {
    for (mlir::Operation &op : llvm::make_early_inc_range(*block)) {
      auto get = llvm::dyn_cast<gnn::GetEdgeOp>(op);
      if (!get)
        continue;
      unsigned i = llvm::cast<mlir::BlockArgument>(get.getTensor()).getArgNumber();
      std::optional<mlir::Value> loops =
          selfLoopRows(*graph, messageRegion.inputs[i], loc);
      if (!loops)
        return std::nullopt;
      messageRegion.inputs.push_back(*loops);
      get.getLoopMutable().assign(
          block->addArgument(loops->getType(), loops->getLoc()));
    }
  }
  auto resultType = gnn::VertexType::get(&context, rowType.getShape(),
                                         rowType.getElementType());
  auto op = builder.create<gnn::MessagePassingOp>(getLoc(loc), resultType,
                                                  *graph, messageRegion.inputs,
                                                  aggr);
  op.getBody().push_back(block.release());
  return traceUpdate(layerValue, wrap(op.getResult()), kwargs, loc);
}

/// Whether `v` is computed from `source` by operations that commute with a
/// mean over edges: linear maps without bias, views, sums, scaling by
/// parameters or constants, sums and differences of such values. A walk
/// over the defining ops with each value visited once (shared operands
/// would otherwise be walked exponentially often, deep chains recursively).
static bool isLinearIn(mlir::Value v, mlir::Value source) {
  auto perEdge = [](mlir::Value x) {
    return llvm::isa<gnn::EdgeType>(x.getType());
  };
  llvm::SmallVector<mlir::Value> work{v};
  llvm::DenseSet<mlir::Value> seen{v};
  auto visit = [&](mlir::Value x) {
    if (seen.insert(x).second)
      work.push_back(x);
  };
  while (!work.empty()) {
    mlir::Value x = work.pop_back_val();
    if (x == source)
      continue;
    mlir::Operation *op = x.getDefiningOp();
    if (!op)
      return false;
    if (auto lin = llvm::dyn_cast<gnn::LinearOp>(op)) {
      if (lin.getBias() || lin->getNumOperands() != 2 ||
          lin->hasAttr("activation"))
        return false;
      visit(lin.getInput());
    } else if (auto r = llvm::dyn_cast<gnn::ReshapeOp>(op)) {
      visit(r.getInput());
    } else if (auto r = llvm::dyn_cast<gnn::ReduceOp>(op)) {
      if (r.getKind() != gnn::Reduction::Sum && r.getKind() != gnn::Reduction::Mean)
        return false;
      visit(r.getInput());
    } else if (llvm::isa<gnn::NegOp>(op)) {
      visit(op->getOperand(0));
    } else if (llvm::isa<gnn::AddOp, gnn::SubOp>(op)) {
      visit(op->getOperand(0));
      visit(op->getOperand(1));
    } else if (llvm::isa<gnn::MulOp>(op)) {
      mlir::Value a = op->getOperand(0), b = op->getOperand(1);
      if (perEdge(a) == perEdge(b))
        return false; // two edge tensors, or none: not a scaling
      visit(perEdge(a) ? a : b);
    } else if (llvm::isa<gnn::DivOp>(op)) {
      if (perEdge(op->getOperand(1)))
        return false;
      visit(op->getOperand(0));
    } else {
      return false;
    }
  }
  return true;
}

std::optional<mlir::Value> IRGen::selfLoopRows(mlir::Value graph,
                                               mlir::Value edges,
                                               const Location &loc) {
  auto filled = filledEdges.find(graph);
  if (filled == filledEdges.end()) {
    interp.error(loc, "message() reads edge features, but the graph has self "
                      "loops added (add_self_loops), which have no edge rows: "
                      "pass edge_attr (and a fill_value) to add_self_loops()");
    return std::nullopt;
  }
  const SelfLoopFill &fill = filled->second;
  // A sum or mean commutes with linear maps, so the loops' rows of a linear
  // function of the filled edge_attr are that function's sum or mean over
  // the target's in-edges (self loops excluded, as PyG removes them
  // first). Other fills are defined for edge_attr itself.
  bool commutes = fill.reduce == gnn::Aggregation::Mean ||
                  fill.reduce == gnn::Aggregation::Add;
  if (edges != fill.edges && !(commutes && isLinearIn(edges, fill.edges))) {
    interp.error(loc, "message() reads " + describeType(edges.getType()) +
                          " computed from the edge_attr given to "
                          "add_self_loops() by " +
                          (commutes ? "a non-linear operation"
                                    : "an operation other than reading it") +
                          "; with fill_value=" + fill.name +
                          " the self loops' rows are defined for edge_attr "
                          "(read it in message() and compute there)" +
                          (commutes ? " or linear functions of it" : ""));
    return std::nullopt;
  }
  if (mlir::Value built = loopRows.lookup({graph, edges}))
    return built;
  auto loops = graph.getDefiningOp<gnn::AddSelfLoopsOp>();
  mlir::Location l = getLoc(loc);
  mlir::Value withoutLoops = builder.create<gnn::RemoveSelfLoopsOp>(
      l, gnn::GraphType::get(&context, gnn::SelfLoops::None), loops.getGraph());
  auto edgeType = llvm::cast<gnn::EdgeType>(edges.getType());
  auto rowsType = gnn::VertexType::get(&context, edgeType.getShape(),
                                       edgeType.getElementType());
  mlir::OpBuilder::InsertionGuard guard(builder);
  mlir::Value rows;
  if (fill.reduce) {
    // The reduction of the target's in-edges' rows: a stage of its own.
    auto reduce = builder.create<gnn::MessagePassingOp>(
        l, rowsType, withoutLoops, mlir::ValueRange{edges}, *fill.reduce);
    mlir::Block *body = new mlir::Block();
    reduce.getBody().push_back(body);
    mlir::Value arg = body->addArgument(edgeType, l);
    builder.setInsertionPointToStart(body);
    mlir::Value row = builder.create<gnn::GetEdgeOp>(l, edgeType.getRowType(),
                                                     arg, mlir::Value());
    builder.create<gnn::YieldOp>(l, mlir::ValueRange{row});
    rows = reduce.getResult();
  } else {
    // The same number in every row: a transform over the vertices (the
    // degree only gives it their domain).
    auto degreeType = gnn::VertexType::get(&context, {1}, builder.getF32Type());
    mlir::Value degree = builder.create<gnn::DegreeOp>(l, degreeType, withoutLoops);
    rows = rowwise(
        rowsType, {degree},
        [&](llvm::ArrayRef<mlir::Value>, mlir::Type rowType) -> mlir::Value {
          auto vector = llvm::cast<mlir::VectorType>(rowType);
          return builder.create<mlir::arith::ConstantOp>(
              l, vector,
              mlir::DenseElementsAttr::get(
                  vector, builder.getF32FloatAttr(float(fill.constant)).getValue()));
        },
        loc);
  }
  loopRows[{graph, edges}] = rows;
  return rows;
}

std::optional<Value> IRGen::traceUpdate(const Value &layerValue,
                                        Value aggregated,
                                        llvm::ArrayRef<KeywordArg> kwargs,
                                        const Location &loc) {
  const ClassInfo &cls = *layerValue.getModule()->cls;
  const ClassInfo *definer = nullptr;
  const FunctionAST *update = cls.findMethod("update", &definer);
  if (!update)
    return aggregated;
  // update(self, aggr_out, **kwargs), as in PyG: the first argument is
  // the aggregation, the others are propagate's keywords by name.
  llvm::ArrayRef<ParamAST> params = update->getParams();
  if (params.size() < 2) {
    interp.error(update->loc(), "update() must take (self, aggr_out, ...)");
    return std::nullopt;
  }
  std::vector<Value> bound = {aggregated};
  for (const ParamAST &param : params.drop_front(2)) {
    auto kw = llvm::find_if(
        kwargs, [&](const KeywordArg &k) { return k.name == param.name; });
    if (kw != kwargs.end()) {
      bound.push_back(kw->value);
      continue;
    }
    if (!param.defaultValue) {
      interp.error(param.loc,
                   "update() argument '" + param.name +
                       "' is not passed to propagate()",
                   loc, "propagate() is called here");
      return std::nullopt;
    }
    std::optional<Value> def = interp.evalDefault(param, *definer);
    if (!def)
      return std::nullopt;
    bound.push_back(*def);
  }
  return interp.callBound(*update, *definer, layerValue, bound,
                          definer->name + ".update()", loc);
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
  auto func = mlir::func::FuncOp::create(getLoc(forward->loc()), kForwardName,
                                         builder.getFunctionType(argTypes, {}));
  module->push_back(func);
  mlir::Block *entry = func.addEntryBlock();
  for (auto [arg, argLoc] : llvm::zip(entry->getArguments(), argLocs))
    arg.setLoc(argLoc);
  for (auto [i, p] : llvm::enumerate(params)) {
    func.setArgAttr(i + firstParam, kParamAttrName,
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

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

static mlir::OwningOpRef<mlir::ModuleOp>
compileModel(std::unique_ptr<ModuleAST> ast, const ModelOptions &options,
             mlir::MLIRContext &context, DiagnosticEngine &diag) {
  if (!ast)
    return nullptr;
  std::string file = *ast->loc().file;
  std::unique_ptr<Program> program =
      Program::load(std::move(ast), diag, options.libraryPath);
  if (!program)
    return nullptr;
  std::optional<StringRef> modelName;
  if (options.modelName)
    modelName = *options.modelName;
  const ClassInfo *cls = program->findModel(modelName, diag);
  if (!cls)
    return nullptr;

  Interpreter interp(*program, diag);
  std::optional<ElaboratedModel> model =
      elaborateInferring(interp, *cls, options, diag);
  if (!model)
    return nullptr;

  int64_t inputFeatures = 0;
  if (options.inputFeatures) {
    inputFeatures = *options.inputFeatures;
    if (inputFeatures <= 0 || inputFeatures > (int64_t(1) << 31)) {
      diag.error(file, "the input feature width must be a positive integer, "
                       "got " +
                           Twine(inputFeatures));
      return nullptr;
    }
  } else {
    auto inChannels = llvm::find_if(model->arguments, [](const auto &arg) {
      return arg.first == "in_channels";
    });
    if (inChannels == model->arguments.end()) {
      diag.error(file, "cannot tell the input feature width; pass "
                       "--input-features");
      return nullptr;
    }
    const Value &v = inChannels->second;
    if (!v.is(Value::Kind::Int) || v.getInt() <= 0 ||
        v.getInt() > (int64_t(1) << 31)) {
      diag.error(file, "cannot tell the input feature width: in_channels is " +
                           v.repr() + "; pass --input-features");
      return nullptr;
    }
    inputFeatures = v.getInt();
  }
  // The edge feature width: --edge-features, else the model's edge_dim
  // (used only if forward() takes edge_attr).
  std::optional<int64_t> edgeFeatures = options.edgeFeatures;
  if (!edgeFeatures) {
    auto edgeDim = llvm::find_if(model->arguments, [](const auto &arg) {
      return arg.first == "edge_dim";
    });
    if (edgeDim != model->arguments.end() &&
        edgeDim->second.is(Value::Kind::Int))
      edgeFeatures = edgeDim->second.getInt();
  }
  if (edgeFeatures && (*edgeFeatures <= 0 || *edgeFeatures > (int64_t(1) << 31))) {
    diag.error(file, "the edge feature width must be a positive integer, "
                     "got " +
                         Twine(*edgeFeatures));
    return nullptr;
  }

  context.loadDialect<gnn::GNNDialect, mlir::func::FuncDialect,
                      mlir::arith::ArithDialect>();
  IRGen gen(context, interp);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      gen.generate(*cls, model->model,
                   collectStateDict(*model->model.getModule()), inputFeatures,
                   edgeFeatures);
  if (!module)
    return nullptr;

  // The checks above should make this unreachable; a failure here is a bug
  // in the compiler, reported as such rather than as the user's fault.
  std::string messages;
  {
    mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &d) {
      llvm::raw_string_ostream os(messages);
      os << "\n  " << d.getLocation() << ": " << d;
      return mlir::success();
    });
    if (mlir::failed(mlir::verify(*module))) {
      diag.error(file, "internal compiler error: the generated IR does not "
                       "verify:" +
                           messages);
      return nullptr;
    }
  }
  return module;
}

mlir::OwningOpRef<mlir::ModuleOp>
gnn::frontend::compileModelFile(StringRef path, const ModelOptions &options,
                                mlir::MLIRContext &context,
                                DiagnosticEngine &diag) {
  return compileModel(parseFile(path, diag), options, context, diag);
}

mlir::OwningOpRef<mlir::ModuleOp> gnn::frontend::compileModelSource(
    StringRef source, StringRef fileName, const ModelOptions &options,
    mlir::MLIRContext &context, DiagnosticEngine &diag) {
  return compileModel(parseModule(source, fileName, diag), options, context,
                      diag);
}

std::vector<ModelParameter>
gnn::frontend::getModelParameters(mlir::ModuleOp module) {
  std::vector<ModelParameter> params;
  auto func = module.lookupSymbol<mlir::func::FuncOp>(kForwardName);
  if (!func)
    return params;
  for (unsigned i = 0; i < func.getNumArguments(); ++i) {
    auto name = func.getArgAttrOfType<mlir::StringAttr>(i, kParamAttrName);
    auto type =
        llvm::dyn_cast<mlir::RankedTensorType>(func.getArgumentTypes()[i]);
    if (!name || !type)
      continue;
    params.push_back(
        {name.str(),
         std::vector<int64_t>(type.getShape().begin(), type.getShape().end()),
         i});
  }
  return params;
}

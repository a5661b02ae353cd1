//===- EdgeRows.cpp - PyG's `row, col = edge_index`, computed per edge ----===//
//
// PyG layers compute per-edge values in forward() from the graph's rows,
//
//   row, col = edge_index
//   deg = degree(col, x.size(0), dtype=x.dtype)
//   norm = deg_inv_sqrt[row] * deg_inv_sqrt[col]
//
// and pass them to propagate(), whose message() reads them per edge. Such a
// value is recorded as an expression (EdgeExpr) instead of an E-sized
// tensor, and traced inside the message, where tensor[row] is the source's
// row (what `tensor_j` reads) and tensor[col] the target's (`tensor_i`): the
// kernel is the one a layer reading `norm_j * norm_i` gets. Per-edge
// tensors (edge_weight) join such values as their edge's row, and
// scatter(edge_weight, col) (the weighted degree) is a message stage.
//
//===----------------------------------------------------------------------===//

#include "frontend/IRGen.h"

using namespace gnn::frontend;
using llvm::StringRef;

static bool isPerRow(mlir::Type t) {
  return getDomain(t) != Domain::Uniform;
}

static Value makeEdgeRows(EdgeExpr e) {
  return Value::edgeRows(std::make_shared<const EdgeExpr>(std::move(e)));
}

static bool isEdgeRows(const Arg &arg) {
  return arg.value.is(Value::Kind::EdgeRows);
}

static bool isEnd(const Arg &arg) {
  return isEdgeRows(arg) &&
         arg.value.getEdgeExpr()->kind == EdgeExpr::Kind::End;
}

std::optional<Value> IRGen::unpackGraph(const Value &graphValue,
                                        const Location &loc) {
  std::optional<mlir::Value> graph =
      graphOperand({graphValue, loc}, "unpacking the graph");
  if (!graph)
    return std::nullopt;
  auto end = [&](gnn::Side side) {
    EdgeExpr e;
    e.kind = EdgeExpr::Kind::End;
    e.graph = *graph;
    e.side = side;
    e.loc = loc;
    return makeEdgeRows(std::move(e));
  };
  return Value::tuple({end(gnn::Side::Source), end(gnn::Side::Target)});
}

std::optional<mlir::Value> IRGen::edgeGraph(llvm::ArrayRef<Arg> args,
                                            const Location &loc) {
  mlir::Value graph;
  for (const Arg &arg : args) {
    if (!isEdgeRows(arg))
      continue;
    mlir::Value g = arg.value.getEdgeExpr()->graph;
    if (graph && g != graph) {
      interp.error(arg.loc, "per-edge values built from the rows of two "
                            "different graphs (before and after "
                            "add_self_loops?) cannot be combined");
      return std::nullopt;
    }
    graph = g;
  }
  return graph;
}

/// An error for row or col used as a value: they hold vertex ids, which
/// gnnc never materialises.
static bool rejectEnds(Interpreter &interp, llvm::ArrayRef<Arg> args) {
  for (const Arg &arg : args)
    if (isEnd(arg)) {
      interp.error(arg.loc, "row and col (the edges' source and target "
                            "ids) can only index a vertex tensor, as in "
                            "deg[row], or give degree(col)");
      return true;
    }
  return false;
}

std::optional<Value> IRGen::edgeBinary(BinaryOp op, const Arg &lhs,
                                       const Arg &rhs, const Location &loc) {
  if (rejectEnds(interp, {lhs, rhs}))
    return std::nullopt;
  std::optional<mlir::Value> graph = edgeGraph({lhs, rhs}, loc);
  if (!graph)
    return std::nullopt;
  // The other operand is the same for every edge (a number or a
  // parameter), or has a row per edge (gcn_norm's edge_weight); a vertex
  // tensor would need an index (x[row]).
  for (const Arg *arg : {&lhs, &rhs}) {
    const Value &v = arg->value;
    if (isEdgeRows(*arg) || v.isNumber() || v.is(Value::Kind::Param) ||
        (v.is(Value::Kind::Tensor) && !isPerRow(unwrap(v).getType())) ||
        (v.is(Value::Kind::Tensor) &&
         llvm::isa<gnn::EdgeType>(unwrap(v).getType())))
      continue;
    interp.error(arg->loc, "a per-edge value built from row/col combines "
                           "with numbers, parameters, per-edge tensors and "
                           "other such values only, got " +
                               describe(v) +
                               "; index a vertex tensor with row or col "
                               "(x[row])");
    return std::nullopt;
  }
  EdgeExpr e;
  e.kind = EdgeExpr::Kind::Binary;
  e.graph = *graph;
  e.op = op;
  e.operands = {lhs, rhs};
  e.loc = loc;
  return makeEdgeRows(std::move(e));
}

std::optional<Value> IRGen::edgeBuiltin(StringRef name,
                                        llvm::ArrayRef<Arg> args,
                                        const Location &loc) {
  // degree(col): the in-degree, as degree(edge_index) gives it.
  if (name == "degree") {
    if (!isEnd(args[0])) {
      interp.error(args[0].loc, "degree() takes the graph or col (the "
                                "edges' targets), got " +
                                    describe(args[0].value));
      return std::nullopt;
    }
    const EdgeExpr &end = *args[0].value.getEdgeExpr();
    if (end.side != gnn::Side::Target) {
      interp.error(args[0].loc, "degree(row) counts each vertex's out-edges, "
                                "which gnnc does not compute; the in-degree "
                                "is degree(col)");
      return std::nullopt;
    }
    std::vector<Arg> graphArgs(args.begin(), args.end());
    graphArgs[0] = {wrap(end.graph), args[0].loc};
    return graphUtility("degree", graphArgs, loc);
  }
  if (name == "scatter")
    return scatterToTargets(args, loc);
  // tensor[row], tensor[col]: the source's or the target's row.
  if (name == "__getitem__" && args.size() == 2 && isEnd(args[1])) {
    const Value &tensor = args[0].value;
    if (!tensor.is(Value::Kind::Tensor) ||
        !llvm::isa<gnn::VertexType>(unwrap(tensor).getType())) {
      interp.error(args[0].loc, "row and col index a tensor with one row per "
                                "vertex, got " +
                                    describe(tensor));
      return std::nullopt;
    }
    const EdgeExpr &end = *args[1].value.getEdgeExpr();
    EdgeExpr e;
    e.kind = EdgeExpr::Kind::Gather;
    e.graph = end.graph;
    e.side = end.side;
    e.tensor = unwrap(tensor);
    e.loc = loc;
    return makeEdgeRows(std::move(e));
  }
  if (rejectEnds(interp, args))
    return std::nullopt;
  // What is computed row by row may be recomputed per edge; what needs
  // the whole edge set may not.
  static const char *const kRowwise[] = {
      "relu", "sigmoid", "tanh", "gelu", "exp", "log", "sqrt", "abs",
      "neg", "elu", "leaky_relu", "pow", "maximum", "minimum", "view",
      "reshape", "unsqueeze", "squeeze", "sum", "mean", "amax", "amin",
      "replace", "__getitem__"};
  if (!llvm::is_contained(kRowwise, name)) {
    interp.error(loc, "'" + name + "' is not supported on a per-edge value "
                                   "built from row/col");
    return std::nullopt;
  }
  std::optional<mlir::Value> graph = edgeGraph(args, loc);
  if (!graph)
    return std::nullopt;
  EdgeExpr e;
  e.kind = EdgeExpr::Kind::Builtin;
  e.graph = *graph;
  e.name = name.str();
  e.operands.assign(args.begin(), args.end());
  e.loc = loc;
  return makeEdgeRows(std::move(e));
}

std::optional<Value> IRGen::replayEdgeRows(const Value &value,
                                           mlir::Value graph,
                                           const Location &loc) {
  const EdgeExpr &e = *value.getEdgeExpr();
  if (e.graph != graph) {
    interp.error(loc, "this per-edge value was built from the rows of "
                      "another graph than the one propagate() runs on "
                      "(before add_self_loops?)",
                 e.loc, "built here");
    return std::nullopt;
  }
  std::vector<Arg> operands;
  for (const Arg &arg : e.operands) {
    if (arg.value.is(Value::Kind::Tensor)) {
      // A per-edge tensor: the current edge's row (an added self loop's
      // row is named when the message is complete).
      if (auto edgeType =
              llvm::dyn_cast<gnn::EdgeType>(unwrap(arg.value).getType())) {
        operands.push_back(
            {wrap(builder.create<gnn::GetEdgeOp>(
                 getLoc(arg.loc), edgeType.getRowType(),
                 capture(unwrap(arg.value)), mlir::Value())),
             arg.loc});
        continue;
      }
    }
    if (!isEdgeRows(arg)) {
      operands.push_back(arg);
      continue;
    }
    std::optional<Value> v = replayEdgeRows(arg.value, graph, arg.loc);
    if (!v)
      return std::nullopt;
    operands.push_back({*v, arg.loc});
  }
  switch (e.kind) {
  case EdgeExpr::Kind::End:
    rejectEnds(interp, {{value, loc}});
    return std::nullopt;
  case EdgeExpr::Kind::Gather: {
    auto vertexType = llvm::cast<gnn::VertexType>(e.tensor.getType());
    return wrap(builder.create<gnn::GetVertexOp>(
        getLoc(e.loc), vertexType.getRowType(), capture(e.tensor), e.side));
  }
  case EdgeExpr::Kind::Binary:
    return binary(e.op, operands[0], operands[1], e.loc);
  case EdgeExpr::Kind::Negate:
    return negate(operands[0], e.loc);
  case EdgeExpr::Kind::Builtin:
    return callBuiltin(e.name, operands, e.loc);
  }
  return std::nullopt;
}

std::optional<Value> IRGen::scatterToTargets(llvm::ArrayRef<Arg> args,
                                             const Location &loc) {
  // scatter(src, col, dim=0, dim_size, reduce): a message stage whose
  // message is the edge's row of src, aggregated at its target.
  if (region) {
    interp.error(loc, "scatter() cannot be used inside message()");
    return std::nullopt;
  }
  if (!isEnd(args[1]) ||
      args[1].value.getEdgeExpr()->side != gnn::Side::Target) {
    interp.error(args[1].loc, "scatter() groups rows by col (the edges' "
                              "targets) only, got " +
                                  describe(args[1].value));
    return std::nullopt;
  }
  const Value &src = args[0].value;
  if (!src.is(Value::Kind::Tensor) ||
      !llvm::isa<gnn::EdgeType>(unwrap(src).getType())) {
    interp.error(args[0].loc, "scatter() takes a tensor with one row per "
                              "edge (edge_weight, edge_attr), got " +
                                  describe(src));
    return std::nullopt;
  }
  if (!args[2].value.is(Value::Kind::Int) || args[2].value.getInt() != 0) {
    interp.error(args[2].loc, "scatter() reduces along dim=0 (the edges) "
                              "only, got " +
                                  args[2].value.repr());
    return std::nullopt;
  }
  static const std::pair<StringRef, gnn::Aggregation> kReduce[] = {
      {"sum", gnn::Aggregation::Add},
      {"add", gnn::Aggregation::Add},
      {"mean", gnn::Aggregation::Mean},
      {"max", gnn::Aggregation::Max},
      {"amax", gnn::Aggregation::Max},
      {"min", gnn::Aggregation::Min},
      {"amin", gnn::Aggregation::Min}};
  std::optional<gnn::Aggregation> aggr;
  if (args[4].value.is(Value::Kind::Str))
    for (const auto &[name, kind] : kReduce)
      if (args[4].value.getStr() == name)
        aggr = kind;
  if (!aggr) {
    interp.error(args[4].loc, "scatter() supports reduce 'sum', 'add', "
                              "'mean', 'max' and 'min', got " +
                                  args[4].value.repr());
    return std::nullopt;
  }
  mlir::Value graph = args[1].value.getEdgeExpr()->graph;
  mlir::Value edges = unwrap(src);
  auto edgeType = llvm::cast<gnn::EdgeType>(edges.getType());
  mlir::Location l = getLoc(loc);
  // The added self loops' rows, where the graph has them.
  llvm::SmallVector<mlir::Value, 2> inputs = {edges};
  gnn::SelfLoops loops = llvm::cast<gnn::GraphType>(graph.getType()).getSelfLoops();
  if (loops == gnn::SelfLoops::OnePerVertex ||
      loops == gnn::SelfLoops::StoredPlusOne) {
    std::optional<mlir::Value> loopRows = selfLoopRows(graph, edges, loc);
    if (!loopRows)
      return std::nullopt;
    inputs.push_back(*loopRows);
  }
  auto resultType = gnn::VertexType::get(&context, edgeType.getShape(),
                                         edgeType.getElementType());
  auto op = builder.create<gnn::MessagePassingOp>(l, resultType, graph,
                                                  inputs, *aggr);
  mlir::Block *body = new mlir::Block();
  op.getBody().push_back(body);
  mlir::Value arg = body->addArgument(edgeType, l);
  mlir::Value loopArg;
  if (inputs.size() > 1)
    loopArg = body->addArgument(inputs[1].getType(), l);
  mlir::OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(body);
  mlir::Value row =
      builder.create<gnn::GetEdgeOp>(l, edgeType.getRowType(), arg, loopArg);
  builder.create<gnn::YieldOp>(l, mlir::ValueRange{row});
  return wrap(op.getResult());
}

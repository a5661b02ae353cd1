//===- MessageTracing.cpp - propagate() into gnn.message_passing ----------===//
//
// `layer.propagate(edge_index, **kwargs)`: traces the layer's message() for
// one edge into the region of a gnn.message_passing, binds its `_i`/`_j`
// and edge arguments, resolves a PyG softmax(src, index) weight into a
// softmax_add, and traces update() on the aggregate. Also PyG's graph
// utilities, whose self loops' edge rows (add_self_loops' fill_value)
// messages read.
//
//===----------------------------------------------------------------------===//

#include "frontend/IRGen.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/DenseSet.h"

using namespace gnn::frontend;
using llvm::StringRef;
using llvm::Twine;

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
  if (llvm::is_contained({"size", "size_i", "size_j", "dim_size", "edge_index",
                          "edge_index_i", "edge_index_j"},
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
    // PyG: a per-edge keyword reaches message() by its plain name.
    if (kw->value.is(Value::Kind::EdgeRows))
      return replayEdgeRows(kw->value, region->graph, param.loc);
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
  messageRegion.graph = *graph;
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
      if (!interp.checkParsed(*message, loc)) {
        region = nullptr;
        return std::nullopt;
      }
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
  gnn::SelfLoops loopsKind =
      llvm::cast<gnn::GraphType>(graph->getType()).getSelfLoops();
  if (loopsKind == gnn::SelfLoops::OnePerVertex ||
      loopsKind == gnn::SelfLoops::StoredPlusOne) {
    for (mlir::Operation &op : llvm::make_early_inc_range(*block)) {
      auto get = llvm::dyn_cast<gnn::GetEdgeOp>(op);
      if (!get)
        continue;
      unsigned i =
          llvm::cast<mlir::BlockArgument>(get.getTensor()).getArgNumber();
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
  auto op = builder.create<gnn::MessagePassingOp>(
      getLoc(loc), resultType, *graph, messageRegion.inputs, aggr);
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
      if (r.getKind() != gnn::Reduction::Sum &&
          r.getKind() != gnn::Reduction::Mean)
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

std::optional<Value> IRGen::graphUtility(StringRef name,
                                         llvm::ArrayRef<Arg> args,
                                         const Location &loc) {
  std::optional<mlir::Value> graph = graphOperand(args[0], (name + "()").str());
  if (!graph)
    return std::nullopt;
  mlir::Location l = getLoc(loc);
  if (name == "degree") {
    auto type = gnn::VertexType::get(&context, {1}, builder.getF32Type());
    return wrap(builder.create<gnn::DegreeOp>(l, type, *graph));
  }
  bool remaining = name == "add_remaining_self_loops";
  bool adding = name == "add_self_loops" || remaining;
  gnn::SelfLoops given =
      llvm::cast<gnn::GraphType>(graph->getType()).getSelfLoops();
  if (adding && !remaining && given != gnn::SelfLoops::AsGiven &&
      given != gnn::SelfLoops::None) {
    interp.error(loc, "add_self_loops() on a graph that has self loops "
                      "added already would give each vertex two; use "
                      "add_remaining_self_loops()");
    return std::nullopt;
  }
  mlir::Value result;
  if (adding)
    // PyG's add_self_loops keeps the stored loops and appends one per
    // vertex; add_remaining_self_loops (or add_self_loops on a graph
    // without loops) leaves exactly one.
    result = builder.create<gnn::AddSelfLoopsOp>(
        l,
        gnn::GraphType::get(&context, remaining || given == gnn::SelfLoops::None
                                          ? gnn::SelfLoops::OnePerVertex
                                          : gnn::SelfLoops::StoredPlusOne),
        *graph);
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
    interp.error(args[1].loc, name +
                                  "() expects edge_attr to be a per-edge "
                                  "tensor, got " +
                                  describe(args[1].value));
    return std::nullopt;
  }
  if (adding) {
    const Value &fill = args.size() > 2 ? args[2].value : Value::none();
    SelfLoopFill f{*edges, std::nullopt, 1.0, "None"};
    if (fill.is(Value::Kind::Str)) {
      static const std::pair<llvm::StringRef, gnn::Aggregation> kReduce[] = {
          {"mean", gnn::Aggregation::Mean},
          {"add", gnn::Aggregation::Add},
          {"sum", gnn::Aggregation::Add},
          {"max", gnn::Aggregation::Max},
          {"min", gnn::Aggregation::Min}};
      for (const auto &[name, aggr] : kReduce)
        if (fill.getStr() == name)
          f.reduce = aggr;
      f.name = "'" + fill.getStr().str() + "'";
    } else if (fill.isNumber()) {
      f.constant = fill.getNumber();
      f.name = fill.repr();
    }
    // PyG keeps each stored loop's row and fills only the missing loops'
    // (stored_loop_rows).
    f.keepStored = remaining && given == gnn::SelfLoops::AsGiven;
    if (!f.reduce && !fill.isNumber() && !fill.isNone()) {
      interp.error(args.size() > 2 ? args[2].loc : loc,
                   llvm::Twine(remaining ? "add_remaining_self_loops()"
                                         : "add_self_loops()") +
                       " with edge_attr supports fill_value "
                   "'mean', 'add', 'sum', 'max', 'min' (of each target's "
                   "in-edge attributes) or a number (None is 1.0), got " +
                       fill.repr());
      return std::nullopt;
    }
    filledEdges[result] = f;
  }
  return Value::tuple({wrap(result), args[1].value});
}

std::optional<mlir::Value>
IRGen::selfLoopRows(mlir::Value graph, mlir::Value edges, const Location &loc) {
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
  bool commutes = !fill.keepStored && (fill.reduce == gnn::Aggregation::Mean ||
                                       fill.reduce == gnn::Aggregation::Add);
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
  // The reduction runs over the in-edges the fill sees: PyG's
  // add_self_loops reduces over every stored edge, its loops included
  // (removed first only where the layer removed them).
  auto withoutLoops = [&]() -> mlir::Value {
    if (loops.getType().getSelfLoops() == gnn::SelfLoops::StoredPlusOne)
      return loops.getGraph();
    return builder.create<gnn::RemoveSelfLoopsOp>(
        l, gnn::GraphType::get(&context, gnn::SelfLoops::None),
        loops.getGraph());
  };
  auto edgeType = llvm::cast<gnn::EdgeType>(edges.getType());
  auto rowsType = gnn::VertexType::get(&context, edgeType.getShape(),
                                       edgeType.getElementType());
  mlir::OpBuilder::InsertionGuard guard(builder);
  // The reduction of each target's rows over the in-edges of `over`: a
  // stage of its own.
  auto reduceRows = [&](mlir::Value over) -> mlir::Value {
    auto reduce = builder.create<gnn::MessagePassingOp>(
        l, rowsType, over, mlir::ValueRange{edges}, *fill.reduce);
    mlir::Block *body = new mlir::Block();
    reduce.getBody().push_back(body);
    mlir::Value arg = body->addArgument(edgeType, l);
    mlir::OpBuilder::InsertionGuard inBody(builder);
    builder.setInsertionPointToStart(body);
    mlir::Value row = builder.create<gnn::GetEdgeOp>(l, edgeType.getRowType(),
                                                     arg, mlir::Value());
    builder.create<gnn::YieldOp>(l, mlir::ValueRange{row});
    return reduce.getResult();
  };
  mlir::Value rows;
  if (fill.keepStored) {
    // Each vertex's stored loop's row, else the number or the reduction
    // of its in-edges' rows, stored loops included (PyG reduces over the
    // whole edge_index before it drops them): a stage of its own.
    mlir::Value fillRows =
        fill.reduce ? reduceRows(loops.getGraph()) : mlir::Value();
    rows = builder.create<gnn::StoredLoopRowsOp>(
        l, rowsType, loops.getGraph(), edges, fillRows,
        fill.reduce ? mlir::FloatAttr()
                    : builder.getF32FloatAttr(float(fill.constant)));
  } else if (fill.reduce) {
    rows = reduceRows(withoutLoops());
  } else {
    // The same number in every row: a transform over the vertices (the
    // degree only gives it their domain).
    auto degreeType = gnn::VertexType::get(&context, {1}, builder.getF32Type());
    mlir::Value degree =
        builder.create<gnn::DegreeOp>(l, degreeType, withoutLoops());
    rows = rowwise(
        rowsType, {degree},
        [&](llvm::ArrayRef<mlir::Value>, mlir::Type rowType) -> mlir::Value {
          auto vector = llvm::cast<mlir::VectorType>(rowType);
          return builder.create<mlir::arith::ConstantOp>(
              l, vector,
              mlir::DenseElementsAttr::get(
                  vector,
                  builder.getF32FloatAttr(float(fill.constant)).getValue()));
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
  if (!interp.checkParsed(*update, loc))
    return std::nullopt;
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

//===- IRGen.h - The tracer from model code to the gnn dialect --*- C++ -*-===//
//
// The TensorOps the interpreter calls while it runs `forward` and
// `message`. Private to the frontend: IRGen.cpp holds the tensor operations
// and @forward, MessageTracing.cpp the message_passing regions of
// propagate(), Driver.cpp runs it.
//
//===----------------------------------------------------------------------===//

#ifndef GNN_FRONTEND_IRGEN_H
#define GNN_FRONTEND_IRGEN_H

#include "frontend/Interpreter.h"
#include "frontend/Program.h"
#include "frontend/Value.h"

#include "dialect/GNNOps.h"
#include "dialect/GNNTypes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gnn {
namespace frontend {

/// Where a traced value lives (the verifier's notion, dialect/GNNOps.cpp):
/// one row per vertex or per edge, one row inside a message region, or the
/// same for all rows (parameters, scalars).
enum class Domain { Vertex, Edge, Row, Uniform };

Domain getDomain(mlir::Type t);

/// "a vertex tensor of 64 features", for messages.
std::string describeType(mlir::Type t);

/// A per-edge value built in forward() from PyG's `row, col = edge_index`
/// (`deg_inv_sqrt[row] * deg_inv_sqrt[col]`, a view of it): not computed
/// there, but recomputed per edge where message() reads it, as the
/// shipped layers' `norm_i * norm_j` is, so no E-sized tensor exists.
struct EdgeExpr {
  enum class Kind {
    End,     // row or col itself: `side` of each edge of `graph`
    Gather,  // tensor[row] or tensor[col]: `tensor` read at `side`
    Binary,  // operands[0] `op` operands[1]
    Negate,  // -operands[0]
    Builtin, // builtin `name` on `operands` (view, pow, relu, replace, ...)
  };
  Kind kind = Kind::End;
  mlir::Value graph;
  gnn::Side side = gnn::Side::Source;
  mlir::Value tensor;
  BinaryOp op = BinaryOp::Add;
  std::string name;
  std::vector<Arg> operands;
  Location loc; // where forward() computed it
};

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
  std::optional<Value> callBuiltin(llvm::StringRef name,
                                   llvm::ArrayRef<Arg> args,
                                   const Location &loc) override;
  std::optional<Value> linear(const ModuleObject &linear, const Arg &input,
                              const Location &loc) override;
  std::optional<Value> rowLinear(const ModuleObject &linear, mlir::Value row,
                                 const Location &loc);
  /// A Linear's weight and bias (null without one), captured into the
  /// region being traced if there is one.
  std::optional<std::pair<mlir::Value, mlir::Value>>
  linearParams(const ModuleObject &linear, const Location &loc);
  std::optional<Value> propagate(const Value &layer, const Arg &graph,
                                 llvm::ArrayRef<KeywordArg> kwargs,
                                 const Location &loc) override;
  std::optional<Value> readParam(const ParamObject &param,
                                 const Location &loc) override;
  std::optional<Value> unpackGraph(const Value &graph,
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
    /// The graph propagate() runs on: per-edge values must index it.
    mlir::Value graph;
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
  std::optional<mlir::Value> operand(const Arg &arg, llvm::StringRef context);
  /// A traced tensor operand (numbers rejected).
  std::optional<mlir::Value> tensorOperand(const Arg &arg,
                                           llvm::StringRef context);
  std::optional<mlir::Value> graphOperand(const Arg &arg,
                                          llvm::StringRef context);

  template <typename OpT>
  std::optional<Value> elementwise(llvm::StringRef spelling, const Arg &lhs,
                                   const Arg &rhs, const Location &loc);
  /// Applies PyTorch's broadcasting to operands with one row per vertex or
  /// edge: two such tensors need the same number of feature dimensions,
  /// and a parameter with one dimension more has a leading 1 (standing
  /// for the rows), which is dropped by a reshape. Reports an error.
  bool alignRows(mlir::Value &lhs, mlir::Value &rhs, const Location &loc);
  std::optional<Value> unary(llvm::StringRef name, llvm::ArrayRef<Arg> args,
                             const Location &loc);

  // Shapes, reductions and softmax.
  /// `x` with feature shape `shape` (same domain), as a gnn.reshape.
  mlir::Value reshapeTo(mlir::Value x, llvm::ArrayRef<int64_t> shape,
                        const Location &loc);
  /// The index into the feature shape of `x` that PyTorch dimension `dim`
  /// names (a per-row tensor's dimension 0 is its rows), for `callee`;
  /// `inserting` for unsqueeze, whose range is one larger.
  std::optional<int64_t> featureDim(mlir::Type type, const Arg &dim,
                                    bool inserting, llvm::StringRef callee);
  mlir::Value reduceAlong(mlir::Value x, gnn::Reduction kind, int64_t dim,
                          bool keepdim, const Location &loc);
  template <typename OpT>
  mlir::Value combineRows(mlir::Value a, mlir::Value b, const Location &loc);
  std::optional<Value> view(llvm::StringRef name, llvm::ArrayRef<Arg> args,
                            const Location &loc);
  /// x.size(d): a feature dimension, or a parameter's (compile time).
  std::optional<Value> size(llvm::ArrayRef<Arg> args, const Location &loc);
  std::optional<Value> unsqueeze(llvm::StringRef name, llvm::ArrayRef<Arg> args,
                                 const Location &loc);
  std::optional<Value> reduce(llvm::StringRef name, llvm::ArrayRef<Arg> args,
                              const Location &loc);
  std::optional<Value> softmax(llvm::StringRef name, llvm::ArrayRef<Arg> args,
                               const Location &loc);
  std::optional<Value> cat(llvm::ArrayRef<Arg> args, const Location &loc);
  /// torch.stack along the first or last new feature dimension, as cat()
  /// and view()/unsqueeze().
  std::optional<Value> stack(llvm::ArrayRef<Arg> args, const Location &loc);
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

  // Per-edge values from `row, col = edge_index` (EdgeRows.cpp).
  /// An operation on per-edge values, recorded for message() to replay:
  /// tensor[row] / tensor[col], arithmetic, and builtins on them; degree(col).
  std::optional<Value> edgeBinary(BinaryOp op, const Arg &lhs, const Arg &rhs,
                                  const Location &loc);
  std::optional<Value> edgeBuiltin(llvm::StringRef name,
                                   llvm::ArrayRef<Arg> args,
                                   const Location &loc);
  /// PyG's scatter(src, col, ...): per-edge rows reduced at the targets.
  std::optional<Value> scatterToTargets(llvm::ArrayRef<Arg> args,
                                        const Location &loc);
  /// `value` (a per-edge value) computed for the edge of the message being
  /// traced on `graph`.
  std::optional<Value> replayEdgeRows(const Value &value, mlir::Value graph,
                                      const Location &loc);
  /// The graph every per-edge value among `args` indexes (all the same);
  /// reports an error if two differ.
  std::optional<mlir::Value> edgeGraph(llvm::ArrayRef<Arg> args,
                                       const Location &loc);

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
    /// add_remaining_self_loops: a stored loop's row where there is one.
    bool keepStored = false;
  };
  /// Graphs with self loops added and the fill of their edge rows.
  llvm::DenseMap<mlir::Value, SelfLoopFill> filledEdges;
  /// The loop rows already built, per (graph, edge tensor): a tensor read
  /// by several messages gets one mean stage.
  llvm::DenseMap<std::pair<mlir::Value, mlir::Value>, mlir::Value> loopRows;
  /// add_self_loops, remove_self_loops (with edge_attr, recording the
  /// fill of the loops' rows) and degree.
  std::optional<Value> graphUtility(llvm::StringRef name,
                                    llvm::ArrayRef<Arg> args,
                                    const Location &loc);
  /// The rows the added self loops have for edge tensor `edges`, read in a
  /// message on `graph`; reports an error at `loc` if there are none.
  std::optional<mlir::Value> selfLoopRows(mlir::Value graph, mlir::Value edges,
                                          const Location &loc);
  MessageRegion *region = nullptr;
};

} // namespace frontend
} // namespace gnn

#endif // GNN_FRONTEND_IRGEN_H

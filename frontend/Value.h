//===- Value.h - Values of the model-language interpreter -------*- C++ -*-===//
//
// What an expression evaluates to while `__init__` runs at compile time and
// while `forward`/`message` are traced: plain Python values, module objects
// and parameters, classes and builtin functions, and traced IR values. The
// traced values are kept as opaque pointers (mlir::Value's own opaque form)
// so that this header, and the interpreter, do not depend on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef GNN_FRONTEND_VALUE_H
#define GNN_FRONTEND_VALUE_H

#include "frontend/Diagnostics.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gnn {
namespace frontend {

struct ClassInfo;
struct ModuleObject;

/// Where a compile-time integer came from: `scale * arg + offset`, with
/// `arg` the index of a constructor argument of the model. Kept through
/// assignments, calls and affine arithmetic on plain integers, so that a
/// parameter's dimensions can be traced back to the model's arguments
/// (which is how those arguments are inferred from a weights file).
struct IntOrigin {
  unsigned arg = 0;
  int64_t scale = 1;
  int64_t offset = 0;
};

/// A learnable tensor created by `Parameter(...)` or a builtin layer. Its
/// state_dict name is only known once the module tree is complete.
struct ParamObject {
  std::vector<int64_t> shape;
  Location loc;
  /// Per dimension, the model argument it was computed from, if any
  /// (empty, or as long as `shape`).
  std::vector<std::optional<IntOrigin>> origins = {};
};

/// PyG's aggregation schemes ("sum" is folded into Add).
enum class Aggregation { Add, Mean, Max, Min };
llvm::StringRef getAggregationName(Aggregation aggr);

/// The layers the compiler provides natively (not written in nn.gnn).
enum class BuiltinModule {
  None, // a class written in the model language
  Linear,
  Dropout,
  Identity,
  ReLU,
  Sigmoid,
  Tanh,
  GELU,
  SiLU,
  ELU,
  LeakyReLU,
  Sequential,
  ModuleList,
  BatchNorm1d,
};

/// Defined by the tracer (IRGen.h).
struct EdgeExpr;

class Value {
public:
  enum class Kind {
    None,
    Bool,
    Int,
    Float,
    Str,
    Tuple,
    List,
    Module,   // an instance of a layer or model
    Param,    // a parameter, before tracing turns it into a Tensor
    Class,    // a class: user/library (getClass()) or builtin (getName())
    Function, // a builtin function such as relu, by name
    Super,    // the proxy `super()` returns
    Tensor,   // a traced tensor (vertex/edge tensor, row, parameter, scalar)
    Graph,    // a traced graph (edge_index)
    Index,    // message()'s `index`: the target of each edge, for softmax
    EdgeRows, // a per-edge value from `row, col = edge_index` (EdgeExpr)
  };

  Value() = default;
  static Value none() { return Value(Kind::None); }
  static Value boolean(bool b);
  static Value integer(int64_t i);
  /// An integer computed from a model constructor argument.
  static Value integer(int64_t i, std::optional<IntOrigin> origin);
  static Value floating(double f);
  static Value string(std::string s);
  static Value tuple(std::vector<Value> elements);
  static Value list(std::vector<Value> elements);
  static Value module(std::shared_ptr<ModuleObject> m);
  static Value param(std::shared_ptr<ParamObject> p);
  static Value userClass(const ClassInfo *cls);
  static Value builtinClass(llvm::StringRef name);
  static Value function(llvm::StringRef name);
  /// `super()` inside a method defined in `definer`, bound to `self`.
  static Value super(std::shared_ptr<ModuleObject> self,
                     const ClassInfo *definer);
  static Value tensor(const void *opaque);
  static Value graph(const void *opaque);
  /// A graph as PyG's add_self_loops/remove_self_loops return it without
  /// edge_attr, `(edge_index, None)`: gnnc makes it the graph itself, so
  /// that `ei = add_self_loops(ei)` works, but `ei, _ = add_self_loops(ei)`
  /// unpacks it as PyG's pair (Interpreter::assign).
  static Value graphPairedWithNone(const void *opaque);
  bool pairsWithNone() const { return kind == Kind::Graph && pairedWithNone; }
  static Value index() { return Value(Kind::Index); }
  /// A per-edge value built from PyG's `row, col = edge_index` (the
  /// tracer's EdgeExpr: `deg[row] * deg[col]`), which the tracer computes
  /// per edge where message() reads it.
  static Value edgeRows(std::shared_ptr<const EdgeExpr> expr);
  const std::shared_ptr<const EdgeExpr> &getEdgeExpr() const { return edge_; }

  Kind getKind() const { return kind; }
  bool is(Kind k) const { return kind == k; }
  bool isNone() const { return kind == Kind::None; }
  /// Bool, Int or Float: what Python arithmetic accepts.
  bool isNumber() const {
    return kind == Kind::Bool || kind == Kind::Int || kind == Kind::Float;
  }
  /// Bool or Int (Python's bool is an int).
  bool isIntegral() const { return kind == Kind::Bool || kind == Kind::Int; }
  /// A value that exists only in the IR being traced.
  bool isTraced() const { return kind == Kind::Tensor || kind == Kind::Graph; }
  /// A traced value, a parameter or a per-edge value: what tensor
  /// operations take.
  bool isTensorLike() const {
    return isTraced() || kind == Kind::Param || kind == Kind::EdgeRows;
  }

  bool getBool() const { return b; }
  /// The value of a Bool or Int.
  int64_t getInt() const { return kind == Kind::Bool ? int64_t(b) : i; }
  /// For an Int, the model argument it derives from, if known.
  const std::optional<IntOrigin> &getOrigin() const { return origin; }
  /// The value of any number as a double.
  double getNumber() const;
  llvm::StringRef getStr() const { return str; }
  llvm::ArrayRef<Value> getElements() const;
  const std::shared_ptr<ModuleObject> &getModule() const { return module_; }
  const std::shared_ptr<ParamObject> &getParam() const { return param_; }
  /// The class of a user/library Class or of a Super; null for builtins.
  const ClassInfo *getClass() const { return cls; }
  /// The name of a builtin class or function.
  llvm::StringRef getName() const { return str; }
  const void *getOpaque() const { return opaque; }

  /// "an integer", "a module 'GCNConv'", "a tensor" ... for messages.
  std::string describe() const;
  /// Python's repr() of a plain value; describe() for the others.
  std::string repr() const;

private:
  explicit Value(Kind kind) : kind(kind) {}

  Kind kind = Kind::None;
  bool b = false;
  int64_t i = 0;
  std::optional<IntOrigin> origin;
  double f = 0;
  std::string str;
  std::shared_ptr<std::vector<Value>> elements;
  std::shared_ptr<ModuleObject> module_;
  std::shared_ptr<ParamObject> param_;
  const ClassInfo *cls = nullptr;
  const void *opaque = nullptr;
  bool pairedWithNone = false;
  std::shared_ptr<const EdgeExpr> edge_;
};

/// An instance of a layer or model. Attributes are kept the way
/// torch.nn.Module keeps them: parameters and submodules in separate
/// ordered lists (assignment order), which is what state_dict() follows.
struct ModuleObject {
  const ClassInfo *cls = nullptr; // null for builtin modules
  BuiltinModule builtin = BuiltinModule::None;
  std::string typeName;
  Location loc; // where it was constructed
  Aggregation aggr = Aggregation::Add;

  std::vector<std::pair<std::string, Value>> params, modules, others;

  /// The attribute called `name`, or null.
  const Value *find(llvm::StringRef name) const;
  /// Sets an attribute; a name keeps its place in its list when it is
  /// reassigned a value of the same category (as in PyTorch).
  void set(llvm::StringRef name, Value value);
};

/// Whether `v` is a Sequential or ModuleList, which len(), `for` and
/// indexing treat as the list of its submodules.
bool isModuleSequence(const Value &v);

/// One entry of a module's state_dict.
struct NamedParam {
  std::string name;
  std::shared_ptr<ParamObject> param;
};

/// The parameters of `root` in torch.nn.Module.state_dict() order: a
/// module's own parameters, then each submodule's, recursively, in
/// assignment order. A parameter reachable twice is listed once.
std::vector<NamedParam> collectStateDict(const ModuleObject &root);

} // namespace frontend
} // namespace gnn

#endif // GNN_FRONTEND_VALUE_H

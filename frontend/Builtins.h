//===- Builtins.h - The builtin functions and classes by name ---*- C++ -*-===//
//
// The names a model file can use without defining them, as tables: one
// registration function per namespace, each in its own file (Python's
// builtins, tensor functions, PyG's graph utilities, torch.nn modules).
// A new spelling of an existing builtin (torch.relu, F.relu) is one more
// entry in a table, not a new branch in the interpreter.
//
//===----------------------------------------------------------------------===//

#ifndef GNN_FRONTEND_BUILTINS_H
#define GNN_FRONTEND_BUILTINS_H

#include "frontend/Interpreter.h"
#include "frontend/Program.h"
#include "frontend/Value.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace gnn {
namespace frontend {

/// A parameter of a builtin: its name and default (none for a required
/// parameter).
struct BuiltinParam {
  std::string name;
  std::optional<Value> defaultValue;
};

struct Builtin;

/// A call of a builtin as its handler sees it. For a builtin with a
/// signature, `args` holds one argument per parameter (defaults filled in)
/// and `kwargs` is empty; for a variadic one, both are as written.
struct BuiltinCall {
  Interpreter &interp;
  const Builtin &callee;
  llvm::ArrayRef<Arg> args;
  llvm::ArrayRef<KeywordArg> kwargs;
  const Location &loc;

  /// "relu()": how messages name the callee.
  std::string callName() const;
  /// Whether any argument is a traced tensor or a parameter.
  bool anyTensor() const;
  /// Hands the arguments to the tracer as builtin `name` (by default the
  /// callee's): what a builtin that is a tensor operation does.
  std::optional<Value> trace(llvm::StringRef name = {}) const;
};

using BuiltinHandler = std::optional<Value> (*)(const BuiltinCall &call);

/// The handler of a builtin that is a tensor operation: call.trace().
std::optional<Value> traceBuiltin(const BuiltinCall &call);

/// A builtin function, class or tensor method.
struct Builtin {
  /// What the tracer and messages call it; another spelling of the same
  /// builtin is another key for a copy of this entry.
  std::string name;
  /// The parameters the call binds before the handler runs; none for a
  /// variadic builtin (Parameter(d0, d1, ...)), which binds its own.
  std::optional<std::vector<BuiltinParam>> params;
  BuiltinHandler handler = nullptr;
  /// Also a tensor method: `x.relu()` is relu(x).
  bool tensorMethod = false;
  /// Also an in-place tensor method: `x.relu_()` is relu(x), and x is
  /// rebound to the result.
  bool inPlaceMethod = false;
  /// A graph utility: its `num_nodes` keyword is not evaluated, as the
  /// graph has it and a tensor's number of rows (x.size(0), often given)
  /// is not known at compile time.
  bool graphUtility = false;
};

/// The builtin functions, classes and tensor methods, by the name a model
/// file uses.
class Builtins {
public:
  /// The tables of every namespace, built on first use.
  static const Builtins &get();

  const Builtin *lookupFunction(llvm::StringRef name) const;
  const Builtin *lookupClass(llvm::StringRef name) const;
  /// A tensor method without a function form (x.view(), x.sum(dim)).
  const Builtin *lookupMethod(llvm::StringRef name) const;

  Builtin &addFunction(llvm::StringRef name,
                       std::optional<std::vector<BuiltinParam>> params,
                       BuiltinHandler handler);
  Builtin &addClass(llvm::StringRef name,
                    std::optional<std::vector<BuiltinParam>> params,
                    BuiltinHandler handler);
  /// A method's handler gets the tensor first, then the arguments as
  /// written.
  Builtin &addMethod(llvm::StringRef name, BuiltinHandler handler);
  /// Another spelling of the function or class `name`: the qualified
  /// names imports and attributes resolve to (torch.relu,
  /// torch.nn.functional.relu, torch.nn.Linear). The copy keeps `name`.
  void addAlias(llvm::StringRef spelling, llvm::StringRef name);
  /// addAlias(prefix + "." + name, name) for each name.
  void addAliases(llvm::StringRef prefix,
                  llvm::ArrayRef<llvm::StringRef> names);

private:
  llvm::StringMap<Builtin> functions;
  llvm::StringMap<Builtin> classes;
  llvm::StringMap<Builtin> methods;
};

/// What PyTorch code does with tensors outside the math, as model files
/// meet it (Interpreter::callTensorMethod).
enum class TensorMethodRole {
  Identity,       // x.detach(), x.cpu(): placement and bookkeeping
  ReadsValues,    // x.item(): values are not known at compile time
  TrainingOnly,   // x.backward()
  ChangesStorage, // x.to(...), x.half(): gnnc runs float32 on the CPU
};
/// The role of tensor method `name` in that table, if it has one.
std::optional<TensorMethodRole> tensorMethodRole(llvm::StringRef name);

// One registration function per namespace.

/// Python's own: int, float, bool, len, range, enumerate, min, max.
void registerPythonBuiltins(Builtins &builtins);
/// torch and torch.nn.functional: relu, elu, pow, cat, dropout, ...; and
/// the tensor methods on shapes: view, reshape, unsqueeze, sum, size, ...
void registerTensorBuiltins(Builtins &builtins);
/// torch_geometric.utils: add_self_loops, remove_self_loops, degree,
/// softmax.
void registerGraphBuiltins(Builtins &builtins);
/// torch.nn: Parameter, Linear, Sequential, ModuleList, BatchNorm1d,
/// Dropout and the activation modules; the bases MessagePassing, Module
/// and Model are initModuleBase().
void registerModuleBuiltins(Builtins &builtins);

/// `super().__init__(...)` of the builtin bases Model, Module and
/// MessagePassing (which records its aggr on `self`).
std::optional<Value> initModuleBase(Interpreter &interp, const Value &self,
                                    RootKind root, llvm::ArrayRef<Arg> args,
                                    llvm::ArrayRef<KeywordArg> kwargs,
                                    const Location &loc);
/// `m(input)` of a builtin module other than Sequential and ModuleList.
std::optional<Value> applyBuiltinModule(Interpreter &interp,
                                        const ModuleObject &m,
                                        llvm::ArrayRef<Arg> args,
                                        llvm::ArrayRef<KeywordArg> kwargs,
                                        const Location &loc);

/// The dimensions of f(d0, d1, ...) or f((d0, d1, ...)) (Parameter, view,
/// reshape), one argument each.
std::vector<Arg> unpackDims(llvm::ArrayRef<Arg> args);

} // namespace frontend
} // namespace gnn

#endif // GNN_FRONTEND_BUILTINS_H

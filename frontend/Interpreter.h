//===- Interpreter.h - Evaluates model code at compile time -----*- C++ -*-===//
//
// Runs the methods of model-language classes over Values: `__init__` with
// plain values only (building the module tree and its parameters), and
// `forward`/`message` with a TensorOps attached, which turns every
// operation on traced tensors into IR. Control flow never depends on
// tensors, so one pass over the statements is the whole trace.
//
//===----------------------------------------------------------------------===//

#ifndef GNN_FRONTEND_INTERPRETER_H
#define GNN_FRONTEND_INTERPRETER_H

#include "frontend/AST.h"
#include "frontend/Diagnostics.h"
#include "frontend/Program.h"
#include "frontend/Value.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gnn {
namespace frontend {

/// An argument value with the location of the expression it came from.
struct Arg {
  Value value;
  Location loc;
};

/// A keyword argument `name=value`: `loc` is the value's location,
/// `nameLoc` the name's.
struct KeywordArg {
  std::string name;
  Value value;
  Location loc;
  Location nameLoc;
};

class Interpreter;
struct Builtin;

/// The operations on traced values, implemented by the IR generator. Each
/// reports its own errors (through Interpreter::error) and returns
/// std::nullopt after one.
class TensorOps {
public:
  virtual ~TensorOps();
  /// `lhs OP rhs` where at least one side is traced or a parameter.
  virtual std::optional<Value> binary(BinaryOp op, const Arg &lhs,
                                      const Arg &rhs, const Location &loc) = 0;
  /// `-operand` on a traced value.
  virtual std::optional<Value> negate(const Arg &operand,
                                      const Location &loc) = 0;
  /// A builtin function on traced values (relu, pow, degree, softmax,
  /// ...), its arguments bound to the builtin's signature, in order; or a
  /// shape method with the tensor first: view/reshape (then a tuple of
  /// dimensions), unsqueeze/squeeze (then dim), sum/mean/amax/amin (then
  /// dim, keepdim).
  virtual std::optional<Value> callBuiltin(llvm::StringRef name,
                                           llvm::ArrayRef<Arg> args,
                                           const Location &loc) = 0;
  /// A builtin Linear module applied to `input`.
  virtual std::optional<Value>
  linear(const ModuleObject &linear, const Arg &input, const Location &loc) = 0;
  /// `layer.propagate(graph, **kwargs)` of a MessagePassing layer.
  virtual std::optional<Value> propagate(const Value &layer, const Arg &graph,
                                         llvm::ArrayRef<KeywordArg> kwargs,
                                         const Location &loc) = 0;
  /// The traced tensor standing for a parameter read at `loc`.
  virtual std::optional<Value> readParam(const ParamObject &param,
                                         const Location &loc) = 0;
  /// PyG's `row, col = edge_index`: the source and the target of each
  /// edge, as a tuple of two per-edge values.
  virtual std::optional<Value> unpackGraph(const Value &graph,
                                           const Location &loc) = 0;
};

/// The model object after `__init__`, with the constructor arguments it
/// was built with (defaults and --set overrides applied).
struct ElaboratedModel {
  Value model;
  /// Every constructor argument, in order; an integer's origin is its own
  /// index here.
  std::vector<std::pair<std::string, Value>> arguments;
  /// Per argument, whether --set gave it.
  std::vector<bool> given;
};

class Interpreter {
public:
  Interpreter(const Program &program, DiagnosticEngine &diag)
      : program(program), diag(diag) {}

  /// Attaches the tracer; without one, tensor operations are errors (as
  /// they are in `__init__`).
  void setTensorOps(TensorOps *ops) { tensorOps = ops; }

  /// Constructs `cls` with its constructor defaults, overridden by
  /// `inferred` values, and those by `overrides` (NAME=VALUE strings from
  /// --set). An argument without a default that none of them gives is an
  /// error, or with `placeholders`, the integer kPlaceholder, so that the
  /// parameters' shapes can say what it is (Inference.cpp).
  std::optional<ElaboratedModel>
  elaborateModel(const ClassInfo &cls,
                 llvm::ArrayRef<std::pair<std::string, std::string>> overrides,
                 llvm::ArrayRef<std::pair<std::string, Value>> inferred = {},
                 bool placeholders = false);
  /// Not 1 or 2, which `hidden - 1` or `range(n - 2)` would make empty.
  static constexpr int64_t kPlaceholder = 8;
  /// The arguments the last elaborateModel gave placeholders, with where
  /// they are declared (also when it failed).
  llvm::ArrayRef<std::pair<std::string, Location>> lastPlaceholders() const {
    return placeholdersGiven;
  }

  /// Calls method `name` of `receiver` (a module), as `receiver.name(...)`
  /// written at `loc`.
  std::optional<Value> callMethod(const Value &receiver, llvm::StringRef name,
                                  llvm::ArrayRef<Arg> args,
                                  llvm::ArrayRef<KeywordArg> kwargs,
                                  const Location &loc);

  /// Runs `fn` (a method defined in `definer`) on `self` with one value per
  /// parameter after `self`, already bound. `what` names the call in
  /// "called from here" notes; `callLoc` is where it was called.
  std::optional<Value> callBound(const FunctionAST &fn,
                                 const ClassInfo &definer, const Value &self,
                                 llvm::ArrayRef<Value> bound,
                                 const std::string &what,
                                 const Location &callLoc);

  /// The default of a parameter of a method of `cls`.
  std::optional<Value> evalDefault(const ParamAST &param, const ClassInfo &cls);

  /// Reports an error, followed by a note for each enclosing call made from
  /// model code, so an error inside a library layer points back to the
  /// user's line.
  void error(const Location &loc, const llvm::Twine &message);
  /// Like error(), with one more note before the call-site notes.
  void error(const Location &loc, const llvm::Twine &message,
             const Location &noteLoc, const llvm::Twine &note);

  /// Reports why `fn` was not parsed (a method outside the model language,
  /// see FunctionAST::getUnparsed), if it was not, with a note at `callLoc`
  /// when that is in a file; false then.
  bool checkParsed(const FunctionAST &fn, const Location &callLoc);

  /// Where the last `return` executed (the function's location if it fell
  /// off the end): what a check of a method's result points at.
  const Location &getLastReturnLoc() const { return lastReturnLoc; }

  /// True while forward/message are traced.
  bool isTracing() const { return tensorOps != nullptr; }
  /// The tracer; null outside forward/message.
  TensorOps *getTensorOps() const { return tensorOps; }

  // For the builtins (Builtins*.cpp).

  /// Binds call arguments to parameters named `names` (`defaults[i]` is
  /// the default of names[i], or null for none): one Arg per parameter.
  /// Defaults are produced lazily by `getDefault(i)`.
  std::optional<std::vector<Arg>>
  bindArguments(llvm::StringRef callee, llvm::ArrayRef<std::string> names,
                llvm::function_ref<std::optional<Value>(size_t)> getDefault,
                llvm::function_ref<bool(size_t)> hasDefault,
                llvm::ArrayRef<Arg> args, llvm::ArrayRef<KeywordArg> kwargs,
                const Location &loc);
  /// The elements a `for` loop (or ModuleList()) visits: those of a tuple
  /// or list, or the submodules of a Sequential or ModuleList.
  std::optional<std::vector<Value>> iterate(const Value &iterable,
                                            const Location &loc);
  std::optional<bool> truthy(const Value &value, const Location &loc);
  std::optional<Value> compare(BinaryOp op, const Value &lhs, const Value &rhs,
                               const Location &loc);
  /// `lhs OP rhs` on any values: Python's arithmetic on plain ones, the
  /// tracer's on tensors.
  std::optional<Value> binary(BinaryOp op, const Arg &lhs, const Arg &rhs,
                              const Location &loc);
  /// Calls the builtin function `name`.
  std::optional<Value> callFunction(llvm::StringRef name,
                                    llvm::ArrayRef<Arg> args,
                                    llvm::ArrayRef<KeywordArg> kwargs,
                                    const Location &loc);
  // Checked conversions of builtin arguments.
  std::optional<int64_t> getDimension(const Arg &arg, llvm::StringRef what);
  std::optional<bool> getBool(const Arg &arg, llvm::StringRef what);
  std::optional<double> getFloat(const Arg &arg, llvm::StringRef what);

private:
  struct Frame {
    llvm::StringMap<Value> locals;
    const ClassInfo *definer = nullptr; // null for default-value frames
    const Scope *scope = nullptr;
    Value self;
  };
  enum class Flow { Next, Return, Error };
  void printCallNotes();
  struct CallSite {
    std::string what;
    Location loc;
  };

  // Statements.
  Flow execBlock(llvm::ArrayRef<StmtPtr> body, Frame &frame, Value &result);
  Flow execStmt(const StmtAST &stmt, Frame &frame, Value &result);
  void raise(const RaiseStmtAST &stmt, Frame &frame);
  bool assign(const ExprAST &target, Value value, Frame &frame,
              const Location &loc);
  /// `t[t == a] = b`, PyTorch's masked fill, as a new value of `t`.
  bool assignMasked(const SubscriptExprAST &target, Value value, Frame &frame,
                    const Location &loc);

  // Expressions.
  std::optional<Value> eval(const ExprAST &expr, Frame &frame);
  std::optional<Value> evalName(const NameExprAST &expr, Frame &frame);
  std::optional<Value> evalUnary(const UnaryExprAST &expr, Frame &frame);
  std::optional<Value> evalComprehension(const ComprehensionExprAST &expr,
                                         Frame &frame);
  std::optional<std::vector<Value>> loopItems(const ExprAST &iter,
                                              Frame &frame);
  bool countIteration(const Location &loc);
  std::optional<Value> evalBinary(const BinaryExprAST &expr, Frame &frame);
  std::optional<Value> evalCall(const CallExprAST &expr, Frame &frame);
  std::optional<Value> evalAttribute(const AttributeExprAST &expr,
                                     Frame &frame);
  /// `sequence[a:b:s]` of a list, tuple, ModuleList or Sequential.
  std::optional<Value> sliceSequence(const Value &sequence,
                                     const SliceExprAST &slice, Frame &frame);
  std::optional<Value> evalSubscript(const SubscriptExprAST &expr,
                                     Frame &frame);
  std::optional<Value> getAttribute(const Value &object, llvm::StringRef name,
                                    const Location &loc);
  /// The qualified name `expr` stands for when it is an imported name, or
  /// attributes of one (F.relu: "torch.nn.functional.relu").
  std::optional<std::string> qualifiedName(const ExprAST &expr,
                                           const Frame &frame) const;
  /// What a qualified name is: a layer, a builtin class or function; an
  /// error for anything else.
  std::optional<Value> resolveQualified(llvm::StringRef qualified,
                                        const Location &loc);

  // Operators on values.
  std::optional<Value> plainArithmetic(BinaryOp op, const Value &lhs,
                                       const Value &rhs, const Location &loc);
  bool identical(const Value &lhs, const Value &rhs);

  // Calls.
  std::optional<Value> callValue(const Value &callee, llvm::ArrayRef<Arg> args,
                                 llvm::ArrayRef<KeywordArg> kwargs,
                                 const Location &loc);
  std::optional<Value> callModule(const Value &module, llvm::ArrayRef<Arg> args,
                                  llvm::ArrayRef<KeywordArg> kwargs,
                                  const Location &loc);
  std::optional<Value> resetParameters(llvm::StringRef typeName,
                                       llvm::ArrayRef<Arg> args,
                                       llvm::ArrayRef<KeywordArg> kwargs,
                                       const Location &loc);
  std::optional<Value> appendModule(const Value &list, llvm::ArrayRef<Arg> args,
                                    llvm::ArrayRef<KeywordArg> kwargs,
                                    const Location &loc);
  std::optional<Value> callSuper(const Value &proxy, llvm::StringRef name,
                                 llvm::ArrayRef<Arg> args,
                                 llvm::ArrayRef<KeywordArg> kwargs,
                                 const Location &loc);
  std::optional<Value>
  callUserMethod(const FunctionAST &fn, const ClassInfo &definer,
                 const Value &self, llvm::ArrayRef<Arg> args,
                 llvm::ArrayRef<KeywordArg> kwargs, const Location &loc);
  std::optional<Value> construct(const ClassInfo &cls, llvm::ArrayRef<Arg> args,
                                 llvm::ArrayRef<KeywordArg> kwargs,
                                 const Location &loc);
  std::optional<Value> constructBuiltin(llvm::StringRef name,
                                        llvm::ArrayRef<Arg> args,
                                        llvm::ArrayRef<KeywordArg> kwargs,
                                        const Location &loc);
  /// Calls a builtin function or class, binding its arguments to its
  /// signature if it has one.
  std::optional<Value> callBuiltin(const Builtin &builtin,
                                   llvm::ArrayRef<Arg> args,
                                   llvm::ArrayRef<KeywordArg> kwargs,
                                   const Location &loc);
  std::optional<Value> callListMethod(const Value &list,
                                      const AttributeExprAST &attr,
                                      llvm::ArrayRef<Arg> args,
                                      llvm::ArrayRef<KeywordArg> kwargs,
                                      Frame &frame, const Location &loc);
  std::optional<Value> callTensorMethod(const Arg &receiver,
                                        llvm::StringRef name,
                                        llvm::ArrayRef<Arg> args,
                                        llvm::ArrayRef<KeywordArg> kwargs,
                                        const Location &loc);
  std::optional<Value> propagate(const Value &layer, llvm::ArrayRef<Arg> args,
                                 llvm::ArrayRef<KeywordArg> kwargs,
                                 const Location &loc);

  /// Describes a module's type for messages: its class name.
  static std::string typeName(const Value &module);

  const Program &program;
  std::vector<std::pair<std::string, Location>> placeholdersGiven;
  DiagnosticEngine &diag;
  TensorOps *tensorOps = nullptr;
  std::vector<CallSite> callStack;
  size_t numCalls = 0;
  size_t numIterations = 0;
  Location lastReturnLoc;
};

} // namespace frontend
} // namespace gnn

#endif // GNN_FRONTEND_INTERPRETER_H

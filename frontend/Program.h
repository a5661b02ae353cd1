//===- Program.h - The classes a model file can use -------------*- C++ -*-===//
//
// Name resolution above the statement level: the classes of the user file,
// the layer library classes it imports (`from gnn.nn import ...` or `from
// torch_geometric.nn import ...`), the other names it imports (torch, F,
// ...: looked up where used), and the base-class chain of each class. The layer library is itself a model file,
// embedded in the compiler and parsed only when something is imported.
//
//===----------------------------------------------------------------------===//

#ifndef GNN_FRONTEND_PROGRAM_H
#define GNN_FRONTEND_PROGRAM_H

#include "frontend/AST.h"
#include "frontend/Diagnostics.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <deque>
#include <memory>
#include <optional>
#include <string>

namespace gnn {
namespace frontend {

/// The builtin class at the root of a class's base chain.
enum class RootKind { Model, MessagePassing, Module };

struct Scope;

/// A class of the user file or of the layer library.
struct ClassInfo {
  std::string name;
  const ClassAST *ast = nullptr;
  /// The model-language class this one derives from, or null when it
  /// derives a builtin class directly.
  const ClassInfo *base = nullptr;
  RootKind root = RootKind::Module;
  /// The names its methods see (its file's classes and imports).
  const Scope *scope = nullptr;

  /// Looks `name` up along the base chain; sets `definer` to the class
  /// that defines it. Returns null if no class in the chain does.
  const FunctionAST *findMethod(llvm::StringRef name,
                                const ClassInfo **definer = nullptr) const;
  bool isMessagePassing() const { return root == RootKind::MessagePassing; }
};

/// The classes visible in one file.
struct Scope {
  /// "gnn.nn" for the layer library, empty for the user file.
  std::string moduleName;
  llvm::StringMap<const ClassInfo *> classes;
  /// The other imported names, by the name they are bound to: the
  /// qualified name each stands for ("torch.nn.functional" for `import
  /// torch.nn.functional as F`, "torch.nn.Linear" for `from torch.nn
  /// import Linear`). What a name stands for is looked up only when the
  /// model uses it, so a file may import what it never uses in inference
  /// (datasets, os, typing).
  llvm::StringMap<std::string> imported;
  /// Top-level constants (`EPS = 1e-15`): the literal each name holds.
  llvm::StringMap<const ExprAST *> constants;
  /// Names bound by top-level code the compiler does not run.
  llvm::StringMap<const UnrunNameAST *> unrun;

  const ClassInfo *lookup(llvm::StringRef name) const {
    auto it = classes.find(name);
    return it == classes.end() ? nullptr : it->second;
  }
};

/// The module name of the shipped layer library, and the file name its
/// diagnostics carry.
constexpr llvm::StringLiteral kLibraryModule = "gnn.nn";
constexpr llvm::StringLiteral kLibraryFileName = "<gnn.nn>";

/// The text of frontend/lib/nn.gnn, embedded at build time.
llvm::StringRef getLayerLibrarySource();

class Program {
public:
  /// Resolves the classes of `user` and, if it imports any, of the layer
  /// library (read from `libraryPath` when given, for developing the
  /// library without rebuilding). Returns null after reporting an error.
  static std::unique_ptr<Program> load(std::unique_ptr<ModuleAST> user,
                                       DiagnosticEngine &diag,
                                       llvm::StringRef libraryPath = {});

  /// The model to compile: the class called `name` (a class of the file or
  /// an imported one), or else the unique class of the file deriving
  /// Model, or else (PyG's way) the unique class of the file deriving
  /// torch.nn.Module whose forward takes (x, edge_index[, edge_attr]) and
  /// which no other class of the file uses. Returns null after reporting
  /// an error.
  const ClassInfo *findModel(std::optional<llvm::StringRef> name,
                             DiagnosticEngine &diag) const;

  /// The layer library class a qualified name ("torch_geometric.nn.GCNConv",
  /// "gnn.nn.GCNConv") stands for, or null.
  const ClassInfo *lookupLibraryClass(llvm::StringRef qualified) const;

  const Scope &getUserScope() const { return userScope; }
  const ModuleAST &getUserAST() const { return *user; }

private:
  Program() = default;
  bool loadLibrary(DiagnosticEngine &diag, llvm::StringRef libraryPath);
  void addClasses(const ModuleAST &module, Scope &scope);
  bool resolveImports(DiagnosticEngine &diag);
  bool resolveBases(const ModuleAST &module, Scope &scope,
                    DiagnosticEngine &diag);

  std::unique_ptr<ModuleAST> user, library;
  std::deque<ClassInfo> classes; // stable addresses for the scopes
  Scope userScope, libraryScope;
};

} // namespace frontend
} // namespace gnn

#endif // GNN_FRONTEND_PROGRAM_H

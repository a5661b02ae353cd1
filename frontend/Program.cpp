//===- Program.cpp - The classes a model file can use ---------------------===//
//
// Loads the layer library on demand, binds imports, resolves base classes
// and picks the model class.
//
//===----------------------------------------------------------------------===//

#include "frontend/Program.h"
#include "frontend/Parser.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/Twine.h"

using namespace gnn::frontend;

const gnn::frontend::FunctionAST *
ClassInfo::findMethod(llvm::StringRef name, const ClassInfo **definer) const {
  for (const ClassInfo *c = this; c; c = c->base)
    if (const FunctionAST *fn = c->ast->getMethod(name)) {
      if (definer)
        *definer = c;
      return fn;
    }
  return nullptr;
}

void Program::addClasses(const ModuleAST &module, Scope &scope) {
  for (const auto &cls : module.getClasses()) {
    ClassInfo &info = classes.emplace_back();
    info.name = cls->getName().str();
    info.ast = cls.get();
    info.scope = &scope;
    scope.classes[info.name] = &info;
  }
  for (const UnrunNameAST &name : module.getUnrunNames())
    scope.unrun[name.name] = &name;
  for (const auto &constant : module.getConstants())
    scope.constants[llvm::cast<NameExprAST>(constant->getTarget())
                        ->getName()] = constant->getValue();
}

bool Program::loadLibrary(DiagnosticEngine &diag, llvm::StringRef libraryPath) {
  if (library)
    return true;
  if (libraryPath.empty()) {
    library = parseModule(getLayerLibrarySource(), kLibraryFileName, diag);
  } else {
    library = parseFile(libraryPath, diag);
  }
  if (!library)
    return false;
  libraryScope.moduleName = kLibraryModule.str();
  addClasses(*library, libraryScope);
  return resolveBases(*library, libraryScope, diag);
}

/// PyG's torch_geometric.nn is the layer library too: its layers are the
/// library's classes of the same names.
static bool isLibraryModule(llvm::StringRef module) {
  return module == kLibraryModule || module == "torch_geometric.nn";
}

const ClassInfo *Program::lookupLibraryClass(llvm::StringRef qualified) const {
  auto [module, name] = qualified.rsplit('.');
  if (name.empty() || !isLibraryModule(module))
    return nullptr;
  return libraryScope.lookup(name);
}

bool Program::resolveImports(DiagnosticEngine &diag) {
  for (const auto &import : user->getImports()) {
    llvm::StringRef module = import->getModule();
    for (const ImportedNameAST &name : import->getNames()) {
      const std::string &bound = name.boundName;
      if (const ClassAST *own = user->getClass(bound)) {
        diag.error(own->loc(),
                   "class '" + bound + "' is also imported from " + module);
        diag.note(name.loc, "imported here");
        return false;
      }
      if (import->isPlain()) {
        // `import torch.nn` binds torch; `import torch.nn as nn`, torch.nn.
        llvm::StringRef first = module.split('.').first;
        userScope.imported[bound] = bound == first ? first.str() : module.str();
        continue;
      }
      if (isLibraryModule(module)) {
        if (const ClassInfo *cls = libraryScope.lookup(name.name)) {
          userScope.classes[bound] = cls;
          continue;
        }
        if (module == kLibraryModule) {
          diag.error(name.loc, "'" + llvm::Twine(kLibraryModule) +
                                   "' has no layer named '" + name.name + "'");
          return false;
        }
      }
      userScope.imported[bound] = (module + "." + name.name).str();
    }
  }
  return true;
}

/// The builtin base classes a model-language class may derive, by their
/// qualified names too.
static std::optional<RootKind> getBuiltinBase(llvm::StringRef name) {
  if (name == "Model")
    return RootKind::Model;
  if (name == "MessagePassing" || name == "torch_geometric.nn.MessagePassing" ||
      name == "gnn.nn.MessagePassing")
    return RootKind::MessagePassing;
  if (name == "Module" || name == "torch.nn.Module")
    return RootKind::Module;
  return std::nullopt;
}

/// `a.b.C` with `a` replaced by what it was imported as; empty when `a`
/// was not imported.
static std::string qualify(const Scope &scope, llvm::StringRef name) {
  auto [first, rest] = name.split('.');
  auto it = scope.imported.find(first);
  if (it == scope.imported.end())
    return rest.empty() ? name.str() : std::string();
  return rest.empty() ? it->second : it->second + "." + rest.str();
}

bool Program::resolveBases(const ModuleAST &module, Scope &scope,
                           DiagnosticEngine &diag) {
  // First bind each class to its direct base, then compute the roots, so
  // that classes may derive from classes defined further down the file.
  llvm::SmallVector<ClassInfo *> own;
  for (const auto &cls : module.getClasses()) {
    auto *info = const_cast<ClassInfo *>(scope.lookup(cls->getName()));
    own.push_back(info);
    llvm::StringRef base = cls->getBase();
    if (base.empty()) {
      diag.error(cls->loc(), "class '" + cls->getName() +
                                 "' must derive from Model, MessagePassing, "
                                 "Module or another class of the file");
      return false;
    }
    std::string qualified = qualify(scope, base);
    if (const ClassInfo *baseInfo = scope.lookup(base)) {
      info->base = baseInfo;
    } else if (const ClassInfo *layer = lookupLibraryClass(qualified)) {
      info->base = layer;
    } else if (std::optional<RootKind> root = getBuiltinBase(qualified)) {
      info->root = *root;
    } else {
      llvm::StringRef first = base.split('.').first;
      diag.error(cls->getBaseLoc(),
                 "unknown base class '" + base +
                     "'; expected Model, MessagePassing, Module or a class "
                     "of the file" +
                     (qualified.empty() ? "; '" + first + "' is not imported"
                                        : llvm::Twine()));
      return false;
    }
  }
  for (ClassInfo *info : own) {
    // A chain longer than the number of classes has a cycle.
    size_t steps = 0;
    const ClassInfo *c = info;
    while (c->base && steps <= classes.size()) {
      c = c->base;
      ++steps;
    }
    if (c->base) {
      diag.error(info->ast->getBaseLoc(),
                 "class '" + info->name + "' derives from itself");
      return false;
    }
    info->root = c->root;
  }
  return true;
}

std::unique_ptr<Program> Program::load(std::unique_ptr<ModuleAST> userAST,
                                       DiagnosticEngine &diag,
                                       llvm::StringRef libraryPath) {
  std::unique_ptr<Program> program(new Program());
  program->user = std::move(userAST);
  // Other modules are bound by name only (Scope::imported); using what
  // they hold is an error where it is used.
  for (const auto &import : program->user->getImports()) {
    llvm::StringRef module = import->getModule();
    if ((isLibraryModule(module) || module.starts_with("torch_geometric")) &&
        !program->loadLibrary(diag, libraryPath))
      return nullptr;
  }
  program->addClasses(*program->user, program->userScope);
  if (!program->resolveImports(diag) ||
      !program->resolveBases(*program->user, program->userScope, diag))
    return nullptr;
  return program;
}

/// Every name `e` reads.
static void collectNames(const ExprAST *e, llvm::StringSet<> &names) {
  if (!e)
    return;
  switch (e->getKind()) {
  case ExprAST::Expr_Name:
    names.insert(llvm::cast<NameExprAST>(e)->getName());
    return;
  case ExprAST::Expr_Tuple:
    for (const ExprPtr &x : llvm::cast<TupleExprAST>(e)->getElements())
      collectNames(x.get(), names);
    return;
  case ExprAST::Expr_List:
    for (const ExprPtr &x : llvm::cast<ListExprAST>(e)->getElements())
      collectNames(x.get(), names);
    return;
  case ExprAST::Expr_Comprehension: {
    const auto *c = llvm::cast<ComprehensionExprAST>(e);
    collectNames(c->getElement(), names);
    collectNames(c->getIter(), names);
    for (const ExprPtr &x : c->getConditions())
      collectNames(x.get(), names);
    return;
  }
  case ExprAST::Expr_Unary:
    collectNames(llvm::cast<UnaryExprAST>(e)->getOperand(), names);
    return;
  case ExprAST::Expr_Binary: {
    const auto *b = llvm::cast<BinaryExprAST>(e);
    collectNames(b->getLHS(), names);
    collectNames(b->getRHS(), names);
    return;
  }
  case ExprAST::Expr_IfExp: {
    const auto *i = llvm::cast<IfExpAST>(e);
    collectNames(i->getTest(), names);
    collectNames(i->getBody(), names);
    collectNames(i->getOrElse(), names);
    return;
  }
  case ExprAST::Expr_Call: {
    const auto *c = llvm::cast<CallExprAST>(e);
    collectNames(c->getCallee(), names);
    for (const ExprPtr &x : c->getArgs())
      collectNames(x.get(), names);
    for (const KeywordArgAST &kw : c->getKeywords())
      collectNames(kw.value.get(), names);
    return;
  }
  case ExprAST::Expr_Attribute:
    collectNames(llvm::cast<AttributeExprAST>(e)->getValue(), names);
    return;
  case ExprAST::Expr_Subscript: {
    const auto *s = llvm::cast<SubscriptExprAST>(e);
    collectNames(s->getValue(), names);
    for (const ExprPtr &x : s->getIndices())
      collectNames(x.get(), names);
    return;
  }
  case ExprAST::Expr_Slice: {
    const auto *s = llvm::cast<SliceExprAST>(e);
    collectNames(s->getLower(), names);
    collectNames(s->getUpper(), names);
    collectNames(s->getStep(), names);
    return;
  }
  default:
    return;
  }
}

static void collectNames(llvm::ArrayRef<StmtPtr> body,
                         llvm::StringSet<> &names) {
  for (const StmtPtr &stmt : body) {
    switch (stmt->getKind()) {
    case StmtAST::Stmt_Expr:
      collectNames(llvm::cast<ExprStmtAST>(*stmt).getExpr(), names);
      break;
    case StmtAST::Stmt_Assign:
      collectNames(llvm::cast<AssignStmtAST>(*stmt).getTarget(), names);
      collectNames(llvm::cast<AssignStmtAST>(*stmt).getValue(), names);
      break;
    case StmtAST::Stmt_AugAssign:
      collectNames(llvm::cast<AugAssignStmtAST>(*stmt).getTarget(), names);
      collectNames(llvm::cast<AugAssignStmtAST>(*stmt).getValue(), names);
      break;
    case StmtAST::Stmt_Return:
      collectNames(llvm::cast<ReturnStmtAST>(*stmt).getValue(), names);
      break;
    case StmtAST::Stmt_If: {
      const auto &i = llvm::cast<IfStmtAST>(*stmt);
      collectNames(i.getTest(), names);
      collectNames(i.getThen(), names);
      collectNames(i.getElse(), names);
      break;
    }
    case StmtAST::Stmt_For: {
      const auto &f = llvm::cast<ForStmtAST>(*stmt);
      collectNames(f.getIter(), names);
      collectNames(f.getBody(), names);
      break;
    }
    default:
      break;
    }
  }
}

/// Whether `cls` could be a PyG-style model: it derives torch.nn.Module
/// and its forward takes (x, edge_index[, edge_attr]).
static bool looksLikeModel(const ClassInfo &cls) {
  if (cls.root != RootKind::Module)
    return false;
  const FunctionAST *forward = cls.findMethod("forward");
  if (!forward)
    return false;
  size_t n = forward->getParams().size();
  // A forward outside the model language whose signature is unknown: a
  // candidate, so that choosing it reports why it cannot be compiled.
  if (forward->getUnparsed() && n <= 1)
    return true;
  return n == 3 || n == 4;
}

const ClassInfo *Program::findModel(std::optional<llvm::StringRef> name,
                                    DiagnosticEngine &diag) const {
  const std::string &file = *user->loc().file;
  if (name) {
    if (const ClassInfo *cls = userScope.lookup(*name))
      return cls;
    diag.error(file, "no class named '" + *name + "' (from --model)");
    return nullptr;
  }
  const ClassInfo *model = nullptr;
  for (const auto &cls : user->getClasses()) {
    const ClassInfo *info = userScope.lookup(cls->getName());
    if (info->root != RootKind::Model)
      continue;
    if (model) {
      diag.error(cls->loc(), "more than one class derives from Model ('" +
                                 model->name + "' and '" + info->name +
                                 "'); choose one with --model");
      return nullptr;
    }
    model = info;
  }
  if (model)
    return model;
  // PyG's way: the torch.nn.Module no other class uses.
  llvm::StringSet<> used;
  for (const auto &cls : user->getClasses())
    for (const auto &method : cls->getMethods()) {
      llvm::StringSet<> names;
      collectNames(method->getBody(), names);
      names.erase(cls->getName());
      for (const auto &name : names)
        used.insert(name.getKey());
    }
  for (const auto &cls : user->getClasses()) {
    const ClassInfo *info = userScope.lookup(cls->getName());
    if (!looksLikeModel(*info) || used.contains(info->name))
      continue;
    if (model) {
      diag.error(cls->loc(), "more than one class could be the model ('" +
                                 model->name + "' and '" + info->name +
                                 "'); choose one with --model");
      return nullptr;
    }
    model = info;
  }
  if (!model)
    diag.error(file, "no model class: one class must derive from Model, or "
                     "derive torch.nn.Module with forward(self, x, "
                     "edge_index[, edge_attr]) and be used by no other class");
  return model;
}

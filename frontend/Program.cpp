//===- Program.cpp - The classes a model file can use ---------------------===//
//
// Loads the layer library on demand, binds imports, resolves base classes
// and picks the model class.
//
//===----------------------------------------------------------------------===//

#include "frontend/Program.h"
#include "frontend/Parser.h"

#include "llvm/ADT/SmallVector.h"
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

bool Program::resolveImports(DiagnosticEngine &diag) {
  for (const auto &import : user->getImports()) {
    for (const ImportedNameAST &name : import->getNames()) {
      const ClassInfo *cls = libraryScope.lookup(name.name);
      if (!cls) {
        diag.error(name.loc, "'" + llvm::Twine(kLibraryModule) +
                                 "' has no layer named '" + name.name + "'");
        return false;
      }
      if (const ClassAST *own = user->getClass(name.name)) {
        diag.error(own->loc(), "class '" + name.name +
                                   "' is also imported from " + kLibraryModule);
        diag.note(name.loc, "imported here");
        return false;
      }
      userScope.classes[name.name] = cls;
    }
  }
  return true;
}

/// The builtin base classes a model-language class may derive.
static std::optional<RootKind> getBuiltinBase(llvm::StringRef name) {
  if (name == "Model")
    return RootKind::Model;
  if (name == "MessagePassing")
    return RootKind::MessagePassing;
  if (name == "Module")
    return RootKind::Module;
  return std::nullopt;
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
    if (const ClassInfo *baseInfo = scope.lookup(base)) {
      info->base = baseInfo;
    } else if (std::optional<RootKind> root = getBuiltinBase(base)) {
      info->root = *root;
    } else {
      diag.error(cls->getBaseLoc(),
                 "unknown base class '" + base +
                     "'; expected Model, MessagePassing, Module or a class "
                     "of the file");
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
  for (const auto &import : program->user->getImports()) {
    if (import->getModule() != kLibraryModule) {
      diag.error(import->loc(), "unknown module '" + import->getModule() +
                                    "'; layers are imported from '" +
                                    kLibraryModule + "'");
      return nullptr;
    }
    if (!program->loadLibrary(diag, libraryPath))
      return nullptr;
  }
  program->addClasses(*program->user, program->userScope);
  if (!program->resolveImports(diag) ||
      !program->resolveBases(*program->user, program->userScope, diag))
    return nullptr;
  return program;
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
  if (!model)
    diag.error(file, "no model class: one class must derive from Model");
  return model;
}

//===- Plugin.cpp - Entry point of the example pass plugin ----------------===//
//
// `gnn-opt --load-pass-plugin=GNNExamplePlugin.so` calls
// mlirGetPassPluginInfo() and then the callback, which registers the
// plugin's passes; they are then available in --pass-pipeline.
//
//===----------------------------------------------------------------------===//
#include "ExamplePasses.h"

#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"

extern "C" LLVM_ATTRIBUTE_WEAK ::mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "GNNExamplePlugin", LLVM_VERSION_STRING,
          [] { gnn::example::registerGNNExamplePasses(); }};
}

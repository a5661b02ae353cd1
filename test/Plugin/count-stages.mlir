// The plugin's isa<gnn::TransformOp> matches the ops gnn-opt parsed: the
// plugin and the tool share one gnn dialect (one set of TypeIDs).
// RUN: gnn-opt %S/../../docs/gcn-graph-level.mlir --load-pass-plugin=%gnn_plugin \
// RUN:   --pass-pipeline='builtin.module(gnn-to-stages,func.func(gnn-count-stages))' \
// RUN:   | FileCheck %s
// CHECK: func.func @forward({{.*}} attributes {gnn.stages = {message_passing = 1 : i64, transform = 1 : i64}}

// A plugin that cannot be loaded is reported, and its passes are unknown.
// RUN: not gnn-opt %s --load-pass-plugin=%t.missing.so \
// RUN:   --pass-pipeline='builtin.module(func.func(gnn-count-stages))' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MISSING
// MISSING: Failed to load passes from '{{.*}}missing.so'. Request ignored.
// MISSING: 'gnn-count-stages' does not refer to a registered pass or pass pipeline
func.func @empty() {
  return
}

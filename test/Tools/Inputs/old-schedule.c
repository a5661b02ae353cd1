/* The schedule an object of gnnc's first format carried: MLIR text (as
 * the kernel cache wrote it, its key on the first line). */
const char gnn_schedule[] =
    "// gnnc-kernel-cache-1 0123456789abcdef\n"
    "module {\n"
    "  func.func @forward(%arg0: !gnn.graph<as_given>) {\n"
    "    return\n"
    "  }\n"
    "}\n";

# lit configuration for gnnc: .mlir (dialect, passes) and .gnn (frontend)
# tests, plus end-to-end .test scripts.
import os
import lit.formats

config.name = "gnnc"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".gnn", ".test"]
config.excludes = ["unit", "Inputs", "CMakeLists.txt"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.gnn_obj_root, "test")
config.environment["PATH"] = os.pathsep.join(
    [config.gnn_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", "")])
# Tests compile afresh and leave nothing in ~/.cache; the kernel cache's own
# tests turn it on with a directory under %t.
config.environment["GNNC_CACHE"] = "0"
# Debian's python3 has numpy (and torch, for golden scripts); the first
# python3 on PATH may not.
config.substitutions.append(("%python", "/usr/bin/python3"))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))
config.substitutions.append(("%examples", os.path.join(config.gnn_src_root, "examples")))

# lit configuration for gnnc: .mlir (dialect, passes) and .gnn (frontend)
# tests, plus end-to-end .test scripts.
import os
import lit.formats

config.name = "gnnc"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".gnn", ".test"]
config.excludes = ["unit", "Inputs", "CMakeLists.txt", "fuzz-regressions"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.gnn_obj_root, "test")
config.environment["PATH"] = os.pathsep.join(
    [config.gnn_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", "")])
# Tests compile afresh and leave nothing in ~/.cache; the kernel cache's own
# tests turn it on with a directory under %t.
config.environment["GNNC_CACHE"] = "0"
# The Python module (python/) is imported from the build tree.
config.environment["PYTHONPATH"] = os.path.join(config.gnn_obj_root, "python")
# Debian's python3 has numpy (and torch, for golden scripts); the first
# python3 on PATH may not.
# Under ASan (make test-sanitize) the gnnc module is instrumented but
# python3 is not: any script may import the module (directly or through
# test helpers such as run_module.py), so every %python gets the ASan
# runtime loaded first (LD_PRELOAD), with libstdc++ beside it (python3 does
# not link it, and without it ASan finds no real __cxa_throw to forward the
# module's exceptions to); the interpreter's own allocations left at exit
# are not ours to report.
python = "/usr/bin/python3"
if config.gnn_asan:
    asan_options = os.environ.get("ASAN_OPTIONS", "")
    python = (f"env LD_PRELOAD='{config.gnn_asan_runtime} libstdc++.so.6' "
              f"ASAN_OPTIONS={asan_options}:detect_leaks=0 /usr/bin/python3")
config.substitutions.append(("%python", python))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))
config.substitutions.append(("%examples", os.path.join(config.gnn_src_root, "examples")))

# The sanitizer build (make test-sanitize, docs/reliability.md): a test that
# cannot run under ASan says `UNSUPPORTED: asan` and why.
if config.gnn_asan:
    config.available_features.add("asan")

# Tests that check against PyTorch transcriptions of PyG say `REQUIRES: torch`.
# scripts/install-deps installs python3-torch, so a missing torch is a broken
# setup, not an optional tool: stop the suite loudly instead of skipping them.
# GNNC_TESTS_WITHOUT_TORCH=1 skips them on purpose (say so where it is used).
import subprocess
if subprocess.call(["/usr/bin/python3", "-c", "import torch"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0:
    config.available_features.add("torch")
elif os.environ.get("GNNC_TESTS_WITHOUT_TORCH") != "1":
    lit_config.fatal("/usr/bin/python3 cannot import torch, which the PyTorch "
                     "oracle tests need: run scripts/install-deps (installs "
                     "python3-torch), or set GNNC_TESTS_WITHOUT_TORCH=1 to "
                     "skip those tests knowingly")

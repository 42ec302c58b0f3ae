# -*- Python -*-
import os
import sys

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "HETU"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["lit.cfg.py", "lit.site.cfg.py", "Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.hetu_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%hetu_src", config.hetu_src_root))
config.substitutions.append(("%hetu_obj", config.hetu_obj_root))
config.substitutions.append(("%hetu_lib", config.hetu_lib_dir))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP",
                                     "ASAN_OPTIONS", "UBSAN_OPTIONS"])
llvm_config.use_default_substitutions()

# FileCheck, not, count, split-file live in the LLVM tools dir, which is not
# on PATH on Debian.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.hetu_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(
    ["hetu-opt", "hetu-run", "hetu-compile", "hetu-launch", ToolSubst("%python", command=sys.executable)],
    [config.hetu_tools_dir, config.llvm_tools_dir])
# scripts/sanitize.sh: Python loads instrumented libraries, so the sanitizer
# runtimes are preloaded into it (this replaces the default %python, which
# comes first).
preload = os.environ.get("HETU_SANITIZER_PRELOAD")
if preload:
    config.substitutions = [(k, v) for k, v in config.substitutions if k != "%python"]
    config.substitutions.insert(0, ("%python", "env LD_PRELOAD=%s %s" % (preload, sys.executable)))
    config.available_features.add("sanitizer")

# MPI tests run under mpirun (as root it needs the explicit permission).
import shutil
mpirun = shutil.which("mpirun")
if mpirun:
    config.available_features.add("mpi")
    config.substitutions.append(
        ("%mpirun", mpirun + " --allow-run-as-root --oversubscribe --bind-to none"))
config.environment["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none"

# CUDA: compile-only tests need the toolkit's ptxas (gpu-module-to-binary);
# execution tests need a GPU and its driver.
cuda_home = os.environ.get("CUDA_HOME", "/usr/local/cuda")
if os.path.exists(os.path.join(cuda_home, "bin", "ptxas")) or shutil.which("ptxas"):
    config.available_features.add("cuda-toolkit")
import ctypes.util
if os.path.exists("/dev/nvidia0") and ctypes.util.find_library("cuda"):
    config.available_features.add("cuda-gpu")

# The session library (libhetu_session.so, runtime/include/hetu_session.h)
# through its ctypes binding (python/hetu_mlir/_session.py): a model
# hetu-compile wrote, run one step at a time in the Python process, the
# updated parameters fed back, gives hetu-launch's numbers.
# RUN: rm -rf %t && mkdir -p %t/adam
# RUN: hetu-compile %hetu_src/examples/mlp_train_dp4.mlir -o %t/dp4.so
# RUN: %PYTHON %s describe %t/dp4.so | FileCheck %s --check-prefix=DESCRIBE
# DESCRIBE: replicas 4, ranks 4
# DESCRIBE-NEXT: arg Value(0, shape=(8, 16), step_shape=(32, 16), dtype=float32)
# DESCRIBE-NEXT: arg Value(1, shape=(8, 4), step_shape=(32, 4), dtype=float32)
# DESCRIBE-NEXT: arg Value(2, shape=(16, 32), step_shape=(16, 32), dtype=float32, trainable, replicated, updates=0)
# DESCRIBE-NEXT: arg Value(3, shape=(32, 4), step_shape=(32, 4), dtype=float32, trainable, replicated, updates=1)
# DESCRIBE-NEXT: result Value(0, shape=(16, 32), step_shape=(16, 32), dtype=float32, replicated, updates=2)
# DESCRIBE-NEXT: result Value(1, shape=(32, 4), step_shape=(32, 4), dtype=float32, replicated, updates=3)
# DESCRIBE-NEXT: result Value(2, shape=(), step_shape=(4,), dtype=float32)
#
# Three SGD steps against hetu-launch on the same inputs.
# RUN: %PYTHON %s inputs %t/dp4.so %t > /dev/null
# RUN: hetu-launch %t/dp4.so --iterations=3 --inputs=%t/in0.npy,%t/in1.npy,%t/in2.npy,%t/in3.npy --outputs=%t/launch > /dev/null
# RUN: %PYTHON %s train %t/dp4.so %t 3 | FileCheck %s --check-prefix=SGD
# SGD: steps: 3, last positive s
# SGD-NEXT: result 0 (16, 32): ok
# SGD-NEXT: result 1 (32, 4): ok
# SGD-NEXT: result 2 (4,): ok
# SGD-NEXT: largest relative difference to hetu-launch: below 1e-6
#
# Adam (hetu-compile --autodiff=adam on a forward function): its moments and
# step count are optimizer state ({hetu.zero_init}) that starts at zero and
# that the step updates; hetu-launch gets files for the rest.
# RUN: %python %hetu_src/examples/gen_train.py --config dp4 --forward | sed -e 's/ attributes {hetu.autodiff = [^}]*}}//' > %t/plain.mlir
# RUN: hetu-compile %t/plain.mlir --autodiff=adam -o %t/adam.so
# RUN: %PYTHON %s describe %t/adam.so | FileCheck %s --check-prefix=ADAMARGS
# ADAMARGS: arg Value(4, shape=(16, 32), step_shape=(16, 32), dtype=float32, zero_init, replicated, updates=2)
# ADAMARGS: arg Value(8, shape=(), step_shape=(), dtype=float32, zero_init, replicated, updates=6)
# ADAMARGS: result Value(6, shape=(), step_shape=(), dtype=float32, replicated, updates=8)
# ADAMARGS: result Value(7, shape=(), step_shape=(4,), dtype=float32)
# RUN: %PYTHON %s inputs %t/adam.so %t/adam > /dev/null
# RUN: hetu-launch %t/adam.so --iterations=3 --inputs=%t/adam/in0.npy,%t/adam/in1.npy,%t/adam/in2.npy,%t/adam/in3.npy --outputs=%t/adam/launch > /dev/null
# RUN: %PYTHON %s train %t/adam.so %t/adam 3 | FileCheck %s --check-prefix=ADAM
# ADAM: steps: 3, last positive s
# ADAM-COUNT-8: ok
# ADAM-NEXT: largest relative difference to hetu-launch: below 1e-6
# ADAM-NOT: MISMATCH
#
# Errors are exceptions with a message; the interpreter lives on.
# RUN: %python %hetu_src/test/Integration/Inputs/patch_model.py %t/dp4.so %t/bad.so "update 1 3" "update 1 0"
# RUN: env HETU_LIB=%hetu_lib %PYTHON %s errors %t/dp4.so %t | FileCheck %s --check-prefix=ERR
# ERR: missing: SessionError: cannot load the model: {{.*}}missing.so: cannot open shared object file
# ERR-NEXT: not elf: SessionError: cannot load the model: {{.*}}not_elf.so: file too short
# ERR-NEXT: not a model: SessionError: {{.*}}libhetu_runtime.so is not a model compiled by hetu-compile (no __hetu_model)
# ERR-NEXT: backend: SessionError: unknown backend 'mpi': a session runs threads or cuda (MPI: run hetu-launch under mpirun)
# ERR-NEXT: target: SessionError: {{.*}}dp4.so was compiled for cpu: open it with the threads backend
# ERR-NEXT: metadata: SessionError: {{.*}}bad.so: inconsistent model metadata: an update pairs a result and an argument that do not match
# ERR-NEXT: shape: ValueError: argument 0: shape (8, 16), expected (32, 16) (4 replicas' batches along dimension 0)
# ERR-NEXT: dtype: TypeError: argument 2: element type float64, expected float32
# ERR-NEXT: count: ValueError: the step takes 4 arguments, got 3
# ERR-NEXT: after errors: loss shape (4,)
# ERR-NEXT: closed: SessionError: the session is closed
# ERR-NEXT: reopened dp4.so: 4 args, same results
# ERR-NEXT: reopened adam.so: 9 args, same results
# ERR-NEXT: reopened dp4.so: 4 args, same results
# ERR-NEXT: None before any step: SessionError: argument 2 is NULL and no step has given it a value yet
# ERR-NEXT: None for a data argument: ValueError: argument 0: None is only for an argument a result updates (it keeps that result)
# ERR-NEXT: read of a data argument: SessionError: argument 0 has no value kept from a step (only arguments a result updates do, after a step)
#
# The session keeps the updated arguments: None for them after the first
# step (the ranks hold them between steps), only the loss copied out until
# the last step; the same numbers as hetu-launch (SGD and Adam).
# RUN: %PYTHON %s kept %t/dp4.so %t 3 | FileCheck %s --check-prefix=KEPT
# RUN: %PYTHON %s kept %t/adam.so %t/adam 3 | FileCheck %s --check-prefix=KEPT
# KEPT: kept arguments read back as the last results: True
# KEPT-NEXT: steps: 3, last positive s
# KEPT-NOT: MISMATCH
# KEPT: largest relative difference to hetu-launch: below 1e-6
#
# Several sessions at once: steps in turns give the numbers of one alone.
# RUN: %PYTHON %s interleaved %t/dp4.so %t | FileCheck %s --check-prefix=TURNS
# TURNS: interleaved: 2 steps and 2 steps, first step as alone: True
# TURNS-NEXT: after closing one: [(16, 32), (32, 4), (4,)]
#
# A rank failing in a step (no BLAS to load): an exception naming the rank,
# then the session refuses further steps until it is reopened.
# RUN: env HETU_BLAS_LIBRARY=/nonexistent/libblas.so %PYTHON %s runtime-error %t/dp4.so %t | FileCheck %s --check-prefix=RUNTIME
# RUNTIME: step: SessionError: runtime error: rank {{[0-3]}}: hetu_rt_blas: cannot load a BLAS (tried /nonexistent/libblas.so)
# RUNTIME-NEXT: again: SessionError: a previous step failed (runtime error: rank
# RUNTIME-SAME: close the session and open it again
# RUNTIME-NEXT: opened after the failure: 4 args
# RUNTIME-NEXT: interpreter alive
#
# The library needs neither LLVM nor MLIR, and exports only its C API.
# RUN: ldd %hetu_lib/libhetu_session.so | FileCheck %s --check-prefix=LDD --implicit-check-not=libMLIR --implicit-check-not=libLLVM
# LDD: libhetu_runtime.so
# RUN: nm -D --defined-only %hetu_lib/libhetu_session.so | FileCheck %s --check-prefix=SYMBOLS --implicit-check-not=_ZN4hetu
# SYMBOLS: hetu_session_open

"""The session library through hetu_mlir._session (the RUN lines above).

  session.py describe MODEL           the step's arguments and results
  session.py inputs MODEL DIR         writes DIR/in<i>.npy for every argument
                                      but the optimizer state (step layout)
  session.py train MODEL DIR STEPS    STEPS steps from those inputs, the
                                      updates fed back, against hetu-launch's
                                      DIR/launch/output<j>.npy
  session.py errors MODEL DIR         bad paths, shapes, types, backends
  session.py interleaved MODEL DIR    several sessions open, stepping in turns
  session.py runtime-error MODEL DIR  a rank failing in a step
  session.py cuda MODEL               the cuda backend's host side (under the
                                      stand-in driver: runs, numbers meaningless)
"""

import os
import sys

import numpy as np

from hetu_mlir._session import Session, SessionError


def describe(model):
    with Session(model) as s:
        print("replicas %d, ranks %d" % (s.num_replicas, s.num_ranks))
        for v in s.args:
            print("arg", v)
        for v in s.results:
            print("result", v)


def inputs(model, out):
    rng = np.random.default_rng(7)
    with Session(model) as s:
        for a in s.args:
            if a.zero_init:
                continue
            x = rng.uniform(-1, 1, a.step_shape).astype(a.dtype)
            np.save(os.path.join(out, "in%d.npy" % a.index), x)
            print("in%d.npy %s" % (a.index, x.shape))


def load_inputs(s, out):
    arrays = []
    for a in s.args:
        if a.zero_init:
            arrays.append(np.zeros(a.step_shape, dtype=a.dtype))
        else:
            arrays.append(np.load(os.path.join(out, "in%d.npy" % a.index)))
    return arrays


def train(model, out, steps, kept=False):
    """`steps` steps fed back by hand, or (kept) with None for the updated
    arguments after the first step: the session keeps them (the ranks hold
    them between steps) and copies out only the other results until the
    last step."""
    with Session(model) as s:
        arrays = load_inputs(s, out)
        for step in range(steps):
            if kept and step > 0:
                arrays = [None if a.updates is not None else x
                          for a, x in zip(s.args, arrays)]
            last = step == steps - 1
            want = None if last or not kept else \
                [r.index for r in s.results if r.updates is None]
            results = s.step(arrays, want)
            if not kept:
                arrays = s.feed_back(arrays, results)
        if kept:
            same = all(np.array_equal(s.read(a.index), results[a.updates])
                       for a in s.args if a.updates is not None)
            print("kept arguments read back as the last results: %s" % same)
        stats = s.stats()
        print("steps: %d, last %s s" % (stats["steps"],
                                        "positive" if stats["last_step_seconds"] > 0
                                        else "zero"))
        worst = 0.0
        for r in s.results:
            launch = np.load(os.path.join(out, "launch", "output%d.npy" % r.index))
            got = results[r.index]
            if r.updates is not None:
                # hetu-launch writes every replica's copy: all the same.
                per = launch.reshape((s.num_replicas,) + r.shape)
                assert all(np.array_equal(per[0], p) for p in per), r
                want = per[0]
            else:
                want = launch
            assert got.shape == want.shape and got.dtype == want.dtype, \
                (r, got.shape, want.shape, got.dtype, want.dtype)
            diff = np.abs(got.astype(np.float64) - want) / (1e-6 + np.abs(want))
            worst = max(worst, float(diff.max()) if diff.size else 0.0)
            print("result %d %s: %s" % (r.index, got.shape,
                                        "ok" if np.allclose(got, want, rtol=1e-6, atol=1e-7)
                                        else "MISMATCH"))
        print("largest relative difference to hetu-launch: %s"
              % ("below 1e-6" if worst < 1e-6 else worst))


def kept_errors(model, out):
    """None where no value is kept is an error, not a crash."""
    with Session(model) as s:
        arrays = load_inputs(s, out)
        upd = [a.index for a in s.args if a.updates is not None][0]
        data = [a.index for a in s.args if a.updates is None][0]
        first = [None if a.index == upd else x for a, x in zip(s.args, arrays)]
        expect("None before any step", SessionError, lambda: s.step(first))
        s.step(arrays)
        bad = [None if a.index == data else x for a, x in zip(s.args, arrays)]
        expect("None for a data argument", ValueError, lambda: s.step(bad))
        expect("read of a data argument", SessionError, lambda: s.read(data))


def expect(what, exc, fn):
    try:
        fn()
    except exc as e:
        print("%s: %s: %s" % (what, type(e).__name__, e))
        return
    print("%s: NO ERROR" % what)


def errors(model, out):
    expect("missing", SessionError, lambda: Session(os.path.join(out, "missing.so")))
    text = os.path.join(out, "not_elf.so")
    with open(text, "w") as f:
        f.write("not a shared object\n")
    expect("not elf", SessionError, lambda: Session(text))
    runtime = os.path.join(os.environ["HETU_LIB"], "libhetu_runtime.so")
    expect("not a model", SessionError, lambda: Session(runtime))
    expect("backend", SessionError, lambda: Session(model, backend="mpi"))
    expect("target", SessionError, lambda: Session(model, backend="cuda"))
    expect("metadata", SessionError, lambda: Session(os.path.join(out, "bad.so")))
    with Session(model) as s:
        good = load_inputs(s, out)
        bad = list(good)
        bad[0] = good[0][: s.args[0].shape[0]]
        expect("shape", ValueError, lambda: s.step(bad))
        bad = list(good)
        bad[2] = good[2].astype(np.float64)
        expect("dtype", TypeError, lambda: s.step(bad))
        expect("count", ValueError, lambda: s.step(good[:-1]))
        # The session still works after rejected calls.
        first = s.step(good)
        print("after errors: loss shape %s" % (first[-1].shape,))
    expect("closed", SessionError, lambda: s.step(good))
    # Open, close, open again: the same model and another; the same step
    # gives the same results.
    adam = os.path.join(out, "adam.so")
    for path, data in ((model, out), (adam, os.path.join(out, "adam")), (model, out)):
        with Session(path) as s:
            again = s.step(load_inputs(s, data))
            same = path != model or all(np.array_equal(x, y) for x, y in zip(first, again))
            print("reopened %s: %d args, %s" % (os.path.basename(path), len(s.args),
                                                "same results" if same else "DIFFERENT"))


def interleaved(model, out):
    # Two sessions open at once, stepping in turns (the runtime restarts for
    # each): the same numbers as one session alone.
    adam = os.path.join(out, "adam.so")
    with Session(model) as s:
        alone = s.step(load_inputs(s, out))
    with Session(model) as a, Session(adam) as b, Session(model) as c:
        xa, xb, xc = (load_inputs(a, out), load_inputs(b, os.path.join(out, "adam")),
                      load_inputs(c, out))
        for _ in range(2):
            ra, rb = a.step(xa), b.step(xb)
            xa, xb = a.feed_back(xa, ra), b.feed_back(xb, rb)
        rc = c.step(xc)
        print("interleaved: %d steps and %d steps, first step as alone: %s"
              % (a.stats()["steps"], b.stats()["steps"],
                 all(np.array_equal(x, y) for x, y in zip(rc, alone))))
        b.close()
        ra = a.step(xa)
        print("after closing one: %s" % ([r.shape for r in ra],))


def runtime_error(model, out):
    # HETU_BLAS_LIBRARY names no library: every rank's first matmul fails.
    with Session(model) as s:
        arrays = load_inputs(s, out)
        expect("step", SessionError, lambda: s.step(arrays))
        expect("again", SessionError, lambda: s.step(arrays))
    with Session(model) as s:
        print("opened after the failure: %d args" % len(s.args))
    print("interpreter alive")


def cuda(model):
    # Twice: the cuda runtime starts again after a close.
    for _ in range(2):
        with Session(model, backend="cuda") as s:
            arrays = [np.zeros(a.step_shape, dtype=a.dtype) for a in s.args]
            for _ in range(2):
                results = s.step(arrays)
                arrays = s.feed_back(arrays, results)
            print("cuda: %d steps, results %s" % (s.stats()["steps"],
                                                  [r.shape for r in results]))
    # Two at once, in turns: the cuda runtime restarts for each.
    with Session(model, backend="cuda") as a, Session(model, backend="cuda") as b:
        arrays = [np.zeros(v.step_shape, dtype=v.dtype) for v in a.args]
        shapes = [r.shape for r in a.step(arrays) + b.step(arrays) + a.step(arrays)]
        print("cuda in turns: %d results" % len(shapes))
    expect("threads", SessionError, lambda: Session(model))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "describe":
        describe(sys.argv[2])
    elif cmd == "inputs":
        inputs(sys.argv[2], sys.argv[3])
    elif cmd == "train":
        train(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif cmd == "kept":
        train(sys.argv[2], sys.argv[3], int(sys.argv[4]), kept=True)
    elif cmd == "errors":
        errors(sys.argv[2], sys.argv[3])
        kept_errors(sys.argv[2], sys.argv[3])
    elif cmd == "cuda":
        cuda(sys.argv[2])
    elif cmd == "interleaved":
        interleaved(sys.argv[2], sys.argv[3])
    elif cmd == "runtime-error":
        runtime_error(sys.argv[2], sys.argv[3])
    else:
        sys.exit("unknown command " + cmd)

"""Hetu's Executor: compiles the graph once and runs it step by step.

    executor = ht.Executor([loss, train_op])
    for step in range(100):
        loss_value, _ = executor.run(feed_dict={x: batch, y_: labels})

The first run fixes the shapes of the Variables it feeds, writes the graph
as hetu IR (emit.py), compiles it ahead of time with hetu-compile (every
rank's program and the training step hetu-autodiff derives), and opens it
in this process (the session library: libhetu_session.so). Each run feeds
that call's batch to the ranks (threads) and keeps the parameters and the
optimizer state for the next: a loop of run() calls trains. run(verify=True)
or backend="mpi" runs the step through hetu-run instead (each step checked
against single-device training, or one process per rank under mpirun),
from and into the same parameters.
"""

import itertools
import os
import shutil
import subprocess
import tempfile

from . import _capi
from .context import DeviceGroup
from .emit import write_module
from .graph import HetuError, _check, _split_counts, _topological, _trainable, initial_values, new_rng

#: What Executor.compile runs by default: hetu-run's front end up to the
#: states of every value (hetu-front-end, without the partition).
DEFAULT_PIPELINE = "builtin.module(hetu-front-end{partition=false})"
#: The same for a training graph: the step derived first (hetu-autodiff).
DEFAULT_TRAINING_PIPELINE = "builtin.module(hetu-front-end{autodiff=true partition=false})"


def _numpy():
    try:
        import numpy
    except ImportError:
        raise HetuError("hetu_mlir: running a graph needs NumPy (Debian's python3-numpy, "
                        "for /usr/bin/python3)")
    return numpy


class Executor:
    """Compiles `eval_node_list` (the outputs; Hetu's dict {name: list}
    takes its first list) into one placed function. `ctx` is the default
    placement (inputs and outputs live there); by default the group of the
    first input. `pipeline` ("gpipe", or "1f1b" / Hetu's "pipedream") with
    `micro_batches` runs each step as that many micro-batches in that
    pipeline schedule (hetu-pipeline-schedule). `seed` seeds the
    initialisers and the dropout masks."""

    def __init__(self, eval_node_list, ctx=None, pipeline=None, micro_batches=None, seed=0,
                 comm_mode=None, dtype="float32", config=None, **kwargs):
        if isinstance(eval_node_list, dict):
            _check(len(eval_node_list) == 1, "Executor: one list of nodes (one name) at a time")
            eval_node_list = next(iter(eval_node_list.values()))
        schedules = {"gpipe": "gpipe", "1f1b": "1f1b", "pipedream": "1f1b"}
        _check(pipeline is None or pipeline in schedules,
               "pipeline must be 'gpipe', '1f1b' or 'pipedream', got %r" % (pipeline,))
        _check(pipeline is None or (isinstance(micro_batches, int) and micro_batches >= 1),
               "pipeline=%r needs micro_batches, a positive integer" % (pipeline,))
        _check(micro_batches is None or pipeline is not None,
               "micro_batches needs a pipeline schedule (pipeline='gpipe' or '1f1b')")
        self.schedule = schedules.get(pipeline)
        self.micro_batches = micro_batches
        self.eval_nodes = list(eval_node_list)
        # Training: one optimizer, or the gradients of one loss. The
        # function returns the loss first; hetu-autodiff makes it the step.
        trains = [n for n in self.eval_nodes if n.op == "optimizer"]
        grads = [n for n in self.eval_nodes if n.op == "gradient"]
        _check(len(trains) <= 1, "Executor: evaluate one training op at a time")
        _check(not (trains and grads), "Executor: evaluate a training op or "
               "gradients, not both")
        losses = {n.inputs[0].id: n.inputs[0] for n in trains + grads}
        _check(len(losses) <= 1, "Executor: gradients of one loss at a time")
        self.loss = next(iter(losses.values()), None)
        if trains:
            self.trainables = trains[0].attrs["params"]
            self.autodiff = trains[0].attrs["options"]
        elif grads:
            self.trainables = _trainable(self.loss)
            self.autodiff = {"optimizer": "none"}
        else:
            self.trainables, self.autodiff = [], None
        order = _topological(self.eval_nodes)
        self.args = sorted((n for n in order if n.op == "placeholder"), key=lambda n: n.id)
        self.ops = [n for n in order if n.op not in ("placeholder", "optimizer", "gradient")]
        # The forward function's results: the loss (when training), then the
        # other evaluated values.
        self.outputs = [self.loss] if self.loss is not None else []
        for n in self.eval_nodes:
            if n.op not in ("optimizer", "gradient") and n not in self.outputs:
                self.outputs.append(n)
        if ctx is not None:
            self.ctx = DeviceGroup(ctx)
        else:
            placed = [n.raw_ctx for n in self.args + self.ops if n.raw_ctx]
            self.ctx = placed[0] if placed else None
        # Hetu's comm_mode: by default (or "PS", "AllReduce") a parameter's
        # gradient is synchronised as its group says (a server in it: the
        # parameter server); "Hybrid" keeps embedding tables on the server
        # and all-reduces every other parameter between the workers.
        _check(comm_mode in (None, "AllReduce", "PS", "Hybrid"),
               "comm_mode must be 'AllReduce', 'PS' or 'Hybrid', got %r" % (comm_mode,))
        self.update_ctx = {}
        if comm_mode == "Hybrid":
            for p in self.trainables:
                group = p.raw_ctx or self.ctx
                if not p.attrs.get("sparse") and group is not None and group.server_num:
                    self.update_ctx[p.id] = DeviceGroup(group.workers)
        dtype = getattr(dtype, "__name__", dtype)
        _check(dtype in ("float32", "float64"),
               "Executor: dtype must be float32 or float64, got %r" % (dtype,))
        #: The element type of every value (float64: for checks against an
        #: f64 reference).
        self.dtype = dtype
        self.rng = new_rng(seed)
        self._text = None
        self._session = None
        self._tmp = None
        self._params = {}
        self._state = None
        # Whether the session holds the latest parameters and optimizer
        # state (they are read back only when asked for).
        self._in_session = False
        self.report = ""
        self.step_seconds = []

    @property
    def params(self):
        """The parameters (trainable placeholders) after the last run."""
        self._sync()
        return self._params

    @property
    def state(self):
        """The optimizer state after the last run (hetu-autodiff's order),
        or None before the first."""
        self._sync()
        return self._state

    def _sync(self):
        """Reads the parameters and the optimizer state the session kept."""
        if not self._in_session:
            return
        n = len(self.args)
        index = {a.id: i for i, a in enumerate(self.args)}
        for p in self.trainables:
            self._params[p] = self._session.read(index[p.id])
        self._state = [self._session.read(n + k) for k in range(len(self._state or []))]
        self._in_session = False

    # Structure.
    def replicas_of(self, node):
        """Data-parallel replicas of a placeholder: the workers of its group."""
        group = node.raw_ctx or self.ctx
        return max(1, group.worker_num) if group is not None else 1

    def duplicate(self, node):
        """A dispatch's copies per tile: given, or derived from the devices
        per worker of its consumers' group (Hetu HEAD)."""
        if node.attrs["duplicate"] is not None:
            return node.attrs["duplicate"]
        consumers = [n.raw_ctx or self.ctx for n in self.ops if node in n.inputs]
        if not consumers or consumers[0] is None or \
                any(c != consumers[0] for c in consumers):
            return 1
        tiles = 1
        for p in _split_counts(node.attrs["parts"], len(node.shape)):
            tiles *= p
        return max(1, consumers[0].mp_dev_num // tiles)

    def num_ranks(self):
        """The number of ranks: the distinct devices the graph is placed on."""
        devices = set()
        placed = self.args + self.ops
        for g in [self.ctx] + [n.raw_ctx for n in placed]:
            for c in g or ():
                devices.update(c if isinstance(c, tuple) else (c,))
        return max(1, len(devices))

    def _bind(self, feed_dict):
        """Fixes the shapes of the Variables fed here (the first feed): a data
        input's rows are every replica's batch."""
        for a in self.args:
            if a._shape is not None or a not in feed_dict:
                continue
            shape = tuple(_numpy().shape(feed_dict[a]))
            if not a.attrs["trainable"]:
                r = self.replicas_of(a)
                _check(len(shape) >= 1 and shape[0] % r == 0,
                       "feed_dict: %s of shape %s: its rows are the batches of %d replicas"
                       % (a.name, shape, r))
                shape = (shape[0] // r,) + shape[1:]
            a._shape = shape

    def mlir(self):
        """The module, as text (the shapes of every Variable must be known:
        given, or fed to run once)."""
        if self._text is None:
            for n in self.args + self.ops:
                n.shape  # raises naming the Variable whose shape is unknown
            self._text = write_module(self)
        return self._text

    def compile(self, pipeline=None):
        """Runs a pass pipeline on the module in-process, through the C API,
        and returns the resulting IR text. The default pipeline derives the
        training step (hetu-autodiff, when training), deduces the strategy,
        synchronises gradients and infers every value's states;
        pass e.g. "builtin.module(hetu-deduce-strategy,hetu-grad-sync,
        hetu-infer-states,hetu-partition{rank=0})" for rank 0's program.
        Raises HetuError with the compiler's diagnostics on failure."""
        if pipeline is None:
            pipeline = DEFAULT_TRAINING_PIPELINE if self.autodiff else DEFAULT_PIPELINE
        ok, out = _capi.run_pass_pipeline(self.mlir(), pipeline)
        if not ok:
            raise HetuError(out.strip())
        return out

    # Values.
    def _feed(self, feed_dict, kept=False):
        """The step's arguments (NumPy arrays; data with every replica's
        rows), from the feed, the kept parameters and fresh dropout masks;
        with `kept`, None for the parameters the session keeps."""
        np = _numpy()
        if not kept:
            self._sync()
        values = []
        for a in self.args:
            if a in feed_dict:
                v = np.ascontiguousarray(feed_dict[a], dtype=self.dtype)
                want = a.shape if a.attrs["trainable"] else \
                    (a.shape[0] * self.replicas_of(a),) + tuple(a.shape[1:]) if a.shape else ()
                _check(v.shape == tuple(want), "feed_dict: %s has shape %s, expected %s"
                       % (a.name, v.shape, tuple(want)))
                if a.attrs["trainable"]:
                    self._params[a] = v
            elif a.attrs["trainable"] and kept and a in self._params:
                v = None
            elif a.attrs["trainable"] and a in self._params:
                v = self._params[a]
            elif a.attrs["trainable"] and "init" in a.attrs:
                v = np.array(initial_values(a, self.rng), dtype=self.dtype).reshape(a.shape)
                self._params[a] = v
            elif "dropout" in a.attrs:
                keep = a.attrs["dropout"]
                shape = (a.shape[0] * self.replicas_of(a),) + tuple(a.shape[1:])
                draws = [1.0 / keep if self.rng.random() < keep else 0.0
                         for _ in range(int(np.prod(shape)))]
                v = np.array(draws, dtype=self.dtype).reshape(shape)
            else:
                raise ValueError("feed_dict lacks inputs %s (only parameters made by init.* "
                                 "may be left out)" % ", ".join(
                                     n.name for n in self.args if n not in feed_dict and not (
                                         n.attrs["trainable"] and ("init" in n.attrs
                                                                   or n in self._params))
                                     and "dropout" not in n.attrs))
            values.append(v)
        return values

    def _results(self, values, state_count):
        """Splits the step's results (hetu-autodiff's order) into what run
        returns, and keeps the parameters and the optimizer state."""
        P, O = len(self.trainables), len(self.outputs)
        if self.autodiff and self.autodiff["optimizer"] != "none":
            # (None: the session kept them and did not copy them out.)
            if values[0] is not None or not P:
                for p, v in zip(self.trainables, values[:P]):
                    self._params[p] = v
                self._state = list(values[P:P + state_count])
            forward, grads = values[P + state_count:], {}
        else:
            forward = values[:O]
            grads = dict(zip((p.id for p in self.trainables), values[O:O + P]))
        result = dict(zip((n.id for n in self.outputs), forward))
        return [None if n.op == "optimizer" else
                grads[n.attrs["param"].id] if n.op == "gradient" else result[n.id]
                for n in self.eval_nodes]

    # Running.
    def run(self, feed_dict=None, convert_to_numpy_ret_vals=False, verify=False,
            backend="threads", seed=None, iterations=1, **kwargs):
        """Runs one step (`iterations` steps on the same feed) and returns
        one value per evaluated node (NumPy arrays; None for a training op;
        values of data-parallel replicas concatenated along axis 0, a
        replica's scalar loss as one entry each). `feed_dict` maps inputs to
        arrays (data inputs hold every replica's batch; fed parameters
        replace the kept ones). The parameters and the optimizer state
        carry over to the next run. verify=True checks every step against
        single-device training (through hetu-run); backend="mpi" runs one
        process per rank under mpirun."""
        _check(backend in ("threads", "mpi"),
               "backend must be 'threads' or 'mpi', got %r" % (backend,))
        _check(isinstance(iterations, int) and iterations >= 1,
               "iterations must be a positive integer")
        if feed_dict is None and not self._params:
            # Nothing fed: hetu-run draws every input (as `hetu-run --seed`).
            return self._run_tool(None, verify, backend, seed, iterations)
        feed_dict = dict(feed_dict or {})
        self._bind(feed_dict)
        if verify or backend != "threads":
            return self._run_tool(feed_dict, verify, backend, seed, iterations)
        out = None
        for _ in range(iterations):
            out = self._run_session(feed_dict)
        return out

    def _compiled(self):
        """The session of the model hetu-compile wrote (compiled once)."""
        if self._session is None:
            from ._session import Session
            self._tmp = tempfile.TemporaryDirectory(prefix="hetu_mlir")
            path = os.path.join(self._tmp.name, "step.mlir")
            with open(path, "w") as f:
                f.write(self.mlir())
            so = os.path.join(self._tmp.name, "step.so")
            # For a generic CPU: --mcpu=native doubled the GPT's compile time
            # (60 s against 33 s) for a step 3% faster (bench/README.md).
            p = subprocess.run([_tool("hetu-compile"), path, "-o", so], capture_output=True,
                               text=True)
            if p.returncode != 0:
                raise HetuError((p.stderr + p.stdout).strip())
            self._session = Session(so)
        return self._session

    def _run_session(self, feed_dict):
        """One step in process. After the first, the session keeps the
        parameters and the optimizer state (in the ranks' buffers while
        nothing replaces them): they are neither passed nor copied out."""
        np = _numpy()
        session = self._compiled()
        kept = self._in_session
        values = self._feed(feed_dict, kept)
        n = len(values)
        if self._state is None:
            self._state = [np.zeros(s, dtype=self.dtype) for s in self.state_shapes()]
        _check(len(session.args) == n + len(self._state),
               "the compiled step has %d arguments for %d inputs and %d state"
               % (len(session.args), n, len(self._state)))
        state = [None] * len(self._state) if kept else list(self._state)
        want = [r.index for r in session.results if r.updates is None]
        import time
        t0 = time.perf_counter()
        results = session.step(values + state, want)
        self.step_seconds.append(time.perf_counter() - t0)
        self._in_session = len(want) < len(session.results)
        return self._results(results, len(session.args) - n)

    def close(self):
        """Closes the compiled model (also done when the Executor goes)."""
        if self._session is not None:
            self._session.close()
            self._session = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def _run_tool(self, feed_dict, verify, backend, seed, iterations):
        """One hetu-run invocation (fed from and into the kept values)."""
        self._sync()
        with tempfile.TemporaryDirectory(prefix="hetu_mlir") as tmp:
            path = os.path.join(tmp, "step.mlir")
            with open(path, "w") as f:
                f.write(self.mlir())
            cmd = [_tool("hetu-run"), path, "--backend=" + backend, "--outputs=" + tmp]
            if backend == "mpi":
                # One process per device, started with mpirun.
                launcher = shutil.which("mpirun")
                if not launcher:
                    raise HetuError("hetu_mlir: backend='mpi' needs mpirun on PATH")
                extra = ["--allow-run-as-root"] if os.geteuid() == 0 else []
                cmd = [launcher, "-n", str(self.num_ranks()), "--oversubscribe",
                       "--bind-to", "none"] + extra + cmd
            if verify:
                cmd.append("--verify")
            if seed is not None:
                cmd.append("--seed=%d" % seed)
            if iterations != 1:
                cmd.append("--iterations=%d" % iterations)
            if feed_dict is not None:
                files = []
                for i, v in enumerate(self._feed(feed_dict) + list(self._state or [])):
                    files.append(os.path.join(tmp, "input%d.npy" % i))
                    _numpy().save(files[-1], v)
                cmd.append("--inputs=" + ",".join(files))
            p = subprocess.run(cmd, capture_output=True, text=True)
            if p.returncode != 0:
                raise HetuError((p.stderr + p.stdout).strip())
            if verify and "verify: OK" not in p.stdout:
                raise HetuError("verification did not pass:\n" + p.stdout)
            self.report = p.stdout
            values = []
            for j in itertools.count():
                name = os.path.join(tmp, "output%d.npy" % j)
                if not os.path.exists(name):
                    break
                values.append(_read_npy(name))
        if self.autodiff and self.autodiff["optimizer"] != "none":
            # hetu-run writes every replica's copy of the parameters and the
            # optimizer state (the same on each): keep one.
            shapes = [p.shape for p in self.trainables] + self.state_shapes()
            values[:len(shapes)] = [v.reshape((-1,) + tuple(s))[0]
                                    for v, s in zip(values, shapes)]
            return self._results(values, len(shapes) - len(self.trainables))
        return self._results(values, 0)

    def state_shapes(self):
        """The shapes of the optimizer state hetu-autodiff adds, in its
        order: velocities (momentum); first moments, second moments and a
        step count (Adam, AdamW)."""
        kind = (self.autodiff or {}).get("optimizer")
        shapes = [p.shape for p in self.trainables]
        return shapes if kind == "momentum" else \
            shapes * 2 + [()] if kind in ("adam", "adamw") else []


def _tool(name):
    env = os.environ.get("HETU_MLIR_TOOLS")
    here = os.path.dirname(os.path.abspath(__file__))
    dirs = [env] if env else [os.path.join(here, "..", "..", "build", "bin"),
                              os.path.join(here, "..", "..", "bin")]
    for d in dirs:
        path = os.path.normpath(os.path.join(d, name))
        if os.access(path, os.X_OK):
            return path
    found = shutil.which(name)
    if not found:
        raise HetuError("hetu_mlir: cannot find %s (set HETU_MLIR_TOOLS)" % name)
    return found


def _read_npy(path):
    return _numpy().load(path)

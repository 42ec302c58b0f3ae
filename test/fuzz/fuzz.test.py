#!/usr/bin/env python3
"""Differential fuzzer: random placed programs through hetu-run --verify.

Generates random MLP-like chains (matmuls, elementwise ops, row and column
reductions followed by broadcasts) with random shapes that divide, random
data-parallel degrees, random stages (device groups and tuples over up to 8
devices, overlapping from stage to stage), and random dispatch states with
orders, duplicates and partial sums. Each program runs with
`hetu-run --verify`:

  ok        verified against the single-device run
  rejected  the compiler refused it with a diagnostic (exit 1, no crash):
            e.g. operand tiles that do not line up
  MISMATCH  the partitioned run differs from the single-device run
  CRASH     anything else (signal, runtime error, no diagnostic)

With --mutate (the mutation check), the partition is made wrong on purpose
(HETU_DEBUG_WRONG_RESHARDING=1: two same-size pieces of an assembled tile
swap places): every program it changed must be caught by --verify, none
ESCAPED.

A MISMATCH or CRASH is shrunk (fewer layers, smaller shapes) to a small
reproducer written to --keep. Exit status 1 if any was found.

    fuzz.test.py --hetu-run build/bin/hetu-run --count 10000 --seed 1 --jobs 2
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

ELEMENTWISE = ["math.tanh", "arith.addf", "arith.mulf", "arith.subf"]


def factorizations(n):
    """(split0, split1, duplicate, partial) with product n."""
    out = []
    for s0 in (1, 2, 4, 8):
        for s1 in (1, 2, 4, 8):
            for p in (1, 2, 4):
                if n % (s0 * s1 * p) == 0:
                    out.append((s0, s1, n // (s0 * s1 * p), p))
    return out


def random_states(rng, n, allow_partial):
    options = [f for f in factorizations(n) if allow_partial or f[3] == 1]
    s0, s1, dup, partial = rng.choice(options)
    text = "[%d, %d]" % (s0, s1)
    if dup > 1:
        text += ", duplicate = %d" % dup
    if partial > 1:
        text += ", partial = %d" % partial
    entries = [0, 1] + ([-1] if dup > 1 else []) + ([-2] if partial > 1 else [])
    if rng.random() < 0.5:
        rng.shuffle(entries)
        text += ", order = [%s]" % ", ".join(map(str, entries))
    return text, (s0, s1)


class Program:
    """A random program: a list of layer specs, rendered to IR."""

    def __init__(self, rng, max_layers=5):
        self.replicas = rng.choice([1, 1, 2, 2, 4])
        self.tuples = []
        self.layers = []
        width = rng.choice([8, 16])
        self.batch = rng.choice([8, 16])
        self.input = width
        for _ in range(rng.randint(1, max_layers)):
            t = rng.choice([t for t in (1, 2, 4) if t * self.replicas <= 8])
            devices = rng.sample(range(8), t * self.replicas)
            stage = [devices[r * t:(r + 1) * t] for r in range(self.replicas)]
            kind = rng.choice(["matmul", "matmul", "elementwise", "reduce"])
            layer = {"kind": kind, "stage": stage, "t": t}
            if kind == "matmul":
                layer["out"] = rng.choice([8, 16, 32])
                layer["a"] = random_states(rng, t, True) if t > 1 else None
                layer["w"] = (random_states(rng, t, False)
                              if t > 1 and rng.random() < 0.5 else None)
            elif kind == "elementwise":
                layer["op"] = rng.choice(ELEMENTWISE)
                layer["a"] = random_states(rng, t, True) if t > 1 else None
            else:
                layer["dim"] = rng.choice([0, 1])
                layer["a"] = random_states(rng, t, True) if t > 1 else None
            self.layers.append(layer)
        default = rng.sample(range(8), self.replicas)
        self.default = default

    def shrunk(self):
        """Smaller variants, most aggressive first."""
        for keep in range(1, len(self.layers)):
            for start in range(0, len(self.layers) - keep + 1):
                p = self.copy()
                p.layers = self.layers[start:start + keep]
                yield p
        if self.batch > 8:
            p = self.copy()
            p.batch //= 2
            yield p

    def copy(self):
        p = Program.__new__(Program)
        p.__dict__ = dict(self.__dict__)
        p.layers = list(self.layers)
        return p

    def render(self):
        b = self.batch
        group = lambda stage: ",".join(
            ("(%s)" % ",".join("gpu:%d" % d for d in tup)) if len(tup) > 1
            else "gpu:%d" % tup[0] for tup in stage)
        default = ",".join("gpu:%d" % d for d in self.default)
        args, body = ["%%x: tensor<%dx%dxf32>" % (b, self.input)], []
        value, cols, n = "%x", self.input, 0
        previous = None  # tuple size of the stage before

        def fresh():
            nonlocal n
            n += 1
            return "%%v%d" % n

        for li, layer in enumerate(self.layers):
            g = group(layer["stage"])
            if li:
                previous = self.layers[li - 1]["t"]
            ctx = ' {hetu.ctx = #hetu.group<"%s">}' % g
            src = value
            if layer["a"] is not None:
                states, splits = layer["a"]
                if b % splits[0] or cols % splits[1]:
                    states = "[1, 1], duplicate = %d" % layer["t"]
                src = fresh()
                body.append('%s = hetu.dispatch %s to #hetu.states<%s> on #hetu.group<"%s"> : tensor<%dx%dxf32>'
                            % (src, value, states, g, b, cols))
            elif layer["t"] > 1 or layer["t"] != previous:
                src = fresh()
                body.append('%s = hetu.dispatch %s to #hetu.states<[1, 1]%s> on #hetu.group<"%s"> : tensor<%dx%dxf32>'
                            % (src, value, ", duplicate = %d" % layer["t"] if layer["t"] > 1 else "", g, b, cols))
            if layer["kind"] == "matmul":
                out = layer["out"]
                w = "%%w%d" % li
                args.append("%s: tensor<%dx%dxf32> {hetu.trainable}" % (w, cols, out))
                wv = w
                if layer["w"] is not None:
                    states, splits = layer["w"]
                    if cols % splits[0] or out % splits[1]:
                        states = "[1, 1], duplicate = %d" % layer["t"]
                    wv = fresh()
                    body.append('%s = hetu.dispatch %s to #hetu.states<%s> on #hetu.group<"%s"> : tensor<%dx%dxf32>'
                                % (wv, w, states, g, cols, out))
                e, z, y = fresh(), fresh(), fresh()
                body.append("%s = tensor.empty() : tensor<%dx%dxf32>" % (e, b, out))
                body.append("%s = linalg.fill%s ins(%%zero : f32) outs(%s : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>"
                            % (z, ctx, e, b, out, b, out))
                body.append("%s = linalg.matmul%s ins(%s, %s : tensor<%dx%dxf32>, tensor<%dx%dxf32>) outs(%s : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>"
                            % (y, ctx, src, wv, b, cols, cols, out, z, b, out, b, out))
                value, cols = y, out
            elif layer["kind"] == "elementwise":
                y = fresh()
                op = layer["op"]
                if op == "math.tanh":
                    body.append("%s = math.tanh %s%s : tensor<%dx%dxf32>" % (y, src, ctx, b, cols))
                else:
                    body.append("%s = %s %s, %s%s : tensor<%dx%dxf32>" % (y, op, src, src, ctx, b, cols))
                value = y
            else:
                # Sum over one dimension, then broadcast back.
                d = layer["dim"]
                keep = cols if d == 0 else b
                e, z, r, e2, y = fresh(), fresh(), fresh(), fresh(), fresh()
                body.append("%s = tensor.empty() : tensor<%dxf32>" % (e, keep))
                body.append("%s = linalg.fill%s ins(%%zero : f32) outs(%s : tensor<%dxf32>) -> tensor<%dxf32>"
                            % (z, ctx, e, keep, keep))
                body.append("%s = linalg.reduce ins(%s : tensor<%dx%dxf32>) outs(%s : tensor<%dxf32>) dimensions = [%d]%s"
                            % (r, src, b, cols, z, keep, d, ctx))
                body.append("  (%in: f32, %acc: f32) {")
                body.append("    %s = arith.addf %in, %acc : f32")
                body.append("    linalg.yield %s : f32")
                body.append("  }")
                body.append("%s = tensor.empty() : tensor<%dx%dxf32>" % (e2, b, cols))
                body.append("%s = linalg.broadcast%s ins(%s : tensor<%dxf32>) outs(%s : tensor<%dx%dxf32>) dimensions = [%d]"
                            % (y, ctx, r, keep, e2, b, cols, d))
                value = y
        lines = ['module attributes {hetu.default_ctx = #hetu.group<"%s">} {' % default,
                 "  func.func @fuzz(%s) -> tensor<%dx%dxf32> {" % (", ".join(args), b, cols),
                 "    %zero = arith.constant 0.0 : f32"]
        lines += ["    " + l for l in body]
        lines += ["    return %s : tensor<%dx%dxf32>" % (value, b, cols), "  }", "}"]
        return "\n".join(lines) + "\n"


MUTATED = "HETU_DEBUG_WRONG_RESHARDING"


def run(hetu_run, text, timeout, mutate=False):
    with tempfile.NamedTemporaryFile("w", suffix=".mlir", delete=False) as f:
        f.write(text)
        path = f.name
    try:
        env = dict(os.environ, HETU_TIMEOUT_S="20")
        if mutate:
            env[MUTATED] = "1"
        p = subprocess.run([hetu_run, path, "--verify"], capture_output=True,
                           text=True, timeout=timeout, env=env)
        out = p.stdout + p.stderr
        if mutate and MUTATED in out:
            # The partition was made wrong on purpose: --verify must say so
            # wherever that changed the outputs (a swap of two equal pieces,
            # rows of a broadcast say, changes nothing).
            if "verify: mismatch" in out:
                return "caught", out
            if not changes_outputs(hetu_run, path, timeout, env):
                return "unchanged", out
            return "ESCAPED", out
        if p.returncode == 0 and "verify: OK" in out:
            return "ok", out
        if "verify: mismatch" in out:
            return "MISMATCH", out
        if p.returncode == 1 and "error:" in out and "runtime error" not in out:
            return "rejected", out
        return "CRASH", out
    except subprocess.TimeoutExpired:
        return "CRASH", "timed out (hang?)"
    finally:
        os.unlink(path)


def changes_outputs(hetu_run, path, timeout, env):
    """Whether the wrong resharding moved any output by more than rounding:
    the outputs with and without it, compared."""
    import numpy as np
    with tempfile.TemporaryDirectory() as d:
        runs = []
        for name, e in (("wrong", env), ("right", {k: v for k, v in env.items()
                                                   if k != MUTATED})):
            out = os.path.join(d, name)
            os.mkdir(out)
            subprocess.run([hetu_run, path, "--outputs=" + out],
                           capture_output=True, timeout=timeout, env=e)
            runs.append([np.load(os.path.join(out, f))
                         for f in sorted(os.listdir(out))])
        for a, b in zip(*runs):
            scale = max(np.abs(b).max(initial=0), 1e-30)
            if np.abs(a.astype(np.float64) - b).max(initial=0) > 1e-3 * scale:
                return True
        return False


def shrink(hetu_run, program, verdict, timeout):
    best = program
    improved = True
    while improved:
        improved = False
        for candidate in best.shrunk():
            if run(hetu_run, candidate.render(), timeout)[0] == verdict:
                best, improved = candidate, True
                break
    return best


def main():
    ap = argparse.ArgumentParser(description="hetu-mlir differential fuzzer")
    ap.add_argument("--hetu-run", required=True)
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--start", type=int, default=0,
                    help="the first case (a campaign in parts, or one case)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--max-layers", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--keep", default=".", help="where reproducers go")
    ap.add_argument("--mutate", action="store_true",
                    help="the mutation check: partition with "
                         "HETU_DEBUG_WRONG_RESHARDING=1 (two pieces of an "
                         "assembled tile swapped); every program it changed "
                         "must fail --verify")
    a = ap.parse_args()

    programs = [Program(random.Random(a.seed * 1000003 + i), a.max_layers)
                for i in range(a.start, a.start + a.count)]
    counts = {"ok": 0, "rejected": 0, "MISMATCH": 0, "CRASH": 0,
              "caught": 0, "unchanged": 0, "ESCAPED": 0}
    bad = []
    with ThreadPoolExecutor(max_workers=a.jobs) as pool:
        for i, (verdict, out) in enumerate(
                pool.map(lambda p: run(a.hetu_run, p.render(), a.timeout,
                                       a.mutate),
                         programs)):
            counts[verdict] += 1
            if verdict in ("MISMATCH", "CRASH", "ESCAPED"):
                bad.append((a.start + i, verdict, out))
    if a.mutate:
        for i, verdict, out in bad:
            print("%s: case %d\n%s" % (verdict, i, out[-2000:]))
        print("fuzz --mutate: %d programs: %d changed by the wrong resharding, "
              "%d caught by --verify, %d escaped (%d where it changed no "
              "output, %d crashes)"
              % (a.count, counts["caught"] + counts["ESCAPED"],
                 counts["caught"], counts["ESCAPED"], counts["unchanged"],
                 counts["CRASH"]))
        return 1 if bad else 0
    for i, verdict, out in bad:
        small = shrink(a.hetu_run, programs[i - a.start], verdict, a.timeout)
        path = os.path.join(a.keep, "hetu-fuzz-seed%d-case%d.mlir" % (a.seed, i))
        with open(path, "w") as f:
            f.write("// %s (fuzz.test.py --seed %d, case %d)\n" % (verdict, a.seed, i))
            f.write(small.render())
        print("%s: case %d, reproducer %s\n%s" % (verdict, i, path, out[-2000:]))
    print("fuzz: %d programs: %d ok, %d rejected, %d mismatches, %d crashes"
          % (a.count, counts["ok"], counts["rejected"], counts["MISMATCH"],
             counts["CRASH"]))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

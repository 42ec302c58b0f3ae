#!/usr/bin/env python3
"""Pipeline-schedule benchmark (figures for the training issue).

The SPEC 7.5 training step (3 pipeline stages; data x model x pipeline) of
examples/gen_train.py, with a batch of --batch rows per replica, through
  hetu-pipeline-schedule{micro-batches=M schedule=S},hetu-deduce-strategy,
  hetu-grad-sync,hetu-infer-states,hetu-partition
for S in gpipe and 1f1b. For every rank it reads the program order of the
work of each micro-batch (the hetu.micro_batch / hetu.stage tags that
survive partitioning) and reports the peak number of micro-batches live at
once (from a micro-batch's first op on the rank to its last): GPipe keeps
all M, 1F1B at most (number of stages - stage). Then the training step time
(--iterations steps with --verify, hetu-run's run time) of each schedule
relative to the same step without micro-batches, in the same invocation.

    bench/pipeline/run.py --build build [--batch 32] [--micro-batches 4,8]
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "examples"))
import gen_train  # noqa: E402


def rank_sequences(ir):
    """rank -> [(stage, micro_batch)] in program order."""
    seqs, rank = {}, None
    for line in ir.splitlines():
        m = re.search(r"func\.func @\w+__rank(\d+)\(", line)
        if m:
            rank = int(m.group(1))
            seqs[rank] = []
            continue
        mb = re.search(r"hetu\.micro_batch = (\d+)", line)
        st = re.search(r"hetu\.stage = (\d+)", line)
        if rank is not None and mb and st:
            seqs[rank].append((int(st.group(1)), int(mb.group(1))))
    return seqs


def peak_live(seq):
    first, last = {}, {}
    for i, (_, m) in enumerate(seq):
        first.setdefault(m, i)
        last[m] = i
    peak = 0
    for i in range(len(seq)):
        peak = max(peak, sum(1 for m in first if first[m] <= i <= last[m]))
    return peak


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode:
        raise SystemExit("failed: %s\n%s%s" % (" ".join(cmd), p.stdout[-2000:], p.stderr[-2000:]))
    return p.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--micro-batches", default="4,8")
    ap.add_argument("--iterations", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    opt = os.path.join(a.build, "bin", "hetu-opt")
    hrun = os.path.join(a.build, "bin", "hetu-run")
    step = gen_train.generate("dmp", a.batch, 64, 128, 16, 0.05)
    with tempfile.NamedTemporaryFile("w", suffix=".mlir", delete=False) as f:
        f.write(step)
        path = f.name
    ok = True
    print("SPEC 7.5 step, batch %d per replica, 3 stages, 8 ranks" % a.batch)
    for m in [int(x) for x in a.micro_batches.split(",")]:
        peaks = {}
        for sched in ("gpipe", "1f1b"):
            ir = run([opt, path, "--pass-pipeline=builtin.module("
                      "hetu-pipeline-schedule{micro-batches=%d schedule=%s},"
                      "hetu-deduce-strategy,hetu-grad-sync,hetu-infer-states,"
                      "hetu-partition)" % (m, sched)])
            for rank, seq in rank_sequences(ir).items():
                stages = {s for s, _ in seq}
                if len(stages) != 1:
                    raise SystemExit("rank %d runs work of stages %s" % (rank, sorted(stages)))
                peaks.setdefault(stages.pop(), {}).setdefault(sched, []).append(peak_live(seq))
        nstages = len(peaks)
        print("\nmicro-batches %d: peak micro-batches live per rank" % m)
        print("%-6s %-14s %-14s %s" % ("stage", "gpipe", "1f1b", "bound (gpipe = M, 1f1b <= stages - stage)"))
        for s in sorted(peaks):
            g, o = peaks[s]["gpipe"], peaks[s]["1f1b"]
            good = all(x == m for x in g) and all(x <= nstages - s for x in o)
            ok &= good
            print("%-6d %-14s %-14s %s" % (s, ",".join(map(str, g)), ",".join(map(str, o)),
                                          "ok" if good else "VIOLATED"))

    def step_time(extra):
        best = float("inf")
        for _ in range(a.repeat):
            out = run([hrun, path, "--iterations=%d" % a.iterations, "--verify", "--report"] + extra)
            if "verify: OK" not in out:
                raise SystemExit("verification failed: %s" % out[-500:])
            t = float(re.search(r"report: compile [\d.]+ s \(all ranks, one JIT\), run ([\d.]+) s", out).group(1))
            best = min(best, t)
        return best / a.iterations

    base = step_time([])
    print("\nstep time (threads backend, best of %d, %d verified steps each)" % (a.repeat, a.iterations))
    print("%-22s %10s %8s" % ("schedule", "ms/step", "ratio"))
    print("%-22s %10.3f %8.2f" % ("none (1 micro-batch)", base * 1e3, 1.0))
    for m in [int(x) for x in a.micro_batches.split(",")]:
        for sched in ("gpipe", "1f1b"):
            t = step_time(["--micro-batches=%d" % m, "--schedule=%s" % sched])
            print("%-22s %10.3f %8.2f" % ("%s, %d micro-batches" % (sched, m), t * 1e3, t / base))
    os.unlink(path)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

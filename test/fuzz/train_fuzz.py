#!/usr/bin/env python3
"""Differential fuzzer for training: random training steps from
examples/gen_train.py (strategy: all-reduce, parameter server with one or
two servers, hybrid; data x model x pipeline layouts; SGD or momentum;
batch sizes; micro-batches and schedules), each trained for a few steps
with `hetu-run --verify` (every step against single-device training).
Prints one line per failing case (its command line) and a summary; exits 1
if any case failed for a reason other than a diagnostic it was meant to get.

With --autodiff, every case is a forward pass alone (gen_train.py
--forward) that hetu-autodiff turns into the step, with SGD, momentum, Adam
or AdamW: the same layouts, strategies and schedules, trained through the
pass.

    test/fuzz/train_fuzz.py --hetu-run build/bin/hetu-run --count 50 --seed 1
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "examples"))
import gen_train  # noqa: E402

SERVERS = {"dp4": ("gpu:0,gpu:1,gpu:2,gpu:3", "cpu:0,cpu:1,gpu:0,gpu:1,gpu:2,gpu:3"),
           "dmp": ('group<"gpu:0,gpu:4">} {', 'group<"cpu:0,gpu:0,gpu:4">} {'),
           "dp2-mp2": ('"(gpu:0,gpu:1),(gpu:2,gpu:3)"', '"cpu:0;(gpu:0,gpu:1);(gpu:2,gpu:3)"')}


def case(rng, autodiff=False):
    if autodiff:
        config = rng.choice(["dp4", "dp2-mp2", "dmp", "ps", "hybrid"])
        optimizer = rng.choice(["sgd", "momentum", "adam", "adamw"])
    else:
        config = rng.choice(["dp4", "dp2-mp2", "dmp", "ps", "hybrid"])
        optimizer = rng.choice(["sgd", "momentum"])
    micro, schedule = 0, None
    batch = rng.choice([4, 8, 12, 16])
    if config == "dmp" and rng.random() < 0.7:
        micro = rng.choice([m for m in (1, 2, 3, 4) if batch % m == 0])
        schedule = rng.choice(["gpipe", "1f1b"])
    if config == "dp2-mp2" and batch % 2:
        batch += 1
    text = gen_train.generate(config, batch, rng.choice([8, 16]), rng.choice([8, 32]),
                              rng.choice([2, 4]), rng.choice([0.05, 0.1]), optimizer,
                              rng.choice([0.5, 0.9]), micro, schedule,
                              forward_only=autodiff)
    servers = config in SERVERS and rng.random() < 0.4
    if servers:
        old, new = SERVERS[config]
        text = text.replace(old, new, 1)
    steps = rng.choice([2, 3])
    what = "%s%s batch=%d optimizer=%s micro=%d schedule=%s servers=%s steps=%d" % (
        config, " autodiff" if autodiff else "", batch, optimizer, micro, schedule,
        servers, steps)
    return what, text, steps


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hetu-run", required=True)
    ap.add_argument("--count", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--autodiff", action="store_true",
                    help="forward passes differentiated by hetu-autodiff")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    ok = bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(a.count):
            what, text, steps = case(rng, a.autodiff)
            path = os.path.join(tmp, "case%d.mlir" % i)
            with open(path, "w") as f:
                f.write(text)
            p = subprocess.run([a.hetu_run, path, "--iterations=%d" % steps, "--verify"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               timeout=300)
            if p.returncode == 0 and "verify: OK" in p.stdout:
                ok += 1
            else:
                bad += 1
                print("FAIL case %d: %s\n  %s" % (i, what, (p.stdout + p.stderr).strip()[-400:]))
    print("train-fuzz: %d cases: %d verified, %d failed" % (a.count, ok, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

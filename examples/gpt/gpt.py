#!/usr/bin/env python3
"""A GPT-style language model written with Hetu's API (hetu_mlir), in the
parallel layouts hetu-mlir compiles:

  single    one device
  dp        data parallel on gpu:0,gpu:1
  tp        Megatron tensor parallel on the tuple (gpu:0,gpu:1): Q, K, V
            and fc1 split by columns, the attention projection and fc2 by
            rows (one all-reduce after each, two per block forward)
  pp        two pipeline stages (gpu:0: embeddings and the first half of
            the blocks; gpu:1: the rest, the head and the loss), 1F1B
  dp-tp-pp  data x tensor x pipeline on 8 ranks: 2 replicas of two stages,
            each stage a 2-device Megatron tuple, 1F1B
  hybrid    Hetu's hybrid: the token embedding through the parameter
            server cpu:0, every other parameter all-reduced between the
            workers gpu:0,gpu:1

The model: token and position embeddings, pre-LN blocks of causal multi-head
attention and a GELU MLP with residuals, a final layer norm, an LM head and
the sparse softmax cross entropy of the next token, trained with Adam.
Tokens and labels are fed as floats (Hetu's convention).

    gpt.py --layout tp --emit            # the module (examples/gpt/gpt_tp.mlir)
    gpt.py --layout dp --train 100       # train in process on a repeated pattern
    gpt.py --layout dp-tp-pp --verify 3  # 3 steps, each against single-device training
"""

import argparse
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "python"))

import hetu_mlir as ht  # noqa: E402

LAYOUTS = ("single", "dp", "tp", "pp", "dp-tp-pp", "hybrid")


class Config(object):
    """Sizes (per data-parallel replica: `batch` sequences of `seq` tokens)."""

    def __init__(self, vocab=16, seq=8, d_model=16, heads=2, layers=2, batch=4, lr=1e-2):
        self.vocab, self.seq, self.d_model, self.heads = vocab, seq, d_model, heads
        self.layers, self.batch, self.lr = layers, batch, lr
        self.ffn = 4 * d_model
        self.head_dim = d_model // heads


def placement(layout, replicas=2):
    """(stage groups, whether a stage is a Megatron tuple, micro-batches,
    Executor options). `replicas` scales the data-parallel layouts."""
    R = replicas
    if layout == "single":
        return ["gpu:0"], False, {}
    if layout == "dp":
        return [",".join("gpu:%d" % r for r in range(R))], False, {}
    if layout == "tp":
        return ["(gpu:0,gpu:1)"], True, {}
    if layout == "pp":
        return ["gpu:0", "gpu:1"], False, {"pipeline": "1f1b", "micro_batches": 2}
    if layout == "dp-tp-pp":
        # Replica r: stage 0 on gpu:4r,4r+1, stage 1 on gpu:4r+2,4r+3.
        stage = lambda s: ",".join("(gpu:%d,gpu:%d)" % (4 * r + 2 * s, 4 * r + 2 * s + 1)
                                   for r in range(R))
        return [stage(0), stage(1)], True, {"pipeline": "1f1b", "micro_batches": 2}
    if layout == "hybrid":
        return ["cpu:0,gpu:0,gpu:1"], False, {"comm_mode": "Hybrid"}
    raise ValueError("unknown layout %r (one of %s)" % (layout, ", ".join(LAYOUTS)))


def causal_mask(S):
    """0 where key j <= query i, -1e9 beyond (added to the scores)."""
    return [[0.0 if j <= i else -1e9 for j in range(S)] for i in range(S)]


def build(cfg, layout, optimizer="adam", replicas=2):
    """The graph: (tokens, labels, loss, train op, executor options)."""
    stages, megatron, options = placement(layout, replicas)
    V, S, D, H, F, HD = cfg.vocab, cfg.seq, cfg.d_model, cfg.heads, cfg.ffn, cfg.head_dim
    # Which blocks each stage holds (the first stage also embeds, the last
    # also normalises, projects and takes the loss).
    per_stage = [cfg.layers // len(stages) + (1 if s < cfg.layers % len(stages) else 0)
                 for s in range(len(stages))]

    def split(w, parts):
        """A Megatron dispatch of a parameter (inside a tuple), else w."""
        return ht.dispatch(w, parts) if megatron else w

    def whole(v):
        """Partial sums of a row-split product made whole (all-reduce)."""
        return ht.dispatch(v, (1, 1)) if megatron else v

    def linear(x, w, b, parts_w, parts_b):
        return ht.add_op(ht.matmul_op(x, split(w, parts_w)), split(b, parts_b))

    def block(h, l):
        p = lambda name: "h%d_%s" % (l, name)
        g1 = ht.init.ones((D,), name=p("ln1_g"))
        b1 = ht.init.zeros((D,), name=p("ln1_b"))
        wq, wk, wv, wo = [ht.init.random_normal((D, D), stddev=0.08, name=p(n))
                          for n in ("wq", "wk", "wv", "wo")]
        # No key bias: it adds q . b_k to a whole row of scores, which the
        # softmax ignores, so its gradient is zero (rounding noise, which
        # Adam would normalise into full-size steps).
        bq, bv, bo = [ht.init.zeros((D,), name=p(n)) for n in ("bq", "bv", "bo")]
        g2 = ht.init.ones((D,), name=p("ln2_g"))
        b2 = ht.init.zeros((D,), name=p("ln2_b"))
        w1 = ht.init.random_normal((D, F), stddev=0.08, name=p("fc1_w"))
        c1 = ht.init.zeros((F,), name=p("fc1_b"))
        w2 = ht.init.random_normal((F, D), stddev=0.08, name=p("fc2_w"))
        c2 = ht.init.zeros((D,), name=p("fc2_b"))

        a = ht.layer_normalization_op(h, g1, b1, eps=1e-5)
        if megatron:
            a = ht.dispatch(a, (1, 1))  # replicated on the tuple's devices

        def heads(t):
            # (B*S, D) -> (B, H, S, HD); the split of D lands on H.
            return ht.transpose_op(ht.array_reshape_op(t, (-1, S, H, HD)), (0, 2, 1, 3))
        q = heads(linear(a, wq, bq, (1, 2), (2,)))
        k = heads(ht.matmul_op(a, split(wk, (1, 2))))
        v = heads(linear(a, wv, bv, (1, 2), (2,)))
        scores = ht.batch_matmul_op(q, k, trans_B=True) * (1.0 / math.sqrt(HD)) + mask
        ctx = ht.batch_matmul_op(ht.softmax_op(scores), v)
        ctx = ht.array_reshape_op(ht.transpose_op(ctx, (0, 2, 1, 3)), (-1, D))
        h = h + ht.add_op(whole(ht.matmul_op(ctx, split(wo, (2, 1)))), bo)

        m = ht.layer_normalization_op(h, g2, b2, eps=1e-5)
        if megatron:
            m = ht.dispatch(m, (1, 1))
        f = ht.gelu_op(linear(m, w1, c1, (1, 2), (2,)))
        return h + ht.add_op(whole(ht.matmul_op(f, split(w2, (2, 1)))), c2)

    layer = 0
    for s, group in enumerate(stages):
        with ht.context(group):
            mask = ht.Variable("mask_s%d" % s, value=causal_mask(S), trainable=False)
            if s == 0:
                tokens = ht.Variable("tokens")
                wte = ht.init.random_normal((V, D), stddev=0.1, name="wte")
                wpe = ht.init.random_normal((S, D), stddev=0.1, name="wpe")
                h = ht.embedding_lookup_op(wte, tokens) + wpe  # (B, S, D)
                h = ht.array_reshape_op(h, (-1, D))
            else:
                h = ht.dispatch(h, {})  # the previous stage's activations
            for _ in range(per_stage[s]):
                h = block(h, layer)
                layer += 1
            if s == len(stages) - 1:
                labels = ht.Variable("labels")
                gf = ht.init.ones((D,), name="lnf_g")
                bf = ht.init.zeros((D,), name="lnf_b")
                head = ht.init.random_normal((D, V), stddev=0.08, name="lm_head")
                logits = ht.matmul_op(ht.layer_normalization_op(h, gf, bf, eps=1e-5), head)
                loss = ht.reduce_mean_op(ht.softmaxcrossentropy_sparse_op(
                    logits, ht.array_reshape_op(labels, (-1,))), [0])
                if optimizer == "adam":
                    opt = ht.optim.AdamOptimizer(learning_rate=cfg.lr)
                elif optimizer == "sgd":
                    opt = ht.optim.SGDOptimizer(learning_rate=cfg.lr)
                else:
                    opt = None
                train = opt.minimize(loss) if opt else None
    return tokens, labels, loss, train, options


def corpus(cfg, rows, seed):
    """A repeated pattern: each row counts up from a random start modulo the
    vocabulary; the label is the next token. (tokens, labels) as lists."""
    import random
    rng = random.Random(seed)
    tokens, labels = [], []
    for _ in range(rows):
        start = rng.randrange(cfg.vocab)
        seq = [(start + i) % cfg.vocab for i in range(cfg.seq + 1)]
        tokens.append([float(t) for t in seq[:-1]])
        labels.append([float(t) for t in seq[1:]])
    return tokens, labels


def replicas(layout, scaled=2):
    """Data-parallel replicas of a layout (`scaled` for dp and dp-tp-pp)."""
    return {"dp": scaled, "dp-tp-pp": scaled, "hybrid": 2}.get(layout, 1)


def executor(cfg, layout, optimizer="adam", replicas=2):
    tokens, labels, loss, train, options = build(cfg, layout, optimizer, replicas)
    nodes = [loss, train] if train is not None else [loss]
    ex = ht.Executor(nodes, **options)
    return tokens, labels, ex


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--layout", choices=LAYOUTS, default="single")
    ap.add_argument("--emit", action="store_true", help="print the module")
    ap.add_argument("--write-inputs", metavar="DIR",
                    help="write every argument of the step (a batch, the first parameters)")
    ap.add_argument("--train", type=int, metavar="STEPS", help="train in process")
    ap.add_argument("--verify", type=int, metavar="STEPS",
                    help="run STEPS steps through hetu-run, each verified")
    ap.add_argument("--backend", default="threads", choices=["threads", "mpi"])
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--replicas", type=int, default=2,
                    help="data-parallel replicas of the dp and dp-tp-pp layouts "
                         "(dp-tp-pp has 4 ranks per replica)")
    a = ap.parse_args()
    if a.replicas < 1:
        ap.error("--replicas must be at least 1")
    cfg = Config(layers=a.layers)
    tokens, labels, ex = executor(cfg, a.layout, replicas=a.replicas)
    R = replicas(a.layout, a.replicas)
    x, y = corpus(cfg, cfg.batch * R, 0)
    if a.emit:
        ex._bind({tokens: x, labels: y})
        sys.stdout.write("// Written by examples/gpt/gpt.py --layout %s --emit (a test keeps it in\n"
                         "// sync): the forward loss of a %d-block GPT with hetu.autodiff (Adam).\n"
                         "// Arguments, in the order gpt.py makes them: the tokens, the parameters\n"
                         "// and the labels (%d x %d per replica, fed as floats); gpt.py\n"
                         "// --write-inputs DIR writes them all for hetu-run/hetu-launch --inputs.\n"
                         % (a.layout, cfg.layers, cfg.batch, cfg.seq))
        sys.stdout.write(ex.mlir())
        return
    if a.write_inputs:
        import numpy as np
        ex._bind({tokens: x, labels: y})
        os.makedirs(a.write_inputs, exist_ok=True)
        files = []
        for i, v in enumerate(ex._feed({tokens: x, labels: y})):
            files.append(os.path.join(a.write_inputs, "arg%d.npy" % i))
            np.save(files[-1], v)
        print(",".join(files))
        return
    if a.verify:
        loss, _ = ex.run(feed_dict={tokens: x, labels: y}, verify=True,
                         iterations=a.verify, backend=a.backend)
        print(ex.report.strip().splitlines()[-1])
        return
    for step in range(a.train or 0):
        x, y = corpus(cfg, cfg.batch * R, step)
        loss, _ = ex.run(feed_dict={tokens: x, labels: y})
        if step % 10 == 0 or step == a.train - 1:
            print("step %3d loss %.4f" % (step, float(loss.mean())))


if __name__ == "__main__":
    main()

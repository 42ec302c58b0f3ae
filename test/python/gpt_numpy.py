# examples/gpt against a NumPy GPT that shares nothing with the compiler
# (its backward checked by central differences in f64): one step's loss and
# all 35 gradients, both in f64 (to 1e-10 and 1e-9 relative), on one device
# and on 8 ranks (data x tensor x pipeline).
# RUN: %PYTHON %s | FileCheck %s
# CHECK: numpy backward vs central differences: ok (35 parameters)
# CHECK: single loss: compiled {{.*}} ok
# CHECK: single gradients: ok (35 parameters
# CHECK: dp-tp-pp loss: compiled {{.*}} ok
# CHECK: dp-tp-pp gradients: ok (35 parameters

"""examples/gpt/gpt.py against a NumPy GPT written here, which shares nothing
with the compiler: its forward and backward passes by hand in f64 (the
backward itself checked against central differences of the forward), then
one step's loss and every parameter's gradient compared with what the
compiled model returns (ht.gradients: hetu-autodiff, partitioned, run on the
ranks in process), both in f64, for the single-device and the data x tensor
x pipeline layouts."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "examples", "gpt"))
import gpt  # noqa: E402
import hetu_mlir as ht  # noqa: E402


def layer_norm(x, g, b, eps=1e-5):
    mu = x.mean(-1, keepdims=True)
    xc = x - mu
    var = (xc * xc).mean(-1, keepdims=True)
    r = 1.0 / np.sqrt(var + eps)
    return xc * r * g + b, (xc, r, g)


def layer_norm_back(dy, cache):
    xc, r, g = cache
    D = xc.shape[-1]
    xhat = xc * r
    dg = (dy * xhat).reshape(-1, D).sum(0)
    db = dy.reshape(-1, D).sum(0)
    dxhat = dy * g
    dx = r * (dxhat - dxhat.mean(-1, keepdims=True) - xhat * (dxhat * xhat).mean(-1, keepdims=True))
    return dx, dg, db


C0 = np.sqrt(2.0 / np.pi)


def gelu(x):
    return 0.5 * x * (1.0 + np.tanh(C0 * (x + 0.044715 * x ** 3)))


def gelu_back(dy, x):
    u = C0 * (x + 0.044715 * x ** 3)
    t = np.tanh(u)
    du = C0 * (1.0 + 3 * 0.044715 * x ** 2)
    return dy * (0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * du)


def forward_backward(P, tokens, labels, cfg):
    """Loss (mean over positions) and the gradient of every parameter."""
    B, S = tokens.shape
    V, D, H, HD = cfg.vocab, cfg.d_model, cfg.heads, cfg.head_dim
    tok = tokens.astype(int)
    mask = np.where(np.arange(S)[None, :] <= np.arange(S)[:, None], 0.0, -1e9).astype(
        P["wte"].dtype)
    h = (P["wte"][tok] + P["wpe"][None]).reshape(B * S, D)
    caches = []
    for l in range(cfg.layers):
        p = lambda n: P["h%d_%s" % (l, n)]
        a, ln1 = layer_norm(h, p("ln1_g"), p("ln1_b"))
        q, k, v = [(a @ p("w" + n) + (p("b" + n) if n != "k" else 0))
                   .reshape(B, S, H, HD).transpose(0, 2, 1, 3) for n in "qkv"]
        sc = q @ k.transpose(0, 1, 3, 2) / np.sqrt(HD) + mask
        sc = sc - sc.max(-1, keepdims=True)
        pr = np.exp(sc)
        pr /= pr.sum(-1, keepdims=True)
        ctx = (pr @ v).transpose(0, 2, 1, 3).reshape(B * S, D)
        h1 = h + ctx @ p("wo") + p("bo")
        m, ln2 = layer_norm(h1, p("ln2_g"), p("ln2_b"))
        f = m @ p("fc1_w") + p("fc1_b")
        h2 = h1 + gelu(f) @ p("fc2_w") + p("fc2_b")
        caches.append((h, a, ln1, q, k, v, pr, ctx, h1, m, ln2, f))
        h = h2
    z, lnf = layer_norm(h, P["lnf_g"], P["lnf_b"])
    logits = z @ P["lm_head"]
    lg = logits - logits.max(-1, keepdims=True)
    logp = lg - np.log(np.exp(lg).sum(-1, keepdims=True))
    y = labels.reshape(-1).astype(int)
    N = B * S
    loss = -logp[np.arange(N), y].mean()

    G = {}
    dlogits = np.exp(logp)
    dlogits[np.arange(N), y] -= 1.0
    dlogits /= N
    G["lm_head"] = z.T @ dlogits
    dh, G["lnf_g"], G["lnf_b"] = layer_norm_back(dlogits @ P["lm_head"].T, lnf)
    for l in reversed(range(cfg.layers)):
        p = lambda n: P["h%d_%s" % (l, n)]
        g = lambda n, v: G.__setitem__("h%d_%s" % (l, n), v)
        h, a, ln1, q, k, v, pr, ctx, h1, m, ln2, f = caches[l]
        # MLP.
        g("fc2_b", dh.sum(0))
        g("fc2_w", gelu(f).T @ dh)
        df = gelu_back(dh @ p("fc2_w").T, f)
        g("fc1_b", df.sum(0))
        g("fc1_w", m.T @ df)
        dm = df @ p("fc1_w").T
        dx, dg2, db2 = layer_norm_back(dm, ln2)
        g("ln2_g", dg2)
        g("ln2_b", db2)
        dh1 = dh + dx
        # Attention.
        g("bo", dh1.sum(0))
        g("wo", ctx.T @ dh1)
        dctx = (dh1 @ p("wo").T).reshape(B, S, H, HD).transpose(0, 2, 1, 3)
        dpr = dctx @ v.transpose(0, 1, 3, 2)
        dv = pr.transpose(0, 1, 3, 2) @ dctx
        dsc = pr * (dpr - (dpr * pr).sum(-1, keepdims=True)) / np.sqrt(HD)
        dq = dsc @ k
        dk = dsc.transpose(0, 1, 3, 2) @ q
        da = 0
        for n, d in (("q", dq), ("k", dk), ("v", dv)):
            d2 = d.transpose(0, 2, 1, 3).reshape(B * S, D)
            if n != "k":
                g("b" + n, d2.sum(0))
            g("w" + n, a.T @ d2)
            da = da + d2 @ p("w" + n).T
        dx, dg1, db1 = layer_norm_back(da, ln1)
        g("ln1_g", dg1)
        g("ln1_b", db1)
        dh = dh1 + dx
    demb = dh.reshape(B, S, D)
    G["wpe"] = demb.sum(0)
    G["wte"] = np.zeros_like(P["wte"])
    np.add.at(G["wte"], tok, demb)
    return loss, G


def loss_only(P, tokens, labels, cfg):
    return forward_backward(P, tokens, labels, cfg)[0]


def main():
    cfg = gpt.Config()
    rng = np.random.RandomState(0)
    tokens, labels = (np.array(v) for v in gpt.corpus(cfg, cfg.batch, 1))

    # 1. The NumPy backward against central differences of the NumPy forward.
    tokens_graph, labels_graph, loss_node, _, _ = gpt.build(cfg, "single", optimizer=None)
    params = ht.graph._trainable(loss_node)
    P = {p.name: rng.normal(0, 0.3, p.shape) for p in params}
    for name in P:
        if name.endswith("_g"):
            P[name] += 1.0
    loss, G = forward_backward(P, tokens, labels, cfg)
    worst = 0.0
    for name in sorted(P):
        flat = P[name].reshape(-1)
        for i in rng.choice(flat.size, min(6, flat.size), replace=False):
            old = flat[i]
            flat[i] = old + 1e-6
            up = loss_only(P, tokens, labels, cfg)
            flat[i] = old - 1e-6
            down = loss_only(P, tokens, labels, cfg)
            flat[i] = old
            fd = (up - down) / 2e-6
            # Central differences in f64 with a step of 1e-6 are good to ~1e-9.
            worst = max(worst, abs(fd - G[name].reshape(-1)[i]) / (1e-4 + abs(fd)))
    print("numpy backward vs central differences:", "ok" if worst < 1e-5 else "BAD %g" % worst,
          "(%d parameters)" % len(P))


    # 2. The compiled model's loss and gradients against NumPy's, both in f64:
    #    the single-device layout and data x tensor x pipeline on 8 ranks
    #    (whose gradients are the replicas' mean, NumPy's on the concatenated
    #    batch).
    def compiled(layout):
        tok, lab, loss_node, _, options = gpt.build(cfg, layout, optimizer=None)
        params = ht.graph._trainable(loss_node)
        options.pop("comm_mode", None)
        grads = ht.gradients(loss_node, params)
        ex = ht.Executor([loss_node] + grads, dtype="float64", **options)
        R = gpt.replicas(layout)
        t, y = (np.array(v) for v in gpt.corpus(cfg, cfg.batch * R, 2))
        feed = {tok: t, lab: y}
        feed.update({p: P[p.name] for p in params})
        out = ex.run(feed_dict=feed)
        return t, y, out[0], dict(zip((p.name for p in params), out[1:])), R


    for layout in ("single", "dp-tp-pp"):
        t, y, loss_value, grads, R = compiled(layout)
        want_loss, want = forward_backward(P, t, y, cfg)
        # Each replica's loss and gradient is on its own batch; the mean of the
        # replicas' is the concatenated batch's.
        got_loss = float(np.mean(loss_value))
        err = max(np.max(np.abs(grads[n].reshape(-1, *P[n].shape).mean(0) - want[n]))
                  / (1e-3 + np.max(np.abs(want[n]))) for n in want)
        print(layout, "loss: compiled %.12f numpy %.12f" % (got_loss, want_loss),
              "ok" if abs(got_loss - want_loss) < 1e-10 * max(1.0, want_loss) else "BAD")
        print(layout, "gradients:", "ok" if err < 1e-9 else "BAD %g" % err,
              "(%d parameters, worst relative error %.1e)" % (len(want), err))


if __name__ == "__main__":
    main()

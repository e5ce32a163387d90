#!/usr/bin/env python3
"""Check that the two peers compute the same function, not just similar shapes.

Builds the TF1 graph (NHWC) and the PyTorch model (NCHW), copies the TF variables into
the PyTorch parameters, then compares logits and every variable's gradient on the same
batch with dropout off. A mismatch in SAME padding, the
post-add bias, the shortcut or the flatten order shows up as a large difference.

Run: bench/.venv/bin/python bench/python/check_equivalence.py
Exit status 0 when every comparison is within tolerance.
"""

import os
import sys

PEERS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "peers")
sys.path.insert(0, PEERS)
# The peers parse the command line at import; give them a plain one.
sys.argv = [sys.argv[0], "--preset", "default", "--threads", "2"]

import numpy as np  # noqa: E402
import peer_common as pc  # noqa: E402
import tf1_seed  # noqa: E402  (disables TF2 behaviour; `tf` below is tf.compat.v1)
import torch_resnet  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

tf = tf1_seed.tf


def tf_to_torch(name, value):
    """Convert one TF variable (NHWC layout) to the matching PyTorch tensor."""
    if value.ndim == 4:  # conv kernel [kh, kw, cin, cout] -> [cout, cin, kh, kw]
        return value.transpose(3, 2, 0, 1)
    if value.ndim == 2:  # dense [in, out] -> [out, in]
        if value.shape[0] == 7 * 7 * 256:
            # fc1's inputs are flattened H,W,C in TF but C,H,W in PyTorch.
            value = value.reshape(7, 7, 256, -1).transpose(2, 0, 1, 3).reshape(12544, -1)
        return value.T
    return value


def main():
    data = pc.load_mnist(pc.DEFAULT_DATA_DIR)
    x_val, y_val = data["validation"]
    probe = x_val[1000:1100]

    g = tf1_seed.build_graph()
    model = torch_resnet.SeedResNet()
    # Parameters in the order tf1_seed.py creates its variables. (named_parameters()
    # would list each block's own b_add before its convs.)
    order = ["stem.weight", "stem.bias"]
    for blk in ("res2a", "res2b", "res2c"):
        for c in ("c1", "c2", "c3"):
            order += [f"{blk}.{c}.weight", f"{blk}.{c}.bias"]
        order += ([f"{blk}.shortcut.weight"] if blk == "res2a" else []) + [f"{blk}.b_add"]
    order += ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
    named = dict(model.named_parameters())
    assert sorted(order) == sorted(named)
    t_params = [(n, named[n]) for n in order]
    worst = 0.0
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        tf_vars = tf.trainable_variables()
        assert len(tf_vars) == len(t_params), (len(tf_vars), len(t_params))
        with torch.no_grad():
            for v, (name, p) in zip(tf_vars, t_params):
                value = tf_to_torch(name, sess.run(v))
                assert tuple(value.shape) == tuple(p.shape), (v.name, name)
                p.copy_(torch.from_numpy(np.ascontiguousarray(value)))

        def compare(label):
            nonlocal worst
            a = sess.run(g["logits"], {g["x"]: probe, g["keep_prob"]: 1.0})
            with torch.no_grad():
                b = model(torch.from_numpy(probe), keep_prob=1.0).numpy()
            rel = np.abs(a - b).max() / np.abs(a).max()
            agree = (a.argmax(1) == b.argmax(1)).mean()
            worst = max(worst, rel)
            print(f"{label}: max |dlogit| / max |logit| = {rel:.2e}, "
                  f"argmax agreement {agree:.0%}")

        compare("logits at init")

        # Gradients of the same loss on the same batch, variable by variable: this is
        # the backward pass both peers time, compared without Adam in the way.
        xb, yb = x_val[:32], y_val[:32]
        feed = {g["x"]: xb, g["y_"]: pc.one_hot(yb), g["keep_prob"]: 1.0}
        tf_grads = sess.run(tf.gradients(g["loss"], tf_vars), feed)
        model.zero_grad()
        # The same loss as each peer trains: the default preset's label smoothing included.
        F.cross_entropy(model(torch.from_numpy(xb), keep_prob=1.0),
                        torch.from_numpy(yb), label_smoothing=torch_resnet.ARGS.label_smoothing).backward()
        grad_rel = 0.0
        for gv, (name, p) in zip(tf_grads, t_params):
            a = tf_to_torch(name, gv)
            grad_rel = max(grad_rel, float(np.abs(a - p.grad.numpy()).max()
                                           / (np.abs(a).max() + 1e-30)))
        worst = max(worst, grad_rel)
        print(f"gradients at init: worst max |dgrad| / max |grad| over variables = "
              f"{grad_rel:.2e}")

    # fp32 with different summation orders (TF's oneDNN vs PyTorch's kernels) leaves
    # ~1e-6..1e-4 relative; a structural mismatch gives differences of order 1.
    ok = worst < 1e-3
    print("OK" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The seed network in PyTorch on CPU: a second, independent peer for the benchmark.

Same network, init, optimiser, batch order and output as tf1_seed.py (see
shared/SEED-MODEL.md). Layout is NCHW, PyTorch's native one. TensorFlow's SAME padding
is reproduced by hand for each layer, and here it is always symmetric:
  stem conv 2x2 stride 2 on 28x28: SAME needs no padding (14*2 = 28);
  max pool 3x3 stride 1: one pixel each side, padded with -inf (as MaxPool2d does);
  conv 3x3 stride 1: one pixel each side, zeros;
  max pool 2x2 stride 2 on 14x14: no padding.
The only other difference from the TF graph is the flatten order before fc1 (C,H,W
here, H,W,C there): a fixed permutation of fc1's inputs that makes no difference when
the weights are drawn i.i.d.

Run `bench/python/setup_venv.sh` first, then e.g.
  bench/.venv/bin/python bench/peers/torch_resnet.py --preset default --json
"""

import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer_common as pc  # noqa: E402  (must precede numpy/torch: sets thread env)

ARGS = pc.parse_args("pytorch")
WALL_START = time.perf_counter()

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

# Both must be set before torch runs any parallel work; the inter-op setter raises
# if called later.
torch.set_num_threads(ARGS.threads)
torch.set_num_interop_threads(ARGS.threads)


def init_params(module, init, dense_scale=1.0):
    """Apply the preset's init to every conv/linear weight and every bias-like vector;
    fc1's and fc2's weights with dense_scale x the scheme's sigma, as the trainer does."""
    for name, p in module.named_parameters():
        scale = dense_scale if name.startswith(("fc1.", "fc2.")) else 1.0
        if p.dim() == 1:  # conv/linear biases and the post-add biases
            nn.init.constant_(p, 0.1 if init == "seed" else 0.0)
        elif init == "seed":
            # tf.truncated_normal(stddev=0.1): re-draw beyond 2 sigma. trunc_normal_'s
            # a/b are absolute bounds, hence +-0.2.
            nn.init.trunc_normal_(p, mean=0.0, std=0.1 * scale, a=-0.2 * scale, b=0.2 * scale)
        else:
            # He-normal, untruncated. fan_in = cin*kh*kw for conv, in_features for linear.
            fan_in = p[0].numel()
            nn.init.normal_(p, mean=0.0, std=math.sqrt(2.0 / fan_in) * scale)


def conv(cin, cout, k, stride=1, bias=True):
    # SAME for the odd kernels used here (1, 3) at stride 1 is k//2 on each side; the
    # only even kernel is the stem's, whose SAME padding is zero (see module docstring).
    pad = k // 2 if k % 2 == 1 else 0
    return nn.Conv2d(cin, cout, k, stride=stride, padding=pad, bias=bias)


class IdentityBlock(nn.Module):
    def __init__(self, k, channels, filters):
        super().__init__()
        f1, f2, f3 = filters
        assert channels == f3
        self.c1, self.c2, self.c3 = conv(channels, f1, 1), conv(f1, f2, k), conv(f2, f3, 1)
        self.b_add = nn.Parameter(torch.empty(f3))

    def forward(self, x):
        h = F.relu(self.c1(x))
        h = F.relu(self.c2(h))
        # Seed quirks, kept on purpose: ReLU on the third conv before the add, and a
        # separate bias after the add.
        h = F.relu(self.c3(h))
        return F.relu(h + x + self.b_add.view(1, -1, 1, 1))


class ConvolutionalBlock(nn.Module):
    def __init__(self, k, channels, filters, stride):
        super().__init__()
        f1, f2, f3 = filters
        self.c1 = conv(channels, f1, 1, stride)
        self.c2, self.c3 = conv(f1, f2, k), conv(f2, f3, 1)
        # Projection shortcut: 1x1, same stride, VALID (no padding), no bias.
        self.shortcut = nn.Conv2d(channels, f3, 1, stride=stride, padding=0, bias=False)
        self.b_add = nn.Parameter(torch.empty(f3))

    def forward(self, x):
        h = F.relu(self.c1(x))
        h = F.relu(self.c2(h))
        h = F.relu(self.c3(h))
        return F.relu(h + self.shortcut(x) + self.b_add.view(1, -1, 1, 1))


class SeedResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = conv(1, 64, 2, stride=2)
        self.res2a = ConvolutionalBlock(3, 64, [64, 64, 256], stride=1)
        self.res2b = IdentityBlock(3, 256, [64, 64, 256])
        self.res2c = IdentityBlock(3, 256, [64, 64, 256])
        self.fc1 = nn.Linear(7 * 7 * 256, 1024)
        self.fc2 = nn.Linear(1024, 10)

    def forward(self, x, keep_prob):
        h = x.view(-1, 1, 28, 28)
        h = F.relu(self.stem(h))                                     # 64x14x14
        h = F.max_pool2d(h, 3, stride=1, padding=1)                  # -inf padding
        h = self.res2c(self.res2b(self.res2a(h)))                    # 256x14x14
        h = F.max_pool2d(h, 2, stride=2)                             # 256x7x7
        h = F.relu(self.fc1(h.flatten(1)))
        # keep_prob rather than module.train()/eval(): mirrors the TF placeholder.
        if keep_prob < 1.0:
            h = F.dropout(h, p=1.0 - keep_prob, training=True)
        return self.fc2(h)


def main():
    torch.manual_seed(ARGS.seed)
    data = pc.load_mnist(ARGS.data_dir)
    x_train = torch.from_numpy(data["train"][0])
    y_train = torch.from_numpy(data["train"][1])

    model = SeedResNet()
    init_params(model, ARGS.init, ARGS.dense_init_scale)
    n_params = sum(p.numel() for p in model.parameters())
    assert n_params == 13_071_562, n_params  # SEED-MODEL.md's count
    # fused=True: one in-place kernel per parameter, like TF's ApplyAdam. The default
    # for-loop Adam allocates several 51 MB temporaries per step for fc1 alone and was
    # ~8x slower (60 ms vs 7.5 ms a step here), dominating the batch-10 step time.
    # Two parameter groups: the convolutions, and fc1/fc2 at their own multiple of the rate;
    # each group's rate is set every step from pc.learning_rates_at (the trainer's schedule).
    dense = list(model.fc1.parameters()) + list(model.fc2.parameters())
    conv = [p for p in model.parameters() if all(p is not d for d in dense)]
    opt = torch.optim.Adam([{"params": conv}, {"params": dense}], lr=ARGS.learning_rate,
                           betas=(0.9, 0.999), eps=ARGS.adam_epsilon, fused=True)
    batcher = pc.Batcher(x_train.shape[0], ARGS.batch_size, ARGS.seed)
    rep = pc.Reporter(ARGS, "pytorch")

    rep.start_loop()
    for step in range(1, ARGS.steps + 1):
        t0 = time.perf_counter()
        idx = torch.from_numpy(batcher.next_indices())
        xb, yb = x_train[idx], y_train[idx]
        for group, rate in zip(opt.param_groups, pc.learning_rates_at(ARGS, step)):
            group["lr"] = rate
        logits = model(xb, keep_prob=ARGS.keep_prob)
        # Mean softmax CE, as in the TF graph; PyTorch smooths as (1 - e) * one-hot + e / 10 too.
        loss = F.cross_entropy(logits, yb, label_smoothing=ARGS.label_smoothing)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        log = step % ARGS.log_every == 0 or step == ARGS.steps
        # CPU execution is synchronous, so the clock is honest without a sync; .item()
        # is only called on log steps, to keep the loop free of read-backs.
        rep.add_step(time.perf_counter() - t0)
        if log:
            t1 = time.perf_counter()
            with torch.no_grad():
                acc = (model(xb, keep_prob=1.0).argmax(1) == yb).float().mean().item()
            rep.progress(step, loss.item(), acc, time.perf_counter() - t1)
    rep.end_loop()

    test_acc = None
    if ARGS.eval_test:
        x_test = torch.from_numpy(data["test"][0])
        y_test = torch.from_numpy(data["test"][1])
        correct = 0
        with torch.no_grad():
            for i in range(0, x_test.shape[0], pc.EVAL_BATCH):
                pred = model(x_test[i:i + pc.EVAL_BATCH], keep_prob=1.0).argmax(1)
                correct += (pred == y_test[i:i + pc.EVAL_BATCH]).sum().item()
        test_acc = correct / x_test.shape[0]

    rep.summary(WALL_START, test_acc, {
        "numpy": np.__version__, "torch": torch.__version__,
        "mkldnn": torch.backends.mkldnn.is_available()})


if __name__ == "__main__":
    main()

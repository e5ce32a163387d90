#!/usr/bin/env python3
"""The seed network in the seed tutorial's own style: TensorFlow 1.x graph code.

Placeholders, tf.Variable weights, one Session and a feed_dict per step, run through
tf.compat.v1 on tensorflow-cpu 2.15.1 (the release libtensorflow under tfjs-node comes
from). This is the reference for "what the tutorial's program costs on this machine".

It builds the network the tutorial intended (see shared/SEED-MODEL.md), not the
published program's slip that reuses the input placeholder's Python name for later
layers. Layout is NHWC, as in the tutorial.

Run `bench/python/setup_venv.sh` first, then e.g.
  bench/.venv/bin/python bench/peers/tf1_seed.py --preset default --json
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer_common as pc  # noqa: E402  (must precede numpy/tensorflow: sets thread env)

ARGS = pc.parse_args("tf1-seed")
WALL_START = time.perf_counter()

import numpy as np  # noqa: E402
import tensorflow.compat.v1 as tf  # noqa: E402

tf.logging.set_verbosity(tf.logging.ERROR)  # the TF1 APIs are deprecated; we know
tf.disable_v2_behavior()  # graph mode, placeholders, Sessions: the TF1 program model


# --- parameters -------------------------------------------------------------------

def weight_variable(shape, scale=1.0):
    # scale: --dense-init-scale for fc1's and fc2's kernels, as the trainer draws them.
    if ARGS.init == "seed":
        # The tutorial's init. tf.truncated_normal re-draws values beyond 2 sigma.
        initial = tf.truncated_normal(shape, stddev=0.1 * scale)
    else:
        # He-normal, untruncated: fan_in is every input the unit sees (kh*kw*cin for a
        # conv kernel [kh,kw,cin,cout], the input width for a dense [in,out] matrix).
        fan_in = int(np.prod(shape[:-1]))
        initial = tf.random_normal(shape, stddev=np.sqrt(2.0 / fan_in) * scale)
    return tf.Variable(initial)


def bias_variable(shape):
    value = 0.1 if ARGS.init == "seed" else 0.0
    return tf.Variable(tf.constant(value, shape=shape))


# --- layers -----------------------------------------------------------------------

def conv2d(x, W, stride=1, padding="SAME"):
    return tf.nn.conv2d(x, W, strides=[1, stride, stride, 1], padding=padding)


def conv_bias_relu(x, k, cin, cout, stride=1):
    W = weight_variable([k, k, cin, cout])
    b = bias_variable([cout])
    return tf.nn.relu(conv2d(x, W, stride) + b)


def identity_block(x, k, filters):
    f1, f2, f3 = filters
    cin = int(x.shape[-1])
    h = conv_bias_relu(x, 1, cin, f1)
    h = conv_bias_relu(h, k, f1, f2)
    # The seed keeps a ReLU on the third conv *before* the add, then a separate bias
    # after the add. Both are unusual for a ResNet and are reproduced on purpose.
    h = conv_bias_relu(h, 1, f2, f3)
    b_add = bias_variable([f3])
    return tf.nn.relu(h + x + b_add)


def convolutional_block(x, k, filters, stride):
    f1, f2, f3 = filters
    cin = int(x.shape[-1])
    h = conv_bias_relu(x, 1, cin, f1, stride)
    h = conv_bias_relu(h, k, f1, f2)
    h = conv_bias_relu(h, 1, f2, f3)
    # Projection shortcut: 1x1, same stride, VALID, and no bias of its own.
    W_s = weight_variable([1, 1, cin, f3])
    shortcut = conv2d(x, W_s, stride, padding="VALID")
    b_add = bias_variable([f3])
    return tf.nn.relu(h + shortcut + b_add)


def build_graph():
    tf.set_random_seed(ARGS.seed)

    x = tf.placeholder(tf.float32, [None, 784])
    y_ = tf.placeholder(tf.float32, [None, 10])
    keep_prob = tf.placeholder(tf.float32)

    x_image = tf.reshape(x, [-1, 28, 28, 1])
    h = conv_bias_relu(x_image, 2, 1, 64, stride=2)                        # 14x14x64
    h = tf.nn.max_pool(h, ksize=[1, 3, 3, 1], strides=[1, 1, 1, 1], padding="SAME")
    h = convolutional_block(h, 3, [64, 64, 256], stride=1)                 # res2a
    h = identity_block(h, 3, [64, 64, 256])                                # res2b
    h = identity_block(h, 3, [64, 64, 256])                                # res2c
    h = tf.nn.max_pool(h, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    h = tf.reshape(h, [-1, 7 * 7 * 256])                                   # 12544

    W_fc1 = weight_variable([7 * 7 * 256, 1024], ARGS.dense_init_scale)
    b_fc1 = bias_variable([1024])
    h = tf.nn.relu(tf.matmul(h, W_fc1) + b_fc1)
    # rate = 1 - keep_prob: the TF2-era spelling of the tutorial's keep_prob argument.
    h = tf.nn.dropout(h, rate=1.0 - keep_prob)

    W_fc2 = weight_variable([1024, 10], ARGS.dense_init_scale)
    b_fc2 = bias_variable([10])
    y_conv = tf.matmul(h, W_fc2) + b_fc2

    # _v2 is the non-deprecated spelling; with placeholder labels it is the same loss. The
    # targets are smoothed as tf.losses.softmax_cross_entropy(label_smoothing=e) does it.
    eps = ARGS.label_smoothing
    targets = y_ * (1.0 - eps) + eps / 10.0 if eps > 0 else y_
    cross_entropy = tf.reduce_mean(
        tf.nn.softmax_cross_entropy_with_logits_v2(labels=targets, logits=y_conv))
    # The learning rates are fed each step (pc.learning_rates_at): one Adam for the convolutions
    # and one for fc1/fc2, which may train at their own multiple of the rate. Each keeps its own
    # beta powers; both step every update, so the maths is one Adam with two rates.
    lr_conv = tf.placeholder(tf.float32, [])
    lr_dense = tf.placeholder(tf.float32, [])
    dense_vars = [W_fc1, b_fc1, W_fc2, b_fc2]
    conv_vars = [v for v in tf.trainable_variables() if all(v is not d for d in dense_vars)]
    grads = tf.gradients(cross_entropy, conv_vars + dense_vars)
    adam = dict(beta1=0.9, beta2=0.999, epsilon=ARGS.adam_epsilon)
    train_step = tf.group(
        tf.train.AdamOptimizer(lr_conv, **adam).apply_gradients(list(zip(grads[:len(conv_vars)], conv_vars))),
        tf.train.AdamOptimizer(lr_dense, **adam).apply_gradients(list(zip(grads[len(conv_vars):], dense_vars))))
    correct = tf.equal(tf.argmax(y_conv, 1), tf.argmax(y_, 1))
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
    n_correct = tf.reduce_sum(tf.cast(correct, tf.float32))
    n_params = sum(int(np.prod(v.shape)) for v in tf.trainable_variables())
    return dict(x=x, y_=y_, keep_prob=keep_prob, lr_conv=lr_conv, lr_dense=lr_dense, logits=y_conv, loss=cross_entropy,
                train=train_step,
                accuracy=accuracy, n_correct=n_correct, n_params=n_params)


def main():
    data = pc.load_mnist(ARGS.data_dir)
    x_train, y_train = data["train"]
    y_train_1h = pc.one_hot(y_train)
    g = build_graph()
    assert g["n_params"] == 13_071_562, g["n_params"]  # SEED-MODEL.md's count

    config = tf.ConfigProto(intra_op_parallelism_threads=ARGS.threads,
                            inter_op_parallelism_threads=ARGS.threads)
    batcher = pc.Batcher(x_train.shape[0], ARGS.batch_size, ARGS.seed)
    rep = pc.Reporter(ARGS, "tf1-seed")
    x, y_, keep_prob = g["x"], g["y_"], g["keep_prob"]

    with tf.Session(config=config) as sess:
        sess.run(tf.global_variables_initializer())
        rep.start_loop()
        for step in range(1, ARGS.steps + 1):
            t0 = time.perf_counter()
            idx = batcher.next_indices()
            conv_rate, dense_rate = pc.learning_rates_at(ARGS, step)
            feed = {x: x_train[idx], y_: y_train_1h[idx], keep_prob: ARGS.keep_prob,
                    g["lr_conv"]: conv_rate, g["lr_dense"]: dense_rate}
            log = step % ARGS.log_every == 0 or step == ARGS.steps
            if log:
                # Fetching the loss with the train op costs nothing extra: it is the
                # same forward pass (dropout on, before this step's update).
                _, loss = sess.run([g["train"], g["loss"]], feed_dict=feed)
            else:
                sess.run(g["train"], feed_dict=feed)  # no read-back on ordinary steps
            rep.add_step(time.perf_counter() - t0)
            if log:
                t1 = time.perf_counter()
                feed[keep_prob] = 1.0
                acc = sess.run(g["accuracy"], feed_dict=feed)
                rep.progress(step, loss, acc, time.perf_counter() - t1)
        rep.end_loop()

        test_acc = None
        if ARGS.eval_test:
            x_test, y_test = data["test"]
            y_test_1h = pc.one_hot(y_test)
            correct = 0.0
            for i in range(0, x_test.shape[0], pc.EVAL_BATCH):
                correct += sess.run(g["n_correct"], feed_dict={
                    x: x_test[i:i + pc.EVAL_BATCH], y_: y_test_1h[i:i + pc.EVAL_BATCH],
                    keep_prob: 1.0})
            test_acc = correct / x_test.shape[0]

    rep.summary(WALL_START, test_acc, {
        "numpy": np.__version__, "tensorflow": tf.__version__,
        # oneDNN kernels are on by default on x86 in TF 2.15; TF_ENABLE_ONEDNN_OPTS=0 turns
        # them off. Recorded because it changes conv speed a lot.
        "onednn": os.environ.get("TF_ENABLE_ONEDNN_OPTS", "default")})


if __name__ == "__main__":
    main()

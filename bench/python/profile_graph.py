"""Per-op time of ResNet Lab's training-step graph (written by bench/profileGraph.ts).

Loads the SavedModel into a TF1-style session on 2 intra-op threads and 1 inter-op thread (ops
one at a time, so their times add up to the step), sets the variables (He-normal weights, zero
moments), runs warm-up steps, then traces steps with RunOptions.FULL_TRACE and reports time by
op type and by node, as TensorFlow itself ran them: after Grappler's rewrites (fused ops show
as _FusedConv2D / _MklNative... kernels).
"""
import argparse
import collections
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import tensorflow.compat.v1 as tf  # noqa: E402

tf.disable_v2_behavior()

p = argparse.ArgumentParser()
p.add_argument("--graph-dir", required=True)
p.add_argument("--batch", type=int, default=64)
p.add_argument("--traced-steps", type=int, default=5)
p.add_argument("--out", required=True)
args = p.parse_args()

names = json.load(open(os.path.join(args.graph_dir, "names.json")))
rng = np.random.default_rng(1)
config = tf.ConfigProto(intra_op_parallelism_threads=2, inter_op_parallelism_threads=1)
with tf.Session(config=config) as sess:
    tf.saved_model.loader.load(sess, ["resnet_lab"], args.graph_dir)
    feeds, fetches = {}, []
    for group in ("parameters", "adamM", "adamV"):
        for v in names[group]:
            shape = v["shape"]
            if group == "parameters" and len(shape) > 1:
                value = rng.normal(0, np.sqrt(2 / np.prod(shape[:-1])), shape)
            else:
                value = np.zeros(shape)
            feeds[v["assignValue"] + ":0"] = value.astype(np.float32)
            fetches.append(v["assigned"] + ":0")
    sess.run(fetches, feeds)

    b = args.batch
    step_feed = {
        names["images"] + ":0": rng.random((b, 28, 28, 1), dtype=np.float32),
        names["oneHotLabels"] + ":0": np.eye(10, dtype=np.float32)[rng.integers(0, 10, b)],
        names["beta1Power"] + ":0": 0.9, names["beta2Power"] + ":0": 0.999,
        names["learningRate"] + ":0": 1e-3, names["denseLearningRate"] + ":0": 1e-4,
    }
    # Only a mask's shape matters for timing; its values are any 0-or-1/keep pattern.
    for m in names["dropoutMultipliers"]:
        keep = m["keepProb"]
        step_feed[m["name"] + ":0"] = (rng.random((b, *m["shape"])) < keep).astype(np.float32) / keep
    step = names["trainStep"] + ":0"
    for _ in range(5):
        sess.run(step, step_feed)
    times = []
    for _ in range(10):
        t0 = time.perf_counter()
        sess.run(step, step_feed)
        times.append(time.perf_counter() - t0)
    step_ms = sorted(times)[len(times) // 2] * 1000

    by_type, by_node = collections.Counter(), collections.Counter()
    options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
    for _ in range(args.traced_steps):
        meta = tf.RunMetadata()
        sess.run(step, step_feed, options=options, run_metadata=meta)
        for dev in meta.step_stats.dev_stats:
            for n in dev.node_stats:
                ms = (n.op_end_rel_micros - n.op_start_rel_micros) / 1000 / args.traced_steps
                label = n.timeline_label or n.node_name
                op = label.split("(")[0].split("=")[-1].strip()
                by_type[op] += ms
                by_node[n.node_name] += ms

total = sum(by_type.values())
lines = [
    f"# Where a graph training step's time goes (batch {b})", "",
    f"`npm run bench:profile -- --batch {b}` · TensorFlow {tf.__version__} · 2 intra-op threads, 1 inter-op thread · "
    f"untraced step {step_ms:.1f} ms (median of 10) · traced op time {total:.1f} ms (mean of {args.traced_steps}).", "",
    "## By op type (after Grappler and oneDNN rewrites)", "", "| op | ms per step | share |", "|---|---|---|",
]
lines += [f"| {op} | {ms:.2f} | {100 * ms / total:.1f} % |" for op, ms in by_type.most_common(20)]
lines += ["", "## The 20 costliest nodes", "", "| node | ms per step |", "|---|---|"]
lines += [f"| {node} | {ms:.2f} |" for node, ms in by_node.most_common(20)]
with open(args.out, "w") as f:
    f.write("\n".join(lines) + "\n")
print("\n".join(lines))
print(f"\nwritten to {args.out}")

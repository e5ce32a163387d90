#!/usr/bin/env python3
"""Measure this machine's fp32 matrix-multiply rate: the roofline for the peers.

Best of N (default 7) products of two 2048x2048 float32 matrices through numpy's BLAS,
on --threads threads (default 2), printed as one JSON line:
  {"gflops": ..., "method": ..., "threads": 2, ...}
With --torch, torch.mm is measured the same way and reported under "torch".

OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE may be set on these machines because older
OpenBLAS builds compute wrong results on their processors. This script leaves them as
they are and reports them, along with the BLAS kernel that threadpoolctl says runs:
the number is what this environment delivers, not the processor's peak.

Training the seed model costs ~328 MFLOP per image (shared/SEED-MODEL.md), so
images/s at the roofline ~= gflops * 1e9 / 328e6.

Run: bench/.venv/bin/python bench/python/roofline.py [--threads 2] [--torch]
"""

import argparse
import json
import os
import sys
import time

p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
p.add_argument("--threads", type=int, default=2)
p.add_argument("--size", type=int, default=2048)
p.add_argument("--repeats", type=int, default=7)
p.add_argument("--torch", action="store_true", help="also measure torch.mm")
args = p.parse_args()

# Before numpy loads: OpenBLAS sizes its pool from these at load time.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(args.threads)

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402

TRAIN_FLOP_PER_IMAGE = 328e6


def cpu_marks():
    """(machine-wide busy CPU s, this process's CPU s, wall s), to spot contention."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    t = os.times()
    return ((sum(v[0:3]) + sum(v[5:7])) / os.sysconf("SC_CLK_TCK"), t.user + t.system,
            time.perf_counter())


def best_gflops(matmul, a, b):
    """Best-of-N rate, and the cores other processes used meanwhile.

    The machine is shared; best-of-N already resists a busy neighbour, but a run
    with otherCpuLoad near 1 should be repeated.
    """
    matmul(a, b)  # warm-up: first call pays for thread start-up and page faults
    best = float("inf")
    m0 = cpu_marks()
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        matmul(a, b)
        best = min(best, time.perf_counter() - t0)
    m1 = cpu_marks()
    other = max(0.0, (m1[0] - m0[0]) - (m1[1] - m0[1])) / (m1[2] - m0[2])
    return 2.0 * args.size ** 3 / best / 1e9, round(other, 2)


rng = np.random.default_rng(0)
a = rng.standard_normal((args.size, args.size), dtype=np.float32)
b = rng.standard_normal((args.size, args.size), dtype=np.float32)

with threadpool_limits(limits=args.threads):
    blas = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    out_buf = np.empty_like(a)
    gflops, other = best_gflops(lambda x, y: np.matmul(x, y, out=out_buf), a, b)

lib = blas[0] if blas else {}
result = {
    "gflops": round(gflops, 1),
    "method": f"numpy.matmul float32 {args.size}^3, best of {args.repeats} "
              f"({lib.get('internal_api', 'unknown BLAS')} {lib.get('version', '')})".strip(),
    "threads": args.threads,
    "blasKernel": lib.get("architecture"),
    "env": {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")},
    "rooflineImagesPerSec": round(gflops * 1e9 / TRAIN_FLOP_PER_IMAGE, 1),
    "otherCpuLoad": other,
    "versions": {"python": sys.version.split()[0], "numpy": np.__version__},
}

if args.torch:
    import torch

    torch.set_num_threads(args.threads)
    ta, tb = torch.from_numpy(a), torch.from_numpy(b)
    tout = torch.empty_like(ta)
    t_gflops, t_other = best_gflops(lambda x, y: torch.mm(x, y, out=tout), ta, tb)
    result["torch"] = {"gflops": round(t_gflops, 1), "method": "torch.mm",
                       "otherCpuLoad": t_other}
    result["versions"]["torch"] = torch.__version__

print(json.dumps(result))

#!/usr/bin/env python3
"""Run the Python peers side by side and summarise their throughput.

This machine is shared (other engineers' builds, installs, browsers and training runs
come and go), and two cores leave no headroom: one stray process halves a figure. So:
  - each peer cuts its run into windows and records the foreign CPU load of each
    (see peer_common.Reporter);
  - this script pools, per peer and configuration, the windows after each run's first
    (warm-up) one in which other processes used at most --quiet-load cores, and reports
    the median images/s over those;
  - runs are interleaved (A, B, A, B, ...), each starts only once the machine looks
    quiet, and a configuration is re-run until it has --min-quiet windows (or
    --max-runs runs).

Example (what the peer comparison in the report used):
  bench/.venv/bin/python bench/python/run_peers.py \\
      --config seed:10:300 --config default:64:200 --out /tmp/peers.jsonl
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = {
    "tf1-seed": os.path.join(HERE, "..", "peers", "tf1_seed.py"),
    "pytorch": os.path.join(HERE, "..", "peers", "torch_resnet.py"),
}


def busy_cores(seconds):
    """Average cores busy machine-wide over `seconds` (from /proc/stat)."""
    def snap():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return sum(v[0:3]) + sum(v[5:7])
    a = snap()
    time.sleep(seconds)
    return (snap() - a) / os.sysconf("SC_CLK_TCK") / seconds


def wait_quiet(threshold, max_wait):
    start = time.time()
    while True:
        load = busy_cores(2.0)
        if load <= threshold or time.time() - start > max_wait:
            return load
        print(f"  waiting for a quiet machine (busy {load:.2f} cores)", file=sys.stderr)


def quiet_windows(summary, max_load):
    rates = summary["windowImagesPerSec"][1:]
    loads = summary["windowOtherCpuLoad"][1:]
    return [r for r, load in zip(rates, loads) if load is not None and load <= max_load]


def main():
    p = argparse.ArgumentParser(description="interleaved peer throughput runs")
    p.add_argument("--config", action="append", default=[],
                   help="PRESET:BATCH:STEPS (repeatable); default seed:10:300 and "
                        "default:64:200")
    p.add_argument("--peers", default="tf1-seed,pytorch")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--log-every", type=int, default=20,
                   help="steps per timing window (passed to the peers)")
    p.add_argument("--quiet-load", type=float, default=0.2,
                   help="max foreign cores for a window to count as quiet")
    p.add_argument("--min-quiet", type=int, default=8,
                   help="quiet windows wanted per peer and configuration")
    p.add_argument("--max-runs", type=int, default=6)
    p.add_argument("--max-wait", type=float, default=120,
                   help="seconds to wait for a quiet machine before a run")
    p.add_argument("--out", help="append every summary JSON line to this file")
    args = p.parse_args()

    configs = args.config or ["seed:10:300", "default:64:200"]
    peers = args.peers.split(",")
    jobs = [(cfg, peer) for cfg in configs for peer in peers]
    results = {job: [] for job in jobs}

    def pending():
        return [j for j in jobs if len(results[j]) < args.max_runs and sum(
            len(quiet_windows(s, args.quiet_load)) for s in results[j]) < args.min_quiet]

    while pending():
        for cfg, peer in pending():
            preset, batch, steps = cfg.split(":")
            wait_quiet(args.quiet_load + 0.05, args.max_wait)
            cmd = [sys.executable, PEERS[peer], "--preset", preset,
                   "--batch-size", batch, "--steps", steps,
                   "--threads", str(args.threads), "--log-every", str(args.log_every),
                   "--json", "--no-eval-test"]
            proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
            summary = json.loads(proc.stdout.strip().splitlines()[-1])
            results[(cfg, peer)].append(summary)
            q = quiet_windows(summary, args.quiet_load)
            print(f"  {peer:9s} {cfg:16s} steady {summary['steadyImagesPerSec']:7.1f} "
                  f"img/s, {len(q)} quiet windows, other load "
                  f"{summary['otherCpuLoad']}", file=sys.stderr)
            if args.out:
                with open(args.out, "a") as f:
                    f.write(json.dumps(summary) + "\n")

    print(f"{'peer':9s} {'preset':8s} {'batch':>5s} {'quiet img/s':>12s} "
          f"{'(windows)':>9s} {'all-window img/s':>17s} {'runs':>5s}")
    for cfg, peer in jobs:
        preset, batch, _ = cfg.split(":")
        rs = results[(cfg, peer)]
        q = [r for s in rs for r in quiet_windows(s, args.quiet_load)]
        allw = [r for s in rs for r in s["windowImagesPerSec"][1:]]
        qs = f"{statistics.median(q):12.1f}" if q else f"{'n/a':>12s}"
        print(f"{peer:9s} {preset:8s} {batch:>5s} {qs} {len(q):9d} "
              f"{statistics.median(allw):17.1f} {len(rs):5d}")


if __name__ == "__main__":
    main()

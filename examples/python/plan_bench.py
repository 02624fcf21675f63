#!/usr/bin/env python3
"""Python-side ``plan()`` throughput against the Rust example on the same input.

Builds the cluster ``place_bench`` builds (N instances with
``Conflicts=*@%i.service``, a quarter needing a zone, on M machines in 4
zones), times ``Cluster.plan()``, runs the Rust example with the same sizes
(its ``plan()`` on that cluster, and for scale its bare placement loop) and
prints one JSON line with the rates and the ratio Rust ``plan()`` over
Python ``plan()`` (target: <= 1.5).

    python3 examples/python/plan_bench.py [--machines 1000] [--units 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from flotta.scheduler import Cluster

ZONES = 4


def build(machines: int, units: int) -> Cluster:
    ports = max(units // 100, 1)
    c = Cluster()
    for i in range(machines):
        c.add_machine(f"{i:032x}", metadata={"zone": f"z{i % ZONES}"})
    for k in range(units):
        port = 8000 + k % ports
        meta = {"zone": [f"z{(k // 4) % ZONES}"]} if k % 4 == 0 else None
        c.add_unit(f"app.{k // ports}@{port}.service", conflicts=[f"*@{port}.service"], metadata=meta)
    return c


def rust_rates(machines: int, units: int) -> tuple[float, float]:
    """place_bench's (plan() per s, placement loop per s incl. index build)."""
    repo = Path(__file__).resolve().parents[2]
    target = Path(os.environ.get("CARGO_TARGET_DIR", repo / "target"))
    exe = Path(os.environ.get("FLOTTA_PLACE_BENCH", target / "release" / "examples" / "place_bench"))
    if not exe.exists():
        raise SystemExit(f"{exe} is missing: cargo build --release -p flotta-scheduler --examples")
    out = subprocess.run([str(exe), "--machines", str(machines), "--units", str(units)],
                         check=True, capture_output=True, text=True, timeout=600)
    line = json.loads(out.stdout.strip().splitlines()[-1])
    return float(line["plan_per_s"]), float(line["placements_per_s_incl_index_build"])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--machines", type=int, default=1_000)
    p.add_argument("--units", type=int, default=100_000)
    p.add_argument("--runs", type=int, default=1 if os.environ.get("FLOTTA_BENCH_QUICK") else 3)
    args = p.parse_args()

    cluster = build(args.machines, args.units)
    best = float("inf")
    placed = 0
    for _ in range(args.runs):
        t = time.perf_counter()
        plan = cluster.plan()
        placed = plan.placed
        best = min(best, time.perf_counter() - t)
    py = args.units / best
    # The same plan() call with no Python in the loop, in this process.
    same_call = args.units / min(cluster._native.rust_plan_seconds() for _ in range(args.runs))
    # The Rust example's plan() on the same cluster is the baseline; its
    # bare placement loop (no actions, reasons or explanations) is shown
    # for scale.
    rust, place = rust_rates(args.machines, args.units)
    ratio = rust / py
    print(json.dumps({
        "bench": "python/plan", "machines": args.machines, "units": args.units, "placed": placed,
        "plan_per_s": round(py),
        "baseline": {"rust_example_plan_per_s": round(rust), "rust_place_loop_per_s": round(place),
                     "in_process_rust_plan_per_s": round(same_call)},
        "ratio_rust_plan_over_python": round(ratio, 2),
        "ratio_place_loop_over_python": round(place / py, 2),
        "target": 1.5, "within_target": ratio <= 1.5,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())

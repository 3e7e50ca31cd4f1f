"""Benchmark the dependency graph on a generated ledger of many focus items, in-process.

Each generated focus depends on a few earlier ones and every third one is blocked with a return
condition naming a later one, so the graph has thousands of edges and some cycles. Times
`ledger check` (all rules), `ledger graph` (mermaid) and `ledger next --explain`, each from the
text (parsing included), best and median of several runs.

    .venv/bin/python bench/bench_graph.py [--items 1000] [--runs 7]

Target: well under a second each for 1 000 items.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

STATUSES = ("pending", "in_progress", "planning", "blocked", "done", "paused")
PRIORITIES = ("Critical", "High", "Medium", "Low")


def generate(items: int, seed: int = 7) -> str:
    """A ledger of `items` focus items with dependencies, return conditions and attempts."""
    rng = random.Random(seed)
    ids = [f"GEN-{i:04d}-FOCUS" for i in range(items)]
    out = [
        "# Generated Fix Plan Ledger",
        "",
        "**Last Updated:** 2026-01-10",
        f"**Active Focus:** {ids[0]}",
        "",
    ]
    for i, focus_id in enumerate(ids):
        deps = rng.sample(ids[:i], min(i, rng.randint(1, 4))) if i else []
        status = "blocked" if i % 3 == 0 else rng.choice(STATUSES)
        out += [
            f"## [{focus_id}] Generated focus number {i}",
            f"- Depends on: {', '.join(deps) if deps else '—'}",
            f"- Priority: {rng.choice(PRIORITIES)}",
            f"- Status: {status}",
            f"- Owner/Date: ralph/2026-01-0{1 + i % 9}",
        ]
        if status == "blocked":
            later = ids[(i + rng.randint(1, 50)) % items]
            out.append(f"- Return Condition: resume when {later} delivers its guard log")
        out += [
            f"- Latest Attempt (2026-01-0{1 + i % 9}T10{i % 60:02d}00Z): planning — step {i}",
            "",
        ]
    return "\n".join(out) + "\n"


def timed(func: Callable[[], object], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    from ledger.checks import check_text
    from ledger.graph import build_graph, to_mermaid
    from ledger.parse import loads
    from ledger.planning import plan

    text = generate(args.items)
    ledger = loads(text)
    edges = len(build_graph(ledger).edges)
    cycles = len(build_graph(ledger).cycles)
    print(f"{args.items} focus items, {len(text):,} bytes, {edges:,} edges, {cycles} cycles")
    commands = {
        "check": lambda: check_text(text),
        "graph": lambda: to_mermaid(build_graph(loads(text))),
        "next --explain": lambda: plan(loads(text)).as_dict(explain=True),
        "(parse only)": lambda: loads(text),
    }
    for name, func in commands.items():
        best, median = timed(func, args.runs)
        print(f"{name:<16} best {best * 1000:7.1f} ms   median {median * 1000:7.1f} ms")


if __name__ == "__main__":
    main()

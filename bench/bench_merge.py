"""Benchmark: a three-way merge of the largest corpus ledger (847 KB) with attempts on both sides.

Run: .venv/bin/python bench/bench_merge.py
No target is set by the specification; git runs the driver once per merged ledger, so the figure that
matters is that a merge stays well below the interpreter's own start-up time.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LARGEST = ROOT / "tests" / "data" / "nanobragg" / "1760069495_b401d45f.md"


def versions() -> tuple[str, str, str]:
    """Base, ours (an attempt added), theirs (another attempt and a status change)."""
    import ledger

    base = LARGEST.read_bytes().decode("utf-8", "surrogateescape")
    item = next(f for f in ledger.loads(base).focus_items if f.attempts)
    lines = base.splitlines(keepends=True)
    at = item.attempts[-1].end_line

    def add(new: str) -> str:
        return "".join([*lines[:at], new, *lines[at:]])

    ours = add("  * [2030-01-01] Attempt #99 — Result: ok. Ours.\n")
    theirs = add("  * [2030-01-02] Attempt #99 — Result: ok. Theirs.\n").replace(
        "Status: in_progress", "Status: blocked", 1
    )
    return base, ours, theirs


def main(runs: int = 20) -> None:
    from ledger.merge import merge_ledgers, merge_lines

    base, ours, theirs = versions()
    for name, merge in (
        ("merge_ledgers", merge_ledgers),
        ("merge_lines (plain diff3)", merge_lines),
    ):
        merge(base, ours, theirs)
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            result = merge(base, ours, theirs)
            samples.append(time.perf_counter() - start)
        print(
            f"{name}: median {statistics.median(samples) * 1000:.1f} ms, "
            f"max {max(samples) * 1000:.1f} ms, conflicts {result.conflicts} "
            f"({len(base.encode()) // 1000} KB ledger)"
        )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()

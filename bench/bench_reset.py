"""Benchmark: loading reset-layout ledgers of 8 000, 16 000 and 32 000 attempt headings.

Run: .venv/bin/python bench/bench_reset.py [--write DIR]
Each ledger is `## Attempts History` with `### 2026-01-DDTHH:MMZ — ID.F1 (shipped)` headings
and one body line each; the `todos` variant files its second half after a `## TODOs` heading,
where the PtychoPINN loop went on appending. The time must grow linearly with the headings
(docs/performance.md). `--write DIR` also writes the generated files there.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

IDS = ("seed", "FIX-A-001", "FIX-B-002", "DEBUG-SIM-LINES-DOSE-001")


def reset_ledger(headings: int, todos: bool = False) -> str:
    """A reset-layout ledger with `headings` attempt headings (seeded: the same every run)."""
    rng = random.Random(1)
    out = [
        "# Fix Plan",
        "",
        "## Status",
        "`in_progress`",
        "",
        "## Current Focus",
        "**DEBUG-SIM-LINES-DOSE-001 — Legacy bundle**",
        "",
        "## Attempts History",
        "",
    ]
    for k in range(headings):
        if todos and k == headings // 2:
            out += ["## TODOs", "- [ ] DEBUG-SIM-LINES-DOSE-001.F1: wait", ""]
        day, minute = 1 + k // 1440, k % 1440
        stamp = f"2026-01-{day:02d}T{minute // 60:02d}:{minute % 60:02d}Z"
        out += [f"### {stamp} — {rng.choice(IDS)}.F{k % 5} (shipped)", f"**Action:** did {k}", ""]
    return "\n".join(out) + "\n"


def best_load(text: str, runs: int = 7) -> float:
    import ledger

    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        ledger.loads(text)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    write = Path(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[1] == "--write" else None
    for todos in (False, True):
        for headings in (8000, 16000, 32000):
            text = reset_ledger(headings, todos)
            name = f"reset{headings}{'todos' if todos else ''}.md"
            if write is not None:
                write.mkdir(parents=True, exist_ok=True)
                (write / name).write_text(text, encoding="utf-8")
            seconds = best_load(text)
            print(f"{name:24} {seconds * 1000:7.1f} ms  {seconds / headings * 1e6:5.2f} µs/heading")


if __name__ == "__main__":
    main()

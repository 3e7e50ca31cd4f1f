"""Benchmark `ledger check` on the largest corpus ledger (847 KB), interpreter start included.

Runs the real console script in a subprocess (what pre-commit does) several times and reports
the best and median wall time, plus the in-process time of the rules alone.

    .venv/bin/python bench/bench_check.py [--runs 15]

Target: under 300 ms wall time including start-up.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LARGEST = ROOT / "tests" / "data" / "nanobragg" / "1760069495_b401d45f.md"


def wall_times(runs: int) -> tuple[list[float], list[float]]:
    """`ledger check LARGEST` and, interleaved (same machine load), `ledger --help`."""
    check = [sys.executable, "-m", "ledger", "check", str(LARGEST)]
    bare = [sys.executable, "-m", "ledger", "--help"]
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for cmd, out in ((check, times[0]), (bare, times[1])):
            start = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True, cwd=ROOT)
            out.append(time.perf_counter() - start)
            if proc.returncode not in (0, 1):
                raise SystemExit(proc.stderr.decode())
    return times


def rules_only(runs: int) -> list[float]:
    sys.path.insert(0, str(ROOT / "src"))
    from ledger.checks import check_text
    from ledger.fileio import decode

    raw = LARGEST.read_bytes()
    text = decode(raw)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        check_text(text, size=len(raw))
        times.append(time.perf_counter() - start)
    return times


def scaling(runs: int = 3) -> list[tuple[int, float]]:
    """Parse + rules on the ledger repeated 1, 2 and 4 times: linear rules scale ~1:2:4."""
    from ledger.checks import check_text
    from ledger.fileio import decode

    text = decode(LARGEST.read_bytes())
    out = []
    for k in (1, 2, 4):
        big = text * k
        best = min(_timed(check_text, big) for _ in range(runs))
        out.append((len(big.encode("utf-8", "surrogateescape")), best))
    return out


def _timed(func, arg) -> float:
    start = time.perf_counter()
    func(arg)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    size = LARGEST.stat().st_size
    wall, bare = wall_times(args.runs)
    inproc = rules_only(args.runs)
    print(f"file: {LARGEST.relative_to(ROOT)} ({size / 1000:.0f} KB)")
    print(
        f"ledger check, subprocess: best {min(wall) * 1000:.0f} ms, median {statistics.median(wall) * 1000:.0f} ms ({args.runs} runs)"
    )
    print(
        f"ledger --help, subprocess (start-up alone): best {min(bare) * 1000:.0f} ms, median {statistics.median(bare) * 1000:.0f} ms"
    )
    print(
        f"parse + all rules, in process: best {min(inproc) * 1000:.1f} ms, median {statistics.median(inproc) * 1000:.1f} ms"
    )
    for size, best in scaling():
        print(
            f"scaling: {size / 1000:>6.0f} KB -> {best * 1000:6.1f} ms (parse + rules, best of 3)"
        )


if __name__ == "__main__":
    main()

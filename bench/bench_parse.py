"""Benchmark: `loads` + `dumps` of the largest corpus ledger, and `ledger status` wall time.

Run: .venv/bin/python bench/bench_parse.py
Targets (docs/performance.md): loads+dumps of the 847 KB ledger < 25 ms (>= 30 MB/s);
`ledger status` < 300 ms including interpreter start.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LARGEST = ROOT / "tests" / "data" / "nanobragg" / "1760069495_b401d45f.md"


def time_roundtrip(runs: int = 30) -> list[float]:
    import ledger

    text = LARGEST.read_bytes().decode("utf-8", "surrogateescape")
    ledger.dumps(ledger.loads(text))  # warm up regex caches
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        out = ledger.dumps(ledger.loads(text))
        samples.append(time.perf_counter() - start)
        assert out == text
    return samples


def time_command(argv: list[str], runs: int = 15) -> list[float]:
    env = {**os.environ, "NO_COLOR": "1"}
    subprocess.run(argv, capture_output=True, env=env, check=True)  # warm the OS file cache
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, capture_output=True, env=env, check=True)
        samples.append(time.perf_counter() - start)
    return samples


def report(name: str, samples: list[float], size: int | None = None) -> None:
    median = statistics.median(samples) * 1000
    best = min(samples) * 1000
    extra = f", {size / 1e6 / statistics.median(samples):.0f} MB/s" if size else ""
    print(f"{name}: median {median:.1f} ms, best {best:.1f} ms{extra}")


def main() -> None:
    size = LARGEST.stat().st_size
    lines = LARGEST.read_bytes().count(b"\n")
    print(f"ledger: {LARGEST.name}, {size} bytes, {lines} lines; python {sys.version.split()[0]}")
    report("loads+dumps", time_roundtrip(), size)
    python = sys.executable
    report("python -c pass (interpreter start)", time_command([python, "-c", "pass"]))
    report("python -c 'import ledger'", time_command([python, "-c", "import ledger"]))
    report(
        "ledger status --no-git (wall, incl. start)",
        time_command([python, "-m", "ledger", "-f", str(LARGEST), "status", "--no-git"]),
    )
    report(
        "ledger status (wall, incl. start, no repository)",
        time_command([python, "-m", "ledger", "-f", str(LARGEST), "status"]),
    )


if __name__ == "__main__":
    main()

"""Benchmark the archive: compaction of the largest ledger, appends, and `verify` over history.

    .venv/bin/python bench/bench_archive.py [--runs 7] [--commits 200]

Measures (medians):
* core `compaction` of `tests/data/nanobragg/1760069495_b401d45f.md` (847 KB, parse excluded);
* core `append_snapshot` onto a 5 MB archive (the prefix check and the re-split included);
* `ledger archive compact` end to end in a subprocess (start-up, snapshot, both writes);
* `ledger archive verify` in a subprocess over a repository whose archive was committed
  `--commits` times (one snapshot appended per commit).

The specification names no speed target; these figures show the commands stay interactive.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LARGEST = ROOT / "tests" / "data" / "nanobragg" / "1760069495_b401d45f.md"
LEDGER_CMD = [sys.executable, "-m", "ledger"]


def _median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--commits", type=int, default=200)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from ledger import loads
    from ledger.archive import append_snapshot, compaction

    text = LARGEST.read_bytes().decode("utf-8", "surrogateescape")
    led = loads(text)
    result = compaction(led, "2026-01-06")
    print(
        f"largest ledger: {result.before_bytes} B -> {result.after_bytes} B "
        f"({result.summary()['saved_percent']}% smaller)"
    )
    print(f"core compaction: {_median_ms(lambda: compaction(led, '2026-01-06'), args.runs):.1f} ms")

    big = None
    while big is None or len(big) < 5_000_000:
        big = append_snapshot(big, text, "2026-01-06")
    print(
        f"core append_snapshot onto {len(big) / 1e6:.1f} MB: "
        f"{_median_ms(lambda: append_snapshot(big, text, '2026-01-07'), args.runs):.1f} ms"
    )

    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "b",
        "GIT_AUTHOR_EMAIL": "b@x",
        "GIT_COMMITTER_NAME": "b",
        "GIT_COMMITTER_EMAIL": "b@x",
    }
    os.environ.update(env)
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        (repo / "docs").mkdir()
        _git(repo, "init", "-q")

        def fresh_compact() -> None:
            shutil.copy(LARGEST, repo / "docs" / "fix_plan.md")
            (repo / "docs" / "fix_plan_archive.md").unlink(missing_ok=True)
            subprocess.run(
                [*LEDGER_CMD, "archive", "compact", "--date", "2026-01-06"],
                cwd=repo,
                check=True,
                capture_output=True,
            )

        print(
            f"`ledger archive compact` (847 KB, wall): {_median_ms(fresh_compact, args.runs):.0f} ms"
        )

        archive = repo / "docs" / "fix_plan_archive.md"
        content = None
        for n in range(args.commits):
            content = append_snapshot(
                content, f"# Ledger\n\n## [A-{n:03d}] Item\n- Status: pending\n", "2026-01-06"
            )
            archive.write_text(content)
            _git(repo, "add", "docs/fix_plan_archive.md")
            _git(repo, "commit", "-q", "-m", f"snapshot {n}")

        def verify() -> None:
            subprocess.run(
                [*LEDGER_CMD, "archive", "verify"], cwd=repo, check=True, capture_output=True
            )

        print(
            f"`ledger archive verify` over {args.commits} commits "
            f"({len(content) / 1e3:.0f} KB archive, wall): {_median_ms(verify, args.runs):.0f} ms"
        )

        def start() -> None:
            subprocess.run([sys.executable, "-c", "pass"], check=True)

        print(f"interpreter start: {_median_ms(start, args.runs):.0f} ms")


if __name__ == "__main__":
    main()

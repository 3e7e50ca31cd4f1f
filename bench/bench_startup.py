"""Benchmark: `ledger status --no-git` and `ledger check` on the 847 KB ledger against the imports
of a typer + pydantic + rich tool.

Run: .venv/bin/python bench/bench_startup.py [--runs 20] [--quick]
Target (docs/performance.md): each command, wall time with interpreter start (the installed
console script, output piped), ≤ 1.6× `python -c "import typer, pydantic, rich"` (what such a
tool pays before doing anything), interleaved, medians; the peak memory of each ≤ 200 MB. Also
shown, not held to a target: the same with the package's source compiled on every run, as on
the first run in a fresh clone (`common.fresh_clone_env`). Exits 1 when a target is missed.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from common import (
    LARGEST,
    Verdict,
    arguments,
    commands,
    fresh_clone_env,
    ledger_command,
    machine,
    peak_rss_mb,
    ratio,
    runs_of,
)


def main() -> None:
    args = arguments(__doc__, runs=20, quick_runs=6).parse_args()
    runs = runs_of(args)
    ledger = ledger_command()
    argvs = {
        "import typer, pydantic, rich": [sys.executable, "-c", "import typer, pydantic, rich"],
        "status --no-git": [*ledger, "status", "--no-git", "-f", str(LARGEST)],
        "check": [*ledger, "check", str(LARGEST)],
    }
    print(machine())
    print(f"{LARGEST.name}: {LARGEST.stat().st_size:,} bytes")
    verdict = Verdict.new()
    found = commands(argvs, runs)
    base = found.pop("import typer, pydantic, rich")
    print(f"{'import typer, pydantic, rich':30} {base.ms()}")
    for name, samples in found.items():
        print(f"{name:30} {samples.ms()}   = {ratio(samples, base)}")
        verdict.ratio(f"{name} / import typer, pydantic, rich", samples, base, 1.6)
    for name, argv in argvs.items():
        if name != "import typer, pydantic, rich":
            verdict.memory(f"peak RSS, {name}, 847 KB", peak_rss_mb(argv))

    if not args.quick:
        with tempfile.TemporaryDirectory() as tmp:
            fresh = commands(argvs, max(3, runs // 2), env=fresh_clone_env(Path(tmp)))
        base = fresh.pop("import typer, pydantic, rich")
        print("the package's bytecode neither cached nor written (a fresh clone's first run):")
        print(f"  {'import typer, pydantic, rich':28} {base.ms()}")
        for name, samples in fresh.items():
            print(f"  {name:28} {samples.ms()}   = {ratio(samples, base)}")
    verdict.finish()


if __name__ == "__main__":
    main()

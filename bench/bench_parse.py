"""Benchmark: `loads` + `dumps` of the largest corpus ledger against the regex line scan.

Run: .venv/bin/python bench/bench_parse.py [--runs 30] [--quick]
Target (docs/performance.md): `loads` + `dumps` of the 847 KB ledger ≤ 3× `line_scan` of the same
text (bench/common.py), interleaved in one process, medians; peak memory of a process that reads
and round-trips it ≤ 200 MB. The same text repeated 2 and 4 times shows the cost grows linearly
(not with `--quick`). Exits 1 when a target is missed.
"""

from __future__ import annotations

import sys

from common import (
    LARGEST,
    ROOT,
    Verdict,
    arguments,
    interleave,
    line_scan,
    machine,
    python_peak_rss_mb,
    ratio,
    read_largest,
    runs_of,
)

sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    args = arguments(__doc__, runs=30, quick_runs=8).parse_args()
    runs = runs_of(args)
    import ledger

    text = read_largest()
    assert ledger.dumps(ledger.loads(text)) == text
    print(machine())
    print(f"{LARGEST.name}: {LARGEST.stat().st_size:,} bytes, {text.count(chr(10)):,} lines")
    verdict = Verdict.new()
    for k in (1,) if args.quick else (1, 2, 4):
        big = text * k
        found = interleave(
            {
                "line scan": lambda b=big: line_scan(b),
                "loads+dumps": lambda b=big: ledger.dumps(ledger.loads(b)),
            },
            max(3, runs // k),
        )
        scan, parse = found["line scan"], found["loads+dumps"]
        print(f"×{k}  line scan    {scan.ms()}")
        print(f"×{k}  loads+dumps  {parse.ms()}   = {ratio(parse, scan)}")
        if k == 1:
            verdict.ratio("loads+dumps / line scan, 847 KB", parse, scan, 3)
    code = (
        "import ledger, common; t = common.read_largest(); "
        "assert ledger.dumps(ledger.loads(t)) == t"
    )
    verdict.memory("peak RSS, loads+dumps of 847 KB", python_peak_rss_mb(code))
    verdict.finish()


if __name__ == "__main__":
    main()

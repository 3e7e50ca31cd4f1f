"""Benchmark: `ledger dwell` on a long loop history, against `git log -p` of the ledger.

Run: .venv/bin/python bench/bench_dwell.py [--commits 4000] [--versions 1000] [--keep DIR]

Builds (in a temporary folder, with one `git fast-import`) a first-parent history shaped like
a supervisor/engineer loop: 8 commits per loop (`[SYNC ...]` bookkeeping, a `SUPERVISOR:`
commit editing the ledger, an engineer commit editing the ledger and code, `RALPH AUTO` /
`SUPERVISOR AUTO` report commits). The ledger versions are prefixes of the largest corpus
ledger (847 KB), growing from ~300 KB to ~850 KB, each also rewriting the `Last Updated` line
at the top, so every version differs at both ends.

Measures, on that repository:
- `git log --first-parent -p -- docs/fix_plan.md` (the baseline),
- `ledger dwell --json` cold (no cache under `.git/ledger/`) and warm (cache filled),
- the peak resident memory of the `ledger` process (its own, git children excluded).

Targets (docs/performance.md): cold < 5x baseline, warm < 1x baseline, peak < 200 MB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LARGEST = ROOT / "tests" / "data" / "nanobragg" / "1760069495_b401d45f.md"
LEDGER = "docs/fix_plan.md"

# Runs `ledger` in-process and reports this process's own peak RSS (git children excluded).
_CHILD = r"""
import resource, sys, os
from ledger.cli._app import run
sys.stdout = open(os.devnull, "w")
code = run(sys.argv[1:])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
sys.stderr.write(f"PEAK_KB={peak}\n")
sys.exit(code)
"""


def build_repo(path: Path, commits: int, versions: int) -> None:
    """A linear loop history via `git fast-import` (seconds, not minutes)."""
    text = LARGEST.read_bytes()
    lines = text.splitlines(keepends=True)
    header_at = next(i for i, line in enumerate(lines) if line.startswith(b"**Last Updated"))
    offsets, total = [], 0
    for line in lines:
        total += len(line)
        offsets.append(total)
    start, end = 300_000, len(text)
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    per_loop = 8
    loops = commits // per_loop
    ledger_every = max(1, (loops * 2) // versions)  # ledger edits are 2 per loop at most
    proc = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=path, stdin=subprocess.PIPE)
    out = proc.stdin
    assert out is not None
    mark = 0
    when = 1_760_000_000
    edit = 0

    def data(payload: bytes) -> None:
        out.write(b"data %d\n" % len(payload) + payload + b"\n")

    def commit(subject: str, files: dict[str, bytes]) -> None:
        nonlocal mark, when
        mark += 1
        when += 300
        out.write(b"commit refs/heads/main\nmark :%d\n" % mark)
        out.write(b"committer Loop <loop@example.invalid> %d +0000\n" % when)
        data(subject.encode())
        if mark > 1:
            out.write(b"from :%d\n" % (mark - 1))
        for name, payload in files.items():
            out.write(f"M 100644 inline {name}\n".encode())
            data(payload)

    def ledger_version() -> bytes:
        nonlocal edit
        edit += 1
        size = start + (end - start) * min(edit, versions) // versions
        cut = next(i for i, off in enumerate(offsets) if off >= size)
        body = lines[: cut + 1]
        body[header_at] = b"**Last Updated:** 2025-10-%02d (loop edit %d)\n" % (1 + edit % 28, edit)
        return b"".join(body)

    made = 0
    for i in range(loops):
        focus = [
            "TEST-SUITE-TRIAGE-001",
            "DETERMINISM-001",
            "VECTOR-PARITY-001",
            "CLI-DEFAULTS-001",
        ][i % 4]
        state = f'{{"iteration": {i}}}\n'.encode()
        sup_files = {
            "input.md": f"Do Now {i}\n".encode(),
            "galph_memory.md": f"turn {i}\n".encode(),
        }
        if made < versions and i % ledger_every == 0:
            sup_files[LEDGER] = ledger_version()
            made += 1
        work_files = {f"src/module_{i % 50}.py": f"VALUE = {i}\n".encode()}
        if made < versions and (i % ledger_every == 0 or ledger_every == 1):
            work_files[LEDGER] = ledger_version()
            made += 1
        commit(f"[SYNC i={i}] actor=galph status=running", {"sync/state.json": state})
        commit(f"SUPERVISOR: {focus} planning - tests: not run", sup_files)
        commit(
            "SUPERVISOR AUTO: reports evidence - tests: not run", {f"reports/{i}/notes.md": b"n\n"}
        )
        commit(
            f"[SYNC i={i}] actor=galph -> next=ralph status=ok", {"sync/state.json": state + b" "}
        )
        commit(f"[SYNC i={i}] actor=ralph status=running", {"sync/state.json": state + b"  "})
        commit(f"{focus} module: loop {i} (tests: pytest -k loop)", work_files)
        commit(
            "RALPH AUTO: reports evidence - tests: not run", {f"reports/{i}/pytest.log": b"ok\n"}
        )
        commit(
            f"[SYNC i={i}] actor=ralph -> next=galph status=ok", {"sync/state.json": state + b"   "}
        )
    out.close()
    if proc.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=path, check=True)


def timed(argv: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{argv} failed: {proc.stderr.decode()[-2000:]}")
    return elapsed, proc


def ledger_run(repo: Path) -> tuple[float, int]:
    elapsed, proc = timed([sys.executable, "-c", _CHILD, "dwell", "--json"], repo)
    peak = next(
        int(line.split("=")[1])
        for line in proc.stderr.decode().splitlines()
        if line.startswith("PEAK_KB=")
    )
    return elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=4000)
    parser.add_argument("--versions", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="ledger-bench-dwell-"))
    repo = args.keep or tmp / "repo"
    try:
        if not (repo / ".git").exists():
            t0 = time.perf_counter()
            build_repo(repo, args.commits, args.versions)
            print(f"built {repo} in {time.perf_counter() - t0:.1f} s")
        count = subprocess.run(
            ["git", "rev-list", "--count", "HEAD"], cwd=repo, capture_output=True, text=True
        ).stdout.strip()
        blobs = subprocess.run(
            ["git", "log", "--first-parent", "--format=%H", "--", LEDGER],
            cwd=repo,
            capture_output=True,
            text=True,
        ).stdout.split()
        size = (repo / LEDGER).stat().st_size
        print(
            f"history: {count} commits, {len(blobs)} ledger versions, final ledger {size / 1000:.0f} KB"
        )

        baseline, _ = timed(["git", "log", "--first-parent", "-p", "--", LEDGER], repo)
        baseline2, _ = timed(["git", "log", "--first-parent", "-p", "--", LEDGER], repo)
        base = min(baseline, baseline2)
        print(f"git log --first-parent -p -- {LEDGER}: {base:.2f} s")

        shutil.rmtree(repo / ".git" / "ledger", ignore_errors=True)
        cold, cold_peak = ledger_run(repo)
        print(
            f"ledger dwell cold: {cold:.2f} s ({cold / base:.2f}x), peak RSS {cold_peak / 1024:.0f} MB"
        )
        warm, warm_peak = ledger_run(repo)
        warm2, _ = ledger_run(repo)
        warm = min(warm, warm2)
        print(
            f"ledger dwell warm: {warm:.2f} s ({warm / base:.2f}x), peak RSS {warm_peak / 1024:.0f} MB"
        )
        ok = cold < 5 * base and warm < base and max(cold_peak, warm_peak) < 200 * 1024
        print("targets met" if ok else "TARGETS MISSED")
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("NO_COLOR", "1")
    main()

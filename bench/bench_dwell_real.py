"""Benchmark: dwell on a real loop history, as ratios to what git itself takes.

Run: .venv/bin/python bench/bench_dwell_real.py [--rounds 8] [--runs 5]

Uses the nanoBragg loop history in tests/data/fixtures/nanobragg-2025-10-10.bundle (538
first-parent commits, 149 ledger versions up to 847 KB), and a replicated version of it that
replays those commits `--rounds` times one after the other (each round's ledger carries a marker
line at its end, so every version is a distinct blob, as in a real history; commit dates move
on by a week per round). Both repositories are built once under bench/.work/.

Measures, in one run on the same machine:
- the baseline, `git log --first-parent -p -- docs/fix_plan.md`;
- cold `ledger dwell --json` (no cache under `.git/ledger/`);
- `ledger status`, `ledger next` and `ledger brief ID` in a fresh clone of a repository whose
  dwell checkpoint was published (the clone fetches it), against the same command with
  `--no-git`;
and prints each as a ratio (targets: cold dwell <= 2x the baseline, fresh-clone commands <= 2x
the `--no-git` ones); exits 1 when one is missed. `ledger` runs as installed
(`common.installed_env`).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import installed_env

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "tests" / "data" / "fixtures" / "nanobragg-2025-10-10.bundle"
WORK = ROOT / "bench" / ".work"
LEDGER = b"docs/fix_plan.md"
WEEK = 7 * 24 * 3600


def git(*args: str, cwd: Path | None = None, input: bytes | None = None) -> bytes:
    return subprocess.run(
        ["git", *args], cwd=cwd, input=input, capture_output=True, check=True
    ).stdout


def clone_bundle(dest: Path) -> Path:
    if not dest.exists():
        git("clone", "-q", str(BUNDLE), str(dest))
    return dest


def replicate(source: Path, dest: Path, rounds: int) -> Path:
    """`source`'s first-parent history replayed `rounds` times in one new repository."""
    if dest.exists():
        return dest
    stream = git("fast-export", "--reencode=no", "main", cwd=source)
    git("init", "-q", "-b", "main", str(dest))
    for r in range(rounds):
        marker = f"\n<!-- replay round {r + 1} -->\n".encode()
        rewritten = _rewrite(stream, marker, r * WEEK)
        if r:  # the round goes on from the previous round's last commit
            tip = git("rev-parse", "main", cwd=dest).strip()
            rewritten = rewritten.replace(
                b"reset refs/heads/main\n", b"reset refs/heads/main\nfrom " + tip + b"\n\n", 1
            )
        git("fast-import", "--quiet", cwd=dest, input=rewritten)
    git("checkout", "-q", "main", cwd=dest)
    return dest


_DATA = re.compile(rb"data (\d+)\n")
_WHEN = re.compile(rb"^((?:author|committer) .* )(\d+)( [+-]\d{4})$", re.M)


def _rewrite(stream: bytes, marker: bytes, shift: int) -> bytes:
    """The fast-export stream with the ledger's blobs ending in `marker` and dates moved on."""
    out: list[bytes] = []
    pending_blobs: dict[bytes, bytes] = {}  # mark -> blob data, until a commit names its path
    ledger_marks: set[bytes] = set()
    # First pass: which blob marks are written to the ledger path.
    for m in re.finditer(rb"^M \d+ (:\d+) (.+)$", stream, re.M):
        if m.group(2) == LEDGER:
            ledger_marks.add(m.group(1))
    pos = 0
    while pos < len(stream):
        end = stream.index(b"\n", pos) + 1
        line = stream[pos:end]
        if line.startswith(b"data "):
            size = int(_DATA.match(line).group(1))  # type: ignore[union-attr]
            body = stream[end : end + size]
            mark = pending_blobs.pop(b"__current__", None)
            if mark is not None and mark in ledger_marks:
                body += marker
            out.append(b"data %d\n" % len(body) + body)
            pos = end + size
            continue
        if line.startswith(b"mark ") and out and out[-1] == b"blob\n":
            pending_blobs[b"__current__"] = line[5:].strip()
        out.append(line)
        pos = end
    text = b"".join(out)
    return _WHEN.sub(
        lambda m: m.group(1) + str(int(m.group(2)) + shift).encode() + m.group(3), text
    )


ENV: dict[str, str] | None = None


def timed(argv: list[str], cwd: Path, env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, capture_output=True, check=True, env=env or ENV)
    return time.perf_counter() - start


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def cold_dwell(repo: Path, runs: int) -> tuple[float, float]:
    base, cold = [], []
    for _ in range(runs):
        base.append(timed(["git", "log", "--first-parent", "-p", "--", "docs/fix_plan.md"], repo))
        shutil.rmtree(repo / ".git" / "ledger", ignore_errors=True)
        cold.append(timed([sys.executable, "-m", "ledger", "dwell", "--json"], repo))
    return median(base), median(cold)


def fresh_clone_commands(repo: Path, runs: int) -> dict[str, tuple[float, float]]:
    """Each command in a new clone of a shared repository whose dwell checkpoint a loop
    published (`ledger dwell --push`), against the same command with --no-git."""
    env = {**(ENV or os.environ), "NO_COLOR": "1"}
    origin = WORK / f"{repo.name}-origin.git"
    if not origin.exists():
        git("clone", "-q", "--bare", str(repo), str(origin))
    loop = WORK / f"{repo.name}-loop"
    shutil.rmtree(loop, ignore_errors=True)
    git("clone", "-q", str(origin), str(loop))
    # Publish the checkpoint once, the way a loop would after a turn.
    subprocess.run(
        [sys.executable, "-m", "ledger", "dwell", "--push"],
        cwd=loop,
        check=True,
        capture_output=True,
        env=env,
    )
    focus = _a_focus(loop)
    commands = {"status": ["status"], "next": ["next"], "brief": ["brief", focus]}
    out: dict[str, tuple[float, float]] = {}
    for name, args in commands.items():
        fresh, offline = [], []
        for k in range(runs):
            clone = WORK / f"fresh-{name}-{k}"
            shutil.rmtree(clone, ignore_errors=True)
            git("clone", "-q", str(origin), str(clone))
            fresh.append(timed([sys.executable, "-m", "ledger", *args], clone, env))
            offline.append(timed([sys.executable, "-m", "ledger", *args, "--no-git"], clone, env))
            shutil.rmtree(clone, ignore_errors=True)
        out[name] = (median(fresh), median(offline))
    return out


def _a_focus(repo: Path) -> str:
    text = (repo / "docs" / "fix_plan.md").read_text(encoding="utf-8", errors="replace")
    m = re.search(r"^##+ \[([^\]]+)\]", text, re.M)
    assert m
    return m.group(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    global ENV
    ENV = installed_env()
    missed = 0
    WORK.mkdir(parents=True, exist_ok=True)
    nb = clone_bundle(WORK / "nanobragg")
    big = replicate(nb, WORK / f"nanobragg-x{args.rounds}", args.rounds)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    for repo in (nb, big):
        commits = git("rev-list", "--first-parent", "--count", "HEAD", cwd=repo).decode().strip()
        versions = len(
            git("log", "--first-parent", "--format=%H", "--", "docs/fix_plan.md", cwd=repo).split()
        )
        base, cold = cold_dwell(repo, args.runs)
        print(f"{repo.name}: {commits} commits, {versions} ledger versions")
        missed += cold / base > 2
        print(
            f"  git log -p baseline {base:.2f} s; cold ledger dwell {cold:.2f} s "
            f"= {cold / base:.2f}x (target <= 2x){_verdict(cold / base)}"
        )
        for name, (fresh, offline) in fresh_clone_commands(repo, args.runs).items():
            missed += fresh / offline > 2
            print(
                f"  fresh clone `ledger {name}` {fresh:.2f} s vs --no-git {offline:.2f} s "
                f"= {fresh / offline:.2f}x (target <= 2x){_verdict(fresh / offline)}"
            )
    sys.exit(1 if missed else 0)


def _verdict(ratio: float) -> str:
    return "" if ratio <= 2 else "  MISSED"


if __name__ == "__main__":
    main()

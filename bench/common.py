"""What the benchmarks share: the regex line scan their targets are ratios of, interleaved timing,
peak memory, and a line describing the machine.

The line scan
-------------
A target such as "`loads` ≤ 3× a regex line scan" compares with `line_scan(text)`: one regex
pass over the whole text that finds every heading and every bullet line, the two kinds of line
a ledger is built from,

    re.findall(r"(?m)^#{1,6} .*$|^[-*] .*$", text)

It visits every line (the anchor is tried at each line start) and returns the lines a reader of
the format has to look at, without classifying, cutting or building anything. docs/performance.md
states the same definition; every benchmark imports it from here, none defines its own.

Ratios are taken between runs interleaved in one process (or one loop of subprocesses), so the
load of the shared machine falls on both sides alike; each is reported for the best and the
median run, and the median one is held against the target.

Every benchmark ends with `Verdict.finish()`: a table of measures, their ratio or size and the
target, and exit status 1 when a target is missed, so a benchmark can be run as a check.
`--quick` (`arguments`) makes a short run of each.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LARGEST = ROOT / "tests" / "data" / "nanobragg" / "1760069495_b401d45f.md"

GNU_TIME = "/usr/bin/time"

LINE_SCAN = re.compile(r"(?m)^#{1,6} .*$|^[-*] .*$")


def line_scan(text: str) -> list[str]:
    """THE regex line scan: every heading and bullet line of `text`, in one regex pass."""
    return LINE_SCAN.findall(text)


@dataclass(frozen=True)
class Samples:
    """Wall times of one measured thing, in seconds."""

    times: tuple[float, ...]

    @property
    def best(self) -> float:
        return min(self.times)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    def ms(self) -> str:
        return f"best {self.best * 1000:7.1f} ms, median {self.median * 1000:7.1f} ms"


@dataclass(frozen=True)
class Verdict:
    """The targets a benchmark holds its measures to."""

    rows: list[tuple[str, str, str, bool]]

    @classmethod
    def new(cls) -> Verdict:
        return cls([])

    def ratio(self, name: str, measured: Samples, baseline: Samples, limit: float) -> float:
        """Hold `measured / baseline` (medians) to at most `limit`; returns the ratio."""
        found = measured.median / baseline.median
        self.rows.append((name, f"{found:.2f}×", f"≤ {limit:g}×", found <= limit))
        return found

    def memory(self, name: str, megabytes: float, limit: float = 200) -> None:
        """Hold a peak resident memory to at most `limit` MB."""
        self.rows.append((name, f"{megabytes:.0f} MB", f"≤ {limit:g} MB", megabytes <= limit))

    def finish(self) -> None:
        """Print the table of targets and exit 1 if one was missed."""
        width = max(len(row[0]) for row in self.rows)
        print(f"\n{'measure':{width}}  {'found':>8}  {'target':>9}")
        for name, found, target, ok in self.rows:
            print(f"{name:{width}}  {found:>8}  {target:>9}  {'ok' if ok else 'MISSED'}")
        missed = sum(not row[3] for row in self.rows)
        print(f"{missed} of {len(self.rows)} targets missed" if missed else "all targets met")
        raise SystemExit(1 if missed else 0)


def arguments(doc: str, runs: int, quick_runs: int) -> argparse.ArgumentParser:
    """The options every benchmark takes: `--runs N` and `--quick` (`quick_runs` runs)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--runs", type=int, default=None, help=f"runs of each (default {runs})")
    parser.add_argument("--quick", action="store_true", help=f"a short run ({quick_runs} runs)")
    parser.set_defaults(default_runs=runs, quick_runs=quick_runs)
    return parser


def runs_of(args: argparse.Namespace) -> int:
    """The runs asked for: `--runs`, else the quick or the default count."""
    if args.runs is not None:
        return int(args.runs)
    return int(args.quick_runs if args.quick else args.default_runs)


def ratio(measured: Samples, baseline: Samples) -> str:
    """`measured / baseline` for the best and for the median runs."""
    return (
        f"{measured.best / baseline.best:.2f}× (best), "
        f"{measured.median / baseline.median:.2f}× (median)"
    )


def interleave(cases: Mapping[str, Callable[[], object]], runs: int) -> dict[str, Samples]:
    """Each case run `runs` times in process, one round of all cases after another (after one
    warm-up round), so the machine's load falls on every case alike."""
    for func in cases.values():
        func()
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, func in cases.items():
            start = time.perf_counter()
            func()
            times[name].append(time.perf_counter() - start)
    return {name: Samples(tuple(t)) for name, t in times.items()}


def commands(
    cases: Mapping[str, Sequence[str]],
    runs: int,
    env: Mapping[str, str] | None = None,
    cwd: Path = ROOT,
) -> dict[str, Samples]:
    """Wall time of each command line (interpreter start included), interleaved like
    `interleave`; a command must exit 0 or 1 (a check with findings). Bytecode is written and
    read as a user's Python does (`PYTHONDONTWRITEBYTECODE` only when `env` sets it)."""
    environ = {**installed_env(), **(env or {})}

    def run(argv: Sequence[str]) -> None:
        proc = subprocess.run(argv, capture_output=True, env=environ, cwd=cwd)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(argv)} failed:\n{proc.stderr.decode()}")

    return interleave({name: (lambda argv=argv: run(argv)) for name, argv in cases.items()}, runs)


def peak_rss_mb(argv: Sequence[str], env: Mapping[str, str] | None = None) -> float:
    """Peak resident memory of one run of a command (the process itself, in MB).

    The command is started by GNU time when there is one: a process started straight from this
    one would count this process's own peak too (Linux carries the high-water mark of the
    memory a process replaces on exec, and a vfork'd child replaces its parent's)."""
    environ = {**installed_env(), **(env or {})}
    if Path(GNU_TIME).exists():
        with tempfile.NamedTemporaryFile("r") as out:
            code = subprocess.run(
                [GNU_TIME, "-f", "%M", "-o", out.name, *argv],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=environ,
                cwd=ROOT,
            ).returncode
            kilobytes = int(out.read().split()[-1])
    else:
        proc = subprocess.Popen(
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environ, cwd=ROOT
        )
        _pid, status, usage = os.wait4(proc.pid, 0)
        code, kilobytes = os.waitstatus_to_exitcode(status), usage.ru_maxrss
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({code})")
    return kilobytes / 1024


def installed_env() -> dict[str, str]:
    """The environment of an installed `ledger`: bytecode written and read as a user's Python
    does (a source checkout under PYTHONDONTWRITEBYTECODE would compile every module on every
    run and measure the compiler), no colours."""
    environ = {**os.environ, "NO_COLOR": "1"}
    environ.pop("PYTHONDONTWRITEBYTECODE", None)
    return environ


def fresh_clone_env(tmp: Path) -> dict[str, str]:
    """The environment of a fresh clone: the package's source copied to `tmp` and imported from
    there with no bytecode cached or written, so every run compiles it (the installed
    dependencies keep the bytecode their installer wrote)."""
    shutil.copytree(ROOT / "src", tmp / "src", ignore=shutil.ignore_patterns("__pycache__"))
    return {"PYTHONPATH": str(tmp / "src"), "PYTHONDONTWRITEBYTECODE": "1"}


def python_peak_rss_mb(code: str) -> float:
    """Peak resident memory of this interpreter running `code` (the package from `src/`)."""
    env = {"PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT / "bench")])}
    return peak_rss_mb([sys.executable, "-c", code], env)


def ledger_command() -> list[str]:
    """The installed `ledger` console script of this interpreter's environment."""
    script = Path(sys.executable).with_name("ledger")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ledger"]


def machine() -> str:
    """Cores, CPU model, Python and the load average now (the machine may be shared: say how
    busy it was)."""
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    model = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (
        f"nproc {len(os.sched_getaffinity(0))}, {model}, Python {platform.python_version()}, "
        f"load average {load}"
    )


def read_largest() -> str:
    """The 847 KB corpus ledger, decoded as `ledger` reads files."""
    return LARGEST.read_bytes().decode("utf-8", "surrogateescape")

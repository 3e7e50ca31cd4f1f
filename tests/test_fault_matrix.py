"""Every writer x every fault, on real files, real permissions and real processes.

Writers are the CLI commands that write files; faults are what the disk and the people around a
write do to it: a symlinked target, a read-only file, a read-only folder, a disk that fills up
midway (RLIMIT_FSIZE), a `kill -9` between writing the temp file and replacing the target, and
other writers running at the same time. After every case a file holds exactly its old content
or exactly its new content, never anything else, and a symlink is still a symlink.

(a), (b), (c) run in-process (CliRunner); (d), (e), (f) need real processes and are `slow`.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from gitrepo import GitRepo
from ruamel.yaml import YAML
from typer.testing import CliRunner

from ledger.archive import append_snapshot, split_archive
from ledger.cli._app import build_app
from ledger.init import config_template, fix_plan_template
from ledger.model import Status
from ledger.parse import loads

# --- the inputs ---------------------------------------------------------------------------------

MOJIBAKE = "—".encode().decode("mac_roman")  # an em dash once read as Mac Roman
MOJIBAKE_LINE = f"- Notes: the loader {MOJIBAKE} see the report\n"
REPAIRED_LINE = MOJIBAKE_LINE.replace(MOJIBAKE, "—")
DUPLICATE = "- Latest Attempt (2025-11-02T100000Z): implementation — second pass at the loader\n"
FIRST_ALPHA = "- Latest Attempt (2025-11-01T100000Z): planning — first look at the loader\n"
LAST_ALPHA = "- Latest Attempt (2025-11-03T100000Z): planning — third look at the loader\n"
BETA_ATTEMPT = "- Latest Attempt (2025-11-06T090000Z): planning — scoped the work\n"
OLD_UPDATED = "**Last Updated:** 2025-12-01\n"

# A ledger that also needs `ledger fix`: one mojibake line and one exact duplicate attempt.
LEDGER = (
    "# Fix Plan Ledger\n"
    "\n"
    f"{OLD_UPDATED}"
    "**Active Focus:** ALPHA-001 — first focus\n"
    "\n"
    "## [ALPHA-001] First focus\n"
    "- Depends on: —\n"
    "- Priority: High\n"
    "- Status: in_progress\n"
    "- Owner/Date: ralph/2025-11-01\n"
    "- Working Plan: `plans/active/ALPHA-001/implementation.md`\n"
    f"{MOJIBAKE_LINE}"
    "- Exit Criteria: tests pass.\n"
    f"{LAST_ALPHA}"
    f"{DUPLICATE}"
    f"{DUPLICATE}"
    f"{FIRST_ALPHA}"
    "\n"
    "## [BETA-001] Second focus\n"
    "- Depends on: ALPHA-001\n"
    "- Priority: Medium\n"
    "- Status: pending\n"
    "- Owner/Date: galph/2025-11-05\n"
    "- Working Plan: `plans/active/BETA-001/implementation.md`\n"
    f"{BETA_ATTEMPT}"
)
OLD_LEDGER = (
    "# Fix Plan Ledger\n\n**Last Updated:** 2025-10-01\n\n## [OLD-001] Old\n- Status: done\n"
)
ARCHIVE = append_snapshot(None, OLD_LEDGER, "2025-10-01")

# Three versions of one ledger for `ledger merge`: each side adds an attempt to another focus.
MERGE_BASE = LEDGER.replace(MOJIBAKE_LINE, REPAIRED_LINE).replace(DUPLICATE * 2, DUPLICATE)
OURS_LINE = "- Latest Attempt (2025-11-07T080000Z): planning — ours: measured the loader\n"
THEIRS_LINE = "- Latest Attempt (2025-11-04T080000Z): debug — theirs: bisected the loader\n"
OURS2_LINE = "- Latest Attempt (2025-11-08T080000Z): planning — ours, second merge\n"
THEIRS2_LINE = "- Latest Attempt (2025-11-05T080000Z): debug — theirs, second merge\n"


def _before(text: str, anchor: str, line: str) -> str:
    assert text.count(anchor) == 1
    return text.replace(anchor, line + anchor)


def merged(ours_line: str, theirs_line: str) -> str:
    """The clean merge of two disjoint insertions: the base with both of them."""
    return _before(_before(MERGE_BASE, BETA_ATTEMPT, ours_line), LAST_ALPHA, theirs_line)


SUMMARY = "recorded by the fault matrix"
NEW_ID = "GAMMA-001"
NEW_TITLE = "Focus made by the fault matrix"
DAY = "2026-01-02"
CONFIG_KEY, CONFIG_VALUE = "check.max_bytes", 1234
OLD_CUSTOM_CONFIG = "# my settings\ncheck:\n  max_bytes: 999\n"
RACERS = 4  # attempt adds racing each writer in (f)
TEMP_SUFFIX = ".ledger-tmp"
ENV = {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1"}


# --- repositories -------------------------------------------------------------------------------


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))


def standard_files(root: Path) -> None:
    _write(
        root,
        {
            ".ledger.yaml": config_template(),
            "docs/fix_plan.md": LEDGER,
            "docs/fix_plan_archive.md": ARCHIVE,
            "merge/base.md": MERGE_BASE,
            "merge/ours.md": _before(MERGE_BASE, BETA_ATTEMPT, OURS_LINE),
            "merge/theirs.md": _before(MERGE_BASE, LAST_ALPHA, THEIRS_LINE),
            "merge/ours2.md": _before(MERGE_BASE, BETA_ATTEMPT, OURS2_LINE),
            "merge/theirs2.md": _before(MERGE_BASE, LAST_ALPHA, THEIRS2_LINE),
            "merge/out.md": MERGE_BASE,  # the output of an earlier merge
        },
    )


def no_files(root: Path) -> None:
    """`ledger init` in a fresh clone: neither .ledger.yaml nor the ledger exist."""


def custom_config(root: Path) -> None:
    standard_files(root)
    _write(root, {".ledger.yaml": OLD_CUSTOM_CONFIG})


def tree(root: Path) -> dict[str, str]:
    """Every entry under `root` except .git: sha256 of files, targets of links, folders."""
    out: dict[str, str] = {}
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        if here == root:
            dirs[:] = [d for d in dirs if d != ".git"]
        for name in dirs + files:
            path = here / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                out[rel] = "link -> " + os.readlink(path)
            elif path.is_dir():
                out[rel] = "folder"
            else:
                out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def temp_files(root: Path) -> list[str]:
    return sorted(name for name in tree(root) if name.endswith(TEMP_SUFFIX))


def read(root: Path, name: str) -> str:
    return (root / name).read_bytes().decode("utf-8", "surrogateescape")


def without(text: str, markers: list[str]) -> str:
    """`text` without the lines that hold one of `markers` (the racing writers' attempts)."""
    return "".join(
        line for line in text.splitlines(keepends=True) if not any(m in line for m in markers)
    )


def only_insertions(old: str, new: str) -> list[str]:
    """The lines `new` adds to `old`; fails if `new` changed or removed any line of `old`."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    assert all(tag in ("equal", "insert") for tag, *_ in ops), "a line of the old text changed"
    return [line for tag, _i1, _i2, j1, j2 in ops if tag == "insert" for line in b[j1:j2]]


def one_error_line(stderr: str) -> str:
    """stderr is one `ledger: error:` line (and its hint lines), never a traceback."""
    lines = stderr.splitlines()
    assert "Traceback" not in stderr, stderr
    assert lines and lines[0].startswith("ledger: error: "), stderr
    assert all(line.startswith("  hint: ") for line in lines[1:]), stderr
    return lines[0]


# --- the writers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Writer:
    """A CLI command that writes files, what it must write, and how it is raced in (f)."""

    name: str
    args: Callable[[Path], list[str]]  # the command line after `ledger`, given the repo root
    target: str  # the file the faults hit, relative to the repo root
    check: Callable[[Path, list[str]], None]  # the change landed (the racers' lines aside)
    setup: Callable[[Path], None] = standard_files
    ok: int = 0  # exit code of a successful run (`fix` exits 1 when it changed something)
    rivals: Callable[[Path], list[list[str]]] | None = None  # (f) without the ledger
    check_rivals: Callable[[Path, list[str]], None] | None = None  # gets their stdouts
    writes: tuple[str, ...] = ()  # every file it writes (the target first)
    skip: dict[str, str] = field(default_factory=dict)


def ledger_args(root: Path, *rest: str) -> list[str]:
    return ["-f", str(root / "docs/fix_plan.md"), *rest]


def racers_present(text: str, racers: list[str]) -> None:
    for summary in racers:
        assert text.count(summary) == 1, f"{summary!r} lost or doubled"


def check_attempt_add(root: Path, racers: list[str]) -> None:
    text = read(root, "docs/fix_plan.md")
    racers_present(text, racers)
    added = only_insertions(LEDGER, without(text, racers))
    assert len(added) == 1 and SUMMARY in added[0]
    beta = loads(text).get("BETA-001")
    assert [a for a in beta.attempts if SUMMARY in a.text], "the attempt is not in BETA-001"


def check_set(root: Path, racers: list[str]) -> None:
    text = read(root, "docs/fix_plan.md")
    racers_present(text, racers)
    assert without(text, racers) == LEDGER.replace("- Status: pending\n", "- Status: done\n")
    assert loads(text).get("BETA-001").status == Status.done


def check_focus_new(root: Path, racers: list[str]) -> None:
    text = read(root, "docs/fix_plan.md")
    racers_present(text, racers)
    added = only_insertions(LEDGER, without(text, racers))
    assert any(NEW_ID in line and NEW_TITLE in line for line in added)
    assert loads(text).get(NEW_ID).title == NEW_TITLE
    for name in ("implementation.md", "summary.md"):
        assert NEW_ID in read(root, f"plans/active/{NEW_ID}/{name}")


def check_header(root: Path, racers: list[str]) -> None:
    text = read(root, "docs/fix_plan.md")
    racers_present(text, racers)
    assert without(text, racers) == LEDGER.replace(OLD_UPDATED, f"**Last Updated:** {DAY}\n")


FIXED = LEDGER.replace(MOJIBAKE_LINE, REPAIRED_LINE).replace(DUPLICATE * 2, DUPLICATE)


def check_fix(root: Path, racers: list[str]) -> None:
    text = read(root, "docs/fix_plan.md")
    racers_present(text, racers)
    assert without(text, racers) == FIXED


def last_snapshot(root: Path):
    archive = read(root, "docs/fix_plan_archive.md")
    assert archive.startswith(ARCHIVE), "the archive was rewritten, not appended to"
    return split_archive(archive).snapshots[-1]


def check_snapshot(root: Path, racers: list[str]) -> None:
    text = read(root, "docs/fix_plan.md")
    racers_present(text, racers)
    assert without(text, racers) == LEDGER
    snap = last_snapshot(root)
    assert snap.date == DAY
    assert without(snap.body, racers) == LEDGER
    only_insertions(snap.body, text)  # the snapshot is a real, earlier version of the ledger


def check_compact(root: Path, racers: list[str]) -> None:
    text = read(root, "docs/fix_plan.md")
    snap = last_snapshot(root)
    assert snap.date == DAY
    assert without(snap.body, racers) == LEDGER  # the bytes that were condensed, all of them
    for summary in racers:  # an attempt is in the live ledger or in the snapshot
        assert text.count(summary) <= 1 and (summary in text or summary in snap.body), summary
    assert DUPLICATE not in text and DUPLICATE in snap.body  # middle attempts moved out
    if not racers:  # with racers, one of theirs may be the newest attempt kept instead
        assert FIRST_ALPHA in text and LAST_ALPHA in text  # first and last kept
    kept = set(LEDGER.splitlines(keepends=True))
    new_lines = [line for line in without(text, racers).splitlines() if line + "\n" not in kept]
    assert new_lines, "no pointer to the snapshot was written"
    assert all("fix_plan_archive.md" in line and DAY in line for line in new_lines), new_lines


def check_merge(root: Path, racers: list[str]) -> None:
    assert read(root, "merge/out.md") == merged(OURS_LINE, THEIRS_LINE)


def _config(root: Path) -> dict:
    return YAML(typ="safe").load(read(root, ".ledger.yaml"))


def check_config_set(root: Path, racers: list[str]) -> None:
    assert _config(root)["check"]["max_bytes"] == CONFIG_VALUE
    new = read(root, ".ledger.yaml").splitlines()
    comments = [line for line in config_template().splitlines() if line.lstrip().startswith("#")]
    assert [line for line in new if line.lstrip().startswith("#")] == comments


def _today_templates() -> set[str]:
    today = datetime.now(timezone.utc).date()
    return {fix_plan_template((today + timedelta(days=d)).isoformat()) for d in (-1, 0)}


def check_init(root: Path, racers: list[str]) -> None:
    assert read(root, ".ledger.yaml") == config_template()
    assert read(root, "docs/fix_plan.md") in _today_templates()


def check_init_force(root: Path, racers: list[str]) -> None:
    assert read(root, ".ledger.yaml") == config_template()
    assert read(root, "docs/fix_plan.md") == LEDGER  # existing ledgers are never rewritten


def merge_args(root: Path, ours: str = "ours", theirs: str = "theirs") -> list[str]:
    files = (f"merge/{ours}.md", "merge/base.md", f"merge/{theirs}.md")
    return ["merge", *(str(root / f) for f in files), "-o", str(root / "merge/out.md")]


def merge_rivals(root: Path) -> list[list[str]]:
    return [merge_args(root), merge_args(root, "ours2", "theirs2")]


def check_merge_rivals(root: Path, _outputs: list[str]) -> None:
    assert read(root, "merge/out.md") in (
        merged(OURS_LINE, THEIRS_LINE),
        merged(OURS2_LINE, THEIRS2_LINE),
    ), "the output mixes the two merges"


CONFIG_RIVALS = [("check.max_bytes", "1234"), ("check.max_lines", "4321"), ("dwell.tiers", "3,5,7")]


def config_args(root: Path, key: str = CONFIG_KEY, value: str = str(CONFIG_VALUE)) -> list[str]:
    return ["--config", str(root / ".ledger.yaml"), "config", "set", key, value]


def config_rivals(root: Path) -> list[list[str]]:
    return [config_args(root, key, value) for key, value in CONFIG_RIVALS]


def check_config_rivals(root: Path, _outputs: list[str]) -> None:
    data = _config(root)
    for key, value in CONFIG_RIVALS:
        section, name = key.split(".")
        expected = [int(v) for v in value.split(",")] if "," in value else int(value)
        assert data[section][name] == expected, f"{key} was lost"


def init_rivals(root: Path) -> list[list[str]]:
    return [["init"], ["init"]]


def check_init_rivals(root: Path, outputs: list[str]) -> None:
    """Both runs succeed, and each file is created by one of them (the other leaves it alone)."""
    check_init(root, [])
    for name in (".ledger.yaml", "docs/fix_plan.md"):
        wrote = [out for out in outputs if f"wrote {root / name}\n" in out]
        assert len(wrote) == 1, f"{name} written by {len(wrote)} racing inits: {outputs}"


def init_force_rivals(root: Path) -> list[list[str]]:
    return [["init", "--force"], ["init", "--force"]]


INIT_READ_ONLY = (
    "plain `ledger init` only creates missing files and leaves an existing one alone, so a "
    "read-only file is never its target (the case is covered by init-force)"
)

WRITERS = [
    Writer(
        "attempt-add",
        lambda r: ledger_args(r, "attempt", "add", "BETA-001", "-k", "planning", "-m", SUMMARY),
        "docs/fix_plan.md",
        check_attempt_add,
    ),
    Writer(
        "set-status",
        lambda r: ledger_args(r, "set", "BETA-001", "--status", "done"),
        "docs/fix_plan.md",
        check_set,
    ),
    Writer(
        "focus-new",
        lambda r: ledger_args(r, "focus", "new", NEW_ID, "--title", NEW_TITLE),
        "docs/fix_plan.md",
        check_focus_new,
        writes=(
            "docs/fix_plan.md",
            f"plans/active/{NEW_ID}/implementation.md",
            f"plans/active/{NEW_ID}/summary.md",
        ),
    ),
    Writer(
        "header",
        lambda r: ledger_args(r, "header", "--last-updated", DAY),
        "docs/fix_plan.md",
        check_header,
    ),
    Writer(
        "fix", lambda r: ["fix", str(r / "docs/fix_plan.md")], "docs/fix_plan.md", check_fix, ok=1
    ),
    Writer(
        "archive-snapshot",
        lambda r: ledger_args(
            r,
            "archive",
            "snapshot",
            "--archive",
            str(r / "docs/fix_plan_archive.md"),
            "--date",
            DAY,
        ),
        "docs/fix_plan_archive.md",
        check_snapshot,
    ),
    Writer(
        "archive-compact",
        lambda r: ledger_args(
            r, "archive", "compact", "--archive", str(r / "docs/fix_plan_archive.md"), "--date", DAY
        ),
        "docs/fix_plan.md",
        check_compact,
        writes=("docs/fix_plan.md", "docs/fix_plan_archive.md"),
    ),
    Writer(
        "merge",
        merge_args,
        "merge/out.md",
        check_merge,
        rivals=merge_rivals,
        check_rivals=check_merge_rivals,
    ),
    Writer(
        "config-set",
        config_args,
        ".ledger.yaml",
        check_config_set,
        rivals=config_rivals,
        check_rivals=check_config_rivals,
    ),
    Writer(
        "init",
        lambda r: ["init"],
        ".ledger.yaml",
        check_init,
        setup=no_files,
        rivals=init_rivals,
        check_rivals=check_init_rivals,
        writes=(".ledger.yaml", "docs/fix_plan.md"),
        skip={"read-only-file": INIT_READ_ONLY},
    ),
    Writer(
        "init-force",
        lambda r: ["init", "--force"],
        ".ledger.yaml",
        check_init_force,
        setup=custom_config,
        rivals=init_force_rivals,
        check_rivals=lambda r, _outputs: check_init_force(r, []),
    ),
]


def cases(fault: str) -> list:
    """One test per writer; a combination that makes no sense is skipped with the reason."""
    params = []
    for writer in WRITERS:
        marks = []
        if fault in writer.skip:
            marks.append(pytest.mark.skip(reason=writer.skip[fault]))
        params.append(pytest.param(writer, id=writer.name, marks=marks))
    return params


# --- running a writer ---------------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """An empty git repository as the current folder; each test lays out its writer's files."""
    root = tmp_path / "repo"
    GitRepo(root)
    monkeypatch.chdir(root)
    return root


def run_inprocess(root: Path, args: list[str]):
    assert Path.cwd() == root
    return CliRunner().invoke(build_app(), args)


def start(root: Path, args: list[str], **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "ledger", *args],
        cwd=root,
        env={**os.environ, **ENV},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def finish(proc: subprocess.Popen) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=60)
    return proc.returncode, out, err


def prepare(writer: Writer, root: Path) -> dict[str, str]:
    writer.setup(root)
    return tree(root)


def assert_landed(writer: Writer, root: Path, result) -> None:
    assert result.exit_code == writer.ok, result.output
    writer.check(root, [])
    assert temp_files(root) == []


# --- (a) a symlinked target ---------------------------------------------------------------------


@pytest.mark.parametrize("writer", cases("symlink"))
def test_writer_writes_through_a_symlink_and_keeps_the_link(writer, repo):
    writer.setup(repo)
    link = repo / writer.target
    real = repo / "shared" / link.name
    real.parent.mkdir()
    if link.exists():
        link.rename(real)  # the content moves to shared/, the old place becomes a link
    link.parent.mkdir(parents=True, exist_ok=True)
    relative = os.path.relpath(real, link.parent)
    link.symlink_to(relative)

    result = run_inprocess(repo, writer.args(repo))

    assert_landed(writer, repo, result)
    assert link.is_symlink() and os.readlink(link) == relative, "the link was replaced"
    assert real.is_file() and not real.is_symlink()
    assert real.read_bytes() == link.read_bytes()


# --- (b) a read-only file, (c) a read-only folder -----------------------------------------------


def assert_refused_untouched(writer: Writer, root: Path, before: dict[str, str], result) -> str:
    assert result.exit_code == 1, result.output
    line = one_error_line(result.stderr)
    assert tree(root) == before, "a file changed although the write was refused"
    assert temp_files(root) == []
    return line


@pytest.mark.parametrize("writer", cases("read-only-file"))
def test_writer_refuses_a_read_only_file_and_changes_nothing(writer, repo):
    writer.setup(repo)
    target = repo / writer.target
    target.chmod(0o444)
    before = tree(repo)
    try:
        result = run_inprocess(repo, writer.args(repo))
        line = assert_refused_untouched(writer, repo, before, result)
        assert str(target) in line, "the error names another file"
    finally:
        target.chmod(0o644)


@pytest.mark.parametrize("writer", cases("read-only-folder"))
def test_writer_refuses_a_read_only_folder_and_changes_nothing(writer, repo):
    writer.setup(repo)
    folder = (repo / writer.target).parent
    folder.chmod(0o555)
    before = tree(repo)
    try:
        result = run_inprocess(repo, writer.args(repo))
        line = assert_refused_untouched(writer, repo, before, result)
        assert str(folder) in line, "the error names another folder"
    finally:
        folder.chmod(0o755)
    # Writable again, the same command succeeds: the refusal was about the folder alone.
    assert_landed(writer, repo, run_inprocess(repo, writer.args(repo)))


# --- (d) the disk fills up midway ---------------------------------------------------------------


def file_size_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:  # in the child, before exec: EFBIG instead of a SIGXFSZ death
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.slow
@pytest.mark.parametrize("writer", cases("disk-full"))
def test_writer_hitting_a_full_disk_midway_leaves_every_file_as_it_was(writer, repo):
    before = prepare(writer, repo)
    target = repo / writer.target
    old = target.read_bytes() if target.exists() else b""
    limit = max(len(old) // 2, 64)  # reading is unlimited; only writing past `limit` fails

    code, _out, err = finish(start(repo, writer.args(repo), preexec_fn=file_size_limit(limit)))

    assert code == 1, err
    line = one_error_line(err)
    names = writer.writes or (writer.target,)
    assert any(Path(name).name in line for name in names), line
    assert tree(repo) == before, "a file holds something other than its old content"
    # Without the limit the same command writes more than `limit` bytes: the limit only ever
    # cut into the new content.
    assert_landed(writer, repo, run_inprocess(repo, writer.args(repo)))
    assert target.stat().st_size > limit


# --- (e) kill -9 between the temp write and the replace -----------------------------------------

PAUSE_BEFORE_REPLACE = """
import sys, time
from pathlib import Path
import ledger.fileio as fileio

flag, only = Path(sys.argv[1]), sys.argv[2]

def pause(tmp):
    if only and not tmp.name.startswith("." + only + "."):
        return
    flag.write_text(str(tmp))  # the temp file is written and synced; the target is not replaced
    time.sleep(300)

fileio._before_replace = pause
sys.argv = ["ledger", *sys.argv[3:]]
from ledger.cli import main
main()
"""


def kill_before_replace(root: Path, args: list[str], flags: Path, only: str = "") -> Path:
    """Run the writer until it is about to replace a file (`only`: a file of that name), kill -9
    it there, and return the temp file it left."""
    flag = flags / "paused"
    proc = subprocess.Popen(
        [sys.executable, "-c", PAUSE_BEFORE_REPLACE, str(flag), only, *args],
        cwd=root,
        env={**os.environ, **ENV},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while not flag.exists() or not flag.read_text():
        if proc.poll() is not None:
            pytest.fail(
                f"the writer ended ({proc.returncode}) before replacing: {proc.stderr.read()}"
            )
        assert time.monotonic() < deadline, "the writer never reached the replace"
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return Path(flag.read_text())


@pytest.mark.slow
@pytest.mark.parametrize("writer", cases("kill-9"))
def test_writer_killed_before_the_replace_leaves_the_old_file_and_the_next_write_cleans_up(
    writer, repo, tmp_path
):
    before = prepare(writer, repo)
    flags = tmp_path / "flags"
    flags.mkdir()

    stale = kill_before_replace(repo, writer.args(repo), flags)

    after = tree(repo)
    left = {name for name in after if name not in before}
    assert {repo / name for name in left} == {stale}, "not just the dead writer's temp file"
    assert {k: v for k, v in after.items() if k not in left} == before, "a file changed"
    # The next write takes the lock, removes the dead writer's temp file and lands.
    assert_landed(writer, repo, run_inprocess(repo, writer.args(repo)))
    assert not stale.exists()


@pytest.mark.slow
def test_compact_killed_between_archive_and_ledger_keeps_the_old_ledger_and_a_full_snapshot(
    repo, tmp_path
):
    writer = next(w for w in WRITERS if w.name == "archive-compact")
    standard_files(repo)
    flags = tmp_path / "flags"
    flags.mkdir()

    stale = kill_before_replace(repo, writer.args(repo), flags, only="fix_plan.md")

    assert stale.parent == repo / "docs" and stale.name.startswith(".fix_plan.md.")
    assert read(repo, "docs/fix_plan.md") == LEDGER
    snap = last_snapshot(repo)  # archive first: the condensed bytes are already safe
    assert (snap.date, snap.body) == (DAY, LEDGER)
    snapshots = len(split_archive(read(repo, "docs/fix_plan_archive.md")).snapshots)
    assert_landed(writer, repo, run_inprocess(repo, writer.args(repo)))
    assert not stale.exists()
    after = split_archive(read(repo, "docs/fix_plan_archive.md")).snapshots
    assert len(after) == snapshots, "the snapshot of the same bytes was appended twice"


# --- (f) writers running at the same time -------------------------------------------------------


def racer_args(root: Path, n: int) -> tuple[str, list[str]]:
    summary = f"racing writer {n:02d}"
    focus = ("ALPHA-001", "BETA-001")[n % 2]
    return summary, ledger_args(root, "attempt", "add", focus, "-k", "planning", "-m", summary)


@pytest.mark.slow
@pytest.mark.parametrize("writer", cases("concurrent"))
def test_writer_racing_other_writers_loses_nothing(writer, repo):
    prepare(writer, repo)
    if writer.rivals is not None:
        # It does not write the ledger: several runs of it race on the same output instead.
        procs = [start(repo, args) for args in writer.rivals(repo)]
        outputs = []
        for proc in procs:
            code, out, err = finish(proc)
            assert code == writer.ok, err
            outputs.append(out)
        writer.check_rivals(repo, outputs)
        assert temp_files(repo) == []
        return

    racers = [racer_args(repo, n) for n in range(RACERS)]
    procs = [start(repo, writer.args(repo))] + [start(repo, args) for _s, args in racers]
    results = [finish(proc) for proc in procs]
    assert results[0][0] == writer.ok, results[0][2]
    for code, _out, err in results[1:]:
        assert code == 0, err
    writer.check(repo, [summary for summary, _args in racers])
    assert temp_files(repo) == []


@pytest.mark.slow
def test_fix_racing_twenty_attempt_adds_applies_the_fix_and_keeps_every_attempt(repo):
    standard_files(repo)
    racers = [racer_args(repo, n) for n in range(20)]
    fixer = start(repo, ["fix", str(repo / "docs/fix_plan.md")])
    procs = [start(repo, args) for _s, args in racers]
    code, _out, err = finish(fixer)
    assert code == 1, err  # a fixer that changed something exits 1
    for proc in procs:
        code, _out, err = finish(proc)
        assert code == 0, err
    check_fix(repo, [summary for summary, _args in racers])
    assert temp_files(repo) == []


# --- a writer with two files: the second one read-only ----------------------------------------


def test_focus_new_with_a_read_only_plan_folder_changes_nothing(repo):
    writer = next(w for w in WRITERS if w.name == "focus-new")
    standard_files(repo)
    plans = repo / "plans" / "active" / NEW_ID
    plans.mkdir(parents=True)
    plans.chmod(0o555)
    before = tree(repo)
    try:
        result = run_inprocess(repo, writer.args(repo))
        assert_refused_untouched(writer, repo, before, result)
    finally:
        plans.chmod(0o755)

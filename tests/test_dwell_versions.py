"""Ledger versions rebuilt from `git log -p`, and walks resumed from checkpoints, give exactly
what reading every version whole and walking the whole history give (on real loop histories)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import DATA
from gitrepo import GitRepo

from ledger import history
from ledger.config import DwellConfig
from ledger.dwell import Rules, Walk, checkpoint, scan_repository, status_table, summarize_text
from ledger.dwell.scan import walk_from_checkpoint
from ledger.dwell.summaries import Summarizer
from ledger.dwell.versions import VersionTracker, blob_id

LEDGER = "docs/fix_plan.md"
ARCHIVE = "docs/fix_plan_archive.md"


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}


@pytest.fixture(scope="module")
def bundles(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("bundles")
    out = {}
    for name, bundle in (
        ("nb", "nanobragg-2025-10-10.bundle"),
        ("pp", "ptychopinn-2026-01-21.bundle"),
    ):
        subprocess.run(
            ["git", "clone", "-q", str(DATA / "fixtures" / bundle), str(root / name)],
            check=True,
            env=_env(),
            capture_output=True,
        )
        out[name] = root / name
    return out


@pytest.mark.parametrize("name", ["nb", "pp"])
def test_every_version_rebuilt_from_the_patches_is_the_committed_one_and_summarizes_alike(
    bundles, name
):
    repo = history.open_repo(bundles[name])
    tracker = VersionTracker()
    versions = 0
    with history.LedgerPatches(repo, "HEAD", LEDGER) as patches:
        for change in patches:
            tracker.apply(change)
            if change.blob is None:
                continue
            versions += 1
            data = tracker.data()
            assert blob_id(data) == change.blob
            assert tracker.summary() == Summarizer()(data.decode("utf-8", "surrogateescape"))
    committed = history.first_parent_commits(repo, "HEAD", LEDGER)
    assert versions == len({c.ledger_blob for c in committed if c.ledger_blob})


def test_odd_files_rebuild_exactly(tmp_path):
    """CRLF, a missing final newline, a lone CR, NUL bytes, emptying, deleting and re-creating."""
    repo = GitRepo(tmp_path / "r")
    path = repo.path / LEDGER
    versions = [
        b"# Plan\r\n\r\n## [A-001] x\r\n- Status: pending\r\n",
        b"# Plan\r\n\r\n## [A-001] x\r\n- Status: done",
        b"# Plan\n\n## [A-001] x\r- Status: done\n\x00binary\n",
        b"",
        None,
        b"## [B-002] back\n- Status: pending\n",
    ]
    for i, data in enumerate(versions):
        if data is None:
            repo.git("rm", "-q", LEDGER)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            repo.git("add", LEDGER)
        repo.git("commit", "-q", "--allow-empty", "-m", f"v{i}")
    tracker = VersionTracker()
    seen = []
    with history.LedgerPatches(history.open_repo(repo.path), "HEAD", LEDGER) as patches:
        for change in patches:
            tracker.apply(change)
            seen.append(None if change.blob is None else tracker.data())
    assert seen == versions


def _walk_until(commits, store, rules, stop: int) -> Walk:
    walk = Walk(store, rules)
    for commit in commits[:stop]:
        walk.feed(commit)
    return walk


@pytest.mark.parametrize("name", ["nb", "pp"])
def test_a_walk_resumed_from_a_saved_checkpoint_reports_what_the_whole_walk_reports(bundles, name):
    repo = history.open_repo(bundles[name])
    config = DwellConfig()
    rules = Rules.from_config(config, LEDGER, ARCHIVE)
    full = scan_repository(repo, "HEAD", LEDGER, config, ARCHIVE)
    commits, store = full.commits, full.summaries
    key = checkpoint.checkpoint_key(config, LEDGER, ARCHIVE)
    n = len(commits)
    checked = 0
    for stop in range(1, n, max(1, n // 23)):  # checkpoints all along the history
        saved = checkpoint.dumps(_walk_until(commits, store, rules, stop).state, key)
        for end in (stop, min(n, stop + 7), min(n, stop + n // 3), n):
            state = checkpoint.loads(saved, key)
            assert state is not None
            resumed = Walk(store, rules, state, keep_history=False)
            for commit in commits[stop:end]:
                resumed.feed(commit)
            expected = _walk_until(commits, store, rules, end).report()
            assert [r.to_json() for r in resumed.report().focus] == [
                r.to_json() for r in expected.focus
            ], (stop, end)
            checked += 1
    assert checked > 40


def test_a_checkpoint_made_under_other_settings_is_never_used(bundles):
    repo = history.open_repo(bundles["pp"])
    scan = scan_repository(repo, "HEAD", LEDGER, DwellConfig(), ARCHIVE)
    assert scan.state is not None
    data = checkpoint.dumps(scan.state, checkpoint.checkpoint_key(DwellConfig(), LEDGER, ARCHIVE))
    other = checkpoint.checkpoint_key(DwellConfig(tiers=(3, 5, 7)), LEDGER, ARCHIVE)
    assert checkpoint.loads(data, other) is None
    assert checkpoint.loads(b"{not json", other) is None


def _clone(source: Path, dest: Path, *extra: str) -> Path:
    subprocess.run(["git", "clone", "-q", *extra, str(source), str(dest)], check=True, env=_env())
    return dest


@pytest.mark.slow
def test_a_fresh_clone_starts_from_the_published_checkpoint_and_agrees_with_a_full_scan(
    bundles, tmp_path
):
    origin = _clone(bundles["nb"], tmp_path / "origin.git", "--bare")
    loop = _clone(origin, tmp_path / "loop")
    # the loop publishes a checkpoint some commits back, then goes on working
    subprocess.run(["git", "-C", str(loop), "reset", "-q", "--hard", "HEAD~25"], check=True)
    back = history.open_repo(loop)
    scan = scan_repository(back, "HEAD", LEDGER, DwellConfig(), ARCHIVE)
    from ledger.dwell import publish_checkpoint

    publish_checkpoint(back, scan.state, scan.checkpoint_key, "origin", scan.summaries)
    published = scan.state.commit
    fresh = _clone(origin, tmp_path / "fresh")
    repo = history.open_repo(fresh)
    assert not history.notes(repo)  # a clone does not fetch notes by itself
    report, state = walk_from_checkpoint(
        repo, history.resolve(repo, "HEAD"), LEDGER, DwellConfig(), ARCHIVE
    )
    assert history.notes(repo) and published in history.notes(repo)  # fetched once
    full = scan_repository(history.open_repo(bundles["nb"]), "HEAD", LEDGER, DwellConfig(), ARCHIVE)
    assert [r.to_json() for r in report.focus] == [r.to_json() for r in full.report.focus]
    table = status_table(history.open_repo(fresh), LEDGER, DwellConfig(), ARCHIVE)
    assert table.counts == {f.id: (f.dwell, f.tier) for f in full.report.focus if f.turns}
    assert state.commit == history.resolve(repo, "HEAD")


def test_without_any_checkpoint_the_walk_starts_at_the_root_and_saves_one(tmp_path):
    repo = GitRepo(tmp_path / "r")
    repo.commit("seed", {LEDGER: "## [A-001] x\n- Status: pending\n"})
    repo.commit("SUPERVISOR: A-001 plan", {"input.md": "go\n"})
    r = history.open_repo(repo.path)
    head = history.resolve(r, "HEAD")
    report, state = walk_from_checkpoint(r, head, LEDGER, DwellConfig(), ARCHIVE)
    assert report.get("A-001").turns == 1 and state.commit == head
    assert head in checkpoint.local_commits(r.git_dir)
    repo.commit("RALPH AUTO: reports", {"reports/r.log": "ok\n"})  # closes the turn, no code
    repo.commit("SUPERVISOR: A-001 again", {"input.md": "again\n"})
    report, _ = walk_from_checkpoint(r, history.resolve(r, "HEAD"), LEDGER, DwellConfig(), ARCHIVE)
    assert (report.get("A-001").turns, report.get("A-001").dwell) == (2, 1)


def test_summaries_of_whole_texts_and_of_pieces_agree_on_the_corpus():
    from conftest import corpus_files, read_corpus

    summarizer = Summarizer()
    for path in corpus_files():
        text = read_corpus(path)
        assert summarizer(text) == summarize_text(text), path

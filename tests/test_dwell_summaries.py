"""Ledger versions reduced to summaries: section by section like the whole parser, cached once."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import corpus_files, read_corpus
from dwell_history import TWO, ledger

from ledger.dwell import (
    SUMMARY_VERSION,
    LedgerSummary,
    Summarizer,
    SummaryStore,
    summarize_text,
)
from ledger.dwell.summaries import _MAX_PACKS, _prefer
from ledger.vocab import Status


def test_sectionwise_summaries_equal_whole_document_summaries_on_the_corpus():
    summarizer = Summarizer()
    for path in corpus_files():
        text = read_corpus(path)
        assert summarizer(text) == summarize_text(text), path


def test_sectionwise_summaries_survive_fences_breaks_and_reset_layout_edits():
    snippets = [
        "```\n",
        "~~~~\n",
        "   ```python\n",
        "## [NEW-ID-001] x\n",
        "### [SUB-002] y\n",
        "---\n",
        "## Attempts History\n",
        "### 2026-01-22T02:40Z — NEW-ID-001.F1 (scoped)\n",
        "**Active Focus:** NEW-ID-001\n",
        "- Status: done\n",
        "````\n",
        "\n",
    ]
    rng = random.Random(5)
    texts = [read_corpus(p) for p in corpus_files()[:8]]
    summarizer = Summarizer()
    for _ in range(60):
        lines = rng.choice(texts).splitlines(keepends=True)
        for _ in range(rng.randint(1, 5)):
            lines.insert(rng.randint(0, len(lines)), rng.choice(snippets))
        text = "".join(lines)
        assert summarizer(text) == summarize_text(text)


def test_each_blob_is_parsed_once_and_the_disk_cache_serves_later_runs(tmp_path):
    texts = {"b1": TWO, "b2": ledger(("A-001", "done"))}
    fetched: list[str] = []

    def fetch(ids):
        for i in ids:
            fetched.append(i)
            yield i, texts[i].encode()

    store = SummaryStore(fetch, tmp_path / "cache")
    progress: list[tuple[int, int]] = []
    store.prefetch(["b1", "b2", "b1"], lambda done, total: progress.append((done, total)))
    assert store("b1") == summarize_text(TWO) and store("b2").focus["A-001"].status is Status.done
    assert fetched == ["b1", "b2"] and store.parsed == 2 and progress[-1] == (2, 2)
    warm = SummaryStore(fetch, tmp_path / "cache")
    warm.prefetch(["b1", "b2"])
    assert warm.parsed == 0 and fetched == ["b1", "b2"]
    assert warm("b1") == store("b1") and warm(None) == LedgerSummary()


def test_a_damaged_cache_entry_is_parsed_again(tmp_path):
    store = SummaryStore(lambda ids: ((i, TWO.encode()) for i in ids), tmp_path)
    store.prefetch(["ab12"])
    entry = next(tmp_path.rglob("*.json"))
    entry.write_text("{not json")
    again = SummaryStore(lambda ids: ((i, TWO.encode()) for i in ids), tmp_path)
    assert again("ab12") == summarize_text(TWO) and again.parsed == 1


def test_cache_entries_keep_statuses_as_the_vocabulary_reads_them(tmp_path):
    text = ledger(("A-001", "Completed"), ("B-002", "in-planning"), ("C-003", "whatever"))

    def fetch(ids):
        return ((i, text.encode()) for i in ids)

    SummaryStore(fetch, tmp_path).prefetch(["cd34"])
    warm = SummaryStore(fetch, tmp_path)
    statuses = {fid: f.status for fid, f in warm("cd34").focus.items()}
    assert statuses == {"A-001": Status.done, "B-002": Status.planning, "C-003": Status.unknown}
    assert warm.parsed == 0


def test_a_cache_entry_naming_no_status_is_parsed_again(tmp_path):
    store = SummaryStore(lambda ids: ((i, TWO.encode()) for i in ids), tmp_path)
    store.prefetch(["ef56"])
    entry = next(tmp_path.rglob("*.json"))
    entry.write_text(entry.read_text().replace('"in_progress"', '"not-a-status"'))
    again = SummaryStore(lambda ids: ((i, TWO.encode()) for i in ids), tmp_path)
    assert again("ef56") == summarize_text(TWO) and again.parsed == 1


@pytest.mark.parametrize(
    "module", ["parse/blocks.py", "parse/attempts.py", "vocab.py", "planning.py"]
)
def test_a_change_to_any_part_of_the_parser_starts_a_new_cache_folder(tmp_path, module):
    """The fingerprint covers every module that turns text into a summary, not only some."""
    import ledger

    def folder_name(src: Path) -> str:
        code = "import sys; from ledger.dwell import cache_dir; print(cache_dir('.').name)"
        env = {**os.environ, "PYTHONPATH": str(src)}
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
        )
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    copy = tmp_path / "src"
    shutil.copytree(Path(ledger.__file__).parent, copy / "ledger")
    before = folder_name(copy)
    with open(copy / "ledger" / module, "a") as fh:
        fh.write("\n# a change\n")
    after = folder_name(copy)
    prefix = f"summaries-v{SUMMARY_VERSION}-"
    assert before.startswith(prefix) and after.startswith(prefix)
    assert before != after


def _text_store(folder: Path, **kwargs) -> SummaryStore:
    return SummaryStore(lambda ids: ((i, TWO.encode()) for i in ids), folder, **kwargs)


def test_the_summaries_of_one_batch_are_one_pack(tmp_path):
    _text_store(tmp_path).prefetch(["a1", "b2", "c3"])
    assert len(list(tmp_path.glob("pack-*.json"))) == 1
    warm = _text_store(tmp_path)
    assert warm.missing(["a1", "b2", "c3", "d4"]) == ["d4"] and warm.parsed == 0


def test_many_packs_are_merged_into_one_and_keep_every_summary(tmp_path):
    for k in range(_MAX_PACKS + 1):
        store = _text_store(tmp_path)
        store.prefetch([f"blob{k}"])
    packs = list(tmp_path.glob("pack-*.json"))
    assert len(packs) == 1
    warm = _text_store(tmp_path)
    assert warm.missing([f"blob{k}" for k in range(_MAX_PACKS + 1)]) == []


def test_a_summary_with_the_next_item_wins_over_one_without_whatever_the_order():
    plain, planned = {"v": 4, "focus": []}, {"v": 4, "focus": [], "next": None}
    for first, second in ((plain, planned), (planned, plain)):
        entries: dict[str, dict] = {}
        _prefer(entries, "b1", first)
        _prefer(entries, "b1", second)
        assert entries["b1"] is planned


def test_a_store_that_needs_next_items_reads_them_from_another_stores_pack(tmp_path):
    for plan_next in (True, False):
        store = _text_store(tmp_path, summarizer=Summarizer(plan_next=plan_next))
        store.put("b1", store._summarize(TWO))
        store.save()
    assert len(list(tmp_path.glob("pack-*.json"))) == 2
    reader = SummaryStore(lambda ids: iter(()), tmp_path, Summarizer(plan_next=True))
    assert reader.missing(["b1"]) == [] and reader("b1").planned


def test_a_merge_keeps_what_another_run_wrote_after_this_one_read_the_packs(tmp_path):
    for k in range(_MAX_PACKS - 1):
        _text_store(tmp_path).prefetch([f"blob{k}"])
    mine = _text_store(tmp_path)
    assert mine.missing(["blob0", "mine"]) == ["mine"]  # the packs are read here
    _text_store(tmp_path).prefetch(["late"])  # another run, meanwhile
    mine.prefetch(["mine"])  # the sixteenth pack and more: merged
    assert len(list(tmp_path.glob("pack-*.json"))) == 1
    reader = _text_store(tmp_path)
    assert reader.missing(["late", "mine", "blob0"]) == [] and reader.parsed == 0

"""`merge.chunks`: a ledger cut into chunks with identities the merge can match across sides."""

from __future__ import annotations

from ledger.merge.chunks import item_parts, rekey, section_parts, top_chunks
from ledger.parse import loads

LEDGER = """\
# Plan
**Last Updated:** 2026-01-05

## [A-001] One
- Status: pending
- Attempts History:
  * [2025-12-01] Attempt #1 — Result: x
  * [2025-12-02] Attempt #2 — Result: y

---

## [B-002] Two
- Status: done
"""


def test_top_chunks_cover_every_line_and_name_sections_by_id():
    chunks = top_chunks(loads(LEDGER))
    assert "".join(line for c in chunks for line in c.lines) == LEDGER
    named = [c.key for c in chunks if c.named]
    assert ("section", "A-001", 0) in named and ("section", "B-002", 0) in named
    assert [c.start for c in chunks] == sorted(c.start for c in chunks)


def test_unnamed_chunks_are_keyed_by_the_chunk_that_follows_them():
    chunks = top_chunks(loads(LEDGER))
    (rule,) = [c for c in chunks if c.kind == "break"]
    # `---`, then a blank line (prose), then the section: each is keyed by what follows it.
    assert rule.key == ("break", "before", ("prose", "before", ("section", "B-002", 0)))


def test_section_parts_key_fields_by_name_and_attempts_by_their_entry():
    section = next(c for c in top_chunks(loads(LEDGER)) if c.key[1] == "A-001")
    parts = section_parts(section)
    assert "".join(line for p in parts for line in p.lines) == "".join(section.lines)
    assert [p.kind for p in parts] == ["heading", "field", "field", "attempt", "attempt", "other"]
    assert parts[1].key == ("field", ("status", 0), 0)
    stamp, label, _text = parts[3].key[1]
    assert (stamp, label) == ("2025-12-01", "Attempt #1")
    assert parts[3].when is not None and parts[3].when.day == 1


def test_an_edited_attempt_keeps_its_identity_on_the_other_side():
    base = section_parts(next(c for c in top_chunks(loads(LEDGER)) if c.key[1] == "A-001"))
    edited = LEDGER.replace("Result: y", "Result: y (rerun)")
    side = section_parts(next(c for c in top_chunks(loads(edited)) if c.key[1] == "A-001"))
    assert side[4].key != base[4].key  # the text is part of the name
    assert rekey(base, side)[4].key == base[4].key


QUEUE = """\
# Plan

## High Priority
- [ ] CR-01: Login loop
  - [ ] Reproduce on Safari
  - 2026-02-03T04:05Z (planning) — only with SSO
- [ ] 2. Sub-tasks
  - [ ] 2.1 First part
    - note on the first part
  - [ ] 2.2 Second part

### W1: Heading item
**Status:** open
Body text.
"""


def test_a_group_is_cut_into_its_heading_and_its_items_by_id():
    chunks = top_chunks(loads(QUEUE))
    group = next(c for c in chunks if c.lines[0] == "## High Priority\n")
    parts = item_parts(group)
    assert "".join(line for p in parts for line in p.lines) == "".join(group.lines)
    assert [(p.kind, p.key[1]) for p in parts if p.named] == [
        ("heading", "heading"),
        ("item", "CR-01"),
        ("item", "2"),
    ]


def test_an_item_is_cut_into_its_line_steps_notes_and_nested_items():
    group = next(c for c in top_chunks(loads(QUEUE)) if c.lines[0] == "## High Priority\n")
    cr01, task = (p for p in item_parts(group) if p.kind == "item")
    assert [p.kind for p in item_parts(cr01)] == ["heading", "step", "attempt"]
    assert item_parts(cr01)[1].key == ("step", "Reproduce on Safari", 0)
    inner = [p for p in item_parts(task) if p.kind == "item"]
    assert [p.key[1] for p in inner] == ["2.1", "2.2"]
    assert inner[0].lines == ("  - [ ] 2.1 First part\n", "    - note on the first part\n")


def test_a_heading_item_is_named_by_its_id_not_its_heading_text():
    moved = QUEUE.replace("### W1: Heading item", "### W1: Heading item ✅")
    keys = [{c.key for c in top_chunks(loads(text))} for text in (QUEUE, moved)]
    assert ("group", ("item", "W1"), 0) in keys[0] & keys[1]


def test_text_keeps_its_identity_when_the_side_appends_right_after_it():
    plan = "# Plan\n\n## Tasks\n- [ ] 1. Set up\n  - Create the folders\n"
    noted = plan + "  - 2026-02-03T04:05Z (planning) — done by hand\n"

    def parts(text: str):
        group = next(c for c in top_chunks(loads(text)) if c.kind == "group" and c.items)
        return item_parts(next(p for p in item_parts(group) if p.kind == "item"))

    base, side = parts(plan), parts(noted)
    assert side[1].key != base[1].key  # keyed by what follows it: now the note
    assert rekey(base, side)[1].key == base[1].key

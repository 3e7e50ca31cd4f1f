"""What an item's own line says besides its title: the written ID, status markers and emoji,
priority markers, tags, inline dependencies; and the cleaned title a person reads.

Shared by every non-section form (`parse.forms`): a checkbox line `- [ ] T010 [US1] Add X
(depends on T009)`, a heading `### P5（暂缓）：Title`, a table cell `**[C-01] Title**` all go
through `read_label`, so a marker means the same thing wherever it is written.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..lazyregex import lazy_compile
from ..vocab import STATUS_WORDS, PriorityReading, Status, heading_priority

# A written code in front of a title: `CR-01`, `T001`, `W1`, `P4-bug`, `CR-28/29`, `FIX-01`.
_CODE = r"[A-Z][A-Za-z0-9]*(?:[-_./][A-Za-z0-9]+)*"
# A label word with a number: `Batch 3`, `Task 1.2`, `Fix 2`, `Issue 4`.
ITEM_WORDS = ("batch", "task", "fix", "issue", "bug", "item", "ticket", "story", "step", "problem")
_WORD_NUMBER = rf"(?i:{'|'.join(ITEM_WORDS)})\s+[0-9]+(?:\.[0-9]+)*"
# Kiro and other numbered task lists: `1.`, `2.1`, `3.2.1`.
_NUMBER = r"[0-9]+(?:\.[0-9]+)+|[0-9]+\.(?=\s)"
_SEPARATOR = r"\s*(?:[:：]|\s[—–-]\s|—|–)\s*"
# A status marker between the code and the separator: `P5（暂缓）：`.
_PAREN_MARK = r"\s*(?:[（(](?P<mark>[^）)\n]{1,12})[）)])?"
_LABELLED = lazy_compile(
    rf"(?:\[(?P<bracket>[^\]\s]+)\]\s+|(?P<code>{_CODE}|{_WORD_NUMBER}){_PAREN_MARK}(?:\*\*)?"
    rf"{_SEPARATOR})"
)
# Without a separator a code must look like an ID on its own: `T001 Title`, `CR-08 Title`.
_BARE_CODE = lazy_compile(
    rf"(?P<code>[A-Z]+[0-9]{{2,}}|[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+|{_WORD_NUMBER}|{_NUMBER})\s+"
)
_HAS_DIGIT = re.compile(r"[0-9]")
# spec-kit tags after the ID: `[P]` (parallel), `[US1]` (user story).
_TAGS = re.compile(r"(?:\[(?:P|US[0-9]+|Story[^\]]*)\]\s*)+")
# Inline dependencies after a title: `(depends on T009, T010)`.
DEPENDS_MARK = re.compile(r"\s*\((?:depends on|after|needs|requires)\s+([^)]*)\)", re.IGNORECASE)
_DEPENDS_SPLIT = re.compile(r"[,\s]+(?:and\s+)?")
# A written code as a whole token, with a digit: `W3`, `T009`, `FIX-01`, Kiro's `2.1`.
_CODE_TOKEN = re.compile(rf"(?=\S*[0-9])(?:{_CODE}|[0-9]+(?:\.[0-9]+)+)")
_BLOCKED = re.compile(r"\[BLOCKED(?::(?P<level>[^:\]]*))?(?::(?P<reason>[^\]]*))?\]\s*")
_STAR_MARK = re.compile(r"\s*⭐\s*(?P<text>[^⭐]*)$")
# Long enough for every status word (`(ready_for_implementation)`).
_TRAILING_PAREN = lazy_compile(r"\s*[（(](?P<word>[^）)\n]{1,32})[）)]\s*$")
_TRAILING_BOLD = re.compile(
    r"\s*(?:[—–-]\s*)?(?:\*\*|\*|_)(?P<word>[^*_\n]{1,30})(?:\*\*|\*|_)\s*$"
)
_SHOUTED = lazy_compile(
    r"(?:^|\s)(?:[—–-]\s*)?(?:[🟠🔴🟡🟢⛔❌✅]\s*)?(?P<word>DONE|FIXED|COMPLETE|COMPLETED|RESOLVED|DEFERRED|BLOCKED|"
    r"WONTFIX|WON'T FIX|IN PROGRESS|WIP|TODO|SKIPPED|SUPERSEDED)(?=\s|$|[:.!])"
)
# Traffic-light circles are left out: ledgers use them for severity as often as for status.
_EMOJI = {
    "✅": Status.done,
    "✔️": Status.done,
    "✔": Status.done,
    "☑️": Status.done,
    "🚧": Status.in_progress,
    "⏳": Status.in_progress,
    "🔄": Status.in_progress,
    "⛔": Status.blocked,
    "🚫": Status.blocked,
    "⏸️": Status.deferred,
    "⏸": Status.deferred,
}
_SHOUTED_STATUS = {
    "WONTFIX": Status.superseded,
    "WON'T FIX": Status.superseded,
    "SKIPPED": Status.superseded,
    "IN PROGRESS": Status.in_progress,
    "TODO": Status.pending,
}
_MARKUP = re.compile(r"\*\*|`")
_SPACES = re.compile(r"\s{2,}")


class Label(NamedTuple):
    """What an item's own line says: its written ID, cleaned title, and the status, priority,
    dependencies and optional mark written on it."""

    id: str | None
    title: str
    status: Status | None = None
    status_text: str = ""
    priority: PriorityReading | None = None
    depends_on: tuple[str, ...] = ()
    depends_text: str = ""
    reason: str = ""


def status_word(word: str) -> Status | None:
    """The status a marker word names (`DONE`, `暂缓`, `已实施`, `archived`), or None."""
    w = word.strip().strip("*_ ").lower()
    return STATUS_WORDS.get(w) or STATUS_WORDS.get(w.replace(" ", "_").replace("-", "_"))


def emoji_status(text: str) -> Status | None:
    """The status an emoji in `text` names (`✅` done, `🟠` blocked, `🚧` in progress)."""
    for emoji, status in _EMOJI.items():
        if emoji in text:
            return status
    return None


def clean(text: str) -> str:
    """Markdown markup off a title: `**`, `__` and backticks go, the code text stays."""
    return _SPACES.sub(" ", _MARKUP.sub("", text)).strip()


def read_label(text: str, numbers: bool = False) -> Label:
    """Read the text of an item's line after its bullet or checkbox (or a heading's text).

    `numbers`: a bare number (`2.1 Title`, `1. Title`) is the ID (Kiro task lists)."""
    status: Status | None = None
    status_text = ""
    priority: PriorityReading | None = None
    reason = ""
    rest = text.strip()
    m = _BLOCKED.match(rest)
    if m:
        status, status_text = Status.blocked, m.group(0).strip()
        reason = (m.group("reason") or "").strip()
        if m.group("level"):
            reading = heading_priority(m.group("level"))
            if reading.stated:
                priority = reading
            elif not reason:  # `[BLOCKED:reason]`: one part, and it is no priority
                reason = m.group("level").strip()
        rest = rest[m.end() :]
    bold = rest.startswith("**")
    unbolded = rest[2:] if bold else rest
    item_id, rest, mark = _read_code(unbolded, rest, numbers)
    if mark and status_word(mark):
        status, status_text = status_word(mark), mark
    rest = _TAGS.sub("", rest, count=1) if rest.startswith("[") else rest
    depends: tuple[str, ...] = ()
    depends_text = ""
    d = DEPENDS_MARK.search(rest)
    if d:
        depends_text = d.group(1).strip()
        depends = tuple(t for t in _DEPENDS_SPLIT.split(depends_text) if t)
        rest = rest[: d.start()] + rest[d.end() :]
    title, found, found_text, star = _strip_trailing_markers(rest)
    if found is not None and status is None:
        status, status_text = found, found_text
    if star:
        reading = heading_priority(star)
        if reading.stated and priority is None:
            priority = reading
    return Label(
        item_id, clean(title), status, status_text, priority, depends, depends_text, reason
    )


def _read_code(unbolded: str, rest: str, numbers: bool) -> tuple[str | None, str, str]:
    """The written ID at the start (bold or not), the text after it, and a `（mark）`."""
    m = _LABELLED.match(unbolded)
    if m and m.group("bracket"):
        return m.group("bracket"), unbolded[m.end() :], ""
    if m and _HAS_DIGIT.search(m.group("code")) and _id_like(m.group("code"), numbers):
        return m.group("code"), unbolded[m.end() :], m.group("mark") or ""
    m = _BARE_CODE.match(unbolded)
    if m and _id_like(m.group("code"), numbers):
        return m.group("code").rstrip("."), unbolded[m.end() :], ""
    return None, rest, ""


def _id_like(code: str, numbers: bool) -> bool:
    """Bare numbers are IDs only in numbered task lists; anything else needs a digit and an
    upper-case start (so `Brain:` and `Test:` stay part of the title)."""
    if code[:1].isdigit():
        return numbers
    return bool(_HAS_DIGIT.search(code))


def _strip_trailing_markers(text: str) -> tuple[str, Status | None, str, str]:
    """The title without trailing status markers (`（已实施）`, `✅`, `— **archived**`, `DONE`)
    and emphasis (`⭐ 最高优先`); the status they name, its text, and the starred text."""
    status: Status | None = None
    status_text = ""
    star = ""
    title = text.strip()
    for _ in range(4):  # markers stack: `Title ✅ (done)`
        before = title
        m = _STAR_MARK.search(title)
        if m:
            star, title = m.group("text").strip(), title[: m.start()].rstrip()
        m = _TRAILING_PAREN.search(title)
        if m and status_word(m.group("word")):
            status = status or status_word(m.group("word"))
            status_text = status_text or m.group("word")
            title = title[: m.start()].rstrip()
        m = _TRAILING_BOLD.search(title)
        if m and status_word(m.group("word")) and m.start() > 0:
            status = status or status_word(m.group("word"))
            status_text = status_text or m.group("word")
            title = title[: m.start()].rstrip()
        for emoji, emoji_is in _EMOJI.items():
            if title.endswith(emoji) or title.startswith(emoji):
                status = status or emoji_is
                status_text = status_text or emoji
                title = title.strip().removeprefix(emoji).removesuffix(emoji).strip()
        m = _SHOUTED.search(title)
        if m and (m.end() >= len(title.rstrip(" :.!")) or m.start() == 0):
            word = m.group("word")
            status = status or _SHOUTED_STATUS.get(word) or status_word(word)
            status_text = status_text or word
            title = (title[: m.start()] + title[m.end() :]).strip(" :—–-")
        if title == before:
            break
    return title, status, status_text, star


def written_codes(text: str) -> list[str]:
    """The written codes a dependency value lists (`W3, T009 and 2.1`): every part that is a
    code on its own (`none`, remarks and wildcards are not)."""
    return [t for t in _DEPENDS_SPLIT.split(text.strip()) if _CODE_TOKEN.fullmatch(t)]

"""Focus IDs: what a new ID may be, and recognising IDs in text (one home for both).

A new ID (`ledger focus new`, an agent's `focus_new`) becomes a heading, an index cell and the
name of a folder under `plans/active/`, so it must be safe as all three: letters, digits, `.`,
`_` and `-`, starting with a letter or digit, without `..`, not ending in `.`. IDs already in a
ledger are read as written (real ledgers have `seed`, U+2011 hyphens and `ID.F1` suffixes); only
new ones are held to this rule.

IDs named in free text (dependencies, return conditions, the Active Focus line, commit subjects)
are found by `IdMatcher`, built once per set of known IDs: every command that asks "which focus
does this text name?" gets the same answer.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from functools import cached_property, lru_cache
from typing import NamedTuple

from .errors import UsageError

MAX_ID_LENGTH = 100

_NEW_ID = re.compile(r"(?!.*\.\.)[^\W_][\w.-]*(?<!\.)")


def is_valid_new_id(text: str) -> bool:
    """Whether `text` may name a new focus item (and a plan folder)."""
    return len(text) <= MAX_ID_LENGTH and _NEW_ID.fullmatch(text) is not None


def check_new_id(text: str) -> str:
    """`text` when it is a valid new ID, else one clear `UsageError` (exit 2)."""
    if not is_valid_new_id(text):
        raise UsageError(
            f"{text!r} is not a usable focus ID: use letters, digits, '.', '_' and '-' "
            f"(starting with a letter or digit, no '..', no '/', at most {MAX_ID_LENGTH} "
            "characters), e.g. FIX-LOADER-001"
        )
    return text


# --- IDs of items that have none written -------------------------------------------------------

_SLUG_DROP = re.compile(r"[^\w]+")
MAX_DERIVED_LENGTH = 48


def derive_id(title: str) -> str:
    """The ID of an item that has none written: its title in lower case, runs of anything but
    letters and digits (any script) as `-`, cut at a word boundary to at most 48 characters
    (`Create src/ralph.sh - main loop script` -> `create-src-ralph-sh-main-loop-script`)."""
    slug = _SLUG_DROP.sub("-", title.lower()).strip("-_")
    if len(slug) > MAX_DERIVED_LENGTH:
        cut = slug[:MAX_DERIVED_LENGTH]
        slug = cut[: cut.rfind("-")] if "-" in cut else cut
    return slug or "item"


# --- recognising IDs in text ---------------------------------------------------------------------

# The shape of an ID written without brackets: upper-case words joined by hyphens (U+2011 too),
# with an optional lower-case suffix letter (`INTEGRATE-PYTORCH-PARITY-001B`, `FIX-COMPARE-001`).
ID_SHAPE = r"[A-Z][A-Z0-9]*(?:[-‑][A-Z0-9]+)+[a-z]?"
ID_TOKEN_RE = re.compile(rf"(?<![\w/.-])\[?({ID_SHAPE})\]?(?![\w/-])")
# An ID used as a folder name: `plans/active/<ID>/implementation.md`.
PATH_ID_RE = re.compile(rf"(?:^|/)({ID_SHAPE})(?=/)")
# An ID opening a line as its subject: `FIX-X-001: ...`, `**[FIX-X-001]** — ...`.
SUBJECT_ID_RE = re.compile(
    rf"\s*(?:\*\*)?\[?({ID_SHAPE.replace('[-‑]', '-')})\]?(?:\*\*)?\s*(?::|—|–|‚Äî)"
)
# Words of another document that could be IDs (findings files): letters, digits, `_`, hyphens.
ID_WORD_RE = re.compile(r"[A-Za-z0-9][\w‑-]*[A-Za-z0-9]")
# A bracketed token anywhere in a ledger (`[PINN-CHUNKED-001]`): where an ID is mentioned.
BRACKETED_RE = re.compile(r"\[([^\]\s]+)\]")
# The focus a `<plan_update>` block names: `<focus_id>FIX-X-001</focus_id>`.
FOCUS_TAG_RE = re.compile(r"<focus_id>\s*([^<\s]+)\s*</focus_id>")
_SUBJECT_TOKEN = re.compile(r"[\w‑-]+")
_PATHS = re.compile(r"\S*/\S*")


def _trie_pattern(words: Iterable[str]) -> str:
    """One regex alternation for many literal words, factored as a trie, so matching costs
    the length of the text rather than the number of words."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def render(node: dict) -> str:
        branches = [re.escape(ch) + render(child) for ch, child in sorted(node.items()) if ch]
        optional = "" in node
        if not branches:
            return ""
        if len(branches) == 1 and not optional:
            return branches[0]
        body = "(?:" + "|".join(branches) + ")"
        return body + "?" if optional else body

    return render(trie)


class IdMatcher:
    """The focus IDs a ledger knows, compiled once: found in free text, commit subjects and
    paths by one pass each, however many IDs there are."""

    def __init__(self, known: Iterable[str]) -> None:
        self.known = frozenset(known)

    @cached_property
    def _known_re(self) -> re.Pattern | None:
        """The known IDs as whole words (built on first use: callers that find an ID-shaped
        token first never need it, and a history scan meets many sets of IDs)."""
        pattern = _trie_pattern(self.known) if self.known else None
        return re.compile(rf"(?<![\w/.-])(?:{pattern})(?![\w/-])") if pattern else None

    def tokens(self, text: str) -> Iterator[str]:
        """The ID-shaped tokens of `text` (bracketed or not, never inside a path such as
        `plans/active/ID/x.md`), in order."""
        for m in ID_TOKEN_RE.finditer(_PATHS.sub(" ", text)):
            token = m.group(1)
            yield token if token in self.known else token.replace("‑", "-")

    def find(self, text: str) -> list[str]:
        """IDs named in free text, in order: ID-shaped tokens, then any other known ID written
        as a word."""
        found = dict.fromkeys(self.tokens(text))
        if self._known_re is not None:
            for m in self._known_re.finditer(text):
                found.setdefault(m.group(0))
        return list(found)

    def first_known(self, text: str) -> str | None:
        """The first known ID `find` gives for `text`, or None: a known ID-shaped token, else
        the first known ID written as a word (every word match is a known ID)."""
        for token in self.tokens(text):
            if token in self.known:
                return token
        m = self._known_re.search(text) if self._known_re is not None else None
        return m.group(0) if m else None


@lru_cache(maxsize=64)
def matcher(known: frozenset[str]) -> IdMatcher:
    """The (cached) matcher for a set of known IDs."""
    return IdMatcher(known)


def find_ids(text: str, known: Iterable[str] = ()) -> list[str]:
    """IDs named in free text (see `IdMatcher.find`)."""
    return matcher(known if isinstance(known, frozenset) else frozenset(known)).find(text)


_PARENTHESISED = re.compile(r"\([^()]*\)")
# The last part of a pattern naming a family of IDs: `MAP-SCALE-00x`, `DB-AT-02X`.
_WILDCARD_TAIL = re.compile(r"[-‑][0-9]*[xX]+$")


def dependency_ids(text: str, known: Iterable[str] = ()) -> list[str]:
    """The IDs a dependency value names, as a person reads it.

    Each comma-separated part names its IDs; a parenthesised remark after an ID is a comment
    (`A-001 (needs B-002 first)` depends on A-001 only), but when a part names no ID outside
    its remark, the remark says which item it is (`Baseline inference (via C-003)` is C-003).
    A wildcard (`MAP-SCALE-00x`) names a family, not an item."""
    found: list[str] = []
    for part in _top_level_parts(text):
        ids = find_ids(_PARENTHESISED.sub(" ", part), known) or find_ids(part, known)
        found += [i for i in ids if not _WILDCARD_TAIL.search(i) and i not in found]
    return found


def _top_level_parts(text: str) -> list[str]:
    """`text` cut at the commas and semicolons outside parentheses."""
    parts: list[str] = []
    depth = start = 0
    for k, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        elif ch in ",;" and depth == 0:
            parts.append(text[start:k])
            start = k + 1
    parts.append(text[start:])
    return parts


def ids_in_subject(subject: str, known: Collection[str]) -> list[str]:
    """Known IDs named in a commit subject; `ID.F1`, `ID A1:`, `[ID]` all name `ID`.

    Subjects are cut into words, so this costs the length of the subject whatever the number of
    known IDs (`known` may be any set, also one that grows as a history is read)."""
    found: dict[str, None] = {}
    for token in _SUBJECT_TOKEN.findall(subject):
        if token in known:
            found.setdefault(token)
        else:  # `ID-` followed by punctuation-free text is not the ID; a trailing `-` is
            trimmed = token.rstrip("-‑")
            if trimmed != token and trimmed in known:
                found.setdefault(trimmed)
    return list(found)


def focus_of_reference(ref: str) -> str | None:
    """`DEBUG-SIM-LINES-DOSE-001.F1` / `seed S1–S2` / `ID A1:` -> the focus ID they name."""
    token = ref.strip().strip("[]*`").split()[0] if ref.strip() else ""
    token = token.strip("[]*`:,")
    if "." in token:
        token = token.split(".", 1)[0]
    return token or None


def ids_in_paths(text: str) -> list[str]:
    """IDs used as folder names in paths (`plans/active/<ID>/...`)."""
    return [m.group(1) for m in PATH_ID_RE.finditer(text)]


def subject_id(text: str) -> str | None:
    """The ID an entry opens with as its subject (`FIX-X-001: ...`), or None."""
    m = SUBJECT_ID_RE.match(text)
    return m.group(1) if m else None


def bracketed_tokens(lines: Iterable[str]) -> dict[str, int]:
    """Every `[TOKEN]` of some lines and the first (1-based) line it is on, in one pass."""
    out: dict[str, int] = {}
    for n, line in enumerate(lines, 1):
        if "[" in line:
            for m in BRACKETED_RE.finditer(line):
                out.setdefault(m.group(1), n)
    return out


class FocusTag(NamedTuple):
    """The ID a `<focus_id>` tag names and its 1-based column in the line."""

    id: str
    column: int


def focus_tag(line: str) -> FocusTag | None:
    """The `<focus_id>ID</focus_id>` tag of a line, or None."""
    m = FOCUS_TAG_RE.search(line)
    return FocusTag(m.group(1), m.start(1) + 1) if m else None

"""LDG8xx encoding: mojibake, invalid UTF-8, control characters, conflict markers, diff residue
and (opt-in) trailing whitespace."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..document import CODE
from ..encoding import ENCODING_NAMES, UNDECODABLE, demojibake
from ..wording import plural
from .registry import ERROR, INFO, WARNING, Context, Finding, line_list, rule

_CONFLICT_OPEN = re.compile(r"<{7}(?: |$)")
_CONFLICT_OTHER = re.compile(r"(?:>{7}|\|{7})(?: |$)")
_DIFF_RESIDUE = re.compile(
    r"[-+]#{1,6}[ \t]"  # -### [ID] Title
    r"|[-+][ \t]+[-*][ \t]+\*?\[?\d{4}-\d{2}-\d{2}"  # -  - *2026-01-28T05:00:00Z ...
    r"|@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@"
    r"|diff --git a/"
    r"|(?:---|\+\+\+) [ab]/"
)


@rule(
    "LDG801", "mojibake", ERROR, "UTF-8 text that was decoded as Mac Roman or cp1252.", fixable=True
)
def mojibake(ctx: Context) -> Iterator[Finding]:
    hits: dict[str, list[int]] = {}
    first_col: dict[str, int] = {}
    contents = ctx.lines
    for k in ctx.suspects.mojibake_lines:
        n, line = k + 1, contents[k]
        found = demojibake(line)
        if found is None:
            continue
        fixed, encoding = found
        hits.setdefault(encoding, []).append(n)
        if encoding not in first_col:
            first_col[encoding] = next(
                (i + 1 for i, (a, b) in enumerate(zip(line, fixed)) if a != b), 1
            )
    for encoding, lines in hits.items():
        yield ctx.finding(
            "LDG801",
            lines[0],
            f"mojibake: {plural(len(lines), 'line')} {'is' if len(lines) == 1 else 'are'} "
            f"UTF-8 decoded as {ENCODING_NAMES[encoding]} "
            f"(lines {line_list(lines)}); `ledger fix` repairs them",
            first_col[encoding],
        )


@rule("LDG802", "invalid-utf8", ERROR, "Bytes that are not valid UTF-8.")
def invalid_utf8(ctx: Context) -> Iterator[Finding]:
    # undecodable bytes were read as lone surrogates (U+DC80-DCFF), found by the one scan
    for k in ctx.suspects.undecodable_lines:
        line = ctx.lines[k]
        chars = UNDECODABLE.findall(line)
        raw = " ".join(f"0x{ord(c) - 0xDC00:02X}" for c in chars[:4])
        col = line.index(chars[0]) + 1
        yield ctx.finding("LDG802", k + 1, f"bytes that are not valid UTF-8 ({raw})", col)


@rule("LDG803", "control-character", WARNING, "A control character in the text.")
def control_character(ctx: Context) -> Iterator[Finding]:
    for line, col, char in ctx.suspects.controls:
        yield ctx.finding("LDG803", line + 1, f"control character U+{ord(char):04X}", col + 1)


@rule("LDG804", "conflict-marker", ERROR, "A merge conflict marker.")
def conflict_marker(ctx: Context) -> Iterator[Finding]:
    # no whole-text search first: a substring search for seven `<` in a wide string costs more
    # than looking at the first character of every line
    open_conflict = False
    for n, line in enumerate(ctx.lines, 1):
        first = line[:1]
        if not first or first not in "<>|=":
            continue
        if _CONFLICT_OPEN.match(line):
            open_conflict = True
        elif _CONFLICT_OTHER.match(line):
            if line.startswith(">"):
                open_conflict = False
        elif not (open_conflict and line == "======="):
            continue  # `=======` alone is also a setext heading underline
        yield ctx.finding("LDG804", n, f"merge conflict marker {line[:7]!r}")


@rule("LDG805", "diff-residue", ERROR, "A line pasted from a diff (`-### [ID]`, `@@ ... @@`).")
def diff_residue(ctx: Context) -> Iterator[Finding]:
    classes = ctx.classes
    for n, line in enumerate(ctx.lines, 1):
        if not line or line[0] not in "-+@d" or classes[n - 1] == CODE:
            continue
        if _DIFF_RESIDUE.match(line):
            yield ctx.finding("LDG805", n, f"diff residue: {line[:40]!r} looks pasted from a diff")


@rule(
    "LDG806",
    "trailing-whitespace",
    INFO,
    "Trailing spaces (only with check.fix_trailing_whitespace).",
    fixable=True,
)
def trailing_whitespace(ctx: Context) -> Iterator[Finding]:
    if not ctx.config.fix_trailing_whitespace:
        return
    lines = [n for n, line in enumerate(ctx.lines, 1) if line != line.rstrip(" \t")]
    if lines:
        yield ctx.finding(
            "LDG806",
            lines[0],
            f"{plural(len(lines), 'line')} {'ends' if len(lines) == 1 else 'end'} in spaces or "
            f"tabs (lines {line_list(lines)}); "
            "`ledger fix` strips them",
            len(ctx.lines[lines[0] - 1].rstrip(" \t")) + 1,
        )

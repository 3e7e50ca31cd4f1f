"""Styles as ANSI SGR codes (`bold white on red`), for lines printed without rich.

Apart from the tables (`cli.tables`) so that a command printing a few styled lines, such as
`ledger check` on every commit, does not import the table layout and its Unicode width data.
"""

from __future__ import annotations

_COLORS = {
    "black": 0,
    "red": 1,
    "green": 2,
    "yellow": 3,
    "blue": 4,
    "magenta": 5,
    "cyan": 6,
    "white": 7,
}
_ATTRIBUTES = {"bold": 1, "dim": 2, "italic": 3, "underline": 4, "reverse": 7}


def sgr(style: str) -> str:
    """The ANSI SGR sequence of a style such as `bold white on red` ("" for no style); words it
    does not know are ignored."""
    codes: list[int] = []
    words = style.split()
    for k, word in enumerate(words):
        if word == "on":
            continue
        if word in _ATTRIBUTES:
            codes.append(_ATTRIBUTES[word])
        elif word in _COLORS:
            background = k > 0 and words[k - 1] == "on"
            codes.append(_COLORS[word] + (40 if background else 30))
    return f"\x1b[{';'.join(map(str, codes))}m" if codes else ""


def styled(text: str, style: str, color: bool) -> str:
    """`text` in `style` when `color`, else as it is."""
    code = sgr(style) if color and text else ""
    return f"{code}{text}\x1b[0m" if code else text

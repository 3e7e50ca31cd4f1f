"""Terminal tables that degrade gracefully: each column says how it gives way on a narrow screen.

Every table the command line prints (`status`, `dwell`, `next`, `archive list/show`, `config
show`, `check --statistics`) is laid out here, without rich: a piped `ledger status` is a
start-up benchmark, and rich costs more to import than the whole command otherwise takes.

A column declares its role. Cells are never cut unless the column says how (`Overflow`): IDs
and statuses stay whole. When the table is wider than the screen, the columns that shrink give
way first, in their `shrink` order, down to their `shrink_to`; when that is not enough, columns
are dropped in their `drop` order (the fewest that make the table fit), and the shrinking
columns get the room back. Columns without a `drop` rank are always shown: when every column
that may go is gone, the cut columns shrink further (to 6 cells), and if the table still does
not fit, its lines run past the screen's edge rather than cutting an ID.

Without a screen width (stdout is not a terminal) nothing shrinks or drops: only `max_width`
applies, lines carry no trailing spaces, and the output greps and diffs cleanly.
(These are terminal tables; `ledger.tables` reads the Markdown tables inside ledgers.)
"""

# No `from __future__ import annotations`: NamedTuple would compile each field's annotation
# from its string form, which costs more than the rest of this module's import.
import re
import unicodedata
from collections.abc import Sequence
from enum import Enum
from typing import NamedTuple

from ._style import styled

GAP = "  "  # between two columns
RULE = "─"  # under the header, on a terminal
LAST_FLOOR = 6  # the narrowest a cut column gets when nothing else can give way


class Overflow(str, Enum):
    """What happens to a cell wider than its column."""

    never = "never"  # never cut: the column is as wide as its widest cell (IDs, statuses)
    ellipsis = "ellipsis"  # cut, ending in `…` (titles, commit subjects)
    wrap = "wrap"  # continued on the next lines, broken at spaces (lists of IDs, values)


class Justify(str, Enum):
    left = "left"
    right = "right"


class Column(NamedTuple):
    """A column and its role in the layout."""

    header: str
    justify: Justify = Justify.left
    style: str = ""  # style words (`bold`, `dim`, `red`, `on red`) for every cell of the column
    overflow: Overflow = Overflow.never
    max_width: int | None = None  # never wider, whatever the screen (ellipsis and wrap columns)
    min_width: int = 0  # never narrower (the column is padded)
    shrink: int | None = None  # rank among the columns that shrink on a narrow screen (1 first)
    shrink_to: int | None = None  # how narrow it gets (default: its header; wrap: longest word)
    drop: int | None = None  # rank among the columns dropped when shrinking is not enough


class Cell(NamedTuple):
    """A cell's text and its own style (added to the column's)."""

    text: str
    style: str = ""


class Screen(NamedTuple):
    """Where a table is printed: its width (None: unlimited), colours, and a terminal's header
    rule."""

    width: int | None = None
    color: bool = False
    terminal: bool = False


class Table:
    """Columns and rows of cells; `render(screen)` lays them out."""

    def __init__(self, columns: Sequence[Column], *, header: bool = True) -> None:
        self.columns = list(columns)
        self.header = header
        self.rows: list[list[Cell]] = []

    def add_row(self, *cells: str | Cell) -> None:
        if len(cells) != len(self.columns):
            raise ValueError(f"{len(cells)} cells for {len(self.columns)} columns")
        self.rows.append([c if isinstance(c, Cell) else Cell(c) for c in cells])

    def render(self, screen: Screen) -> list[str]:
        """The table's lines for `screen` (without line ends)."""
        widths = self.layout(screen.width)
        shown = [i for i, w in enumerate(widths) if w is not None]
        lines: list[str] = []
        if self.header:
            heads = [Cell(self.columns[i].header, "bold") for i in shown]
            lines.append(self._line(shown, widths, heads, screen.color, with_column_style=False))
            if screen.terminal:
                total = sum(widths[i] or 0 for i in shown) + len(GAP) * (len(shown) - 1)
                lines.append(styled(RULE * total, "dim", screen.color))
        for row in self.rows:
            parts = {i: _cut(row[i].text, widths[i] or 0, self.columns[i].overflow) for i in shown}
            for k in range(max(len(p) for p in parts.values())):
                cells = [
                    Cell(parts[i][k] if k < len(parts[i]) else "", row[i].style) for i in shown
                ]
                lines.append(self._line(shown, widths, cells, screen.color))
        return lines

    def layout(self, width: int | None) -> list[int | None]:
        """Each column's width for a screen `width` columns wide (None: dropped)."""
        natural = [self._natural(i) for i in range(len(self.columns))]
        if width is None:
            return list(natural)
        floor = [self._shrink_floor(i, natural[i]) for i in range(len(self.columns))]
        droppable = sorted((c.drop, i) for i, c in enumerate(self.columns) if c.drop is not None)
        widths: list[int | None] = list(natural)
        for dropped in range(len(droppable) + 1):
            gone = {i for _, i in droppable[:dropped]}
            widths = [None if i in gone else w for i, w in enumerate(natural)]
            if self._fit(widths, floor, width):
                return widths
        # Everything that may go is gone: the shrinking columns give up what they kept.
        last = [self._last_floor(i, floor[i]) for i in range(len(self.columns))]
        self._fit(widths, last, width)
        return widths

    # --- measuring --------------------------------------------------------------------------

    def _natural(self, index: int) -> int:
        column = self.columns[index]
        widest = max((cell_width(row[index].text) for row in self.rows), default=0)
        if self.header:
            widest = max(widest, cell_width(column.header))
        if column.max_width is not None and column.overflow is not Overflow.never:
            widest = min(widest, column.max_width)
        return max(widest, column.min_width)

    def _shrink_floor(self, index: int, natural: int) -> int:
        column = self.columns[index]
        if column.shrink is None:
            return natural
        floor = cell_width(column.header) if self.header else 1
        if column.shrink_to is not None:
            floor = max(floor, column.shrink_to)
        elif column.overflow is Overflow.wrap:
            words = (w for row in self.rows for w in row[index].text.split())
            floor = max(floor, max(map(cell_width, words), default=0))
        return min(max(floor, column.min_width, 1), natural)

    def _last_floor(self, index: int, floor: int) -> int:
        column = self.columns[index]
        if column.shrink is None or column.overflow is not Overflow.ellipsis:
            return floor  # wrapping columns keep their longest word whole
        header = cell_width(column.header) if self.header else 0
        return min(floor, max(header, LAST_FLOOR))

    def _fit(self, widths: list[int | None], floor: list[int], width: int) -> bool:
        """Shrink the shrinking columns of `widths` in place, in their order, until the table
        fits in `width`; whether it does."""
        shown = [i for i, w in enumerate(widths) if w is not None]
        excess = sum(widths[i] or 0 for i in shown) + len(GAP) * (len(shown) - 1) - width
        shrinking = sorted((self.columns[i].shrink, i) for i in shown if self.columns[i].shrink)
        for _, i in shrinking:
            if excess <= 0:
                break
            current = widths[i] or 0
            give = min(excess, current - floor[i])
            widths[i] = current - give
            excess -= give
        return excess <= 0

    # --- drawing ----------------------------------------------------------------------------

    def _line(
        self,
        shown: list[int],
        widths: list[int | None],
        cells: list[Cell],
        color: bool,
        *,
        with_column_style: bool = True,
    ) -> str:
        parts = []
        for i, cell in zip(shown, cells):
            column = self.columns[i]
            pad = " " * max(0, (widths[i] or 0) - cell_width(cell.text))
            style = f"{column.style} {cell.style}" if with_column_style else cell.style
            text = styled(cell.text, style, color)
            parts.append(pad + text if column.justify is Justify.right else text + pad)
        return GAP.join(parts).rstrip(" ")


# --- cutting cells to a width -------------------------------------------------------------------


def _cut(text: str, width: int, overflow: Overflow) -> list[str]:
    """A cell's lines at `width` cells (one line unless it wraps)."""
    if overflow is Overflow.never or cell_width(text) <= width:
        return [text]
    if overflow is Overflow.ellipsis:
        return [truncate(text, width)]
    return wrap(text, width)


def truncate(text: str, width: int) -> str:
    """`text` cut to `width` cells, ending in `…` when it was longer."""
    if cell_width(text) <= width:
        return text
    return fit_cells(text, width - 1) + "…"


def fit_cells(text: str, width: int) -> str:
    """The longest start of `text` that fits in `width` cells, padded with a space when a wide
    character would straddle the edge."""
    used = 0
    for index, char in enumerate(text):
        size = char_width(char)
        if used + size > width:
            return text[:index] + " " * (width - used)
        used += size
    return text


_WORD = re.compile(r"\S+\s*")
_INDENTED_WORD = re.compile(r"\s*\S+\s*")


def wrap(text: str, width: int, *, keep_blanks: bool = False) -> list[str]:
    """`text` broken into lines of at most `width` cells at spaces; a word longer than a line is
    folded. `keep_blanks`: the first line keeps the text's leading blanks and a broken line its
    trailing ones, as rich's console wraps text."""
    lines: list[str] = []
    line = ""
    for word in (_INDENTED_WORD if keep_blanks else _WORD).findall(text):
        if line and cell_width(line + word.rstrip()) > width:
            lines.append(line if keep_blanks else line.rstrip())
            line = ""
        while cell_width(word.rstrip()) > width:  # fold a word longer than the line
            head = fit_cells(word, width).rstrip() or word[:1]
            lines.append(head)
            word = word[len(head) :]
        line += word
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


# --- cell widths --------------------------------------------------------------------------------


def char_width(char: str) -> int:
    """Terminal cells a character takes: 0 for controls and combining marks, 2 for wide ones."""
    code = ord(char)
    if 0x20 <= code < 0x7F:
        return 1
    if code < 0x20 or 0x7F <= code < 0xA0 or char in "\u200b\u200c\u200d\u2060\ufeff":
        return 0
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cell_width(text: str) -> int:
    """Terminal cells `text` takes."""
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(char_width(c) for c in text)

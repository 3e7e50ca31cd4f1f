"""Safe edits: add an attempt, change a field, add a focus item, update the header.

Every edit is a pure function from the parsed `Ledger` to an `EditResult` holding the whole new
text. Edits are `Splice`s of whole lines applied to the ledger's own `Document` (inserted lines,
or the one line they change, replaced); nothing is re-rendered, so the diff against the old
file is exactly the lines the edit means to write. The new text is parsed again and the fresh
model is returned.

New text is written the way the ledger already writes it:

* an attempt (`edit.attempts`) uses the dialect, indentation, bullet, timestamp format, label
  and dash of the focus's existing attempts, and is placed where that focus keeps them, in the
  order the section already uses (newest first or oldest first); a focus with no attempts gets
  the configured default dialect (or, when none is configured, the dialect the rest of the
  ledger uses);
* a field change (`edit.fields`) keeps the field's bullet, bold markup and qualifier style;
* a new focus (`edit.focus`) copies the heading level, field order and separators of its
  neighbours.

New text is always written as the clean UTF-8 the user gave, even next to mojibake (UTF-8 once
read as Mac Roman, so `—` shows as `‚Äî`): the edit says once that `ledger fix` repairs the rest.

An edit never guesses its target: an ID with several sections is refused unless the caller picks
one by line, and an attempt is refused (unless forced) when the focus's section has swallowed
another focus whose heading was lost, since it would land in the wrong focus.
"""

from __future__ import annotations

from ..timestamps import timestamp_format
from .attempts import add_attempt, normalize_dialect
from .fields import set_field, set_header
from .focus import new_focus, plan_files, plan_paths, plan_templates, write_plan_files
from .result import EditResult, NewAttempt, NewFocus, lost_heading_line, unified_diff

__all__ = [
    "EditResult",
    "NewAttempt",
    "NewFocus",
    "add_attempt",
    "lost_heading_line",
    "new_focus",
    "normalize_dialect",
    "plan_files",
    "plan_paths",
    "plan_templates",
    "set_field",
    "set_header",
    "timestamp_format",
    "unified_diff",
    "write_plan_files",
]

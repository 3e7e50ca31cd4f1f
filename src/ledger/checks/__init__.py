"""Consistency rules for a ledger: one small function per rule, each returning `Finding`s.

Codes are `LDG` plus three digits; the first digit is the family, so `--select LDG2` picks every
attempt rule (the full table, with examples, is in `docs/commands/check.md`). Each family is a
module of this package:

* `structure` LDG1xx: duplicate IDs (of sections and of items in any form), headings lost from a
  section;
* `attempts` LDG2xx: orphans, duplicates, attempts filed under the wrong focus;
* `dependencies` LDG3xx: unknown IDs, cycles, done items waiting on open ones (items of every
  form);
* `status` LDG4xx: vocabulary, `done` with an open Do Now, `blocked` without a return condition
  (focus sections); an open box under a Completed group, a done item with open sub-steps,
  `blocked` without a reason (the other forms);
* `index` LDG5xx: status/priority/title/anchor disagreements, missing or extra rows;
* `header` LDG6xx: Active Focus and Last Updated;
* `links` LDG7xx: Working Plan / Summary / Reports Hub paths (inside the repository only);
* `encoding` LDG8xx: mojibake, invalid UTF-8, control characters, conflict markers, diff residue;
* `size` LDG9xx: a ledger that should be snapshotted into the archive.

Rules about what a focus section's lines say (its Status field, Do Now, return conditions,
Owner/Date, Working Plan, the index that restates the sections) read `Context.sections`, the
`## [ID]` sections only; rules about IDs, statuses, sub-steps and dependencies read
`Context.items`, the work items of every form (checkboxes, numbered queues, heading and bold-ID
items, table rows, roadmap bullets).

`registry` holds what they share: `Finding`, `Rule`, the `@rule` registry, the `Context` every
rule reads (the parsed ledger and its one `Document`), and rule selection and severities.
Every rule reads the model and the document's lines once; nothing is quadratic in the file size
(grouping is done with dicts, cycles with one Tarjan pass in `ledger.depgraph`). The core never
prints: callers render the findings (`ledger.cli.check`).
"""

from __future__ import annotations

from . import (  # noqa: F401  (importing a family registers its rules)
    attempts,
    dependencies,
    encoding,
    header,
    index,
    links,
    size,
    status,
    structure,
)
from .attempts import duplicate_attempts
from .index import norm_title, priorities_disagree, statuses_disagree
from .registry import (
    ERROR,
    INFO,
    RULES,
    SEVERITIES,
    WARNING,
    Context,
    Finding,
    Rule,
    Severity,
    check_text,
    resolve_severities,
    rule,
    run_rules,
    selected_rules,
    statistics,
)
from .status import open_boxes_under_done
from .structure import lost_heading_runs

__all__ = [
    "ERROR",
    "INFO",
    "RULES",
    "SEVERITIES",
    "WARNING",
    "Context",
    "Finding",
    "Rule",
    "Severity",
    "check_text",
    "duplicate_attempts",
    "lost_heading_runs",
    "norm_title",
    "open_boxes_under_done",
    "priorities_disagree",
    "resolve_severities",
    "rule",
    "run_rules",
    "selected_rules",
    "statistics",
    "statuses_disagree",
]

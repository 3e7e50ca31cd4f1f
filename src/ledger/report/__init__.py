"""`ledger report`: a ledger as one self-contained HTML page.

Four parts, each computed by the commands that own the question (never a second version):

* the **board**: focus items in columns by status, with priority, dwell and tier, the last
  attempt and the unmet dependencies (`report.data`);
* the **dependency graph** of `ledger graph` (`ledger.depgraph` through `ledger.graph`), laid
  out in layers (`report.layout`), its cycles named;
* **dwell over time**: each open focus's `ledger dwell --timeline`, and the loop's cadence,
  from `ledger dwell`'s history scan (`report.charts`);
* **health**: `ledger check`'s findings, linked to the ledger's lines, shown on the page.

`build` computes the `Report` (typed records, no HTML); `html.render_html` draws it with inline
SVG (`report.svg`). Nothing here prints or imports typer or rich.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .charts import DwellAbsent, DwellPart, dwell_part, read_history
from .data import Report, build_report
from .html import render_html

if TYPE_CHECKING:  # pragma: no cover
    from ..config import Settings
    from ..model import Ledger

__all__ = ["DwellAbsent", "DwellPart", "Report", "build", "build_report", "render_html"]


def build(
    ledger: Ledger,
    path: Path,
    settings: Settings,
    *,
    source: str,
    size: int | None = None,
    use_git: bool = True,
) -> Report:
    """The report of the ledger read from `path`: `ledger check`'s findings on it (configured
    as `check:` says) and, unless `use_git` is off, the dwell of its git history."""
    from ..checks import Context, run_rules
    from ..fileio import containment_root

    context = Context(
        ledger=ledger,
        config=settings.config.check,
        root=containment_root(path),
        path=source,
        size=size,
    )
    findings = run_rules(context)
    history = read_history(path, settings.config, use_git=use_git)
    dwell = (
        history
        if isinstance(history, DwellAbsent)
        else dwell_part(ledger, history, settings.config)
    )
    return build_report(ledger, source=source, findings=findings, dwell=dwell)

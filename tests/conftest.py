"""Shared fixtures: corpus paths, and real-git isolation from the machine's configuration."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the same examples every time (a red build must be reproducible); locally hypothesis
# keeps exploring new ones.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

DATA = Path(__file__).parent / "data"
SEED = DATA / "seed" / "000_42807f6643308e4f.txt"
LARGEST = DATA / "nanobragg" / "1760069495_b401d45f.md"
EEA = DATA / "nanobragg" / "1763759240_eea4715f.md"
RESET = DATA / "ptychopinn" / "1769146718_8ba57f96.md"
DIFFBRAGG = DATA / "public" / "hoidn__diffbragg_example__docs_fix_plan.md"


def corpus_files() -> list[Path]:
    """Every ledger-like file copied from the shared corpus."""
    return sorted(p for p in DATA.rglob("*") if p.suffix in {".md", ".txt"} and p.is_file())


def read_corpus(path: Path) -> str:
    return path.read_bytes().decode("utf-8", "surrogateescape")


def isolate_git(monkeypatch: pytest.MonkeyPatch, base: Path) -> None:
    """Real git, but never the machine's config: no GIT_* leaks, a temp global config."""
    for key in list(os.environ):
        if key.startswith("GIT_"):
            monkeypatch.delenv(key, raising=False)
    home = base / "git-home"
    home.mkdir(exist_ok=True)
    config = home / "gitconfig"
    if not config.exists():
        config.write_text(
            "[user]\n\tname = Ledger Tests\n\temail = tests@example.invalid\n"
            "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n"
        )
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


@pytest.fixture(autouse=True)
def _isolated_git(tmp_path_factory, monkeypatch):
    isolate_git(monkeypatch, tmp_path_factory.getbasetemp())
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(scope="module")
def module_git(tmp_path_factory):
    """The same isolation for a module-scoped fixture that builds a repository once (it runs
    before the per-test isolation)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        isolate_git(monkeypatch, tmp_path_factory.getbasetemp())
        yield

"""Docs must not drift from the code (datasette-style): every setting and command documented."""

from __future__ import annotations

from pathlib import Path

from procradar.cli import main
from procradar.cli.config import settings_markdown, taxonomy_markdown

ROOT = Path(__file__).resolve().parent.parent


def test_settings_doc_is_generated_from_the_table() -> None:
    assert (ROOT / "docs/settings.md").read_text(encoding="utf-8") == settings_markdown(), (
        "run: procradar settings --markdown > docs/settings.md"
    )


def test_taxonomy_doc_is_generated_from_the_code() -> None:
    assert (ROOT / "docs/taxonomy.md").read_text(encoding="utf-8") == taxonomy_markdown(), (
        "run: procradar taxonomy --markdown > docs/taxonomy.md"
    )


def test_docs_do_not_send_users_to_the_design_folder() -> None:
    # Users never see ../shared: what they need of it lives in docs/.
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        assert "shared/" not in path.read_text(encoding="utf-8"), path.name


def test_readme_lists_every_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in main.commands if f"procradar {name}" not in readme]
    assert missing == []


def test_readme_leads_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.index("make demo") < readme.index("## Command line")
    assert "make test" in readme

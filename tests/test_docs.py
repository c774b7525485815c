"""Tests that keep the docs honest: every command and setting is documented."""

from __future__ import annotations

from pathlib import Path

from newsweave.cli import main
from newsweave.errors import Reason
from newsweave.settings import SETTINGS

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_command_is_documented() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"`{name}" in text, f"docs/cli.md does not describe `newsweave {name}`"


def test_every_setting_is_documented() -> None:
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"`{setting.name}`" in text, f"docs/settings.md lacks {setting.name}"


def test_every_skip_reason_is_documented() -> None:
    text = (DOCS / "ingest.md").read_text(encoding="utf-8")
    for reason in Reason:
        assert f"| {reason.value[:4]} |" in text, f"docs/ingest.md lacks {reason.value[:4]}"


def test_settings_doc_matches_the_table() -> None:
    from newsweave.settings import markdown_table

    assert markdown_table() in (DOCS / "settings.md").read_text(encoding="utf-8"), \
        "regenerate the table in docs/settings.md from newsweave.settings.markdown_table()"

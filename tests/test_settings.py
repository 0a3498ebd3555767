from __future__ import annotations

from pathlib import Path

import pytest

from procradar.core.settings import CONFIG_DIR, Settings, SettingsError


def test_defaults_and_dotted_or_nested_overrides(tmp_path: Path) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("search:\n  backend: elasticsearch\ncrawl.max_pages_per_source: 7\n")
    settings = Settings(config_file=cfg)
    assert settings["search.backend"] == "elasticsearch"
    assert settings["crawl.max_pages_per_source"] == 7
    assert settings["web.port"] == 8642


def test_unknown_setting_is_a_clear_error(tmp_path: Path) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("serch:\n  backend: x\n")
    with pytest.raises(SettingsError, match="unknown setting.*serch.backend"):
        Settings(config_file=cfg)


def test_broken_or_missing_config_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [unclosed\n")
    with pytest.raises(SettingsError, match="not valid YAML"):
        Settings(config_file=bad)
    with pytest.raises(SettingsError, match="not found"):
        Settings(config_file=tmp_path / "missing.yaml")


def test_sources_file_relative_to_user_config(tmp_path: Path) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("sources_file: mine.yaml\n")
    assert Settings(config_file=cfg).sources_file == tmp_path / "mine.yaml"
    assert Settings().sources_file == CONFIG_DIR / "sources.yaml"


def test_cli_reports_bad_config(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cfg = tmp_path / "c.yaml"
    cfg.write_text("nope: 1\n")
    proc = cli("--config", str(cfg), "settings", check=False)
    assert proc.returncode == 2 and "unknown setting" in proc.stderr

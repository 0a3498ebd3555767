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


@pytest.mark.parametrize(
    ("yaml_text", "key", "reason"),
    [
        ("search.backend: nosuch\n", "search.backend", "must be one of sqlite, elasticsearch"),
        ("web.port: abc\n", "web.port", "expected a whole number"),
        ("web.port: 70000\n", "web.port", "at most 65535"),
        ("web.page_size: '²'\n", "web.page_size", "expected a whole number"),
        ("data_dir: [a, b]\n", "data_dir", "expected a file or folder path"),
        ("database_url: 'not a url::'\n", "database_url", "not a database URL"),
        ("database_url: mysql://x@h/db\n", "database_url", "sqlite or postgresql"),
        ("search.elasticsearch.url: ftp://h\n", "search.elasticsearch.url", "http(s) URL"),
        ("crawl.autothrottle: maybe\n", "crawl.autothrottle", "true or false"),
        ("crawl.download_delay: -1\n", "crawl.download_delay", "at least 0"),
        ("web.host: null\n", "web.host", "null is not allowed"),
    ],
)
def test_bad_values_name_key_and_file(
    tmp_path: Path, yaml_text: str, key: str, reason: str
) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text(yaml_text)
    with pytest.raises(SettingsError) as caught:
        Settings(config_file=cfg, environ={})
    message = str(caught.value)
    assert key in message and str(cfg) in message and reason in message
    assert "\n" not in message


def test_values_are_typed_once_at_load(tmp_path: Path) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("crawl.download_delay: 2\nweb.port: '8080'\ndata_dir: ~/pr\n")
    settings = Settings(config_file=cfg, environ={})
    assert settings["crawl.download_delay"] == 2.0 and isinstance(
        settings["crawl.download_delay"], float
    )
    assert settings["web.port"] == 8080
    assert settings.data_dir == Path.home() / "pr"


def test_environment_overrides_file_and_is_checked(tmp_path: Path) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("search.backend: sqlite\nweb.port: 9000\n")
    env = {"PROCRADAR_SEARCH__BACKEND": "elasticsearch", "PROCRADAR_CRAWL__AUTOTHROTTLE": "false"}
    settings = Settings(config_file=cfg, environ=env)
    assert settings["search.backend"] == "elasticsearch"
    assert settings["crawl.autothrottle"] is False
    assert settings["web.port"] == 9000
    with pytest.raises(SettingsError, match=r"web.port in environment \(PROCRADAR_WEB__PORT\)"):
        Settings(environ={"PROCRADAR_WEB__PORT": "abc"})
    with pytest.raises(SettingsError, match="PROCRADAR_WEB__PROT"):
        Settings(environ={"PROCRADAR_WEB__PROT": "1"})
    assert (
        Settings(environ={"PROCRADAR_ES_URL": "http://es:9200"})["search.elasticsearch.url"]
        == "http://es:9200"
    )


def test_every_setting_declares_a_known_type() -> None:
    from procradar.core.settings import setting_specs

    for spec in setting_specs().values():
        assert spec.convert(spec.default) == spec.convert(spec.default)


def test_cli_reports_bad_value_in_one_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cfg = tmp_path / "c.yaml"
    cfg.write_text("web.port: abc\n")
    proc = cli("--config", str(cfg), "settings", check=False)
    assert proc.returncode == 2
    assert "web.port" in proc.stderr and "Traceback" not in proc.stderr

"""Settings: defaults from config/settings.yaml, a user YAML file laid over them, env overrides."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from procradar.core.resources import CONFIG_DIR

DEFAULTS_FILE = CONFIG_DIR / "settings.yaml"


class SettingsError(ValueError):
    """A settings file or value is wrong; the message says which and why."""


@cache
def setting_table() -> dict[str, dict[str, Any]]:
    """name -> {default, help}, in declaration order."""
    table = yaml.safe_load(DEFAULTS_FILE.read_text(encoding="utf-8"))
    return {name: dict(spec) for name, spec in table.items()}


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and name not in setting_table():
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


class Settings:
    def __init__(self, overrides: dict[str, Any] | None = None, config_file: Path | None = None):
        self.values: dict[str, Any] = {k: v["default"] for k, v in setting_table().items()}
        self.config_file = config_file
        self._sources_from_user = False
        if config_file is not None:
            user = self._read(config_file)
            self._sources_from_user = "sources_file" in user
            self._apply(user, str(config_file))
        if os.environ.get("PROCRADAR_ES_URL"):
            self.values["search.elasticsearch.url"] = os.environ["PROCRADAR_ES_URL"]
        if overrides:
            self._apply(_flatten(overrides), "overrides")

    @staticmethod
    def _read(path: Path) -> dict[str, Any]:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except FileNotFoundError as exc:
            raise SettingsError(f"config file not found: {path}") from exc
        except yaml.YAMLError as exc:
            raise SettingsError(f"config file {path} is not valid YAML: {exc}") from exc
        if not isinstance(data, dict):
            raise SettingsError(f"config file {path} must hold a mapping of settings")
        return _flatten(data)

    def _apply(self, flat: dict[str, Any], origin: str) -> None:
        unknown = sorted(set(flat) - set(setting_table()))
        if unknown:
            raise SettingsError(f"unknown setting(s) in {origin}: {', '.join(unknown)}")
        self.values.update(flat)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    @property
    def data_dir(self) -> Path:
        return Path(self.values["data_dir"]).expanduser()

    @property
    def database_url(self) -> str:
        url = self.values.get("database_url")
        return url or f"sqlite:///{self.data_dir / 'procradar.db'}"

    @property
    def sources_file(self) -> Path:
        """Relative paths count from the user's config file if it set them, else from config/."""
        path = Path(self.values["sources_file"]).expanduser()
        if path.is_absolute():
            return path
        if self._sources_from_user and self.config_file is not None:
            return self.config_file.parent / path
        return CONFIG_DIR / path

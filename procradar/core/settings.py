"""Settings: the typed table in config/settings.yaml, a user YAML file laid over it, then the
environment, then the caller's overrides. Every value is converted and checked once, here;
a bad one is a SettingsError naming the key and where it came from."""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from procradar.core.resources import CONFIG_DIR
from procradar.core.setting_types import SettingValueError, Spec

DEFAULTS_FILE = CONFIG_DIR / "settings.yaml"
ENV_PREFIX = "PROCRADAR_"
# Environment names that are options of the command line, not settings.
ENV_NOT_SETTINGS = {"PROCRADAR_CONFIG"}
# Older spelling kept working: PROCRADAR_ES_URL is search.elasticsearch.url.
ENV_ALIASES = {"PROCRADAR_ES_URL": "search.elasticsearch.url"}


class SettingsError(ValueError):
    """A settings file or value is wrong; the message says which and why."""


@cache
def setting_specs() -> dict[str, Spec]:
    """The settings table, in declaration order."""
    table = yaml.safe_load(DEFAULTS_FILE.read_text(encoding="utf-8"))
    return {name: Spec.from_table(name, dict(row)) for name, row in table.items()}


def setting_table() -> dict[str, dict[str, Any]]:
    """name -> {default, help, type}, for code that only shows the table."""
    specs = setting_specs()
    return {n: {"default": s.default, "help": s.help, "type": s.type} for n, s in specs.items()}


def env_name(setting: str) -> str:
    """search.elasticsearch.url -> PROCRADAR_SEARCH__ELASTICSEARCH__URL"""
    return ENV_PREFIX + setting.upper().replace(".", "__")


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and name not in setting_specs():
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def _from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    by_env = {env_name(name): name for name in setting_specs()} | ENV_ALIASES
    flat: dict[str, Any] = {}
    for key, text in environ.items():
        if not key.startswith(ENV_PREFIX) or key in ENV_NOT_SETTINGS:
            continue
        if key in by_env:
            # YAML reads "8080", "true" and "null" as a typed value would be written in a file.
            try:
                flat[by_env[key]] = yaml.safe_load(text) if text.strip() else None
            except yaml.YAMLError:
                flat[by_env[key]] = text
        elif "__" in key:
            raise SettingsError(f"unknown setting in the environment: {key}")
    return flat


class Settings:
    def __init__(
        self,
        overrides: dict[str, Any] | None = None,
        config_file: Path | None = None,
        environ: Mapping[str, str] | None = None,
    ):
        specs = setting_specs()
        self.values: dict[str, Any] = {name: spec.default for name, spec in specs.items()}
        self.origins: dict[str, str] = {name: "defaults" for name in specs}
        self.config_file = config_file
        self._sources_from_user = False
        if config_file is not None:
            user = self._read(config_file)
            self._sources_from_user = "sources_file" in user
            self._apply(user, str(config_file))
        self._apply(_from_environment(os.environ if environ is None else environ), "environment")
        if overrides:
            self._apply(_flatten(overrides), "overrides")
        self._convert_all()

    @staticmethod
    def _read(path: Path) -> dict[str, Any]:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except FileNotFoundError as exc:
            raise SettingsError(f"config file not found: {path}") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise SettingsError(f"config file {path} cannot be read: {exc}") from exc
        except yaml.YAMLError as exc:
            raise SettingsError(f"config file {path} is not valid YAML: {exc}") from exc
        if not isinstance(data, dict):
            raise SettingsError(f"config file {path} must hold a mapping of settings")
        return _flatten(data)

    def _apply(self, flat: dict[str, Any], origin: str) -> None:
        unknown = sorted(set(flat) - set(setting_specs()))
        if unknown:
            raise SettingsError(f"unknown setting(s) in {origin}: {', '.join(unknown)}")
        self.values.update(flat)
        self.origins.update(dict.fromkeys(flat, origin))

    def _convert_all(self) -> None:
        for name, spec in setting_specs().items():
            try:
                self.values[name] = spec.convert(self.values[name])
            except SettingValueError as exc:
                where = self.origins[name]
                if where == "environment":
                    where = f"environment ({env_name(name)})"
                raise SettingsError(f"setting {name} in {where}: {exc}") from exc

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    @property
    def data_dir(self) -> Path:
        return Path(self.values["data_dir"])

    @property
    def database_url(self) -> str:
        url = self.values.get("database_url")
        return url or f"sqlite:///{self.data_dir / 'procradar.db'}"

    @property
    def sources_file(self) -> Path:
        """Relative paths count from the user's config file if it set them, else from config/."""
        path = Path(self.values["sources_file"])
        if path.is_absolute():
            return path
        if self._sources_from_user and self.config_file is not None:
            return self.config_file.parent / path
        return CONFIG_DIR / path

"""The types a setting can declare in config/settings.yaml, and their converters.

Each converter takes the raw value (from YAML, the environment or a caller) and returns the
typed value or raises SettingValueError with a short reason; Settings adds the key and the
file. Values are converted once, at load, so callers never cast.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

_INT = re.compile(r"^[+-]?[0-9]+$")  # ASCII digits only: int("²") must not pass
_FLOAT = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$")
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


class SettingValueError(ValueError):
    """A value does not fit its setting's declared type, range or choices."""


@dataclass(frozen=True)
class Spec:
    """One row of the settings table."""

    name: str
    type: str
    default: Any
    help: str
    choices: tuple[Any, ...] = ()
    min: float | None = None
    max: float | None = None
    pattern: str | None = None
    nullable: bool = False

    @classmethod
    def from_table(cls, name: str, row: dict[str, Any]) -> Spec:
        if row.get("type") not in CONVERTERS:
            raise ValueError(f"settings table: {name} has no known type ({row.get('type')!r})")
        return cls(
            name=name,
            type=row["type"],
            default=row.get("default"),
            help=str(row.get("help", "")),
            choices=tuple(row.get("choices") or ()),
            min=row.get("min"),
            max=row.get("max"),
            pattern=row.get("pattern"),
            nullable=bool(row.get("nullable", row.get("default") is None)),
        )

    def convert(self, value: Any) -> Any:
        if value is None:
            if self.nullable:
                return None
            raise SettingValueError("must be set (null is not allowed)")
        converted = CONVERTERS[self.type](value)
        self._check(converted)
        return converted

    def _check(self, value: Any) -> None:
        if self.choices and value not in self.choices:
            options = ", ".join(map(str, self.choices))
            raise SettingValueError(f"must be one of {options}, not {_show(value)}")
        if self.min is not None and value < self.min:
            raise SettingValueError(f"must be at least {self.min}, not {_show(value)}")
        if self.max is not None and value > self.max:
            raise SettingValueError(f"must be at most {self.max}, not {_show(value)}")
        if self.pattern and not re.fullmatch(self.pattern, str(value)):
            raise SettingValueError(f"{_show(value)} does not match {self.pattern}")

    @property
    def type_text(self) -> str:
        """How docs/settings.md shows the type."""
        text = self.type
        if self.choices:
            text = " \\| ".join(map(str, self.choices))
        elif self.min is not None or self.max is not None:
            low = "" if self.min is None else f"{self.min:g}"
            high = "" if self.max is None else f"{self.max:g}"
            text += f" {low}…{high}"
        return text + (" or null" if self.nullable else "")


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…'"


def to_str(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise SettingValueError(f"expected a text, got {_show(value)}")
    return str(value)


def to_int(value: Any) -> int:
    if isinstance(value, bool):
        raise SettingValueError(f"expected a whole number, got {_show(value)}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INT.match(value.strip()):
        return int(value.strip())
    raise SettingValueError(f"expected a whole number, got {_show(value)}")


def to_float(value: Any) -> float:
    if isinstance(value, bool):
        raise SettingValueError(f"expected a number, got {_show(value)}")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and _FLOAT.match(value.strip()):
        return float(value.strip())
    raise SettingValueError(f"expected a number, got {_show(value)}")


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower() if isinstance(value, str | int) else None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise SettingValueError(f"expected true or false, got {_show(value)}")


def to_path(value: Any) -> Path:
    if not isinstance(value, str) or not value.strip() or "\0" in value:
        raise SettingValueError(f"expected a file or folder path, got {_show(value)}")
    return Path(value).expanduser()


def to_url(value: Any) -> str:
    text = to_str(value)
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingValueError(f"expected an http(s) URL, got {_show(value)}")
    return text


def to_database_url(value: Any) -> str:
    text = to_str(value)
    try:
        url = make_url(text)
    except ArgumentError as exc:
        raise SettingValueError(f"not a database URL ({_show(value)})") from exc
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise SettingValueError(f"the store runs on sqlite or postgresql, not {url.drivername}")
    return text


CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "str": to_str,
    "int": to_int,
    "float": to_float,
    "bool": to_bool,
    "path": to_path,
    "url": to_url,
    "database_url": to_database_url,
}

"""Per-app store and index, opened once and shared by requests."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from flask import Flask, current_app, g

from procradar.core.index.base import IndexBackendError

if TYPE_CHECKING:
    from procradar.core.index.base import Index
    from procradar.core.store import Store

_LOCK = threading.Lock()


def init_app(app: Flask) -> None:
    app.extensions["procradar"] = {}


def _resources() -> dict:
    return current_app.extensions["procradar"]


def get_store() -> Store:
    from procradar.core.store import Store

    res = _resources()
    if "store" not in res:
        with _LOCK:
            if "store" not in res:
                res["store"] = Store.open(current_app.config["PROCRADAR_SETTINGS"])
    return res["store"]


def get_index() -> Index:
    from procradar.core.index import open_index

    res = _resources()
    if "index" not in res:
        with _LOCK:
            if "index" not in res:
                try:
                    res["index"] = open_index(current_app.config["PROCRADAR_SETTINGS"])
                except IndexBackendError:
                    raise
                except OSError as exc:
                    raise IndexBackendError(f"cannot open the index: {exc}") from exc
    return res["index"]


def index_generation() -> int | str:
    """The index's generation as this request first saw it (asked once per request): the
    key of every cached answer, so a write to the index invalidates them all."""
    if "index_generation" not in g:
        g.index_generation = get_index().generation()
    generation: int | str = g.index_generation
    return generation

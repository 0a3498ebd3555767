"""The store this crawl process writes through: one per database, shared by every source."""

from __future__ import annotations

from threading import Lock

from procradar.core.settings import Settings
from procradar.core.store import Store

_stores: dict[str, Store] = {}
_lock = Lock()


def shared_store(settings: Settings) -> Store:
    """One Store per database in this process: every source's crawler writes through it."""
    with _lock:
        if settings.database_url not in _stores:
            _stores[settings.database_url] = Store.open(settings)
        return _stores[settings.database_url]


def close_stores() -> None:
    with _lock:
        for store in _stores.values():
            store.close()
        _stores.clear()

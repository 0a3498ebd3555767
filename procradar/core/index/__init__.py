"""Search indexes: one interface (base.Index), an embedded and an Elasticsearch backend."""

from __future__ import annotations

from typing import TYPE_CHECKING

from procradar.core.settings import Settings

if TYPE_CHECKING:
    from procradar.core.index.base import Index

BACKENDS = ("sqlite", "elasticsearch")


def open_index(settings: Settings) -> Index:
    """The index `search.backend` names, opened with the connection settings it needs."""
    backend = settings["search.backend"]
    expand = settings["search.cross_lingual"]
    if backend == "sqlite":
        from procradar.core.index.sqlite_fts import SqliteIndex

        return SqliteIndex(
            settings.data_dir / "index.sqlite",
            expand_default=expand,
            workers=settings["search.sqlite.workers"],
        )
    if backend == "elasticsearch":
        from procradar.core.index.elastic import ElasticIndex

        return ElasticIndex.from_settings(settings)
    raise ValueError(f"unknown search.backend '{backend}'; use one of: {', '.join(BACKENDS)}")

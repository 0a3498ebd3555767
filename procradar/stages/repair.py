"""Self-healing for derived data: a damaged SQLite index is removed and rebuilt from the
store; the store itself is never replaced (it is the source of truth: restore a backup).

`open_index_healing` is what commands use to open the index: damage is reported once (the
damaged file is gone afterwards) and the index rebuilt before the command goes on.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from procradar.core.index import open_index
from procradar.core.index.base import IndexCorruptError, Progress
from procradar.core.index.sqlite_files import is_damage
from procradar.core.settings import Settings
from procradar.core.writelock import writer_lock

if TYPE_CHECKING:
    from procradar.core.index.base import Index
    from procradar.core.models import Article
    from procradar.core.store import Store

log = logging.getLogger(__name__)
Say = Callable[[str], None]


BACKUP_HINT = "restore it from a backup (docs/operations.md, 'Restore the store')"


class DataError(RuntimeError):
    """The data dir, store or index cannot be used as it is; one line says why and what to do."""


class EmptyStoreError(DataError):
    """The store holds no articles while the index holds some: refusing to empty the index."""


def check_data_dir(settings: Settings) -> None:
    """Clear one-line messages for a data dir that cannot hold the store and index."""
    path = settings.data_dir
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(f"data dir {path} cannot be created: {exc.strerror}") from exc
    if not os.access(path, os.R_OK | os.W_OK | os.X_OK):
        raise DataError(f"data dir {path} is not readable and writable by this user")
    for name in ("procradar.db", "index.sqlite", "writer.lock"):
        _check_file(path / name)


def _check_file(path: Path) -> None:
    if not path.exists():
        return
    if not path.is_file():
        raise DataError(f"{path} should be a file but is not (a directory?); move it away")
    if not os.access(path, os.R_OK | os.W_OK):
        raise DataError(f"{path} is not readable and writable by this user")


def open_store(settings: Settings, say: Say) -> Store:
    """The store, refused with one line (never replaced) when its file is damaged."""
    from sqlalchemy.exc import DatabaseError

    from procradar.core.store import Store

    url = settings.database_url
    if url.startswith("sqlite:///"):
        check_data_dir(settings)
        path = Path(url.removeprefix("sqlite:///"))
        _check_file(path)
        if path.is_file() and path.stat().st_size == 0:
            say(
                f"warning: the store {path} is an empty file (0 bytes): starting a new, empty"
                f" store; if it held articles, {BACKUP_HINT}"
            )
    try:
        return Store.open(settings)
    except DatabaseError as exc:
        original = exc.orig if isinstance(exc.orig, sqlite3.Error) else None
        if original is not None and is_damage(original):
            raise DataError(
                f"the store {_where(url)} is damaged ({original}); procradar will not replace"
                f" it: {BACKUP_HINT}"
            ) from exc
        reason = str(exc.orig or exc).splitlines()[0]
        raise DataError(f"cannot open the store {_where(url)}: {reason}") from exc


def _where(url: str) -> str:
    """The store's file, or its URL without a password."""
    if url.startswith("sqlite:///"):
        return url.removeprefix("sqlite:///")
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def open_index_checked(settings: Settings, say: Say) -> tuple[Index, bool]:
    """The configured index, opened and probed; (index, True) when a damaged SQLite file
    had to be removed (the new index is empty: rebuild it)."""
    if settings["search.backend"] == "sqlite":
        check_data_dir(settings)
    try:
        index = open_index(settings)
        index.count()
        return index, False
    except IndexCorruptError as exc:
        say(f"{exc}; removing it and building a new one")
    from procradar.core.index.sqlite_files import remove_files

    remove_files(settings.data_dir / "index.sqlite")
    return open_index(settings), True


def open_index_healing(settings: Settings, store: Callable[[], Store], say: Say) -> Index:
    """Open the index; if its file was damaged, rebuild it from the store first."""
    index, damaged = open_index_checked(settings, say)
    if getattr(index, "needs_reindex", False):
        say(
            "the index was built by an older version of procradar's text analysis; "
            "searches work, but run `procradar reindex` for current results"
        )
    if damaged:
        with writer_lock(settings.data_dir, "reindex (repair)", say=say):
            count = rebuild(store(), index, force=True)
        say(f"index rebuilt from the store: {count} articles")
    return index


def rebuild(store: Store, index: Index, force: bool, progress: Progress | None = None) -> int:
    """Replace the index with every stored article and mark them indexed.

    A store with no articles next to an index with some is most likely a lost or
    replaced store file, not an intended wipe: refused unless `force`.
    """
    if not force and store.article_count() == 0:
        held = index.count()
        if held:
            raise EmptyStoreError(
                f"the store holds no articles but the index holds {held}; refusing to empty"
                " the index (was the store file lost or replaced? see docs/operations.md,"
                " 'Restore the store'); use --force to empty it anyway"
            )
    urls: list[str] = []

    def articles() -> Iterator[Article]:
        for article in store.iter_articles():
            urls.append(article.url)
            yield article

    count = index.rebuild(articles(), progress)
    store.mark_indexed(urls)  # `ingest` then only indexes what changes after this
    return count

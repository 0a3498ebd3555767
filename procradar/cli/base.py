"""The `procradar` command group and the context every command shares."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from procradar.core.settings import Settings, SettingsError

if TYPE_CHECKING:
    from procradar.core.index.base import Index
    from procradar.core.store import Store


class Context:
    """Settings plus lazily opened store and index, so `--help` stays instant."""

    def __init__(self, settings: Settings):
        self.settings = settings

    @cached_property
    def store(self) -> Store:
        # A damaged store is refused with one line, never replaced (stages.repair).
        from procradar.stages.repair import DataError, open_store

        try:
            return open_store(self.settings, _warn)
        except DataError as exc:
            raise click.ClickException(str(exc)) from exc

    @cached_property
    def index(self) -> Index:
        # A damaged index file is reported once and rebuilt from the store (stages.repair).
        from procradar.core.index.base import IndexBackendError
        from procradar.stages.repair import DataError, open_index_healing

        try:
            return open_index_healing(self.settings, lambda: self.store, _warn)
        except (DataError, IndexBackendError) as exc:
            raise click.ClickException(str(exc)) from exc

    @contextmanager
    def writing(self, command: str) -> Iterator[None]:
        """Hold the data dir's writer lock: crawl, ingest and reindex take turns."""
        from procradar.core.writelock import WriterLockError, writer_lock
        from procradar.stages.repair import DataError, check_data_dir

        try:
            check_data_dir(self.settings)
        except DataError as exc:
            raise click.ClickException(str(exc)) from exc
        try:
            with writer_lock(self.settings.data_dir, command, say=_warn):
                yield
        except WriterLockError as exc:  # raised only while waiting to acquire
            raise click.ClickException(str(exc)) from exc


def _warn(message: str) -> None:
    click.echo(message, err=True)


pass_context = click.make_pass_decorator(Context)
log = logging.getLogger("procradar")


def say(message: str) -> None:
    """A progress line on stderr (hidden by --quiet); commands pass it as `progress=`."""
    log.info(message)


def configure_logging(verbose: int, quiet: bool) -> None:
    """Library modules log to module-level loggers; the command line decides what shows.

    Default: progress and warnings on stderr. --quiet: warnings and errors only. -v: also
    debug lines of procradar's own modules; -vv: third-party libraries' too."""
    level = logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        logging.Formatter("%(message)s" if verbose == 0 else "%(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose > 1 else logging.WARNING)
    for name in ("procradar", "crawlers", "enrichment", "search_app", "digests"):
        logging.getLogger(name).setLevel(level)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--data-dir",
    # readable=False: click's own check is a three-line usage error; check_data_dir says it
    # in one line naming the dir, as for every other data-dir problem.
    type=click.Path(file_okay=False, readable=False, path_type=Path),
    envvar="PROCRADAR_DATA_DIR",
    help="Where the store and index live [env PROCRADAR_DATA_DIR; default ./data].",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="PROCRADAR_CONFIG",
    help="YAML settings laid over the defaults in config/settings.yaml [env PROCRADAR_CONFIG].",
)
@click.option("-v", "--verbose", count=True, help="More detail on stderr (-vv: libraries' too).")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors on stderr.")
@click.version_option(package_name="procradar")
@click.pass_context
def main(
    ctx: click.Context, data_dir: Path | None, config_file: Path | None, verbose: int, quiet: bool
) -> None:
    """procradar: crawl, tag and search Nordic public-procurement news.

    Start with `procradar demo` (offline, bundled sample sites) or `procradar run`
    (the real sources in config/sources.yaml).
    """
    configure_logging(verbose, quiet)
    # The Elasticsearch client logs each failed retry with a traceback; an unreachable
    # cluster reaches the user once, as the one-line IndexBackendError of the command.
    logging.getLogger("elastic_transport").setLevel(logging.CRITICAL)
    overrides: dict[str, Any] = {}
    if data_dir is not None:
        overrides["data_dir"] = str(data_dir)
    try:
        settings = Settings(overrides, config_file=config_file)
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from exc
    ctx.obj = Context(settings)

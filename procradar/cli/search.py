"""`procradar search` and `procradar reindex`."""

from __future__ import annotations

import html
import json
import re
import sys
import time
from typing import Any, NoReturn

import click

from procradar.cli.base import Context, main, pass_context
from procradar.core.index.base import SORTS, IndexBackendError, SearchRequest, SearchResult
from procradar.core.query import QueryError
from procradar.core.sources import SourcesError
from procradar.stages.pipeline import reenrich_outdated
from procradar.stages.repair import EmptyStoreError, open_index_checked, rebuild
from procradar.stages.source_hints import SourceHint, source_hints

_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)
# Terminal control from untrusted text (titles, URLs, snippets): whole escape sequences
# (CSI, OSC, DCS … and 8-bit CSI), then any control or bidi-override character left.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[P\]X^_].*?(?:\x07|\x1b\\|$)|\x9b[0-?]*[ -/]*[@-~]|\x1b.?", re.S
)
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def inert(text: str) -> str:
    """Text safe to print on a terminal: no escape sequences, no control characters."""
    return _CONTROLS.sub(" ", _ESCAPES.sub("", text))


# A query may start with a dash (`procradar search -klimat`: everything but klimat), so
# unknown dashed words are query words, and only --help asks for help (-h could be -hotell).
@main.command(context_settings={"ignore_unknown_options": True, "help_option_names": ["--help"]})
@click.argument("query", nargs=-1, type=click.UNPROCESSED)
@click.option("--topic", "topics", multiple=True, help="Only this topic id (repeatable).")
@click.option("--lang", "languages", multiple=True, help="Only this language (repeatable).")
@click.option("--kind", "kinds", multiple=True, help="Only this kind (repeatable).")
@click.option("--source", "sources", multiple=True, help="Only this source id (repeatable).")
@click.option("--country", "countries", multiple=True, help="Only SE, NO, DK, FI or EU.")
@click.option("--org", "orgs", multiple=True, help="Only articles naming this organisation.")
@click.option(
    "--region",
    "regions",
    multiple=True,
    help="Only this county or region, by place name (Skåne, Vestland, Hovedstaden).",
)
@click.option("--after", help="Published on or after (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--before", help="Published before this date.")
@click.option("--limit", default=10, show_default=True, help="Hits to show.")
@click.option("--offset", default=0, help="Skip this many hits (paging).")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--no-expand", is_flag=True, help="No cross-lingual expansion.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@pass_context
def search(
    ctx: Context, query: tuple[str, ...], as_json: bool, no_expand: bool, **opts: Any
) -> None:
    """Search the index: words, "phrases", -not, OR, prefix*, topic:, lang:, kind:, region:,
    after: …

    Example: procradar search 'klimatkrav -skola topic:construction after:2026-01'.
    A query may start with a dash (procradar search -klimat); `--` ends the options.
    """
    text = " ".join(query)
    request = SearchRequest(
        query=text,
        topics=list(opts["topics"]),
        languages=list(opts["languages"]),
        kinds=list(opts["kinds"]),
        sources=list(opts["sources"]),
        countries=list(opts["countries"]),
        orgs=list(opts["orgs"]),
        regions=list(opts["regions"]),
        after=opts["after"],
        before=opts["before"],
        limit=opts["limit"],
        offset=opts["offset"],
        sort=opts["sort"],
        expand=False if no_expand else None,
    )
    try:
        result = ctx.index.search(request)
    except QueryError as exc:
        _fail(f"Error: {exc}", 2)
    except IndexBackendError as exc:
        _fail(f"Error: {exc}", 1)
    if as_json:
        click.echo(json.dumps(result.to_dict(text), ensure_ascii=False, indent=2))
    else:
        _print_result(text, result, request.offset)


@main.command()
@click.option(
    "--force",
    is_flag=True,
    help="Rebuild even if the store holds no articles while the index holds some.",
)
@pass_context
def reindex(ctx: Context, force: bool) -> None:
    """Rebuild the configured index from the store (search keeps answering meanwhile).

    A damaged index file is removed and built anew. An empty store next to a filled index
    is refused unless --force: that is a lost store more often than an intended wipe."""
    started = time.monotonic()
    try:
        with ctx.writing("reindex"):
            redone = reenrich_outdated(ctx.store, progress=_say, sources=_source_hints(ctx))
            if redone:
                _say(f"re-enriched {redone} articles from their stored pages")
            index, _ = open_index_checked(ctx.settings, _say)
            total = ctx.store.article_count()
            backend = ctx.settings["search.backend"]
            _say(f"reindexing {total} articles into the {backend} index …")
            count = rebuild(
                ctx.store, index, force, lambda done: _say(f"  {done}/{total} articles")
            )
            index.close()
    except (EmptyStoreError, IndexBackendError) as exc:
        _fail(f"Error: {exc}", 1)
    click.echo(f"reindexed {count} articles in {time.monotonic() - started:.1f} s")


def _source_hints(ctx: Context) -> dict[str, SourceHint]:
    """The sources' relevance priors and buyers, as a crawl gives them to enrichment."""
    try:
        return source_hints(ctx.settings)
    except SourcesError as exc:
        raise click.ClickException(str(exc)) from exc


def _say(message: str) -> None:
    click.echo(message, err=True)


def _fail(message: str, code: int) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(code)


def _print_result(query: str, result: SearchResult, offset: int) -> None:
    shown = f"{offset + 1}–{offset + len(result.hits)} of " if result.hits else ""
    quoted = inert(repr(query))
    click.echo(f"{shown}{result.total} hits for {quoted}" if query else f"{result.total} articles")
    for word, equivalents in result.expansions.items():
        click.echo(inert(f"  {word} also matched: {', '.join(equivalents[:8])}"))
    for n, hit in enumerate(result.hits, offset + 1):
        a = hit.article
        meta = " · ".join(
            x
            for x in (
                a.get("published"),
                a.get("language"),
                a.get("kind"),
                ", ".join(a.get("topics") or []),
            )
            if x
        )
        title = inert(str(a.get("title") or a["url"]))
        click.echo(f"\n{n:>3}. {click.style(title, bold=True)}")
        click.echo(f"     {inert(meta)}")
        if hit.snippet:
            click.echo(f"     {_plain(hit.snippet)}")
        click.echo(f"     {inert(str(a['url']))}")


def _plain(snippet: str) -> str:
    """The HTML snippet for a terminal: marks in bold, entities decoded, controls removed,
    on one line."""
    parts = _MARK.split(snippet)  # even: plain text, odd: a marked word
    text = "".join(
        click.style(inert(html.unescape(p)), bold=True) if i % 2 else inert(html.unescape(p))
        for i, p in enumerate(parts)
    )
    return " ".join(text.split())

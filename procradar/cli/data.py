"""Commands that move documents in and out of the store: ingest and export."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from typing import IO, Any

import click

from procradar.cli.base import Context, main, pass_context
from procradar.core.models import Article
from procradar.stages.pipeline import ingest as ingest_lines
from procradar.stages.pipeline import sync_index

CSV_FIELDS = [
    "url",
    "title",
    "published",
    "language",
    "kind",
    "topics",
    "organizations",
    "places",
    "amounts",
    "events",
    "source",
    "links",
    "summary",
]


@main.command()
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--no-index", is_flag=True, help="Only store; leave the index as it is.")
@pass_context
def ingest(ctx: Context, file: IO[str], no_index: bool) -> None:
    """Import documents from FILE.jsonl (or - for stdin).

    One JSON object a line with `url` and `html` or `text`; optional `title`, `published`
    (ISO date), `source` and `language`. Every document is enriched, stored and indexed;
    a bad line is reported with its number and skipped.
    """
    with ctx.writing("ingest"):  # one writer at a time
        report = ingest_lines(ctx.store, file, progress=_err)
        for error in report.errors:
            _err(f"skipped {error}")
        indexed = 0 if no_index else sync_index(ctx.store, ctx.index)
    click.echo(
        f"ingested: {report.new} new, {report.updated} updated, {report.unchanged} unchanged, "
        f"{len(report.errors)} skipped; {indexed} indexed"
    )
    if report.errors and not (report.new or report.updated or report.unchanged):
        sys.exit(1)


@main.command()
@click.argument("query", required=False)
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True
)
@click.option(
    "--output",
    "-o",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="Write here instead of stdout.",
)
@pass_context
def export(ctx: Context, query: str | None, fmt: str, output: IO[str]) -> None:
    """Export every stored article, or the hits of QUERY, as JSON lines or CSV."""
    articles = _search_all(ctx, query) if query else ctx.store.iter_articles()
    count = write_articles(articles, fmt, output)
    _err(f"exported {count} articles")


def _search_all(ctx: Context, query: str) -> Iterator[Article]:
    from procradar.core.index.base import SearchRequest
    from procradar.core.query import QueryError

    offset, page = 0, 200
    while True:
        try:
            result = ctx.index.search(SearchRequest(query=query, limit=page, offset=offset))
        except QueryError as exc:
            raise click.UsageError(str(exc)) from exc
        for hit in result.hits:
            article = ctx.store.get_article(hit.article["url"])
            if article is not None:
                yield article
        offset += page
        if offset >= result.total or not result.hits:
            return


def write_articles(articles: Iterator[Article], fmt: str, out: IO[str]) -> int:
    count = 0
    writer = csv.DictWriter(out, CSV_FIELDS) if fmt == "csv" else None
    if writer:
        writer.writeheader()
    for article in articles:
        data = article.to_dict()
        if writer:
            writer.writerow(_csv_row(data))
        else:
            out.write(json.dumps(data, ensure_ascii=False) + "\n")
        count += 1
    return count


def _csv_row(data: dict[str, Any]) -> dict[str, str]:
    """Flatten lists to `; `-joined cells so the file opens cleanly in a spreadsheet; a cell
    a spreadsheet would run as a formula gets a leading quote."""
    row = {k: data.get(k) for k in CSV_FIELDS}
    row["organizations"] = [o["name"] for o in data["organizations"]]
    row["amounts"] = [f"{a['value']:g} {a['currency']}" for a in data["amounts"]]
    row["events"] = [" ".join(filter(None, (e["date"], e.get("place")))) for e in data["events"]]
    from search_app.security import csv_cell  # the web's CSV rule (OWASP), one definition

    return {
        k: csv_cell("; ".join(map(str, v)) if isinstance(v, list) else v) for k, v in row.items()
    }


def _err(message: str) -> None:
    click.echo(message, err=True)

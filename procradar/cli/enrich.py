"""`procradar enrich`: extract and annotate one document; `procradar eval`: score the labels."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from procradar.cli.base import Context, main, pass_context
from procradar.core.models import Article


def _bad_file(message: str) -> click.BadParameter:
    return click.BadParameter(message, param_hint="FILE")


def _read_document(file: str) -> str:
    if file == "-":
        data = sys.stdin.buffer.read()
    else:
        path = Path(file)
        if path.is_dir():
            raise _bad_file(f"{file} is a directory, not a document")
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise _bad_file(f"{file}: no such file") from exc
        except OSError as exc:
            raise _bad_file(f"{file}: cannot read ({exc.strerror})") from exc
    if b"\x00" in data[:4096]:
        raise _bad_file(f"{file}: looks like a binary file, not HTML or text")
    text = data.decode("utf-8", errors="replace")
    if not text.strip():
        raise _bad_file(f"{file}: the document is empty")
    return text


def _check_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not an ISO date (YYYY-MM-DD)") from exc


@main.command()
@click.argument("file", metavar="FILE|-")
@click.option("--url", default="", help="The document's URL (helps extraction and output).")
@click.option("--published", callback=_check_date, help="Publication date, YYYY-MM-DD.")
@click.option("--title", default=None, help="Use this title instead of the extracted one.")
@click.option(
    "--language",
    "source_language",
    default=None,
    help="The source's declared language (a prior for language identification).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the Article as one JSON document.")
@pass_context
def enrich(
    ctx: Context,
    file: str,
    url: str,
    published: str | None,
    title: str | None,
    source_language: str | None,
    as_json: bool,
) -> None:
    """Extract and enrich one HTML or plain-text document (FILE, or - for stdin)."""
    from enrichment import enrich as enrich_document

    article = enrich_document(
        _read_document(file),
        url=url,
        published=published,
        source_language=source_language,
        title=title,
    )
    if as_json:
        click.echo(json.dumps(article.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(article))


def render_text(article: Article) -> str:
    """A readable report of one enriched article."""
    orgs = ", ".join(o.name for o in article.organizations)
    amounts = "; ".join(f"{a.text} = {a.value:,.0f} {a.currency}" for a in article.amounts)
    events = "; ".join(
        " ".join(x for x in (e.date, e.place and f"@ {e.place}", e.title) if x)
        for e in article.events
    )
    lines = [
        article.title or "(no title)",
        f"url:       {article.url or '-'}",
        f"published: {article.published or '-'}",
        f"language:  {article.language}",
        f"kind:      {article.kind}",
        f"topics:    {', '.join(article.topics) or '-'}",
        f"orgs:      {orgs or '-'}",
        f"places:    {', '.join(article.places) or '-'}",
        f"amounts:   {amounts or '-'}",
        f"events:    {events or '-'}",
    ]
    for topic, info in article.topic_scores.items():
        terms = ", ".join(sorted({e["term"] for e in info.get("evidence", [])}))
        lines.append(f"  {topic} ({info.get('score')}): {terms}")
    for passage in article.passages:
        quote = article.text[passage["start"] : passage["end"]]
        lines.append(f"  passage in {passage['language']}: {quote[:80]}")
    lines += ["", f"summary: {article.summary}"]
    return "\n".join(lines)


@main.command(name="eval")
@click.option(
    "--split",
    type=click.Choice(["dev", "test", "both", "all"]),
    default="test",
    show_default=True,
    help="Which part of eval/*.jsonl to score; both: dev and test, reported separately.",
)
@click.option(
    "--file",
    "files",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Score only this *.jsonl file (repeatable), e.g. a new batch before and after a change.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--errors",
    "error_field",
    metavar="FIELD",
    help="Also list each document's misses and extras for FIELD (e.g. topics).",
)
@click.option(
    "--check", is_flag=True, help="Exit 1 when a headline figure is below eval/baseline.json."
)
@click.option(
    "--pin", is_flag=True, help="Write the headline figures (of test, with both) to the baseline."
)
def eval_command(
    split: str,
    files: tuple[Path, ...],
    as_json: bool,
    error_field: str | None,
    check: bool,
    pin: bool,
) -> None:
    """Score enrichment against the labelled evaluation set (eval/*.jsonl)."""
    from procradar.stages import evaluation

    if files and (pin or check):
        raise click.UsageError("--pin and --check compare the whole set; drop --file")
    splits = ["dev", "test"] if split == "both" else [split]
    reports = {}
    for name in splits:
        try:
            docs = evaluation.load_documents(name, files=files)
        except evaluation.EvalError as exc:
            raise click.ClickException(str(exc)) from exc
        result = evaluation.evaluate(docs, name)
        reports[name] = report = result.report()
        if not as_json:
            click.echo(evaluation.format_report(report))
            if len(splits) > 1:
                click.echo("")
        if error_field:
            for item in result.errors.get(error_field, []):
                click.echo(f"{item['id']}: missed {item['missed']} extra {item['extra']}", err=True)
    if as_json:
        payload = reports[splits[0]] if len(splits) == 1 else reports
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    report = reports[splits[-1]]
    if pin:
        pinned = {
            "split": report["split"],
            "documents": report["documents"],
            "headline": report["headline"],
        }
        evaluation.BASELINE_FILE.write_text(json.dumps(pinned, indent=2) + "\n", encoding="utf-8")
    if check:
        failed = evaluation.regressions(report, evaluation.load_baseline())
        if failed:
            raise click.ClickException("regressed: " + "; ".join(failed))

"""`procradar settings`: show the settings table and the values in effect."""

from __future__ import annotations

import json

import click

from procradar.cli.base import Context, main, pass_context
from procradar.core import taxonomy as tx
from procradar.core.settings import env_name, setting_specs, setting_table


def settings_markdown() -> str:
    lines = [
        "# Settings",
        "",
        "Generated from `procradar/config/settings.yaml` by `procradar settings --markdown`;",
        "do not edit. Set a value in a YAML file given with `--config FILE` (keys nested or",
        "dotted) or in the environment variable shown; a value of the wrong type, out of range",
        "or not among the choices stops procradar with a message naming the key and the file.",
        "",
        "| setting | type | default | environment | what it does |",
        "|---|---|---|---|---|",
    ]
    for name, spec in setting_specs().items():
        default = json.dumps(spec.default, ensure_ascii=False)
        kind = spec.type_text
        lines.append(f"| `{name}` | {kind} | `{default}` | `{env_name(name)}` | {spec.help} |")
    return "\n".join(lines) + "\n"


@main.command("settings")
@click.option("--markdown", is_flag=True, help="Print the table as Markdown (docs/settings.md).")
@pass_context
def settings_cmd(ctx: Context, markdown: bool) -> None:
    """Show every setting with the value in effect (defaults + --config + environment)."""
    if markdown:
        click.echo(settings_markdown(), nl=False)
        return
    width = max(map(len, setting_table()))
    for name in setting_table():
        value = json.dumps(ctx.settings[name], ensure_ascii=False, default=str)
        click.echo(f"{name:<{width}}  {value}")


def taxonomy_markdown() -> str:
    """docs/taxonomy.md: every id procradar uses, with its names and what it covers."""
    langs = ("sv", "nb", "da", "en")
    head = "| id | " + " | ".join(langs) + " | what it covers |"
    rule = "|---" * (len(langs) + 2) + "|"

    def table(labels: dict[str, dict[str, str]], help_: dict[str, str]) -> list[str]:
        rows = [head, rule]
        for key, names in labels.items():
            cells = " | ".join(names.get(lang, "") for lang in langs)
            rows.append(f"| `{key}` | {cells} | {help_.get(key, '')} |")
        return rows

    lines = [
        "# Topics, kinds, roles, languages and countries",
        "",
        "Generated from `procradar/core/taxonomy.py` by `procradar taxonomy --markdown`; do not",
        "edit. These ids are stable: the command line, the JSON API, the index, URLs",
        "(`?topic=dialogue`) and the evaluation use them. An article has any number of topics",
        "and exactly one kind; each organisation it names has one role.",
        "",
        "## Topics",
        "",
        *table(tx.TOPIC_LABELS, tx.TOPIC_HELP),
        "",
        "## Kinds",
        "",
        *table(tx.KIND_LABELS, tx.KIND_HELP),
        "",
        "## Organisation roles",
        "",
        *table(tx.ROLE_LABELS, tx.ROLE_HELP),
        "",
        "## Languages",
        "",
        "ISO 639-1 codes. Norwegian that cannot be told apart as bokmål or nynorsk is `nb`; an",
        "article's language is its dominant one (quoted passages do not change it).",
        "",
        *table(tx.LANGUAGE_LABELS, {}),
        "",
        "## Countries",
        "",
        *table(tx.COUNTRY_LABELS, {}),
    ]
    return "\n".join(lines) + "\n"


@main.command("taxonomy")
@click.option("--markdown", is_flag=True, help="Print it as Markdown (docs/taxonomy.md).")
def taxonomy_cmd(markdown: bool) -> None:
    """The ids of topics, kinds, organisation roles, languages and countries."""
    if markdown:
        click.echo(taxonomy_markdown(), nl=False)
        return
    for title, labels in (
        ("topic", tx.TOPIC_LABELS),
        ("kind", tx.KIND_LABELS),
        ("role", tx.ROLE_LABELS),
        ("language", tx.LANGUAGE_LABELS),
        ("country", tx.COUNTRY_LABELS),
    ):
        for key, names in labels.items():
            click.echo(f"{title:<9} {key:<20} {names.get('en', '')}")

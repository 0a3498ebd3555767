"""`procradar settings`: show the settings table and the values in effect."""

from __future__ import annotations

import json

import click

from procradar.cli.base import Context, main, pass_context
from procradar.core.settings import setting_table


def settings_markdown() -> str:
    lines = [
        "# Settings",
        "",
        "Generated from `config/settings.yaml` by `procradar settings --markdown`; do not edit.",
        "",
        "| setting | default | what it does |",
        "|---|---|---|",
    ]
    for name, spec in setting_table().items():
        default = json.dumps(spec["default"], ensure_ascii=False)
        lines.append(f"| `{name}` | `{default}` | {spec['help']} |")
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
        value = json.dumps(ctx.settings[name], ensure_ascii=False)
        click.echo(f"{name:<{width}}  {value}")

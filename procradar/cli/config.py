"""`procradar settings`: show the settings table and the values in effect."""

from __future__ import annotations

import json

import click

from procradar.cli.base import Context, main, pass_context
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

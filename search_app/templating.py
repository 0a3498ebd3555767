"""Helpers the templates use: labels, safe links, snippets, links that keep the filters."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Flask, current_app, g, request, url_for

from search_app import charts, i18n
from search_app.params import article_id
from search_app.security import safe_url, snippet_html
from search_app.sources import source_name

# Request arguments a page may carry over into its own links (language switch, follow,
# alternative formats): known names only, bounded values.
KEPT_ARGS = (
    "q",
    "topic",
    "kind",
    "language",
    "country",
    "region",
    "source",
    "org",
    "after",
    "before",
    "sort",
    "page",
    "cq",
    "interval",
    "all",
    "role",
)
MAX_KEPT = 500


def kept_args(*drop: str) -> list[tuple[str, str]]:
    return [
        (k, v)
        for k, v in request.args.items(multi=True)
        if k in KEPT_ARGS and k not in drop and len(v) <= MAX_KEPT
    ][:40]


def here(drop: tuple[str, ...] = (), **extra: str) -> str:
    """The current path with the kept arguments, changed by `extra`."""
    args = kept_args(*drop, *extra) + list(extra.items())
    return request.path + ("?" + urlencode(args) if args else "")


def with_args(path: str, *drop: str, **extra: str) -> str:
    """`path` with the kept arguments of this request (minus `drop`), plus `extra`."""
    args = kept_args(*drop, *extra) + list(extra.items())
    return path + ("?" + urlencode(args) if args else "")


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        label=i18n.label,
        ui_lang=i18n.ui_lang,
        ui_languages=i18n.UI_LANGUAGES,
        safe_url=safe_url,
        snippet_html=snippet_html,
        article_id=article_id,
        source_name=source_name,
        here=here,
        with_args=with_args,
        follow_enabled=lambda: bool(current_app.config.get("FOLLOW_ENABLED")),
        value_label=value_label,
        article_href=article_href,
        source_href=source_href,
        bar_rects=charts.bar_rects,
        table_rows=charts.table_rows,
    )
    app.jinja_env.filters["month"] = _month
    app.jinja_env.filters["quoted"] = _quoted
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


def article_href(article_key: str) -> str:
    """url_for('articles.article', article_key=...) for a results page of them: the path
    is built once per request and the key (base64url, nothing to quote) appended."""
    prefix: str | None = g.get("article_href")
    if prefix is None:
        prefix = g.article_href = url_for("articles.article", article_key="-")[:-1]
    return prefix + article_key


def source_href(source_id: str) -> str:
    """url_for('orgs.source', source_id=...), once per source and request."""
    built: dict[str, str] = g.setdefault("source_hrefs", {})
    if source_id not in built:
        built[source_id] = url_for("orgs.source", source_id=source_id)
    return built[source_id]


def value_label(name: str, value: str) -> str:
    """How a filter value is shown: taxonomy ids and sources by name, the rest as given.
    (A function, not a macro: a results page shows a hundred of them.)"""
    if name in i18n.TABLES:
        return i18n.label(name, value)
    if name == "source":
        return source_name(value)
    return value


def _quoted(value: Any) -> str:
    return f"“{value}”"


def _month(value: Any) -> str:
    return str(value or "")[:7]

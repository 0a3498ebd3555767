"""A hostile-input corpus against every route of the web app (issue 13, item 7).

Routes are discovered from `app.url_map`, so a route added later is covered without
touching this file. Every answer must be a deliberate one (2xx, 3xx or 4xx, or 503 when
the index is unavailable): never a 500, never a traceback in the body, and a huge
parameter is never echoed back whole. `bench/reliability.py` runs the full cross product.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

HUGE = "klimat " * 36_000  # about 250 KB
VALUES = [
    "", "²", "٣", "-1", "0", "99999999999999999999999", "1e309", "NaN", "-0", "1.5",
    "\x00", "%00", "%ff", "%", "\u202e", "😀", "\x1b[31m", "\r\nSet-Cookie: x=1",
    "<script>alert(1)</script>", "javascript:alert(document.domain)", "data:text/html,x",
    "JaVaScRiPt:alert(1)", "' OR 1=1 --", '"', "\\", "(((((", ")", "OR OR AND NOT",
    "*", "**", "topic:", "after:2026-13-45", "lang:xx", "../../etc/passwd", "{}", "[]",
    "x" * 5000, "a:b:c", "2026-02-30", "9999-99", "@sum(1)", "=cmd|' /C calc'!A0",
]  # fmt: skip
PARAMS = [
    "q", "page", "topic", "lang", "kind", "country", "source", "org", "sort", "limit",
    "offset", "after", "before", "interval", "expand", "format", "endpoint", "_method",
    "per_page", "facets", "name", "id",
]  # fmt: skip
ALLOWED = set(range(200, 500)) | {503}


@dataclass
class Outcome:
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    per_route: dict[str, int] = field(default_factory=dict)


def route_urls(app: Any, full: bool = False) -> Iterator[tuple[str, str]]:
    """(route, url) pairs: every GET route with hostile path values and parameters."""
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or set()) or rule.endpoint == "static":
            continue
        samples = VALUES if full else VALUES[:: 3 if rule.arguments else 1]
        for n, value in enumerate(samples):
            path = rule.rule
            for arg in rule.arguments:
                path = path.replace(f"<{arg}>", quote(value or "x", safe="")).replace(
                    f"<path:{arg}>", quote(value or "x", safe="/")
                )
            params = PARAMS if full else [PARAMS[n % len(PARAMS)], PARAMS[(n + 7) % len(PARAMS)]]
            for param in params:
                yield rule.rule, f"{path}?{param}={quote(value, safe='')}"
        yield rule.rule, f"{rule.rule.split('<')[0]}?q={quote(HUGE[:250_000])}"


def run_corpus(app: Any, full: bool = False) -> Outcome:
    outcome = Outcome()
    client = app.test_client()
    for route, url in route_urls(app, full):
        response = client.get(url)
        outcome.requests += 1
        outcome.per_route[route] = outcome.per_route.get(route, 0) + 1
        body = response.get_data()
        problem = None
        if response.status_code not in ALLOWED:
            problem = f"HTTP {response.status_code}"
        elif b"Traceback (most recent call last)" in body:
            problem = "traceback in the body"
        elif len(body) > 200_000 and "q=" in url and len(url) > 200_000:
            problem = f"a huge query echoed ({len(body)} bytes)"
        if problem:
            outcome.errors.append(f"{problem}: GET {url[:120]}")
    return outcome


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return build_app(tmp_path_factory.mktemp("routes") / "data")


def build_app(data: Path) -> Any:
    """The web app over a small store and index holding hostile articles."""
    from procradar.core.index import open_index
    from procradar.core.models import Article
    from procradar.core.settings import Settings
    from procradar.core.store import Store
    from search_app import create_app

    settings = Settings({"data_dir": str(data)})
    store, index = Store.open(settings), open_index(settings)
    articles = [
        Article(
            url=url,
            title=title,
            text="Regionen ställer klimatkrav. =SUM(A1) <script>alert(1)</script>",
            language="sv",
            kind="news",
            topics=["climate"],
            source="src",
            published="2026-03-01",
        )
        for url, title in [
            ("https://ok.test/1", "Klimatkrav i upphandling"),
            ("javascript:alert(document.domain)", '=HYPERLINK("x")'),
            ("data:text/html,<b>x</b>", "<img src=x onerror=alert(1)>"),
        ]
    ]
    for article in articles:
        store.upsert_article(article)
    index.index(articles)
    index.close()
    store.close()
    application = create_app(settings=settings)
    application.config.update(TESTING=False, RATELIMIT_ENABLED=False)
    return application


def test_every_route_answers_hostile_input_deliberately(app: Any) -> None:
    outcome = run_corpus(app)
    assert len(outcome.per_route) >= 10  # the discovery found the routes
    assert outcome.errors[:10] == []


def test_corpus_covers_json_api_routes(app: Any) -> None:
    routes = {route for route, _ in route_urls(app)}
    assert any(r.startswith("/api/") for r in routes)
    response = app.test_client().get("/api/v1/search?q=" + quote("((("))
    assert response.status_code in ALLOWED
    if response.is_json:
        json.dumps(response.get_json())

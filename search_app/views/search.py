"""The search page and its CSV and JSON twins."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from search_app import exports, queries, rows
from search_app.params import Params, parse

bp = Blueprint("search", __name__)
FACET_SHOWN = 6  # values shown before "more…"


def _page(snippets: bool = True) -> queries.Page:
    return queries.search(parse(request.args), current_app.config["PAGE_SIZE"], snippets)


@bp.route("/")
@bp.route("/search")
def search() -> str:
    page = _page()
    return render_template(
        "search.html",
        page=page,
        params=page.params,
        facets=rows.facets(page.params, page.facets, FACET_SHOWN),
        hits=rows.hits(page.results),
        suggestions=_suggestions(page) if page.total == 0 else [],
        fresh=page.total == 0 and queries.index_size() == 0,
    )


def _suggestions(page: queries.Page) -> list[tuple[str, str, str, int]]:
    """(kind, value, link, hits) for each filter or word whose removal would find something."""
    params = page.params
    out: list[tuple[str, str, str, int]] = []
    if not params.everything:
        wider = params.with_everything(True)
        if n := queries.count(wider):
            out.append(("all", "", wider.link(), n))
    for name, value in params.active:
        fewer = params.removing(name, value)
        n = queries.count(fewer)
        if n:
            out.append((name, value, fewer.link(), n))
    words = params.q.split()
    if len(words) > 1:
        for word in words[:6]:
            fewer = Params(**{**params.__dict__, "q": " ".join(w for w in words if w != word)})
            n = queries.count(fewer)
            if n:
                out.append(("q", word, fewer.link(), n))
    return out[:8]


@bp.route("/search.json")
def search_json() -> Response:
    page = _page()
    return jsonify(exports.page_json(page))


@bp.route("/search.csv")
def search_csv() -> Response:
    page = _page(snippets=False)
    return exports.csv_response(
        exports.ARTICLE_COLUMNS, [exports.article_row(r.hit) for r in page.results], "search"
    )

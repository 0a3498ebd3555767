"""The JSON API under /api/v1, described by /api/v1/openapi.json; rate limited."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, jsonify, request, url_for

from search_app import exports, queries
from search_app.extensions import api_limit, limiter
from search_app.openapi import document
from search_app.params import article_url, int_arg, parse
from search_app.views import orgs as org_views
from search_app.views import trends as trend_views

bp = Blueprint("api", __name__, url_prefix="/api/v1")
limiter.limit(api_limit)(bp)
MAX_PER_PAGE = 100


@bp.route("/openapi.json")
def openapi() -> Response:
    return jsonify(document(request.host_url.rstrip("/") + "/api/v1"))


def _link(endpoint: str, page: int, per_page: int, pairs: list[tuple[str, str]]) -> str:
    args = [*pairs, ("page", str(page)), ("per_page", str(per_page))]
    return url_for(endpoint, _external=True) + "?" + urlencode(args)


@bp.route("/search")
def search() -> Response:
    params = parse(request.args, sorts=("relevance", "newest", "event"))
    per_page = int_arg(request.args, "per_page", 20, 1, MAX_PER_PAGE)
    page = queries.search(params, per_page, facets=False)  # not in the answer
    pairs = params.pairs(page=False)
    links: dict[str, Any] = {
        "self": _link("api.search", params.page, per_page, pairs),
        "first": _link("api.search", 1, per_page, pairs),
        "last": _link("api.search", min(page.pages, 500), per_page, pairs),
        "next": None,
        "prev": None,
    }
    if params.page < min(page.pages, 500):
        links["next"] = _link("api.search", params.page + 1, per_page, pairs)
    if params.page > 1:
        links["prev"] = _link("api.search", params.page - 1, per_page, pairs)
    body = exports.page_json(page)
    body.pop("facets")
    body["page_size"] = per_page
    body["links"] = links
    return jsonify(body)


@bp.route("/facets")
def facets() -> Response:
    params = parse(request.args)
    page = queries.search(params, 0)
    return jsonify(
        {
            "total": page.total,
            "facets": {k: [list(p) for p in v] for k, v in page.facets.items()},
            "years": [list(p) for p in page.years],
        }
    )


@bp.route("/articles/<article_key>")
def article(article_key: str) -> Response:
    url = article_url(article_key)
    art = queries.article(url) if url else None
    if art is None:
        abort(404)
    return jsonify(exports.article_json(art.to_dict(), full=True))


@bp.route("/trends")
def trends() -> Response:
    _params, compare, data = trend_views._data()
    return jsonify({**data, "compared_queries": compare})


@bp.route("/events")
def events() -> Response:
    params = parse(request.args)
    found = queries.events(params)
    upcoming = request.args.get("when", "upcoming")
    if upcoming not in ("upcoming", "all"):
        abort(400)
    items = [e for e in found if e["upcoming"] or upcoming == "all"][:200]
    return jsonify({"total": len(items), "items": items})


@bp.route("/organisations")
def organisations() -> Response:
    return org_views.orgs_json()


@bp.route("/sources")
def sources() -> Response:
    return org_views.sources_json()

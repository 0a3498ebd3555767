"""Search pages: HTML and the JSON beside it share one handler."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from procradar.core.taxonomy import KIND_LABELS, LANGUAGE_LABELS, TOPIC_LABELS
from search_app.queries import (
    FACET_PARAMS,
    BadRequestError,
    highlight,
    parse_params,
    request_kwargs,
)
from search_app.resources import get_index

bp = Blueprint("search", __name__)
FACET_TITLES = {
    "topic": "Ämne",
    "language": "Språk",
    "kind": "Typ",
    "source": "Källa",
    "country": "Land",
    "org": "Organisation",
}


def _run_search() -> tuple[dict[str, Any], int]:
    from procradar.core.index.base import SearchRequest
    from procradar.core.query import QueryError

    try:
        params = parse_params(request.args)
        page_size = current_app.config["PAGE_SIZE"]
        result = get_index().search(SearchRequest(**request_kwargs(params, page_size)))
    except (BadRequestError, QueryError) as exc:
        return {"error": str(exc), "query": request.args.get("q", "")}, 400
    hits = [{**hit.article, "score": hit.score, "snippet": hit.snippet} for hit in result.hits]
    return {
        "query": params.query,
        "params": params,
        "total": result.total,
        "page": params.page,
        "page_size": page_size,
        "hits": hits,
        "facets": {k: [list(v) for v in vals] for k, vals in result.facets.items()},
    }, 200


@bp.route("/")
@bp.route("/search")
def search() -> tuple[str, int]:
    data, status = _run_search()
    return render_template(
        "search.html",
        data=data,
        topic_labels=TOPIC_LABELS,
        kind_labels=KIND_LABELS,
        language_labels=LANGUAGE_LABELS,
        highlight=highlight,
        facet_params=FACET_PARAMS,
        facet_titles=FACET_TITLES,
    ), status


@bp.route("/search.json")
def search_json() -> tuple[Response, int]:
    data, status = _run_search()
    data.pop("params", None)
    return jsonify(data), status

"""Atom for any search."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from flask_babel import gettext as _

from search_app import exports, queries
from search_app.params import parse

bp = Blueprint("feeds", __name__)


@bp.route("/feed.atom")
def atom() -> Response:
    params = parse(request.args, sorts=("newest", "relevance"))
    if params.sort == "relevance" and "sort" not in request.args:
        params = params.with_sort("newest")  # a feed is read newest first
    page = queries.search(params, current_app.config["PAGE_SIZE"], snippets=False)
    title = f"procradar: {params.q}" if params.q else _("procradar: latest articles")
    return exports.atom(page, title[:200])

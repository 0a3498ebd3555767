"""The article page: everything stored and extracted about one article."""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, render_template

from search_app import exports, queries
from search_app.params import article_url

bp = Blueprint("articles", __name__)


def _load(article_key: str) -> tuple[str, queries.Article]:
    url = article_url(article_key)
    art = queries.article(url) if url else None
    if art is None or url is None:
        abort(404)
    return url, art


@bp.route("/a/<article_key>")
def article(article_key: str) -> str:
    url, art = _load(article_key)
    return render_template(
        "article.html",
        art=art,
        copies=queries.copies(art),
        similar=queries.similar(url),
    )


@bp.route("/a/<article_key>.json")
def article_json(article_key: str) -> Response:
    _url, art = _load(article_key)
    return jsonify(exports.article_json(art.to_dict(), full=True))

"""Trends: articles per month by topic (also as a share), country and organisation, and up
to four queries compared; each chart with a data table and a CSV download."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext as _

from search_app import charts, exports, queries
from search_app.i18n import label
from search_app.params import BadRequestError, Params, parse
from search_app.security import clip

bp = Blueprint("trends", __name__)
MAX_COMPARE = 4
CHARTS = ("total", "topic_share", "topic_count", "country", "org", "compare")


def _compare() -> list[str]:
    found = [q.strip() for q in request.args.getlist("cq") if q.strip()]
    if len(found) > MAX_COMPARE or any(len(q) > 200 for q in found):
        raise BadRequestError(_("Compare at most %(n)d queries.", n=MAX_COMPARE))
    return list(dict.fromkeys(found))


def _data() -> tuple[Params, list[str], dict[str, Any]]:
    params = parse(request.args)
    compare = _compare()
    return params, compare, queries.trends(params, compare)


def _names(kind: str, keys: list[str]) -> dict[str, str]:
    if kind in ("topic_share", "topic_count"):
        return {k: label("topic", k) for k in keys}
    if kind == "country":
        return {k: label("country", k) for k in keys}
    return {k: clip(k, 60) for k in keys}


def _series(data: dict[str, Any], kind: str) -> dict[str, list[Any]]:
    return {_("All articles"): data["total"]} if kind == "total" else data[kind]


@bp.route("/trends")
def trends() -> str:
    params, compare, data = _data()
    built = {}
    for kind in CHARTS:
        series = _series(data, kind)
        if series:
            built[kind] = (
                charts.lines(data["periods"], series, _names(kind, list(series))),
                series,
            )
    return render_template("trends.html", params=params, compare=compare, data=data, built=built)


@bp.route("/trends.csv")
def trends_csv() -> Response:
    _params, _compare_, data = _data()
    kind = request.args.get("chart", "total")
    if kind not in CHARTS:
        abort(404)
    series = _series(data, kind)
    names = _names(kind, list(series))
    columns = ["period", *[names.get(k, k) for k in series]]
    rows = [[p, *[series[k][i] for k in series]] for i, p in enumerate(data["periods"])]
    return exports.csv_response(columns, rows, f"trends-{kind}")


@bp.route("/trends.json")
def trends_json() -> Response:
    _params, _compare_, data = _data()
    return exports.jsonify_data(data)

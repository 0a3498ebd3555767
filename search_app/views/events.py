"""Upcoming events, as a page, CSV, JSON and an iCalendar feed."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _

from search_app import exports, queries
from search_app.params import parse

bp = Blueprint("events", __name__)
SHOWN = 100
EVENT_COLUMNS = ("date", "title", "place", "organizer", "registration_url", "article_url")


def _events() -> tuple[queries.Params, list[dict]]:
    params = parse(request.args)
    return params, queries.events(params)


@bp.route("/events")
def events() -> str:
    params, found = _events()
    upcoming = [e for e in found if e["upcoming"]][:SHOWN]
    past = [e for e in found if not e["upcoming"]][:20]
    return render_template("events.html", params=params, upcoming=upcoming, past=past)


@bp.route("/events.ics")
def events_ics() -> Response:
    _params, found = _events()
    return exports.ical([e for e in found if e["upcoming"]], _("procradar events"))


@bp.route("/events.json")
def events_json() -> Response:
    _params, found = _events()
    return exports.json_list(found[:SHOWN])


@bp.route("/events.csv")
def events_csv() -> Response:
    _params, found = _events()
    rows = [[e.get(c) for c in EVENT_COLUMNS[:-1]] + [e["article"]["url"]] for e in found[:SHOWN]]
    return exports.csv_response(EVENT_COLUMNS, rows, "events")

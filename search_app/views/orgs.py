"""Organisation and source pages, and the lists of both."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint, Response, abort, jsonify, render_template, request
from flask_babel import gettext as _

from procradar.core.taxonomy import ROLES
from search_app import charts, exports, queries
from search_app.params import ALL, MAX_FREE, BadRequestError, Params
from search_app.resources import get_index, get_store
from search_app.sources import all_sources, source_info, source_name

bp = Blueprint("orgs", __name__)


def _check(value: str) -> str:
    if not value.strip() or len(value) > MAX_FREE:
        abort(404)
    return value


def _profile(params: Params) -> tuple[Params, dict[str, Any]]:
    """The profile of procurement news; of all news if the gate kept none of it (a
    municipality source or organisation named only in general news still has its page)."""
    params = replace(params, everything=request.args.get(ALL) == "1")
    data = queries.profile(params)
    if not data["total"] and not params.everything:
        params = params.with_everything(True)
        data = queries.profile(params)
    return params, data


def _org(name: str) -> dict[str, Any]:
    params, data = _profile(Params(filters={"org": (name,)}))
    if not data["total"]:
        abort(404)
    about: dict[str, Any] = {"name": name}
    for art in data["latest"]:
        for org in art.get("organizations") or []:
            if str(org.get("name", "")).casefold() == name.casefold():
                about = {**org, **about}
                break
    return {"about": about, "params": params, **data}


@bp.route("/org/<path:name>")
def org(name: str) -> str:
    data = _org(_check(name))
    return render_template("org.html", **data, chart=charts.bars(data["months"]))


@bp.route("/org/<path:name>.json")
def org_json(name: str) -> Response:
    data = _org(_check(name))
    data.pop("params")
    data["latest"] = [exports.article_json(a) for a in data["latest"]]
    return jsonify(data)


def _overview(field: str) -> list[tuple[str, int]]:
    from procradar.core.index.base import SearchRequest

    req = SearchRequest(limit=0)
    return queries.CACHE.get(
        ("overview", field), lambda: get_index().search(req).facets.get(field, [])
    )


def _role_of(name: str) -> str:
    """The role an organisation has in its newest article that names it."""
    from procradar.core.index.base import SearchRequest

    req = SearchRequest(orgs=[name], limit=1, sort="date", facets=False, snippets=False)
    for hit in get_index().search(req).hits:
        for org in hit.article.get("organizations") or []:
            if str(org.get("name", "")).casefold() == name.casefold():
                return str(org.get("role") or "other")
    return "other"


def _orgs() -> list[dict[str, Any]]:
    """The organisations named in most articles, with their role; ?role= keeps one role."""
    role = request.args.get("role", "")
    if role and role not in ROLES:
        raise BadRequestError(_("Unknown %(name)s: %(value)s", name="role", value=role[:40]))

    def make() -> list[dict[str, Any]]:
        return [{"name": n, "articles": c, "role": _role_of(n)} for n, c in _overview("org")]

    rows = queries.CACHE.get(("overview", "org-roles"), make)
    return [r for r in rows if not role or r["role"] == role]


@bp.route("/orgs")
def orgs() -> str:
    return render_template(
        "orgs.html", orgs=_orgs(), roles=ROLES, role=request.args.get("role", "")
    )


@bp.route("/orgs.json")
def orgs_json() -> Response:
    return exports.json_list(_orgs())


@bp.route("/orgs.csv")
def orgs_csv() -> Response:
    cols = ["name", "articles", "role"]
    return exports.csv_response(cols, [[r[c] for c in cols] for r in _orgs()], "orgs")


def _sources() -> list[dict[str, Any]]:
    """Sources switched on or with articles (the catalogue's hundreds of buyers nobody
    switched on would bury them)."""
    counts = dict(_overview("source"))
    rows = [
        {
            "id": sid,
            "name": s.get("name") or sid,
            "url": s.get("url"),
            "country": s.get("country"),
            "region": s.get("region"),
            "articles": counts.pop(sid, 0),
        }
        for sid, s in all_sources().items()
        if s.get("enabled") or sid in counts
    ]
    rows += [
        {"id": sid, "name": sid, "url": None, "country": None, "region": None, "articles": n}
        for sid, n in counts.items()
    ]
    return sorted(rows, key=lambda r: (-r["articles"], r["name"]))


@bp.route("/sources")
def sources() -> str:
    return render_template("sources.html", sources=_sources())


@bp.route("/sources.json")
def sources_json() -> Response:
    return exports.json_list(_sources())


@bp.route("/sources.csv")
def sources_csv() -> Response:
    cols = ["id", "name", "url", "country", "region", "articles"]
    return exports.csv_response(cols, [[r[c] for c in cols] for r in _sources()], "sources")


def _source(source_id: str) -> dict[str, Any]:
    params, data = _profile(Params(filters={"source": (source_id,)}))
    info = source_info(source_id)
    if not data["total"] and info is None:
        abort(404)
    runs = get_store().runs(source=source_id, limit=10)
    return {
        "source_id": source_id,
        "name": source_name(source_id),
        "info": info or {},
        "runs": runs,
        "params": params,
        **data,
    }


@bp.route("/source/<source_id>")
def source(source_id: str) -> str:
    data = _source(_check(source_id))
    return render_template("source.html", **data, chart=charts.bars(data["months"]))


@bp.route("/source/<source_id>.json")
def source_json(source_id: str) -> Response:
    data = _source(_check(source_id))
    data.pop("params")
    data["latest"] = [exports.article_json(a) for a in data["latest"]]
    data["runs"] = [{k: _plain(v) for k, v in r.items()} for r in data["runs"]]
    return jsonify(data)


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value

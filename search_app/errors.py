"""Every error as a localised page or a JSON body; never a traceback."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from procradar.core.index.base import IndexBackendError
from procradar.core.query import QueryError
from search_app.params import BadRequestError
from search_app.security import clip

log = logging.getLogger(__name__)


def wants_json() -> bool:
    path = request.path
    return path.startswith("/api/") or path.endswith(".json")


def error_response(status: int, message: str) -> tuple[Response | str, int]:
    message = clip(message, 300)
    if wants_json():
        return jsonify({"error": message, "status": status}), status
    return render_template("error.html", status=status, message=message), status


def _titles() -> dict[int, str]:
    return {
        400: _("The request could not be understood"),
        404: _("Page not found"),
        405: _("Method not allowed"),
        413: _("The request is too large"),
        429: _("Too many requests; wait a moment and try again"),
        503: _("Search is temporarily unavailable"),
    }


def init_app(app: Flask) -> None:
    @app.errorhandler(BadRequestError)
    def _bad(exc: BadRequestError) -> tuple[Response | str, int]:
        return error_response(400, str(exc))

    @app.errorhandler(QueryError)
    def _query(exc: QueryError) -> tuple[Response | str, int]:
        return error_response(400, _("The search could not be read: %(msg)s", msg=str(exc)))

    @app.errorhandler(IndexBackendError)
    def _backend(exc: IndexBackendError) -> tuple[Response, int]:
        log.warning("index backend unavailable: %s", exc)
        body, status = error_response(503, _("Search is temporarily unavailable. Try again soon."))
        response = app.make_response((body, status))
        response.headers["Retry-After"] = "30"
        return response, status

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> tuple[Response | str, int]:
        status = exc.code or 500
        return error_response(status, _titles().get(status, exc.name))

    @app.errorhandler(Exception)
    def _any(exc: Exception) -> tuple[Response | str, int]:
        if _is_unavailable(exc):
            return _backend(IndexBackendError(str(exc)))
        log.exception("unhandled error on %s", clip(request.path, 100))
        return error_response(500, _("Something went wrong on our side. Please try again."))


def _is_unavailable(exc: Exception) -> bool:
    """Elasticsearch down or timing out surfaces as the client's transport errors."""
    try:
        from elastic_transport import ConnectionError as EsConnectionError
        from elastic_transport import ConnectionTimeout
    except ImportError:  # pragma: no cover - the client is a dependency
        return False
    return isinstance(exc, EsConnectionError | ConnectionTimeout)

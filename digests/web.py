"""The follow pages, hosted by the web app: subscribe (double opt-in), confirm, manage,
unsubscribe (RFC 8058 one-click) and each subscription's secret Atom and iCal feeds.

The composition root calls `init_app(app)` on the app search_app.create_app built. Every
form carries the app's CSRF token (Flask-WTF's CSRFProtect, set up by the web app; set up
here if it is missing); the one exception is the one-click unsubscribe POST, which mail
clients send without a page, authorised by its signed token instead.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from limits import parse as parse_limit
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from digests import feeds
from digests.compose import confirmation_message, mail_domain, to_bytes
from digests.i18n import DEFAULT, LANGUAGES, text, translator
from digests.links import Signer, Site, signer_for, site_for
from digests.mailer import AddressError, Mailer, MailError, SmtpConfig, normalise_address
from digests.searches import FILTERS, SavedSearch, SearchParamsError
from procradar.core.settings import Settings
from procradar.core.subscriptions import FREQUENCIES, Subscriptions, now_utc

log = logging.getLogger(__name__)
bp = Blueprint("digests", __name__, template_folder="templates", url_prefix="/follow")
_limiter = MovingWindowRateLimiter(MemoryStorage())
SEARCH_PARAMS = ("q", *FILTERS, "after", "before")


# -- wiring ------------------------------------------------------------------------------


def init_app(app: Flask) -> None:
    """Register the follow pages on the web app and switch its Follow links on."""
    csrf = app.extensions.get("csrf")
    if csrf is None:
        from flask_wtf.csrf import CSRFProtect

        csrf = CSRFProtect(app)
    app.register_blueprint(bp)
    csrf.exempt(one_click_unsubscribe)
    app.config["FOLLOW_ENABLED"] = True
    app.extensions["digests"] = {}


def _settings() -> Settings:
    return current_app.config["PROCRADAR_SETTINGS"]


def _subs() -> Subscriptions:
    res = current_app.extensions["digests"]
    if "subs" not in res:
        from procradar.core.store import Store

        res["subs"] = Subscriptions(Store.open(_settings()).engine)
    return res["subs"]


def _index() -> Any:
    res = current_app.extensions["digests"]
    if "index" not in res:
        from procradar.core.index import open_index

        res["index"] = open_index(_settings())
    return res["index"]


def _signer() -> Signer:
    signer = signer_for(_settings())
    signer.key = str(current_app.config["SECRET_KEY"])
    return signer


def _site() -> Site:
    return site_for(_settings())


def _lang() -> str:
    try:
        from flask_babel import get_locale

        locale = str(get_locale() or "")
    except (ImportError, KeyError, RuntimeError, AttributeError):
        locale = ""
    return locale if locale in LANGUAGES else DEFAULT


def _page(template: str, status: int = 200, lang: str | None = None, **context: Any) -> Any:
    lang = lang or _lang()
    body = render_template(
        f"digests/{template}",
        frequencies=FREQUENCIES,
        languages=LANGUAGES,
        **translator(lang),
        **context,
    )
    return body, status


def _allowed(name: str, key: str) -> bool:
    """Moving-window limits from the settings (digest.subscribe_limit_*)."""
    limit = parse_limit(str(_settings().get(f"digest.subscribe_limit_{name}") or "10 per hour"))
    return _limiter.hit(limit, "digests", name, key)


# -- subscribing -------------------------------------------------------------------------


@bp.get("")
def follow_form() -> Any:
    try:
        saved = SavedSearch.from_args(request.args.to_dict(flat=False))
    except SearchParamsError as exc:
        return _page("error.html", 400, message=str(exc))
    return _page("follow.html", saved=saved, lang_default=_lang(), errors={}, email="")


@bp.post("")
def follow_submit() -> Any:
    lang = _lang()
    form = request.form
    try:
        saved = SavedSearch.from_args({k: form.getlist(k) for k in SEARCH_PARAMS})
    except SearchParamsError as exc:
        return _page("error.html", 400, message=str(exc))
    errors: dict[str, str] = {}
    frequency = form.get("frequency", "")
    mail_lang = form.get("mail_language", "")
    if frequency not in FREQUENCIES:
        errors["frequency"] = text("bad_choice", lang)
    if mail_lang not in LANGUAGES:
        errors["mail_language"] = text("bad_choice", lang)
    raw_email = form.get("email", "")
    try:
        email = normalise_address(raw_email)
    except AddressError:
        errors["email"] = text("bad_email", lang)
        email = ""
    if errors:
        return _page(
            "follow.html",
            400,
            saved=saved,
            lang_default=mail_lang or lang,
            errors=errors,
            email=raw_email[:254],
        )
    if not _allowed("client", request.remote_addr or "-") or not _allowed("address", email):
        return _page("error.html", 429, message=text("too_many", lang))
    subs = _subs()
    now = now_utc()
    subscriber_id, sub_id = subs.add_pending(email, mail_lang, saved.to_json(), frequency, now)
    settings = _settings()
    interval = float(settings.get("digest.confirm_interval_minutes") or 10)
    per_day = int(settings.get("digest.confirm_per_day") or 5)
    if subs.claim_confirmation(subscriber_id, now, timedelta(minutes=interval), per_day):
        try:
            _send_confirmation(email, mail_lang, saved, sub_id)
        except MailError as exc:
            log.warning("confirmation mail failed: %s", exc)
            return _page("error.html", 503, message=text("mail_failed", lang))
    # The same answer whatever the address's state: the page does not tell who subscribed.
    return _page("check_mail.html")


def _send_confirmation(email: str, lang: str, saved: SavedSearch, sub_id: int) -> None:
    smtp = SmtpConfig.from_settings(_settings())
    confirm = _site().confirm(_signer().confirm_token(sub_id))
    message_id = f"<confirm.{sub_id}.{uuid.uuid4().hex}@{mail_domain(smtp.sender)}>"
    msg = confirmation_message(email, lang, saved.describe(lang), confirm, smtp.sender, message_id)
    with Mailer(smtp) as mailer:
        mailer.send(email, to_bytes(msg))


@bp.get("/confirm/<token>")
def confirm_form(token: str) -> Any:
    sub_id = _signer().read_confirm(token)
    sub = _subs().get(sub_id) if sub_id is not None else None
    if sub is None:
        return _page("error.html", 404, message=text("link_invalid", _lang()))
    saved = SavedSearch.from_json(sub.query)
    return _page(
        "confirm.html", lang=sub.language, sub=sub, search_text=saved.describe(sub.language)
    )


@bp.post("/confirm/<token>")
def confirm_submit(token: str) -> Any:
    subs = _subs()
    sub_id = _signer().read_confirm(token)
    sub = subs.get(sub_id) if sub_id is not None else None
    if sub is None:
        return _page("error.html", 404, message=text("link_invalid", _lang()))
    subs.confirm(sub.id, now_utc())
    manage = _signer().manage_token(sub.subscriber_id, sub.manage_version)
    return redirect(url_for("digests.manage", token=manage, confirmed=1), 303)


# -- managing ----------------------------------------------------------------------------


def _subscriber_of(token: str) -> tuple[int, dict[str, Any]] | None:
    found = _signer().read_manage(token)
    if found is None:
        return None
    subscriber = _subs().subscriber(found[0])
    if subscriber is None or subscriber["manage_version"] != found[1]:
        return None
    return found[0], subscriber


@bp.get("/manage/<token>")
def manage(token: str) -> Any:
    who = _subscriber_of(token)
    if who is None:
        return _page("error.html", 404, message=text("link_invalid", _lang()))
    subscriber_id, subscriber = who
    site = _site()
    rows = [
        {
            "sub": sub,
            "search_text": SavedSearch.from_json(sub.query).describe(subscriber["language"]),
            "atom": site.feed(sub.feed_token, "atom"),
            "ics": site.feed(sub.feed_token, "ics"),
        }
        for sub in _subs().of_subscriber(subscriber_id)
    ]
    return _page(
        "manage.html",
        lang=subscriber["language"],
        rows=rows,
        email=subscriber["email"],
        token=token,
        confirmed=request.args.get("confirmed") == "1",
        saved_note=request.args.get("saved") == "1",
    )


@bp.post("/manage/<token>")
def manage_submit(token: str) -> Any:
    who = _subscriber_of(token)
    if who is None:
        return _page("error.html", 404, message=text("link_invalid", _lang()))
    subscriber_id, subscriber = who
    subs = _subs()
    action = request.form.get("action", "")
    if action == "delete_all":
        subs.delete_subscriber(subscriber_id)
        return _page("gone.html", lang=subscriber["language"])
    if action == "revoke_links":
        subs.revoke_links(subscriber_id)
        return _page("gone.html", lang=subscriber["language"], revoked=True)
    try:
        sub_id = int(request.form.get("subscription", ""))
    except ValueError:
        abort(400)
    mine = {s.id: s for s in subs.of_subscriber(subscriber_id)}
    if sub_id not in mine:
        abort(404)
    if action in ("pause", "resume"):
        subs.update(sub_id, subscriber_id, status="paused" if action == "pause" else "active")
    elif action == "frequency" and request.form.get("frequency") in FREQUENCIES:
        subs.update(sub_id, subscriber_id, frequency=request.form["frequency"])
    elif action == "new_feed":
        subs.revoke_feed(sub_id, subscriber_id)
    elif action == "delete":
        subs.delete(sub_id)
        if subs.subscriber(subscriber_id) is None:
            return _page("gone.html", lang=subscriber["language"])
    else:
        abort(400)
    return redirect(url_for("digests.manage", token=token, saved=1), 303)


# -- unsubscribing -----------------------------------------------------------------------


@bp.get("/unsubscribe/<token>")
def unsubscribe_form(token: str) -> Any:
    sub_id = _signer().read_unsubscribe(token)
    sub = _subs().get(sub_id) if sub_id is not None else None
    if sub is None:
        return _page("unsubscribed.html", lang=_lang())
    saved = SavedSearch.from_json(sub.query)
    return _page(
        "unsubscribe.html", lang=sub.language, token=token, search_text=saved.describe(sub.language)
    )


@bp.post("/unsubscribe/<token>")
def one_click_unsubscribe(token: str) -> Any:
    """RFC 8058: a POST with `List-Unsubscribe=One-Click` (or our own form) unsubscribes.
    Exempt from CSRF: the signed token is the authority, and it only ever removes."""
    sub_id = _signer().read_unsubscribe(token)
    if sub_id is None:
        return _page("error.html", 404, message=text("link_invalid", _lang()))
    sub = _subs().get(sub_id)
    lang = sub.language if sub else _lang()
    if sub is not None:
        _subs().delete(sub_id)
    return _page("unsubscribed.html", lang=lang)


# -- feeds -------------------------------------------------------------------------------


@bp.get("/feed/<feed_token>.<kind>")
def feed(feed_token: str, kind: str) -> Response:
    if kind not in ("atom", "ics") or len(feed_token) > 100:
        abort(404)
    sub = _subs().by_feed_token(feed_token)
    if sub is None:
        abort(404)
    saved = SavedSearch.from_json(sub.query)
    articles = feeds.latest(_index(), saved)
    site = _site()
    if kind == "atom":
        body = feeds.atom(articles, saved, sub, site, request.url)
        mimetype = "application/atom+xml"
    else:
        body = feeds.ical(articles, saved, sub, site)
        mimetype = "text/calendar"
    response = Response(body, mimetype=mimetype)
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["X-Robots-Tag"] = "noindex"
    return response

"""Interface languages: which one a request gets, and names of taxonomy ids in it."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, g, request
from flask_babel import get_locale, get_translations

from procradar.core.taxonomy import (
    COUNTRY_LABELS,
    KIND_LABELS,
    LANGUAGE_LABELS,
    ROLE_LABELS,
    TOPIC_LABELS,
)

UI_LANGUAGES: dict[str, str] = {"sv": "Svenska", "nb": "Norsk", "da": "Dansk", "en": "English"}
DEFAULT = "sv"
COOKIE = "ui_lang"
COOKIE_AGE = 365 * 24 * 3600
TABLES = {
    "topic": TOPIC_LABELS,
    "kind": KIND_LABELS,
    "language": LANGUAGE_LABELS,
    "country": COUNTRY_LABELS,
    "role": ROLE_LABELS,
}


def select_locale() -> str:
    """?lang= (then remembered in a cookie), the cookie, the browser's languages, Swedish."""
    chosen = request.args.get("lang", "")
    if chosen in UI_LANGUAGES:
        g.remember_lang = chosen
        return chosen
    cookie = request.cookies.get(COOKIE, "")
    if cookie in UI_LANGUAGES:
        return cookie
    # Norwegian browsers often send only "no" or "nn"; both read bokmål well enough.
    accepted = [
        (("nb" if lang in ("no", "nn") else lang), q) for lang, q in request.accept_languages
    ]
    best = max(
        ((lang[:2], q) for lang, q in accepted if lang[:2] in UI_LANGUAGES),
        key=lambda p: p[1],
        default=(DEFAULT, 0),
    )
    return best[0]


def remember(response: Response) -> Response:
    lang = g.get("remember_lang")
    if lang:
        response.set_cookie(
            COOKIE,
            lang,
            max_age=COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure,
        )
    return response


def ui_lang() -> str:
    # Asked for every label on a page; Babel's lookup is not free, so once per request.
    lang: str | None = g.get("ui_lang")
    if lang is None:
        lang = g.ui_lang = str(get_locale() or DEFAULT)
    return lang


def label(kind: str, value: str | None) -> str:
    """The name of a taxonomy id in the interface language; the id itself if unknown."""
    if not value:
        return ""
    names = TABLES[kind].get(value)
    if not names:
        return value
    return names.get(ui_lang()) or names.get("en") or value


def translations() -> Any:
    """This request's catalogue, looked up once: Flask-Babel looks it up again for each of
    the hundred-odd strings of a results page (a fifth of rendering it). Cached on `g`,
    where Flask-Babel keeps the request's locale too."""
    if not g:  # outside an app context
        return get_translations()
    found = g.get("_procradar_translations")
    if found is None:
        found = g._procradar_translations = get_translations()
    return found


def install_gettext(app: Flask) -> None:
    """The templates' _() and ngettext() through `translations` (after Babel's init_app,
    which installs its own)."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )

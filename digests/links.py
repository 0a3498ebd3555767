"""Links in mails and on the follow pages: signed tokens (no accounts, no passwords) and
the site's addresses of articles and searches.

Tokens are signed with the web app's secret key (itsdangerous), each kind with its own
salt so one cannot stand in for another:
- confirm: a subscription id, valid for `digest.confirm_max_age_hours`;
- manage: a subscriber id and its manage_version (bumping it revokes every manage link);
- unsubscribe: a subscription id; never expires (RFC 8058 links must keep working) and dies
  with the subscription.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

from procradar.core.settings import Settings


def secret_key(settings: Settings) -> str:
    """The web app's key: web.secret_key, else the one kept in the data dir (made on first
    use, as the web app does), so links signed by `digest send` open in the web app."""
    if settings.get("web.secret_key"):
        return str(settings["web.secret_key"])
    path = Path(settings.data_dir) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def article_path(url: str) -> str:
    """The site's article page (/a/<id>): the URL in unpadded URL-safe base64, as the web
    app's search_app.params.article_id makes it."""
    return "/a/" + base64.urlsafe_b64encode(url.encode("utf-8")).decode("ascii").rstrip("=")


@dataclass
class Signer:
    key: str
    confirm_max_age: int  # seconds

    def _timed(self, salt: str) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.key, salt=f"procradar-digests-{salt}")

    def _plain(self, salt: str) -> URLSafeSerializer:
        return URLSafeSerializer(self.key, salt=f"procradar-digests-{salt}")

    def confirm_token(self, subscription_id: int) -> str:
        return str(self._timed("confirm").dumps(subscription_id))

    def read_confirm(self, token: str) -> int | None:
        try:
            value: Any = self._timed("confirm").loads(token, max_age=self.confirm_max_age)
        except (BadSignature, SignatureExpired):
            return None
        return value if isinstance(value, int) else None

    def manage_token(self, subscriber_id: int, version: int) -> str:
        return str(self._plain("manage").dumps([subscriber_id, version]))

    def read_manage(self, token: str) -> tuple[int, int] | None:
        try:
            value: Any = self._plain("manage").loads(token)
        except BadSignature:
            return None
        if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
            return value[0], value[1]
        return None

    def unsubscribe_token(self, subscription_id: int) -> str:
        return str(self._plain("unsubscribe").dumps(subscription_id))

    def read_unsubscribe(self, token: str) -> int | None:
        try:
            value: Any = self._plain("unsubscribe").loads(token)
        except BadSignature:
            return None
        return value if isinstance(value, int) else None


@dataclass
class Site:
    """Absolute links to the site (mails are read far from any request)."""

    base_url: str

    def url(self, path: str) -> str:
        return urljoin(self.base_url.rstrip("/") + "/", path.lstrip("/"))

    def article(self, article_url: str) -> str:
        return self.url(article_path(article_url))

    def search(self, query_string: str) -> str:
        return self.url("/search" + ("?" + query_string if query_string else ""))

    def confirm(self, token: str) -> str:
        return self.url(f"/follow/confirm/{token}")

    def manage(self, token: str) -> str:
        return self.url(f"/follow/manage/{token}")

    def unsubscribe(self, token: str) -> str:
        return self.url(f"/follow/unsubscribe/{token}")

    def feed(self, feed_token: str, kind: str) -> str:
        return self.url(f"/follow/feed/{feed_token}.{kind}")


def signer_for(settings: Settings) -> Signer:
    hours = float(settings.get("digest.confirm_max_age_hours") or 72)
    return Signer(secret_key(settings), int(hours * 3600))


def site_for(settings: Settings) -> Site:
    return Site(str(settings.get("digest.site_url") or "http://127.0.0.1:8642"))

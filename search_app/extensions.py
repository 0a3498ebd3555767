"""Flask extensions, created once and bound to an app in create_app (other blueprints,
digests' included, rely on them being there)."""

from __future__ import annotations

from flask import current_app
from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
compress = Compress()
limiter = Limiter(get_remote_address, storage_uri="memory://", default_limits=[])


def api_limit() -> str:
    return str(current_app.config.get("API_RATE_LIMIT") or "300 per minute")

"""The procradar web application (Flask app factory, flaskr-style)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from procradar.core.settings import Settings


def create_app(
    test_config: dict[str, Any] | None = None, settings: Settings | None = None
) -> Flask:
    """Build the app. `test_config` is laid over Flask's config; `settings` over procradar's."""
    app = Flask(__name__)
    settings = settings or Settings()
    app.config.from_mapping(
        SECRET_KEY=settings["web.secret_key"] or _secret_key(settings.data_dir),
        PROCRADAR_SETTINGS=settings,
        PAGE_SIZE=int(settings["web.page_size"]),
    )
    if test_config:
        app.config.update(test_config)

    from search_app import resources, views

    resources.init_app(app)
    app.register_blueprint(views.bp)
    return app


def _secret_key(data_dir: Path) -> str:
    """A key generated once per data dir, so sessions survive restarts."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key

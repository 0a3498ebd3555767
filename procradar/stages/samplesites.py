"""Serve the bundled sample sites on 127.0.0.1 (for `procradar demo` and the tests).

Each site lives in ``sample_sites/<id>/`` with a ``site.yaml`` and a ``public/``
tree of static files. The server adds what a static directory cannot express but
real Nordic CMSs do: redirects, per-path status codes and charset headers,
query-string pages (``?page=2`` → ``index@page=2.html``), ETag/Last-Modified with
304 answers, and ``{{BASE}}`` / ``{{SITE:id}}`` placeholders for absolute URLs.
"""

from __future__ import annotations

import hashlib
import mimetypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from procradar.core.resources import SAMPLE_SITES_DIR

SITES_DIR = SAMPLE_SITES_DIR
TEXT_TYPES = ("text/", "application/xml", "application/rss", "application/atom", "application/json")


@dataclass
class SiteStats:
    requests: int = 0
    bytes_sent: int = 0
    not_modified: int = 0
    paths: list[str] = field(default_factory=list)


@dataclass
class Site:
    id: str
    root: Path
    config: dict[str, Any]
    server: ThreadingHTTPServer | None = None
    stats: SiteStats = field(default_factory=SiteStats)

    @property
    def base_url(self) -> str:
        assert self.server is not None, "site is not being served"
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"


def load_sites(sites_dir: Path = SITES_DIR) -> list[Site]:
    sites = []
    for cfg_file in sorted(sites_dir.glob("*/site.yaml")):
        config = yaml.safe_load(cfg_file.read_text(encoding="utf-8")) or {}
        site_id = config.get("id", cfg_file.parent.name)
        sites.append(Site(site_id, cfg_file.parent / "public", config))
    return sites


class SampleSites:
    """All sample sites, each on its own loopback port."""

    def __init__(self, sites_dir: Path = SITES_DIR, ports: dict[str, int] | None = None):
        self.sites = {s.id: s for s in load_sites(sites_dir)}
        self._ports = ports or {}
        self._threads: list[threading.Thread] = []

    def start(self) -> SampleSites:
        for site in self.sites.values():
            handler = type("Handler", (_Handler,), {"site": site, "registry": self})
            site.server = ThreadingHTTPServer(("127.0.0.1", self._ports.get(site.id, 0)), handler)
            site.server.daemon_threads = True
            thread = threading.Thread(target=site.server.serve_forever, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        for site in self.sites.values():
            if site.server:
                site.server.shutdown()
                site.server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def base_url(self, site_id: str) -> str:
        return self.sites[site_id].base_url

    def url(self, site_id: str, path: str) -> str:
        return self.base_url(site_id) + path

    def sources(self) -> list[dict[str, Any]]:
        """Source entries (as in sources.yaml) pointing at the running sites."""
        out = []
        for site in self.sites.values():
            entry = {k: v for k, v in site.config.get("source", {}).items()}
            entry.update(id=site.id, url=site.base_url + "/", allow_private_network=True)
            out.append(entry)
        return out

    def reset_stats(self) -> None:
        for site in self.sites.values():
            site.stats = SiteStats()


@contextmanager
def serving(sites_dir: Path = SITES_DIR) -> Iterator[SampleSites]:
    sites = SampleSites(sites_dir).start()
    try:
        yield sites
    finally:
        sites.stop()


class _Handler(BaseHTTPRequestHandler):
    site: Site
    registry: SampleSites
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # keep test and demo output quiet

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(head=True)

    def do_GET(self) -> None:  # noqa: N802
        self._respond(head=False)

    def _respond(self, head: bool) -> None:
        cfg = self.site.config
        parts = urlsplit(self.path)
        path = parts.path or "/"
        self.site.stats.requests += 1
        self.site.stats.paths.append(self.path)
        if path in (cfg.get("redirects") or {}):
            self._send(301, b"", extra={"Location": cfg["redirects"][path]}, head=head)
            return
        status = (cfg.get("status") or {}).get(path)
        if status:
            self._send(int(status), b"<h1>Error</h1>", "text/html; charset=utf-8", head=head)
            return
        file = self._resolve(path, parts.query)
        if file is None:
            self._send(404, b"<h1>404 Not Found</h1>", "text/html; charset=utf-8", head=head)
            return
        ctype = self._content_type(file, path)
        body = file.read_bytes()
        if ctype.startswith(TEXT_TYPES):
            body = self._substitute(body)
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        modified = cfg.get("last_modified", "2026-11-01T08:00:00+00:00")
        last_modified = formatdate(_timestamp(modified), usegmt=True)
        headers = {"ETag": etag, "Last-Modified": last_modified}
        if self._not_modified(etag, modified):
            self.site.stats.not_modified += 1
            self._send(304, b"", extra=headers, head=True)
            return
        self._send(200, body, ctype, extra=headers, head=head)

    def _resolve(self, path: str, query: str) -> Path | None:
        root = self.site.root.resolve()
        candidate = (root / path.lstrip("/")).resolve()
        if root not in candidate.parents and candidate != root:
            return None
        if candidate.is_dir():
            for name in ("index.html", "index.xml"):
                if (candidate / name).is_file():
                    candidate = candidate / name
                    break
            else:
                return None
        if query:
            variant = candidate.with_name(f"{candidate.stem}@{query}{candidate.suffix}")
            if variant.is_file():
                return variant
        return candidate if candidate.is_file() else None

    def _content_type(self, file: Path, path: str) -> str:
        override = (self.site.config.get("content_types") or {}).get(path)
        if override:
            return str(override)
        if file.suffix == ".xml":
            return "application/xml; charset=utf-8"
        guessed = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if guessed.startswith("text/"):
            return guessed + "; charset=utf-8"
        return guessed

    def _substitute(self, body: bytes) -> bytes:
        body = body.replace(b"{{BASE}}", self.site.base_url.encode())
        for other in self.registry.sites.values():
            if other.server is not None:
                body = body.replace(f"{{{{SITE:{other.id}}}}}".encode(), other.base_url.encode())
        return body

    def _not_modified(self, etag: str, modified: str) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            return etag in [t.strip() for t in inm.split(",")]
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                return parsedate_to_datetime(ims).timestamp() >= _timestamp(modified)
            except (TypeError, ValueError):
                return False
        return False

    def _send(
        self,
        status: int,
        body: bytes,
        ctype: str | None = None,
        extra: dict[str, str] | None = None,
        head: bool = False,
    ) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(0 if status == 304 else len(body)))
        self.end_headers()
        if not head and status != 304:
            self.wfile.write(body)
            self.site.stats.bytes_sent += len(body)


def _timestamp(iso: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(iso).timestamp()

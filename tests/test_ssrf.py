"""Crawler SSRF guard (issue 13, item 6): `allow_private_network` opens only the source's
own host; redirects, sitemaps named in robots.txt and links to any other private, loopback
or link-local address, or to a non-http(s) scheme, are refused for every source."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from crawlers.middlewares import refuse_reason
from crawlers.run import crawl
from procradar.core.settings import Settings

CRAWL = {
    "crawl.download_delay": 0,
    "crawl.autothrottle": False,
    "crawl.download_timeout": 1.5,
    "crawl.retry_times": 0,
    "crawl.progress_interval": 1,
}


@contextmanager
def serve(routes: dict[str, tuple[int, dict[str, str], str]]) -> Iterator[tuple[str, list[str]]]:
    """A server on 127.0.0.1 answering `routes` (path -> status, headers, body); yields its
    base URL and the paths requested."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            hits.append(self.path)
            status, headers, body = routes.get(self.path, (404, {}, "not here"))
            data = body.encode("utf-8")
            self.send_response(status)
            for name, value in {"Content-Type": "text/html; charset=utf-8", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _page(links: list[str]) -> str:
    items = "".join(
        f'<li><a href="{u}">Nyhet om upphandling {i}</a></li>' for i, u in enumerate(links)
    )
    return f"<html><head><title>Källa</title></head><body><ul>{items}</ul></body></html>"


@pytest.fixture
def internal() -> Iterator[tuple[str, list[str]]]:
    """An 'internal service' on another loopback port that no crawl may reach."""
    ok = (200, {}, _page([]))
    with serve({"/secret": ok, "/sitemap.xml": ok, "/": ok}) as server:
        yield server


def test_redirects_and_links_to_other_private_hosts_are_refused(
    tmp_path: Path, internal: tuple[str, list[str]]
) -> None:
    inner, inner_hits = internal
    inner_port = inner.rsplit(":", 1)[1]
    redirect = {"Location": f"{inner}/secret"}
    links = [f"{inner}/secret", f"http://localhost:{inner_port}/secret", "/go", "/meta", "/file"]
    routes = {
        "/robots.txt": (200, {"Content-Type": "text/plain"}, f"Sitemap: {inner}/sitemap.xml\n"),
        "/": (200, {}, _page(links)),
        "/go": (302, redirect, ""),
        "/meta": (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, ""),
        "/file": (302, {"Location": "file:///etc/passwd"}, ""),
        "/feed-go": (301, redirect, ""),
    }
    with serve(routes) as (outer, outer_hits):
        source = {
            "id": "outer",
            "url": outer + "/",
            "feeds": [outer + "/feed-go"],
            "listings": [outer + "/"],
            "allow_private_network": True,
        }
        settings = Settings({"data_dir": str(tmp_path), **CRAWL})
        stats = crawl(settings, sources=[source])["outer"]
    assert "/" in outer_hits  # the source's own host was crawled
    assert inner_hits == []  # ... and nothing beyond it
    refused = "\n".join(str(e["error"]) for e in stats["errors"])
    assert "private or loopback address other than the source's own" in refused


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://127.0.0.1:8000/page", True),  # the source's own host
        ("http://127.0.0.1:8001/page", False),  # another port on loopback
        ("http://localhost:8000/page", False),  # another name is another host
        ("http://169.254.169.254/latest/meta-data/", False),
        ("http://[::1]:8000/", False),
        ("http://10.0.0.8/", False),
        ("http://2130706433/", False),
        ("http://0x7f000001:8000/", False),
        ("file:///etc/passwd", False),
        ("ftp://127.0.0.1:8000/", False),
        ("data:text/html,hello", False),
        ("gopher://127.0.0.1:8000/", False),
        ("http://[::1/", False),
    ],
)
def test_guard_decisions(url: str, allowed: bool) -> None:
    own = {"id": "own", "url": "http://127.0.0.1:8000/", "allow_private_network": True}
    assert (refuse_reason(url, own) is None) is allowed
    other = {"id": "public", "url": "https://example.org/"}
    assert refuse_reason(url, other) is not None

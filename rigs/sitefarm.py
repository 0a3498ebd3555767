"""Many small municipal news sites on loopback addresses, one asyncio server, for crawl-scale
tests and benchmarks: site i answers on 127.0.(1 + i // 250).(1 + i % 250):PORT, so each site
is its own host to the crawler (its own politeness slot), as on the real web.

Every site has a homepage linking its news, a sitemap, robots.txt and `pages` articles (short
texts of our own about procurement and everyday municipal news). A site in `failing` answers
500 to everything; a site in `slow` waits `slow_seconds` before each answer (a slow server, for
time budgets). Every request is logged with its host, path, arrival time and bytes sent.

    with site_farm(30, pages=4) as farm:
        farm.sources(), farm.log, farm.min_gap_by_host()
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

SUBJECTS = [  # (title, paragraph), our own words
    ("Leverantörsträff om skolmåltider",
     "Kommunen bjuder in leverantörer till ett möte om kommande upphandling av livsmedel "
     "till skolor och förskolor."),
    ("Marknadsdialog om snöröjning",
     "Inför nästa vinter vill kommunen höra hur entreprenörer kan planera plogning och "
     "sandning av gator och cykelvägar."),
    ("Nytt bibliotek öppnar i centrum",
     "Biblioteket flyttar till nya lokaler med längre öppettider och en större barnavdelning."),
    ("Upphandling av ramavtal för IT-konsulter",
     "Ett ramavtal för konsulttjänster inom systemutveckling annonseras under våren; anbud "
     "lämnas elektroniskt."),
    ("Vägarbete på Storgatan",
     "Under tre veckor byts vattenledningar under Storgatan och trafiken leds om via "
     "Kyrkvägen."),
]  # fmt: skip


@dataclass
class Hit:
    host: str
    path: str
    at: float  # time.monotonic() when the request line arrived
    bytes: int = 0


@dataclass
class SiteFarm:
    count: int
    pages: int = 5
    failing: frozenset[int] = frozenset()
    port: int = 0
    slow: frozenset[int] = frozenset()
    slow_seconds: float = 0.0
    log: list[Hit] = field(default_factory=list)
    _loop: asyncio.AbstractEventLoop | None = None
    _servers: list[Any] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @staticmethod
    def host(i: int) -> str:
        return f"127.0.{1 + i // 250}.{1 + i % 250}"

    def url(self, i: int) -> str:
        return f"http://{self.host(i)}:{self.port}/"

    def sources(self, **extra: Any) -> list[dict[str, Any]]:
        return [
            {
                "id": f"site-{i:04d}",
                "url": self.url(i),
                "name": f"Kommun {i}",
                "country": "SE",
                "languages": ["sv"],
                "category": "municipality",
                "allow_private_network": True,
                **extra,
            }
            for i in range(self.count)
        ]

    # -- what the log says ---------------------------------------------------------------

    def hits_by_host(self) -> dict[str, list[Hit]]:
        by: dict[str, list[Hit]] = defaultdict(list)
        with self._lock:
            for hit in self.log:
                by[hit.host].append(hit)
        return by

    def min_gap_by_host(self) -> dict[str, float]:
        """Shortest time between two request arrivals at each host (hosts hit twice or more)."""
        gaps = {}
        for host, hits in self.hits_by_host().items():
            times = sorted(h.at for h in hits)
            if len(times) > 1:
                gaps[host] = min(b - a for a, b in zip(times, times[1:], strict=False))
        return gaps

    def bytes_by_host(self) -> dict[str, int]:
        return {h: sum(x.bytes for x in hits) for h, hits in self.hits_by_host().items()}

    # -- serving -------------------------------------------------------------------------

    def _page(self, site: int, path: str) -> tuple[int, str, str]:
        if site in self.failing:
            return 500, "text/plain", "server error"
        base = self.url(site)
        if path == "/robots.txt":
            return 200, "text/plain", f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n"
        if path == "/sitemap.xml":
            locs = "".join(
                f"<url><loc>{base}nyheter/{k}/</loc><lastmod>2026-11-{1 + k:02d}</lastmod></url>"
                for k in range(self.pages)
            )
            xmlns = "http://www.sitemaps.org/schemas/sitemap/0.9"
            body = f'<?xml version="1.0"?><urlset xmlns="{xmlns}">{locs}</urlset>'
            return 200, "application/xml", body
        if path in ("/", "/nyheter/"):
            links = "".join(
                f'<li><a href="/nyheter/{k}/">{SUBJECTS[k % len(SUBJECTS)][0]}</a></li>'
                for k in range(self.pages)
            )
            return 200, "text/html", _html(f"Kommun {site}", f"<h1>Nyheter</h1><ul>{links}</ul>")
        if path.startswith("/nyheter/") and path.rstrip("/").split("/")[-1].isdigit():
            k = int(path.rstrip("/").split("/")[-1])
            if k < self.pages:
                title, text = SUBJECTS[k % len(SUBJECTS)]
                body = (
                    f"<article><h1>{title} ({site}-{k})</h1>"
                    f'<time datetime="2026-11-{1 + k:02d}">{1 + k} november 2026</time>'
                    + f"<p>{text}</p>" * 6
                    + "</article>"
                )
                return 200, "text/html", _html(title, body)
        return 404, "text/plain", "not found"

    async def _handle(
        self, site: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            line = await reader.readline()
            arrived = time.monotonic()
            while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                pass
            parts = line.decode("latin-1").split()
            path = parts[1].split("?")[0] if len(parts) > 1 else "/"
            if site in self.slow:
                await asyncio.sleep(self.slow_seconds)
            status, ctype, body = self._page(site, path)
            data = body.encode("utf-8")
            head = (
                f"HTTP/1.1 {status} X\r\nContent-Type: {ctype}; charset=utf-8\r\n"
                f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n"
            ).encode()
            writer.write(head + data)
            await writer.drain()
            with self._lock:
                self.log.append(Hit(self.host(site), path, arrived, len(head) + len(data)))
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def _start(self) -> None:
        for i in range(self.count):
            handler = functools.partial(self._handle, i)
            server = await asyncio.start_server(handler, self.host(i), self.port)
            self._servers.append(server)


def _html(title: str, body: str) -> str:
    head = f'<meta charset="utf-8"><title>{title}</title>'
    return f'<!doctype html><html lang="sv"><head>{head}</head><body>{body}</body></html>'


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def site_farm(
    count: int,
    pages: int = 5,
    failing: set[int] | None = None,
    slow: set[int] | None = None,
    slow_seconds: float = 1.0,
    nice: int = 0,
) -> Iterator[SiteFarm]:
    """`nice` below 0 (root only) raises the serving thread's priority: on a busy machine
    its loop then reads each request when it arrives, so the logged arrival times (and the
    gaps between requests to one host) are the crawler's, not the scheduler's."""
    farm = SiteFarm(
        count,
        pages,
        frozenset(failing or ()),
        port=_free_port(),
        slow=frozenset(slow or ()),
        slow_seconds=slow_seconds,
    )
    loop = asyncio.new_event_loop()
    farm._loop = loop
    ready = threading.Event()
    errors: list[BaseException] = []

    def serve() -> None:
        if nice:
            try:
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
            except PermissionError:
                log.warning("site farm: no permission to set priority %d", nice)
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(farm._start())
        except BaseException as exc:  # noqa: BLE001 - reported to the caller
            errors.append(exc)
        ready.set()
        if not errors:
            loop.run_forever()

    thread = threading.Thread(target=serve, name="site-farm", daemon=True)
    thread.start()
    ready.wait(60)
    if errors:
        raise errors[0]
    try:
        yield farm
    finally:

        async def close() -> None:
            for server in farm._servers:
                server.close()
            loop.stop()

        asyncio.run_coroutine_threadsafe(close(), loop)
        thread.join(10)
        loop.close()

"""A fault-injecting web server on 127.0.0.1 for crawler tests and benchmarks.

It serves a generated Swedish procurement-news site (homepage, RSS feed, sitemap, paginated
listing, articles) and, on chosen paths, the faults real sites produce: slow answers,
500-then-200, 429 with Retry-After, bodies in windows-1252/iso-8859-1 labelled as utf-8,
oversized bodies, redirect loops, robots-disallowed pages, PDFs. Every request is logged
with its headers so tests can check what the crawler sent (and what it did not).

    with fault_server(articles=20) as server:
        server.base_url, server.hits("/nyheter/flaky/")
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.utils import formatdate
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

LAST_MODIFIED = formatdate(1793520000, usegmt=True)  # a fixed date: re-crawls can get 304s

BUYERS = [
    "Region Skåne",
    "Göteborgs Stad",
    "Malmö stad",
    "Region Stockholm",
    "Västra Götalandsregionen",
    "Umeå kommun",
    "Trafikverket",
    "Kammarkollegiet",
    "Adda",
    "Luleå kommun",
    "Region Uppsala",
    "Örebro kommun",
]
SUBJECTS = [
    "skolmåltider",
    "elfordon till hemtjänsten",
    "städtjänster",
    "byggentreprenader",
    "medicinteknisk utrustning",
    "IT-drift",
    "vinterväghållning",
    "möbler till förskolor",
    "persontransporter",
    "tolktjänster",
    "laddinfrastruktur",
    "livsmedel till äldreboenden",
]
# Sentence templates in our own words; {b} buyer, {s} subject, {n} a number, {d} a date.
SENTENCES = [
    "{b} förbereder en ny upphandling av {s} och vill höra leverantörernas synpunkter tidigt.",
    "Avtalet beräknas omfatta cirka {n} miljoner kronor under fyra år.",
    "Inköparna vill veta hur marknaden ser på kraven innan förfrågningsunderlaget skickas ut.",
    "En leverantörsträff hålls den {d} i stadshusets sessionssal.",
    "Mindre företag uppmanas att lämna anbud på enskilda delområden.",
    "Klimatkraven ska följas upp under hela avtalstiden, inte bara vid tilldelningen.",
    "Förra upphandlingen av {s} överprövades och fick göras om efter en dom i förvaltningsrätten.",
    "Nu vill {b} formulera kraven tydligare för att undvika en ny prövning.",
    "Leverantörerna kan lämna skriftliga synpunkter fram till den {d}.",
    "Upphandlingen annonseras enligt planen under nästa kvartal.",
    "Arbetsrättsliga villkor om lön, semester och arbetstid kommer att ställas i kontraktet.",
    "Det blir möjligt att lämna gemensamma anbud tillsammans med andra företag.",
    "Under mötet presenteras tidplanen och de viktigaste kraven i korthet.",
    "Enligt upphandlingschefen har intresset från lokala företag ökat det senaste året.",
    "Ett utkast till kravspecifikation publiceras på kommunens webbplats före mötet.",
    "Regionen räknar med att omkring {n} företag kommer att delta i dialogen.",
    "Kostnaden för {s} har ökat kraftigt och budgeten behöver ses över.",
    "Utvärderingen ska väga in både pris och kvalitet, där kvaliteten väger tyngst.",
    "Livscykelkostnaden ska redovisas för varje erbjuden produkt.",
    "Anmälan till träffen görs via ett formulär och är kostnadsfri.",
    "Konkurrensverket har tidigare pekat på brister i hur liknande avtal följts upp.",
    "Upphandlingsmyndighetens kriterier för {s} används som utgångspunkt.",
    "Målet är att minska utsläppen från {s} med hälften till år 2030.",
    "Den som inte kan delta på plats kan följa mötet digitalt.",
    "Frågor om upphandlingen besvaras av inköpsavdelningen fram till annonseringen.",
    "Både stora och små leverantörer har hittills visat intresse för avtalet.",
    "Kravet på fossilfria transporter gäller från det andra avtalsåret.",
    "En referensgrupp med användare har varit med och tagit fram behoven.",
    "Avtalet kan förlängas två gånger med ett år i taget.",
    "Resultatet av dialogen sammanfattas i en rapport som publiceras i höst.",
]


@dataclass
class Doc:
    path: str
    title: str
    published: date
    paragraphs: list[str]


def make_articles(count: int, seed: int = 7, prefix: str = "/nyheter/") -> list[Doc]:
    """Deterministic, distinct procurement news items (180–300 words each)."""
    rng = random.Random(seed)
    start = date(2025, 1, 6)
    docs = []
    for i in range(count):
        buyer, subject = rng.choice(BUYERS), rng.choice(SUBJECTS)
        published = start + timedelta(days=(i * 643) // max(count, 1))
        meeting = published + timedelta(days=rng.randint(10, 60))
        slots = {"b": buyer, "s": subject, "d": f"{meeting.day} {_month(meeting)}"}
        sentences = [t.format(**slots, n=rng.randint(12, 900)) for t in rng.sample(SENTENCES, 16)]
        paragraphs = [" ".join(sentences[k : k + 4]) for k in range(0, 16, 4)]
        title = f"{buyer} bjuder in till dialog om {subject} ({i + 1})"
        docs.append(Doc(f"{prefix}artikel-{i + 1}/", title, published, paragraphs))
    return docs


MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip


def _month(day: date) -> str:
    return MONTHS[day.month - 1]


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    at: float


@dataclass
class Faults:
    """Which faults to inject; paths are fixed so tests can name them."""

    slow_seconds: float = 4.0  # /nyheter/slow/ answers after this long
    retry_after: int = 1  # /nyheter/throttled/ says 429 with this Retry-After once
    huge_bytes: int = 3_000_000  # /nyheter/huge/
    enabled: bool = True
    crawl_delay: float | None = None  # a Crawl-delay line in robots.txt


FAULT_PATHS = {
    "slow": "/nyheter/slow/",
    "flaky": "/nyheter/flaky/",
    "throttled": "/nyheter/throttled/",
    "latin1": "/nyheter/latin1/",
    "cp1252": "/nyheter/cp1252/",
    "huge": "/nyheter/huge/",
    "loop": "/nyheter/loop/",
    "disallowed": "/intern/hemligt/",
    "pdf": "/dokument/upphandlingsplan-2026.pdf",
    "pdf_no_ext": "/nyheter/bilaga/",
    "missing": "/nyheter/finns-inte/",
}


@dataclass
class FaultServer:
    articles: int = 12
    faults: Faults = field(default_factory=Faults)
    seed: int = 7
    log: list[Hit] = field(default_factory=list)
    docs: list[Doc] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _counts: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> FaultServer:
        self.docs = make_articles(self.articles, self.seed)
        handler = type("Handler", (_Handler,), {"owner": self})
        self._server = _QuietServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def source(self, **extra: Any) -> dict[str, Any]:
        return {
            "id": "faultsite",
            "url": self.base_url + "/",
            "name": "Upphandlingsbladet (fault server)",
            "country": "SE",
            "language": "sv",
            "allow_private_network": True,
            **extra,
        }

    def hits(self, path: str) -> list[Hit]:
        return [h for h in self.log if h.path == path]

    def count(self, path: str) -> int:
        with self._lock:
            self._counts[path] = self._counts.get(path, 0) + 1
            return self._counts[path]

    def reset_log(self) -> None:
        with self._lock:
            self.log.clear()
            self._counts.clear()

    # -- content ---------------------------------------------------------------------------

    def fault_docs(self) -> list[Doc]:
        if not self.faults.enabled:
            return []
        base = make_articles(6, seed=self.seed + 1, prefix="/x/")
        names = ["slow", "flaky", "throttled", "latin1", "cp1252", "huge"]
        return [
            Doc(FAULT_PATHS[name], f"{doc.title} [{name}]", doc.published, doc.paragraphs)
            for name, doc in zip(names, base, strict=True)
        ]

    def feed_docs(self) -> list[Doc]:
        return self.docs + self.fault_docs()

    def route(self, path: str) -> Callable[[], Response] | None:
        docs = {d.path: d for d in self.feed_docs()}
        fixed: dict[str, Callable[[], Response]] = {
            "/": self.homepage,
            "/robots.txt": self.robots,
            "/feed.xml": self.feed,
            "/sitemap.xml": self.sitemap,
            "/nyheter/": self.listing,
        }
        if path in fixed:
            return fixed[path]
        if self.faults.enabled:
            special = self.fault_route(path, docs)
            if special is not None:
                return special
        if path in docs:
            return lambda: html_response(article_html(docs[path]))
        return None

    def fault_route(self, path: str, docs: dict[str, Doc]) -> Callable[[], Response] | None:
        f, p = self.faults, FAULT_PATHS
        if path == p["slow"]:
            return lambda: _after(f.slow_seconds, html_response(article_html(docs[path])))
        if path == p["flaky"]:
            return lambda: (
                Response(500, b"<h1>Internal Server Error</h1>")
                if self.count(path) == 1
                else html_response(article_html(docs[path]))
            )
        if path == p["throttled"]:
            return lambda: (
                Response(429, b"slow down", headers={"Retry-After": str(f.retry_after)})
                if self.count(path) == 1
                else html_response(article_html(docs[path]))
            )
        if path == p["latin1"]:
            body = article_html(docs[path]).encode("iso-8859-1", "replace")
            return lambda: Response(200, body, "text/html; charset=utf-8")
        if path == p["cp1252"]:
            body = article_html(docs[path], charset=None).encode("cp1252", "replace")
            return lambda: Response(200, body, "text/html")
        if path == p["huge"]:
            filler = "<p>" + "Bilaga med tabeller över avtalsvolymer. " * 50 + "</p>\n"
            page = article_html(docs[path]).replace("</body>", filler * 2000 + "</body>")
            return lambda: html_response(page[: f.huge_bytes] + "</body></html>")
        if path in (p["loop"], p["loop"] + "igen/"):
            target = p["loop"] + "igen/" if path == p["loop"] else p["loop"]
            return lambda: Response(302, b"", headers={"Location": target})
        if path == p["pdf"] or path == p["pdf_no_ext"]:
            return lambda: Response(200, b"%PDF-1.4\n% procradar test\n", "application/pdf")
        if path == p["disallowed"]:
            return lambda: html_response(
                article_html(Doc(path, "Internt utkast", date(2026, 1, 1), ["Hemligt."]))
            )  # noqa: E501
        return None

    def robots(self) -> Response:
        delay = f"Crawl-delay: {self.faults.crawl_delay}\n" if self.faults.crawl_delay else ""
        text = f"User-agent: *\nDisallow: /intern/\n{delay}\nSitemap: {self.base_url}/sitemap.xml\n"
        return Response(200, text.encode(), "text/plain; charset=utf-8")

    def homepage(self) -> Response:
        latest = "".join(
            f'<li><a href="{d.path}">{escape(d.title)}</a></li>' for d in self.docs[-5:]
        )
        body = (
            '<nav><a href="/">Start</a> <a href="/nyheter/">Nyheter</a></nav>'
            f'<main><h1>Upphandlingsbladet</h1><ul class="latest">{latest}</ul>'
            f'<p>Läs också om <a href="{FAULT_PATHS["disallowed"]}">interna utkast</a>.</p></main>'
        )
        feed = '<link rel="alternate" type="application/rss+xml" href="/feed.xml">'
        return html_response(page("Upphandlingsbladet", body, head=feed))

    def listing(self) -> Response:
        items = "".join(
            f'<li><h2><a href="{d.path}">{escape(d.title)}</a></h2><p>{escape(d.paragraphs[0][:140])}</p></li>'  # noqa: E501
            for d in self.docs
        )
        extra = (
            f'<p>Se även <a href="{FAULT_PATHS["pdf"]}">upphandlingsplanen som PDF</a>, '
            f'<a href="{FAULT_PATHS["pdf_no_ext"]}">bilagan</a>, '
            f'<a href="{FAULT_PATHS["loop"]}">arkivet</a> och '
            f'<a href="{FAULT_PATHS["missing"]}">en gammal länk</a>.</p>'
            if self.faults.enabled
            else ""
        )
        return html_response(
            page("Nyheter", f"<main><h1>Nyheter</h1><ul>{items}</ul>{extra}</main>")
        )

    def feed(self) -> Response:
        items = "".join(
            f"<item><title>{escape(d.title)}</title><link>{self.base_url}{d.path}</link>"
            f"<pubDate>{formatdate(_epoch(d.published) + 36000, usegmt=True)}</pubDate></item>"
            for d in self.feed_docs()
        )
        xml = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Upphandlingsbladet</title><link>{self.base_url}/</link>{items}"
            "</channel></rss>"
        )
        return Response(200, xml.encode(), "application/rss+xml; charset=utf-8")

    def sitemap(self) -> Response:
        urls = "".join(
            f"<url><loc>{self.base_url}{d.path}</loc><lastmod>{d.published}</lastmod></url>"
            for d in self.docs
        )
        xml = (
            '<?xml version="1.0" encoding="utf-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
        )
        return Response(200, xml.encode(), "application/xml; charset=utf-8")


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def _after(seconds: float, response: Response) -> Response:
    time.sleep(seconds)
    return response


def _epoch(day: date) -> float:
    return time.mktime(day.timetuple())


def html_response(html: str) -> Response:
    return Response(200, html.encode("utf-8"))


def page(title: str, body: str, head: str = "", charset: str | None = "utf-8") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return (
        f"<!DOCTYPE html><html lang=sv><head>{meta}<title>{escape(title)} – Upphandlingsbladet"
        f"</title>{head}</head><body><header><a href='/'>Upphandlingsbladet</a></header>"
        f"{body}<footer><p>Upphandlingsbladet, Box 123, 111 22 Stockholm. Org.nr 802000-0000."
        f"</p></footer></body></html>"
    )


def article_html(doc: Doc, charset: str | None = "utf-8") -> str:
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in doc.paragraphs)
    body = (
        f"<main><article><h1>{escape(doc.title)}</h1>"
        f'<p class="date">Publicerad {doc.published.day} {_month(doc.published)} '
        f"{doc.published.year}</p>{paragraphs}</article></main>"
    )
    return page(doc.title, body, charset=charset)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients hanging up mid-answer are expected here


class _Handler(BaseHTTPRequestHandler):
    owner: FaultServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        path = urlsplit(self.path).path
        with self.owner._lock:
            self.owner.log.append(Hit(path, dict(self.headers.items()), time.monotonic()))
        route = self.owner.route(path)
        response = route() if route else Response(404, b"<h1>Sidan finns inte</h1>")
        etag = '"' + hashlib.sha1(response.body).hexdigest()[:16] + '"'
        headers = dict(response.headers)
        if response.status == 200:
            headers |= {"ETag": etag, "Last-Modified": LAST_MODIFIED}
            if self.headers.get("If-None-Match") == etag:
                response = Response(304, b"")
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        # The crawler may hang up (timeout, size cap): that is the point of the fault.
        with suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(response.body)


@contextmanager
def fault_server(articles: int = 12, faults: Faults | None = None) -> Iterator[FaultServer]:
    server = FaultServer(articles=articles, faults=faults or Faults()).start()
    try:
        yield server
    finally:
        server.stop()

"""The digest mail as people see it: the HTML part rendered in Chromium (screenshots kept
under test-artefacts/digests/, gitignored) and the plain-text part read on its own."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from digests.compose import DigestMail, digest_message, to_bytes
from digests.links import Site

ROOT = Path(__file__).resolve().parent.parent
ARTEFACTS = ROOT / "test-artefacts" / "digests"
CHROMIUM = "/usr/bin/chromium"
SITE = Site("https://procradar.example")

ARTICLES = [
    {
        "url": "https://region.example.se/nyheter/elbussar",
        "title": "Klimatkrav på nya elbussar <script>alert(1)</script>",
        "source": "Region Exempel",
        "published": "2026-11-20",
        "topics": ["climate_environment", "transport"],
        "events": [{"date": "2026-12-10", "place": "Malmö"}],
        "summary": "Regionen bjuder in leverantörer till dialog om elbussar och "
        "förnybart bränsle inför nästa upphandling av busstrafik.",
    },
    {
        "url": "https://kommun.example.se/mat",
        "title": "Klimatkrav i livsmedelsupphandling",
        "source": "Exempel kommun",
        "published": "2026-11-18",
        "topics": ["food", "climate_environment"],
        "events": [],
        "summary": "Kommunen inför klimatkrav på livsmedel till skolmåltider.",
    },
    {
        "url": "https://press.example.dk/ny-vejledning",
        "title": "Ny vejledning om klimakrav",
        "source": "Udbudsnyt",
        "published": "2026-11-17",
        "topics": [],
        "events": [],
        "text": "En vejledning beskriver hvordan ordregivere kan stille klimakrav. " * 20,
    },
]


def mail(lang: str) -> DigestMail:
    return DigestMail(
        subscription_id=7,
        recipient="anna@example.se",
        lang=lang,
        search_text="«klimatkrav» · Transport",
        frequency="daily",
        articles=ARTICLES,
        total=5,
        see_all=SITE.search("q=klimatkrav&sort=newest"),
        manage=SITE.manage("token-m"),
        unsubscribe=SITE.unsubscribe("token-u"),
    )


@pytest.mark.parametrize("lang", ["sv", "en", "nb", "da"])
def test_text_part_reads_alone(lang: str) -> None:
    from email import message_from_bytes, policy

    raw = to_bytes(digest_message(mail(lang), SITE, "procradar <d@procradar.example>", "<x@y>"))
    msg = message_from_bytes(raw, policy=policy.default)
    plain = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "<" not in plain.replace("<script>alert(1)</script>", "")  # no markup but titles
    for article in ARTICLES:
        assert SITE.article(str(article["url"])) in plain
    assert "2026-12-10, Malmö" in plain  # the event, with its place
    assert SITE.search("q=klimatkrav&sort=newest") in plain  # see all
    assert SITE.unsubscribe("token-u") in plain
    assert max(len(line) for line in plain.splitlines()) < 200
    # Grouped by topic: the climate article group comes before food, the untagged one last.
    headings = [line for line in plain.splitlines() if line.isupper() and len(line) > 3]
    assert len(headings) == 3
    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "<script>alert(1)</script>" not in html  # escaped in HTML
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_html_part_renders_in_chromium(lang: str, tmp_path: Path) -> None:
    # make test installs Debian's chromium (scripts/test-deps.sh): missing is a failure.
    assert Path(CHROMIUM).exists(), "chromium missing: run bash scripts/test-deps.sh"
    from email import message_from_bytes, policy

    raw = to_bytes(digest_message(mail(lang), SITE, "procradar <d@procradar.example>", "<x@y>"))
    msg = message_from_bytes(raw, policy=policy.default)
    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page = ARTEFACTS / f"digest-{lang}.html"
    page.write_text(html, encoding="utf-8")
    shot = ARTEFACTS / f"digest-{lang}.png"
    shot.unlink(missing_ok=True)
    profile = tmp_path / "profile"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={profile}",
            f"--screenshot={shot}",
            "--window-size=700,1400",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (700, 1400)
    assert len(data) > 20_000  # a rendered page, not a blank one
    word = {"sv": "Se alla träffar", "en": "See all results"}[lang]
    assert word in html
    assert re.search(r'href="https://procradar\.example/a/[A-Za-z0-9_-]+"', html)
    shutil.rmtree(profile, ignore_errors=True)

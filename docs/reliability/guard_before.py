"""Issue 13's SSRF defect on a checkout of procradar (docs/reliability.md): does the
crawler's request guard let a source with allow_private_network: true reach other private
and link-local hosts? Only for the code before the fix (its GuardMiddleware); the current
guard is tested by tests/test_ssrf.py. Run as `cd CHECKOUT && PYTHONPATH=. python
guard_before.py`."""

from __future__ import annotations

from types import SimpleNamespace

from scrapy import Request

from crawlers.middlewares import GuardMiddleware, Refused

OWN = {"id": "own", "url": "http://127.0.0.1:8000/", "allow_private_network": True}
TARGETS = [
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.8/",
    "http://127.0.0.1:8001/admin",
]


def main() -> None:
    # Stand-ins for the crawler and spider, holding only what the guard reads.
    spider = SimpleNamespace(source=OWN, robots_allow=lambda url: True, report=None)
    guard = GuardMiddleware(SimpleNamespace(spider=spider))
    for url in TARGETS:
        try:
            guard.process_request(Request(url))
            print(f"{url}: let through")
        except Refused as exc:
            print(f"{url}: refused ({exc})")


if __name__ == "__main__":
    main()

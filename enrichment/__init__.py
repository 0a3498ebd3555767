"""Enrichment: HTML or text in, an annotated `Article` out (pure: no I/O beyond config).

from enrichment import enrich
article = enrich(html, url="https://…", published="2026-03-14")
"""

from __future__ import annotations

from enrichment.pipeline import ENRICHMENT_VERSION, enrich

__all__ = ["ENRICHMENT_VERSION", "enrich"]

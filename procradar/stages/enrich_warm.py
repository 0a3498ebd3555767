"""Imported by the enrichment pool's fork server only: warms the NLP up before any worker is
forked from it. Never import it elsewhere (the import itself takes seconds)."""

from procradar.stages.enrich_worker import warm

warm()

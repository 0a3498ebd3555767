"""Imported by the enrichment pool's fork server only: warms the NLP up before any worker is
forked from it. Never import it elsewhere (the import itself takes seconds)."""

from procradar.core.lifetime import die_with_parent
from procradar.stages.enrich_worker import warm

die_with_parent()  # the fork server must not outlive the stage that started it
warm()

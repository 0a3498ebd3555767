"""Stages the composition root chains: ingest, enrichment pool, index sync, evaluation,
the demo sample sites."""

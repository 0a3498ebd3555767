"""The one generic, config-driven spider lives in crawlers.spiders.source."""

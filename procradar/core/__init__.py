"""The core every part shares: models, taxonomy, typed settings, sources, the store,
the index backends and the query language. It imports none of the parts."""

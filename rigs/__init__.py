"""Test and benchmark rigs (fault server, Elasticsearch node launcher, relevance harness).
Not part of the installed package."""

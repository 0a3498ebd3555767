"""Saved searches and email digests: subscriptions (double opt-in), matching new articles,
rendering and sending mail exactly once, the schedule. Imports only the core."""

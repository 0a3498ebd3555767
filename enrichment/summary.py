"""A short summary for result lists and digests: the lead sentences of the text."""

from __future__ import annotations

from enrichment.text import sentences

MAX_CHARS = 320


def summarise(text: str, title: str = "", max_chars: int = MAX_CHARS) -> str:
    """Whole lead sentences up to max_chars; the title is skipped when the text repeats it."""
    parts: list[str] = []
    length = 0
    for sentence in sentences(text):
        if not parts and title and sentence.text.strip() == title.strip():
            continue
        if parts and length + len(sentence.text) + 1 > max_chars:
            break
        parts.append(sentence.text)
        length += len(sentence.text) + 1
    summary = " ".join(parts)
    if len(summary) > max_chars:
        cut = summary[:max_chars].rsplit(" ", 1)[0]
        summary = cut.rstrip(",;:–-") + " …"
    return summary

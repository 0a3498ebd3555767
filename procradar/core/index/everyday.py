"""Everyday words: words of the general language that say next to nothing about which
articles a query wants ("year", "next", "put", "stora", "gamle").

A long question is full of them, and in the question's language alone they look rare:
"year" is in every other English article but in no Nordic one, so by the index's own
counts it ranks as a rare word, and the articles that happen to share it lead. Word
frequencies of the general language (wordfreq's lists for sv/nb/da/en, read from the
installed package) tell them apart from the rare words. Only words without equivalents
are judged this way: a word of a concept list or a place name is never everyday here.
"""

from __future__ import annotations

from functools import lru_cache

from wordfreq import zipf_frequency

#: Zipf frequency (log10 of occurrences per billion words) from which a word is everyday:
#: 5.5 is about once in 30,000 words (year, next, put; not quality, invoice, chance).
EVERYDAY_ZIPF = 5.5
LANGUAGES = ("sv", "nb", "da", "en")  # nynorsk is read with bokmål's list


@lru_cache(maxsize=50_000)
def is_everyday(word: str) -> bool:
    """Whether `word` (lower-cased) is an everyday word in one of the languages."""
    return any(zipf_frequency(word, lang, wordlist="small") >= EVERYDAY_ZIPF for lang in LANGUAGES)

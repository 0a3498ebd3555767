"""Text analysis both backends share: words, Snowball stems, compound parts, stop words.

Documents are stemmed with the stemmer of their own language (each Snowball stemmer only
knows its language's endings); query words, whose language is unknown, are stemmed with
every Nordic stemmer and English, and any of the stems may match.
"""

from __future__ import annotations

import threading
from functools import cache, lru_cache

import Stemmer
import yaml

from procradar.core.query import words
from procradar.core.resources import CONFIG_DIR

SEARCH_CONFIG = CONFIG_DIR / "search"
STEMMERS = {
    "sv": "swedish",
    "nb": "norwegian",
    "nn": "norwegian",
    "da": "danish",
    "en": "english",
    "fi": "finnish",
}
QUERY_LANGUAGES = ("sv", "nb", "da", "en")
STEM_TAGS = {"sv": "sv", "nb": "no", "nn": "no", "da": "da", "en": "en", "fi": "fi"}
STEM_LANGUAGES = ("sv", "nb", "da", "en", "fi")  # one per tag
COMPOUND_LANGUAGES = ("sv", "nb", "nn", "da")
STEM_PASSES = 4  # Elasticsearch chains its stemmer filter as often
MIN_COMPOUND = 7  # shorter words are hardly ever compounds of two dictionary words
MIN_PART = 3
MIN_CONCEPT_PART = 4  # a concept's word shorter than this (el, vej, lov) splits too much
LINKS = ("s", "e", "a", "")  # Nordic linking sounds: innovation-s-upphandling

_local = threading.local()  # PyStemmer objects must not be shared between threads


def _stemmer(lang: str) -> Stemmer.Stemmer:
    cache_ = _local.__dict__.setdefault("stemmers", {})
    if lang not in cache_:
        cache_[lang] = Stemmer.Stemmer(STEMMERS[lang])
    return cache_[lang]


@lru_cache(maxsize=200_000)
def stem(word: str, lang: str) -> str:
    """Snowball stem, applied until it stops changing: one pass is not idempotent
    (Swedish entreprenader -> entreprenad -> entrepren), so inflections would miss."""
    if lang not in STEMMERS:
        return word
    stemmer = _stemmer(lang)
    for _ in range(STEM_PASSES):
        stemmed = str(stemmer.stemWord(word))
        if stemmed == word:
            break
        word = stemmed
    return word


@cache
def stopwords() -> frozenset[str]:
    data = yaml.safe_load((SEARCH_CONFIG / "stopwords.yaml").read_text(encoding="utf-8"))
    return frozenset(w for ws in data.values() for w in ws)


@cache
def common_concepts() -> frozenset[str]:
    """Concept ids nearly every procurement article has (config/search/common.yaml)."""
    data = yaml.safe_load((SEARCH_CONFIG / "common.yaml").read_text(encoding="utf-8"))
    return frozenset(data.get("common") or ())


@cache
def compound_words(lang: str) -> frozenset[str]:
    """The words compounds of a language are split into, as written: the compound list
    (config/search/compounds/<lang>.txt) and the one-word terms of the concept lists
    (equivalences.yaml), so a compound of a concept's word (röntgenutstyret, skolmåltider)
    names that concept whatever the list has."""
    lang = "nb" if lang == "nn" else lang
    path = SEARCH_CONFIG / "compounds" / f"{lang}.txt"
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    entries = {ln.split("#")[0].strip().lower() for ln in lines}
    entries = {e for e in entries if len(e) >= MIN_PART and "=" not in e}
    data = yaml.safe_load((SEARCH_CONFIG / "equivalences.yaml").read_text(encoding="utf-8"))
    for spec in (data.get("concepts") or {}).values():
        for key in (lang, "nn") if lang == "nb" else (lang,):
            for term in spec.get(key) or ():
                term = str(term).lower()
                if term.isalpha() and len(term) >= MIN_CONCEPT_PART:
                    entries.add(term)
    return frozenset(entries)


@cache
def compound_dictionary(lang: str) -> frozenset[str]:
    """Known compound parts of a language (compound_words), as stems."""
    entries = compound_words(lang)
    # Stems too, so an inflected tail (`-kraven`, `-upphandlingen`) is recognised.
    return frozenset(entries | {stem(e, lang) for e in entries})


@cache
def short_heads(lang: str) -> dict[str, str]:
    """Heads shorter than a part that a query compound may start with, and the word each
    stands for (`el = elektrisk`: elfärja, elbåt), listed in the compound files; documents
    are not split at them (too many words start so)."""
    lang = "nb" if lang == "nn" else lang
    path = SEARCH_CONFIG / "compounds" / f"{lang}.txt"
    if not path.exists():
        return {}
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        head, sep, word = line.split("#")[0].partition("=")
        if sep and head.strip() and word.strip():
            out[head.strip().lower()] = word.strip().lower()
    return out


@lru_cache(maxsize=20_000)
def split_query_compound(word: str, lang: str) -> tuple[str, ...]:
    """split_compound, or for a query word a short head (as the word it stands for) and a
    known word: elfärjor -> elektrisk, färjor."""
    if parts := split_compound(word, lang):
        return parts
    known = compound_dictionary(lang)
    for head, meaning in short_heads(lang).items():
        rest = word[len(head) :]
        if word.startswith(head) and len(rest) >= MIN_PART + 1 and _known(rest, lang, known):
            return (meaning, rest)
    return ()


@lru_cache(maxsize=200_000)
def split_compound(word: str, lang: str) -> tuple[str, ...]:
    """The top-level split of a compound (`klimatkravsarbete` -> klimatkrav, arbete), or ()."""
    if lang not in COMPOUND_LANGUAGES or len(word) < MIN_COMPOUND or not word.isalpha():
        return ()
    return tuple(_split(word, lang, compound_dictionary(lang), whole=False) or ())


@lru_cache(maxsize=200_000)
def compound_parts(word: str, lang: str) -> tuple[str, ...]:
    """Dictionary words a compound is made of, parts of parts included:
    `klimatkravsarbete` -> klimatkrav, arbete, klimat, krav. () if it is no compound."""
    parts = split_compound(word, lang)
    if not parts:
        return ()
    out = list(parts)
    for part in parts:
        out += [p for p in compound_parts(part, lang) if p not in out]
    return tuple(out)


def _split(word: str, lang: str, known: frozenset[str], whole: bool = True) -> list[str] | None:
    """Longest known head first; the tail may be inflected or itself a compound."""
    if whole and _known(word, lang, known):
        return [word]
    for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        base = _head_base(word[:cut], known)
        if base is None:
            continue
        rest = _split(word[cut:], lang, known)
        if rest:
            return [base, *rest]
    return None


def _head_base(head: str, known: frozenset[str]) -> str | None:
    for link in LINKS:
        if link and not head.endswith(link):
            continue
        base = head[: len(head) - len(link)] if link else head
        if len(base) >= MIN_PART and base in known:
            return base
    return None


def _known(word: str, lang: str, known: frozenset[str]) -> bool:
    return word in known or stem(word, lang) in known


def analyze(text: str, lang: str) -> tuple[list[str], list[str]]:
    """(stems, compound-part stems) of a text in its language.

    Stems keep the word positions of the text so stemmed phrases still match; compound
    parts are kept apart so they don't break phrase positions.
    """
    stems: list[str] = []
    parts: list[str] = []
    for word in words(text):
        stems.append(stem(word, lang))
        parts.extend(stem(p, lang) for p in compound_parts(word, lang))
    return stems, parts


def stem_tag(lang: str) -> str:
    """Stems are indexed as `<tag>0<stem>` so a stem only matches articles of the language
    whose stemmer made it (the Norwegian stem of `tidig` is `tid`, a Swedish word)."""
    return STEM_TAGS.get(lang, "xx") + "0"


def tagged(stems: list[str], lang: str) -> str:
    tag = stem_tag(lang)
    return " ".join(tag + s for s in stems)


def query_stem_tokens(word: str) -> list[str]:
    """A query word as an indexed stem token of every language an article can have."""
    out = [stem_tag(lang) + stem(word, lang) for lang in STEM_LANGUAGES]
    return out + [stem_tag("und") + word]


def query_phrase_tokens(tokens: tuple[str, ...]) -> list[str]:
    """A phrase as indexed stem tokens, one space-joined phrase per language."""
    phrases = [tagged([stem(t, lang) for t in tokens], lang) for lang in STEM_LANGUAGES]
    return phrases + [tagged(list(tokens), "und")]

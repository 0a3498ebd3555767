"""The query language, parsed into a plain structure that backends compile safely.

    klimatkrav upphandling        both words (inflections and compounds match too)
    "tidig dialog"                the words in this order
    -skola                        not this word (also -"exact phrase")
    ferje OR färja                either; binds tighter than the implicit AND
    skola NOT buss, a AND b       NOT as a word is the same as -buss; AND is implied anyway
    innovation*                   a word starting with this
    topic:legal kind:news lang:sv country:SE source:ID org:"Bodens kommun"
    after:2026-01 before:2026-07  published on/after, before (YYYY, YYYY-MM or YYYY-MM-DD)

User text never reaches FTS5 MATCH or Lucene syntax: it is cut into tokens of letters and
digits here, and backends quote those tokens themselves. Anything malformed raises
QueryError with a message meant for the user.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from procradar.core.taxonomy import COUNTRIES, KINDS, LANGUAGES, TOPICS

MAX_QUERY_CHARS = 500
MAX_TERMS = 32
MIN_PREFIX = 2
FILTER_FIELDS = {
    "topic": "topics",
    "kind": "kinds",
    "lang": "languages",
    "language": "languages",
    "country": "countries",
    "source": "sources",
    "org": "orgs",
    "region": "regions",
    "after": "after",
    "before": "before",
}
# Letters and digits; everything else (including "_", like FTS5's unicode61) separates words.
_WORD = re.compile(r"[^\W_]+")
_TOKEN = re.compile(
    r"""
    (?P<neg>-)?
    (?:(?P<field>[A-Za-z]+):)?
    (?:"(?P<phrase>[^"]*)(?P<close>")? | (?P<word>[^\s"]+))
    """,
    re.VERBOSE,
)


_POSSESSIVE = re.compile(r"(?<=\w)['’]s?$")


class QueryError(ValueError):
    """The query cannot be understood; str(error) is a one-line message for the user."""


@dataclass(frozen=True)
class Term:
    """One word or phrase: lowercased tokens; a word with a hyphen becomes a phrase."""

    tokens: tuple[str, ...]
    prefix: bool = False  # the last token may be continued (`innovation*`)
    quoted: bool = False  # written in quotes: no expansion; a single word matches as written
    stop: bool = False  # an unquoted stop word: used to spot multi-word terms, then dropped
    variant: bool = False  # another written form of a query word: matched by its stems only
    # A variant matched only in articles of these stem languages (tags: sv, no, da, en, fi);
    # empty: all of them.
    tags: tuple[str, ...] = ()

    @property
    def is_phrase(self) -> bool:
        return len(self.tokens) > 1

    def __str__(self) -> str:
        text = " ".join(self.tokens)
        if self.prefix:
            text += "*"
        return f'"{text}"' if self.quoted or self.is_phrase else text


@dataclass
class Filters:
    topics: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    after: str | None = None  # ISO date, inclusive
    before: str | None = None  # ISO date, exclusive

    def is_empty(self) -> bool:
        return not any(getattr(self, f) for f in self.__dataclass_fields__)


@dataclass
class ParsedQuery:
    """All `groups` must match; a group matches when any of its terms does."""

    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    filters: Filters = field(default_factory=Filters)

    @property
    def terms(self) -> list[Term]:
        return [t for g in self.groups for t in g]

    def is_match_all(self) -> bool:
        return not self.groups


def words(text: str) -> list[str]:
    """Lowercased words as the index sees them (NFC, letters and digits)."""
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def parse(text: str, stopwords: frozenset[str] = frozenset()) -> ParsedQuery:
    """Parse query text. Unquoted `stopwords` are kept but flagged (Term.stop)."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query is too long ({len(text)} characters, at most {MAX_QUERY_CHARS})")
    parsed = ParsedQuery()
    pending_or = pending_not = False
    for match in _TOKEN.finditer(text.strip()):
        operator = None if match.group("neg") or match.group("field") else match.group("word")
        if operator == "OR":
            if not parsed.groups or pending_or or pending_not:
                raise QueryError("OR must stand between two search words")
            pending_or = True
            continue
        if operator in ("AND", "NOT"):  # users type these as words; AND is the default
            if pending_or or pending_not:
                raise QueryError(f"{operator} cannot follow OR or NOT")
            pending_not = operator == "NOT"
            continue
        term = _clause(match, parsed.filters, stopwords)
        if term is None:
            if (pending_or or pending_not) and match.group("field"):
                raise QueryError("OR and NOT cannot apply to a filter; put filters outside")
            continue
        if match.group("neg") or pending_not:
            if pending_or:
                raise QueryError("OR cannot be followed by an excluded -word")
            parsed.excluded.append(term)
        elif pending_or:
            parsed.groups[-1].append(term)
        else:
            parsed.groups.append([term])
        pending_or = pending_not = False
    if pending_or:
        raise QueryError("OR must stand between two search words")
    if pending_not:
        raise QueryError("NOT must be followed by a word to leave out")
    if len(parsed.terms) + len(parsed.excluded) > MAX_TERMS:
        raise QueryError(f"too many search words (at most {MAX_TERMS})")
    if parsed.excluded and not parsed.groups and parsed.filters.is_empty():
        raise QueryError("a query cannot only exclude words; add a word to search for")
    return parsed


def _clause(match: re.Match[str], filters: Filters, stopwords: frozenset[str]) -> Term | None:
    field_name = match.group("field")
    phrase = match.group("phrase")
    if phrase is not None and match.group("close") is None:
        raise QueryError('a quotation mark (") is not closed')
    value = phrase if phrase is not None else match.group("word") or ""
    if field_name and field_name.lower() in FILTER_FIELDS:
        if match.group("neg"):
            raise QueryError(f"filters cannot be excluded: -{field_name}:")
        _add_filter(filters, field_name.lower(), value.strip())
        return None
    name = value.rstrip(":").lower()
    if not field_name and value.endswith(":") and name in FILTER_FIELDS:
        raise QueryError(f"{name}: needs a value, e.g. {_example(name)}")
    if field_name:  # `LOU:s` or `kl:10` are words, not filters
        value = f"{field_name}:{value}"
    if phrase is not None:
        tokens = tuple(words(value))
        return Term(tokens, quoted=True) if tokens else None
    return _word(value, stopwords)


def _word(value: str, stopwords: frozenset[str]) -> Term | None:
    prefix = value.endswith("*")
    # An English possessive is the word itself ("Norway's" would be the phrase "norway s").
    core = _POSSESSIVE.sub("", value.rstrip("*")) or value.rstrip("*")
    if "*" in core:
        raise QueryError(f"'*' can only end a word: {value}")
    tokens = tuple(words(core))
    if prefix and (not tokens or len(tokens[-1]) < MIN_PREFIX):
        raise QueryError(f"a word before '*' needs at least {MIN_PREFIX} letters: {value}")
    if not tokens:
        return None
    # An acronym in capitals is no stop word: IT (not it), AS (the company form, not as).
    acronym = len(core) > 1 and core.isupper()
    stop = len(tokens) == 1 and not prefix and not acronym and tokens[0] in stopwords
    return Term(tokens, prefix=prefix, stop=stop)


def _add_filter(filters: Filters, name: str, value: str) -> None:
    if not value:
        raise QueryError(f"{name}: needs a value, e.g. {_example(name)}")
    attr = FILTER_FIELDS[name]
    if attr in ("after", "before"):
        setattr(filters, attr, parse_date(value, name))
        return
    getattr(filters, attr).append(check_filter_value(attr, value))


def check_filter_value(attr: str, value: str) -> str:
    """Validate and normalise one filter value (also used for SearchRequest lists)."""
    allowed: tuple[str, ...] = ()
    if attr == "topics":
        value, allowed = value.lower(), TOPICS
    elif attr == "kinds":
        value, allowed = value.lower(), KINDS
    elif attr == "languages":
        value, allowed = value.lower(), LANGUAGES
    elif attr == "countries":
        value, allowed = value.upper(), COUNTRIES
    if allowed and value not in allowed:
        name = {v: k for k, v in FILTER_FIELDS.items()}[attr]
        raise QueryError(f"unknown {name} '{value}'; use one of: {', '.join(allowed)}")
    return value


def parse_date(value: str, name: str = "date") -> str:
    """YYYY, YYYY-MM or YYYY-MM-DD -> the ISO date of its first day."""
    parts = value.split("-")
    try:
        if len(parts) > 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
            raise ValueError(value)
        numbers = [int(p) for p in parts] + [1] * (3 - len(parts))
        return date(numbers[0], numbers[1], numbers[2]).isoformat()
    except ValueError:
        raise QueryError(
            f"{name}: expects a date as YYYY, YYYY-MM or YYYY-MM-DD, not '{value}'"
        ) from None


def _example(name: str) -> str:
    return {
        "topic": "topic:innovation",
        "kind": "kind:news",
        "lang": "lang:sv",
        "language": "lang:sv",
        "country": "country:NO",
        "source": "source:upphandlingsmyndigheten",
        "org": 'org:"Region Skåne"',
        "region": 'region:"Västra Götaland"',
        "after": "after:2026-01",
        "before": "before:2026-07-01",
    }[name]

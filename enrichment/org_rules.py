"""The cue words and name parts of config/enrichment/organizations.yaml, compiled once.

enrichment/organizations.py reads them to find and classify names; enrichment/entities.py and
enrichment/org_phrases.py to tell names from function words and to place roles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from enrichment.resources import load_yaml


@dataclass(frozen=True)
class Rules:
    suffixes: dict[str, str]
    company_heads: frozenset[str]
    association_heads: tuple[str, ...]
    association_openers: frozenset[str]
    authority_endings: tuple[str, ...]
    courts: re.Pattern[str]
    court_after_place: re.Pattern[str]
    supplier_before: re.Pattern[str]
    supplier_after: re.Pattern[str]
    awarded_to: re.Pattern[str]
    company_noun: re.Pattern[str]
    buyer_context: re.Pattern[str]
    buyer_after: re.Pattern[str]
    function_words: frozenset[str]
    first_names: frozenset[str]
    generic_nouns: frozenset[str]
    generic_prefixes: tuple[str, ...]


def _alternation(spec: str) -> str:
    cues = sorted({c.strip() for c in spec.split("|") if c.strip()}, key=len, reverse=True)
    return "|".join(re.escape(c) for c in cues)


@cache
def rules() -> Rules:
    data = load_yaml("enrichment/organizations.yaml")
    courts = "|".join(re.escape(c) for c in sorted(data["courts"], key=len, reverse=True))
    suffixes = "|".join(re.escape(s) for s in sorted(set(data["court_suffixes"].split())))
    with_place = "|".join(re.escape(c) for c in data["courts_with_place"])
    return Rules(
        suffixes={str(k): str(v) for k, v in data["company_suffixes"].items()},
        company_heads=frozenset(data["company_heads"].split()),
        association_heads=tuple(w.lower() for w in data["association_heads"].split()),
        association_openers=frozenset(data["association_openers"].split()),
        authority_endings=tuple(data["authority_endings"].split()),
        courts=re.compile(
            rf"(?<![\w-])(?:(?i:{courts})(?:\s+i\s+[A-ZÅÄÖÆØ]\w+)?"
            rf"|(?i:{with_place})\s+i\s+[A-ZÅÄÖÆØ]\w+)(?![\w-])"
        ),
        court_after_place=re.compile(
            rf"(?<![\w-])[A-ZÅÄÖÆØ][\w-]+\s+(?:og\s+[A-ZÅÄÖÆØ][\w-]+\s+)?(?:{suffixes})(?![\w-])"
        ),
        supplier_before=re.compile(
            rf"(?<!\w)(?:{_alternation(data['supplier_before'])})"
            # "a new supplier, Netcompany, would win": the name in apposition after a comma
            r"(?:\s+[a-zåäöæøé-]+(?:et|en|n|na|ne|ene|ane))?\s*,?\s*$"
        ),
        company_noun=re.compile(
            r"(?<![^\W\d_])(?:the\s+)?[a-zåäöæøé-]*(?:"
            + "|".join(sorted(map(re.escape, set(data["company_nouns"].split())), key=len))
            + r")\s+$"
        ),
        # "tildelt totalentreprisen for det nye bygget ved X til Skanska": what was awarded
        # may take many words before the one it went to.
        awarded_to=re.compile(
            r"(?<!\w)(?:tilldela|tildel|award)\w*[^.!?\n]{0,100}?\s(?:till|til|to)\s*$"
        ),
        # "X (...) vann", "X, som ..., har klaget", "X, som også leverte tilbud", "X i Tranås
        # har fått uppdraget"
        supplier_after=re.compile(
            rf"^(?:\s*\([^)]{{0,40}}\))?(?:\s*,[^,.]{{0,50}},)?"
            r"(?:\s+(?:i|in|på|from|fra|från)\s+[a-zåäöæøé-]+)?"
            r"(?:\s*,\s*(?:som|der|who|which|that)(?:\s+(?:også|även|og|also))?)?\s*"
            rf"(?:{_alternation(data['supplier_after'])})(?!\w)"
        ),
        buyer_context=re.compile(rf"(?<!\w)(?:{_alternation(data['buyer_context'])})(?!\w)"),
        buyer_after=re.compile(rf"^\s*(?:{_alternation(data['buyer_after'])})(?!\w)"),
        function_words=frozenset(data["function_words"].split()),
        first_names=frozenset(data["first_names"].split()),
        generic_nouns=frozenset(data["generic_nouns"].split()),
        generic_prefixes=tuple(data["generic_prefixes"].split()),
    )

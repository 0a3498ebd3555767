"""The role a gazetteer body plays in one text: its entry's own role or its type's, changed
by what the sentence says (an agency that buys here is a buyer; a publicly owned company
named as the winner is a supplier)."""

from __future__ import annotations

from enrichment.org_rules import rules

Span = tuple[int, int]

ROLE_BY_TYPE = {
    "municipality": "buyer",
    "region": "buyer",
    "county": "buyer",
    "cpb": "buyer",
    "company": "buyer",  # the gazetteer's companies are publicly owned buyers (Nye Veier ...)
    "agency": "authority",
    "association": "association",
    "review_body": "court",
}


def gazetteer_role(entry_type: str, entry_role: str | None, text: str, span: Span) -> str:
    """An entry's own role, else its type's; an agency that buys in this sentence is a buyer,
    a company named as the winner is a supplier."""
    role = entry_role or ROLE_BY_TYPE.get(entry_type, "other")
    sentence = sentence_around(text, *span).lower()
    if role == "authority" and rules().buyer_context.search(sentence):
        return "buyer"
    if entry_type == "company":
        lowered = text.lower()
        start, end = span
        if rules().supplier_before.search(lowered[max(0, start - 60) : start]) or (
            rules().supplier_after.match(lowered[end : end + 70])
        ):
            return "supplier"
    return role


def sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(c, 0, start) for c in ".!?\n")
    rights = [i for i in (text.find(c, end) for c in ".!?\n") if i >= 0]
    return text[left + 1 : min(rights) if rights else len(text)]

"""Money amounts in Swedish, Norwegian, Danish and English text, normalised to units.

"7 miljarder kronor" → 7e9 SEK, "ti milliarder kroner" → 1e10 NOK, "20 mrd. NOK", "1,5 MSEK",
"kr 300 000", "250.000 kr.", "NOK 4.2bn". Bare "kronor/kroner/kr" takes its currency from the
document's language; "norska/danske kronor" and ISO codes override it.
"""

from __future__ import annotations

import re
from functools import cache

from enrichment.text import lower_same_length
from procradar.core.models import Amount

_KRONE = {"sv": "SEK", "nb": "NOK", "nn": "NOK", "da": "DKK"}
_NATIONAL = {"norsk": "NOK", "svensk": "SEK", "dansk": "DKK"}
_CODES = {"sek": "SEK", "nok": "NOK", "dkk": "DKK", "eur": "EUR", "euro": "EUR", "€": "EUR"}

# Scale words; the key is how the word starts (after lower-casing, trailing "." dropped).
_SCALES: tuple[tuple[str, float], ...] = (
    ("miljard", 1e9), ("milliard", 1e9), ("mrd", 1e9), ("mia", 1e9), ("mdr", 1e9),
    ("billion", 1e9), ("bn", 1e9),
    ("miljon", 1e6), ("million", 1e6), ("mill", 1e6), ("mio", 1e6), ("mn", 1e6), ("m", 1e6),
    ("miljoon", 1e6), ("miljardi", 1e9), ("tuhat", 1e3),
    ("tusen", 1e3), ("tusind", 1e3), ("thousand", 1e3), ("t", 1e3),
)  # fmt: skip
# Units that fuse a scale with the currency: MSEK, MNOK, mnkr, Mkr, mdkr, tkr, KSEK.
_FUSED = {"m": 1e6, "mn": 1e6, "md": 1e9, "mdr": 1e9, "mrd": 1e9, "t": 1e3, "k": 1e3}

_NUMBER_WORDS = {
    "en": 1, "ett": 1, "ei": 1, "eitt": 1, "et": 1, "one": 1, "två": 2, "to": 2, "two": 2,
    "tre": 3, "three": 3, "fyra": 4, "fire": 4, "four": 4, "fem": 5, "five": 5, "sex": 6,
    "seks": 6, "six": 6, "sju": 7, "syv": 7, "seven": 7, "åtta": 8, "åtte": 8, "otte": 8,
    "eight": 8, "nio": 9, "ni": 9, "nine": 9, "tio": 10, "ti": 10, "ten": 10, "elva": 11,
    "elleve": 11, "tolv": 12, "femton": 15, "femten": 15, "tjugo": 20, "tjue": 20,
    "tyve": 20, "tjuge": 20, "trettio": 30, "tretti": 30, "tredive": 30, "fyrtio": 40,
    "førti": 40, "femtio": 50, "femti": 50, "hundra": 100, "hundre": 100, "hundrede": 100,
    "halv": 0.5, "halvannen": 1.5, "halvanden": 1.5, "halvannan": 1.5,
}  # fmt: skip

_NUM = r"\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+(?:,\d{1,2})?(?!\d)|\d+(?:[.,]\d+)?"
_WORDNUM = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_SCALE = (
    r"miljard(?:er|en|ar)?|milliard(?:er|ar|en)?|mrd\.?|mia\.?|mdr\.?|billions?|bn"
    r"|miljon(?:er|en)?|million(?:er|ar|s)?|mill\.?|mio\.?|mn\.?"
    r"|tusen|tusind|thousand|miljoonaa|miljoona|miljardia|miljardi|tuhatta"
)
_CURRENCY = r"kronor|kroner|krone|kronar|kr\.?|sek|nok|dkk|eur|euroa|euron|euro|€"
_FUSED_UNIT = r"(?:m|mn|md|mdr|mrd|t|k)(?:sek|nok|dkk|eur|kr)"

_PATTERN = re.compile(
    rf"""
    (?<![\w.,])
    (?:(?P<pre>sek|nok|dkk|eur|€|kr\.?|{_FUSED_UNIT})[ \u00a0]?)?
    (?P<num>{_NUM}|(?:{_WORDNUM})(?=\s))
    (?:[ \u00a0]?(?P<scale>{_SCALE})(?![\w]))?
    (?:[ \u00a0](?P<nat>norska|norske|norsk|svenska|svenske|svensk|danska|danske|dansk))?
    (?:[ \u00a0]?(?P<post>{_FUSED_UNIT}|{_CURRENCY})(?![\w]))?
    """,
    re.VERBOSE,
)


def find_amounts(text: str, language: str) -> list[Amount]:
    return [amount for amount, _start in find_amounts_at(text, language)]


def find_amounts_at(text: str, language: str) -> list[tuple[Amount, int]]:
    """Each amount with the offset where its text starts."""
    found: list[tuple[Amount, int]] = []
    for match in _PATTERN.finditer(lower_same_length(text)):  # the pattern is lower-case
        amount = _to_amount(match, language, text)
        if amount is not None:
            found.append((amount, match.start()))
    return found


def _to_amount(match: re.Match[str], language: str, text: str) -> Amount | None:
    pre, post, scale_word = match.group("pre"), match.group("post"), match.group("scale")
    number = _parse_number(match.group("num"), language, bool(scale_word))
    if number is None:
        return None
    if pre and post:
        # "kr 300 000 kr" does not occur; "NOK 250 mill." may be followed by the next amount.
        post = None
    unit = (pre or post or "").lower().rstrip(".")
    scale = _scale_value(scale_word) if scale_word else 1.0
    currency = _currency(unit, match.group("nat"), language)
    fused = _fused_scale(unit)
    if fused:
        scale = fused
    if currency is None:
        # "cirka 260 miljoner," in a list of projects is money; "3 millioner innbyggere" is not.
        if not scale_word or scale < 1e6 or not _ends_phrase(text, match.end()):
            return None
        currency = _KRONE.get(language)
        if currency is None:
            return None
    if match.group("num").isalpha() and not (scale_word or fused):
        return None
    value = number * scale
    if not pre and not scale_word and not fused and value < 10 and not post:
        return None
    end = match.start("post") if match.group("post") and not post else match.end()
    span = text[match.start() : end].rstrip()
    return Amount(value=_round(value), currency=currency, text=span)


def _parse_number(raw: str, language: str, has_scale: bool) -> float | None:
    word = _NUMBER_WORDS.get(raw.lower())
    if word is not None:
        return float(word)
    digits = raw.replace("\u00a0", " ").replace("\u202f", " ")
    if language == "en":
        digits = digits.replace(",", "").replace(" ", "")
    else:
        digits = digits.replace(" ", "")
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", digits):
            digits = digits.replace(".", "")  # Danish/Norwegian thousands dots: 250.000
        elif re.fullmatch(r"\d{1,3}(?:,\d{3})+", digits) and not has_scale:
            digits = digits.replace(",", "")  # "SEK 700,000" in a Nordic text
        digits = digits.replace(",", ".")
    try:
        return float(digits)
    except ValueError:
        return None


@cache
def _scale_value(word: str) -> float:
    key = word.lower().rstrip(".")
    for prefix, value in _SCALES:
        if key.startswith(prefix):
            return value
    return 1.0


def _fused_scale(unit: str) -> float | None:
    for code in ("sek", "nok", "dkk", "eur", "kr"):
        if unit.endswith(code) and len(unit) > len(code):
            return _FUSED.get(unit[: -len(code)])
    return None


def _currency(unit: str, national: str | None, language: str) -> str | None:
    if not unit:
        return None
    if unit == "€" or unit.startswith("euro"):
        return "EUR"
    for code in ("sek", "nok", "dkk", "eur"):
        if unit.endswith(code):
            return _CODES[code]
    if national:
        return _NATIONAL.get(national.lower().rstrip("ae"), _KRONE.get(language))
    return _KRONE.get(language, "SEK" if language not in ("en",) else None)


def _ends_phrase(text: str, end: int) -> bool:
    rest = text[end : end + 3]
    return not rest or not rest.lstrip(" ")[:1].isalpha()


def _round(value: float) -> float:
    return float(round(value, 2)) if value != int(value) else float(int(value))

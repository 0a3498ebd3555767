"""Organisations the gazetteer does not know, found from how Nordic texts write them.

The gazetteer (enrichment/gazetteer.py) knows the public buyers; suppliers, associations,
authorities and courts come from the text itself (config/enrichment/organizations.yaml):

* company-form suffixes ("Nobina Sverige AB", "Tide Buss AS", "Arriva Danmark A/S");
* organisation numbers next to a name (Swedish 556123-4567, Norwegian 987 654 321, Danish
  CVR 12345678); the first digit of a Swedish number says what kind of body it is;
* the last word of a capitalised name ("Norrlands Bygg", "Maskinentreprenørenes Forbund"),
  authority endings ("Arbetsmiljöverket", "Datatilsynet") and court names;
* context: a capitalised name right after "avtal med", "leverandøren", "tildelt" or right
  before "vann upphandlingen", "har fått oppdraget", "vandt udbuddet" is a supplier.

A capitalised word that only opens a sentence, a place or a person's name is not an
organisation, nor is a word for a kind of body on its own ("Förbundet", "Organisationen") or
one the text also writes in lower case. A word that opens a sentence still names a body when
the text capitalises it mid-sentence too ("Servicegrossistene"). English names with small
words inside and back-references are enrichment/org_phrases.py's. Each found name gets a role
(procradar.core.taxonomy.ROLES).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from enrichment.gazetteer import load_gazetteer
from enrichment.org_rules import rules
from procradar.core.models import Organization

Span = tuple[int, int]
LANGUAGE_COUNTRY = {"sv": "SE", "nb": "NO", "nn": "NO", "da": "DK", "fi": "FI"}
# Swedish organisation numbers: the first digit is the legal form (Bolagsverket's groups).
SWEDISH_FORMS = {
    "2": ("agency", "authority"),
    "5": ("company", "supplier"),
    "7": ("company", "supplier"),
    "8": ("association", "association"),
    "9": ("company", "supplier"),
}
_SENTENCE_END = set('.!?:;\n"«»“”–—•')
_TOKEN = re.compile(r"\w+(?:[-/&'’]\w+)*\.?|&")
_CAPITAL = re.compile(r"[A-ZÅÄÖÆØÉÜ0-9]")
_ORG_NUMBER = re.compile(
    r"(?:org(?:anisations|anisasjons)?\.?\s?-?(?:nr|nummer)\.?|organisationsnummer|"
    r"organisasjonsnummer|cvr(?:-|\s)?(?:nr\.?|nummer)?)\s*:?\s*"
    r"(?P<number>\d{6}-\d{4}|\d{3}\s?\d{3}\s?\d{3}(?!\d)|\d{2}\s?\d{2}\s?\d{2}\s?\d{2}(?!\d))"
    r"|\(\s*(?P<bare>\d{6}-\d{4})\s*\)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    organization: Organization


# --- capitalised runs ------------------------------------------------------------------------


@dataclass
class _Run:
    starts: list[int]
    ends: list[int]
    words: list[str]
    sentence_start: bool  # the first word opens a sentence

    @property
    def start(self) -> int:
        return self.starts[0]

    @property
    def end(self) -> int:
        return self.ends[-1]

    def drop_first(self) -> None:
        del self.starts[0], self.ends[0], self.words[0]
        self.sentence_start = False


def _opens_sentence(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def _runs(text: str) -> list[_Run]:
    """Maximal sequences of capitalised words (with "&" inside) on one line."""
    runs: list[_Run] = []
    current: _Run | None = None
    last_end = -1
    for match in _TOKEN.finditer(text):
        word = match.group()
        capital = bool(_CAPITAL.match(word)) and not word.isdigit()
        joined = (
            current is not None
            and text[last_end : match.start()] in (" ", "")
            and not current.words[-1].endswith(".")  # a full stop ends the name
        )
        if capital or (word == "&" and current is not None and joined):
            if current is not None and joined:
                current.starts.append(match.start())
                current.ends.append(match.end())
                current.words.append(word)
            else:
                if current is not None:
                    runs.append(current)
                current = _Run(
                    [match.start()], [match.end()], [word], _opens_sentence(text, match.start())
                )
            last_end = match.end()
            continue
        if current is not None:
            runs.append(current)
            current = None
        # Lower-case suffixes ("plc") still end a name.
        if word.rstrip(".") in ("plc",) and runs and text[runs[-1].end : match.start()] == " ":
            runs[-1].starts.append(match.start())
            runs[-1].ends.append(match.end())
            runs[-1].words.append(word)
    if current is not None:
        runs.append(current)
    for run in runs:  # "&" and a sentence's full stop are not part of a name
        while run.words and (run.words[-1] == "&"):
            del run.starts[-1], run.ends[-1], run.words[-1]
        if run.words and run.words[-1].endswith(".") and run.words[-1] not in rules().suffixes:
            run.words[-1] = run.words[-1][:-1]
            run.ends[-1] -= 1
    return [r for r in runs if r.words]


def _trim_opening(run: _Run) -> None:
    """Drop words capitalised only because they open the sentence ("Nu", "Leverantören")."""
    r = rules()
    while len(run.words) > 1 and run.sentence_start and not _article_name(run.words):
        first = run.words[0]
        rest = [w for w in run.words[1:] if w not in r.suffixes]
        if first in r.function_words or (
            _definite_noun(first) and not all(_geographic(w) for w in rest)
        ):
            run.drop_first()
        else:
            break
    while (
        len(run.words) > 1
        and run.words[0] in r.function_words
        and run.words[0] != "A"
        and not _article_name(run.words)
    ):
        run.drop_first()


_ARTICLES = frozenset({"Det", "Den", "De"})


def _article_name(words: list[str]) -> bool:
    """Danish and Norwegian names that open with an article and a weak adjective ("Det Danske
    Madhus", "Det Norske Teatret", "Den Kongelige Ballet"): the article belongs to the name."""
    return (
        len(words) >= 3
        and words[0] in _ARTICLES
        and words[1][:1].isupper()
        and words[1].endswith("e")
        and words[1] not in rules().function_words
    )


# Words that only qualify a name ("Matverket Nord AS", "Skanska Sverige AB").
_GEOGRAPHIC = frozenset(
    {"Nord", "Syd", "Sør", "Sör", "Øst", "Öst", "Vest", "Väst", "Norr", "Söder", "Midt", "Mitt"}
    | {"Sverige", "Norge", "Noreg", "Danmark", "Norden", "Nordic", "Nordics", "Scandinavia"}
    | {"Skandinavien", "Skandinavia", "Sweden", "Norway", "Denmark"}
)


def _geographic(word: str) -> bool:
    return word in _GEOGRAPHIC or bool(load_gazetteer().place_entries(word))


def _definite_noun(word: str) -> bool:
    """Common nouns in the definite form (Bussbolaget, Entreprenøren, Kommunerne)."""
    low = word.lower()
    return len(low) > 6 and low.endswith(("et", "en", "na", "ne", "erne", "ene", "ane", "arna"))


def _common_noun(word: str, text: str) -> bool:
    """A word for a kind of body ("Förbundet", "Branschorganisationen"), a compound with a
    lower-case last part ("EØS-regelverket") or a word the text also writes in lower case."""
    r = rules()
    low = word.lower()
    if low in r.generic_nouns or ("-" in word and word.rsplit("-", 1)[1][:1].islower()):
        return True
    if any(low.startswith(p) and low[len(p) :] in r.generic_nouns for p in r.generic_prefixes):
        return True
    # (not in an address: "upphandlingsverket.se" is the agency's own name)
    return re.search(rf"(?<![\w./@-]){re.escape(low)}(?![\w-])(?![./@]\w)", text) is not None


def _named_elsewhere(word: str, text: str) -> bool:
    """The word is capitalised inside a sentence somewhere in the text: a name, not a noun
    that opens a sentence ("Servicegrossistene har klaget ... og Servicegrossistene leverer")."""
    for match in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
        if not _opens_sentence(text, match.start()):
            return True
    return False


# --- classification --------------------------------------------------------------------------


def _suffix_of(run: _Run) -> str | None:
    if len(run.words) < 2:
        return None
    last = run.words[-1]
    return last if last in rules().suffixes else None


def _head_role(words: list[str]) -> tuple[str, str] | None:
    """(type, role) from how the name is built, None when it says nothing."""
    r = rules()
    last, low = words[-1], words[-1].lower()
    if words[0] in r.association_openers and len(words) > 1:
        return "association", "association"
    if any(low.endswith(h) for h in r.association_heads) and len(low) > 5:
        return "association", "association"
    if len(words) > 1 and last in r.company_heads:
        return "company", "supplier"
    if len(words) == 1 and not low.startswith(("kommun", "region", "fylke", "lands", "amt")):
        for ending in r.authority_endings:
            if low.endswith(ending) and len(low) >= len(ending) + 3:
                return "agency", "authority"
    return None


def _country(suffix: str | None, number: str | None, language: str | None) -> str:
    if suffix and rules().suffixes.get(suffix):
        return rules().suffixes[suffix]
    if number:
        digits = re.sub(r"\D", "", number)
        if "-" in number or len(digits) == 10:
            return "SE"
        return "NO" if len(digits) == 9 else "DK"
    return LANGUAGE_COUNTRY.get(language or "", "SE")


def _numbers(text: str) -> list[tuple[int, str]]:
    """(start of the number's phrase, number) for each organisation number."""
    return [
        (m.start(), m.group("number") or m.group("bare") or "") for m in _ORG_NUMBER.finditer(text)
    ]


def _number_after(text: str, end: int, numbers: list[tuple[int, str]]) -> str | None:
    for start, number in numbers:
        if 0 <= start - end <= 4 and re.fullmatch(r"[\s,(:]*", text[end:start]):
            return number
    return None


@dataclass(frozen=True)
class Context:
    """What the caller knows: spans already taken (gazetteer names), place spans, language."""

    taken: tuple[Span, ...] = ()
    places: tuple[Span, ...] = ()
    language: str | None = None


def find(text: str, context: Context) -> list[Mention]:
    """Organisations in text beyond the spans already taken, in text order."""
    found: list[Mention] = _courts(text, context)
    taken = list(context.taken) + [(m.start, m.end) for m in found]
    numbers = _numbers(text)
    lowered = text.lower()
    pending: list[_Run] = []  # runs not recognised on their own
    for run in _runs(text):
        _trim_opening(run)
        if _overlaps(run.start, run.end, taken):
            continue
        suffix = _suffix_of(run)
        number = _number_after(text, run.end, numbers)
        kind = _classify(run, suffix, number, text, lowered, context)
        if kind is None:
            pending.append(run)
            continue
        type_, role = kind
        end = _place_after(text, run.end) if type_ in ("agency", "association") else None
        if end is not None and len(run.words) == 1:
            run.ends[-1] = end  # "Länsstyrelsen i Gotlands län", "Næringsforeininga i Sogn"
        name = text[run.start : run.end]
        org = Organization(
            name=name,
            type=type_,
            country=_country(suffix, number, context.language),
            id=_normalised_number(number),
            role=role,
        )
        found.append(Mention(run.start, run.end, org))
        taken.append((run.start, run.end))
        acronym = _acronym_after(text, run.end)
        if acronym is not None:
            start, end = acronym
            copy = dataclasses.replace(org, name=text[start:end], id=None)
            found.append(Mention(start, end, copy))
            taken.append(acronym)
    found += _listed_with_suppliers(text, pending, found, context)
    return _merge_short_forms(sorted(found, key=lambda m: m.start))


# Between two items of a list: a comma or a conjunction, and perhaps an adjective of
# nationality ("Mediq Sverige AB och danska Abena").
_LIST_GAP = re.compile(
    r"\s*(?:,|och|og|and|samt|&|eller|or)\s+(?:[a-zåäöæø]+(?:sk|ska|ske|ish)\s+)?"
)


def _listed_with_suppliers(
    text: str, pending: list[_Run], found: list[Mention], context: Context
) -> list[Mention]:
    """Names listed beside a company ("Knowit Sverige AB, Tietoevry och Sogeti", "Samhall och
    ISS Facility Services AB") are companies in the same part: one item of a list of bidders or
    winners is evidence for each."""
    edges = [(m.start, m.end) for m in found if m.organization.role == "supplier"]
    added: list[Mention] = []
    grew = True
    while grew:
        grew = False
        for run in list(pending):
            beside = any(
                _LIST_GAP.fullmatch(text[e : run.start]) or _LIST_GAP.fullmatch(text[run.end : s])
                for s, e in edges
            )
            if not beside or not _could_be_name(run, text, context):
                continue
            org = Organization(
                name=text[run.start : run.end],
                type="company",
                country=_country(None, None, context.language),
                role="supplier",
            )
            added.append(Mention(run.start, run.end, org))
            edges.append((run.start, run.end))
            pending.remove(run)
            grew = True
    return added


def _could_be_name(run: _Run, text: str, context: Context) -> bool:
    r = rules()
    words = run.words
    if words[0] in r.function_words or _is_place(run, context):
        return False
    if all(w in _GEOGRAPHIC for w in words):
        return False
    if len(words) > 1 and words[0] in r.first_names:
        return False
    if len(words) == 1 and not words[0].isupper() and _common_noun(words[0], text):
        return False
    return not (run.sentence_start and _definite_noun(words[0]))


_ACRONYM = re.compile(r"\s*\(([A-ZÅÄÖÆØ]{2,6})\)")
# "Länsstyrelsen i Gotlands län", not "Bymiljøetaten i Oslo kommune" (the unit's parent).
_PLACE_AFTER = re.compile(r"[ ]i[ ]([A-ZÅÄÖÆØ][\w-]+)(?:[ ](?:län|fylke))?(?![\w-])(?![ ]kommun)")
# The state's office in each county: a name only with its county.
_REGIONAL = frozenset({"statsforvalteren", "statsforvaltaren", "länsstyrelsen", "fylkesmannen"})
_COUNTRIES = frozenset({"Sverige", "Norge", "Noreg", "Danmark", "Finland", "Island", "Norden"})


def _place_after(text: str, end: int) -> int | None:
    """Where "i <region>" that completes the name of a regional body ends, if it follows."""
    match = _PLACE_AFTER.match(text, end)
    if match is None or match.group(1) in _COUNTRIES:
        return None
    return match.end()


def _acronym_after(text: str, end: int) -> Span | None:
    """ "Legemiddelindustrien (LMI)": the acronym names the same body."""
    match = _ACRONYM.match(text, end)
    return match.span(1) if match else None


def _merge_short_forms(found: list[Mention]) -> list[Mention]:
    """ "Salten Bygg" after (or before) "Salten Bygg AS", "Transdev" beside "Transdev Sverige
    AB" is the same company: one name, the registered one."""
    suffixes = rules().suffixes
    full: dict[str, Organization] = {}
    for mention in found:
        words = mention.organization.name.split()
        if len(words) > 1 and words[-1] in suffixes:
            words = words[:-1]
            full.setdefault(" ".join(words).casefold(), mention.organization)
            # "Transdev" for "Transdev Sverige AB": the national company's qualifier dropped
            while len(words) > 1 and words[-1] in _GEOGRAPHIC:
                words = words[:-1]
                full.setdefault(" ".join(words).casefold(), mention.organization)
    merged = []
    for mention in found:
        registered = full.get(mention.organization.name.casefold())
        if registered is not None and registered is not mention.organization:
            mention = Mention(mention.start, mention.end, registered)
        merged.append(mention)
    return merged


def _classify(
    run: _Run, suffix: str | None, number: str | None, text: str, lowered: str, context: Context
) -> tuple[str, str] | None:
    r = rules()
    words = run.words
    if suffix in _PUBLIC_SUFFIXES:  # a municipal enterprise or hospital trust buys
        return "company", "supplier" if _supplier_cue(run, text, lowered) else "buyer"
    if suffix:
        return "company", "supplier"
    if number:
        digits = re.sub(r"\D", "", number)
        if len(digits) == 10 and digits[0] in SWEDISH_FORMS:
            return SWEDISH_FORMS[digits[0]]
        return _head_role(words) or ("company", "supplier")
    if len(words) > 1 and words[0] in r.first_names and words[1][:1].isupper():
        return None  # a person: "Anna Berg", "Lars Nilsen"
    after = lowered[run.end : run.end + 70]
    supplier = _supplier_cue(run, text, lowered)
    if words[0] in r.function_words and not _article_name(words):
        return None
    if len(words) == 1 and words[0].lower() in _REGIONAL and _place_after(text, run.end):
        return "agency", "authority"  # "Statsforvalteren i Vestland"
    # "I", "EU", "LOU", "Förbundet", "Regelverket": not names on their own, though an
    # acronym is a company's name where the text says it won or bid ("ISS vann").
    acronym_bidder = words[0].isupper() and len(words[0]) >= 3 and supplier
    one_word = len(words) == 1 and (words[0].isupper() or _common_noun(words[0], text))
    if one_word and not acronym_bidder:
        return None
    head = _head_role(words)
    if _is_place(run, context) or (len(words) == 1 and words[0] in _GEOGRAPHIC):
        return None
    if (
        run.sentence_start
        and head is None
        and _definite_noun(words[0])
        and not _named_elsewhere(words[0], text)
    ):
        return None  # "Upphandlingen vann ...": a common noun opening the sentence
    if supplier and (head is None or head[1] == "supplier"):
        return "company", "supplier"
    if head is None and r.buyer_after.match(after):
        return "other", "buyer"
    if run.sentence_start and head is None:
        return None
    return head


# Norwegian public enterprises: kommunalt/fylkeskommunalt foretak, interkommunalt selskap,
# (regionalt) helseforetak, statsforetak.
_PUBLIC_SUFFIXES = frozenset({"KF", "FKF", "IKS", "HF", "RHF", "SF"})


def _supplier_cue(run: _Run, text: str, lowered: str) -> bool:
    """The words around the name say it bids, wins or delivers."""
    r = rules()
    before = lowered[max(0, run.start - 60) : run.start]
    return bool(
        r.supplier_before.search(before)
        or r.awarded_to.search(lowered[max(0, run.start - 120) : run.start])
        or r.company_noun.search(before)
        or r.supplier_after.match(lowered[run.end : run.end + 70])
        or _coordinated_bidder(text, lowered, run.end)
    )


_NAME = r"[A-ZÅÄÖÆØ][\w&/-]*(?:[ ][A-ZÅÄÖÆØ][\w&/-]*)*"
_NEXT_NAME = re.compile(rf"(?:,|[ ](?:och|og|and|samt|&))[ ]{_NAME}")


def _coordinated_bidder(text: str, lowered: str, end: int) -> bool:
    """ "Peab och NCC lämnade anbud", "Atea, Dustin og Komplett vant": the verb after the
    last name of a list says what each name in it did."""
    for _ in range(4):
        match = _NEXT_NAME.match(text, end)
        if match is None:
            return False
        end = match.end()
        if rules().supplier_after.match(lowered[end : end + 70]):
            return True
    return False


def _is_place(run: _Run, context: Context) -> bool:
    return any(s <= run.start and run.end <= e for s, e in context.places)


def _overlaps(start: int, end: int, spans: list[Span]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _normalised_number(number: str | None) -> str | None:
    return " ".join(number.split()) if number else None


def _courts(text: str, context: Context) -> list[Mention]:
    r = rules()
    found: list[Mention] = []
    spans: list[Span] = list(context.taken)
    for pattern in (r.courts, r.court_after_place):
        for m in pattern.finditer(text):
            if _overlaps(m.start(), m.end(), spans):
                continue
            name = m.group()
            words = name.split()
            if pattern is r.court_after_place and words[0] in r.function_words:
                continue
            name = name[0].upper() + name[1:]
            country = _court_country(name, context.language)
            org = Organization(name=name, type="review_body", country=country, role="court")
            found.append(Mention(m.start(), m.end(), org))
            spans.append((m.start(), m.end()))
    return found


def _court_country(name: str, language: str | None) -> str:
    low = name.lower()
    if low.startswith(("eu-", "efta-")):
        return "EU"
    if re.search(r"rätt|domstol", low):
        return "SE"
    if re.search(r"rett\b|høyesterett|høgsterett", low):
        return "NO"
    if re.search(r"ret\b|retten\b|højesteret", low):
        return "DK"
    return LANGUAGE_COUNTRY.get(language or "", "SE")

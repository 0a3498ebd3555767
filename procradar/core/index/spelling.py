"""Spelling variants of a query word that matches nothing: how Nordic words get mistyped.

Users type without the letters their keyboard lacks (innkjop for innkjøp, sjukvard for
sjukvård), with the neighbouring language's letters (möte for møte, sæson for säsong's
cousins), with a doubled consonant missing or added (inovation, konkuransetilsynet), or
with one letter dropped or two swapped. The variants are tried together as one OR query by
procradar.core.index.relax, so no vocabulary of the index is needed and both backends
behave the same.
"""

from __future__ import annotations

from functools import cache

from procradar.core.crosslingual import equivalences
from procradar.core.index.analysis import COMPOUND_LANGUAGES, compound_dictionary
from procradar.core.query import MAX_QUERY_CHARS, words

# Letters that stand in for one another across sv/nb/da keyboards and spellings.
SWAPS: dict[str, tuple[str, ...]] = {
    "o": ("ø", "ö"),
    "a": ("å", "ä", "æ"),
    "ø": ("ö", "o"),
    "ö": ("ø", "o"),
    "æ": ("ä", "a"),
    "ä": ("æ", "a"),
    "å": ("a", "aa"),
    "u": ("ü",),
}
DIGRAPHS = {"aa": "å", "ae": "æ", "oe": "ø"}
VOWELS = set("aeiouyåäöæø")
INSERTED_VOWELS = "eiaoöøäæu"  # the vowels most often left out, most likely first
MAX_VARIANTS = 24
MAX_GROUPS_OF_A_KIND = 2  # more variants of one kind are tried as a second OR query
#: An OR query of variants must stay a valid query (a long word's 24 variants are not).
OR_QUERY_CHARS = MAX_QUERY_CHARS - 100
MIN_LENGTH = 4  # shorter words have too many neighbours to guess from
MIN_DICTIONARY_LENGTH = 6  # one letter off a shorter known word is often another word
MIN_HEAD_LENGTH = 3  # a compound's first part, before a respelled last part


def variants(word: str) -> list[str]:
    """Likely intended spellings of `word`, most likely first, without `word` itself."""
    return [v for group in variant_groups(word) for v in group]


def variant_groups(word: str) -> list[list[str]]:
    """The variants by kind of slip, the likeliest kind first (letters the keyboard lacks,
    then doubled consonants, then a dropped or swapped letter, then a vowel left out); each
    group at most MAX_VARIANTS long, so it can be tried as one OR query."""
    if len(word) < MIN_LENGTH or not word.isalpha():
        return []
    seen = {word}
    groups = []
    # As many variants of a kind as for a short word, in more OR queries for a long one.
    per_query = min(MAX_VARIANTS, OR_QUERY_CHARS // (len(word) + len(" OR ") + 1))
    of_a_kind = -(-MAX_GROUPS_OF_A_KIND * MAX_VARIANTS // per_query)
    if known := [w for w in dictionary_neighbours(word) if w not in seen]:
        seen.update(known)
        groups.append(known[:per_query])
    makers_by_kind = ((_letter_swaps, _digraphs), (_doubling,), (_transpositions, _deletions))
    for makers in (*makers_by_kind, (_vowel_insertions,)):
        group = []
        for make in makers:
            for candidate in make(word):
                if candidate not in seen:
                    seen.add(candidate)
                    group.append(candidate)
        groups += [group[i : i + per_query] for i in range(0, len(group), per_query)][:of_a_kind]
    return groups


def dictionary_neighbours(word: str) -> list[str]:
    """Words of the search vocabulary (concept terms, compound parts) one slip away from
    `word`: a letter left out, one too many, one mistyped or two swapped (upphandlig ->
    upphandling, procurment -> procurement); those missing a letter first. Tried before
    the guesses by kind of slip: a neighbour that is a known word is likelier."""
    if len(word) < MIN_DICTIONARY_LENGTH:
        return []
    found = _known_neighbours(word)
    if not found and len(word) >= MIN_HEAD_LENGTH + MIN_DICTIONARY_LENGTH:
        # A compound whose last part has the slip (tandvårdsupphanling): the part is
        # respelled, the head kept as typed; a part missing a letter first, then the
        # longest known last part.
        splits = range(MIN_HEAD_LENGTH, len(word) - MIN_DICTIONARY_LENGTH + 1)
        for one_deleted in (False, True):
            for i in splits:
                known = _known_neighbours(word[i:], one_deleted)
                found += [word[:i] + k for k in known if word[:i] + k not in found]
    return found


def _known_neighbours(word: str, one_deleted: bool | None = None) -> list[str]:
    """Vocabulary words that `word` is missing a letter of (one_deleted False), that are
    one slip away otherwise (True), or both, those missing a letter first (None)."""
    index = _neighbour_index()
    found: list[str] = []
    keys = {None: (word, *_one_deleted(word)), False: (word,), True: _one_deleted(word)}
    for key in keys[one_deleted]:
        for known in index.get(key, ()):
            if known != word and known not in found:
                found.append(known)
    return found


def _one_deleted(word: str) -> list[str]:
    return [word[:i] + word[i + 1 :] for i in range(len(word))]


@cache
def _neighbour_index() -> dict[str, tuple[str, ...]]:
    """Every vocabulary word, and each of its one-letter deletions -> the words."""
    out: dict[str, list[str]] = {}
    for known in sorted(_vocabulary()):
        for key in (known, *_one_deleted(known)):
            out.setdefault(key, []).append(known)
    return {key: tuple(found) for key, found in out.items()}


def _vocabulary() -> set[str]:
    vocabulary: set[str] = set()
    for concept in equivalences().concepts.values():
        vocabulary.update(w for term in concept.all_terms() for w in words(term))
    for lang in COMPOUND_LANGUAGES:
        vocabulary.update(compound_dictionary(lang))
    return {w for w in vocabulary if len(w) >= MIN_DICTIONARY_LENGTH and w.isalpha()}


def _letter_swaps(word: str) -> list[str]:
    out = []
    for i, letter in enumerate(word):
        for other in SWAPS.get(letter, ()):
            out.append(word[:i] + other + word[i + 1 :])
    # Every o/a at once: "okologisk" -> "økologisk" needs only one, "innkjopsradgivning" two.
    for letter, others in (("o", ("ø", "ö")), ("a", ("å", "ä"))):
        if word.count(letter) > 1:
            out += [word.replace(letter, other) for other in others]
    return out


def _digraphs(word: str) -> list[str]:
    return [word.replace(pair, letter) for pair, letter in DIGRAPHS.items() if pair in word]


def _doubling(word: str) -> list[str]:
    out = []
    for i in range(1, len(word)):
        letter = word[i]
        if letter in VOWELS:
            continue
        if word[i - 1] == letter:
            out.append(word[:i] + word[i + 1 :])  # a doubled consonant typed once too many
        elif i + 1 < len(word) and word[i + 1] != letter:
            out.append(word[:i] + letter + word[i:])  # one typed once too few
    return out


def _vowel_insertions(word: str) -> list[str]:
    """A vowel left out between two consonants or at the end (upphandlng, procuremnt,
    sustainabilty, anskaffels): where a dropped letter is most often a vowel."""
    if len(word) < 6:
        return []
    out = []
    for i in range(1, len(word) + 1):
        before, after = word[i - 1], word[i] if i < len(word) else ""
        if before in VOWELS or (after and after in VOWELS):
            continue
        out += [word[:i] + vowel + word[i:] for vowel in INSERTED_VOWELS]
    return out


def _deletions(word: str) -> list[str]:
    if len(word) < 6:
        return []
    return [word[:i] + word[i + 1 :] for i in range(1, len(word))]


def _transpositions(word: str) -> list[str]:
    return [
        word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        for i in range(1, len(word) - 1)
        if word[i] != word[i + 1]
    ]

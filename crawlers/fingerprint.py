"""Near-duplicate fingerprints: the same press release on two sites becomes one story.

The store links articles whose fingerprints are equal. A new article's 64-bit simhash is
compared with those already known; a known one within a few bits is a candidate, and the
two texts are then compared shingle by shingle, so that similar-looking but different
articles are never merged. A confirmed duplicate takes over the known fingerprint.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from threading import Lock

BITS = 64
CANDIDATE_DISTANCE = 16  # of 64 bits; measured: copies 9–11 bits apart, others ≥ 18
MIN_OVERLAP = 0.6  # share of the shorter text's shingles found in the other text
WORD = re.compile(r"\w+", re.UNICODE)
SHINGLE = 3
MIN_WORDS = SHINGLE + 10


def shingles(text: str) -> set[int]:
    words = WORD.findall(text.lower())
    return {
        int.from_bytes(
            hashlib.blake2b(" ".join(words[i : i + SHINGLE]).encode(), digest_size=8).digest(),
            "big",
        )
        for i in range(len(words) - SHINGLE + 1)
    }


def simhash_of(hashes: set[int]) -> int:
    weights = [0] * BITS
    for value in hashes:
        for bit in range(BITS):
            weights[bit] += 1 if value >> bit & 1 else -1
    return sum(1 << bit for bit in range(BITS) if weights[bit] > 0)


def simhash(text: str) -> str | None:
    if len(WORD.findall(text)) < MIN_WORDS:
        return None
    return f"{simhash_of(shingles(text)):016x}"


def overlap(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _as_int(fingerprint: str) -> int | None:
    if len(fingerprint) != 16:
        return None
    try:
        return int(fingerprint, 16)
    except ValueError:
        return None


class FingerprintIndex:
    """Known fingerprints of one store, shared by every source crawled in this process.

    `load_text(fingerprint)` returns the text of a stored article with that fingerprint
    (for candidates seen in earlier runs)."""

    def __init__(self, known: list[str], load_text: Callable[[str], str | None]):
        self._known: dict[str, int | None] = {fp: _as_int(fp) for fp in known}
        self._shingles: dict[str, set[int]] = {}
        self._load_text = load_text
        self._lock = Lock()

    def resolve(self, text: str) -> str | None:
        """The fingerprint for this text: a known near-duplicate's, else its own simhash."""
        if len(WORD.findall(text)) < MIN_WORDS:
            return None
        own = shingles(text)
        value = simhash_of(own)
        fingerprint = f"{value:016x}"
        with self._lock:
            for known, known_value in self._known.items():
                if known_value is None or (value ^ known_value).bit_count() > CANDIDATE_DISTANCE:
                    continue
                if overlap(own, self._texts(known)) >= MIN_OVERLAP:
                    return known
            self._known[fingerprint] = value
            self._shingles[fingerprint] = own
            return fingerprint

    def _texts(self, fingerprint: str) -> set[int]:
        if fingerprint not in self._shingles:
            self._shingles[fingerprint] = shingles(self._load_text(fingerprint) or "")
        return self._shingles[fingerprint]

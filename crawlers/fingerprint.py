"""Near-duplicate fingerprints: the same press release on two sites becomes one story.

The store links articles whose fingerprints are equal, so a new article's 64-bit simhash is
compared with those already known; within a few bits it takes over the known fingerprint.
"""

from __future__ import annotations

import hashlib
import re
from threading import Lock

BITS = 64
MAX_DISTANCE = 6  # of 64 bits: measured on re-published press releases with different chrome
WORD = re.compile(r"\w+", re.UNICODE)
SHINGLE = 3


def simhash(text: str) -> str | None:
    words = WORD.findall(text.lower())
    if len(words) < SHINGLE + 10:
        return None
    weights = [0] * BITS
    for i in range(len(words) - SHINGLE + 1):
        shingle = " ".join(words[i : i + SHINGLE]).encode()
        value = int.from_bytes(hashlib.blake2b(shingle, digest_size=8).digest(), "big")
        for bit in range(BITS):
            weights[bit] += 1 if value >> bit & 1 else -1
    result = sum(1 << bit for bit in range(BITS) if weights[bit] > 0)
    return f"{result:016x}"


def _as_int(fingerprint: str) -> int | None:
    if len(fingerprint) != 16:
        return None
    try:
        return int(fingerprint, 16)
    except ValueError:
        return None


class FingerprintIndex:
    """Known fingerprints of one store, shared by every source crawled in this process."""

    def __init__(self, known: list[str]):
        self._known: dict[str, int | None] = {fp: _as_int(fp) for fp in known}
        self._lock = Lock()

    def resolve(self, fingerprint: str) -> str:
        """The known fingerprint this one is a near-duplicate of, else itself (now known)."""
        with self._lock:
            if fingerprint in self._known:
                return fingerprint
            value = _as_int(fingerprint)
            if value is not None:
                for known, known_value in self._known.items():
                    if known_value is not None and bin(value ^ known_value).count("1") <= (
                        MAX_DISTANCE
                    ):
                        return known
            self._known[fingerprint] = value
            return fingerprint

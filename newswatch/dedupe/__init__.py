"""Near-duplicate detection for stories: pure logic (no Scrapy, no store).

A body is normalised (Unicode NFKC, case folded, typographic quotes and dashes unified,
punctuation and white space collapsed), cut into tokens (words; one token per CJK character,
since Chinese and Japanese are written without spaces) and into overlapping word shingles.
A MinHash signature of the shingles estimates the Jaccard similarity of two bodies; the
signature is cut into LSH bands whose hashes are what the store indexes, so candidates are
found by "shares at least one band" without comparing against the whole archive.

A candidate is confirmed as the same story when the estimated Jaccard similarity is high
enough, or when the smaller text is mostly contained in the larger one (a syndicated copy
cut short, or one with an added editor's note). Texts under SHORT_WORDS words get no bands:
they match only exactly (same normalised body), because a few shared sentences of a short
text are not evidence of one story.

MinHash values are those of `datasketch.MinHash` with its "affine32" scheme and its default
SHA-1 hash (fixed seed, so the same text gives the same signature in every process and on
every machine): its permutations, computed here over numpy in one step per article (see
`minhash_signature`); its LSH index is not used, because the bands must live in the store,
not in memory.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from datasketch import MinHash

# Calibrated with benchmarks/stories.py (see benchmarks/README.md).
NUM_PERM = 192
BANDS = 64
ROWS = NUM_PERM // BANDS  # 3: a pair is a candidate with p 0.94 at Jaccard 0.35, 0.99 at 0.4
SHINGLE = 5  # words per shingle
SEED = 1
SHORT_WORDS = 50  # below this: exact matches only
MIN_LINE_WORDS = 12  # shorter lines are left out of the signature (chrome), see content_words
JACCARD_MIN = 0.4  # confirmed as a copy at this estimated Jaccard similarity ...
CONTAINMENT_MIN = 0.55  # ... or when this share of the smaller text is in the larger one
CONTAINMENT_JACCARD_FLOOR = 0.25  # ... with at least this Jaccard

# Typographic quotes and dashes need no folding: they are not word characters, so they
# separate tokens as the ASCII ones do. Soft hyphens and zero-width spaces are deleted, so that
# "Ver\u00adteidigung" stays one word.
_INVISIBLE = ("\u00ad", "\u200b")
_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W_]+")
SCHEME = "affine32"  # datasketch 2 default; named so stored signatures stay comparable
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations
_PERM_A, _PERM_B = (np.asarray(p, dtype=np.uint32) for p in _PERMUTATIONS)
_MINHASH_CHUNK = 8192  # shingles permuted at once (8192 x NUM_PERM uint32: 6 MB)


def normalise(text: str) -> str:
    """Case, quotes, dashes, punctuation, white space and HTML entities folded away."""
    return " ".join(tokens(text))


def tokens_of_normalised(text: str) -> list[str]:
    return _TOKEN.findall(text)


def tokens(text: str) -> list[str]:
    """Words of the normalised text (HTML entities a CMS left in are decoded first)."""
    text = html.unescape(text or "") if "&" in (text or "") else (text or "")
    text = unicodedata.normalize("NFKC", text)
    for char in _INVISIBLE:
        if char in text:
            text = text.replace(char, "")
    return tokens_of_normalised(text.casefold())


def shingles(words: list[str], size: int = SHINGLE) -> set[bytes]:
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


@dataclass
class Fingerprint:
    """What the store keeps per article to find its copies."""

    words: int
    size: int  # distinct shingles
    signature: np.ndarray | None  # uint32[NUM_PERM]; None for short texts
    bands: list[str] = field(default_factory=list)

    @property
    def short(self) -> bool:
        return self.signature is None

    def encoded(self) -> str | None:
        return encode_signature(self.signature) if self.signature is not None else None


def content_words(text: str) -> list[str]:
    """The words of the text without its short lines (menus, share buttons, bylines, "Read
    more" links: site chrome that extraction left in), unless too little would remain."""
    lines = [tokens(line) for line in (text or "").splitlines()]
    kept = [word for line in lines if len(line) >= MIN_LINE_WORDS for word in line]
    if len(kept) >= SHORT_WORDS:
        return kept
    return [word for line in lines for word in line]


def fingerprint(text: str) -> Fingerprint:
    words = content_words(text)
    if len(words) < SHORT_WORDS:
        return Fingerprint(words=len(words), size=len(set(words)), signature=None)
    grams = shingles(words)
    signature = minhash_signature(grams)
    return Fingerprint(
        words=len(words), size=len(grams), signature=signature, bands=band_keys(signature)
    )


def minhash_signature(grams: Iterable[bytes]) -> np.ndarray:
    """The MinHash signature (uint32[NUM_PERM]) of a set of shingles: exactly the hash values
    of `datasketch.MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32")` after
    `update_batch(grams)`, computed in one numpy step (datasketch calls a Python hash function
    per shingle and builds a MinHash per article): the first four bytes of each shingle's
    SHA-1 as a little-endian uint32, mixed with the MurmurHash3 32-bit finalizer, then per
    permutation a * h + b modulo 2**32, and the minimum over the shingles."""
    sha1 = hashlib.sha1
    digests = b"".join([sha1(gram).digest()[:4] for gram in grams])
    h = np.frombuffer(digests, dtype="<u4").astype(np.uint32)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    signature = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    for start in range(0, len(h), _MINHASH_CHUNK):  # bounded memory on huge bodies
        permuted = h[start : start + _MINHASH_CHUNK, np.newaxis] * _PERM_A
        permuted += _PERM_B
        np.minimum(signature, permuted.min(axis=0), out=signature)
    return signature


def band_keys(signature: np.ndarray) -> list[str]:
    """One short key per band; the band's number is part of the key."""
    keys = []
    raw = signature.astype("<u4").tobytes()
    width = ROWS * 4
    for band in range(BANDS):
        digest = hashlib.blake2b(raw[band * width : (band + 1) * width], digest_size=8)
        keys.append(f"{band:02x}{digest.hexdigest()}")
    return keys


def encode_signature(signature: np.ndarray) -> str:
    return base64.b64encode(signature.astype("<u4").tobytes()).decode("ascii")


def decode_signature(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<u4")


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    if a.shape != b.shape:
        return 0.0
    return float(np.count_nonzero(a == b)) / len(a)


def containment(similarity: float, size_a: int, size_b: int) -> float:
    """Estimated share of the smaller set found in the larger one, from their Jaccard."""
    if similarity <= 0 or min(size_a, size_b) <= 0:
        return 0.0
    overlap = similarity * (size_a + size_b) / (1 + similarity)
    return min(1.0, overlap / min(size_a, size_b))


def same_story(similarity: float, size_a: int, size_b: int) -> bool:
    """The confirmation rule, applied to a candidate found through a shared band."""
    if similarity >= JACCARD_MIN:
        return True
    return (
        similarity >= CONTAINMENT_JACCARD_FLOOR
        and containment(similarity, size_a, size_b) >= CONTAINMENT_MIN
    )


def similar(a: Fingerprint, b: Fingerprint) -> tuple[bool, float]:
    """(same story?, estimated Jaccard) for two fingerprints; short texts never match here."""
    if a.signature is None or b.signature is None:
        return False, 0.0
    estimate = jaccard(a.signature, b.signature)
    return same_story(estimate, a.size, b.size), estimate


def shares_band(a: Fingerprint, b: Fingerprint) -> bool:
    return bool(set(a.bands).intersection(b.bands))

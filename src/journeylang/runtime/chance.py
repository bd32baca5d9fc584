"""Deterministic draws: a stable hash of the seed and keys, the same on every machine and run."""

from __future__ import annotations

import hashlib


def fraction(seed, *keys) -> float:
    """A number in [0, 1) fixed by the seed and the keys (never Python's salted hash())."""
    text = "\x1f".join(str(part) for part in (seed, *keys)).encode()
    digest = hashlib.blake2b(text, digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64

"""Verifiable random draws (commit–reveal), for the expert draw, the float-rate draw at an opening, the
award by lot (抽签) and the random inspections of 双随机一公开.

Before the draw the platform publishes `commitment(seed)` (the SHA-256 of a secret seed). The draw itself
is a pure function of the seed and the published inputs (the ordered candidate pool, the number wanted),
so after the seed is revealed anyone can recompute it and check the commitment. No I/O here: the services
make the seed (`new_seed`, from the OS's CSPRNG), store the commitment, reveal and log.

The stream is SHA-256 in counter mode over the seed and a context label; an index below n is taken by
rejection sampling (no modulo bias). The shuffle is Fisher–Yates driven by that stream; `sample` draws
without replacement in draw order, so substitutes are simply the next ones drawn.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from decimal import Decimal


def new_seed() -> str:
    """A fresh secret seed: 32 random bytes as 64 hex digits."""
    return secrets.token_hex(32)


def commitment(seed: str) -> str:
    """What is published before the draw: SHA-256 of the seed's UTF-8 text, in hex."""
    return hashlib.sha256(seed.encode()).hexdigest()


def verify(seed: str, published: str) -> bool:
    return secrets.compare_digest(commitment(seed), published.lower())


class Stream:
    """Deterministic random integers from a seed and a context label (e.g. "lot:12/experts")."""

    def __init__(self, seed: str, context: str = ""):
        self._key = f"{seed}\x00{context}".encode()
        self._counter = 0
        self._pool = b""

    def _bytes(self, n: int) -> bytes:
        while len(self._pool) < n:
            self._pool += hashlib.sha256(self._key + self._counter.to_bytes(8, "big")).digest()
            self._counter += 1
        out, self._pool = self._pool[:n], self._pool[n:]
        return out

    def below(self, n: int) -> int:
        """A uniform integer in [0, n)."""
        if n <= 0:
            raise ValueError("n must be positive")
        if n == 1:
            return 0
        bits = (n - 1).bit_length()
        size = (bits + 7) // 8
        mask = (1 << bits) - 1
        while True:
            value = int.from_bytes(self._bytes(size), "big") & mask
            if value < n:
                return value


def sample(seed: str, pool: Sequence, k: int, context: str = "") -> list:
    """k items of `pool` without replacement, in draw order (a partial Fisher–Yates). The pool's order is part
    of the published input: sort it by a stable key (e.g. the id) before drawing."""
    if k < 0:
        raise ValueError("k must not be negative")
    items = list(pool)
    k = min(k, len(items))
    stream = Stream(seed, context)
    for i in range(k):
        j = i + stream.below(len(items) - i)
        items[i], items[j] = items[j], items[i]
    return items[:k]


def shuffle(seed: str, pool: Sequence, context: str = "") -> list:
    return sample(seed, pool, len(pool), context)


def choice(seed: str, pool: Sequence, context: str = ""):
    if not pool:
        raise ValueError("empty pool")
    return pool[Stream(seed, context).below(len(pool))]


def value_in_range(seed: str, low: Decimal, high: Decimal, step: Decimal, context: str = "") -> Decimal:
    """A value among low, low+step, …, high (e.g. a float rate of 3.00 %–6.00 % in steps of 0.01 %)."""
    if step <= 0 or high < low:
        raise ValueError("bad range")
    count = int((high - low) / step) + 1
    return low + step * Stream(seed, context).below(count)

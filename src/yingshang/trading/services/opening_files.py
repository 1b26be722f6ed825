"""Where the opening reads a sealed bid and writes its plaintext.

ASSUMPTION (the lead adapts `sealed_file` and `sealed_sha256` at merge to the bid-submission part's storage
fields): the ciphertext of bid N of lot L is `trading/sealed/L/N.ysbid` in the default storage, and the
SHA-256 recorded at submission is in the sidecar `….ysbid.sha256`. `store_sealed` writes both (tests, demo,
benchmark). Everything else in the opening goes through these two functions only.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from django.core.files.storage import default_storage

BLOCK = 1 << 20


def _sealed_name(bid) -> str:
    return f"trading/sealed/{bid.lot_id}/{bid.pk}.ysbid"


def sealed_file(bid) -> BinaryIO:
    """The sealed bid as a binary reader (FileNotFoundError when the platform lost it)."""
    return default_storage.open(_sealed_name(bid), "rb")


def sealed_sha256(bid) -> str:
    """The ciphertext's SHA-256 recorded at submission (hex), or "" when none was recorded."""
    try:
        with default_storage.open(_sealed_name(bid) + ".sha256", "rb") as f:
            return f.read(64).decode("ascii", "replace").strip().lower()
    except FileNotFoundError:
        return ""


def store_sealed(bid, src: BinaryIO) -> str:
    """Store a sealed file as the submission would (streaming); return its SHA-256."""
    digest = hashlib.sha256()
    name = _sealed_name(bid)
    with write_atomically(name) as out:
        while block := src.read(BLOCK):
            digest.update(block)
            out.write(block)
    with write_atomically(name + ".sha256") as out:
        out.write(digest.hexdigest().encode())
    return digest.hexdigest()


def plain_name(bid) -> str:
    return f"trading/opened/{bid.lot_id}/{bid.pk}.bin"


def write_plain(bid, blocks: Iterable[bytes]) -> tuple[str, str, int]:
    """Write a decrypted bid file (streaming, flat memory): (storage name, SHA-256, size)."""
    name, digest, size = plain_name(bid), hashlib.sha256(), 0
    with write_atomically(name) as out:
        for block in blocks:
            digest.update(block)
            out.write(block)
            size += len(block)
    return name, digest.hexdigest(), size


def delete(name: str) -> None:
    if name:
        default_storage.delete(name)


class write_atomically:  # a context manager, named like open()
    """A file in the default storage written to a temporary name and renamed when complete (readers never see a
    half-written file); on an error the temporary file is removed."""

    def __init__(self, name: str):
        self.path = Path(default_storage.path(name))

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".part")
        self.out = os.fdopen(fd, "wb")
        return self.out

    def __exit__(self, kind, value, tb):
        self.out.close()
        if kind is None:
            os.replace(self.tmp, self.path)
        else:
            Path(self.tmp).unlink(missing_ok=True)
        return False

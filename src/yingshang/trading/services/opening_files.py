"""Where the opening reads a sealed bid and writes its plaintext.

The ciphertext is where the submission stored it (`Bid.sealed_path`, under DATA_DIR/bids, read through
`bid_files.open_sealed`), with the SHA-256 recorded at submission (`Bid.sha256`). `store_sealed` stores a
sealed stream the way a submission does (tests, demo). Everything else in the opening goes through these.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from django.core.files.storage import default_storage

from yingshang.kernel.errors import NotFound

BLOCK = 1 << 20


def sealed_file(bid) -> BinaryIO:
    """The sealed bid as a binary reader (FileNotFoundError when the platform lost it)."""
    from yingshang.trading.services import bid_files

    try:
        return bid_files.open_sealed(bid.sealed_path)
    except NotFound:
        raise FileNotFoundError(bid.sealed_path) from None


def sealed_sha256(bid) -> str:
    """The ciphertext's SHA-256 recorded at submission (hex), or "" when none was recorded."""
    return (bid.sha256 or "").lower()


def store_sealed(bid, src: BinaryIO) -> str:
    """Store a sealed file as the submission does (streaming) and record it on the bid; return its SHA-256."""
    from yingshang.trading.services import bid_files

    upload = bid_files.spool(src)
    bid.sealed_path, bid.sha256, bid.size = upload.store(bid.lot_id), upload.sha256, upload.size
    bid.save(update_fields=["sealed_path", "sha256", "size"])
    return bid.sha256


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

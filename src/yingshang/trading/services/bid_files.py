"""Sealed bid files on disk: streamed in, hashed while streaming, stored as ciphertext only.

Why a handler of our own: Django's default handlers spool a file to /tmp without a size cap and without a
hash, and a 1 GB bid would then be read again to hash it. `SealedBidUploadHandler` writes each chunk to
DATA_DIR/bids/incoming/ as it arrives, feeds SHA-256, keeps only the first bytes (the YSBID1 header) in
memory and stops writing past `TRADING_BID_MAX_BYTES` — memory stays flat whatever the size.
`guard_request` installs it before CSRF or authentication read the body (see kernel/services/uploads.py).

Stored files: DATA_DIR/bids/<lot id>/<random>, moved in with a rename (same file system as incoming/), so
a reader sees the whole file or none. A rollback after the move leaves a file nothing points at:
`cleanup` (at the edge) deletes it.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import shutil
import tempfile
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http.multipartparser import MultiPartParserError

from yingshang.kernel.errors import InvalidInput, NotFound
from yingshang.trading import rules_bids, sealing

BIDS_DIR = "bids"
HEAD_BYTES = len(sealing.MAGIC) + 4 + sealing.MAX_HEADER
FORM_OVERHEAD = 64 * 1024  # the other form fields and the multipart boundaries
FIELD = "sealed"


def max_bytes() -> int:
    return int(getattr(settings, "TRADING_BID_MAX_BYTES", rules_bids.DEFAULT_MAX_BID_BYTES))


def _root() -> Path:
    return Path(settings.DATA_DIR).resolve() / BIDS_DIR


def _incoming() -> Path:
    path = _root() / "incoming"
    path.mkdir(parents=True, exist_ok=True)
    return path


class SealedUpload(UploadedFile):
    """A sealed file spooled to disk with its SHA-256, size and first bytes; `error` says why it is unusable."""

    def __init__(self, path: Path | None, size: int, sha256: str, head: bytes, error: InvalidInput | None = None):
        handle = open(path, "rb") if path else io.BytesIO()  # noqa: SIM115 - closed by discard()
        super().__init__(handle, name="投标文件.ysbid", content_type="application/octet-stream", size=size)
        self.path, self.sha256, self.head, self.error = path, sha256, head, error
        self.stored: Path | None = None

    def temporary_file_path(self) -> str:
        return str(self.path)

    def header(self) -> sealing.Header:
        """The checked YSBID1 header; InvalidInput with the size or format code otherwise."""
        if self.error is not None:
            raise self.error
        breach = rules_bids.check_size(self.size, max_bytes())
        if breach:
            raise InvalidInput(breach.code, breach.message, details={"field": FIELD, "max_bytes": max_bytes()})
        try:
            return sealing.read_header(io.BytesIO(self.head))
        except sealing.SealError as exc:
            raise InvalidInput(exc.code, exc.message, details={"field": FIELD, "source": rules_bids.UNSEALED_SOURCE}
                               ) from None

    def store(self, lot_id: int) -> str:
        """Move the spooled file to the lot's directory; return its path relative to DATA_DIR."""
        relative = f"{BIDS_DIR}/{int(lot_id)}/{secrets.token_hex(16)}"
        target = Path(settings.DATA_DIR).resolve() / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        self.file.close()
        os.chmod(self.path, 0o640)
        os.replace(self.path, target)
        self.stored = target
        return relative

    def discard(self, *, stored: bool = False) -> None:
        self.file.close()
        if self.path:
            Path(self.path).unlink(missing_ok=True)
        if stored and self.stored:
            self.stored.unlink(missing_ok=True)


def _too_large() -> InvalidInput:
    limit = max_bytes()
    return InvalidInput("trading.bid_too_large", f"投标文件过大：不能超过 {limit / (1 << 20):g} MB",
                        details={"field": FIELD, "max_bytes": limit}, status=413)


class _Spool:
    """Writes a stream to incoming/ while hashing it and keeping its head; stops writing past the limit."""

    def __init__(self):
        fd, name = tempfile.mkstemp(dir=_incoming(), prefix=".", suffix=".part")
        self.out, self.path = os.fdopen(fd, "wb"), Path(name)
        self.digest, self.size, self.head, self.over = hashlib.sha256(), 0, bytearray(), False
        self.limit = max_bytes()

    def write(self, data: bytes) -> None:
        self.size += len(data)
        if self.over or self.size > self.limit:
            if not self.over:
                self.over = True
                self.out.close()
                self.path.unlink(missing_ok=True)  # the rest is read and dropped: the disk holds nothing
            return
        if len(self.head) < HEAD_BYTES:
            self.head += data[:HEAD_BYTES - len(self.head)]
        self.digest.update(data)
        self.out.write(data)

    def finish(self) -> SealedUpload:
        if self.over:
            return SealedUpload(None, self.size, "", b"", _too_large())
        self.out.flush()
        os.fsync(self.out.fileno())
        self.out.close()
        return SealedUpload(self.path, self.size, self.digest.hexdigest(), bytes(self.head))

    def abort(self) -> None:
        if not self.out.closed:
            self.out.close()
        self.path.unlink(missing_ok=True)


def spool(src: BinaryIO, chunk: int = 1 << 20) -> SealedUpload:
    """A SealedUpload from a local stream (the command line, the demo, tests)."""
    writer = _Spool()
    try:
        while block := src.read(chunk):
            writer.write(block)
    except BaseException:
        writer.abort()
        raise
    return writer.finish()


class SealedBidUploadHandler(FileUploadHandler):
    """Streams the one sealed file of the request into a `_Spool`; a second file is refused."""

    chunk_size = 256 * 1024

    def __init__(self, request=None):
        super().__init__(request)
        self.spool: _Spool | None = None
        self.files = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.files += 1
        self.spool = _Spool() if self.files == 1 else None

    def receive_data_chunk(self, raw_data, start):
        if self.spool is not None:
            self.spool.write(raw_data)
        return None

    def file_complete(self, file_size):
        if self.spool is None:
            return SealedUpload(None, 0, "", b"", InvalidInput("trading.bid_one_file", "一次只能递交一个投标文件"))
        upload, self.spool = self.spool.finish(), None
        upload.field_name = self.field_name
        return upload

    def upload_interrupted(self):
        if self.spool is not None:
            self.spool.abort()


def guard_request(request) -> InvalidInput | None:
    """Before anything reads request.POST: refuse an oversized body unread, install the streaming handler
    and parse the body; return the error to answer with, or None."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > max_bytes() + FORM_OVERHEAD:
        return _too_large()
    if request.method != "POST" or not request.content_type.startswith("multipart/"):
        return None
    request.upload_handlers = [SealedBidUploadHandler(request)]
    try:
        request.POST  # noqa: B018 - parse now, while we can answer a broken body cleanly
        request.FILES  # noqa: B018
    except (MultiPartParserError, SuspiciousOperation, OSError, ValueError):
        return InvalidInput("trading.bid_upload_broken", "上传的数据不完整或格式错误，请重新递交")
    return None


def uploaded(request) -> SealedUpload | None:
    found = [f for f in request.FILES.getlist(FIELD) if isinstance(f, SealedUpload)]
    return found[0] if found else None


def discard_all(request) -> None:
    for name in list(getattr(request, "_files", None) or {}):
        for item in request.FILES.getlist(name):
            if isinstance(item, SealedUpload):
                item.discard()


@contextmanager
def cleanup(upload: SealedUpload | None):
    """Around the transaction that stores an upload: the spooled file is always removed, the stored file too
    when the transaction did not commit."""
    try:
        yield
    except BaseException:
        if upload is not None:
            upload.discard(stored=True)
        raise
    finally:
        if upload is not None:
            upload.discard()


def open_sealed(relative: str) -> BinaryIO:
    """The stored ciphertext of a bid, for the opening (decrypted there with the bidder's key)."""
    base = _root().resolve()
    path = (Path(settings.DATA_DIR).resolve() / relative).resolve()
    if base not in path.parents:  # a tampered row must not read outside the bids area
        raise NotFound("trading.bid_file_missing", "投标文件不存在")
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise NotFound("trading.bid_file_missing", "投标文件不存在") from None


def copy_sealed(relative: str, dst: BinaryIO) -> None:
    with open_sealed(relative) as src:
        shutil.copyfileobj(src, dst, 1 << 20)


ORPHAN_GRACE = timedelta(hours=6)


def sweep_orphans(grace: timedelta = ORPHAN_GRACE) -> dict:
    """Delete spooled leftovers (a crash mid-upload) and stored files no bid points at (a rollback after the
    move, a crash before `cleanup` ran), once older than `grace`; files of bids being stored now are younger."""
    from yingshang.kernel.services.uploads import remove_unreferenced
    from yingshang.trading.models import Bid

    return remove_unreferenced(_root(), Path(settings.DATA_DIR).resolve(), grace,
                               lambda batch: Bid.objects.filter(sealed_path__in=batch).values_list("sealed_path", flat=True))

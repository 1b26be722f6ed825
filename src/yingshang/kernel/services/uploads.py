"""Uploads: check a file by its content, store it outside the web root, read it back verified, sweep leftovers.

- Type is decided by the bytes (magic numbers), never by the name or the browser's content type:
  PDF, JPEG, PNG and OFD (a ZIP holding `OFD.xml`, GB/T 33190-2016). Anything else — a renamed .exe,
  a Word file, a ZIP — is refused.
- Size: at most `settings.UPLOAD_MAX_BYTES` (default 20 MiB). `guard_request` caps what Django spools
  for each file at the limit + 1 byte, so an oversized upload fails the size check without filling the disk.
- Stored under `DATA_DIR/uploads/<yyyy>/<mm>/<random>` (no extension, never under STATIC/MEDIA), written
  to a temporary file and renamed into place, so a reader sees the whole file or nothing. The row is
  created in the caller's transaction: a rollback leaves a file without a row, which `sweep_orphans`
  deletes after a grace period (a leftover file is harmless: nothing points at it, nothing serves it).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
import time
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadhandler import FileUploadHandler
from django.db import transaction
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone

from yingshang.kernel.errors import Conflict, InvalidInput, NotFound
from yingshang.kernel.models import StoredFile
from yingshang.kernel.services.audit import record

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_FILES_PER_REQUEST = 10
FORM_OVERHEAD = 1024 * 1024  # the other form fields and multipart boundaries around the files
UPLOAD_DIR = "uploads"
ORPHAN_GRACE = timedelta(hours=6)
MAX_NAME_CHARS = 100

# (content type, extension, label) by magic number; OFD is recognised inside a ZIP.
PDF = ("application/pdf", "pdf", "PDF")
JPEG = ("image/jpeg", "jpg", "JPEG")
PNG = ("image/png", "png", "PNG")
OFD = ("application/ofd", "ofd", "OFD")
ACCEPTED_LABEL = "PDF、JPG、PNG、OFD"
_FORBIDDEN_NAME_CHARS = set('<>:"/\\|?*')


def max_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"


@dataclass(frozen=True)
class Checked:
    content_type: str
    extension: str
    name: str  # sanitised, with the extension of the real type
    size: int


def safe_name(raw: object, extension: str) -> str:
    """A file name safe to show and to put in Content-Disposition: no directories, no control or
    reserved characters, at most 100 characters, and the extension of the detected type."""
    name = unicodedata.normalize("NFC", str(raw or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C" and ch not in _FORBIDDEN_NAME_CHARS)
    name = name.strip().strip(".").strip()
    stem = name.rsplit(".", 1)[0].strip() if "." in name else name
    stem = stem[:MAX_NAME_CHARS].strip() or "文件"
    return f"{stem}.{extension}"


def _is_ofd(fileobj) -> bool:
    try:
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:  # reads the central directory only, nothing is extracted
            return any(n.strip("/").lower() == "ofd.xml" for n in archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
        return False
    finally:
        fileobj.seek(0)


def sniff(fileobj) -> tuple[str, str, str] | None:
    """(content type, extension, label) of an accepted type, from the leading bytes; None otherwise."""
    fileobj.seek(0)
    head = fileobj.read(16)
    fileobj.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04") and _is_ofd(fileobj):
        return OFD
    return None


def check_upload(upload, *, label: str = "") -> Checked:
    """Validate one uploaded file (a Django UploadedFile); raise InvalidInput with a code saying why not."""
    what = f"“{label}”的文件" if label else "文件"
    if upload is None or not hasattr(upload, "read"):
        raise InvalidInput("upload.missing", f"请选择{what}", details={"field": "file"})
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is None:
        raise InvalidInput("upload.unreadable", f"无法读取{what}，请重新选择", details={"field": "file"})
    if size == 0:
        raise InvalidInput("upload.empty", f"{what}是空文件，请重新选择", details={"field": "file"})
    if size > limit:
        raise InvalidInput("upload.too_large", f"{what}过大：不能超过 {_mib(limit)}",
                           details={"field": "file", "max_bytes": limit})
    try:
        kind = sniff(upload)
    except (OSError, ValueError):
        kind = None
    if kind is None:
        raise InvalidInput("upload.bad_type", f"{what}类型不支持：只接受 {ACCEPTED_LABEL} 格式（按文件内容识别，改扩展名无效）",
                           details={"field": "file", "accepted": ["pdf", "jpg", "png", "ofd"]})
    content_type, extension, _label = kind
    return Checked(content_type, extension, safe_name(getattr(upload, "name", ""), extension), size)


def _root() -> Path:
    return Path(settings.DATA_DIR).resolve()


def _write(upload, relative: str, limit: int) -> tuple[str, int]:
    """Copy the upload to DATA_DIR/relative through a temporary file and a rename; return (sha256, size)."""
    target = _root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".part")
    digest, size = hashlib.sha256(), 0
    try:
        upload.seek(0)
        with os.fdopen(fd, "wb") as out:
            for chunk in upload.chunks():
                size += len(chunk)
                if size > limit:
                    raise InvalidInput("upload.too_large", f"文件过大：不能超过 {_mib(limit)}", details={"max_bytes": limit})
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o640)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return digest.hexdigest(), size


def do_store(user, upload, *, checked: Checked | None = None) -> StoredFile:
    """Check (unless already checked) and store one upload; the row joins the caller's transaction."""
    checked = checked or check_upload(upload)
    now = timezone.localtime()
    relative = f"{UPLOAD_DIR}/{now:%Y}/{now:%m}/{secrets.token_hex(16)}"
    sha256, size = _write(upload, relative, max_bytes())
    owner = user if getattr(user, "pk", None) else None
    stored = StoredFile.objects.create(sha256=sha256, size=size, content_type=checked.content_type,
                                       original_name=checked.name, path=relative, owner=owner)
    record("kernel.file.store", stored, after={"sha256": sha256, "size": size, "content_type": checked.content_type})
    return stored


def _path(stored: StoredFile) -> Path:
    base = (_root() / UPLOAD_DIR).resolve()
    path = (_root() / stored.path).resolve()
    if base not in path.parents:  # a tampered row must not read outside the upload area
        raise NotFound("upload.missing", "文件不存在")
    return path


def open_stored(stored: StoredFile) -> bytes:
    """The stored bytes, verified against the recorded size and SHA-256."""
    try:
        data = _path(stored).read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        raise NotFound("upload.missing", "文件不存在或已被清理") from None
    if len(data) != stored.size or hashlib.sha256(data).hexdigest() != stored.sha256:
        raise Conflict("upload.corrupted", "文件校验失败（SHA-256 不一致），请联系管理员", details={"file_id": stored.pk})
    return data


def do_delete(stored: StoredFile) -> None:
    """Delete the row now and the bytes once the transaction commits (a rollback keeps both)."""
    path = _path(stored)
    record("kernel.file.delete", stored, before={"sha256": stored.sha256, "size": stored.size})
    stored.delete()
    transaction.on_commit(lambda: path.unlink(missing_ok=True), robust=True)


def sweep_orphans(grace: timedelta = ORPHAN_GRACE) -> dict:
    """Delete files under DATA_DIR/uploads that no row points at (a rolled-back upload, a crash
    mid-write) once they are older than `grace`; rows being created right now are never touched."""
    return remove_unreferenced(_root() / UPLOAD_DIR, _root(), grace,
                               lambda batch: StoredFile.objects.filter(path__in=batch).values_list("path", flat=True))


def remove_unreferenced(directory: Path, relative_to: Path, grace: timedelta, referenced) -> dict:
    """Delete the files below `directory` older than `grace` whose path (relative to `relative_to`, POSIX)
    `referenced(batch)` does not return: any app's sweep of files its rows may have lost. Batches of 500."""
    cutoff = time.time() - grace.total_seconds()
    candidates: dict[str, Path] = {}
    for folder, _dirs, names in os.walk(directory):
        for name in names:
            path = Path(folder) / name
            try:
                if path.stat().st_mtime < cutoff:
                    candidates[path.relative_to(relative_to).as_posix()] = path
            except FileNotFoundError:
                continue
    removed, keys = 0, list(candidates)
    for i in range(0, len(keys), 500):
        batch = keys[i:i + 500]
        known = set(referenced(batch))
        for key in batch:
            if key not in known:
                candidates[key].unlink(missing_ok=True)
                removed += 1
    return {"checked": len(candidates), "removed": removed}


# --- Request guard: bound what Django spools before the view sees the files ----------------------
class CappedUploadHandler(FileUploadHandler):
    """Passes on at most cap + 1 bytes of each file and drops the rest: an oversized file arrives
    truncated and fails `check_upload`'s size test, and the disk holds no more than that."""

    def __init__(self, request=None, cap: int | None = None):
        super().__init__(request)
        self.cap = max_bytes() if cap is None else cap
        self.seen = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.seen = 0

    def receive_data_chunk(self, raw_data, start):
        room = self.cap + 1 - self.seen
        self.seen += len(raw_data)
        if room <= 0:
            return None
        return raw_data[:room]

    def file_complete(self, file_size):
        return None


def request_limit(max_files: int = MAX_FILES_PER_REQUEST) -> int:
    return max_bytes() * max_files + FORM_OVERHEAD


def guard_request(request, *, max_files: int = MAX_FILES_PER_REQUEST) -> InvalidInput | None:
    """Call before anything reads request.POST/FILES (CSRF checks do): refuse an oversized body
    unread, cap each file, and parse the multipart body; return the error to answer with, or None."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = request_limit(max_files)
    if length > limit:
        return InvalidInput("upload.request_too_large",
                            f"上传内容过大：一次最多 {max_files} 个文件，每个不超过 {_mib(max_bytes())}",
                            details={"max_bytes": max_bytes(), "max_files": max_files}, status=413)
    if request.method != "POST" or not request.content_type.startswith("multipart/"):
        return None
    # Too late once the body was parsed (the list is then unused): the size check still applies.
    request.upload_handlers.insert(0, CappedUploadHandler(request))
    try:
        request.POST  # noqa: B018  (parse now, while we can answer a broken body cleanly)
        files = request.FILES
    except (MultiPartParserError, SuspiciousOperation, OSError, ValueError):
        return InvalidInput("upload.bad_request", "上传的表单数据不完整或格式错误，请重新选择文件后提交")
    if sum(len(files.getlist(k)) for k in files) > max_files:
        return InvalidInput("upload.too_many_files", f"一次最多上传 {max_files} 个文件", details={"max_files": max_files})
    return None

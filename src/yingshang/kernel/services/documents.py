"""Issuing, verifying and revoking documents (notices, certificates) that carry a verification code.

Every issued PDF gets a random verification code, printed with a QR code to
`{SITE_URL}/verify/<code>/`, where anyone can see the registered title, number, issuer, status and
the file's SHA-256, and check a copy they hold against it.

The file and the record are all-or-nothing: the PDF is rendered in memory inside the caller's
transaction (so a rendering error rolls everything back), and written to storage only when that
transaction commits (write to a temporary file, fsync, rename). A rollback therefore leaves no file.
Should the write itself fail after the commit (disk full), the record is revoked with a reason
saying so, and the failure is logged: the public page never vouches for a file that does not exist.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from yingshang.kernel import access
from yingshang.kernel.errors import Conflict, InvalidInput, NotFound
from yingshang.kernel.models import Department, IssuedDocument
from yingshang.kernel.services import pdf
from yingshang.kernel.services.audit import record
from yingshang.kernel.services.numbering import next_number
from yingshang.kernel.services.validation import Validator

logger = logging.getLogger("yingshang.documents")

# No 0/O, 1/I: a code read aloud or typed from paper cannot be mistaken. 32 symbols x 16 = 80 bits.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 16
NUMBER_KIND, NUMBER_PREFIX = "document", "WS"  # the platform's register when the caller brings no number
MAX_TEXT_CHARS = 50_000
MAX_FIELDS = 80
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
PDF_CONTENT_TYPES = {"application/pdf", "application/x-pdf", "application/octet-stream", ""}
_KIND = re.compile(r"^[a-z][a-z0-9_.-]{0,39}$")
_CODE_CHARS = re.compile(f"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")

# Kind code -> label shown on the verification page. Domain apps register theirs in AppConfig.ready().
KIND_LABELS: dict[str, str] = {"notice": "通知书", "certificate": "证明", "receipt": "回执"}


def register_document_kind(code: str, label: str) -> None:
    if not _KIND.match(code):
        raise ValueError(f"document kind {code!r} must match {_KIND.pattern}")
    KIND_LABELS[code] = label


def kind_label(code: str) -> str:
    return KIND_LABELS.get(code, code)


# --- Verification codes ----------------------------------------------------------------------
def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(raw: object) -> str | None:
    """The code as stored (upper case, no spaces or dashes), or None when it cannot be one."""
    if not isinstance(raw, str) or len(raw) > 64:
        return None
    code = re.sub(r"[\s\u3000\-－—_]+", "", raw).upper()
    return code if _CODE_CHARS.match(code) else None


def format_code(code: str) -> str:
    """Grouped by four for reading and typing: ABCD-EFGH-JKLM-NPQR."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def verification_url(code: str) -> str:
    return f"{settings.SITE_URL}/verify/{code}/"


def mask_person_name(name: str) -> str:
    """Keep the surname's first character: 张三 -> 张*, 欧阳娜娜 -> 欧***."""
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def holder_display(doc: IssuedDocument) -> str:
    return mask_person_name(doc.holder_name) if doc.holder_is_person else doc.holder_name


# --- Checks ----------------------------------------------------------------------------------
def check_issue_document(user) -> None:
    access.check_perm(user, "kernel.issue_document")


def check_manage_document(user, doc: IssuedDocument) -> None:
    """Download or revoke: the issuing permission, and the issuer within the user's scope."""
    access.check_perm(user, "kernel.issue_document")
    if doc.issuer_id:
        access.access_department(user, doc.issuer)


# Document fields answer with the codes the documents API has always had: invalid_<field>,
# missing_<field>, <field>_too_long (no app prefix: documents belong to every app).
_input = Validator("", codes={"not_text": "invalid_{field}", "required": "missing_{field}"})


def _paragraphs(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    items = value.splitlines() if isinstance(value, str) else list(value)
    if not all(isinstance(p, str) for p in items):
        raise InvalidInput("invalid_body", "正文段落须为文本", details={"field": "body"})
    return [p.strip() for p in items if p.strip()]


def _sections(value) -> list[pdf.Section]:
    out = []
    for item in value or ():
        if isinstance(item, pdf.Section):
            heading, paragraphs = item.heading, item.paragraphs
        elif isinstance(item, (tuple, list)) and len(item) == 2:
            heading, paragraphs = item
        else:
            raise InvalidInput("invalid_sections", "正文分节须为（标题，段落）", details={"field": "sections"})
        out.append(pdf.Section(_input.text(heading, "section_heading", "分节标题", max_len=100), _paragraphs(paragraphs)))
    return out


def _fields(value: Mapping | Sequence | None) -> list[tuple[str, str]]:
    items = list(value.items()) if isinstance(value, Mapping) else list(value or ())
    if len(items) > MAX_FIELDS:
        raise InvalidInput("too_many_fields", f"登记事项不能超过 {MAX_FIELDS} 项", details={"field": "fields"})
    out = []
    for item in items:
        if not (isinstance(item, (tuple, list)) and len(item) == 2):
            raise InvalidInput("invalid_fields", "登记事项须为（名称，内容）", details={"field": "fields"})
        name = _input.text(item[0], "field_name", "事项名称", max_len=40)
        value = "" if item[1] is None else str(item[1])
        out.append((name, _input.text(value, "field_value", "事项内容", max_len=2000, required=False)))
    return out


# --- Issuing ---------------------------------------------------------------------------------
def do_issue_document(kind: str, title: str, *, body: str | Iterable[str] | None = None, sections=(), fields=(),
                      salutation: str = "", number: str | None = None, holder_name: str = "",
                      holder_is_person: bool = False, issuer: Department | None = None, obj=None) -> IssuedDocument:
    """Render, register and (on commit) store a PDF document; return its record.

    `body`: paragraphs (a list, or a text with one paragraph per line); `sections`: (heading,
    paragraphs) pairs; `fields`: (name, value) pairs or a dict, shown as a table; `salutation`: the
    addressee line ("张三："). `holder_is_person` masks the holder's name on the public page.
    `obj` links the document to the object it was issued for. Without `number` the document gets
    one from the platform register: "WS" + year + 6 digits.
    """
    if not isinstance(kind, str) or not _KIND.match(kind):
        raise InvalidInput("invalid_document_kind", "文书种类代码不正确", details={"kind": str(kind)[:64]})
    title = _input.text(title, "title", "标题", max_len=200)
    holder_name = _input.text(holder_name, "holder_name", "持有人", max_len=100, required=False)
    salutation = _input.text(salutation, "salutation", "抬头", max_len=100, required=False)
    if number is not None:
        number = _input.text(number, "number", "文号", max_len=64)
    paragraphs, parts, rows = _paragraphs(body), _sections(sections), _fields(fields)
    total = sum(map(len, paragraphs)) + sum(len(s.heading) + sum(map(len, s.paragraphs)) for s in parts) \
        + sum(len(k) + len(v) for k, v in rows)
    if not total:
        raise InvalidInput("missing_body", "文书内容不能为空", details={"field": "body"})
    if total > MAX_TEXT_CHARS:
        raise InvalidInput("body_too_long", f"文书内容不能超过 {MAX_TEXT_CHARS} 字", details={"field": "body"})
    if issuer is not None and not isinstance(issuer, Department):
        raise InvalidInput("invalid_issuer", "出具单位须为部门", details={"field": "issuer"})

    with transaction.atomic():
        issued_at = timezone.now()
        local = timezone.localtime(issued_at)
        if number is None:
            number = next_number(NUMBER_KIND, prefix=NUMBER_PREFIX, date=local.date())
        code = new_verification_code()
        while IssuedDocument.objects.filter(verification_code=code).exists():  # 2^-80: belt and braces
            code = new_verification_code()
        issuer_name = issuer.name if issuer else ""
        data = pdf.render_notice(pdf.Notice(
            title=title, number=number, verification_code=format_code(code), verification_url=verification_url(code),
            issuer_name=issuer_name, issued_on=local.date(), salutation=salutation, paragraphs=paragraphs,
            sections=parts, fields=rows,
        ))
        doc = IssuedDocument.objects.create(
            verification_code=code, kind=kind, title=title, number=number, holder_name=holder_name,
            holder_is_person=bool(holder_is_person), issuer=issuer, issuer_name=issuer_name,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            file=f"documents/{local:%Y/%m}/{code}.pdf", sha256=hashlib.sha256(data).hexdigest(), size=len(data),
            issued_at=issued_at,
        )
        record("kernel.document.issue", doc, after={
            "kind": kind, "title": title, "number": number, "verification_code": code,
            "holder": holder_display(doc), "issuer": issuer_name, "sha256": doc.sha256, "size": doc.size,
            "object": f"{doc.object_type}:{doc.object_id}" if obj is not None else None,
        })
        transaction.on_commit(partial(_store_after_commit, doc.pk, doc.file, data), robust=True)
    return doc


def _write(name: str, data: bytes) -> None:
    storage = default_storage
    try:
        path = Path(storage.path(name))
    except NotImplementedError:  # a remote storage: its own save is the unit of atomicity
        saved = storage.save(name, ContentFile(data))
        if saved != name:
            storage.delete(saved)
            raise OSError(f"storage renamed {name} to {saved}") from None
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o640)
        os.replace(tmp, path)  # readers see the whole file or none
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _store_after_commit(doc_id: int, name: str, data: bytes) -> None:
    try:
        _write(name, data)
    except Exception:
        logger.exception("issued document %s: file %s could not be stored; revoking the record", doc_id, name)
        with transaction.atomic():
            doc = IssuedDocument.objects.select_for_update().filter(pk=doc_id, revoked_at__isnull=True).first()
            if doc is not None:
                _revoke(doc, "文件保存失败，请重新出具")


# --- Verifying, reading, revoking ---------------------------------------------------------------
def verify_document(code: str) -> IssuedDocument:
    """The registered document for a verification code (dashes, spaces and case ignored)."""
    normalized = normalize_code(code)
    doc = (IssuedDocument.objects.select_related("issuer").filter(verification_code=normalized).first()
           if normalized else None)
    if doc is None:
        raise NotFound("document_not_found", "未找到该核验码对应的文书，请核对核验码后重试",
                       details={"code": str(code)[:64]})
    return doc


def read_document_file(doc: IssuedDocument) -> bytes:
    """The stored PDF, checked against the registered SHA-256."""
    try:
        with default_storage.open(doc.file, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise NotFound("document_file_missing", "文书文件不存在，请联系出具单位") from None
    if not hmac.compare_digest(hashlib.sha256(data).hexdigest(), doc.sha256):
        logger.error("issued document %s: stored file %s does not match its SHA-256", doc.pk, doc.file)
        raise Conflict("document_file_corrupt", "文书文件与登记的摘要不一致，可能已被篡改，请联系出具单位")
    return data


@dataclass(frozen=True)
class CopyCheck:
    matches: bool
    sha256: str
    size: int


def check_uploaded_copy(doc: IssuedDocument, upload) -> CopyCheck:
    """Compare an uploaded file (a Django UploadedFile) with the registered SHA-256."""
    size = upload.size or 0
    if size == 0:
        raise InvalidInput("upload_empty", "上传的文件为空")
    if size > MAX_UPLOAD_BYTES:
        raise InvalidInput("upload_too_large", f"文件过大：不能超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    upload.seek(0)
    if content_type not in PDF_CONTENT_TYPES or upload.read(5) != b"%PDF-":
        raise InvalidInput("upload_not_pdf", "上传的文件不是 PDF 文件")
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    hexdigest = digest.hexdigest()
    return CopyCheck(hmac.compare_digest(hexdigest, doc.sha256), hexdigest, size)


def _revoke(doc: IssuedDocument, reason: str) -> None:
    doc.revoked_at, doc.revoke_reason = timezone.now(), reason
    doc.save(update_fields=["revoked_at", "revoke_reason"])
    record("kernel.document.revoke", doc, before={"status": "valid"},
           after={"status": "revoked", "reason": reason, "verification_code": doc.verification_code})


def do_revoke_document(doc: IssuedDocument, reason: str) -> IssuedDocument:
    """Mark the document revoked with a reason; the verification page then says so."""
    reason = _input.text(reason, "reason", "作废原因", max_len=200)
    with transaction.atomic():
        locked = IssuedDocument.objects.select_for_update().get(pk=doc.pk)
        if locked.revoked_at is not None:
            raise Conflict("document_already_revoked", "该文书已作废", details={"revoked_at": locked.revoked_at.isoformat()})
        _revoke(locked, reason)
    doc.revoked_at, doc.revoke_reason = locked.revoked_at, locked.revoke_reason
    return doc


def public_info(doc: IssuedDocument) -> dict:
    """What the public verification page and API show: no more than is printed on the document."""
    return {
        "verification_code": format_code(doc.verification_code),
        "title": doc.title,
        "number": doc.number,
        "kind": doc.kind,
        "kind_label": kind_label(doc.kind),
        "issuer": doc.issuer_name,
        "issued_at": doc.issued_at,
        "holder": holder_display(doc),
        "sha256": doc.sha256,
        "size": doc.size,
        "status": "revoked" if doc.revoked_at else "valid",
        "revoked_at": doc.revoked_at,
        "revoke_reason": doc.revoke_reason or None,
        "verify_url": verification_url(doc.verification_code),
    }

"""What objections and repairs share: permissions, who the filer is, the record a request is about,
evidence files, the working-day deadline, and telling the filer about a decision."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from yingshang.credit.choices import IdKind, TargetKind
from yingshang.credit.models import LicenseRecord, ListEntry, OtherRecord, PenaltyRecord, Subject
from yingshang.credit.rules import handling_rule_for
from yingshang.kernel import access, clock
from yingshang.kernel.errors import Forbidden, InvalidInput, NotFound
from yingshang.kernel.models import StoredFile
from yingshang.kernel.services import uploads
from yingshang.kernel.services.calendar import add_working_days

logger = logging.getLogger("yingshang.credit")

FILE_ON_BEHALF = "credit.file_on_behalf"  # a window clerk files an objection or repair for a subject
HANDLE_OBJECTION = "credit.handle_objection"  # decide objections about one's department's records
HANDLE_REPAIR = "credit.handle_repair"  # decide repairs (credit office); list entries also by their designators
MANAGE_COMMITMENTS = "credit.manage_commitments"  # register commitments made elsewhere, mark them kept/broken
REPORT_ANY = "credit.report_any"  # issue the full credit report of any subject

PERMISSIONS = {
    FILE_ON_BEHALF: {access.WINDOW_CLERK, access.CREDIT_OFFICER, access.ADMIN},
    HANDLE_OBJECTION: {access.DEPT_REVIEWER, access.DEPT_HEAD, access.CREDIT_OFFICER, access.ADMIN},
    HANDLE_REPAIR: {access.CREDIT_OFFICER, access.ADMIN},
    MANAGE_COMMITMENTS: {access.CREDIT_OFFICER, access.ADMIN},
    REPORT_ANY: {access.CREDIT_OFFICER, access.ADMIN},
}

MODELS = {TargetKind.LICENSE: LicenseRecord, TargetKind.PENALTY: PenaltyRecord, TargetKind.OTHER: OtherRecord,
          TargetKind.LIST_ENTRY: ListEntry}
MAX_EVIDENCE_FILES = uploads.MAX_FILES_PER_REQUEST


# --- the subject behind a user --------------------------------------------------------------------

def subject_of_user(user) -> Subject | None:
    """The credit subject a citizen or enterprise account stands for (None when it has no records yet)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if access.has_role(user, access.ENTERPRISE) and user.uscc:
        return Subject.objects.filter(id_kind=IdKind.USCC, id_key=user.uscc).first()
    if access.has_role(user, access.CITIZEN) and user.id_number_digest:
        return Subject.objects.filter(id_kind=IdKind.RESIDENT_ID, id_key=user.id_number_digest).first()
    return None


def filer_subject(user, on_behalf_of: Subject | None) -> tuple[Subject, bool]:
    """(subject, on_behalf): the user's own subject, or — for a window clerk — the subject they act for."""
    if on_behalf_of is not None:
        if not access.has_perm(user, FILE_ON_BEHALF):
            raise Forbidden("credit.on_behalf_forbidden", "您无权代信用主体提交申请")
        return on_behalf_of, True
    subject = subject_of_user(user)
    if subject is None:
        raise Forbidden("credit.no_subject", "您的账号没有对应的信用主体（请完成实名认证，或由窗口工作人员代为提交）")
    return subject, False


# --- the record a request is about ----------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    kind: str
    record: object
    subject_id: int
    department: object  # the source department (reported the record / designated the entry)
    label: str


def load_target(kind: str, pk, *, lock: bool = False) -> Target:
    if kind not in MODELS:
        raise InvalidInput("credit.target_kind_invalid", "信息类型应为 license、penalty、other 或 list_entry",
                           details={"field": "target_kind"})
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise InvalidInput("credit.target_invalid", "信息编号不正确", details={"field": "target_id"}) from None
    qs = MODELS[kind].objects.select_related("department")
    if kind == TargetKind.LIST_ENTRY:
        qs = qs.select_related("list_type")
    record = qs.filter(pk=pk).first()
    if record is None:
        raise NotFound("credit.target_not_found", "该信用信息不存在", details={"field": "target_id"})
    if lock and kind == TargetKind.LIST_ENTRY:
        # The lock order of `lists` (subject row, then entry), so a removal racing this one cannot deadlock.
        Subject.objects.select_for_update().filter(pk=record.subject_id).first()
        record = qs.get(pk=pk)
    elif lock:
        record = qs.select_for_update(of=("self",)).get(pk=pk)
    return Target(kind, record, record.subject_id, record.department, target_label(kind, record))


def target_label(kind: str, record) -> str:
    if kind == TargetKind.LIST_ENTRY:
        return f"{record.list_type.name} {record.document_no}"[:300]
    title = {TargetKind.LICENSE: getattr(record, "document_name", ""), TargetKind.PENALTY: getattr(record, "violation_type", ""),
             TargetKind.OTHER: getattr(record, "title", "")}[kind]
    return f"{TargetKind(kind).label} {record.document_no} {title}"[:300]


def check_own_target(subject: Subject, target: Target) -> None:
    if target.subject_id != subject.pk:
        raise Forbidden("credit.not_your_record", "只能对本主体的信用信息提出申请")


# --- deadline -------------------------------------------------------------------------------------

def deadline_for(kind: str, filed_on):
    rule = handling_rule_for(kind, filed_on)
    return add_working_days(filed_on, rule.working_days).date, rule.code


def is_overdue(item, today=None) -> bool:
    return item.is_open and (today or clock.today()) > item.deadline


# --- evidence -------------------------------------------------------------------------------------

def store_evidence(user, files) -> list[dict]:
    """Check and keep evidence files through the kernel upload service (type by content: PDF, JPG, PNG,
    OFD; size limit; stored outside the web root). Returns their metadata: the StoredFile id, name,
    size, SHA-256 and type — no content in the credit tables. All are checked before any is stored."""
    files = [f for f in (files or []) if f]
    if len(files) > MAX_EVIDENCE_FILES:
        raise InvalidInput("credit.evidence_too_many", f"证明材料最多{MAX_EVIDENCE_FILES}个文件", details={"field": "evidence"})
    checked = [uploads.check_upload(f, label="证明材料") for f in files]
    stored = []
    for upload, check in zip(files, checked, strict=True):
        row = uploads.do_store(user, upload, checked=check)
        stored.append({"upload_id": row.pk, "name": row.original_name, "size": row.size, "sha256": row.sha256,
                       "content_type": row.content_type})
    return stored


def open_evidence(item, index: int) -> tuple[bytes, str, str]:
    """(bytes, name, content type) of one evidence file of an objection or repair, verified by SHA-256."""
    try:
        meta = item.evidence[int(index)]
        stored = StoredFile.objects.get(pk=meta["upload_id"])
    except (IndexError, KeyError, TypeError, ValueError, StoredFile.DoesNotExist):
        raise NotFound("credit.evidence_not_found", "证明材料不存在") from None
    return uploads.open_stored(stored), meta.get("name") or stored.original_name, stored.content_type


# --- telling the filer ----------------------------------------------------------------------------

def notify_filer(item, subject_line: str, body: str) -> None:
    """An in-platform message to whoever filed (a clerk filing on behalf informs the subject offline)."""
    if item.filed_by_id is None or item.on_behalf:
        return
    from yingshang.kernel.services.notifications import do_notify

    do_notify([item.filed_by], subject_line, body, channels=("site",), obj=item)


def actor_name(user) -> str:
    return (getattr(user, "display_name", "") or getattr(user, "username", "") or "")[:100]

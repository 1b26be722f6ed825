"""Red, black and watch lists: designation, removal (after repair, objection or otherwise) and expiry.

Designation and removal lock the subject's row first, so two officers acting on the same subject
at once are serialized: the second sees the first's entry and gets a clear conflict instead of a
duplicate or a double removal. A partial unique index (one active entry per subject and list type)
backs this up. Entries are never deleted; every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction

from yingshang.credit import identity
from yingshang.credit.choices import EntryStatus, IdKind, RemovalReason, SubjectKind
from yingshang.credit.models import ListEntry, ListType, Subject
from yingshang.credit.rules import add_months
from yingshang.credit.services import common
from yingshang.kernel import access, clock
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from yingshang.kernel.services.audit import record

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def can_designate(user, list_type: ListType) -> bool:
    """The credit office designates on every list; a department head on the lists their department designates."""
    if access.has_perm(user, common.MANAGE_LISTS):
        return True
    if not access.has_perm(user, common.DESIGNATE) or list_type.designating_department_id is None:
        return False
    return access.visible_departments(user).filter(pk=list_type.designating_department_id).exists()


def check_designate(user, list_type: ListType) -> None:
    if not can_designate(user, list_type):
        raise Forbidden("credit.designate_forbidden", f"您无权认定或移出“{list_type.name}”")


def snapshot(entry: ListEntry) -> dict:
    return {"subject": entry.subject.id_display, "list_type": entry.list_type.code, "status": entry.status,
            "document_no": entry.document_no, "valid_from": entry.valid_from, "valid_until": entry.valid_until,
            "published": entry.published, "removal_reason": entry.removal_reason}


@dataclass(frozen=True)
class SubjectInput:
    code: str  # USCC, organization code or resident ID
    name: str
    kind: str = ""  # optional; inferred from the code


def resolve_subject(given: SubjectInput, *, today: date) -> Subject:
    """The subject with this identifier, created when unknown (designation may name a new subject)."""
    id_kind, key, checked = identity.lookup_key(given.code, today=today)
    subject = Subject.objects.filter(id_kind=id_kind, id_key=key).first()
    if subject is not None:
        return subject
    name = common.fields.text(given.name, "subject_name", "主体名称", max_len=200, required=True)
    if id_kind == IdKind.RESIDENT_ID:
        who, kind = identity.person_identity(checked.normalized), SubjectKind.NATURAL_PERSON
    else:
        who = identity.Identity(id_kind, key, key)
        kind = (SubjectKind.GOVERNMENT_AGENCY if key[:2] == "11" else SubjectKind.INDIVIDUAL_BUSINESS
                if key[:2] == "92" else SubjectKind.LEGAL_PERSON)
    if given.kind in SubjectKind.values:
        kind = given.kind
    now = clock.now()
    try:
        with transaction.atomic():
            return Subject.objects.create(kind=kind, name=name, id_kind=id_kind, id_key=key, id_display=who.display,
                                          id_cipher=who.cipher, created_at=now, updated_at=now)
    except IntegrityError:  # created by a parallel designation a moment ago
        return Subject.objects.get(id_kind=id_kind, id_key=key)


def _date(value, field: str, label: str, *, required: bool) -> date | None:
    if value in (None, ""):
        if required:
            raise InvalidInput(f"credit.{field}_required", f"请填写{label}", details={"field": field})
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InvalidInput(f"credit.{field}_invalid", f"{label}格式不正确，应为 YYYY-MM-DD", details={"field": field}) from None


def do_designate(user, *, subject: SubjectInput, list_type: ListType, department, basis: str, document_no: str,
                 decided_on, valid_from=None, valid_until=None, reason: str = "", document_name: str = "",
                 published: bool | None = None, attachment=None) -> ListEntry:
    """Put a subject on a list (认定). The subject's row is locked until the transaction ends."""
    check_designate(user, list_type)
    if not list_type.is_active:
        raise Conflict("credit.list_type_inactive", f"名单类型“{list_type.name}”已停用")
    if department is None:
        raise InvalidInput("credit.department_required", "请选择认定部门", details={"field": "department"})
    if not access.has_perm(user, common.MANAGE_LISTS):
        access.access_department(user, department)
    today = clock.today()
    basis = common.fields.text(basis, "basis", "认定依据", max_len=4000, required=True)
    document_no = common.fields.text(document_no, "document_no", "认定文书号", max_len=128, required=True)
    reason = common.fields.text(reason, "reason", "认定事由", max_len=4000, required=False)
    document_name = common.fields.text(document_name, "document_name", "认定文书名称", max_len=200, required=False)
    decided_on = _date(decided_on, "decided_on", "认定日期", required=True)
    valid_from = _date(valid_from, "valid_from", "列入日期", required=False) or decided_on
    valid_until = _date(valid_until, "valid_until", "有效期至", required=False)
    if decided_on > today:
        raise InvalidInput("credit.decided_on_future", "认定日期不能晚于今天", details={"field": "decided_on"})
    if valid_until is None and list_type.default_validity_months:
        valid_until = add_months(valid_from, list_type.default_validity_months)
    if valid_until is not None and valid_until < valid_from:
        raise InvalidInput("credit.valid_until_order", "有效期至不能早于列入日期", details={"field": "valid_until"})
    if attachment is not None and attachment.size > MAX_ATTACHMENT_BYTES:
        raise InvalidInput("credit.attachment_too_large", "附件最大20 MB", details={"field": "attachment"})
    target = resolve_subject(subject, today=today)
    locked = Subject.objects.select_for_update().get(pk=target.pk)
    existing = ListEntry.objects.filter(subject=locked, list_type=list_type, status=EntryStatus.ACTIVE).first()
    if existing is not None:
        raise Conflict("credit.already_listed", f"该主体已在“{list_type.name}”中（认定文书号 {existing.document_no}）",
                       details={"entry_id": existing.pk})
    entry = ListEntry(
        subject=locked, subject_key=locked.id_key, list_type=list_type, list_kind=list_type.list_kind,
        department=department, basis=basis, reason=reason, document_name=document_name, document_no=document_no,
        decided_on=decided_on, valid_from=valid_from, valid_until=valid_until,
        published=list_type.published if published is None else bool(published),
        designated_by=user if getattr(user, "pk", None) else None, designated_at=clock.now(),
    )
    if attachment is not None:
        entry.attachment.save(attachment.name, attachment, save=False)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        raise Conflict("credit.already_listed", f"该主体已在“{list_type.name}”中") from None
    record("credit.list.designate", entry, after=snapshot(entry))
    return entry


def _locked_entry(entry_id: int) -> ListEntry:
    entry = ListEntry.objects.select_related("list_type", "subject").filter(pk=entry_id).first()
    if entry is None:
        raise NotFound("credit.entry_not_found", "名单记录不存在")
    Subject.objects.select_for_update().get(pk=entry.subject_id)  # the lock designation takes too
    return ListEntry.objects.select_related("list_type", "subject").get(pk=entry_id)


def do_remove(user, entry_id: int, *, reason: str, note: str = "") -> ListEntry:
    """Take a subject off a list (移出) — after repair, an upheld objection or otherwise. Once only."""
    if reason not in RemovalReason.values or reason == RemovalReason.EXPIRY:
        raise InvalidInput("credit.removal_reason_invalid",
                           "移出原因应为 repair（信用修复）、objection（异议成立）或 other（其他）",
                           details={"field": "reason"})
    entry = _locked_entry(entry_id)
    check_designate(user, entry.list_type)
    note = common.fields.text(note, "note", "移出说明", max_len=4000, required=True)
    if entry.status != EntryStatus.ACTIVE:
        raise Conflict("credit.already_removed", "该名单记录已移出，不能重复移出", details={"status": entry.status})
    before = snapshot(entry)
    entry.status, entry.removed_at, entry.removal_reason = EntryStatus.REMOVED, clock.now(), reason
    entry.removal_note, entry.removed_by = note, user if getattr(user, "pk", None) else None
    entry.save(update_fields=["status", "removed_at", "removal_reason", "removal_note", "removed_by"])
    record("credit.list.remove", entry, before=before, after=snapshot(entry))
    return entry


def do_expire_entries(today: date | None = None) -> int:
    """Remove every active entry whose validity ended before `today` (the nightly job). Idempotent.

    Each entry is expired in its own (nested) transaction under the subject lock, so a removal made
    at the same moment by an officer wins cleanly and the job simply skips that entry.
    """
    today = today or clock.today()
    count = 0
    due = ListEntry.objects.filter(status=EntryStatus.ACTIVE, valid_until__lt=today).values_list("pk", flat=True)
    for entry_id in list(due[:10_000]):
        with transaction.atomic():
            entry = _locked_entry(entry_id)
            if entry.status != EntryStatus.ACTIVE or entry.valid_until is None or entry.valid_until >= today:
                continue  # removed or extended meanwhile
            before = snapshot(entry)
            entry.status, entry.removed_at, entry.removal_reason = EntryStatus.EXPIRED, clock.now(), RemovalReason.EXPIRY
            entry.removal_note = f"有效期至{entry.valid_until.isoformat()}，期满自动移出"
            entry.save(update_fields=["status", "removed_at", "removal_reason", "removal_note"])
            record("credit.list.expire", entry, before=before, after=snapshot(entry))
            count += 1
    return count


def entries_for_user(user):
    """List entries a user may manage: all for the credit office, their department's list types otherwise."""
    qs = ListEntry.objects.select_related("subject", "list_type", "department")
    if access.has_perm(user, common.MANAGE_LISTS):
        return qs
    if not access.has_perm(user, common.DESIGNATE):
        return qs.none()
    return qs.filter(list_type__designating_department__in=access.visible_departments(user))


def designatable_types(user):
    types = ListType.objects.filter(is_active=True).select_related("designating_department")
    return [t for t in types if can_designate(user, t)]

"""Credit commitments (信用承诺): recorded against the subject, tracked to fulfilment or breach; a breach
becomes a negative credit record (OtherRecord of kind 信用承诺失信) shown on the subject's page and report.

Two ways in: the kernel hook `COMMITMENT_EVENTS` (window acceptance with 容缺受理 / 告知承诺 in app
`cases`, fired inside its transaction — so a failure here rolls the acceptance back, and an event
delivered twice is recognised by its `reference`), and a credit officer registering a commitment made
elsewhere (page and API). Every change is audited.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from yingshang.credit.choices import CommitmentStatus, IdKind, OtherRecordKind, SubjectKind
from yingshang.credit.models import Commitment, OtherRecord, Subject
from yingshang.credit.services import common, handling
from yingshang.credit.services.lists import SubjectInput, resolve_subject
from yingshang.kernel import access, clock
from yingshang.kernel.errors import Conflict, InvalidInput, NotFound
from yingshang.kernel.models import Department
from yingshang.kernel.services.audit import record as audit
from yingshang.kernel.services.numbering import next_number

logger = logging.getLogger("yingshang.credit")
_RESIDENT_MASK = re.compile(r"^\d{6}\*{8}[\dX]{4}$")
BREACH_TITLE = "违背信用承诺"
MANUAL_KINDS = {"notify_and_commit": "告知承诺", "pending_materials": "容缺受理承诺", "industry": "行业自律承诺",
                "repair": "信用修复承诺", "other": "其他信用承诺"}


def snapshot(c: Commitment) -> dict:
    return {"number": c.number, "reference": c.reference, "kind": c.kind, "status": c.status, "due_on": c.due_on,
            "subject": c.subject.id_display, "breach_record": c.breach_record_id}


# --- the hook -------------------------------------------------------------------------------------

def on_commitment_event(event) -> list:
    """COMMITMENT_EVENTS handler: record, fulfil or breach. Runs in the caller's transaction."""
    if event.event == "made":
        _made(event)
    elif event.event in ("fulfilled", "breached"):
        commitment = Commitment.objects.select_for_update().filter(reference=event.reference).first()
        if commitment is None:  # made before the credit work was installed: record it now
            commitment = _made(event)
        at = _aware(event.occurred_at)
        if event.event == "fulfilled":
            _fulfil(commitment, at)
        else:
            _breach(commitment, at, event.reason or "未按承诺履约")
    else:
        logger.warning("credit: unknown commitment event %r from %s", event.event, event.source)
    return []


def _made(event) -> Commitment:
    existing = Commitment.objects.filter(reference=event.reference).first()
    if existing is not None:
        return existing
    subject = _subject_for_event(event)
    department = Department.objects.filter(code=event.department_code).first()
    now = clock.now()
    commitment = Commitment(
        number=next_number("credit_commitment", prefix="CN", date=clock.today()), subject=subject,
        source=event.source[:20], reference=event.reference[:100], kind=event.kind[:40], kind_label=event.kind_label[:60],
        text=event.text or event.kind_label, department=department, case_no=(event.case_no or "")[:40],
        signed_at=_aware(event.signed_at) or now, due_on=event.due_on, created_at=now, updated_at=now)
    with transaction.atomic():
        commitment.save()
    audit("credit.commitment.made", commitment, after=snapshot(commitment))
    return commitment


def _subject_for_event(event) -> Subject:
    """Find or create the subject: organisations by USCC, persons by the identifier's keyed digest (which is
    what `Subject.id_key` holds for personal documents; the number itself never reaches this app)."""
    if event.uscc:
        return resolve_subject(SubjectInput(event.uscc, event.subject_name or event.uscc), today=clock.today())
    digest = event.identifier_digest
    if not digest:
        raise InvalidInput("credit.commitment_subject", "承诺主体缺少证件号码摘要")
    found = Subject.objects.filter(id_key=digest, id_kind__in=[IdKind.RESIDENT_ID, IdKind.OTHER_ID]).first()
    if found is not None:
        return found
    masked = event.identifier_masked or ""
    id_kind = IdKind.RESIDENT_ID if _RESIDENT_MASK.match(masked) else IdKind.OTHER_ID
    now = clock.now()
    try:
        with transaction.atomic():
            return Subject.objects.create(kind=SubjectKind.NATURAL_PERSON, name=event.subject_name[:200] or "自然人",
                                          id_kind=id_kind, id_key=digest, id_display=masked[:64], created_at=now,
                                          updated_at=now)
    except IntegrityError:
        return Subject.objects.get(id_kind=id_kind, id_key=digest)


def _aware(value) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, date):
        return timezone.make_aware(datetime.combine(value, datetime.min.time()))
    return None


def _fulfil(c: Commitment, at: datetime | None) -> Commitment:
    if c.status == CommitmentStatus.FULFILLED:
        return c  # repeated event
    if c.status != CommitmentStatus.MADE:
        raise Conflict("credit.commitment_closed", "该承诺已认定违诺，不能再标记为已履约", details={"status": c.status})
    before = snapshot(c)
    c.status, c.fulfilled_at, c.updated_at = CommitmentStatus.FULFILLED, at or clock.now(), clock.now()
    c.save(update_fields=["status", "fulfilled_at", "updated_at"])
    audit("credit.commitment.fulfil", c, before=before, after=snapshot(c))
    return c


def _breach(c: Commitment, at: datetime | None, reason: str) -> Commitment:
    if c.status == CommitmentStatus.BREACHED:
        return c
    if c.status != CommitmentStatus.MADE:
        raise Conflict("credit.commitment_closed", "该承诺已履约，不能再认定违诺", details={"status": c.status})
    before = snapshot(c)
    at = at or clock.now()
    c.status, c.breached_at, c.breach_reason, c.updated_at = CommitmentStatus.BREACHED, at, reason[:4000], clock.now()
    c.breach_record = _breach_record(c, timezone.localtime(at).date())
    c.save(update_fields=["status", "breached_at", "breach_reason", "breach_record", "updated_at"])
    audit("credit.commitment.breach", c, before=before, after=snapshot(c), note=reason[:500])
    return c


def _breach_record(c: Commitment, day: date) -> OtherRecord:
    """The negative credit record a breach becomes: the department it was made to, the date, the reason."""
    department = c.department or Department.objects.filter(parent__isnull=True).order_by("id").first()
    subject, now = c.subject, clock.now()
    content = f"{c.kind_label}：{c.text}。违诺情况：{c.breach_reason}" + (f"（办件编号 {c.case_no}）" if c.case_no else "")
    row = OtherRecord.objects.create(
        department=department, document_no=f"{c.number}-违诺", subject=subject, subject_name=subject.name,
        subject_category=subject.kind, uscc=subject.id_key if subject.id_kind == IdKind.USCC else "",
        decision_date=day, authority=department.name, authority_uscc=department.uscc or "",
        source_unit=department.name, source_unit_uscc=department.uscc or "", submitted_at=now, updated_at=now,
        kind=OtherRecordKind.COMMITMENT_BREACH, title=BREACH_TITLE, content=content[:4000], valid_from=day,
        remarks=f"信用承诺{c.number}")
    audit("credit.record.breach", row, after={"commitment": c.number, "document_no": row.document_no})
    return row


# --- commitments made elsewhere: the credit office registers them -----------------------------------

def do_register(user, *, code: str, subject_name: str, kind: str, text: str, department, signed_on=None, due_on=None,
                reference: str = "") -> Commitment:
    access.check_perm(user, handling.MANAGE_COMMITMENTS)
    if kind not in MANUAL_KINDS:
        raise InvalidInput("credit.commitment_kind", f"承诺类型应为：{'、'.join(MANUAL_KINDS)}", details={"field": "kind"})
    if department is None:
        raise InvalidInput("credit.department_required", "请选择承诺对象部门", details={"field": "department"})
    text = common.fields.text(text, "text", "承诺内容", max_len=4000, required=True)
    reference = common.fields.text(reference, "reference", "来源编号", max_len=80, required=False)
    today = clock.today()
    signed_on = _day(signed_on, "signed_on", "承诺日期") or today
    due_on = _day(due_on, "due_on", "履约期限")
    if signed_on > today:
        raise InvalidInput("credit.signed_on_future", "承诺日期不能晚于今天", details={"field": "signed_on"})
    if due_on is not None and due_on < signed_on:
        raise InvalidInput("credit.due_on_order", "履约期限不能早于承诺日期", details={"field": "due_on"})
    subject = resolve_subject(SubjectInput(code, subject_name), today=today)
    number, now = next_number("credit_commitment", prefix="CN", date=today), clock.now()
    c = Commitment(number=number, subject=subject, source="manual", reference=f"manual:{reference or number}",
                   kind=kind, kind_label=MANUAL_KINDS[kind], text=text, department=department, signed_at=_aware(signed_on),
                   due_on=due_on, registered_by=user if getattr(user, "pk", None) else None, created_at=now, updated_at=now)
    try:
        with transaction.atomic():
            c.save()
    except IntegrityError:
        raise Conflict("credit.commitment_exists", "该来源编号的承诺已登记", details={"field": "reference"}) from None
    audit("credit.commitment.made", c, after=snapshot(c))
    return c


def do_mark(user, commitment_id: int, *, outcome: str, reason: str = "") -> Commitment:
    """Mark a commitment fulfilled or breached (once: the row is locked and must still be `made`)."""
    access.check_perm(user, handling.MANAGE_COMMITMENTS)
    c = Commitment.objects.select_for_update().select_related("subject").filter(pk=commitment_id).first()
    if c is None:
        raise NotFound("credit.commitment_not_found", "信用承诺不存在")
    if c.status != CommitmentStatus.MADE:
        raise Conflict("credit.commitment_closed", "该承诺已办结，不能重复标记", details={"status": c.status})
    if outcome == CommitmentStatus.FULFILLED:
        return _fulfil(c, clock.now())
    if outcome == CommitmentStatus.BREACHED:
        return _breach(c, clock.now(), common.fields.text(reason, "reason", "违诺情况", max_len=4000, required=True))
    raise InvalidInput("credit.outcome_invalid", "结果应为 fulfilled（已履约）或 breached（违诺）", details={"field": "outcome"})


def _day(value, field: str, label: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InvalidInput(f"credit.{field}_invalid", f"{label}格式不正确，应为 YYYY-MM-DD", details={"field": field}) from None


def for_subject(subject: Subject):
    return Commitment.objects.filter(subject=subject).select_related("department").order_by("-signed_at")

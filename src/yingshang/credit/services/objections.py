"""Objections (异议): a subject disputes one of its records; the source department decides.

Filing: the subject itself (signed in) or a window clerk on its behalf, with a reason and evidence;
one open objection per record (a partial unique index backs the check). While open, the record is
shown as 异议中 on public pages. The deadline is counted in working days from the filing date under
the rule in force that day (`rules.HANDLING_RULES`).

Deciding: the objection row is locked (`SELECT … FOR UPDATE`) and must still be open, so a second
decision gets 409 `credit.objection_closed`. Upheld: the record is corrected (whitelisted fields) or
withdrawn from publication, a list entry removed through `lists.do_remove`; rejected: with a reason.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Q

from yingshang.credit.choices import EntryStatus, HandlingStatus, ObjectionResolution, RemovalReason, TargetKind
from yingshang.credit.models import Objection, Subject
from yingshang.credit.services import common, handling, lists
from yingshang.kernel import access, clock
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from yingshang.kernel.services.audit import record as audit
from yingshang.kernel.services.numbering import next_number

# Fields a department may correct when it upholds an objection (the rest comes with a re-submission).
CORRECTABLE = {
    TargetKind.LICENSE: {"content": "许可内容", "certificate_name": "许可证书名称", "license_no": "许可编号",
                         "valid_to": "有效期至", "remarks": "备注"},
    TargetKind.PENALTY: {"content": "处罚内容", "violation_facts": "违法事实", "violation_type": "违法行为类型",
                         "fine_amount": "罚款金额（万元）", "remarks": "备注"},
    TargetKind.OTHER: {"title": "信息名称", "content": "信息内容", "valid_to": "有效期至", "remarks": "备注"},
}


def snapshot(obj: Objection) -> dict:
    return {"number": obj.number, "target": f"{obj.target_kind}:{obj.target_id}", "status": obj.status,
            "resolution": obj.resolution, "deadline": obj.deadline, "department": obj.department_id,
            "on_behalf": obj.on_behalf, "evidence": len(obj.evidence)}


def do_file(user, *, target_kind: str, target_id, reason: str, evidence=(), contact_phone: str = "",
            on_behalf_of: Subject | None = None) -> Objection:
    """File an objection against one of the subject's records (in the caller's transaction)."""
    subject, on_behalf = handling.filer_subject(user, on_behalf_of)
    reason = common.fields.text(reason, "reason", "异议理由", max_len=4000, required=True)
    contact_phone = common.fields.text(contact_phone, "contact_phone", "联系电话", max_len=20, required=False)
    target = handling.load_target(target_kind, target_id)
    handling.check_own_target(subject, target)
    if target.kind == TargetKind.LIST_ENTRY and target.record.status != EntryStatus.ACTIVE:
        raise Conflict("credit.entry_not_active", "该名单记录已移出，无需提出异议")
    if Objection.objects.filter(target_kind=target.kind, target_id=target.record.pk, status=HandlingStatus.OPEN).exists():
        raise Conflict("credit.objection_open", "该信息已有正在办理的异议，请等待处理结果")
    files = handling.store_evidence(user, evidence)
    today, now = clock.today(), clock.now()
    deadline, rule = handling.deadline_for("objection", today)
    objection = Objection(
        number=next_number("credit_objection", prefix="YY", date=today), subject=subject, target_kind=target.kind,
        target_id=target.record.pk, target_label=target.label, department=target.department,
        filed_by=user if getattr(user, "pk", None) else None, filed_by_name=handling.actor_name(user),
        on_behalf=on_behalf, contact_phone=contact_phone, evidence=files, filed_at=now, filed_on=today,
        deadline=deadline, deadline_rule=rule, reason=reason)
    try:
        with transaction.atomic():
            objection.save()
    except IntegrityError:  # a parallel filing on the same record won
        raise Conflict("credit.objection_open", "该信息已有正在办理的异议，请等待处理结果") from None
    audit("credit.objection.file", objection, after=snapshot(objection))
    return objection


def do_add_evidence(user, objection_id: int, files) -> Objection:
    """Add evidence to an open objection (the subject, or the clerk who filed it)."""
    objection = _locked(objection_id)
    if not can_view(user, objection) or (objection.filed_by_id != user.pk and not _is_subject(user, objection)):
        raise Forbidden("credit.objection_forbidden", "您无权补充该异议的材料")
    if not objection.is_open:
        raise Conflict("credit.objection_closed", "该异议已办结，不能再补充材料")
    if len(objection.evidence) + len([f for f in files or [] if f]) > handling.MAX_EVIDENCE_FILES:
        raise InvalidInput("credit.evidence_too_many", f"证明材料最多{handling.MAX_EVIDENCE_FILES}个文件",
                           details={"field": "evidence"})
    before = snapshot(objection)
    objection.evidence = [*objection.evidence, *handling.store_evidence(user, files)]
    objection.row_version += 1
    objection.save(update_fields=["evidence", "row_version"])
    audit("credit.objection.evidence", objection, before=before, after=snapshot(objection))
    return objection


# --- who sees and who decides ---------------------------------------------------------------------

def _is_subject(user, objection) -> bool:
    subject = handling.subject_of_user(user)
    return subject is not None and subject.pk == objection.subject_id


def queue(user):
    """Objections a user handles: their department's (and below), every one for the credit office."""
    if not access.has_perm(user, handling.HANDLE_OBJECTION):
        return Objection.objects.none()
    qs = Objection.objects.select_related("subject", "department")
    return access.scope_by_department(qs, user)


def can_decide(user, objection: Objection) -> bool:
    return queue(user).filter(pk=objection.pk).exists()


def can_view(user, objection: Objection) -> bool:
    return objection.filed_by_id == getattr(user, "pk", None) or _is_subject(user, objection) or can_decide(user, objection)


def get_for(user, objection_id: int) -> Objection:
    objection = Objection.objects.select_related("subject", "department").filter(pk=objection_id).first()
    if objection is None or not can_view(user, objection):
        raise NotFound("credit.objection_not_found", "异议不存在")
    return objection


def _locked(objection_id: int) -> Objection:
    objection = Objection.objects.select_for_update().filter(pk=objection_id).first()
    if objection is None:
        raise NotFound("credit.objection_not_found", "异议不存在")
    return objection


# --- deciding -------------------------------------------------------------------------------------

def do_decide(user, objection_id: int, *, outcome: str, note: str, resolution: str = "", corrections: dict | None = None,
              row_version: int | None = None) -> Objection:
    """Uphold or reject an open objection, once. Locks the objection row first (then the record)."""
    objection = _locked(objection_id)
    if not can_decide(user, objection):
        raise Forbidden("credit.objection_forbidden", "该异议不属于您所在部门办理")
    if not objection.is_open:
        raise Conflict("credit.objection_closed", "该异议已办结，不能重复处理",
                       details={"status": objection.status, "decided_at": objection.decided_at})
    if row_version is not None and int(row_version) != objection.row_version:
        raise Conflict("credit.objection_changed", "该异议已被他人更新，请刷新后重试",
                       details={"row_version": objection.row_version})
    if outcome not in (HandlingStatus.UPHELD, HandlingStatus.REJECTED):
        raise InvalidInput("credit.outcome_invalid", "处理结果应为 upheld（成立）或 rejected（不成立）",
                           details={"field": "outcome"})
    note = common.fields.text(note, "note", "处理意见", max_len=4000, required=True)
    before = snapshot(objection)
    if outcome == HandlingStatus.UPHELD:
        objection.resolution = _apply(user, objection, resolution, corrections or {}, note)
    objection.status, objection.decision_note = outcome, note
    objection.decided_by = user if getattr(user, "pk", None) else None
    objection.decided_by_name, objection.decided_at = handling.actor_name(user), clock.now()
    objection.row_version += 1
    objection.save()
    audit("credit.objection.decide", objection, before=before, after=snapshot(objection), note=note[:500])
    label = "成立" if outcome == HandlingStatus.UPHELD else "不成立"
    handling.notify_filer(objection, f"您的信用异议{objection.number}已办结",
                          f"您对“{objection.target_label}”提出的异议经核实{label}。处理意见：{note}")
    return objection


def _apply(user, objection: Objection, resolution: str, corrections: dict, note: str) -> str:
    target = handling.load_target(objection.target_kind, objection.target_id, lock=True)
    if target.kind == TargetKind.LIST_ENTRY:
        if target.record.status == EntryStatus.ACTIVE:
            lists.do_remove(user, target.record.pk, reason=RemovalReason.OBJECTION, note=f"异议{objection.number}成立：{note}")
        return ObjectionResolution.REMOVED
    record = target.record
    if resolution == ObjectionResolution.WITHDRAWN:
        if record.publication_ended_at is None:
            record.publication_ended_at = clock.now()
            record.publication_end_reason = f"异议成立撤回公示（{objection.number}）"[:200]
            record.save(update_fields=["publication_ended_at", "publication_end_reason"])
        audit("credit.record.withdraw", record, after={"objection": objection.number, "document_no": record.document_no})
        return resolution
    if resolution != ObjectionResolution.CORRECTED:
        raise InvalidInput("credit.resolution_invalid", "异议成立时请选择 corrected（更正信息）或 withdrawn（撤回公示）",
                           details={"field": "resolution"})
    changes = _corrections(target.kind, corrections)
    before = {name: getattr(record, name) for name in changes}
    for name, value in changes.items():
        setattr(record, name, value)
    record.updated_at = clock.now()
    record.save(update_fields=[*changes, "updated_at"])
    audit("credit.record.correct", record, before=before, after=changes | {"objection": objection.number})
    return resolution


def _corrections(kind: str, corrections: dict) -> dict:
    allowed = CORRECTABLE[kind]
    if not isinstance(corrections, dict) or not corrections:
        raise InvalidInput("credit.corrections_required", "请填写更正后的内容", details={"field": "corrections"})
    changes = {}
    for name, value in corrections.items():
        if name not in allowed:
            raise InvalidInput("credit.correction_field", f"不能更正字段“{name}”，可更正：{'、'.join(allowed.values())}",
                               details={"field": name})
        changes[name] = _value(name, value, allowed[name])
    return changes


def _value(name: str, value, label: str):
    if name == "valid_to":
        if value in (None, ""):
            return None
        try:
            return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
        except ValueError:
            raise InvalidInput("credit.correction_invalid", f"{label}应为 YYYY-MM-DD", details={"field": name}) from None
    if name == "fine_amount":
        try:
            amount = Decimal(str(value))
        except (InvalidOperation, ValueError):
            raise InvalidInput("credit.correction_invalid", f"{label}应为数字", details={"field": name}) from None
        if not amount.is_finite() or amount < 0 or amount >= Decimal(10) ** 12:
            raise InvalidInput("credit.correction_invalid", f"{label}不正确", details={"field": name})
        return amount.quantize(Decimal("0.000001"))
    short = name in ("title", "certificate_name", "license_no", "violation_type")
    return common.fields.text(value, name, label, max_len=200 if short else 4000, required=name != "remarks")


# --- public view ----------------------------------------------------------------------------------

def disputed_ids(kind: str, ids) -> set[int]:
    """Which of these records have an open objection (one query; used to mark 异议中 on public pages)."""
    ids = [i for i in ids if i is not None]
    if not ids:
        return set()
    return set(Objection.objects.filter(target_kind=kind, target_id__in=ids, status=HandlingStatus.OPEN)
               .values_list("target_id", flat=True))


def for_subject(subject: Subject):
    return Objection.objects.filter(subject=subject).select_related("department").order_by("-filed_at")


def overdue_filter(today: date) -> Q:
    return Q(status=HandlingStatus.OPEN, deadline__lt=today)

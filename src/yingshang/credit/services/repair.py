"""Credit repair (信用修复): a subject asks to end a penalty's publication early, or to leave a black or
watch list, after correcting what it did wrong, with a written commitment and evidence.

Eligibility of a penalty follows the publication rule in force on its *decision date*
(`rules.penalty_repair_eligibility`: only after the minimum period, not once publication has ended).
Penalty repairs are decided by the credit office; list-entry repairs by whoever may designate on that
list (its designating department or the credit office) — `rules.REPAIR_HANDLERS`. Upheld: the penalty
leaves public view (`publication_ended_at`, which `publicity` respects) or the entry leaves the list
through `lists.do_remove(reason="repair")`. A repair is decided once (row lock + state: 409).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from yingshang.credit.choices import EntryStatus, HandlingStatus, ListKind, RemovalReason, TargetKind
from yingshang.credit.models import Repair, Subject
from yingshang.credit.rules import penalty_repair_eligibility
from yingshang.credit.services import common, handling, lists
from yingshang.kernel import access, clock
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from yingshang.kernel.services.audit import record as audit
from yingshang.kernel.services.numbering import next_number

REPAIRABLE = (TargetKind.PENALTY, TargetKind.LIST_ENTRY)


def snapshot(item: Repair) -> dict:
    return {"number": item.number, "target": f"{item.target_kind}:{item.target_id}", "status": item.status,
            "deadline": item.deadline, "department": item.department_id, "on_behalf": item.on_behalf,
            "eligibility_rule": item.eligibility_rule, "evidence": len(item.evidence)}


def eligibility(target: handling.Target, today=None):
    """(eligible, code, message, rule, eligible_after) of one record for repair today."""
    today = today or clock.today()
    record = target.record
    if target.kind == TargetKind.PENALTY:
        if record.publication_ended_at is not None:
            return False, "credit.repair_publication_over", "该处罚信息已停止公示，无需申请信用修复", "", None
        found = penalty_repair_eligibility(record.decision_date, record.severity, record.domain, today)
        return found.eligible, found.code, found.message, found.rule, found.repair_from
    if target.kind == TargetKind.LIST_ENTRY:
        if record.list_kind == ListKind.RED:
            return False, "credit.repair_red_list", "守信红名单无需信用修复", "", None
        if record.status != EntryStatus.ACTIVE:
            return False, "credit.entry_not_active", "该名单记录已移出，无需申请信用修复", "", None
        return True, "", "", f"list:{record.list_type.code}", None
    return False, "credit.repair_kind", "只有行政处罚信息和失信黑名单、重点关注名单可以申请信用修复", "", None


def do_file(user, *, target_kind: str, target_id, rectification: str, commitment_text: str, evidence=(),
            contact_phone: str = "", on_behalf_of: Subject | None = None) -> Repair:
    """Apply for repair of one of the subject's penalties or list entries (in the caller's transaction)."""
    subject, on_behalf = handling.filer_subject(user, on_behalf_of)
    rectification = common.fields.text(rectification, "rectification", "失信行为纠正情况", max_len=4000, required=True)
    commitment_text = common.fields.text(commitment_text, "commitment_text", "信用修复承诺", max_len=4000, required=True)
    contact_phone = common.fields.text(contact_phone, "contact_phone", "联系电话", max_len=20, required=False)
    if target_kind not in REPAIRABLE:
        raise InvalidInput("credit.repair_kind", "只有行政处罚信息和失信黑名单、重点关注名单可以申请信用修复",
                           details={"field": "target_kind"})
    target = handling.load_target(target_kind, target_id)
    handling.check_own_target(subject, target)
    today, now = clock.today(), clock.now()
    ok, code, message, rule, after = eligibility(target, today)
    if not ok:
        raise Conflict(code, message, details={"eligible_after": after})
    if Repair.objects.filter(target_kind=target.kind, target_id=target.record.pk, status=HandlingStatus.OPEN).exists():
        raise Conflict("credit.repair_open", "该信息已有正在办理的信用修复申请")
    files = handling.store_evidence(user, evidence)
    if not files:
        raise InvalidInput("credit.evidence_required", "请上传纠正失信行为的证明材料（如罚款缴纳凭证、整改报告）",
                           details={"field": "evidence"})
    deadline, deadline_rule = handling.deadline_for("repair", today)
    department = target.department
    if target.kind == TargetKind.LIST_ENTRY and target.record.list_type.designating_department_id:
        department = target.record.list_type.designating_department
    item = Repair(
        number=next_number("credit_repair", prefix="XF", date=today), subject=subject, target_kind=target.kind,
        target_id=target.record.pk, target_label=target.label, department=department,
        filed_by=user if getattr(user, "pk", None) else None, filed_by_name=handling.actor_name(user),
        on_behalf=on_behalf, contact_phone=contact_phone, evidence=files, filed_at=now, filed_on=today,
        deadline=deadline, deadline_rule=deadline_rule, rectification=rectification, commitment_text=commitment_text,
        eligibility_rule=rule, eligible_after=after)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        raise Conflict("credit.repair_open", "该信息已有正在办理的信用修复申请") from None
    audit("credit.repair.file", item, after=snapshot(item))
    return item


# --- who sees and who decides ---------------------------------------------------------------------

def queue(user):
    """Repairs a user decides: all for the credit office; a list's designators those of their list types."""
    qs = Repair.objects.select_related("subject", "department")
    if access.has_perm(user, handling.HANDLE_REPAIR):
        return qs
    if not access.has_perm(user, common.DESIGNATE):
        return qs.none()
    return qs.filter(target_kind=TargetKind.LIST_ENTRY, department__in=access.visible_departments(user))


def can_decide(user, item: Repair) -> bool:
    if item.target_kind == TargetKind.PENALTY:
        return access.has_perm(user, handling.HANDLE_REPAIR)
    return queue(user).filter(pk=item.pk).exists()


def _is_subject(user, item) -> bool:
    subject = handling.subject_of_user(user)
    return subject is not None and subject.pk == item.subject_id


def can_view(user, item: Repair) -> bool:
    return item.filed_by_id == getattr(user, "pk", None) or _is_subject(user, item) or can_decide(user, item)


def get_for(user, repair_id: int) -> Repair:
    item = Repair.objects.select_related("subject", "department").filter(pk=repair_id).first()
    if item is None or not can_view(user, item):
        raise NotFound("credit.repair_not_found", "信用修复申请不存在")
    return item


def do_decide(user, repair_id: int, *, outcome: str, note: str, row_version: int | None = None) -> Repair:
    """Uphold or reject an open repair, once: the repair row is locked first, then the record."""
    item = Repair.objects.select_for_update().filter(pk=repair_id).first()
    if item is None:
        raise NotFound("credit.repair_not_found", "信用修复申请不存在")
    if not can_decide(user, item):
        raise Forbidden("credit.repair_forbidden", "您无权办理该信用修复申请")
    if not item.is_open:
        raise Conflict("credit.repair_closed", "该信用修复申请已办结，不能重复处理",
                       details={"status": item.status, "decided_at": item.decided_at})
    if row_version is not None and int(row_version) != item.row_version:
        raise Conflict("credit.repair_changed", "该申请已被他人更新，请刷新后重试", details={"row_version": item.row_version})
    if outcome not in (HandlingStatus.UPHELD, HandlingStatus.REJECTED):
        raise InvalidInput("credit.outcome_invalid", "处理结果应为 upheld（准予修复）或 rejected（不予修复）",
                           details={"field": "outcome"})
    note = common.fields.text(note, "note", "处理意见", max_len=4000, required=True)
    before = snapshot(item)
    if outcome == HandlingStatus.UPHELD:
        _apply(user, item, note)
    item.status, item.decision_note = outcome, note
    item.decided_by = user if getattr(user, "pk", None) else None
    item.decided_by_name, item.decided_at = handling.actor_name(user), clock.now()
    item.row_version += 1
    item.save()
    audit("credit.repair.decide", item, before=before, after=snapshot(item), note=note[:500])
    label = "准予修复" if outcome == HandlingStatus.UPHELD else "不予修复"
    handling.notify_filer(item, f"您的信用修复申请{item.number}已办结", f"“{item.target_label}”：{label}。处理意见：{note}")
    return item


def _apply(user, item: Repair, note: str) -> None:
    target = handling.load_target(item.target_kind, item.target_id, lock=True)
    record = target.record
    if target.kind == TargetKind.LIST_ENTRY:
        if record.status == EntryStatus.ACTIVE:  # expired meanwhile: nothing left to remove
            lists.do_remove(user, record.pk, reason=RemovalReason.REPAIR, note=f"信用修复{item.number}：{note}")
        return
    if record.publication_ended_at is None:
        record.publication_ended_at = clock.now()
        record.publication_end_reason = f"信用修复（{item.number}）"
        record.save(update_fields=["publication_ended_at", "publication_end_reason"])
        audit("credit.record.repair", record, after={"repair": item.number, "document_no": record.document_no,
                                                      "publication_ended_at": record.publication_ended_at})


def for_subject(subject: Subject):
    return Repair.objects.filter(subject=subject).select_related("department").order_by("-filed_at")

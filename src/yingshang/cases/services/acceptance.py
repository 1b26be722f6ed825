"""Window acceptance (综合受理): accept, accept with pending materials (容缺受理), request corrections
(一次性告知), refuse, approve on commitment (告知承诺) — each with its written notice.

Any clerk in any hall may accept any item (同城通办): permission `cases.accept`, no department
scope. Acceptance runs the kernel's ACCEPTANCE_CHECKS (the credit check plugs in there); a blocking
hit needs an explicit, recorded decision (`override_reason`).
"""

from __future__ import annotations

import logging
from dataclasses import asdict

from django.conf import settings
from django.db import transaction

from yingshang.cases import rules
from yingshang.cases.choices import CommitmentKind, MaterialStatus
from yingshang.cases.models import Case, Commitment, PostVerification, SubmittedMaterial
from yingshang.cases.services import clock as case_clock
from yingshang.cases.services import common, notices, review
from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput
from yingshang.kernel.hooks import ACCEPTANCE_CHECKS, CheckHit
from yingshang.kernel.protect import id_digest
from yingshang.kernel.rules.identifiers import validate_resident_id
from yingshang.kernel.services.calendar import add_working_days, working_days_between
from yingshang.kernel.services.pdf import chinese_date

logger = logging.getLogger("yingshang.cases")
MAX_SUPPLEMENT_DAYS = 30
DEFAULT_VERIFICATION_DAYS = 20  # 告知承诺 post-verification: the city's choice, setting CASES_VERIFICATION_DAYS


# --- Acceptance checks (credit and others, through the kernel hook) --------------------------------
def verified_identifier(case: Case, id_number: str | None) -> str | None:
    """The identifier to check: an enterprise's USCC; a person's ID only when the clerk typed it from
    the card and it matches the digest stored at application (no raw ID is ever stored)."""
    if not case.is_person:
        return case.uscc or None
    if not id_number:
        return None
    check = validate_resident_id(str(id_number)[:40], today=clock.today())
    if not check.valid:
        raise InvalidInput("case.identifier_invalid", f"公民身份号码不正确：{check.reason}", details={"field": "id_number"})
    if id_digest(check.normalized) != case.identifier_digest:
        raise InvalidInput("case.identifier_mismatch", "录入的证件号码与申请时登记的不一致，请核对申请人证件",
                           details={"field": "id_number"})
    return check.normalized


def run_checks(case: Case, id_number: str | None = None) -> list[CheckHit]:
    """Every hit of the registered acceptance checks. A failing check is itself a blocking hit: the
    clerk must not accept believing the applicant was checked when the check did not run."""
    identifier = verified_identifier(case, id_number)
    if identifier is None:
        return [CheckHit("cases", "cases.identity_unverified",
                         "申请人为自然人，未录入证件号码核验身份，未进行信用核查；如需核查，请录入申请人的身份证件号码。")]
    scenario = "administrative_licensing" if case.item_version.item_type == "administrative_license" else "government_service"
    try:
        with transaction.atomic():  # a savepoint: a failing check's SQL error must not abort our transaction
            hits = ACCEPTANCE_CHECKS.run(identifier=identifier, name=case.applicant_name, item_code=case.item.code,
                                         scenario=scenario)
        if not all(isinstance(hit, CheckHit) for hit in hits):
            raise TypeError("an acceptance check returned something other than CheckHit")
    except Exception:
        logger.exception("acceptance checks failed for case %s", case.pk)
        return [CheckHit("cases", "cases.check_failed",
                         "信用等受理前核查暂时无法完成（核查服务出错）；如确需继续受理，请填写处理意见。", blocking=True)]
    return hits


def hit_dicts(hits: list[CheckHit]) -> list[dict]:
    return [asdict(hit) for hit in hits]


def _settle_checks(case: Case, hits: list[CheckHit], override_reason: str) -> str:
    """Refuse a blocking hit without a recorded decision; record what was seen and decided."""
    override_reason = common.fields.text(override_reason, "override_reason", "处理意见", required=False, max_len=500)
    blocking = [hit for hit in hits if hit.blocking]
    if blocking and not override_reason:
        raise InvalidInput("case.blocking_check", "受理前核查发现需要处理的情形：" + "；".join(h.message for h in blocking)
                           + "。如确需继续办理，请填写处理意见后再提交。", details={"hits": hit_dicts(hits)})
    if hits:
        lines = "；".join(f"{'【需处理】' if h.blocking else ''}{h.message}" for h in hits)
        decision = f"处理意见：{override_reason}" if blocking else "均为提示信息"
        common.event(case, "acceptance_checks", f"受理前核查：{lines}。{decision}", internal=True)
    return override_reason if blocking else ""


# --- Materials ----------------------------------------------------------------------------------
def _apply_materials(case: Case, statuses: dict[int, str] | None, allowed: set[str]) -> list[SubmittedMaterial]:
    rows = list(case.materials.all())
    statuses = dict(statuses or {})
    by_material = {row.material_id: row for row in rows}
    unknown = sorted(set(statuses) - set(by_material))
    if unknown:
        raise InvalidInput("case.material_unknown", "材料编号不属于该办件：" + "、".join(map(str, unknown)),
                           details={"material_ids": unknown, "field": "materials"})
    bad = sorted(pk for pk, status in statuses.items() if status not in allowed)
    if bad:
        raise InvalidInput("case.material_status", "材料状态无效，可选：" + "、".join(sorted(allowed)),
                           details={"material_ids": bad, "field": "materials"})
    now, changed = clock.now(), []
    for material_id, status in statuses.items():
        row = by_material[material_id]
        if row.status != status:
            row.status = status
            row.provided_at = now if status == MaterialStatus.PROVIDED else None
            changed.append(row)
    if changed:
        SubmittedMaterial.objects.bulk_update(changed, ["status", "provided_at"])
    return rows


def _missing_required(rows: list[SubmittedMaterial]) -> list[SubmittedMaterial]:
    return [r for r in rows if r.required and r.status == MaterialStatus.MISSING]


def _accept_common(user, case: Case, action: str, hits, override_reason: str, *, review_steps: bool = True
                   ) -> tuple[str, dict]:
    hall = user.department if user.department_id and user.department.kind == "hall" else None
    if hall is None:
        raise Forbidden("case.no_hall", "您的账号未归属政务服务大厅，不能受理办件")
    before = common.snapshot(case)
    override = _settle_checks(case, hits, override_reason)
    today = clock.today()
    case.status = rules.WORKFLOW.require(case, action)
    case.clerk, case.hall, case.accepted_at = user, hall, clock.now()
    case_clock.start(case, today)
    review.instantiate_steps(case, user, review_steps=review_steps)  # after the clock: steps copy the deadline
    return override, before


def do_accept(user, case_id: int, row_version: int | None, *, materials: dict[int, str] | None = None,
              override_reason: str = "", id_number: str | None = None) -> Case:
    """Accept: every required material provided; the case goes to the departments' inboxes."""
    common.check_perm(user, common.ACCEPT)
    case = common.lock(case_id, row_version)
    rules.WORKFLOW.require(case, rules.ACCEPT)
    rows = _apply_materials(case, materials, {MaterialStatus.PROVIDED, MaterialStatus.MISSING})
    missing = _missing_required(rows)
    if missing:
        raise InvalidInput("case.materials_incomplete", "以下必需材料未提交：" + "、".join(r.name for r in missing)
                           + "。请一次性告知补正；可容缺的材料可办理容缺受理。",
                           details={"material_ids": [r.material_id for r in missing]})
    hits = run_checks(case, id_number)
    override, before = _accept_common(user, case, rules.ACCEPT, hits, override_reason)
    notice = notices.acceptance(case)
    common.event(case, "accept", f"{case.hall.name}受理申请，承诺于{chinese_date(case.deadline)}前办结"
                 + ("（期限为临时推算）" if case.deadline_provisional else ""), notice=notice)
    common.finish(case, rules.ACCEPT, before, note=f"override: {override}" if override else "",
                  extra={"hits": [h.code for h in hits]})
    return case


def do_accept_with_pending(user, case_id: int, row_version: int | None, *, materials: dict[int, str],
                           supplement_days: int, commitment_text: str = "", override_reason: str = "",
                           id_number: str | None = None) -> Case:
    """容缺受理: accept although some pending-allowed materials are missing, against the applicant's
    signed commitment to supplement them within `supplement_days` working days; the case proceeds."""
    common.check_perm(user, common.ACCEPT)
    case = common.lock(case_id, row_version)
    rules.WORKFLOW.require(case, rules.ACCEPT_WITH_PENDING)
    rows = _apply_materials(case, materials, set(MaterialStatus.values))
    pending = [r for r in rows if r.status == MaterialStatus.PENDING]
    if not pending:
        raise InvalidInput("case.nothing_pending", "容缺受理须至少有一项材料标为容缺后补；材料齐全请直接受理",
                           details={"field": "materials"})
    not_allowed = [r for r in pending if not (r.required and r.pending_allowed)]
    if not_allowed:
        raise InvalidInput("case.pending_not_allowed", "以下材料不在容缺受理范围内，须当场提交："
                           + "、".join(r.name for r in not_allowed),
                           details={"material_ids": [r.material_id for r in not_allowed]})
    missing = _missing_required(rows)
    if missing:
        raise InvalidInput("case.materials_incomplete", "以下必需材料未提交且不可容缺：" + "、".join(r.name for r in missing),
                           details={"material_ids": [r.material_id for r in missing]})
    if type(supplement_days) is not int or not 1 <= supplement_days <= MAX_SUPPLEMENT_DAYS:
        raise InvalidInput("case.supplement_days", f"补齐期限应为 1 至 {MAX_SUPPLEMENT_DAYS} 个工作日",
                           details={"field": "supplement_days"})
    hits = run_checks(case, id_number)
    override, before = _accept_common(user, case, rules.ACCEPT_WITH_PENDING, hits, override_reason)
    today = clock.today()
    due = add_working_days(today, supplement_days).date
    if case.deadline and due > case.deadline:
        raise InvalidInput("case.supplement_after_deadline", f"补齐期限（{chinese_date(due)}）不能晚于办结期限"
                           f"（{chinese_date(case.deadline)}）", details={"field": "supplement_days"})
    names = [r.name for r in pending]
    text = common.fields.text(commitment_text, "commitment_text", "承诺内容", required=False) or (
        f"本人（单位）申请办理{case.item_name}，因{'、'.join(names)}暂缺，申请容缺受理，并承诺于{chinese_date(due)}前补齐上述材料，"
        "所提交的其他材料真实有效。如未按期补齐，同意终止办理，并愿意承担相应责任，相关情况记入信用记录。")
    commitment = Commitment.objects.create(case=case, kind=CommitmentKind.PENDING_MATERIALS, text=text,
                                           signed_by_name=case.applicant_name, signed_at=clock.now(),
                                           supplement_deadline=due)
    common.commitment_event(commitment, "made")
    notices.link(notices.commitment(case, commitment, names), commitment, "document")
    SubmittedMaterial.objects.filter(pk__in=[r.pk for r in pending]).update(commitment=commitment)
    notice = notices.acceptance(case, names, due)
    common.event(case, "accept_with_pending", f"{case.hall.name}容缺受理，{'、'.join(names)}须于{chinese_date(due)}前补齐；"
                 f"承诺于{chinese_date(case.deadline)}前办结", notice=notice)
    common.finish(case, rules.ACCEPT_WITH_PENDING, before, note=f"override: {override}" if override else "",
                  extra={"hits": [h.code for h in hits], "pending": names, "supplement_deadline": due})
    return case


# --- Correction, supplement, refusal -------------------------------------------------------------
def do_request_correction(user, case_id: int, row_version: int | None, *, items: list[tuple[int | None, str]]) -> Case:
    """一次性告知: one notice listing every item to correct (a material id, or None, with the problem).

    Art. 32 ¶1 (4): within 5 working days of receipt; later, the application counts as accepted on
    receipt, so a late request is refused and the clerk accepts instead.
    """
    common.check_perm(user, common.ACCEPT)
    case = common.lock(case_id, row_version)
    rules.WORKFLOW.require(case, rules.REQUEST_CORRECTION)
    if not items:
        raise InvalidInput("case.correction_items", "请列出需要补正的全部内容（一次性告知）", details={"field": "items"})
    waited = working_days_between(case.received_on, clock.today()).days if case.received_on else 0
    if rules.correction_notice_late(waited):
        raise Conflict("case.correction_notice_late",
                       f"收件已 {waited} 个工作日，超过行政许可法第三十二条规定的 {rules.CORRECTION_NOTICE_DAYS} 个工作日，"
                       "依法自收件之日起视为受理，不能再要求补正；请办理受理（办理期限自收件之日起计算）。",
                       details={"working_days": waited})
    by_material = {r.material_id: r for r in case.materials.all()}
    lines, flagged = [], []
    for material_id, problem in items:
        problem = common.fields.text(problem, "items", "补正内容", max_len=300)
        row = by_material.get(material_id) if material_id is not None else None
        if material_id is not None and row is None:
            raise InvalidInput("case.material_unknown", f"材料编号 {material_id} 不属于该办件", details={"field": "items"})
        if row is not None:
            row.status, row.provided_at, row.note = MaterialStatus.MISSING, None, problem
            flagged.append(row)
        lines.append((row.name if row else "", problem))
    SubmittedMaterial.objects.bulk_update(flagged, ["status", "provided_at", "note"])
    before = common.snapshot(case)
    case.status = rules.CORRECTION_REQUESTED
    case.corrections += 1
    notice = notices.correction(case, lines)
    common.event(case, "request_correction", f"一次性告知需补正 {len(lines)} 项内容：" + "；".join(
        f"{n}{'：' if n else ''}{p}" for n, p in lines), notice=notice)
    common.finish(case, rules.REQUEST_CORRECTION, before, extra={"items": len(lines)})
    return case


def do_supplement(user, case_id: int, row_version: int | None, *, material_ids: list[int], note: str = "") -> Case:
    """The applicant hands in corrected or pending (容缺) materials — at the window or online."""
    case = common.lock(case_id, row_version)
    after = rules.WORKFLOW.require(case, rules.SUPPLEMENT)
    if case.applicant_id != user.pk:
        common.check_perm(user, common.ACCEPT)
    note = common.fields.text(note, "note", "说明", required=False, max_len=500)
    rows = {r.material_id: r for r in case.materials.all()}
    ids = list(dict.fromkeys(material_ids or []))
    unknown = [i for i in ids if i not in rows]
    if not ids or unknown:
        raise InvalidInput("case.material_unknown", "请选择本办件中补交的材料", details={"material_ids": unknown})
    before, now = common.snapshot(case), clock.now()
    commitment = case.commitments.filter(kind=CommitmentKind.PENDING_MATERIALS, fulfilled_at__isnull=True,
                                         breached_at__isnull=True).first()
    if case.status != rules.CORRECTION_REQUESTED and commitment is None:
        raise Conflict("case.nothing_pending", "该办件没有待补齐的容缺材料")
    for i in ids:
        rows[i].status, rows[i].provided_at, rows[i].note = MaterialStatus.PROVIDED, now, ""
    SubmittedMaterial.objects.bulk_update([rows[i] for i in ids], ["status", "provided_at", "note"])
    names = "、".join(rows[i].name for i in ids)
    if case.status == rules.CORRECTION_REQUESTED:
        case.received_on = clock.today()  # Art. 32's five days run again from the corrected materials
        common.event(case, "supplement", f"补正材料已提交：{names}" + (f"（{note}）" if note else ""))
    else:
        still = [r.name for r in rows.values() if r.commitment_id == commitment.pk and r.status != MaterialStatus.PROVIDED]
        if not still:
            commitment.fulfilled_at = now
            commitment.save(update_fields=["fulfilled_at"])
            common.commitment_event(commitment, "fulfilled")
        tail = f"，尚缺：{'、'.join(still)}" if still else "，承诺已履行"
        common.event(case, "supplement", f"容缺材料已补交：{names}{tail}")
        if still:
            after = case.status  # accepted_pending stays until everything promised is in
    case.status = after
    common.finish(case, rules.SUPPLEMENT, before, extra={"materials": ids})
    return case


def do_refuse(user, case_id: int, row_version: int | None, *, reason: str, legal_basis: str) -> Case:
    """不予受理 with reasons and the legal basis (Art. 32 ¶1 (1)–(3)), in a written decision."""
    common.check_perm(user, common.ACCEPT)
    case = common.lock(case_id, row_version)
    before = common.snapshot(case)
    case.status = rules.WORKFLOW.require(case, rules.REFUSE)
    reason = common.fields.text(reason, "reason", "不予受理的理由", max_len=1000)
    legal_basis = common.fields.text(legal_basis, "legal_basis", "法律依据", max_len=1000)
    case.decision_reason, case.decision_basis = reason, legal_basis
    case.clerk = user
    case.closed_at = case.decided_at = clock.now()
    case.decided_on = clock.today()
    notice = notices.refusal(case, reason, legal_basis)
    common.event(case, "refuse", f"不予受理：{reason}（依据：{legal_basis}）", notice=notice)
    common.finish(case, rules.REFUSE, before)
    return case


# --- Notify-and-commit (告知承诺) ------------------------------------------------------------------
def do_commitment_approval(user, case_id: int, row_version: int | None, *, commitment_text: str = "",
                           override_reason: str = "", id_number: str | None = None) -> Case:
    """Approve on the applicant's written commitment and open a post-verification task."""
    common.check_perm(user, common.ACCEPT)
    case = common.lock(case_id, row_version)
    rules.WORKFLOW.require(case, rules.COMMITMENT_APPROVAL)
    if not case.item_version.notify_and_commit:
        raise Conflict("case.not_notify_and_commit", f"事项“{case.item_name}”未实行告知承诺制，不能凭承诺直接审批")
    hits = run_checks(case, id_number)
    override, before = _accept_common(user, case, rules.COMMITMENT_APPROVAL, hits, override_reason, review_steps=False)
    today = clock.today()
    text = common.fields.text(commitment_text, "commitment_text", "承诺内容", required=False) or (
        f"本人（单位）申请办理{case.item_name}，已知晓行政机关告知的全部条件和要求，承诺符合上述条件，所提交材料真实有效。"
        "如承诺不实，愿意承担相应法律责任，并同意行政机关撤销相关决定，相关情况记入信用记录。")
    commitment = Commitment.objects.create(case=case, kind=CommitmentKind.NOTIFY_AND_COMMIT, text=text,
                                           signed_by_name=case.applicant_name, signed_at=clock.now())
    common.commitment_event(commitment, "made")
    days = int(getattr(settings, "CASES_VERIFICATION_DAYS", DEFAULT_VERIFICATION_DAYS))
    due = add_working_days(today, days)
    PostVerification.objects.create(case=case, commitment=commitment, department=case.department, due_on=due.date,
                                    due_provisional=due.provisional)
    notice = notices.notify_commit(case, commitment, due.date)
    notices.link(notice, commitment, "document")
    case.decided_at = clock.now()
    case.decision_reason, case.decision_basis = "申请人书面承诺符合条件（告知承诺制）", case.item_version.legal_basis[:1000]
    case_clock.stop(case, today)
    common.event(case, "commitment_approval", f"依申请人书面承诺当场审批通过（告知承诺），将于{chinese_date(due.date)}前进行核查",
                 notice=notice)
    common.finish(case, rules.COMMITMENT_APPROVAL, before, note=f"override: {override}" if override else "",
                  extra={"hits": [h.code for h in hits], "verification_due": due.date})
    return case


"""Issuance (统一出件) and delivery (送达): the result of a decided case reaches the applicant.

Who does what (行政许可法 Art. 39, 44; seed 000 榆林 "前台综合受理、后台分类审批、统一窗口出件"):
* `do_issue` — the department makes the result: a reviewer or head of the owning department, or of
  the department of the item's `issue` step (统一出件 step), draws the licence number, renders the
  licence PDF (verification code + QR), puts the e-licence in the applicant's wallet and queues the
  准予行政许可决定书. The licence is the department's act (Art. 39), so a window clerk does not sign it.
* `do_deliver_pickup` — any window clerk of any hall hands it out (同城通办, 统一窗口出件), checking
  the collector's ID (stored masked only); `do_deliver_express` — a window clerk or the owning
  department sends it by express (seed 002: 快递免费送证). Delivery concludes the case. A denied case
  is delivered the same way: its result is the 不予许可决定书.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from yingshang.cases import rules
from yingshang.cases import rules_issuance as irules
from yingshang.cases.choices import ApplicantKind, StepStatus
from yingshang.cases.models import Case, Delivery, Issuance
from yingshang.cases.services import common, notices
from yingshang.kernel import access, clock
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput
from yingshang.kernel.protect import id_digest, mask
from yingshang.kernel.rules.identifiers import mask_resident_id, validate_resident_id
from yingshang.kernel.services.documents import do_issue_document, mask_person_name
from yingshang.kernel.services.numbering import next_number
from yingshang.kernel.services.pdf import chinese_date
from yingshang.kernel.services.sms import normalize_mobile
from yingshang.licences import services as licence_services

DELIVERABLE = (rules.ISSUED, rules.DENIED)
MAX_VALID_YEARS = 30


# --- Issuing ---------------------------------------------------------------------------------------
def issuing_departments(case: Case) -> set[int]:
    """The owning department and the departments of the case's issuance (统一出件) steps."""
    return {case.department_id, *case.steps.filter(step_kind="issue").values_list("department_id", flat=True)}


def may_issue(user, case: Case) -> bool:
    if not access.has_perm(user, common.DECIDE):
        return False
    return access.visible_departments(user).filter(pk__in=issuing_departments(case)).exists()


def _validity(case: Case, name: str, today: date, valid_until: date | None) -> date | None:
    if valid_until is None:
        rule = irules.validity_years(name, today)
        return irules.valid_until(today, rule.years) if rule else None
    if not isinstance(valid_until, date) or isinstance(valid_until, datetime):
        raise InvalidInput("case.valid_until_invalid", "有效期截止日期格式不正确", details={"field": "valid_until"})
    if valid_until < today:
        raise InvalidInput("case.valid_until_past", "有效期截止日期不能早于发证日期", details={"field": "valid_until"})
    if valid_until > irules.valid_until(today, MAX_VALID_YEARS):
        raise InvalidInput("case.valid_until_too_far", f"有效期不能超过 {MAX_VALID_YEARS} 年", details={"field": "valid_until"})
    return valid_until


def _licence_fields(case: Case, number: str, today: date, until: date | None) -> list[tuple[str, str]]:
    holder_label = "经营者名称" if case.applicant_kind == ApplicantKind.ENTERPRISE else "持证人"
    id_label = "统一社会信用代码" if case.uscc else "证件号码"
    return [("证照编号", number), (holder_label, case.applicant_name), (id_label, case.identifier_masked),
            ("许可事项", case.item_name), ("发证机关", case.department.name), ("发证日期", chinese_date(today)),
            ("有效期", f"{chinese_date(today)}至{chinese_date(until)}" if until else "长期"),
            ("办件编号", case.case_no)]


def _approval_notice(case: Case, name: str, number: str):
    """准予行政许可决定书 (Art. 38 ¶1, 39): queued; rendered after commit like the other notices."""
    body = [f"你（单位）于{chinese_date(case.received_on) if case.received_on else '近日'}提交的{case.item_name}申请，"
            f"本机关已依法受理。经审查，{case.decision_reason or '申请符合法定条件、标准'}。",
            f"依据{case.decision_basis or case.item_version.legal_basis or '有关法律、法规的规定'}，"
            "根据《中华人民共和国行政许可法》第三十八条第一款的规定，本机关决定准予行政许可。",
            f"本机关向你（单位）颁发{name}（编号 {number}），电子证照已同步归集至申请人的电子证照夹。"]
    return notices._issue(case, "case.approval", body=body, fields=notices._fields(
        case, ("决定日期", chinese_date(case.decided_on) if case.decided_on else ""), ("证照编号", number)))


def do_issue(user, case_id: int, row_version: int | None, *, valid_until: date | None = None,
             result_name: str = "") -> Issuance:
    """Issue the result of an approved case: number, licence PDF, e-licence, decision notice queued."""
    common.check_perm(user, common.DECIDE)
    case = common.lock(case_id, row_version)
    if not access.visible_departments(user).filter(pk__in=issuing_departments(case)).exists():
        raise Forbidden("case.not_your_department", "只有主办部门或出件环节所在部门可以制发证照")
    rules.WORKFLOW.require(case, rules.ISSUE)
    if not case.identifier_digest:
        raise Conflict("case.no_identifier", "办件缺少申请人证件信息，不能生成电子证照")
    name = common.fields.text(result_name, "result_name", "证照名称", required=False, max_len=200) \
        or case.item_version.result_name or f"{case.item_name}准予许可证明"
    today = clock.today()
    until = _validity(case, name, today, valid_until)
    before = common.snapshot(case)
    prefix = irules.licence_prefix(case.item.code)
    number = next_number(irules.licence_counter(prefix), prefix=prefix, date=today)
    document = do_issue_document(
        "case.licence", name, number=number, fields=_licence_fields(case, number, today, until),
        body=[f"{case.applicant_name}申请的{case.item_name}，经{case.department.name}审查，准予许可，特发此证。"],
        holder_name=case.applicant_name, holder_is_person=case.is_person, issuer=case.department, obj=case)
    elicense = licence_services.do_place_licence(
        holder_key=case.identifier_digest, holder_kind="person" if case.is_person else "enterprise",
        holder_name=case.applicant_name, holder_id_masked=case.identifier_masked, name=name, number=number,
        issuer=case.department, issued_on=today, valid_until=until, document=document,
        source_type="cases.case", source_ref=case.case_no)
    now = clock.now()
    issuance = Issuance.objects.create(
        case=case, result_name=name, number=number, valid_from=today, valid_until=until, issuer=case.department,
        issued_at=now, issued_by=user, issued_by_name=user.display_name[:100], licence_document=document,
        elicense_id=elicense.pk)
    case.steps.filter(step_kind="issue").exclude(status=StepStatus.APPROVED).update(
        status=StepStatus.APPROVED, decided_at=now, decided_by=user, decided_by_name=user.display_name[:100],
        reason=f"制发{name}（{number}）")
    case.status = rules.ISSUED
    notice = _approval_notice(case, name, number) if case.item_version.item_type == "administrative_license" else None
    notices.link(notice, issuance, "decision_document")
    validity = f"，有效期至{chinese_date(until)}" if until else ""
    row = common.event(case, "issue", f"已制发{name}（编号 {number}{validity}），电子证照已放入申请人的电子证照夹；"
                       "可到任一政务服务大厅领取，或由窗口快递送达", department_name=case.department.name)
    row.document = document  # the decision notice links to the issuance once rendered
    row.save(update_fields=["document"])
    common.finish(case, rules.ISSUE, before, extra={"licence_number": number, "result_name": name,
                                                    "valid_until": until.isoformat() if until else None})
    return issuance


# --- Delivery --------------------------------------------------------------------------------------
def _deliverable(case: Case) -> str:
    rules.WORKFLOW.require(case, rules.CONCLUDE)
    if case.status not in DELIVERABLE:
        raise Conflict("case.not_issued", "证照尚未制发，请先出件后再送达", details={"status": case.status})
    if Delivery.objects.filter(case=case).exists():
        raise Conflict("case.already_delivered", "该办件已登记送达")
    if case.status == rules.ISSUED:
        return Issuance.objects.filter(case=case).values_list("result_name", flat=True).first() or "办理结果"
    return "不予许可决定书"


def _conclude(case: Case, before: dict, text: str, delivery: Delivery) -> None:
    case.status = rules.CONCLUDED
    case.closed_at = clock.now()
    common.event(case, "deliver", text)
    common.finish(case, rules.CONCLUDE, before, extra={"delivery": delivery.method})


def _collector_id(raw: str, case: Case) -> tuple[str, bool]:
    """The collector's ID as checked at the window → (masked form, whether they are an agent)."""
    value = (raw or "").strip() if isinstance(raw, str) else ""
    if not value:
        raise InvalidInput("case.id_number_required", "请录入领取人的身份证件号码（核验证件后登记）",
                           details={"field": "id_number"})
    check = validate_resident_id(value, today=clock.today())
    if check.valid:
        normalized, masked = check.normalized, mask_resident_id(check.normalized)
    elif value.isascii() and value.isalnum() and 6 <= len(value) <= 30 and not value[:6].isdigit():
        normalized, masked = value.upper(), mask(value.upper())  # passport and other travel documents
    else:
        reason = check.reason if value[:6].isdigit() else "证件号码格式不正确"
        raise InvalidInput("case.id_number_invalid", f"领取人证件号码不正确：{reason}", details={"field": "id_number"})
    agent = not (case.is_person and id_digest(normalized) == case.identifier_digest)
    return masked, agent


def do_deliver_pickup(user, case_id: int, row_version: int | None, *, picked_up_by: str, id_number: str) -> Delivery:
    """Pickup at the window of any hall (同城通办): the clerk checks the collector's ID; the case is concluded."""
    common.check_perm(user, common.ACCEPT)
    hall = user.department if user.department_id and user.department.kind == "hall" else None
    if hall is None:
        raise Forbidden("case.no_hall", "您的账号未归属政务服务大厅，不能办理窗口领取")
    case = common.lock(case_id, row_version)
    result = _deliverable(case)
    name = common.fields.text(picked_up_by, "picked_up_by", "领取人姓名", max_len=100)
    masked, agent = _collector_id(id_number, case)
    before = common.snapshot(case)
    now = clock.now()
    delivery = Delivery.objects.create(
        case=case, method=Delivery.Method.PICKUP, recorded_at=now, recorded_by=user,
        recorded_by_name=user.display_name[:100], hall=hall, picked_up_by=name, picked_up_id_masked=masked,
        by_agent=agent, picked_up_at=now)
    who = f"{mask_person_name(name)}（{'受托人' if agent else '本人'}，证件已核验）"
    _conclude(case, before, f"已在{hall.name}领取{result}，领取人：{who}；办件办结", delivery)
    return delivery


def _sent_at(value) -> datetime:
    now = clock.now()
    if value in (None, ""):
        return now
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, datetime.min.time())
    if not isinstance(value, datetime):
        raise InvalidInput("case.sent_at_invalid", "寄出时间格式不正确", details={"field": "sent_at"})
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now + timedelta(minutes=5):
        raise InvalidInput("case.sent_at_future", "寄出时间不能晚于当前时间", details={"field": "sent_at"})
    if value < now - timedelta(days=30):
        raise InvalidInput("case.sent_at_too_old", "寄出时间不能早于 30 天前", details={"field": "sent_at"})
    return value


def do_deliver_express(user, case_id: int, row_version: int | None, *, carrier: str, tracking_no: str,
                       recipient: str, phone: str, address: str, sent_at=None) -> Delivery:
    """Express delivery (快递送达): carrier and tracking number checked by shape; the case is concluded."""
    case = common.lock(case_id, row_version)
    clerk = access.has_perm(user, common.ACCEPT)
    if not clerk and not (access.has_perm(user, common.DECIDE) and common.in_scope(user, case.department_id)):
        raise Forbidden("case.forbidden", "只有窗口工作人员或主办部门可以登记快递送达")
    result = _deliverable(case)
    carrier = carrier if isinstance(carrier, str) else ""
    problem = irules.tracking_problem(carrier, tracking_no if isinstance(tracking_no, str) else "")
    if problem:
        field = "carrier" if carrier not in irules.CARRIERS else "tracking_no"
        raise InvalidInput(f"case.{field}_invalid", problem, details={"field": field})
    number = irules.normalize_tracking(tracking_no)
    recipient = common.fields.text(recipient, "recipient", "收件人", max_len=100)
    address = common.fields.text(address, "address", "收件地址", max_len=300)
    mobile = normalize_mobile(phone or "") if isinstance(phone, str) else None
    if not mobile:
        raise InvalidInput("case.phone_invalid", "请填写正确的收件人手机号码", details={"field": "phone"})
    when = _sent_at(sent_at)
    if Delivery.objects.filter(method=Delivery.Method.EXPRESS, carrier=carrier, tracking_no=number).exists():
        raise Conflict("case.tracking_used", "该运单号已用于其他办件，请核对", details={"field": "tracking_no"})
    before = common.snapshot(case)
    delivery = Delivery.objects.create(
        case=case, method=Delivery.Method.EXPRESS, recorded_at=clock.now(), recorded_by=user,
        recorded_by_name=user.display_name[:100], carrier=carrier, tracking_no=number, recipient=recipient,
        recipient_phone=mobile, address=address, sent_at=when)
    _conclude(case, before, f"{result}已由{irules.CARRIERS[carrier]}寄出，运单号 {number}"
              f"（{timezone.localtime(when):%Y-%m-%d %H:%M}）；办件办结", delivery)
    return delivery


# --- Reading (pages and API) -----------------------------------------------------------------------
def state(case: Case, *, staff: bool) -> dict:
    """Issuance and delivery of a case as its applicant or staff see it (the address and the
    collector's masked ID only for staff and the applicant's own account)."""
    iss = Issuance.objects.select_related("licence_document", "decision_document").filter(case=case).first()
    dlv = Delivery.objects.select_related("hall").filter(case=case).first()
    out = {"case_no": case.case_no, "status": case.status, "row_version": case.row_version,
           "status_label": rules.STATUS_LABELS.get(case.status, case.status), "issuance": None, "delivery": None}
    if iss is not None:
        out["issuance"] = {
            "result_name": iss.result_name, "number": iss.number, "valid_from": iss.valid_from, "valid_until": iss.valid_until,
            "issuer": iss.issuer.name if iss.issuer_id else "", "issued_at": iss.issued_at, "elicense_id": iss.elicense_id,
            "verification_code": iss.licence_document.verification_code,
            "decision_verification_code": iss.decision_document.verification_code if iss.decision_document_id else None}
    if dlv is not None:
        out["delivery"] = {
            "method": dlv.method, "method_label": str(dlv.get_method_display()), "recorded_at": dlv.recorded_at,
            "hall": dlv.hall.name if dlv.hall_id else "", "picked_up_by": dlv.picked_up_by if staff else
            mask_person_name(dlv.picked_up_by), "picked_up_id_masked": dlv.picked_up_id_masked if staff else "",
            "by_agent": dlv.by_agent, "picked_up_at": dlv.picked_up_at, "carrier": dlv.carrier,
            "carrier_label": irules.CARRIERS.get(dlv.carrier, ""), "tracking_no": dlv.tracking_no,
            "recipient": dlv.recipient, "address": dlv.address, "sent_at": dlv.sent_at}
    return out


def rating_of(case: Case):
    """The applicant's rating of the case, if any: the reverse one-to-one the supervision app adds to Case
    (read-only; rating itself goes through supervision's pages and services)."""
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return case.rating
    except (AttributeError, ObjectDoesNotExist):
        return None

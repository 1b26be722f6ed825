"""Applications: a window clerk records one for an applicant at the counter, or an applicant saves and
submits their own online (form data and materials on the draft: `services/online.py`).

Submission draws the case number ("SL" + year + 6 digits) in the same transaction, so numbers stay
contiguous (kernel numbering).
"""

from __future__ import annotations

from dataclasses import dataclass

from yingshang.cases import rules
from yingshang.cases.choices import ApplicantKind, Channel, MaterialStatus
from yingshang.cases.models import Case, SubmittedMaterial
from yingshang.cases.services import common
from yingshang.catalog.models import ServiceItem
from yingshang.catalog.services import version_in_force
from yingshang.kernel import access, clock
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from yingshang.kernel.protect import canonical, id_digest
from yingshang.kernel.rules.identifiers import mask, mask_resident_id, validate_resident_id, validate_uscc
from yingshang.kernel.services.numbering import next_number
from yingshang.kernel.services.sms import normalize_mobile

CASE_NUMBER_KIND, CASE_NUMBER_PREFIX = "case", "SL"
ONLINE_CHANNELS = {"online", "mobile"}
RESIDENT_ID, USCC, OTHER_ID = "resident_id", "uscc", "other"


@dataclass(frozen=True)
class ApplicantData:
    """Who applies, as typed at the window (an online applicant's data comes from their account)."""

    kind: str  # person | enterprise
    name: str
    identifier: str = ""
    identifier_kind: str = ""  # resident_id | uscc | other (passport and the like); default by kind
    phone: str = ""


def _protected_identifier(data: ApplicantData) -> dict:
    """Validate the identifier and return the stored forms (digest, mask, last 4; USCC in full)."""
    kind = data.identifier_kind or (USCC if data.kind == ApplicantKind.ENTERPRISE else RESIDENT_ID)
    raw = (data.identifier or "").strip()
    if not raw:
        raise InvalidInput("case.identifier_required", "请填写申请人的证件号码", details={"field": "identifier"})
    if data.kind == ApplicantKind.ENTERPRISE and kind != USCC:
        raise InvalidInput("case.identifier_kind", "法人或其他组织须填写统一社会信用代码", details={"field": "identifier_kind"})
    if kind == RESIDENT_ID:
        check = validate_resident_id(raw, today=clock.today())
        if not check.valid:
            raise InvalidInput("case.identifier_invalid", f"公民身份号码不正确：{check.reason}", details={"field": "identifier"})
        value = check.normalized
        return {"identifier_kind": kind, "identifier_digest": id_digest(value), "identifier_masked": mask_resident_id(value),
                "identifier_last4": value[-4:], "uscc": ""}
    if kind == USCC:
        check = validate_uscc(raw)
        if not check.valid:
            raise InvalidInput("case.identifier_invalid", f"统一社会信用代码不正确：{check.reason}",
                               details={"field": "identifier"})
        value = check.normalized
        return {"identifier_kind": kind, "identifier_digest": id_digest(value), "identifier_masked": value,
                "identifier_last4": value[-4:], "uscc": value}
    if kind != OTHER_ID:
        raise InvalidInput("case.identifier_kind", "证件类型应为 resident_id（居民身份证）、uscc 或 other（其他证件）",
                           details={"field": "identifier_kind"})
    value = canonical(raw)
    if not (4 <= len(value) <= 30 and value.isascii() and value.isalnum()):
        raise InvalidInput("case.identifier_invalid", "其他证件号码应为 4–30 位字母或数字", details={"field": "identifier"})
    return {"identifier_kind": kind, "identifier_digest": id_digest(value), "identifier_masked": mask(value),
            "identifier_last4": value[-4:], "uscc": ""}


def _applicant_fields(data: ApplicantData) -> dict:
    if data.kind not in ApplicantKind.values:
        raise InvalidInput("case.applicant_kind", "申请人类型应为 person（自然人）或 enterprise（法人或其他组织）",
                           details={"field": "applicant.kind"})
    name = common.fields.text(data.name, "applicant_name", "申请人名称", max_len=200)
    phone = ""
    if data.phone:
        phone = normalize_mobile(data.phone) or ""
        if not phone:
            raise InvalidInput("case.phone_invalid", "联系电话应为 11 位手机号码", details={"field": "applicant.phone"})
    return {"applicant_kind": data.kind, "applicant_name": name, "phone": phone, **_protected_identifier(data)}


def _account_applicant(user) -> dict:
    """An online applicant applies as the person or enterprise of their own account."""
    if access.has_role(user, access.ENTERPRISE):
        if not user.uscc or not user.organization_name:
            raise Conflict("case.account_incomplete", "您的账号未登记单位名称和统一社会信用代码，不能以单位名义申报")
        return {"applicant_kind": ApplicantKind.ENTERPRISE, "applicant_name": user.organization_name,
                "identifier_kind": USCC, "identifier_digest": id_digest(user.uscc), "identifier_masked": user.uscc,
                "identifier_last4": user.uscc[-4:], "uscc": user.uscc, "phone": normalize_mobile(user.phone) or ""}
    if not user.id_number_digest:
        raise Conflict("case.account_incomplete", "您的账号未完成实名认证（缺少身份证件），不能网上申报")
    return {"applicant_kind": ApplicantKind.PERSON, "applicant_name": user.display_name, "identifier_kind": RESIDENT_ID,
            "identifier_digest": user.id_number_digest, "identifier_masked": user.id_number_masked,
            "identifier_last4": user.id_number_masked[-4:], "uscc": "", "phone": normalize_mobile(user.phone) or ""}


def _material_statuses(version, statuses: dict[int, str] | None) -> list[SubmittedMaterial]:
    materials = list(version.materials.order_by("sort_order", "id"))
    statuses = dict(statuses or {})
    known = {m.pk for m in materials}
    unknown = sorted(set(statuses) - known)
    if unknown:
        raise InvalidInput("case.material_unknown", "材料编号不属于该事项：" + "、".join(map(str, unknown)),
                           details={"material_ids": unknown, "field": "materials"})
    allowed = {MaterialStatus.PROVIDED, MaterialStatus.MISSING}
    bad = sorted(pk for pk, status in statuses.items() if status not in allowed)
    if bad:
        raise InvalidInput("case.material_status", "申报时材料状态只能为 provided（已提交）或 missing（未提交）",
                           details={"material_ids": bad, "field": "materials"})
    now = clock.now()
    rows = []
    for m in materials:
        status = statuses.get(m.pk, MaterialStatus.MISSING)
        rows.append(SubmittedMaterial(material=m, name=m.name, required=m.required, pending_allowed=m.pending_allowed,
                                      sort_order=m.sort_order, status=status,
                                      provided_at=now if status == MaterialStatus.PROVIDED else None))
    return rows


def do_create_application(user, item_code: str, *, applicant: ApplicantData | None = None,
                          materials: dict[int, str] | None = None, submit: bool = True) -> Case:
    """A window clerk's application for an applicant (submitted at once), or an applicant's own online
    application (a draft unless `submit`). The item's version in force today is kept by the case."""
    as_clerk = access.has_perm(user, common.ACCEPT)
    if not as_clerk:
        common.check_perm(user, common.APPLY)
    item = ServiceItem.objects.select_related("department").filter(code=str(item_code or "").strip().upper()[:64]).first()
    if item is None:
        raise NotFound("case.item_not_found", f"没有编码为“{item_code}”的事项")
    version = version_in_force(item, clock.today())
    if version is None:
        raise Conflict("case.item_not_in_force", f"事项“{item.code}”当前没有有效的版本（尚未发布或已废止），不能申报")
    if as_clerk:
        if applicant is None:
            raise InvalidInput("case.applicant_required", "请填写申请人信息", details={"field": "applicant"})
        fields = _applicant_fields(applicant) | {"channel": Channel.WINDOW}
        hall = user.department if user.department_id and user.department.kind == "hall" else None
        fields |= {"hall": hall}
    else:
        if not ONLINE_CHANNELS & set(version.channels or []):
            raise Conflict("case.online_not_offered", f"事项“{version.name}”不支持网上申报，请到政务服务大厅办理")
        fields = _account_applicant(user) | {"channel": Channel.ONLINE, "applicant": user}
    rows = _material_statuses(version, materials)
    case = Case.objects.create(item=item, item_version=version, item_name=version.name, kind=version.kind,
                               department=item.department, status=rules.DRAFT, created_at=clock.now(), **fields)
    for row in rows:
        row.case = case
    SubmittedMaterial.objects.bulk_create(rows)
    common.record_created(case)
    if submit:
        if not as_clerk:
            check_complete(rows)  # the window's checklist is the clerk's; online, the same rule as do_submit
        _submit(case)
    return case


def check_own_draft(user, case: Case) -> None:
    if case.applicant_id != user.pk and not access.has_perm(user, common.ACCEPT):
        raise Forbidden("case.not_yours", "只能提交或撤回本人的申请")


def _submit(case: Case) -> None:
    before = common.snapshot(case)
    case.status = rules.WORKFLOW.require(case, rules.SUBMIT)
    today = clock.today()
    case.case_no = next_number(CASE_NUMBER_KIND, prefix=CASE_NUMBER_PREFIX, date=today)
    case.submitted_at, case.received_on = clock.now(), today
    channel = "窗口收件" if case.channel == Channel.WINDOW else "网上申报"
    common.event(case, "submit", f"{channel}：提交{case.item_name}申请，办件编号 {case.case_no}")
    common.finish(case, rules.SUBMIT, before)


def missing_required(materials) -> list[SubmittedMaterial]:
    """Required materials not provided; a material the catalog allows to be pending (容缺) may be left
    for the window to decide on."""
    return [m for m in materials if m.required and not m.pending_allowed and m.status != MaterialStatus.PROVIDED]


def do_submit(user, case_id: int, row_version: int | None) -> Case:
    """Submit a draft: every required material provided (file, library or e-licence), except those the
    item allows to be pending; otherwise one refusal listing everything missing."""
    case = common.lock(case_id, row_version)
    check_own_draft(user, case)
    rules.WORKFLOW.require(case, rules.SUBMIT)
    check_complete(list(case.materials.all()))
    _submit(case)
    return case


def check_complete(materials: list[SubmittedMaterial]) -> None:
    if not any(m.status == MaterialStatus.PROVIDED for m in materials):
        raise InvalidInput("case.no_materials", "请至少提交一项申请材料后再提交申请")
    missing = missing_required(materials)
    if missing:
        raise InvalidInput("case.materials_missing", "以下必需材料尚未提供（上传文件、从材料库选取或使用电子证照）："
                           + "、".join(m.name for m in missing),
                           details={"material_ids": [m.material_id for m in missing], "names": [m.name for m in missing]})

"""The expert database (专家库): registration (by the expert or the centre) checked against the identity and
social-security records, edits, status, avoidance relations and sanctions. Every change is audited with
masked identifiers only; the ID number itself is never stored."""

from __future__ import annotations

from yingshang.kernel import access, clock
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from yingshang.kernel.protect import id_digest, mask_resident_id
from yingshang.kernel.rules import divisions
from yingshang.kernel.rules.identifiers import validate_resident_id
from yingshang.kernel.rules.workflow import Workflow
from yingshang.kernel.services import workflow
from yingshang.kernel.services.audit import record
from yingshang.kernel.services.sms import normalize_mobile
from yingshang.trading import rules_experts as rx
from yingshang.trading import specialty_data, verification
from yingshang.trading.models import Expert, ExpertRelation, ExpertSanction, Specialty
from yingshang.trading.services import common
from yingshang.trading.services.projects import _uscc

fields = common.fields
# Only for lock(): its noun and not-found code (an expert's status is not a state machine of its own).
EXPERT_ROWS = Workflow(prefix="trading", noun="评标专家", states=rx.EXPERT_STATUSES, actions={}, transitions={},
                       field="status", not_found="trading.expert_not_found")


def ensure_specialties(model=Specialty) -> int:
    """Create the seeded classification's missing codes (rows edited in the admin are left alone)."""
    existing = dict(model.objects.values_list("code", "pk"))
    made = 0
    for code, name in specialty_data.SPECIALTIES:
        if code in existing:
            continue
        parent = specialty_data.parent_code(code)
        existing[code] = model.objects.create(code=code, name=name, parent_id=existing.get(parent)).pk
        made += 1
    return made


def snapshot(expert: Expert) -> dict:
    return {"name": expert.name, "id_masked": expert.id_masked, "phone": expert.phone_masked,
            "employer_name": expert.employer_name, "employer_uscc": expert.employer_uscc, "region": expert.region,
            "title": expert.title, "qualification": expert.qualification, "status": expert.status,
            "verification": expert.verification, "suspended_until": str(expert.suspended_until or ""),
            "specialties": sorted(expert.specialties.values_list("code", flat=True)) if expert.pk else [],
            "row_version": expert.row_version}


def _specialties(codes) -> list[Specialty]:
    if isinstance(codes, str):
        codes = [c for c in codes.replace("，", ",").replace(" ", ",").split(",") if c]
    if not isinstance(codes, list | tuple) or not codes or not all(isinstance(c, str) for c in codes):
        raise InvalidInput("trading.specialties_required", "请选择至少一个评标专业", details={"field": "specialties"})
    found = list(Specialty.objects.filter(code__in=codes, active=True))
    missing = sorted(set(codes) - {s.code for s in found})
    if missing:
        raise InvalidInput("trading.specialties_invalid", f"评标专业不存在或已停用：{'、'.join(missing)}",
                           details={"field": "specialties", "codes": missing})
    return found


def _region(code) -> str:
    code = fields.text(code, "region", "所在地区", max_len=6)
    if not (code.isascii() and code.isdigit() and len(code) == 6 and divisions.exists(code)):
        raise InvalidInput("trading.region_invalid", "所在地区须为有效的6位行政区划代码", details={"field": "region"})
    return code


def _phone(value) -> str:
    phone = normalize_mobile(fields.text(value, "phone", "手机号", max_len=20))
    if phone is None:
        raise InvalidInput("trading.phone_invalid", "手机号须为11位中国大陆手机号码", details={"field": "phone"})
    return phone


def _profile(data: dict) -> dict:
    """The editable fields, checked."""
    return {"name": fields.text(data.get("name"), "name", "姓名", max_len=50),
            "phone": _phone(data.get("phone")),
            "employer_name": fields.text(data.get("employer_name"), "employer_name", "工作单位", max_len=200),
            "employer_uscc": _uscc(data.get("employer_uscc"), "employer_uscc", "工作单位统一社会信用代码"),
            "region": _region(data.get("region")),
            "title": fields.text(data.get("title"), "title", "职称", required=False, max_len=60),
            "qualification": fields.text(data.get("qualification"), "qualification", "执业资格", required=False,
                                         max_len=100)}


def _id_number(value) -> str:
    text = fields.text(value, "id_number", "公民身份号码", max_len=30)
    check = validate_resident_id(text, today=clock.today())
    if not check.valid:
        raise InvalidInput("trading.id_number_invalid", f"公民身份号码不正确：{check.reason}",
                           details={"field": "id_number", "errors": [e.as_dict() for e in check.errors]})
    return check.normalized


def _verify(expert: Expert, id_number: str) -> None:
    result = verification.get_verifier().verify(name=expert.name, id_number=id_number,
                                                employer_uscc=expert.employer_uscc)
    if not result.identity_ok:
        raise Conflict("trading.expert_identity_mismatch", f"身份核验未通过：{result.reason}",
                       details={"field": "id_number"})
    expert.verification = rx.VERIFIED if result.ok else rx.FLAGGED
    expert.verification_note = result.reason[:300]
    expert.verified_at = clock.now()


def do_register(user, data: dict, *, by_self: bool = False) -> Expert:
    """Register an expert: by the centre, or by the expert for their own account (`by_self`)."""
    common.check_perm(user, common.EXPERT_SELF if by_self else common.EXPERTS)
    if by_self and Expert.objects.filter(user=user).exists():
        raise Conflict("trading.expert_exists", "您已登记为评标专家")
    values = _profile(data)
    id_number = _id_number(data.get("id_number"))
    digest = id_digest(id_number)
    if Expert.objects.filter(id_digest=digest).exists():
        raise Conflict("trading.expert_duplicate", "该公民身份号码已在专家库中", details={"field": "id_number"})
    specialties = _specialties(data.get("specialties"))
    now = clock.now()
    expert = Expert(**values, id_digest=digest, id_masked=mask_resident_id(id_number), created_at=now,
                    updated_at=now, user=user if by_self else None, registered_by_self=by_self)
    _verify(expert, id_number)
    expert.save()
    expert.specialties.set(specialties)
    record("trading.expert.register", expert, after=snapshot(expert), note=expert.verification_note)
    return expert


def _lock(expert_id, row_version) -> Expert:
    return workflow.lock(Expert, expert_id, row_version, EXPERT_ROWS)


def do_update(user, expert_id, row_version: int | None, data: dict) -> Expert:
    """The centre edits an expert (or an expert their own profile); a new employer is checked again."""
    expert = _lock(expert_id, row_version)
    _check_own_or_centre(user, expert)
    before = snapshot(expert)
    values = _profile(data)
    employer_changed = values["employer_uscc"] != expert.employer_uscc
    for key, value in values.items():
        setattr(expert, key, value)
    if employer_changed or data.get("id_number"):
        number = _id_number(data.get("id_number"))  # the check needs the number: the form asks again
        if id_digest(number) != expert.id_digest:
            raise InvalidInput("trading.id_number_mismatch", "公民身份号码与登记的不一致（身份证号不能修改）",
                               details={"field": "id_number"})
        _verify(expert, number)
    expert.updated_at = clock.now()
    if "specialties" in data:
        expert.specialties.set(_specialties(data.get("specialties")))
    workflow.finish(expert, "update", before, snapshot=snapshot)
    return expert


def _check_own_or_centre(user, expert: Expert) -> None:
    if access.has_perm(user, common.EXPERTS):
        return
    if access.has_perm(user, common.EXPERT_SELF) and expert.user_id == user.pk:
        return
    raise Forbidden("trading.forbidden", "只有交易中心或专家本人可以修改专家信息")


def do_set_status(user, expert_id, row_version: int | None, status: str, note: str = "") -> Expert:
    """The centre pauses, restores or removes an expert (出库); a verified-flag is cleared with `verified`."""
    common.check_perm(user, common.EXPERTS)
    expert = _lock(expert_id, row_version)
    status = fields.choice(status, "status", "状态", rx.EXPERT_STATUSES)
    note = fields.text(note, "note", "说明", max_len=300)
    before = snapshot(expert)
    expert.status, expert.active, expert.updated_at = status, status != rx.REMOVED, clock.now()
    workflow.finish(expert, "set_status", before, snapshot=snapshot, note=note)
    return expert


def do_clear_flag(user, expert_id, row_version: int | None, note: str) -> Expert:
    """The centre checked a flagged registration by hand (e.g. the employer's letter) and clears it."""
    common.check_perm(user, common.EXPERTS)
    expert = _lock(expert_id, row_version)
    note = fields.text(note, "note", "人工核验说明", max_len=300)
    before = snapshot(expert)
    expert.verification, expert.verification_note, expert.verified_at = rx.VERIFIED, note, clock.now()
    workflow.finish(expert, "verify", before, snapshot=snapshot, note=note)
    return expert


def do_sanction(user, expert_id, data: dict) -> ExpertSanction:
    """Record a sanction; the expert is out of every draw until its end (removal: for good)."""
    common.check_perm(user, common.EXPERTS)
    expert = _lock(expert_id, None)
    kind = fields.choice(data.get("kind"), "kind", "处理类型", rx.SANCTION_KINDS)
    reason = fields.text(data.get("reason"), "reason", "事由", max_len=500)
    document_no = fields.text(data.get("document_no"), "document_no", "处理决定文号", max_len=100)
    starts_on = fields.day(data.get("starts_on") or clock.today().isoformat(), "starts_on", "起始日期")
    ends_on = rx.sanction_end(kind, starts_on)
    before = snapshot(expert)
    sanction = ExpertSanction.objects.create(expert=expert, kind=kind, reason=reason, document_no=document_no,
                                             starts_on=starts_on, ends_on=ends_on, created_by=user,
                                             created_at=clock.now())
    if kind == rx.REMOVE:
        expert.status, expert.active = rx.REMOVED, False
    elif expert.suspended_until is None or ends_on > expert.suspended_until:
        expert.suspended_until = ends_on
    expert.updated_at = clock.now()
    workflow.finish(expert, "sanction", before, snapshot=snapshot, note=f"{document_no} {reason}"[:500],
                    extra={"sanction": sanction.pk, "kind": kind, "ends_on": str(ends_on or "")})
    return sanction


def do_add_relation(user, expert_id, data: dict) -> ExpertRelation:
    """An employment or declared interest (回避关系), by the centre or the expert."""
    expert = _lock(expert_id, None)
    _check_own_or_centre(user, expert)
    kind = fields.choice(data.get("kind"), "kind", "关系类型", rx.RELATION_KINDS)
    uscc = _uscc(data.get("uscc"), "uscc", "单位统一社会信用代码")
    name = fields.text(data.get("name"), "relation_name", "单位名称", max_len=200)
    ended_on = fields.day(data.get("ended_on"), "ended_on", "截止日期", required=False)
    relation = ExpertRelation.objects.create(expert=expert, kind=kind, uscc=uscc, name=name, ended_on=ended_on,
                                             created_at=clock.now())
    record("trading.expertrelation.create", relation, after={"expert": expert.pk, "kind": kind, "uscc": uscc,
                                                             "name": name, "ended_on": str(ended_on or "")})
    return relation


# --- Reading ----------------------------------------------------------------------------------------------
def experts_for(user, *, q: str = "", specialty: str = "", status: str = "", region: str = ""):
    """The centre's list with filters (name, employer or masked ID fragment; specialty subtree; status; region)."""
    common.check_perm(user, common.EXPERTS)
    queryset = Expert.objects.all()
    if q:
        from django.db.models import Q

        queryset = queryset.filter(Q(name__contains=q) | Q(employer_name__contains=q) | Q(employer_uscc=q))
    if specialty:
        from django.db.models import Exists, OuterRef

        queryset = queryset.filter(Exists(Expert.specialties.through.objects.filter(
            expert_id=OuterRef("pk"), specialty__code__startswith=specialty)))
    if status in rx.EXPERT_STATUSES:
        queryset = queryset.filter(status=status)
    if region:
        queryset = queryset.filter(region=region)
    return queryset.prefetch_related("specialties").order_by("-pk")


def expert(user, pk) -> Expert:
    found = Expert.objects.filter(pk=pk).prefetch_related("specialties").first() if type(pk) is int else None
    if found is None or not (access.has_perm(user, common.EXPERTS) or (found.user_id and found.user_id == user.pk)):
        raise NotFound("trading.expert_not_found", "评标专家不存在或不在您的查看范围内")
    return found


def my_expert(user) -> Expert | None:
    common.check_perm(user, common.EXPERT_SELF)
    return Expert.objects.filter(user=user).prefetch_related("specialties").first()

"""Creating a tender project with its lots (the tenderer's or agency's registration form)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from yingshang.kernel import access, clock
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput
from yingshang.kernel.models import Department
from yingshang.kernel.rules import divisions
from yingshang.kernel.rules.identifiers import validate_uscc
from yingshang.kernel.services import workflow
from yingshang.kernel.services.audit import record
from yingshang.trading import rules
from yingshang.trading.models import Lot, TenderProject
from yingshang.trading.services import common, lots, rulebook

MAX_LOTS = 20
fields = common.fields


@dataclass
class LotDraft:
    seq: int
    values: dict


def _uscc(value, field: str, label: str, *, required: bool = True) -> str:
    text = fields.text(value, field, label, required=required, max_len=40)
    if not text:
        return ""
    check = validate_uscc(text)
    if not check.valid:
        raise InvalidInput(f"trading.{field}_invalid", f"{label}不正确：{check.reason}",
                           details={"field": field, "errors": [e.as_dict() for e in check.errors]})
    return check.normalized


def _regulator(code) -> Department:
    code = fields.text(code, "regulator", "行业监督部门", max_len=40)
    dept = Department.objects.filter(code=code, is_active=True, kind=Department.Kind.DEPARTMENT).first()
    if dept is None:
        raise InvalidInput("trading.regulator_invalid", "行业监督部门不存在或不是行政部门", details={"field": "regulator"})
    return dept


def _division(code) -> str:
    code = fields.text(code, "division_code", "项目所在地", max_len=6)
    if not (code.isascii() and code.isdigit() and len(code) == 6 and divisions.exists(code)):
        raise InvalidInput("trading.division_code_invalid", "项目所在地须为有效的6位行政区划代码",
                           details={"field": "division_code"})
    return code


def check_lot(data: dict, index: int, today) -> dict:
    """One lot's fields, checked against the procedure in force today and the period rules."""
    try:
        return _check_lot(data if isinstance(data, dict) else {}, today)
    except InvalidInput as exc:
        details = exc.details if isinstance(exc.details, dict) else {}
        exc.details = {**details, "lot": index}
        exc.message = f"第{index + 1}个标段：{exc.message}"
        raise


def _check_lot(data: dict, today) -> dict:
    name = fields.text(data.get("name"), "lot_name", "标段名称", max_len=200)
    procedure = rulebook.procedure_in_force(data.get("procedure"), today)
    if procedure is None:
        raise InvalidInput("trading.procedure_invalid", "交易方式不存在或未施行", details={"field": "procedure"})
    limits = procedure.limits()
    lot_type = fields.choice(data.get("lot_type"), "lot_type", "标段类型", rules.LOT_TYPES)
    estimated = fields.amount(data.get("estimated_price"), "estimated_price", "估算价", minimum=0,
                              maximum=10**13)
    if estimated <= 0:
        raise InvalidInput("trading.estimated_price_out_of_range", "估算价须大于 0", details={"field": "estimated_price"})
    ceiling = fields.amount(data.get("ceiling_price"), "ceiling_price", "最高投标限价", minimum=None,
                            maximum=10**13, required=False)
    qualification = fields.choice(data.get("qualification"), "qualification", "资格审查方式", rules.QUALIFICATION_MODES)
    if qualification == rules.PREQUALIFICATION and not limits.prequalification_allowed:
        raise InvalidInput("trading.qualification_not_allowed", f"{limits.name}不采用资格预审，请选择资格后审",
                           details={"field": "qualification", "source": limits.source})
    sale_start = fields.day(data.get("sale_start"), "sale_start", "文件发售开始日", earliest=today)
    sale_end = fields.day(data.get("sale_end"), "sale_end", "文件发售截止日", earliest=today)
    deadline = common.moment(data.get("bid_deadline"), "bid_deadline", "投标截止时间")
    breaches = ([rules.check_ceiling(estimated, ceiling)] if rules.check_ceiling(estimated, ceiling) else []) + \
        rules.check_periods(limits, sale_start, sale_end, deadline, rulebook.working_days)
    if breaches:
        first = breaches[0]
        raise InvalidInput(first.code, first.message, details={"field": first.field, "source": first.source,
                                                               "breaches": [b.as_dict() for b in breaches]})
    if limits.regime == rules.TENDERING:
        verdict = rulebook.must_tender(lot_type, estimated, today)
        must, note = verdict.required, verdict.note
    else:
        must, note = False, "政府采购项目按政府采购限额标准和采购方式确定，不适用必须招标规模标准。"
    return {"name": name, "procedure": procedure, "lot_type": lot_type, "estimated_price": estimated,
            "ceiling_price": ceiling, "qualification": qualification, "sale_start": sale_start, "sale_end": sale_end,
            "bid_deadline": deadline, "must_tender": must, "must_tender_note": note[:300]}


def check_project(user, data: dict) -> tuple[dict, list[dict]]:
    """Authorise and validate a project with its lots; the caller must be its tenderer or agency."""
    common.check_perm(user, common.REGISTER)
    today = clock.today()
    values = {
        "name": fields.text(data.get("name"), "name", "项目名称", max_len=200),
        "approval_no": fields.text(data.get("approval_no"), "approval_no", "审批（核准、备案）文号", max_len=100),
        "tenderer_name": fields.text(data.get("tenderer_name"), "tenderer_name", "招标人名称", max_len=200),
        "tenderer_uscc": _uscc(data.get("tenderer_uscc"), "tenderer_uscc", "招标人统一社会信用代码"),
        "agency_name": fields.text(data.get("agency_name"), "agency_name", "招标代理机构名称", max_len=200,
                                   required=False),
        "agency_uscc": _uscc(data.get("agency_uscc"), "agency_uscc", "代理机构统一社会信用代码", required=False),
        "regulator": _regulator(data.get("regulator")),
        "division_code": _division(data.get("division_code")),
        "funding_source": fields.choice(data.get("funding_source"), "funding_source", "资金来源", rules.FUNDING_SOURCES),
    }
    if bool(values["agency_name"]) != bool(values["agency_uscc"]):
        raise InvalidInput("trading.agency_incomplete", "委托代理的，请同时填写代理机构名称和统一社会信用代码",
                           details={"field": "agency_uscc"})
    own = user.uscc or ""
    if not own or own not in (values["tenderer_uscc"], values["agency_uscc"]) or \
            (own == values["tenderer_uscc"] and not access.has_role(user, access.TENDERER)) or \
            (own == values["agency_uscc"] and own != values["tenderer_uscc"] and not access.has_role(user, access.AGENCY)):
        raise Forbidden("trading.not_your_project", "只能登记本单位作为招标人或受托代理机构的项目")
    raw_lots = data.get("lots")
    if not isinstance(raw_lots, list) or not raw_lots:
        raise InvalidInput("trading.lots_required", "请至少填写一个标段", details={"field": "lots"})
    if len(raw_lots) > MAX_LOTS:
        raise InvalidInput("trading.lots_too_many", f"一个项目最多 {MAX_LOTS} 个标段", details={"field": "lots"})
    return values, [check_lot(lot, i, today) for i, lot in enumerate(raw_lots)]


def snapshot(project: TenderProject) -> dict:
    return {"name": project.name, "approval_no": project.approval_no, "tenderer_uscc": project.tenderer_uscc,
            "agency_uscc": project.agency_uscc, "regulator": project.regulator.code,
            "division_code": project.division_code, "funding_source": project.funding_source}


def do_create_project(user, data: dict, *, submit: bool = False) -> TenderProject:
    """Create the project and its lots as drafts; with `submit`, submit every lot for entry registration."""
    values, lot_values = check_project(user, data)
    now = clock.now()
    project = TenderProject.objects.create(**values, created_by=user if user.pk else None, created_at=now)
    for seq, lot in enumerate(lot_values, 1):
        Lot.objects.create(project=project, seq=seq, created_at=now, **lot)
    record("trading.tenderproject.create", project,
           after=snapshot(project) | {"lots": [{"seq": i, "name": lot["name"], "procedure": lot["procedure"].code,
                                                 "lot_type": lot["lot_type"], "estimated_price": lot["estimated_price"],
                                                 "must_tender": lot["must_tender"]}
                                                for i, lot in enumerate(lot_values, 1)]})
    if submit:
        for lot in project.lots.order_by("seq"):
            lots.do_submit(user, lot.pk, None)
    return project


EDITABLE = (rules.DRAFT, rules.RETURNED)
LOT_SNAPSHOT = ("name", "lot_type", "estimated_price", "ceiling_price", "qualification", "sale_start", "sale_end",
                "bid_deadline", "must_tender")


def _shown(value):
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _lot_snapshot(lot: Lot) -> dict:
    return {**{f: _shown(getattr(lot, f)) for f in LOT_SNAPSHOT}, "procedure": lot.procedure.code,
            "row_version": lot.row_version}


def do_update_lot(user, lot_id, row_version: int | None, data: dict) -> Lot:
    """Edit a draft lot, or a returned one before resubmitting it (the centre's reasons addressed): the same
    checks as at registration, against the procedure and rules in force today."""
    common.check_perm(user, common.REGISTER)
    lot = workflow.lock(Lot.objects.select_related("project", "procedure"), lot_id, row_version, rules.LOT_FLOW)
    lots.check_own(user, lot)
    if lot.status not in EDITABLE:
        raise Conflict("trading.lot_not_editable", f"标段“{lot.status_label}”时不能修改，只有草稿或已退回的标段可以修改",
                       details={"status": lot.status})
    values = check_lot(data if isinstance(data, dict) else {}, 0, clock.today())
    before = _lot_snapshot(lot)
    for name, value in values.items():
        setattr(lot, name, value)
    lot.next_check = lots.compute_next_check(lot)
    workflow.finish(lot, "update", before, snapshot=_lot_snapshot, fields=[*values, "next_check"])
    return lot

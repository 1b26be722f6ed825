"""Validation of a content before it is stored (structure) and before it is published (the rules).

Both report every problem at once, as `InvalidInput` with `details` = [{code, field, message}], so
the admin, the import report and the API can point at each one.
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal

from yingshang.catalog import rules
from yingshang.catalog.choices import ApplicantKind, Channel, ItemType, Kind, MaterialForm, StepKind
from yingshang.catalog.content import VersionContent
from yingshang.kernel.errors import InvalidInput
from yingshang.kernel.models import Department

Problem = rules.Problem

_TEXT_LIMITS = {"name": 200, "result_name": 200, "consultation_phone": 60, "complaint_phone": 60,
                "service_hours": 200, "location_note": 300}
_ROW_LIMITS = {
    "materials": {"name": 200, "elicense_type": 100, "notes": 500},
    "fees": {"name": 200, "unit": 40, "basis": 500},
    "steps": {"name": 100},
    "departments": {"responsibility": 200},
}
_INT_FIELDS = ("committed_limit_days", "visits_needed")
_BOOL_FIELDS = ("do_now", "do_online", "do_nearby", "do_once", "at_most_one_visit", "zero_visit", "notify_and_commit")
_STAFFED_KINDS = (Department.Kind.DEPARTMENT, Department.Kind.CENTRE)


def _raise(problems: list[Problem], what: str = "事项内容") -> None:
    if problems:
        raise InvalidInput("catalog.invalid_content", f"{what}有 {len(problems)} 处需要修改：{problems[0].message}"
                           + ("等" if len(problems) > 1 else ""), details=[asdict(p) for p in problems])


def _is_int(value, *, nullable: bool = False) -> bool:
    return (value is None and nullable) or (isinstance(value, int) and not isinstance(value, bool) and value >= 0)


def _field_problems(content: VersionContent) -> list[Problem]:
    f, out = content.fields, []
    for name, limit in _TEXT_LIMITS.items():
        value = f.get(name)
        if not isinstance(value, str):
            out.append(Problem("catalog.field_type", name, f"字段 {name} 应为文本"))
        elif len(value) > limit:
            out.append(Problem("catalog.too_long", name, f"字段 {name} 超过 {limit} 个字符"))
    for name in ("legal_basis", "conditions"):
        if not isinstance(f.get(name), str):
            out.append(Problem("catalog.field_type", name, f"字段 {name} 应为文本"))
    if f.get("item_type") not in ItemType.values:
        out.append(Problem("catalog.item_type", "item_type", f"事项类型“{f.get('item_type')}”无效"))
    if f.get("kind") not in Kind.values:
        out.append(Problem("catalog.kind", "kind", f"办件类型“{f.get('kind')}”无效"))
    if not _is_int(f.get("statutory_limit_days"), nullable=True):
        out.append(Problem("catalog.field_type", "statutory_limit_days", "法定时限应为非负整数或留空"))
    for name in _INT_FIELDS:
        if not _is_int(f.get(name)):
            out.append(Problem("catalog.field_type", name, f"字段 {name} 应为非负整数"))
    for name in _BOOL_FIELDS:
        if not isinstance(f.get(name), bool):
            out.append(Problem("catalog.field_type", name, f"字段 {name} 应为是或否"))
    for name, allowed in (("channels", Channel.values), ("applicant_kinds", ApplicantKind.values)):
        value = f.get(name)
        if not isinstance(value, list) or set(value) - set(allowed):
            out.append(Problem("catalog.choice", name, f"字段 {name} 含无效取值，可选：{'、'.join(allowed)}"))
    return out


def _row_problems(content: VersionContent) -> list[Problem]:
    out = []
    for group, limits in _ROW_LIMITS.items():
        for i, row in enumerate(getattr(content, group)):
            for name, limit in limits.items():
                value = getattr(row, name)
                if not isinstance(value, str) or len(value) > limit:
                    out.append(Problem("catalog.too_long", f"{group}[{i}].{name}", f"{name} 应为不超过 {limit} 个字符的文本"))
    for i, m in enumerate(content.materials):
        if m.form not in MaterialForm.values:
            out.append(Problem("catalog.material_form", f"materials[{i}].form", f"材料“{m.name}”的形式“{m.form}”无效"))
        if not _is_int(m.count) or m.count > 100:
            out.append(Problem("catalog.material_count", f"materials[{i}].count", f"材料“{m.name}”的份数应为 1–100"))
        if not all(isinstance(v, bool) for v in (m.required, m.pending_allowed, m.from_library)):
            out.append(Problem("catalog.field_type", f"materials[{i}]", f"材料“{m.name}”的是/否字段无效"))
    for i, fee in enumerate(content.fees):
        if fee.amount is not None and (not isinstance(fee.amount, Decimal) or not fee.amount.is_finite()
                                       or fee.amount >= Decimal("1e10") or fee.amount.as_tuple().exponent < -2):
            out.append(Problem("catalog.fee_amount", f"fees[{i}].amount", f"收费项目“{fee.name}”的金额无效（最多两位小数）"))
    for i, step in enumerate(content.steps):
        if step.step_kind not in StepKind.values:
            out.append(Problem("catalog.step_kind", f"steps[{i}].step_kind", f"环节“{step.name}”的类型“{step.step_kind}”无效"))
        if not _is_int(step.stage) or not _is_int(step.limit_days) or step.stage > 50 or step.limit_days > rules.MAX_LIMIT_DAYS:
            out.append(Problem("catalog.field_type", f"steps[{i}]", f"环节“{step.name}”的阶段或时限无效"))
    return out


def structure_problems(content: VersionContent) -> tuple[list[Problem], dict[str, Department]]:
    """Types, choices, lengths and references; and the departments and halls named, by code (1 query)."""
    problems = _field_problems(content) + _row_problems(content)
    codes = {d.department for d in content.departments} | {s.department for s in content.steps} | set(content.halls)
    found = {d.code: d for d in Department.objects.filter(code__in=[c for c in codes if isinstance(c, str)])}
    for i, row in enumerate(content.departments):
        dept = found.get(row.department)
        if dept is None or not dept.is_active or dept.kind not in _STAFFED_KINDS:
            problems.append(Problem("catalog.department_unknown", f"departments[{i}]",
                                    f"联办部门“{row.department}”不存在、已停用或不是业务部门"))
    for i, step in enumerate(content.steps):
        dept = found.get(step.department)
        if dept is None or not dept.is_active:
            problems.append(Problem("catalog.department_unknown", f"steps[{i}].department",
                                    f"环节“{step.name}”的办理部门“{step.department}”不存在或已停用"))
    for i, code in enumerate(content.halls):
        dept = found.get(code)
        if dept is None or dept.kind != Department.Kind.HALL or not dept.is_active:
            problems.append(Problem("catalog.hall_unknown", f"halls[{i}]", f"办理大厅“{code}”不存在、已停用或不是政务服务大厅"))
    return problems, found


def check_structure(content: VersionContent) -> dict[str, Department]:
    """Raise InvalidInput listing every structural problem; return the departments named, by code."""
    problems, found = structure_problems(content)
    _raise(problems)
    return found


def department_problems(department: Department, level: str) -> list[Problem]:
    """The owning department is an active business department of the item's level (GB/T 2260 division code)."""
    out = []
    if department is None or not department.is_active or department.kind not in _STAFFED_KINDS:
        out.append(Problem("catalog.owner_department", "department", "实施部门须为启用中的业务部门（不能是大厅、区县或市本身）"))
        return out
    division_level = rules.level_of_division(department.division_code)
    if division_level is not None and division_level != level:
        label = {"city": "市级", "district": "区县级"}.get(level, level)
        out.append(Problem("catalog.level_mismatch", "level",
                           f"{department.name}（行政区划 {department.division_code}）不是{label}部门"))
    return out


def publish_problems(content: VersionContent, department: Department, level: str) -> list[Problem]:
    """Everything that keeps a content from being published: structure, owner and every rule."""
    problems, _found = structure_problems(content)
    if problems:
        return problems  # the rules assume well-typed values
    return department_problems(department, level) + rules.problems(content.facts(department.code))


def check_publishable(content: VersionContent, item) -> None:
    """Raise InvalidInput listing every problem of `publish_problems`."""
    _raise(publish_problems(content, item.department, item.level))

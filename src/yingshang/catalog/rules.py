"""Rules a catalog entry must follow: pure functions over plain values, each citing its source.

`problems(facts)` runs every rule and returns all violations at once (an import or the admin shows
them together); services turn them into an `InvalidInput`. Nothing here reads the database.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

# Values as in yingshang.catalog.choices (kept as plain strings: the rules import no framework).
IMMEDIATE, COMMITTED, JOINT = "immediate", "committed", "joint"
CONVENIENCE_SERVICE = "convenience_service"
ONLINE_CHANNELS = frozenset({"online", "mobile"})

# 行政许可法 (adopted 2003-08-27, in force 2004-07-01; amended 2019-04-23) Art. 42: a decision within
# 20 days of acceptance; unified, joint or centralized handling (统一办理、联合办理、集中办理) within 45 days.
# Art. 82 counts these periods in working days, excluding statutory holidays.
STATUTORY_DEFAULT_DAYS = 20
STATUTORY_DEFAULT_JOINT_DAYS = 45
# Seed 000 (榆林, 2019): committed limits of licensing items are "在法定办理时限内均压缩50%以上". A target
# for reports, not a hard rule (some items are already at the law's minimum).
COMPRESSION_TARGET = 0.5
MAX_VISITS = 10
MAX_LIMIT_DAYS = 365
CODE_PATTERN = re.compile(r"^[0-9A-Z][0-9A-Z-]{3,63}$")


@dataclass(frozen=True)
class Problem:
    code: str  # machine-readable, e.g. "catalog.committed_exceeds_statutory"
    field: str  # the field (or "materials[2].pending_allowed") it concerns
    message: str  # Chinese, for people


@dataclass(frozen=True)
class StepFacts:
    name: str
    department: str  # department code
    stage: int
    limit_days: int


@dataclass(frozen=True)
class MaterialFacts:
    name: str
    required: bool
    pending_allowed: bool
    count: int = 1


@dataclass(frozen=True)
class FeeFacts:
    name: str
    amount: Decimal | None


@dataclass(frozen=True)
class VersionFacts:
    name: str
    item_type: str
    legal_basis: str
    kind: str
    statutory_limit_days: int | None
    committed_limit_days: int
    owner: str  # the owning department's code
    departments: tuple[str, ...] = ()  # departments involved, in order
    steps: tuple[StepFacts, ...] = ()
    materials: tuple[MaterialFacts, ...] = ()
    fees: tuple[FeeFacts, ...] = ()
    do_now: bool = False
    do_online: bool = False
    do_once: bool = False
    at_most_one_visit: bool = False
    zero_visit: bool = False
    visits_needed: int = 1
    channels: tuple[str, ...] = field(default_factory=tuple)


# --- Time limits ---------------------------------------------------------------------------------
def default_statutory_limit(kind: str) -> int:
    """The statutory limit of an item whose law names none.

    Source: 行政许可法 Art. 42 (in force 2004-07-01, text of the 2019-04-23 amendment): 20 days for a
    decision; 45 days where the licence is handled jointly (联合办理). Days are working days (Art. 82).
    """
    return STATUTORY_DEFAULT_JOINT_DAYS if kind == JOINT else STATUTORY_DEFAULT_DAYS


def effective_statutory_limit(statutory: int | None, kind: str) -> int:
    """The item's own statutory limit, or Art. 42's default when it has none."""
    return statutory if statutory is not None else default_statutory_limit(kind)


def compression(statutory: int | None, committed: int, kind: str) -> float:
    """Share of the statutory limit the city's commitment saves (0.6 = committed is 40 % of statutory)."""
    limit = effective_statutory_limit(statutory, kind)
    return 0.0 if limit <= 0 else round(1 - committed / limit, 4)


def meets_compression_target(statutory: int | None, committed: int, kind: str,
                             target: float = COMPRESSION_TARGET) -> bool:
    """Seed 000: committed limits are at most half the statutory ones (压缩 50 % 以上)."""
    return compression(statutory, committed, kind) >= target


def stages_total_days(steps: tuple[StepFacts, ...] | list[StepFacts]) -> int:
    """Working days the steps take end to end: stages run one after another, steps of a stage in parallel."""
    longest: dict[int, int] = defaultdict(int)
    for step in steps:
        longest[step.stage] = max(longest[step.stage], step.limit_days)
    return sum(longest.values())


def check_limits(f: VersionFacts) -> list[Problem]:
    """Committed ≤ statutory (行政许可法 Art. 42; the committed limit is the city's shorter promise, seed 000).

    即办件 are concluded on the spot or the next working day (limit 0 or 1); 承诺件 and 联办件 take at
    least one day — otherwise they are 即办件 (glossary: 即办件 / 承诺件 / 联办件).
    """
    out = []
    s, c = f.statutory_limit_days, f.committed_limit_days
    if s is not None and not 1 <= s <= MAX_LIMIT_DAYS:
        out.append(Problem("catalog.statutory_range", "statutory_limit_days",
                           f"法定时限应在 1 至 {MAX_LIMIT_DAYS} 个工作日之间；无法定时限时请留空"))
    if not 0 <= c <= MAX_LIMIT_DAYS:
        out.append(Problem("catalog.committed_range", "committed_limit_days",
                           f"承诺时限应在 0 至 {MAX_LIMIT_DAYS} 个工作日之间"))
        return out
    limit = effective_statutory_limit(s, f.kind)
    if c > limit:
        basis = "法定时限" if s is not None else f"行政许可法第四十二条的默认期限（{limit} 个工作日）"
        out.append(Problem("catalog.committed_exceeds_statutory", "committed_limit_days",
                           f"承诺时限（{c} 个工作日）不能超过{basis}" + (f"（{s} 个工作日）" if s is not None else "")))
    if f.kind == IMMEDIATE and c > 1:
        out.append(Problem("catalog.immediate_limit", "committed_limit_days",
                           f"即办件应当场或次日办结，承诺时限只能为 0 或 1 个工作日（现为 {c}）"))
    if f.kind in (COMMITTED, JOINT) and c < 1:
        out.append(Problem("catalog.committed_limit_zero", "committed_limit_days",
                           "承诺件、联办件的承诺时限至少为 1 个工作日；当场办结的事项请设为即办件"))
    return out


# --- Kind and departments ------------------------------------------------------------------------
def check_departments(f: VersionFacts) -> list[Problem]:
    """联办件 involve at least two departments, the lead (owning) one among them; other kinds only the owner.

    Source: glossary (联办件 = handled by several departments; 并联审批 all must approve); 行政许可法
    Art. 26 (a licence needing several departments is handled jointly or by one lead department).
    """
    out = []
    involved = list(dict.fromkeys(f.departments))
    if len(involved) != len(f.departments):
        out.append(Problem("catalog.department_repeated", "departments", "联办部门中有重复的部门"))
    if f.kind == JOINT:
        if len(set(involved) | {f.owner}) < 2:
            out.append(Problem("catalog.joint_needs_departments", "departments",
                               "联办件至少需要两个部门共同办理，请列出参与的全部部门"))
        if involved and f.owner not in involved:
            out.append(Problem("catalog.joint_owner_missing", "departments", "联办部门中应包含牵头的实施部门"))
    elif set(involved) - {f.owner}:
        out.append(Problem("catalog.departments_not_joint", "departments",
                           "只有联办件可以有其他部门参与办理；请把办件类型改为联办件，或删除其他部门"))
    return out


def check_steps(f: VersionFacts) -> list[Problem]:
    """The process steps the workflow will run: at least one; each in an involved department; parallel
    steps of one stage in different departments; every department of a 联办件 has a step; end to end
    they fit in the committed limit (the case's deadline is the committed limit, issue 3 §6)."""
    out = []
    if not f.steps:
        return [Problem("catalog.steps_missing", "steps", "至少需要一个办理环节（工作流程按环节流转）")]
    allowed = set(f.departments) | {f.owner}
    per_stage: dict[int, list[str]] = defaultdict(list)
    for i, step in enumerate(f.steps):
        if not step.name.strip():
            out.append(Problem("catalog.step_name", f"steps[{i}].name", f"第 {i + 1} 个环节缺少名称"))
        if step.department not in allowed:
            out.append(Problem("catalog.step_department", f"steps[{i}].department",
                               f"环节“{step.name}”的办理部门不在本事项的实施部门或联办部门之中"))
        if step.stage < 1:
            out.append(Problem("catalog.step_stage", f"steps[{i}].stage", f"环节“{step.name}”的阶段序号应从 1 开始"))
        per_stage[step.stage].append(step.department)
    for stage, depts in sorted(per_stage.items()):
        if len(depts) != len(set(depts)):
            out.append(Problem("catalog.parallel_same_department", "steps",
                               f"第 {stage} 阶段的并联环节中有同一部门的多个环节；同一部门的环节应分阶段依次办理"))
    if f.kind == JOINT:
        missing = [d for d in dict.fromkeys(f.departments) if d not in {s.department for s in f.steps}]
        if missing:
            out.append(Problem("catalog.joint_department_without_step", "steps",
                               f"联办部门 {'、'.join(missing)} 没有办理环节"))
    total = stages_total_days(f.steps)
    if total > f.committed_limit_days:
        out.append(Problem("catalog.steps_exceed_limit", "steps",
                           f"各环节时限合计 {total} 个工作日（并联环节按最长者计），"
                           f"超过承诺时限 {f.committed_limit_days} 个工作日"))
    return out


# --- Four-do tags and visits ---------------------------------------------------------------------
def check_visits(f: VersionFacts) -> list[Problem]:
    """零跑腿 means no visit and an online channel; 最多跑一次 and 一次办 at most one visit; 马上办 items
    are 即办件. Source: 四办清单 (马上办、网上办、就近办、一次办) and 最多跑一次 of seed 000 (榆林 2018);
    零跑腿 of seed 002 (青岛 2017); 国办发〔2018〕45号 (一网、一门、一次 reform)."""
    out = []
    if not 0 <= f.visits_needed <= MAX_VISITS:
        out.append(Problem("catalog.visits_range", "visits_needed", f"到现场次数应在 0 至 {MAX_VISITS} 之间"))
    if f.zero_visit and f.visits_needed != 0:
        out.append(Problem("catalog.zero_visit_visits", "visits_needed",
                           f"标为“零跑腿”的事项到现场次数应为 0（现为 {f.visits_needed}）"))
    if f.visits_needed == 0 and not f.zero_visit:
        out.append(Problem("catalog.no_visit_not_flagged", "zero_visit", "到现场次数为 0 的事项应标为“零跑腿”"))
    if f.zero_visit and not (f.do_online or ONLINE_CHANNELS & set(f.channels)):
        out.append(Problem("catalog.zero_visit_online", "do_online", "“零跑腿”事项必须可以网上办理"))
    if f.at_most_one_visit and f.visits_needed > 1:
        out.append(Problem("catalog.one_visit_visits", "visits_needed",
                           f"标为“最多跑一次”的事项到现场次数不能超过 1（现为 {f.visits_needed}）"))
    if f.do_once and f.visits_needed > 1:
        out.append(Problem("catalog.do_once_visits", "visits_needed",
                           f"标为“一次办”的事项到现场次数不能超过 1（现为 {f.visits_needed}）"))
    if f.do_now and f.kind != IMMEDIATE:
        out.append(Problem("catalog.do_now_immediate", "do_now", "“马上办”事项应为即办件"))
    if f.do_online and not ONLINE_CHANNELS & set(f.channels):
        out.append(Problem("catalog.online_channel", "channels", "标为“网上办”的事项应提供网上办理或掌上办理渠道"))
    return out


# --- Materials, fees, basics ---------------------------------------------------------------------
def check_materials(f: VersionFacts) -> list[Problem]:
    """Material names are unique in an item; counts positive; only required materials may be pending at
    acceptance (容缺受理: a missing required, non-key material supplied later against a commitment;
    seed 002 "容缺受理、容缺审查"; glossary)."""
    out, seen = [], set()
    for i, m in enumerate(f.materials):
        if not m.name.strip():
            out.append(Problem("catalog.material_name", f"materials[{i}].name", f"第 {i + 1} 项材料缺少名称"))
        elif m.name in seen:
            out.append(Problem("catalog.material_repeated", f"materials[{i}].name", f"材料“{m.name}”重复"))
        seen.add(m.name)
        if m.count < 1:
            out.append(Problem("catalog.material_count", f"materials[{i}].count", f"材料“{m.name}”的份数至少为 1"))
        if m.pending_allowed and not m.required:
            out.append(Problem("catalog.pending_not_required", f"materials[{i}].pending_allowed",
                               f"材料“{m.name}”不是必需材料，无需设为可容缺"))
    return out


def check_fees(f: VersionFacts) -> list[Problem]:
    """A fee has a positive amount or none (不收费)."""
    return [Problem("catalog.fee_amount", f"fees[{i}].amount", f"收费项目“{fee.name}”的金额应大于 0；不收费请留空")
            for i, fee in enumerate(f.fees) if fee.amount is not None and fee.amount <= 0]


def check_basics(f: VersionFacts) -> list[Problem]:
    """Name present; a legal basis for every item except 便民服务.

    Source: 四同 (name, type, basis, code identical across levels; seed 000 "三级四同"); 行政许可法
    Art. 14–17 (licences are set only by law, regulation or local regulation), so a power without
    its basis cannot be listed.
    """
    out = []
    if not f.name.strip():
        out.append(Problem("catalog.name_missing", "name", "事项名称不能为空"))
    if f.item_type != CONVENIENCE_SERVICE and not f.legal_basis.strip():
        out.append(Problem("catalog.legal_basis_missing", "legal_basis", "除便民服务外，事项须写明设定依据（法律法规条款）"))
    return out


def problems(f: VersionFacts) -> list[Problem]:
    """Every rule violation of a version, in a stable order."""
    return [*check_basics(f), *check_limits(f), *check_departments(f), *check_steps(f), *check_visits(f),
            *check_materials(f), *check_fees(f)]


def valid_item_code(code: str) -> bool:
    """事项编码: upper-case letters, digits and hyphens, 4–64 characters."""
    return bool(CODE_PATTERN.match(code or ""))


def level_of_division(division_code: str) -> str | None:
    """GB/T 2260: a prefecture-level code ends in 00 (610800), a county-level one does not (610802)."""
    if not re.fullmatch(r"\d{6}", division_code or ""):
        return None
    if division_code.endswith("0000"):
        return "province"
    return "city" if division_code.endswith("00") else "district"

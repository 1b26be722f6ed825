"""The demo city's catalog (`yingshang demo`): every item of demo_items published and in force today.

Idempotent: each item goes through `services.do_apply`, which writes nothing when the stored
version already has the same content, so a second run adds no versions.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from yingshang.catalog import demo_items as data
from yingshang.catalog import services
from yingshang.catalog.content import DepartmentRow, FeeRow, MaterialRow, StepRow, VersionContent
from yingshang.kernel.demo import DemoReport, seeder

TAGS = {"now": "do_now", "online": "do_online", "nearby": "do_nearby", "once": "do_once", "one": "at_most_one_visit",
        "zero": "zero_visit", "commit": "notify_and_commit"}
AREAS = {"SCJG": "市场准入区", "ZRZY": "不动产登记区", "ZJ": "工程项目区", "FGW": "工程项目区（投资项目审批服务专区）",
         "STHJ": "工程项目区", "SL": "工程项目区", "SW": "纳税服务区", "RS": "社会保障区", "YB": "社会保障区", "MZ": "公共服务区",
         "GA": "公共服务区", "WJ": "公共服务区", "XZSP": "综合受理区"}
PERSONAL = ("居民", "婚姻", "就业登记", "失业", "临时救助", "入学", "社会保障卡", "医疗保险", "新生儿", "异地就医", "医师",
            "护士",
            "个体工商户", "二手房", "小餐饮")
HOURS = "法定工作日 上午 9:00—12:00，下午 13:30—17:30；网上申报全天受理"
HALLS = {"610800": "610800-HALL01", "610802": "610802-HALL01", "610881": "610881-HALL01"}


def _owner_code(owner: str) -> str:
    return owner if "-" in owner else f"610800-{owner}"


def material(spec: str) -> MaterialRow:
    """"名称|copy,pending,lic:营业执照" → a material row (flags as in demo_items' docstring)."""
    name, _sep, flags = spec.partition("|")
    row = MaterialRow(name=name)
    for flag in filter(None, flags.split(",")):
        key, _sep, value = flag.partition(":")
        if key == "copy":
            row.form = "copy"
        elif key == "both":
            row.form = "original_and_copy"
        elif key == "optional":
            row.required = False
        elif key == "pending":
            row.pending_allowed = True
        elif key == "lib":
            row.from_library = True
        elif key == "lic":
            row.elicense_type = value
        elif key == "n":
            row.count = int(value)
        else:
            raise ValueError(f"unknown material flag {flag!r} in {spec!r}")
    return row


def _steps(owner: str, kind: str, committed: int, result: str, joint) -> list[StepRow]:
    if kind == data.IMM:
        return [StepRow("受理并办结", owner, 1, "decide", committed)]
    if kind == data.JOINT:
        parallel = [StepRow(resp, _owner_code(dept), 2, "review", days) for dept, resp, days in joint]
        return [StepRow("综合受理", owner, 1, "accept", 0), *parallel, StepRow("统一出件", owner, 3, "issue", 0)]
    steps = [StepRow("受理", owner, 1, "accept", 0)]
    if committed == 1:
        steps.append(StepRow("审查决定", owner, 2, "decide", 1))
    else:
        steps += [StepRow("审查", owner, 2, "review", committed - 1), StepRow("决定", owner, 3, "decide", 1)]
    if "证" in result:
        steps.append(StepRow("制证送达", owner, 4, "issue", 0))
    return steps


def content(spec) -> tuple[str, str, str, VersionContent]:
    """(code, level, owner code, content) of one demo_items row."""
    code, owner, name, item_type, kind, (statutory, committed), basis, result, materials, tags, extra = spec
    owner = _owner_code(owner)
    division = owner[:6]
    flags = {TAGS[t]: True for t in tags.split()}
    visits = 0 if flags.get("zero_visit") else 1 if flags.get("at_most_one_visit") or flags.get("do_once") else 2
    channels = ["window"] + (["online", "mobile"] if flags.get("do_online") else [])
    joint = extra.get("joint", ())
    fields = {
        "name": name, "item_type": item_type, "kind": kind, "legal_basis": basis, "result_name": result,
        "statutory_limit_days": statutory, "committed_limit_days": committed, "visits_needed": visits,
        "channels": channels, "applicant_kinds": ["person"] if any(w in name for w in PERSONAL) else ["legal_person"],
        "conditions": f"符合《{basis.split('》')[0].lstrip('《')}》等规定条件的申请人" if basis else "",
        "consultation_phone": f"0912-{3_516_000 + sum(map(ord, owner)) % 1000}", "complaint_phone": "0912-12345",
        "service_hours": HOURS, "location_note": f"政务服务大厅{AREAS.get(owner.split('-')[1], '综合受理区')}",
        **flags,
    }
    return code, "city" if division.endswith("00") else "district", owner, VersionContent(
        fields=fields,
        departments=[DepartmentRow(_owner_code(d), resp) for d, resp, _days in joint],
        halls=[HALLS[division]] if division in HALLS else [],
        materials=[material(m) for m in materials],
        fees=[FeeRow(n, Decimal(a), u, b) for n, a, u, b in extra.get("fees", ())],
        steps=_steps(owner, kind, committed, result, joint),
    )


def all_specs() -> tuple:
    return data.ITEMS + data.JOINT_ITEMS + data.DISTRICT_ITEMS


@seeder("catalog", order=30)
def seed_catalog(report: DemoReport, today: date | None = None) -> None:
    from yingshang.kernel.models import Department

    today = today or timezone.localdate()
    departments = {d.code: d for d in Department.objects.all()}
    counts: dict[str, int] = {}
    for spec in all_specs():
        code, level, owner, item_content = content(spec)
        if owner not in departments:
            counts["skipped"] = counts.get("skipped", 0) + 1
            continue
        outcome, _version, _published = services.do_apply(
            code, level, departments[owner], item_content, publish=True, valid_from=today, change_note="演示数据")
        counts[outcome] = counts.get(outcome, 0) + 1
    report.lines.append(
        f"事项清单：{len(all_specs())} 个事项（新建 {counts.get('created', 0)}，更新 "
        f"{counts.get('new_draft', 0) + counts.get('updated_draft', 0)}，未变化 {counts.get('unchanged', 0)}"
        + (f"，缺少部门而跳过 {counts['skipped']}" if counts.get("skipped") else "") + "）；办事指南 /guide/")


@seeder("catalog-themes", order=31)
def seed_themes(report: DemoReport) -> None:
    """The demo themes, with the items the catalog has (after seed_catalog)."""
    from yingshang.catalog import demo_themes
    from yingshang.catalog.models import ServiceItem

    known = set(ServiceItem.objects.values_list("code", flat=True))
    changed = 0
    for order, (code, audience, name, summary, codes) in enumerate(demo_themes.THEMES):
        _theme, did = services.do_save_theme(code, [c for c in codes if c in known], name=name, audience=audience,
                                             summary=summary, sort_order=order, is_active=True)
        changed += did
    report.lines.append(f"主题服务：{len(demo_themes.THEMES)} 个（本次新建或更新 {changed} 个）；首页“主题服务”")

"""The published catalog for other systems: search and list items, one item's guide, its materials.

Public (no login). Only published versions are visible; `date` asks for the version in force on a
given day (a case keeps the version it started with). Lists use keyset pagination: pass the
`next_cursor` of a page as `cursor` to get the next one.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from yingshang.catalog import queries, rules
from yingshang.catalog.choices import TAG_FIELDS
from yingshang.catalog.models import ServiceItemVersion
from yingshang.catalog.services import NOT_DRAFT
from yingshang.catalog.views import guide_url
from yingshang.kernel.errors import NotFound

router = Router(tags=["事项清单"])

ItemTypeValue = Literal["administrative_license", "administrative_confirmation", "administrative_payment",
                        "public_service", "convenience_service", "other_power"]
KindValue = Literal["immediate", "committed", "joint"]
TagValue = Literal["do_now", "do_online", "do_nearby", "do_once", "at_most_one_visit", "zero_visit"]
_DATE_HELP = "查询该日有效的版本（YYYY-MM-DD），默认今天"


class Error(Schema):
    code: str = Field(description="机器可读代码，如 catalog.item_not_found、catalog.bad_cursor、invalid_input")
    message: str = Field(description="中文说明")
    details: dict | list | None = None


class DepartmentRef(Schema):
    code: str
    name: str


class ItemSummaryOut(Schema):
    code: str = Field(description="事项编码")
    name: str = Field(description="事项名称")
    level: str = Field(description="层级：city 市级；district 区县级")
    item_type: str = Field(description="事项类型代码")
    item_type_name: str = Field(description="事项类型，如 行政许可")
    kind: str = Field(description="办件类型代码：immediate 即办件；committed 承诺件；joint 联办件")
    kind_name: str
    department: DepartmentRef = Field(description="实施部门")
    statutory_limit_days: int | None = Field(description="法定时限（工作日）；null 表示法律法规未规定")
    statutory_limit_effective: int = Field(description="计算所用的法定时限：未规定时按行政许可法第四十二条（20 日，联办 45 日）")
    committed_limit_days: int = Field(description="承诺时限（工作日），0 为当场办结")
    tags: list[str] = Field(description="四办与跑动标签：do_now 马上办、do_online 网上办、do_nearby 就近办、do_once 一次办、"
                                        "at_most_one_visit 最多跑一次、zero_visit 零跑腿")
    notify_and_commit: bool = Field(description="是否实行告知承诺")
    version: int = Field(description="版本号")
    valid_from: dt.date = Field(description="该版本的生效日期")
    valid_to: dt.date | None = Field(description="该版本的最后有效日；null 为长期有效")
    url: str = Field(description="办事指南页面地址")


class ItemPageOut(Schema):
    items: list[ItemSummaryOut]
    next_cursor: str | None = Field(description="下一页游标；null 表示没有更多")
    terms: list[str] = Field(description="检索词（分词结果，需全部匹配）")


class MaterialOut(Schema):
    name: str
    form: str = Field(description="original 原件；copy 复印件；original_and_copy 原件及复印件；electronic 电子件")
    form_name: str
    count: int
    required: bool
    pending_allowed: bool = Field(description="可容缺受理")
    from_library: bool = Field(description="可从材料库复用")
    elicense_type: str = Field(description="可用的电子证照类型，空表示不可")
    notes: str


class FeeOut(Schema):
    name: str
    amount: Decimal | None = Field(description="金额（元）；null 表示不收费")
    unit: str
    basis: str


class StepOut(Schema):
    stage: int = Field(description="阶段；同一阶段的环节并联办理")
    name: str
    step_kind: str
    department: DepartmentRef
    limit_days: int


class InvolvedOut(DepartmentRef):
    responsibility: str


class ItemDetailOut(ItemSummaryOut):
    legal_basis: str = Field(description="设定依据")
    conditions: str = Field(description="受理条件")
    result_name: str = Field(description="办理结果")
    applicant_kinds: list[str]
    visits_needed: int
    channels: list[str]
    consultation_phone: str
    complaint_phone: str
    service_hours: str
    location_note: str
    departments: list[InvolvedOut] = Field(description="联办部门（按顺序，牵头部门在前）")
    halls: list[DepartmentRef] = Field(description="办理大厅")
    materials: list[MaterialOut]
    fees: list[FeeOut] = Field(description="收费项目；为空表示不收费")
    steps: list[StepOut] = Field(description="办理环节")


class VersionOut(Schema):
    number: int
    status: str = Field(description="published 已发布；retired 已废止")
    name: str
    valid_from: dt.date
    valid_to: dt.date | None
    change_note: str


def _dept(d) -> dict:
    return {"code": d.code, "name": d.name}


def _summary(v: ServiceItemVersion) -> dict:
    item = v.item
    return {
        "code": item.code, "name": v.name, "level": item.level, "item_type": v.item_type,
        "item_type_name": str(v.get_item_type_display()), "kind": v.kind, "kind_name": str(v.get_kind_display()),
        "department": _dept(item.department), "statutory_limit_days": v.statutory_limit_days,
        "statutory_limit_effective": rules.effective_statutory_limit(v.statutory_limit_days, v.kind),
        "committed_limit_days": v.committed_limit_days, "tags": [t for t in TAG_FIELDS if getattr(v, t)],
        "notify_and_commit": v.notify_and_commit, "version": v.number, "valid_from": v.valid_from,
        "valid_to": v.valid_to, "url": guide_url(item.code),
    }


def _materials(v: ServiceItemVersion) -> list[dict]:
    return [{"name": m.name, "form": m.form, "form_name": str(m.get_form_display()), "count": m.count,
             "required": m.required, "pending_allowed": m.pending_allowed, "from_library": m.from_library,
             "elicense_type": m.elicense_type, "notes": m.notes} for m in v.materials.all()]


@router.get("/items", response={200: ItemPageOut, 422: Error}, auth=None, summary="检索事项清单",
            description="已发布且在指定日期有效的事项。q 按中文分词检索名称、实施部门、申请材料和设定依据（全部词须匹配），"
                        "结果按相关度排序；无 q 时按事项编码排序。分页为游标方式：把 next_cursor 作为 cursor 传回。")
def list_items(
    request,
    q: Annotated[str, Query(max_length=100, description="检索词，如 食品经营、开办餐饮店")] = "",
    department: Annotated[str, Query(max_length=40, description="部门编码（实施或联办）")] = "",
    item_type: Annotated[ItemTypeValue | None, Query(description="事项类型")] = None,
    kind: Annotated[KindValue | None, Query(description="办件类型")] = None,
    tag: Annotated[list[TagValue] | None, Query(description="标签，可重复，须全部具备")] = None,
    cursor: Annotated[str | None, Query(max_length=queries.MAX_CURSOR_CHARS, description="上一页的 next_cursor")] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="每页条数，1–100")] = 20,
    date: Annotated[dt.date | None, Query(description=_DATE_HELP)] = None,
):
    filters = queries.Filters.clean(q=q, department=department, item_type=item_type or "", kind=kind or "", tags=tag or ())
    versions, terms = queries.find(filters, date or timezone.localdate())
    rows, next_cursor = queries.page_after(versions, cursor, limit, ranked=bool(terms))
    return {"items": [_summary(v) for v in rows], "next_cursor": next_cursor, "terms": terms}


@router.get("/items/{code}", response={200: ItemDetailOut, 404: Error, 422: Error}, auth=None, summary="事项办事指南",
            description="事项在指定日期有效的版本的全部内容：材料、收费、时限、依据、环节、联办部门、办理大厅。")
def item_detail(request, code: str, date: Annotated[dt.date | None, Query(description=_DATE_HELP)] = None):
    item, v = queries.detail(code, date or timezone.localdate())
    return {
        **_summary(v), "legal_basis": v.legal_basis, "conditions": v.conditions, "result_name": v.result_name,
        "applicant_kinds": list(v.applicant_kinds or []), "visits_needed": v.visits_needed,
        "channels": list(v.channels or []), "consultation_phone": v.consultation_phone,
        "complaint_phone": v.complaint_phone, "service_hours": v.service_hours, "location_note": v.location_note,
        "departments": [{**_dept(j.department), "responsibility": j.responsibility} for j in v.joint_departments.all()],
        "halls": [_dept(h) for h in v.halls.all()], "materials": _materials(v),
        "fees": [{"name": f.name, "amount": f.amount, "unit": f.unit, "basis": f.basis} for f in v.fees.all()],
        "steps": [{"stage": s.stage, "name": s.name, "step_kind": s.step_kind, "department": _dept(s.department),
                   "limit_days": s.limit_days} for s in v.steps.all()],
    }


@router.get("/items/{code}/materials", response={200: list[MaterialOut], 404: Error, 422: Error}, auth=None,
            summary="事项申请材料", description="指定日期有效版本的申请材料清单（含容缺、材料库和电子证照标记）。")
def item_materials(request, code: str, date: Annotated[dt.date | None, Query(description=_DATE_HELP)] = None):
    _item, v = queries.detail(code, date or timezone.localdate())
    return _materials(v)


@router.get("/items/{code}/versions", response={200: list[VersionOut], 404: Error}, auth=None, summary="事项版本沿革",
            description="已发布和已废止的版本及其有效期，新版本在前（草稿不公开）。")
def item_versions(request, code: str):
    from yingshang.catalog.models import ServiceItem

    item = ServiceItem.objects.filter(code=code.strip().upper()[:64]).first()
    if item is None:
        raise NotFound("catalog.item_not_found", f"没有编码为“{code}”的事项")
    return list(item.versions.filter(status__in=NOT_DRAFT).order_by("-number")
                .values("number", "status", "name", "valid_from", "valid_to", "change_note"))

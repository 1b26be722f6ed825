"""API of quality monitoring, scores and the dashboard (issue 4 §3, §9, §11), mounted in `credit.api`.

Staff only (token or session). Personal ID numbers travel in request bodies, never in URLs.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from django.db import transaction
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from yingshang.credit.api_schemas import ErrorOut
from yingshang.credit.services import common, dashboard, monitoring, monitoring_export, scores, subjects
from yingshang.kernel import access
from yingshang.kernel.api.auth import signed_in

router = Router(tags=["社会信用"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
Month = Annotated[str, Query(max_length=7, description="月份 YYYY-MM；为空为上月")]


class QualityRowOut(Schema):
    rank: int
    department: str
    department_name: str
    score: float
    reported: int
    late: int
    late_rate: float | None
    rows_submitted: int
    rows_accepted: int
    compliance_rate: float | None
    licensing_due: int
    missing: int
    missing_rate: float | None
    licensing_pending: int


class MissingOut(Schema):
    case_no: str
    item_name: str
    department_code: str
    applicant: str
    identifier: str
    decided_on: date
    due_on: date
    document_no: str


class QualityOut(Schema):
    month: str
    start: date
    end: date
    as_of: date
    formula: dict[str, Any]
    totals: QualityRowOut
    departments: list[QualityRowOut]
    missing: list[MissingOut]
    missing_truncated: bool


class DocumentOut(Schema):
    number: str
    title: str
    verification_code: str
    verification_url: str


class ScoreLineOut(Schema):
    rule: str
    rule_code: str
    record: str = Field(description="依据记录：penalty:ID、list_entry:ID、other:ID、commitment:ID 或 clean:起算日")
    label: str
    points: float
    note: str


class ScoreOut(Schema):
    subject_id: int
    audience: str = Field(description="person 个人信用积分；organization 企业信用等级")
    title: str
    scheme: str
    base: float
    score: float
    tier: str
    tier_code: str
    grade: str = Field(description="企业信用等级 A–D；个人为空")
    capped_by: str
    computed_at: str | None
    lines: list[ScoreLineOut]


class ScoreLookupIn(Schema):
    code: str = Field(max_length=64, description="统一社会信用代码、组织机构代码或公民身份号码")


@router.get("/quality", response={200: QualityOut, **ERRORS}, auth=signed_in, summary="双公示质量监测（月度排名）",
            description="各部门当月上报、迟报、瞒报、合规率与综合得分排名；瞒报明细仅含本人可查看的部门。需权限 credit.view。")
def quality(request, month: Month = ""):
    monitoring.check_view(request.user)
    return monitoring.build(monitoring.month_of(month), user=request.user).as_dict()


@router.get("/quality/ranking.xlsx", response={200: None, **ERRORS}, auth=signed_in, summary="下载月度排名（Excel）")
def quality_xlsx(request, month: Month = ""):
    monitoring.check_view(request.user)
    day = monitoring.month_of(month)
    data = monitoring_export.export_xlsx(monitoring.build(day, user=request.user))
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'双公示质量排名-{day:%Y-%m}.xlsx')}"
    return response


@router.post("/quality/report", response={201: DocumentOut, **ERRORS}, auth=signed_in, summary="出具月度质量通报（PDF）",
             description="将当月排名出具为带核验码和二维码的 PDF 文书，返回文号与核验地址。"
                         "需权限 credit.view 与 kernel.issue_document。")
def quality_report(request, month: Month = ""):
    from yingshang.kernel.services.documents import verification_url

    monitoring_export.check_issue(request.user)
    day = monitoring.month_of(month)
    with transaction.atomic():
        doc = monitoring_export.do_issue_report(request.user, monitoring.build(day, user=request.user))
    return Status(201, {"number": doc.number, "title": doc.title, "verification_code": doc.verification_code,
                        "verification_url": verification_url(doc.verification_code)})


def _score(user, subject) -> dict:
    access.check_perm(user, common.VIEW)
    with transaction.atomic():
        return scores.explain(subject).as_dict()


@router.get("/subjects/{subject_id}/score", response={200: ScoreOut, **ERRORS}, auth=signed_in, summary="信用评价（积分或等级）",
            description="自然人为200分制个人信用积分（六档），其他主体为A/B/C/D企业信用等级；每一分都列出计分规则与依据记录。"
                        "需权限 credit.view。")
def subject_score(request, subject_id: int):
    return _score(request.user, subjects.get(subject_id))


@router.post("/subjects/score", response={200: ScoreOut, **ERRORS}, auth=signed_in, summary="按号码查询信用评价",
             description="同 GET /subjects/{id}/score，号码放在请求体中。")
def subject_score_lookup(request, payload: ScoreLookupIn):
    access.check_perm(request.user, common.VIEW)
    return _score(request.user, subjects.find(payload.code))


@router.get("/dashboard", response={200: dict[str, Any], **ERRORS}, auth=signed_in, summary="信用驾驶舱数据",
            description="近12个月各月、各部门归集量，名单规模，措施实施反馈，异议与修复，双公示排名，评价分布。"
                        "需权限 credit.view_dashboard（信用办、市领导、电子监察、管理员）。")
def dashboard_data(request, month: Month = ""):
    data = dashboard.build(request.user, month=monitoring.month_of(month) if month else None)
    return data.as_dict()

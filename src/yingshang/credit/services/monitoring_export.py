"""The monthly 双公示 quality ranking as the city publishes it: a workbook and a verifiable PDF."""

from __future__ import annotations

from io import BytesIO

from yingshang.credit.services import common
from yingshang.credit.services.monitoring import QualityReport
from yingshang.kernel import access
from yingshang.kernel.services.audit import record

DOCUMENT_KIND = "credit.quality_report"
DOCUMENT_LABEL = "双公示信息报送质量通报"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _safe(text: str) -> str:
    text = text or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def export_xlsx(report: QualityReport) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("排名")
    sheet.append([f"{report.label}双公示信息报送质量排名（统计截至{report.as_of:%Y-%m-%d}）"])
    sheet.append(["排名", "部门编码", "部门", "综合得分", "上报条数", "迟报条数", "迟报率", "报送行数", "合规行数", "合规率",
                  "应报许可决定", "瞒报条数", "瞒报率", "未到期许可决定"])
    for r in [*report.rows, report.totals()]:
        sheet.append([r.rank or "", r.code, _safe(r.name), r.score, r.reported, r.late, _pct(r.late_rate), r.rows_submitted,
                      r.rows_accepted, _pct(r.compliance_rate), r.licensing_due, r.missing, _pct(r.missing_rate),
                      r.licensing_pending])
    sheet = book.create_sheet("瞒报明细")
    sheet.append(["办件编号", "事项", "部门编码", "申请人", "证照号码", "决定日期", "报送期限", "决定文书号"])
    for m in report.missing:
        sheet.append([m.case_no, _safe(m.item_name), m.department_code, _safe(m.applicant), m.identifier,
                      m.decided_on.isoformat(), m.due_on.isoformat(), _safe(m.document_no)])
    sheet = book.create_sheet("口径说明")
    f = report.formula
    for line in ("迟报率 = 当月首次报送且超过决定之日起7个工作日的条数 ÷ 当月首次报送条数（行政许可、行政处罚）",
                 "瞒报率 = 平台已办结的准予行政许可决定中，报送期限已过仍未报送的条数 ÷ 报送期限已过的条数",
                 "合规率 = 当月完成的双公示报送批次中通过国家数据标准校验的行数 ÷ 报送行数",
                 f"综合得分 = 100 ×（{f.compliance_weight:g} × 合规率 + {f.timeliness_weight:g} ×（1 − 迟报率）"
                 f" + {f.completeness_weight:g} ×（1 − 瞒报率））；无可计算数据的指标按满分计",
                 f"依据：{f.source}"):
        sheet.append([line])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _lines(report: QualityReport) -> list[tuple[str, str]]:
    fields = []
    for r in report.rows:
        fields.append((f"第{r.rank}名 {r.name}"[:60],
                       f"综合得分 {r.score:.1f}；上报 {r.reported} 条，迟报 {r.late} 条（{_pct(r.late_rate)}）；"
                       f"合规率 {_pct(r.compliance_rate)}；瞒报 {r.missing} 条（{_pct(r.missing_rate)}）"))
    return fields


def check_issue(user) -> None:
    access.check_perm(user, common.VIEW)
    access.check_perm(user, "kernel.issue_document")


def do_issue_report(user, report: QualityReport):
    """Issue the ranking as a PDF with a verification code and QR (kernel documents); returns the document.

    The issuer is the user's department (the credit office); each issue is a new, audited document.
    """
    from yingshang.kernel.services.documents import do_issue_document

    if user is not None:
        check_issue(user)
    t = report.totals()
    f = report.formula
    body = [f"现将{report.label}全市各部门行政许可、行政处罚信息（双公示）报送质量监测情况通报如下（统计截至"
            f"{report.as_of:%Y年%m月%d日}）。",
            f"全市当月首次报送 {t.reported} 条，其中迟报 {t.late} 条（迟报率 {_pct(t.late_rate)}）；"
            f"报送行数 {t.rows_submitted} 行，"
            f"合规率 {_pct(t.compliance_rate)}；平台已办结且报送期限已过的准予许可决定 {t.licensing_due} 件，未报送（瞒报）"
            f"{t.missing} 件（瞒报率 {_pct(t.missing_rate)}）。"]
    sections = [("计分口径", [f"综合得分 = 100 ×（{f.compliance_weight:g} × 合规率 + {f.timeliness_weight:g} ×（1 − 迟报率）+ "
                          f"{f.completeness_weight:g} ×（1 − 瞒报率））。迟报指决定之日起超过7个工作日首次报送。"])]
    if report.missing:
        sections.append(("瞒报明细（前50条）", [f"{m.department_code} {m.case_no} {m.item_name} {m.decided_on:%Y-%m-%d}"
                                           for m in report.missing[:50]]))
    if not report.rows:
        body.append("当月没有报送数据。")
    issuer = getattr(user, "department", None) if user is not None else None
    doc = do_issue_document(DOCUMENT_KIND, f"{report.label}双公示信息报送质量通报", body=body, sections=sections,
                            fields=_lines(report), issuer=issuer)
    record("credit.quality_report.issue", doc, after={"month": f"{report.month:%Y-%m}", "departments": len(report.rows),
                                                      "document": doc.number})
    return doc

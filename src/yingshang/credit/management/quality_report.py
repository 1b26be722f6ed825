"""`yingshang credit quality-report`: the monthly 双公示 quality ranking on the command line.

    yingshang credit quality-report [--month YYYY-MM] [--json] [--xlsx FILE] [--pdf FILE]
        exit 0 printed (and written); 2 bad month or a file that cannot be written.
        --pdf issues the ranking as a registered document (verification code + QR) and writes it.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from yingshang.kernel.errors import InvalidInput


def add_arguments(sub) -> None:
    q = sub.add_parser("quality-report", help="双公示质量监测月度排名（迟报、瞒报、合规率），可导出 Excel 与 PDF 通报")
    q.add_argument("--month", default="", help="月份 YYYY-MM（默认上月）")
    q.add_argument("--json", action="store_true", help="以 JSON 输出")
    q.add_argument("--xlsx", default="", metavar="FILE", help="写出 Excel 排名表")
    q.add_argument("--pdf", default="", metavar="FILE", help="出具带核验码的 PDF 通报并写出")


def _writable(command, text: str) -> Path | None:
    if not text:
        return None
    path = Path(text)
    if not path.parent.is_dir():
        command.fail(f"无法写入文件：目录 {path.parent} 不存在", 2)
    return path


def run(command, options) -> None:
    from yingshang.credit.services import monitoring, monitoring_export
    from yingshang.kernel.services.documents import read_document_file, verification_url

    try:
        month = monitoring.month_of(options["month"])
    except InvalidInput as exc:
        command.fail(f"用法错误：{exc.message}", 2)
    xlsx, pdf = _writable(command, options["xlsx"]), _writable(command, options["pdf"])
    report = monitoring.build(month)
    data = report.as_dict()
    if xlsx:
        xlsx.write_bytes(monitoring_export.export_xlsx(report))
    if pdf:
        with transaction.atomic():
            doc = monitoring_export.do_issue_report(None, report)
        pdf.write_bytes(read_document_file(doc))
        data["document"] = {"number": doc.number, "verification_code": doc.verification_code,
                            "verification_url": verification_url(doc.verification_code)}
    if options["json"]:
        command.emit_json(data)
        return
    command.stdout.write(f"{report.label}双公示信息报送质量排名（统计截至 {report.as_of:%Y-%m-%d}）")
    for r in report.rows:
        command.stdout.write(f"{r.rank:>3}. {r.name} 综合得分 {r.score:.1f}：上报 {r.reported}，迟报 {r.late}（{r.late_pct}），"
                             f"合规率 {r.compliance_pct}，瞒报 {r.missing}（{r.missing_pct}）")
    if not report.rows:
        command.stdout.write("当月没有报送数据")
    t = report.totals()
    command.stdout.write(f"全市：上报 {t.reported}，迟报 {t.late}（{t.late_pct}），合规率 {t.compliance_pct}，"
                         f"瞒报 {t.missing}（{t.missing_pct}）")
    if xlsx:
        command.stdout.write(f"Excel：{xlsx}")
    if pdf:
        command.stdout.write(f"PDF 通报：{pdf}（文号 {doc.number}）")

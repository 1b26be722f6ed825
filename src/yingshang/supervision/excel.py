"""Excel export of the report (openpyxl): sheets 按部门 and 按事项 with the same figures as the page,
numbers as numbers and rates as percentages, and a sheet 说明 with the period, the "as of" time and
every formula."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from yingshang.supervision import rules, stats

PERCENT, DECIMAL = "0.0%", "0.0"
# (header, how to read the value from a Row, number format)
COLUMNS = [
    ("受理", lambda r: r.accepted, None),
    ("办结", lambda r: r.concluded, None),
    ("按时办结", lambda r: r.on_time, None),
    ("限时办结率", lambda r: r.on_time_rate, PERCENT),
    ("超期办结", lambda r: r.late, None),
    ("超期未办结", lambda r: r.open_overdue, None),
    ("超期合计", lambda r: r.overdue, None),
    ("黄牌预警（当前）", lambda r: r.yellow, None),
    ("红牌预警（当前）", lambda r: r.red, None),
    ("平均办理用时（工作日）", lambda r: r.avg_working_days, DECIMAL),
    ("评价数", lambda r: r.rated, None),
    ("满意率", lambda r: r.satisfaction_rate, PERCENT),
    ("差评", lambda r: r.bad, None),
    ("整改：待整改", lambda r: r.rect_open, None),
    ("整改：待审核", lambda r: r.rect_responded, None),
    ("整改：已办结", lambda r: r.rect_closed, None),
    ("整改：已逾期", lambda r: r.rect_overdue, None),
    ("整改及时率", lambda r: r.rectification_timeliness, PERCENT),
]
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")


def _sheet(wb: Workbook, title: str, report: stats.Report, first: list[tuple[str, object]]) -> None:
    ws = wb.create_sheet(title)
    headers = [h for h, _ in first] + [h for h, _, _ in COLUMNS]
    ws.append(headers)
    for cell in ws[1]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in [*report.rows, report.total]:
        ws.append([get(row) for _, get in first] + [get(row) for _, get, _ in COLUMNS])
    offset = len(first)
    for index, (_, _, number_format) in enumerate(COLUMNS, start=offset + 1):
        if number_format:
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for index in range(1, len(headers) + 1):
        ws.column_dimensions[get_column_letter(index)].width = 28 if index <= offset else 12
    ws.freeze_panes = ws.cell(row=2, column=offset + 1)


def _notes(wb: Workbook, by_department: stats.Report) -> None:
    ws = wb.create_sheet("说明")
    as_of = by_department.as_of
    lines = [
        ("统计时段", f"{by_department.period.start} 至 {by_department.period.end}"),
        ("统计截至", as_of.astimezone().strftime("%Y-%m-%d %H:%M") if as_of else "尚未生成统计"),
        ("范围", by_department.department.name if by_department.department else "本人可查看的全部部门"),
        ("办结", "作出准予或不予许可决定（已决定、已出件、已办结），按决定日期统计"),
        ("受理", "按计时起算日（受理日）统计"),
        ("限时办结率", "按时办结 ÷ 办结（在办结期限内作出决定，暂停计时与批准的延期已计入期限）"),
        ("超期", "本时段内超期办结 + 目前仍未办结且办结期限在本时段结束前已过的办件"),
        ("预警", "当前仍在办理的办件的黄牌、红牌数（与所选时段无关）"),
        ("平均办理用时", "受理日至决定日的工作日数（按工作日历，含暂停计时期间）的平均值"),
        ("满意率", "“满意”和“非常满意”（4、5 分）÷ 全部评价，按评价日期统计"),
        ("差评", "“不满意”和“非常不满意”（1、2 分），每条差评派发整改"),
        ("整改及时率", "在整改期限内反馈的 ÷（已反馈 + 已逾期），按派发日期统计"),
        ("评价等级", "、".join(f"{k} 分 {v}" for k, v in rules.GRADES.items())),
    ]
    for line in lines:
        ws.append(line)
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 90
    for (cell,) in ws.iter_rows(min_col=1, max_col=1):
        cell.font = Font(bold=True)


def workbook(by_department: stats.Report, by_item: stats.Report) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(wb, "按部门", by_department, [("部门编码", lambda r: r.code), ("部门", lambda r: r.name)])
    _sheet(wb, "按事项", by_item, [("事项编码", lambda r: r.code), ("事项", lambda r: r.name),
                                  ("实施部门", lambda r: r.department_name)])
    _notes(wb, by_department)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def filename(report: stats.Report) -> str:
    return f"电子监察统计_{report.period.start:%Y%m%d}-{report.period.end:%Y%m%d}.xlsx"

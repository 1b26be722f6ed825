"""Import and export of the catalog as an Excel workbook (openpyxl), in the layout of excel_format.

Import validates every row of every sheet first and reports all problems with sheet, row, column
and a Chinese reason; only a file without problems is applied, in one transaction (all or
nothing). Applying is idempotent: an item whose content is unchanged writes nothing; a changed one
becomes a new draft (or replaces its open draft), published at once with `publish=True`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from yingshang.catalog import excel_format as fmt
from yingshang.catalog import rules, services
from yingshang.catalog.checks import publish_problems
from yingshang.catalog.content import VERSION_FIELDS, DepartmentRow, FeeRow, MaterialRow, StepRow, VersionContent, content_of
from yingshang.catalog.models import JointDepartment, ProcessStep, ServiceItem
from yingshang.kernel.errors import ServiceError
from yingshang.kernel.models import Department

MAX_ROWS = 50_000
_GROUPS = {fmt.DEPARTMENTS: ("departments", DepartmentRow), fmt.MATERIALS: ("materials", MaterialRow),
           fmt.FEES: ("fees", FeeRow), fmt.STEPS: ("steps", StepRow)}
_GROUP_SHEET = {group: sheet for sheet, (group, _cls) in _GROUPS.items()}
_FIELD = re.compile(r"^(?P<group>\w+)\[(?P<index>\d+)\](?:\.(?P<name>\w+))?$")


class WorkbookUnreadable(Exception):
    """The file is not an .xlsx workbook at all (exit code 3 of `yingshang catalog import`)."""


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int  # the row number Excel shows (1 = the header)
    column: str  # the column's header, "" when the problem concerns the whole row
    code: str
    message: str


@dataclass
class ImportReport:
    ok: bool = True
    errors: list[RowError] = field(default_factory=list)
    items: list[dict] = field(default_factory=list)  # {code, outcome, version, published}
    dry_run: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for item in self.items if item["outcome"] == outcome)

    def as_dict(self) -> dict:
        return {"ok": self.ok, "dry_run": self.dry_run, "created": self.count(services.CREATED),
                "new_drafts": self.count(services.NEW_DRAFT), "updated_drafts": self.count(services.UPDATED_DRAFT),
                "unchanged": self.count(services.UNCHANGED), "published": sum(1 for i in self.items if i["published"]),
                "items": self.items, "errors": [asdict(e) for e in self.errors]}


@dataclass
class _Item:
    code: str
    row: int
    values: dict
    groups: dict[str, list[tuple[int, object]]] = field(default_factory=lambda: {g: [] for g, _c in _GROUPS.values()})


# --- Reading --------------------------------------------------------------------------------------
def _open(source):
    from openpyxl import load_workbook

    try:
        return load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a non-workbook (zip, XML, key errors)
        raise WorkbookUnreadable("文件无法作为 Excel 工作簿（.xlsx）读取，请用本系统导出的模板填写后另存为 .xlsx") from exc


def _rows(workbook, sheet: str, errors: list[RowError]):
    """(row number, {key: value}) of the sheet's non-blank rows; header problems go to errors."""
    columns = fmt.SHEETS[sheet]
    if sheet not in workbook.sheetnames:
        if sheet == fmt.ITEMS:
            errors.append(RowError(sheet, 0, "", "catalog.import.missing_sheet", f"缺少工作表“{sheet}”"))
        return
    rows = workbook[sheet].iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    index = {h: i for i, h in enumerate(header) if h}
    missing = [c.header for c in columns if c.required and c.header not in index]
    for name in missing:
        errors.append(RowError(sheet, 1, name, "catalog.import.missing_column", f"工作表“{sheet}”缺少列“{name}”"))
    if missing:
        return
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            errors.append(RowError(sheet, number, "", "catalog.import.too_many_rows", f"每个工作表最多 {MAX_ROWS} 行"))
            return
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        values, bad = {}, False
        for column in columns:
            if column.export_only or column.header not in index:
                continue
            raw = row[index[column.header]] if index[column.header] < len(row) else None
            try:
                values[column.key] = fmt.read_cell(raw, column)
            except fmt.CellError as exc:
                errors.append(RowError(sheet, number, column.header, "catalog.import.cell", str(exc)))
                bad = True
        if not bad:
            values["code"] = values["code"].upper()
        yield number, values if not bad else None


def _read(workbook, errors: list[RowError]) -> dict[str, _Item]:
    items: dict[str, _Item] = {}
    for number, values in _rows(workbook, fmt.ITEMS, errors):
        if values is None:
            continue
        code = values["code"]
        if not rules.valid_item_code(code):
            errors.append(RowError(fmt.ITEMS, number, "事项编码", "catalog.code_format",
                                   f"事项编码“{code}”格式不正确：应为 4–64 位大写字母、数字或连字符"))
        elif code in items:
            errors.append(RowError(fmt.ITEMS, number, "事项编码", "catalog.import.duplicate",
                                   f"事项编码“{code}”重复（第 {items[code].row} 行已有）"))
        else:
            items[code] = _Item(code, number, values)
    for sheet, (group, cls) in _GROUPS.items():
        for number, values in _rows(workbook, sheet, errors):
            if values is None:
                continue
            item = items.get(values.pop("code"))
            if item is None:
                errors.append(RowError(sheet, number, "事项编码", "catalog.import.unknown_item",
                                       "该事项编码不在“事项”工作表中（或该行事项有误）"))
                continue
            item.groups[group].append((number, cls(**values)))
    return items


def _content(item: _Item) -> VersionContent:
    fields = {k: v for k, v in item.values.items() if k in VERSION_FIELDS}
    groups = {group: [row for _n, row in rows] for group, rows in item.groups.items()}
    return VersionContent(fields=fields, halls=item.values.get("halls", []), **groups)


def _locate(item: _Item, problem_field: str) -> tuple[str, int, str]:
    """The cell a problem's field points at."""
    match = _FIELD.match(problem_field)
    if match and match["group"] == "halls":
        return fmt.ITEMS, item.row, "办理大厅编码"
    if match and match["group"] in _GROUP_SHEET:
        sheet, rows = _GROUP_SHEET[match["group"]], item.groups[match["group"]]
        i = int(match["index"])
        headers = {c.key: c.header for c in fmt.SHEETS[sheet]}
        if i < len(rows):
            return sheet, rows[i][0], headers.get(match["name"] or "", "")
    if problem_field in _GROUP_SHEET:
        rows = item.groups[problem_field]
        if rows:
            return _GROUP_SHEET[problem_field], rows[0][0], ""
        return fmt.ITEMS, item.row, ""
    headers = {c.key: c.header for c in fmt.SHEETS[fmt.ITEMS]}
    return fmt.ITEMS, item.row, headers.get(problem_field, "")


def _validate(items: dict[str, _Item], errors: list[RowError]) -> dict[str, Department]:
    owners = {d.code: d for d in Department.objects.filter(code__in={i.values["department"] for i in items.values()})}
    existing = {i.code: i for i in ServiceItem.objects.filter(code__in=list(items)).select_related("department")}
    for item in items.values():
        owner, level = owners.get(item.values["department"]), item.values["level"]
        if owner is None:
            errors.append(RowError(fmt.ITEMS, item.row, "实施部门编码", "catalog.owner_department",
                                   f"实施部门“{item.values['department']}”不存在"))
            continue
        stored = existing.get(item.code)
        if stored is not None and (stored.department_id != owner.pk or stored.level != level):
            errors.append(RowError(fmt.ITEMS, item.row, "实施部门编码", "catalog.identity_changed",
                                   f"事项已属于{stored.department.name}（{stored.get_level_display()}），导入不能改变实施部门或层级"))
            continue
        for p in publish_problems(_content(item), owner, level):
            sheet, row, column = _locate(item, p.field)
            errors.append(RowError(sheet, row, column, p.code, p.message))
    return owners


def import_catalog(source, *, publish: bool = False, valid_from: date | None = None, dry_run: bool = False) -> ImportReport:
    """Validate the whole workbook, then apply it in one transaction (rolled back when dry_run)."""
    report = ImportReport(dry_run=dry_run)
    workbook = _open(source)
    try:
        items = _read(workbook, report.errors)
        owners = _validate(items, report.errors) if items and not report.errors else {}
    finally:
        workbook.close()
    if not items and not report.errors:
        report.errors.append(RowError(fmt.ITEMS, 2, "", "catalog.import.empty", "“事项”工作表中没有任何事项"))
    if report.errors:
        report.ok = False
        return report
    current = None
    try:
        with transaction.atomic():
            for current in items.values():
                outcome, version, published = services.do_apply(
                    current.code, current.values["level"], owners[current.values["department"]], _content(current),
                    publish=publish, valid_from=valid_from, change_note=current.values.get("change_note", ""))
                report.items.append({"code": current.code, "outcome": outcome,
                                     "version": version.number if version else None, "published": published})
            if dry_run:
                transaction.set_rollback(True)
    except ServiceError as exc:
        report.ok, report.items = False, []
        report.errors.append(RowError(fmt.ITEMS, current.row if current else 0, "", exc.code, exc.message))
    return report


# --- Writing --------------------------------------------------------------------------------------
def _item_rows(version) -> dict[str, list[dict]]:
    item, content = version.item, content_of(version)
    names = {jd.department.code: jd.department.name for jd in version.joint_departments.all()}
    names |= {s.department.code: s.department.name for s in version.steps.all()}
    head = {**content.fields, "code": item.code, "level": item.level, "department": item.department.code,
            "department_name": item.department.name, "halls": content.halls, "change_note": version.change_note,
            "version": version.number, "valid_from": version.valid_from.isoformat() if version.valid_from else ""}
    return {
        fmt.ITEMS: [head],
        fmt.DEPARTMENTS: [{"code": item.code, **asdict(r), "department_name": names.get(r.department, "")}
                          for r in content.departments],
        fmt.MATERIALS: [{"code": item.code, **asdict(r)} for r in content.materials],
        fmt.FEES: [{"code": item.code, **asdict(r)} for r in content.fees],
        fmt.STEPS: [{"code": item.code, **asdict(r), "department_name": names.get(r.department, "")} for r in content.steps],
    }


def export_catalog(target, *, on_date: date | None = None, codes: list[str] | None = None) -> dict[str, int]:
    """Write the catalog in force on the day (today by default) to a path or file; returns rows per sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from yingshang.catalog.queries import in_force

    versions = in_force(on_date or timezone.localdate()).order_by("item__code").prefetch_related(
        Prefetch("joint_departments", queryset=JointDepartment.objects.select_related("department")),
        Prefetch("steps", queryset=ProcessStep.objects.select_related("department")))
    if codes is not None:
        versions = versions.filter(item__code__in=codes)
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets, counts = {}, {}
    for name, columns in fmt.SHEETS.items():
        ws = workbook.create_sheet(name)
        ws.append([c.header for c in columns])
        for i, column in enumerate(columns, start=1):
            cell = ws.cell(row=1, column=i)
            cell.font = Font(bold=True, color="FFFFFF" if column.required else "000000")
            colour = "0B4F9C" if column.required else ("D9D9D9" if column.export_only else "F4F6F9")
            cell.fill = PatternFill("solid", fgColor=colour)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            ws.column_dimensions[get_column_letter(i)].width = column.width
            lists = [fmt.YES, fmt.NO] if column.kind == "bool" else [label for _v, label in column.choices]
            if column.kind in ("bool", "choice"):
                rule = DataValidation(type="list", formula1='"' + ",".join(lists) + '"', allow_blank=not column.required)
                rule.add(f"{get_column_letter(i)}2:{get_column_letter(i)}{MAX_ROWS}")
                ws.add_data_validation(rule)
        ws.freeze_panes = "B2"
        sheets[name], counts[name] = ws, 0
    for version in versions.iterator(chunk_size=200):
        for name, rows in _item_rows(version).items():
            for row in rows:
                sheets[name].append([fmt.write_cell(row.get(c.key), c) for c in fmt.SHEETS[name]])
                counts[name] += 1
    _readme(workbook.create_sheet(fmt.README))
    workbook.save(target)
    return counts


def _readme(ws) -> None:
    ws.append(["工作表", "列", "必填", "说明"])
    for name, columns in fmt.SHEETS.items():
        for c in columns:
            note = "仅供阅读，导入时忽略" if c.export_only else c.help
            if c.kind == "choice":
                note = (note + "；" if note else "") + "可填：" + "、".join(label for _v, label in c.choices)
            if c.kind == "bool":
                note = (note + "；" if note else "") + "填“是”或“否”，空白为否"
            ws.append([name, c.header, "是" if c.required else "", note])
    ws.append([])
    ws.append(["说明", "", "", "以“事项编码”关联各工作表；内容未变化的事项不产生新版本；"
                               "有变化的事项生成新草稿（使用 --publish 时立即发布）。"])
    for letter, width in (("A", 12), ("B", 20), ("C", 6), ("D", 80)):
        ws.column_dimensions[letter].width = width

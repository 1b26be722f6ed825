"""The catalog workbook's layout: sheets, columns and how each cell is read and written.

Export and import use the same definitions, so an exported file imports unchanged. Columns are
found by their header (order is free; unknown columns are ignored); columns marked export-only
are written for people and ignored on import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from yingshang.catalog.choices import ApplicantKind, Channel, ItemType, Kind, Level, MaterialForm, StepKind

ITEMS, DEPARTMENTS, MATERIALS, FEES, STEPS, README = "事项", "联办部门", "申请材料", "收费", "办理环节", "填写说明"
YES, NO, FREE = "是", "否", "不收费"
_SEPARATORS = re.compile(r"[、，,；;\s]+")


class CellError(ValueError):
    """A cell that cannot be read; the message is Chinese and names what is expected."""


@dataclass(frozen=True)
class Column:
    key: str  # field name in the content (or a pseudo-field like "code")
    header: str
    kind: str = "text"  # text | int | int_blank | bool | choice | choices | codes | amount
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)
    export_only: bool = False
    width: int = 14
    help: str = ""


def _choices(enum) -> tuple[tuple[str, str], ...]:
    return tuple((value, str(label)) for value, label in enum.choices)


CODE = Column("code", "事项编码", required=True, width=20, help="4–64 位大写字母、数字或连字符；导入时据此识别事项")

SHEETS: dict[str, tuple[Column, ...]] = {
    ITEMS: (
        CODE,
        Column("name", "事项名称", required=True, width=28),
        Column("level", "层级", "choice", True, _choices(Level)),
        Column("department", "实施部门编码", required=True, width=16),
        Column("department_name", "实施部门名称", export_only=True, width=24),
        Column("item_type", "事项类型", "choice", True, _choices(ItemType)),
        Column("kind", "办件类型", "choice", True, _choices(Kind)),
        Column("statutory_limit_days", "法定时限（工作日）", "int_blank", help="法律法规未规定的留空"),
        Column("committed_limit_days", "承诺时限（工作日）", "int", True, help="不超过法定时限；即办件填 0 或 1"),
        Column("legal_basis", "设定依据", width=40, help="法律法规名称及条款；便民服务可空"),
        Column("conditions", "受理条件", width=30),
        Column("result_name", "办理结果", width=20),
        Column("applicant_kinds", "服务对象", "choices", choices=_choices(ApplicantKind)),
        Column("visits_needed", "到现场次数", "int", True),
        Column("do_now", "马上办", "bool", width=8),
        Column("do_online", "网上办", "bool", width=8),
        Column("do_nearby", "就近办", "bool", width=8),
        Column("do_once", "一次办", "bool", width=8),
        Column("at_most_one_visit", "最多跑一次", "bool", width=10),
        Column("zero_visit", "零跑腿", "bool", width=8),
        Column("notify_and_commit", "告知承诺", "bool", width=10),
        Column("channels", "办理渠道", "choices", choices=_choices(Channel), width=20),
        Column("consultation_phone", "咨询电话"),
        Column("complaint_phone", "监督投诉电话"),
        Column("service_hours", "办理时间", width=24),
        Column("location_note", "办理地点及窗口", width=24),
        Column("halls", "办理大厅编码", "codes", width=18, help="多个用顿号分隔"),
        Column("change_note", "修订说明", width=20, help="导入产生新草稿时记为修订说明"),
        Column("version", "版本号", export_only=True, width=8),
        Column("valid_from", "生效日期", export_only=True, width=12),
    ),
    DEPARTMENTS: (
        CODE,
        Column("department", "部门编码", required=True, width=16),
        Column("department_name", "部门名称", export_only=True, width=24),
        Column("responsibility", "职责", width=30),
    ),
    MATERIALS: (
        CODE,
        Column("name", "材料名称", required=True, width=36),
        Column("form", "材料形式", "choice", True, _choices(MaterialForm)),
        Column("count", "份数", "int", True, width=6),
        Column("required", "是否必需", "bool", True, width=8),
        Column("pending_allowed", "可容缺", "bool", width=8),
        Column("from_library", "可从材料库复用", "bool", width=10),
        Column("elicense_type", "可用电子证照", width=16),
        Column("notes", "备注", width=30),
    ),
    FEES: (
        CODE,
        Column("name", "收费项目", required=True, width=24),
        Column("amount", "金额（元）", "amount", help="填数字；不收费的填“不收费”或留空"),
        Column("unit", "计费单位", width=10),
        Column("basis", "收费依据", width=36),
    ),
    STEPS: (
        CODE,
        Column("stage", "阶段", "int", True, width=6, help="同一阶段的环节并联办理"),
        Column("name", "环节名称", required=True, width=20),
        Column("step_kind", "环节类型", "choice", True, _choices(StepKind)),
        Column("department", "办理部门编码", required=True, width=16),
        Column("department_name", "办理部门名称", export_only=True, width=24),
        Column("limit_days", "时限（工作日）", "int", True),
    ),
}


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _int(value, header: str) -> int:
    if isinstance(value, bool):
        raise CellError(f"“{header}”应为整数")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d{1,6}\s*", value):
        value = int(value)
    if not isinstance(value, int) or value < 0:
        raise CellError(f"“{header}”应为非负整数，不能是“{value}”")
    return value


def _choice(value, column: Column) -> str:
    text = str(value).strip()
    for code, label in column.choices:
        if text in (code, label):
            return code
    raise CellError(f"“{column.header}”的“{text}”无效，可填：{'、'.join(label for _c, label in column.choices)}")


def read_cell(value, column: Column):
    """The content value of a cell, or CellError. Blank cells give the column's empty value."""
    kind = column.kind
    if _blank(value):
        if column.required:
            raise CellError(f"“{column.header}”不能为空")
        return {"text": "", "int_blank": None, "bool": False, "choices": [], "codes": [], "amount": None}.get(kind, "")
    if kind == "text":
        return str(value).strip() if not isinstance(value, float) or not value.is_integer() else str(int(value))
    if kind in ("int", "int_blank"):
        return _int(value, column.header)
    if kind == "bool":
        text = str(value).strip()
        if text in (YES, "Y", "y", "1", "TRUE", "True", "true", "√"):
            return True
        if text in (NO, "N", "n", "0", "FALSE", "False", "false"):
            return False
        raise CellError(f"“{column.header}”应填“是”或“否”，不能是“{text}”")
    if kind == "choice":
        return _choice(value, column)
    if kind == "choices":
        return [_choice(part, column) for part in _SEPARATORS.split(str(value).strip()) if part]
    if kind == "codes":
        return [part.upper() for part in _SEPARATORS.split(str(value).strip()) if part]
    if kind == "amount":
        text = str(value).strip()
        if text == FREE:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise CellError(f"“{column.header}”应为金额（数字，最多两位小数）或“不收费”，不能是“{text}”") from None
        if not amount.is_finite() or amount <= 0 or amount.as_tuple().exponent < -2 or amount >= Decimal("1e10"):
            raise CellError(f"“{column.header}”应为大于 0、最多两位小数的金额；不收费请填“不收费”") from None
        return amount
    raise AssertionError(kind)


def write_cell(value, column: Column):
    """How a content value is written (labels, 是/否, 、-joined lists)."""
    labels = dict(column.choices)
    if column.kind == "bool":
        return YES if value else NO
    if column.kind == "choice":
        return labels.get(value, value)
    if column.kind == "choices":
        return "、".join(labels.get(v, v) for v in value or ())
    if column.kind == "codes":
        return "、".join(value or ())
    if column.kind == "amount":
        return FREE if value is None else float(value)  # amounts have at most two decimals: exact enough
    return value

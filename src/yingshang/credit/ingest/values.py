"""Parsing one cell: text, dates, amounts in 万元, enumerations — each failure a Chinese reason.

A parser takes the cell already stripped (a non-empty str, or a date/number from a spreadsheet)
and returns the value to store or raises FieldError(code, message).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache


class FieldError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


Parser = Callable[[object], object]

MIN_DATE = date(1949, 10, 1)
MAX_DATE = date(2099, 12, 31)
OPEN_ENDED = frozenset({"长期", "永久", "长期有效", "无期限", "无固定期限", "9999-12-31", "2099-12-31", "99991231", "20991231"})
_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
MAX_AMOUNT = Decimal("1000000000000")  # 万元; anything larger is a typo
AMOUNT_PLACES = 6  # 0.000001 万元 = 0.01 元


def as_text(value: object) -> str:
    """A cell as text: numbers from spreadsheets lose a spurious ".0"; NFKC folds full-width forms."""
    if isinstance(value, str):
        if value.isascii() or unicodedata.is_normalized("NFKC", value):  # the quick check: most text is
            return value.strip()
        return unicodedata.normalize("NFKC", value).strip()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def text(max_length: int) -> Parser:
    """Free text as written (stripped): no normalization, it is shown back as the department wrote it."""

    def parse(value: object) -> str:
        s = value if value.__class__ is str else as_text(value)
        if len(s) > max_length:
            raise FieldError("too_long", f"内容过长：最多{max_length}个字符，实际{len(s)}个")
        return s

    return parse


def name_text(max_length: int) -> Parser:
    """A name: NFKC folds full-width letters, digits and brackets, so that "（有限合伙）" and "(有限合伙)" agree."""

    def parse(value: object) -> str:
        s = as_text(value)
        if len(s) > max_length:
            raise FieldError("too_long", f"内容过长：最多{max_length}个字符，实际{len(s)}个")
        return s

    return parse


_CODE_NOISE = re.compile(r"[\s\-]")


def code_text(max_length: int) -> Parser:
    """A registration number or similar: letters and digits, separators removed."""

    def parse(value: object) -> str:
        if isinstance(value, float) and abs(value) >= 1e15:
            raise FieldError("number_precision", "号码被表格软件存为数字，精度已丢失；请将该列设为“文本”格式后重新填写")
        s = as_text(value)
        if not (s.isascii() and s.isalnum()):  # most codes are: nothing to remove
            s = _CODE_NOISE.sub("", s)
        s = s.upper()
        if len(s) > max_length:
            raise FieldError("too_long", f"号码过长：最多{max_length}位，实际{len(s)}位")
        return s

    return parse


def parse_date(value: object) -> date:
    if isinstance(value, datetime):
        found = value.date()
    elif isinstance(value, date):
        found = value
    else:
        return _date_from_text(as_text(value))
    return _in_range(found)


@lru_cache(maxsize=8192)
def _date_from_text(s: str) -> date:
    # A file's dates repeat (one decision day, many rows): parse each text once. Errors are not cached.
    try:
        found = date.fromisoformat(s) if len(s) == 10 and s[4] == "-" else _loose_date(s)
    except ValueError:
        raise FieldError("date_invalid", f"“{s[:20]}”不是真实存在的日期") from None
    return _in_range(found)


def _in_range(found: date) -> date:
    if not MIN_DATE <= found <= MAX_DATE:
        raise FieldError("date_out_of_range", f"日期{found.isoformat()}超出合理范围（{MIN_DATE.year}年至{MAX_DATE.year}年）")
    return found


def _loose_date(s: str) -> date:
    if len(s) == 8 and s.isdigit():
        return date(int(s[:4]), int(s[4:6]), int(s[6:]))
    match = _DATE_RE.match(s)
    if match is None:
        raise FieldError("date_format", f"日期“{s[:20]}”格式不正确，应为 YYYY-MM-DD（如 2026-03-01）")
    return date(int(match[1]), int(match[2]), int(match[3]))


def parse_open_date(value: object) -> date | None:
    """A date, or None for 长期 (open-ended, also written 2099-12-31 or 9999-12-31)."""
    if isinstance(value, str) and as_text(value) in OPEN_ENDED:
        return None
    return parse_date(value)


def parse_amount(value: object) -> Decimal:
    """An amount in 万元: not negative, at most 6 decimal places (0.01 元)."""
    if isinstance(value, bool):
        raise FieldError("amount_invalid", "金额应为数字（单位：万元）")
    if isinstance(value, int | float) and not isinstance(value, bool):
        s = repr(value) if isinstance(value, float) else str(value)
    else:
        s = as_text(value).replace(",", "").replace("，", "")
        if s.endswith("万元"):
            s = s[:-2]
    try:
        amount = Decimal(s)
    except InvalidOperation:
        raise FieldError("amount_invalid", f"金额“{s[:20]}”不是数字（单位：万元）") from None
    if not amount.is_finite():
        raise FieldError("amount_invalid", "金额应为数字（单位：万元）")
    if amount < 0:
        raise FieldError("amount_negative", "金额不能为负数")
    if amount > MAX_AMOUNT:
        raise FieldError("amount_too_large", "金额过大，请确认单位为万元")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > AMOUNT_PLACES:
        raise FieldError("amount_precision", f"金额最多保留{AMOUNT_PLACES}位小数（单位：万元）")
    return amount


def enum(mapping: dict[str, str], what: str) -> Parser:
    """Accept each choice's label or code (case-insensitive); the message lists the labels."""
    lookup = {k.lower(): v for k, v in mapping.items()}
    labels = "、".join(dict.fromkeys(k for k in mapping if not k.isascii()))

    def parse(value: object) -> str:
        s = as_text(value)
        found = lookup.get(s.lower())
        if found is None:
            raise FieldError("choice_invalid", f"{what}“{s[:20]}”无效，可选：{labels}")
        return found

    return parse


def choice_mapping(choices, extra: dict[str, str] | None = None) -> dict[str, str]:
    """label → value and value → value for a TextChoices class, plus extra aliases."""
    mapping = {str(c.label): c.value for c in choices}
    mapping |= {c.value: c.value for c in choices}
    return mapping | (extra or {})


_SPLIT = re.compile(r"[;；,，、/\s]+")


def multi(allowed: dict[str, str], what: str, max_length: int) -> Parser:
    """Several choices separated by ；、, (处罚类别: 警告；罚款); stored joined by "；" in canonical form."""
    names = "、".join(dict.fromkeys(allowed.values()))

    def parse(value: object) -> str:
        parts = [p for p in _SPLIT.split(as_text(value)) if p]
        found, bad = [], []
        for part in parts:
            canonical = allowed.get(part)
            (found if canonical else bad).append(canonical or part)
        if bad:
            raise FieldError("choice_invalid", f"{what}“{'、'.join(bad)[:30]}”无效，可选：{names}")
        joined = "；".join(dict.fromkeys(found))
        if len(joined) > max_length:
            raise FieldError("too_long", f"{what}过长")
        return joined

    return parse

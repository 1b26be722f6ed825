"""Rules of issuance (统一出件) and delivery (送达) as data and pure functions. No I/O.

行政许可法 Art. 39 (the licence certificate the department issues), Art. 40 (the decision is
public), Art. 44 (certificate issued and delivered within 10 days of the approval decision).
Seed 000 (榆林): 前台综合受理、后台分类审批、统一窗口出件 — the department makes the result, any hall's
window hands it out; seed 002 (青岛): 统一制发证, 快递免费送证.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

ISSUE_DAYS = 10  # Art. 44: 自作出决定之日起十日内 (calendar days: the law says 日, not 工作日 — Art. 82 aside)

# --- Licence numbers -------------------------------------------------------------------------------
_SEGMENT = re.compile(r"[A-Z0-9]+")


def licence_prefix(item_code: str) -> str:
    """The item's short code for licence numbers: the item code without its division code, letters
    and digits only, at most 10 characters, starting with a letter (e.g. 610800-XK-0101 → XK0101).

    Platform convention (issue 3 §7 asks for numbers per item; the national formats of each licence,
    such as JY + 14 digits for 食品经营许可证, are not reproduced). Two items whose short codes
    coincide draw from one counter, so numbers stay unique.
    """
    segments = _SEGMENT.findall((item_code or "").upper())
    if segments and segments[0].isdigit() and len(segments) > 1:
        segments = segments[1:]  # the GB/T 2260 division code
    body = "".join(segments)
    if not body or not body[0].isalpha():
        body = "ZZ" + body
    return body[:10]


def licence_counter(prefix: str) -> str:
    """The kernel numbering kind of a prefix: one counter per short code and year."""
    return f"licence.{prefix.lower()}"


# --- Validity --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Validity:
    result_name: str
    years: int
    source: str
    valid_from: date


# Statutory validity of common licences (data: a new entry with a later valid_from replaces an old one).
# A licence not listed is issued without an end date unless the department enters one.
VALIDITY: tuple[Validity, ...] = (
    Validity("食品经营许可证", 5, "《食品经营许可和备案管理办法》（市场监管总局令第78号）：食品经营许可证有效期为5年 — 核对条款",
             date(2023, 12, 1)),
    Validity("公共场所卫生许可证", 4, "《公共场所卫生管理条例实施细则》第二十四条：有效期限为四年", date(2011, 5, 1)),
    Validity("排污许可证", 5, "《排污许可管理条例》第十四条：排污许可证有效期为5年", date(2021, 3, 1)),
    Validity("取水许可证", 5, "《取水许可和水资源费征收管理条例》第二十五条：一般为5年，最长不超过10年", date(2006, 4, 15)),
    Validity("农药经营许可证", 5, "《农药经营许可管理办法》：农药经营许可证有效期为五年 — 核对条款", date(2018, 1, 1)),
    Validity("危险化学品经营许可证", 3, "《危险化学品经营许可证管理办法》：有效期为3年 — 核对条款", date(2012, 9, 1)),
)


def validity_years(result_name: str, on: date) -> Validity | None:
    """The validity rule in force on `on` for a licence name (the newest entry not after `on`)."""
    rows = [v for v in VALIDITY if v.result_name == result_name and v.valid_from <= on]
    return max(rows, key=lambda v: v.valid_from) if rows else None


def valid_until(valid_from: date, years: int) -> date:
    """The last valid day: the day before the same date `years` later (2026-03-01 + 5 → 2031-02-28).
    29 February moves to 28 February in a year without it."""
    year = valid_from.year + years
    try:
        end = valid_from.replace(year=year)
    except ValueError:
        end = date(year, 2, 28) + (date(year, 3, 1) - date(year, 2, 28))  # 1 March
    return date.fromordinal(end.toordinal() - 1)


# --- Express delivery ------------------------------------------------------------------------------
CARRIERS: dict[str, str] = {
    "ems": "中国邮政EMS", "chinapost": "中国邮政快递包裹", "sf": "顺丰速运", "jd": "京东物流",
    "zto": "中通快递", "yto": "圆通速递", "sto": "申通快递", "yunda": "韵达快递",
}
_S10 = re.compile(r"^[A-Z]{2}(\d{8})(\d)[A-Z]{2}$")
# Simple shape rules (platform convention from the carriers' published formats; not a guarantee the
# parcel exists — carriers change formats, so these are data).
_TRACKING: dict[str, tuple[re.Pattern, ...]] = {
    "ems": (_S10, re.compile(r"^[159]\d{12}$")),
    "chinapost": (_S10, re.compile(r"^[19]\d{12}$")),
    "sf": (re.compile(r"^SF\d{12,13}$"), re.compile(r"^\d{12}$")),
    "jd": (re.compile(r"^JD[A-Z0-9]{11,18}$"),),
    "zto": (re.compile(r"^(7|5|3|1)\d{11,14}$"),),
    "yto": (re.compile(r"^YT\d{13,16}$"),),
    "sto": (re.compile(r"^(77|88|66|55|44|33|22)\d{10,13}$"),),
    "yunda": (re.compile(r"^\d{13,15}$"),),
}


def s10_check_digit(serial: str) -> str:
    """UPU S10 check digit of the 8-digit serial (weights 8 6 4 2 3 5 9 7; 10 → 0, 11 → 5)."""
    total = sum(int(d) * w for d, w in zip(serial, (8, 6, 4, 2, 3, 5, 9, 7), strict=True))
    check = 11 - total % 11
    return "0" if check == 10 else "5" if check == 11 else str(check)


def normalize_tracking(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "").upper()


def tracking_problem(carrier: str, tracking_no: str) -> str | None:
    """None when the number has the carrier's shape, else why not (Chinese)."""
    if carrier not in CARRIERS:
        return "请选择快递公司"
    number = normalize_tracking(tracking_no)
    if not number:
        return "请填写运单号"
    patterns = _TRACKING[carrier]
    if not any(p.match(number) for p in patterns):
        return f"运单号与{CARRIERS[carrier]}的格式不符，请核对"
    match = _S10.match(number)
    if match and s10_check_digit(match.group(1)) != match.group(2):
        return "运单号校验位不正确，请核对"
    return None

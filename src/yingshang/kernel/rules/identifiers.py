"""Identifiers: USCC (GB 32100-2015), organization codes (GB 11714-1997), resident IDs (GB 11643-1999).

Sources and dates in force: GB 32100-2015 法人和其他组织统一社会信用代码编码规则 (2015-10-01);
GB 11714-1997 全国组织机构代码编制规则 (1998, verify the exact date); GB 11643-1999 公民身份号码
(1999-07-01) with ISO 7064 MOD 11-2; GB/T 2260 division codes (see `divisions`).

Pure functions, no I/O beyond the shipped division table. Every input is normalized first
(`normalize`), its kind detected from its length and shape (`validate`, documented in
docs/rules.md), then every part is checked and every error collected, each with a machine-readable
code (`uscc.check_character`, ...) and a Chinese message naming the wrong part. python-stdnum is not
used for validation: it rejects valid USCCs beginning with A, N or Y and checks neither the
embedded organization code nor the authority, category and division parts.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from operator import mul

from yingshang.kernel.rules import divisions

USCC, ORGANIZATION_CODE, RESIDENT_ID, UNKNOWN = "uscc", "organization_code", "resident_id", "unknown"
KINDS = (USCC, ORGANIZATION_CODE, RESIDENT_ID, UNKNOWN)
KIND_NAMES = {USCC: "统一社会信用代码", ORGANIZATION_CODE: "组织机构代码", RESIDENT_ID: "公民身份号码", UNKNOWN: "未知类型"}

# GB 32100-2015: the code's 31 characters, valued 0–30 (no I, O, S, V, Z).
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}
_USCC_CHARS = frozenset(USCC_ALPHABET)
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # W_i = 3^(i−1) mod 31, i = 1..17
# GB 11714-1997: body characters 0–9, A–Z valued 0–35; weights of the 8 body positions.
_ORG_VALUE = {c: int(c, 36) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_ORG_CHARS = frozenset(_ORG_VALUE)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# GB 11643-1999 (ISO 7064 MOD 11-2): weights 2^(18−i) mod 11 = 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
# and the check character for each value of the weighted sum mod 11.
_RID_CHECK = "10X98765432"
_DIGITS = frozenset("0123456789")


@dataclass(frozen=True, slots=True)
class Authority:
    """A registration authority (登记管理部门, USCC position 1) and its institution categories (position 2)."""

    code: str
    name: str
    categories: dict[str, str]
    source: str


_GB32100 = "GB 32100-2015 表1（2015-10-01起实施）"
_ADDED = "GB 32100-2015 实施后由赋码主管部门增补（修改单编号待核实）"
AUTHORITIES: dict[str, Authority] = {a.code: a for a in (
    Authority("1", "机构编制", {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"}, _GB32100),
    Authority("2", "外交", {"1": "外国常驻新闻机构", "9": "其他"}, _GB32100),
    Authority("3", "司法行政", {"1": "律师执业机构", "2": "公证处", "3": "基层法律服务所", "4": "司法鉴定机构",
                            "5": "仲裁委员会", "9": "其他"}, _GB32100),
    Authority("4", "文化", {"1": "外国在华文化中心", "9": "其他"}, _GB32100),
    Authority("5", "民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}, _GB32100),
    Authority("6", "旅游", {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构", "9": "其他"},
              _GB32100),
    Authority("7", "宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}, _GB32100),
    Authority("8", "工会", {"1": "基层工会", "9": "其他"}, _GB32100),
    Authority("9", "工商", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}, _GB32100),
    Authority("A", "中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}, _ADDED),
    Authority("N", "农业", {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"}, _ADDED),
    Authority("Y", "其他", {"1": "其他"}, _GB32100),
)}

# Earliest accepted birth date. GB 11643-1999 itself gives 440524188001010014 as an example, and no one
# alive when the standard took effect (1999) was born much earlier; anything older is a typo.
MIN_BIRTH_DATE = date(1880, 1, 1)

# Stripped by normalize(): whitespace, hyphens and dashes, middle dots, dots and invisible characters
# that copy-and-paste brings along. NFKC has already turned full-width forms into ASCII.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212·•‧・.\u200b-\u200d\u2060\ufeff]+")


def normalize(code: str) -> str:
    """Full-width → half-width (Unicode NFKC), separators removed, upper-case: "９１１１ 0000-６…" → "911100006…"."""
    if code.isascii():
        return _SEPARATORS.sub("", code).upper()
    # Twice: removing a separator or upper-casing can leave characters that NFKC composes anew.
    for _ in range(2):
        code = _SEPARATORS.sub("", unicodedata.normalize("NFKC", code)).upper()
    return code


def _ascii_alnum(s: str) -> bool:
    return s.isascii() and s.isalnum()


# --- check characters --------------------------------------------------------------------------

def uscc_check_character(body: str) -> str:
    """GB 32100-2015: C18 = 31 − (Σ C_i·W_i mod 31), 31 → 0, over the first 17 characters."""
    total = sum(map(mul, map(_USCC_VALUE.__getitem__, body[:17]), _USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def organization_code_check_character(body: str) -> str:
    """GB 11714-1997: C9 = 11 − (Σ C_i·W_i mod 11); 10 → X, 11 → 0."""
    check = 11 - sum(map(mul, map(_ORG_VALUE.__getitem__, body[:8]), _ORG_WEIGHTS)) % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def resident_id_check_character(body: str) -> str:
    """GB 11643-1999, ISO 7064 MOD 11-2: "10X98765432"[Σ a_i·W_i mod 11] over the first 17 digits."""
    # W_i = 2^(18−i) mod 11 and 13 ≡ 2 (mod 11), so Σ a_i·W_i ≡ 2·int(body, 13): one C-level call.
    return _RID_CHECK[2 * int(body[:17], 13) % 11]


def upgrade_legacy_resident_id(code: str) -> str:
    """GB 11643-1999: a 15-digit number (1984–1999) becomes 18 digits: insert "19" after the
    6-digit address code (its birth year had two digits), then append the check character."""
    body = code[:6] + "19" + code[6:15]
    return body + resident_id_check_character(body)


# --- results -----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class IdError:
    code: str  # machine-readable, e.g. "uscc.check_character"
    message: str  # Chinese, names the wrong part

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class IdCheck:
    """The outcome of `validate`. `normalized` is the canonical form: for a valid code the value to
    store (a 15-digit resident ID comes back upgraded to 18 digits); for an invalid one the cleaned-up
    input when it holds only letters and digits, else None. `details` (valid codes only) holds the
    parts: birth date, sex, division, authority, category, embedded organization code."""

    code: str
    kind: str
    valid: bool
    normalized: str | None
    errors: tuple[IdError, ...] = ()
    details: dict = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return "；".join(e.message for e in self.errors)

    def as_dict(self) -> dict:
        """The contract shape of `yingshang ids check --json` and the API."""
        return {"code": self.code, "kind": self.kind, "valid": self.valid, "normalized": self.normalized,
                "errors": [e.as_dict() for e in self.errors]}


@dataclass(slots=True)
class _Parsed:
    errors: list[IdError]
    normalized: str | None
    details: dict = field(default_factory=dict)


def _cleaned(s: str) -> str | None:
    return s if s and _ascii_alnum(s) else None


def _positions(bad: list[tuple[int, str]]) -> str:
    shown = "、".join(f"第{i}位“{c}”" for i, c in bad[:5])
    return shown + ("等" if len(bad) > 5 else "")


# --- USCC --------------------------------------------------------------------------------------

def _parse_uscc(s: str) -> _Parsed:
    if len(s) != 18:
        return _Parsed([IdError("uscc.length", f"统一社会信用代码应为18位，实际为{len(s)}位")], _cleaned(s))
    errors = []
    bad = [] if _USCC_CHARS.issuperset(s) else [(i, c) for i, c in enumerate(s, 1) if c not in _USCC_CHARS]
    if bad:
        errors.append(IdError("uscc.charset",
                              f"{_positions(bad)}不是统一社会信用代码可用的字符（数字或除I、O、S、V、Z外的大写字母）"))
    authority = AUTHORITIES.get(s[0])
    if authority is None:
        errors.append(IdError("uscc.authority", f"第1位登记管理部门代码“{s[0]}”不存在"))
    elif s[1] not in authority.categories:
        allowed = "、".join(f"{k} {v}" for k, v in authority.categories.items())
        errors.append(IdError("uscc.authority_category",
                              f"第2位机构类别代码“{s[1]}”不属于登记管理部门“{s[0]} {authority.name}”（可用：{allowed}）"))
    division = s[2:8]
    if not divisions.exists(division):
        errors.append(IdError("uscc.division_code", f"第3–8位登记管理机关行政区划码“{division}”不在GB/T 2260行政区划代码表中"))
    org = s[8:17]
    if _ORG_CHARS.issuperset(org[:8]) and org[8] != organization_code_check_character(org):
        errors.append(IdError("uscc.organization_code_check", f"第9–17位组织机构代码“{org}”的校验码（第17位）不符合GB 11714"))
    if not bad and s[17] != uscc_check_character(s):
        errors.append(IdError("uscc.check_character", "第18位校验码与前17位不符（可能有字符录入错误）"))
    details = {}
    if not errors:
        details = {"authority": s[0], "authority_name": authority.name, "category": s[1],
                   "category_name": authority.categories[s[1]], "division_code": division,
                   "division_name": divisions.full_name(division), "organization_code": org}
    return _Parsed(errors, _cleaned(s), details)


# --- organization code -------------------------------------------------------------------------

def _parse_organization_code(s: str) -> _Parsed:
    if len(s) != 9:
        return _Parsed([IdError("organization_code.length", f"组织机构代码应为9位（8位本体代码和1位校验码），实际为{len(s)}位")],
                       _cleaned(s))
    bad = [(i, c) for i, c in enumerate(s[:8], 1) if c not in _ORG_CHARS]
    errors = []
    if bad:
        errors.append(IdError("organization_code.charset", f"本体代码{_positions(bad)}不是数字或大写字母"))
    if s[8] not in _DIGITS and s[8] != "X":
        errors.append(IdError("organization_code.charset", f"第9位校验码“{s[8]}”应为数字或X"))
    elif not bad and s[8] != organization_code_check_character(s):
        errors.append(IdError("organization_code.check_character", "第9位校验码与前8位本体代码不符（可能有字符录入错误）"))
    return _Parsed(errors, _cleaned(s))


# --- resident ID -------------------------------------------------------------------------------

def _parse_resident_id(s: str, today: date) -> _Parsed:
    legacy = len(s) == 15
    if len(s) not in (15, 18):
        return _Parsed([IdError("resident_id.length", f"公民身份号码应为18位（旧号码15位），实际为{len(s)}位")], _cleaned(s))
    digits = s if legacy else s[:17]
    if not (digits.isascii() and digits.isdigit()) or not (legacy or s[17] in _DIGITS or s[17] == "X"):
        rule = "15位旧号码应全部为数字" if legacy else "前17位应为数字，第18位应为数字或X"
        return _Parsed([IdError("resident_id.charset", f"公民身份号码{rule}")], _cleaned(s))
    body = s[:6] + "19" + s[6:] if legacy else s[:17]
    errors = []
    where = "第7–12位" if legacy else "第7–14位"
    try:
        born = date(int(body[6:10]), int(body[10:12]), int(body[12:14]))
    except ValueError:
        born = None
        errors.append(IdError("resident_id.birth_date", f"{where}出生日期不是真实的日期"))
    if born and born > today:
        errors.append(IdError("resident_id.birth_date_future", f"{where}出生日期晚于今天"))
    if born and born < MIN_BIRTH_DATE:
        errors.append(IdError("resident_id.birth_date_too_early", f"{where}出生日期早于{MIN_BIRTH_DATE.year}年，不合常理"))
    address = body[:6]
    if not divisions.exists(address) or address == "100000":
        errors.append(IdError("resident_id.division_code", f"第1–6位地址码“{address}”不在GB/T 2260行政区划代码表中"))
    elif born and not divisions.in_force_on_or_after(address, born.year):
        last = max(p.end for p in divisions.periods(address))
        errors.append(IdError("resident_id.division_code",
                              f"第1–6位地址码“{address}”（{divisions.division_name(address)}）已于{last}年撤销，早于出生年份"))
    if not legacy and s[17] != resident_id_check_character(body):
        errors.append(IdError("resident_id.check_character", "第18位校验码与前17位不符（可能有数字录入错误）"))
    normalized = body + resident_id_check_character(body) if legacy else s
    details = {}
    if not errors:
        details = {"birth_date": born.isoformat(), "sex": "male" if int(body[14:17]) % 2 else "female",
                   "division_code": address, "division_name": divisions.full_name(address, born.year),
                   "legacy": legacy}
    return _Parsed(errors, normalized, details)


# --- kind detection and validation -------------------------------------------------------------

def _resolve_18_digits(s: str, today: date) -> tuple[str, _Parsed]:
    """17 digits + digit/X fits both a resident ID and a USCC. Prefer whichever is valid (resident
    ID first); when neither is, the one whose structure fits better, and a resident ID when unsure,
    so that an unknown number that may be personal data is treated (and masked) as one."""
    rid = _parse_resident_id(s, today)
    if not rid.errors:
        return RESIDENT_ID, rid
    uscc = _parse_uscc(s)
    if not uscc.errors:
        return USCC, uscc
    rid_codes = {e.code for e in rid.errors}
    uscc_codes = {e.code for e in uscc.errors}
    if "resident_id.check_character" not in rid_codes:
        return RESIDENT_ID, rid
    if "uscc.check_character" not in uscc_codes:
        return USCC, uscc
    if "resident_id.birth_date" not in rid_codes:
        return RESIDENT_ID, rid
    if not uscc_codes & {"uscc.authority", "uscc.authority_category"}:
        return USCC, uscc
    return RESIDENT_ID, rid


def _classify(s: str, today: date) -> tuple[str, _Parsed]:
    n = len(s)
    digits_x = n > 1 and s[:-1].isascii() and s[:-1].isdigit() and (s[-1] in _DIGITS or s[-1] == "X")
    if n == 0:
        return UNKNOWN, _Parsed([IdError("id.empty", "号码为空")], None)
    if n == 18:
        return _resolve_18_digits(s, today) if digits_x else (USCC, _parse_uscc(s))
    if n == 15 and s.isascii() and s.isdigit():
        return RESIDENT_ID, _parse_resident_id(s, today)
    if n == 9 or (n in (8, 10) and _ascii_alnum(s)):
        return ORGANIZATION_CODE, _parse_organization_code(s)
    # One character too few or too many: report the length against the kind the shape suggests.
    if n in (17, 19) and digits_x:
        return RESIDENT_ID, _parse_resident_id(s, today)
    if n in (17, 19) and _ascii_alnum(s):
        return USCC, _parse_uscc(s)
    return UNKNOWN, _Parsed([IdError(
        "id.unrecognized",
        f"无法识别号码类型：长度为{n}位（统一社会信用代码18位，组织机构代码9位，公民身份号码18位或15位）",
    )], _cleaned(s))


def validate(code: str, *, today: date | None = None) -> IdCheck:
    """Normalize, detect the kind and check every part of `code`; never raises for bad input.

    `today` bounds resident birth dates (default: the system date; callers pass the local date).
    """
    if not isinstance(code, str):
        raise TypeError("code must be a str")
    kind, parsed = _classify(normalize(code), today or date.today())
    return IdCheck(code, kind, not parsed.errors, parsed.normalized, tuple(parsed.errors), parsed.details)


def detect_kind(code: str) -> str:
    """"uscc", "organization_code", "resident_id" or "unknown", as `validate` decides it."""
    return validate(code).kind


def _validate_as(kind: str, parse, code: str) -> IdCheck:
    parsed = parse(normalize(code))
    return IdCheck(code, kind, not parsed.errors, parsed.normalized, tuple(parsed.errors), parsed.details)


def validate_uscc(code: str) -> IdCheck:
    """Validate as a USCC whatever its shape (for fields that must hold one)."""
    return _validate_as(USCC, _parse_uscc, code)


def is_valid_uscc(s: str) -> bool:
    """`validate_uscc(s).valid` for a code already in normal form (see `normalize`), without building
    the explanation: a bulk import checks every row and needs the reasons only for those that fail."""
    if len(s) != 18 or not _USCC_CHARS.issuperset(s):
        return False
    authority = AUTHORITIES.get(s[0])
    if authority is None or s[1] not in authority.categories or not divisions.exists(s[2:8]):
        return False
    org = s[8:17]
    if _ORG_CHARS.issuperset(org[:8]) and org[8] != organization_code_check_character(org):
        return False
    return s[17] == uscc_check_character(s)


def validate_organization_code(code: str) -> IdCheck:
    return _validate_as(ORGANIZATION_CODE, _parse_organization_code, code)


def validate_resident_id(code: str, *, today: date | None = None) -> IdCheck:
    return _validate_as(RESIDENT_ID, lambda s: _parse_resident_id(s, today or date.today()), code)


# --- masking -----------------------------------------------------------------------------------

def mask_resident_id(value: str) -> str:
    """Hide the birth date and sequence: 610802199001011234 → 610802********1234 (15 digits: 6 + ****** + 3)."""
    s = normalize(value)
    if len(s) == 18:
        return s[:6] + "*" * 8 + s[14:]
    if len(s) == 15:
        return s[:6] + "*" * 6 + s[12:]
    return mask(s)


def mask(value: str) -> str:
    """Keep the first third (at most 6) and the last quarter (at most 4) characters; 18 → 6 + 8 + 4."""
    s = normalize(value)
    n = len(s)
    if n <= 4:
        return "*" * n
    head, tail = min(6, n // 3), min(4, n // 4)
    return s[:head] + "*" * (n - head - tail) + s[n - tail:]


# --- generators (demo data, tests) -------------------------------------------------------------

_USCC_LETTERS = USCC_ALPHABET[10:]


def _organization_body(rng: random.Random) -> str:
    # Codes assigned since 2015 mostly start "MA"; older ones are all digits. Letters stay within
    # the USCC alphabet so that the code can be embedded in a USCC.
    if rng.random() < 0.5:
        return "".join(rng.choice("0123456789") for _ in range(8))
    return "MA" + "".join(rng.choice("0123456789" + _USCC_LETTERS) for _ in range(6))


def generate_organization_code(rng: random.Random) -> str:
    """A valid 9-character organization code (GB 11714), deterministic for a given `rng`."""
    body = _organization_body(rng)
    return body + organization_code_check_character(body)


def generate_uscc(rng: random.Random, division_code: str | None = None, authority: str | None = None,
                  category: str | None = None) -> str:
    """A valid USCC; unspecified parts are drawn from `rng` (divisions: codes in force today)."""
    if authority is None:
        authority = rng.choice([a for a in sorted(AUTHORITIES) if category is None or category in AUTHORITIES[a].categories]
                               or ["9"])
    if authority not in AUTHORITIES:
        raise ValueError(f"unknown registration authority {authority!r}")
    categories = AUTHORITIES[authority].categories
    category = category if category is not None else rng.choice(sorted(categories))
    if category not in categories:
        raise ValueError(f"category {category!r} does not belong to authority {authority!r}")
    division_code = division_code or rng.choice(divisions.current_codes())
    if not divisions.exists(division_code):
        raise ValueError(f"unknown division code {division_code!r}")
    body = authority + category + division_code + generate_organization_code(rng)
    return body + uscc_check_character(body)


def generate_resident_id(rng: random.Random, division_code: str | None = None, birth_date: date | None = None,
                         sex: str | None = None) -> str:
    """A valid 18-digit resident ID; sex is "male" (odd sequence) or "female" (even)."""
    if birth_date is None:
        start, end = date(1950, 1, 1).toordinal(), date(2005, 12, 31).toordinal()
        birth_date = date.fromordinal(rng.randint(start, end))
    if division_code is None:
        division_code = rng.choice(_resident_divisions())
    if not divisions.in_force_on_or_after(division_code, birth_date.year) or division_code == "100000":
        raise ValueError(f"division code {division_code!r} is unknown or was abolished before {birth_date.year}")
    sex = sex or rng.choice(("male", "female"))
    if sex not in ("male", "female"):
        raise ValueError("sex must be 'male' or 'female'")
    sequence = rng.randrange(0, 497) * 2 + (1 if sex == "male" else 2)  # 001–994; 996–999 are for centenarians
    body = f"{division_code}{birth_date:%Y%m%d}{sequence:03d}"
    return body + resident_id_check_character(body)


@cache
def _resident_divisions() -> tuple[str, ...]:
    return tuple(c for c in divisions.current_codes("county") if divisions.division_name(c) != "市辖区")

"""Public identifier check: USCC, organization code, resident ID.

Anonymous callers never get a resident ID back in full: for results of kind `resident_id` both
`code` and `normalized` are masked (610802********1234), and so are those of kind `unknown` that hold
ten or more digits (a mistyped personal number). Results come in request order, so callers match
them by position. USCCs and organization codes are public registration data and are returned as is.
Prefer POST for resident IDs: a GET query string ends up in proxy and access logs.
"""

from typing import Annotated, Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from pydantic import StringConstraints

from yingshang.kernel.rules.identifiers import RESIDENT_ID, UNKNOWN, IdCheck, mask, mask_resident_id, validate

router = Router(tags=["证件号码"])

MAX_CODES = 1000
MAX_LENGTH = 64

Code = Annotated[str, StringConstraints(max_length=MAX_LENGTH)]
Kind = Literal["uscc", "organization_code", "resident_id", "unknown"]


class IdErrorOut(Schema):
    code: str = Field(description="机器可读的错误代码，如 uscc.check_character、resident_id.birth_date")
    message: str = Field(description="中文说明，指出号码中错误的部分")


class IdCheckOut(Schema):
    code: str = Field(description="提交的号码；公民身份号码（及含10位以上数字的无法识别号码）已遮蔽")
    kind: Kind = Field(description="号码类型：uscc 统一社会信用代码、organization_code 组织机构代码、"
                                   "resident_id 公民身份号码、unknown 无法识别")
    valid: bool = Field(description="是否有效")
    normalized: str | None = Field(description="规范化后的号码（全角转半角、去除分隔符、大写；15位身份证号升为18位）；"
                                               "无法规范化时为 null；公民身份号码已遮蔽")
    errors: list[IdErrorOut] = Field(description="全部错误；有效时为空列表")


class IdCheckIn(Schema):
    codes: list[Code] = Field(min_length=1, max_length=MAX_CODES,
                              description=f"要校验的号码，1–{MAX_CODES} 个，每个不超过 {MAX_LENGTH} 个字符")


def public(result: IdCheck) -> dict:
    """The contract shape with personal numbers masked."""
    data = result.as_dict()
    if result.kind == RESIDENT_ID:
        data["code"] = mask_resident_id(result.code)
        data["normalized"] = mask_resident_id(result.normalized) if result.normalized else None
    elif result.kind == UNKNOWN and sum(c.isdigit() for c in result.code) >= 10:
        data["code"] = mask(result.code)
        data["normalized"] = mask(result.normalized) if result.normalized else None
    return data


@router.post("/check", response=list[IdCheckOut], auth=None, summary="批量校验证件号码",
             description="识别类型、规范化并按国家标准逐项校验（GB 32100-2015、GB 11714、GB 11643-1999）。"
                         "无需登录。公民身份号码在响应中遮蔽。请求体不合法时返回 422。")
def check_many(request, payload: IdCheckIn):
    today = timezone.localdate()
    return [public(validate(code, today=today)) for code in payload.codes]


@router.get("/check", response=IdCheckOut, auth=None, summary="校验单个证件号码",
            description="同批量校验，仅一个号码。公民身份号码请使用 POST，以免号码进入访问日志。")
def check_one(request, code: Annotated[str, Query(max_length=MAX_LENGTH, description="要校验的号码")]):
    return public(validate(code, today=timezone.localdate()))

"""Public verification of issued documents by their verification code."""

from datetime import datetime
from typing import Literal

from ninja import Field, Router, Schema

from yingshang.kernel.services.documents import public_info, verify_document

router = Router(tags=["文书核验"])


class DocumentVerification(Schema):
    verification_code: str = Field(description="核验码，按四位分组，如 ABCD-EFGH-JKLM-NPQR")
    title: str = Field(description="文书标题")
    number: str = Field(description="文号")
    kind: str = Field(description="文书种类代码")
    kind_label: str = Field(description="文书种类名称")
    issuer: str = Field(description="出具单位（出具时的名称）")
    issued_at: datetime = Field(description="出具时间")
    holder: str = Field(description="持有人；自然人姓名仅显示姓氏首字")
    sha256: str = Field(description="登记的 PDF 文件 SHA-256 摘要（十六进制小写）")
    size: int = Field(description="文件大小（字节）")
    status: Literal["valid", "revoked"] = Field(description="valid 有效；revoked 已作废")
    revoked_at: datetime | None = Field(None, description="作废时间")
    revoke_reason: str | None = Field(None, description="作废原因")
    verify_url: str = Field(description="核验页面地址（即文书二维码的内容）")


class Error(Schema):
    code: str = Field(description="机器可读代码，如 document_not_found")
    message: str = Field(description="中文说明")
    details: dict | list | None = None


@router.get(
    "/verify/{code}", response={200: DocumentVerification, 404: Error}, auth=None, summary="核验文书",
    description=(
        "按文书页脚印制的核验码查询登记信息（不区分大小写，可含连字符）。任何人可调用。"
        "核验码不存在或格式不正确时返回 404，code 为 document_not_found。"
    ),
)
def verify(request, code: str):
    return public_info(verify_document(code))

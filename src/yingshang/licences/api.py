"""The e-licence API (/api/v1/licences): the signed-in holder's licences; staff revoke with a reason.

Errors are `{"code", "message", "details"}` with 400, 403, 404, 409 or 422.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from ninja import Field, Router, Schema

from yingshang.kernel import access
from yingshang.kernel.api.auth import signed_in
from yingshang.kernel.services.documents import format_code, verification_url
from yingshang.licences import services

router = Router(tags=["电子证照"], auth=signed_in)


class Error(Schema):
    code: str = Field(description="机器可读代码，如 licence.not_found、licence.already_revoked")
    message: str = Field(description="中文说明")
    details: dict | list | None = None


class LicenceOut(Schema):
    id: int
    name: str = Field(description="证照名称")
    number: str = Field(description="证照编号")
    holder_name: str
    holder_id_masked: str = Field(description="证件号码（脱敏）")
    issuer_name: str
    issued_on: dt.date
    valid_until: dt.date | None = Field(description="有效期至；空为长期有效")
    status: str = Field(description="valid 有效 · expired 已过期 · revoked 已注销")
    case_no: str = Field(description="来源办件编号")
    verification_code: str | None
    verification_url: str | None
    revoked_at: dt.datetime | None
    revoke_reason: str


class RevokeIn(Schema):
    reason: str = Field(max_length=500, description="注销原因（必填，至多 200 字）")


def _out(view: services.ELicenseView) -> dict:
    status = "revoked" if view.status == "revoked" else ("valid" if view.is_valid else "expired")
    code = view.verification_code
    return {
        "id": view.id, "name": view.name, "number": view.number, "holder_name": view.holder_name,
        "holder_id_masked": view.holder_id_masked, "issuer_name": view.issuer_name, "issued_on": view.issued_on,
        "valid_until": view.valid_until, "status": status, "case_no": view.source_ref,
        "verification_code": format_code(code) if code else None, "verification_url": verification_url(code) if code else None,
        "revoked_at": view.revoked_at, "revoke_reason": view.revoke_reason,
    }


@router.get("", response={200: list[LicenceOut], 403: Error}, summary="我的电子证照")
def list_mine(request, include_invalid: bool = False):
    """The signed-in person's or enterprise's e-licences (valid ones; `include_invalid` adds revoked and expired)."""
    access.check_perm(request.user, services.VIEW_OWN)
    return [_out(v) for v in services.holder_licences(request.user, include_invalid=include_invalid)]


@router.get("/{licence_id}", response={200: LicenceOut, 403: Error, 404: Error}, summary="电子证照详情")
def detail(request, licence_id: int):
    return _out(services.to_view(services.check_view(request.user, licence_id)))


@router.post("/{licence_id}/revoke", response={200: LicenceOut, 400: Error, 403: Error, 404: Error, 409: Error},
             summary="注销电子证照")
def revoke(request, licence_id: int, body: RevokeIn):
    """Staff (head of the issuing department, admin): revoke with a reason; the verification page shows it revoked."""
    with transaction.atomic():
        lic = services.do_revoke_licence(request.user, licence_id, body.reason)
    return _out(services.to_view(lic))

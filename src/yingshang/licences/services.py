"""The e-licence wallet: place, list, revoke. The only code that changes licences.

A licence belongs to an identity (keyed digest of the resident ID or the USCC), not to an account,
so a licence issued to a window applicant shows up once that person or enterprise signs in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from yingshang.kernel import access
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from yingshang.kernel.protect import id_digest
from yingshang.kernel.services.audit import record
from yingshang.licences.models import ELicense

VIEW_OWN = "licences.view_own"
MANAGE = "licences.manage"  # see every licence, revoke
PERMISSIONS = {
    VIEW_OWN: {access.CITIZEN, access.ENTERPRISE},
    MANAGE: {access.DEPT_HEAD, access.ADMIN},
}
PERSON, ENTERPRISE = ELicense.HolderKind.PERSON, ELicense.HolderKind.ENTERPRISE
MAX_REASON = 200


@dataclass(frozen=True)
class ELicenseView:
    id: int
    name: str
    number: str
    holder_name: str
    issuer_name: str
    issued_on: date
    valid_until: date | None
    status: str = ELicense.Status.VALID
    holder_id_masked: str = ""
    verification_code: str = ""
    source_ref: str = ""
    revoked_at: object = None
    revoke_reason: str = ""

    @property
    def is_valid(self) -> bool:
        return self.status == ELicense.Status.VALID and (self.valid_until is None or self.valid_until >= timezone.localdate())

    @property
    def status_label(self) -> str:
        if self.status == ELicense.Status.REVOKED:
            return "已注销"
        return "有效" if self.is_valid else "已过期"


def to_view(lic: ELicense) -> ELicenseView:
    doc = lic.document if lic.document_id else None
    return ELicenseView(
        id=lic.pk, name=lic.name, number=lic.number, holder_name=lic.holder_name, issuer_name=lic.issuer_name,
        issued_on=lic.issued_on, valid_until=lic.valid_until, status=lic.status, holder_id_masked=lic.holder_id_masked,
        verification_code=doc.verification_code if doc else "", source_ref=lic.source_ref, revoked_at=lic.revoked_at,
        revoke_reason=lic.revoke_reason,
    )


def holder_key_of(user) -> str | None:
    """The identity an account stands for (as `cases.services.applications._account_applicant` maps it)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if access.has_role(user, access.ENTERPRISE):
        return id_digest(user.uscc) if user.uscc else None
    return user.id_number_digest or None


def _own(user):
    key = holder_key_of(user)
    if key is None:
        return ELicense.objects.none()
    return ELicense.objects.filter(holder_key=key).select_related("document")


def holder_licences(user, *, include_invalid: bool = False) -> list[ELicenseView]:
    """The user's e-licences: by default only valid ones (not revoked, not expired) — what may be reused."""
    qs = _own(user)
    if not include_invalid:
        today = timezone.localdate()
        qs = qs.filter(status=ELicense.Status.VALID).exclude(valid_until__lt=today)
    return [to_view(lic) for lic in qs.order_by("-issued_on", "-id")]


def get_holder_licence(user, licence_id) -> ELicenseView:
    """One of the user's e-licences (revoked or expired ones too); NotFound for anyone else's."""
    return to_view(_get_own(user, licence_id))


def _get_own(user, licence_id) -> ELicense:
    try:
        pk = int(licence_id)
    except (TypeError, ValueError):
        pk = None
    lic = _own(user).filter(pk=pk).first() if pk else None
    if lic is None:
        raise NotFound("licence.not_found", "未找到该电子证照", details={"id": str(licence_id)[:32]})
    return lic


def check_view(user, licence_id) -> ELicense:
    """A licence the user may open: their own, or any for licence managers."""
    if access.has_perm(user, MANAGE):
        lic = ELicense.objects.select_related("document").filter(pk=_int_or_none(licence_id)).first()
        if lic is None:
            raise NotFound("licence.not_found", "未找到该电子证照", details={"id": str(licence_id)[:32]})
        return lic
    access.check_perm(user, VIEW_OWN)
    return _get_own(user, licence_id)


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def do_place_licence(*, holder_key: str, holder_kind: str, holder_name: str, holder_id_masked: str, name: str,
                     number: str, issuer, issued_on: date, valid_until: date | None = None, document=None,
                     source_type: str = "", source_ref: str = "") -> ELicense:
    """Put an issued licence in the holder's wallet (called by the issuing service, same transaction)."""
    if not holder_key or len(holder_key) != 64:
        raise InvalidInput("licence.holder_missing", "缺少持证主体身份信息，不能生成电子证照")
    if holder_kind not in (PERSON, ENTERPRISE):
        raise InvalidInput("licence.holder_kind", "持证主体类型不正确")
    if valid_until is not None and valid_until < issued_on:
        raise InvalidInput("licence.validity", "有效期截止日期不能早于发证日期")
    if ELicense.objects.filter(number=number).exists():
        raise Conflict("licence.number_taken", f"证照编号 {number} 已被使用")
    lic = ELicense.objects.create(
        holder_key=holder_key, holder_kind=holder_kind, holder_name=holder_name[:200],
        holder_id_masked=holder_id_masked[:32], name=name[:200], number=number, issuer=issuer,
        issuer_name=issuer.name if issuer is not None else "", issued_on=issued_on, valid_until=valid_until,
        document=document, source_type=source_type, source_ref=source_ref,
    )
    record("licences.elicense.place", lic, after={
        "name": lic.name, "number": number, "holder_name": lic.holder_name, "holder_id": lic.holder_id_masked,
        "issuer": lic.issuer_name, "issued_on": issued_on.isoformat(),
        "valid_until": valid_until.isoformat() if valid_until else None, "source": f"{source_type}:{source_ref}",
    })
    return lic


def check_revoke(user) -> None:
    if not access.has_perm(user, MANAGE):
        raise Forbidden("licence.forbidden", "只有发证部门负责人或管理员可以注销电子证照")


def do_revoke_licence(user, licence_id, reason: str) -> ELicense:
    """Revoke a licence with a reason; its document is revoked too, so /verify/ shows it as revoked."""
    check_revoke(user)
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if not reason:
        raise InvalidInput("licence.reason_required", "请填写注销原因", details={"field": "reason"})
    if len(reason) > MAX_REASON:
        raise InvalidInput("licence.reason_too_long", f"注销原因不能超过 {MAX_REASON} 字", details={"field": "reason"})
    lic = ELicense.objects.select_for_update().filter(pk=_int_or_none(licence_id)).first()
    if lic is None:
        raise NotFound("licence.not_found", "未找到该电子证照", details={"id": str(licence_id)[:32]})
    if lic.issuer_id is not None and not access.visible_departments(user).filter(pk=lic.issuer_id).exists():
        raise Forbidden("licence.not_your_department", "只能注销本部门（及下属单位）发放的电子证照")
    if lic.status == ELicense.Status.REVOKED:
        raise Conflict("licence.already_revoked", "该电子证照已注销")
    lic.status, lic.revoked_at, lic.revoke_reason = ELicense.Status.REVOKED, timezone.now(), reason
    lic.save(update_fields=["status", "revoked_at", "revoke_reason"])
    record("licences.elicense.revoke", lic, before={"status": "valid"},
           after={"status": "revoked", "reason": reason, "number": lic.number})
    if lic.document_id:
        from yingshang.kernel.services import documents

        doc = lic.document
        if doc.revoked_at is None:
            documents._revoke(doc, f"电子证照已注销：{reason}"[:200])
    return lic


def licence_for_source(source_type: str, source_ref: str) -> ELicenseView | None:
    lic = ELicense.objects.select_related("document").filter(source_type=source_type, source_ref=source_ref).first()
    return to_view(lic) if lic else None


__all__ = ["ELicenseView", "check_view", "do_place_licence", "do_revoke_licence", "get_holder_licence",
           "holder_key_of", "holder_licences", "licence_for_source"]

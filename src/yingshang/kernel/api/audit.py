"""The audit trail, read-only: entries by object, and chain verification (supervisors and admins)."""

from datetime import datetime

from ninja import Field, Query, Router, Schema

from yingshang.kernel import access
from yingshang.kernel.api.auth import signed_in
from yingshang.kernel.models import AuditEntry
from yingshang.kernel.services.audit import verify

router = Router(tags=["审计"])


class EntryOut(Schema):
    seq: int
    created_at: datetime
    actor_name: str
    actor_role: str
    department_code: str
    action: str
    object_type: str
    object_id: str
    summary: str
    client_ip: str
    hash: str


class EntryFilter(Schema):
    object_type: str | None = Field(None, max_length=64, description="对象类型，如 kernel.department")
    object_id: str | None = Field(None, max_length=64)
    action: str | None = Field(None, max_length=64)
    after_seq: int = Field(0, ge=0, description="游标：只返回序号大于此值的记录")
    limit: int = Field(50, ge=1, le=500)


class VerifyOut(Schema):
    ok: bool
    checked: int
    broken_seq: int | None
    reason: str | None


@router.get("/entries", response=list[EntryOut], auth=signed_in, summary="审计记录",
            description="按序号升序的游标分页（after_seq）；需要电子监察或管理员身份。")
def entries(request, filters: Query[EntryFilter]):
    access.check_perm(request.auth, "kernel.view_audit")
    qs = AuditEntry.objects.filter(seq__gt=filters.after_seq).order_by("seq")
    for name in ("object_type", "object_id", "action"):
        value = getattr(filters, name)
        if value:
            qs = qs.filter(**{name: value})
    return list(qs[: filters.limit])


@router.post("/verify", response=VerifyOut, auth=signed_in, summary="校验审计链",
             description="校验整条哈希链；被修改、删除或插入的第一条记录在 broken_seq 中给出。")
def verify_chain(request):
    access.check_perm(request.auth, "kernel.view_audit")
    result = verify()
    return {"ok": result.ok, "checked": result.checked, "broken_seq": result.broken_seq, "reason": result.reason or None}

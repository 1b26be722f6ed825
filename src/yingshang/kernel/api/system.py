"""System endpoints: health for load balancers, and who the caller is."""

from django.db import connection
from ninja import Router, Schema

from yingshang import __version__
from yingshang.kernel import access
from yingshang.kernel.api.auth import signed_in

router = Router(tags=["系统"])


class HealthOut(Schema):
    status: str
    version: str
    database: str


class RoleOut(Schema):
    code: str
    name: str


class MeOut(Schema):
    username: str
    name: str
    department: str | None
    department_name: str | None
    roles: list[RoleOut]
    permissions: list[str]


@router.get("/health", response=HealthOut, auth=None, summary="健康检查", description="数据库可用时返回 ok。")
def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok", "version": __version__, "database": connection.vendor}


@router.get("/me", response=MeOut, auth=signed_in, summary="当前用户",
            description="当前登录用户或令牌所代表的用户及其角色、权限。")
def me(request):
    user = request.auth
    codes = access.role_codes(user)
    return {
        "username": user.username,
        "name": user.display_name,
        "department": user.department.code if user.department_id else None,
        "department_name": user.department.name if user.department_id else None,
        "roles": [{"code": r.code, "name": r.name} for r in access.ROLES if r.code in codes],
        "permissions": sorted(p for p in access.PERMISSIONS if access.has_perm(user, p)),
    }

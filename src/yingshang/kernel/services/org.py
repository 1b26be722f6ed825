"""Organisation services: departments, users and API tokens, each change audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.utils import timezone

from yingshang.kernel.errors import InvalidInput, NotFound
from yingshang.kernel.models import ApiToken, Department, Role, User
from yingshang.kernel.services.audit import record

_DEPARTMENT_FIELDS = ("name", "short_name", "kind", "division_code", "uscc", "address", "phone", "sort_order")


def check_department_parent(department: Department | None, parent: Department | None) -> None:
    if parent is None or department is None or department.pk is None:
        return
    if parent.path.startswith(department.path):
        raise InvalidInput("department.cycle", f"“{parent.name}”是“{department.name}”的下级，不能作为其上级")


def do_upsert_department(code: str, *, parent: Department | None = None, **fields) -> Department:
    """Create or update a department by code; a moved department carries its subtree's paths along."""
    unknown = set(fields) - set(_DEPARTMENT_FIELDS)
    if unknown:
        raise InvalidInput("department.unknown_field", f"未知字段：{', '.join(sorted(unknown))}")
    if fields.get("kind") and fields["kind"] not in Department.Kind.values:
        raise InvalidInput("department.kind", f"部门类型“{fields['kind']}”无效")
    dept = Department.objects.filter(code=code).first()
    before = None
    if dept is not None:
        before = {f: getattr(dept, f) for f in fields} | {"parent": dept.parent.code if dept.parent else None}
    check_department_parent(dept, parent)
    dept = dept or Department(code=code)
    old_path = dept.path
    for name, value in fields.items():
        setattr(dept, name, value)
    dept.parent = parent
    dept.save()
    if old_path and old_path != dept.path:
        for child in Department.objects.filter(path__startswith=old_path).exclude(pk=dept.pk).order_by("path"):
            child.save()  # recomputes the path from the (already moved) parent
    after = {f: getattr(dept, f) for f in fields} | {"parent": parent.code if parent else None}
    if before != after:
        record("kernel.department.upsert", dept, before=before, after=after)
    return dept


def do_upsert_user(username: str, *, password: str | None = None, role_codes: tuple[str, ...] = (),
                   department: Department | None = None, **fields) -> User:
    """Create or update a user and set its roles (exactly the given ones)."""
    user = User.objects.filter(username=username).first()
    created = user is None
    user = user or User(username=username)
    for name, value in fields.items():
        setattr(user, name, value)
    user.department = department
    if password is not None:
        user.set_password(password)
    user.save()
    roles = list(Role.objects.filter(code__in=role_codes))
    if len(roles) != len(set(role_codes)):
        missing = set(role_codes) - {r.code for r in roles}
        raise InvalidInput("user.role", f"未知角色：{', '.join(sorted(missing))}")
    user.roles.set(roles)
    user.__dict__.pop("_ys_role_codes", None)
    record("kernel.user.create" if created else "kernel.user.update", user,
           after={"username": username, "roles": sorted(role_codes),
                  "department": department.code if department else None, "password_changed": password is not None})
    return user


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def do_issue_api_token(user: User, name: str, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """Create a token; the raw value is returned once and only its digest is stored."""
    if not name.strip():
        raise InvalidInput("token.name", "请填写令牌名称")
    if expires_at and expires_at <= timezone.now():
        raise InvalidInput("token.expires_at", "过期时间必须晚于当前时间")
    raw = "ys_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(name=name.strip(), user=user, prefix=raw[:10], digest=token_digest(raw),
                                    expires_at=expires_at)
    record("kernel.api_token.issue", token, after={"name": token.name, "user": user.username, "prefix": token.prefix})
    return token, raw


def do_revoke_api_token(token: ApiToken) -> ApiToken:
    if token.revoked_at:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record("kernel.api_token.revoke", token, before={"revoked": False}, after={"revoked": True})
    return token


def get_department(code: str) -> Department:
    dept = Department.objects.filter(code=code).first()
    if dept is None:
        raise NotFound("department.not_found", f"部门“{code}”不存在")
    return dept


def department_tree() -> list[Department]:
    """All departments in tree order (by materialized path), parents loaded in the same query."""
    return list(Department.objects.select_related("parent").order_by("path"))

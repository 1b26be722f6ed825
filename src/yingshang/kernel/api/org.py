"""The organisation: departments and their hierarchy (staff only)."""

from ninja import Router, Schema

from yingshang.kernel import access
from yingshang.kernel.api.auth import signed_in
from yingshang.kernel.services.org import department_tree, get_department

router = Router(tags=["组织机构"])


class DepartmentOut(Schema):
    code: str
    name: str
    short_name: str
    parent: str | None
    kind: str
    kind_name: str
    division_code: str
    active: bool


def _out(d) -> dict:
    return {"code": d.code, "name": d.name, "short_name": d.short_name, "parent": d.parent.code if d.parent else None,
            "kind": d.kind, "kind_name": str(d.get_kind_display()), "division_code": d.division_code,
            "active": d.is_active}


@router.get("", response=list[DepartmentOut], auth=signed_in, summary="组织机构列表",
            description="全部部门，按层级顺序；需要工作人员身份。")
def list_departments(request):
    access.check_perm(request.auth, "kernel.view_departments")
    return [_out(d) for d in department_tree()]


@router.get("/{code}", response=DepartmentOut, auth=signed_in, summary="部门详情")
def department_detail(request, code: str):
    access.check_perm(request.auth, "kernel.view_departments")
    return _out(get_department(code))

"""The policy layer: permissions by role, querysets scoped to what a role may see."""

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import DepartmentFactory, UserFactory
from yingshang.kernel import access
from yingshang.kernel.models import Department
from yingshang.kernel.services.org import do_upsert_department

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    city = do_upsert_department("610800", name="榆林市人民政府", kind="city")
    scjg = do_upsert_department("610800-SCJG", parent=city, name="市市场监管局", kind="department")
    branch = do_upsert_department("610800-SCJG-1", parent=scjg, name="高新分局", kind="department")
    zrzy = do_upsert_department("610800-ZRZY", parent=city, name="市自然资源局", kind="department")
    return {"city": city, "scjg": scjg, "branch": branch, "zrzy": zrzy}


def test_reviewer_sees_only_own_department(tree):
    reviewer = UserFactory(reviewer=True, department=tree["scjg"])
    assert set(access.visible_departments(reviewer)) == {tree["scjg"]}


def test_head_sees_own_department_and_its_subtree(tree):
    head = UserFactory(head=True, department=tree["scjg"])
    assert set(access.visible_departments(head)) == {tree["scjg"], tree["branch"]}


def test_supervisor_sees_the_whole_city(tree):
    supervisor = UserFactory(supervisor=True, department=tree["city"])
    assert set(access.visible_departments(supervisor)) == set(Department.objects.all())


def test_citizen_sees_no_department_data(tree):
    assert not access.visible_departments(UserFactory(citizen=True)).exists()


def test_scope_by_department_filters_a_queryset(tree):
    from yingshang.kernel.models import User

    UserFactory(reviewer=True, department=tree["zrzy"], username="other")
    mine = UserFactory(reviewer=True, department=tree["scjg"], username="mine")
    visible = access.scope_by_department(User.objects.all(), mine)
    assert set(visible.values_list("username", flat=True)) == {"mine"}


def test_access_department_refuses_outside_scope(tree):
    reviewer = UserFactory(reviewer=True, department=tree["scjg"])
    access.access_department(reviewer, tree["scjg"])
    with pytest.raises(PermissionDenied):
        access.access_department(reviewer, tree["zrzy"])


def test_permissions_follow_roles():
    assert access.has_perm(UserFactory(supervisor=True), "kernel.view_audit")
    assert not access.has_perm(UserFactory(citizen=True), "kernel.view_audit")
    with pytest.raises(PermissionDenied):
        access.check_perm(UserFactory(clerk=True), "kernel.manage_tokens")


def test_anonymous_user_has_no_role():
    from django.contrib.auth.models import AnonymousUser

    assert access.role_codes(AnonymousUser()) == frozenset()
    assert not access.has_perm(AnonymousUser(), "kernel.view_departments")


def test_unknown_permission_is_a_programming_error():
    with pytest.raises(KeyError):
        access.has_perm(UserFactory(), "no.such.permission")


def test_registering_a_permission_with_an_unknown_role_fails():
    with pytest.raises(ValueError):
        access.register_permissions({"x.y": {"no_such_role"}})


def test_primary_role_follows_display_order():
    user = UserFactory(role_codes=[access.DEPT_HEAD, access.DEPT_REVIEWER], department=DepartmentFactory())
    assert access.primary_role(user) == access.DEPT_REVIEWER

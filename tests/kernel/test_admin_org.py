"""Back-office admin of the organisation: pages load, saves are audited, secrets never shown."""

import hashlib
import json

import pytest

from tests.factories import DepartmentFactory, UserFactory
from yingshang.kernel import access
from yingshang.kernel.models import ApiToken, AuditEntry, Department, Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return DepartmentFactory(city=True)


@pytest.fixture
def admin_client(client, city):
    client.force_login(UserFactory(admin=True, username="root", department=city))
    return client


def _summary(entry):
    return json.loads(entry.summary)


@pytest.mark.parametrize("url", [
    "/admin/", "/admin/kernel/department/", "/admin/kernel/department/add/", "/admin/kernel/role/",
    "/admin/kernel/user/", "/admin/kernel/user/add/", "/admin/kernel/apitoken/", "/admin/kernel/apitoken/add/",
    "/admin/kernel/auditentry/",
])
def test_admin_pages_load_for_an_administrator(admin_client, url):
    assert admin_client.get(url).status_code == 200


def test_change_pages_load(admin_client, city):
    user = UserFactory(clerk=True)
    role = Role.objects.get(code=access.CITIZEN)
    for url in (f"/admin/kernel/department/{city.pk}/change/", f"/admin/kernel/user/{user.pk}/change/",
                f"/admin/kernel/role/{role.pk}/change/", f"/admin/kernel/user/{user.pk}/password/"):
        assert admin_client.get(url).status_code == 200, url


def test_department_list_reads_as_an_indented_tree(admin_client, city):
    district = DepartmentFactory(parent=city, district=True, name="榆阳区")
    DepartmentFactory(parent=district, name="榆阳区市场监督管理局")
    text = admin_client.get("/admin/kernel/department/").content.decode()
    assert text.index("榆林市") < text.index("榆阳区") < text.index("榆阳区市场监督管理局")
    assert "padding-left:3.0em" in text


def _department_form(dept, **changes):
    data = {"name": dept.name, "short_name": dept.short_name, "kind": dept.kind,
            "parent": dept.parent_id or "", "division_code": dept.division_code, "uscc": dept.uscc,
            "address": dept.address, "phone": dept.phone, "sort_order": dept.sort_order, "is_active": "on"}
    data.update(changes)
    return data


def test_adding_a_department_is_audited(admin_client, city):
    response = admin_client.post("/admin/kernel/department/add/", {
        **_department_form(Department(kind="hall", parent=city, sort_order=0)), "code": "610800-ZWFW",
        "name": "榆林市政务服务中心"})
    assert response.status_code == 302
    dept = Department.objects.get(code="610800-ZWFW")
    assert dept.path == "/610800/610800-ZWFW/"
    entry = AuditEntry.objects.get(action="kernel.department.create")
    assert entry.object_id == str(dept.pk) and entry.actor_name
    assert _summary(entry)["after"]["parent"] == "610800"


def test_changing_a_department_records_only_the_changed_fields(admin_client, city):
    dept = DepartmentFactory(parent=city, name="旧名称")
    admin_client.post(f"/admin/kernel/department/{dept.pk}/change/", _department_form(dept, name="新名称"))
    entry = AuditEntry.objects.get(action="kernel.department.update")
    assert _summary(entry)["before"] == {"name": "旧名称"}
    assert _summary(entry)["after"] == {"name": "新名称"}


def test_moving_a_department_moves_its_subtree_paths(admin_client, city):
    a = DepartmentFactory(parent=city, code="A")
    b = DepartmentFactory(parent=city, code="B")
    child = DepartmentFactory(parent=a, code="A1")
    admin_client.post(f"/admin/kernel/department/{a.pk}/change/", _department_form(a, parent=b.pk))
    child.refresh_from_db()
    assert child.path == "/610800/B/A/A1/"


def test_a_department_cannot_be_moved_under_its_own_descendant(admin_client, city):
    a = DepartmentFactory(parent=city, code="A")
    child = DepartmentFactory(parent=a, code="A1")
    response = admin_client.post(f"/admin/kernel/department/{a.pk}/change/", _department_form(a, parent=child.pk))
    assert response.status_code == 200
    assert "下级" in response.content.decode()
    a.refresh_from_db()
    assert a.parent_id == city.pk


def test_deleting_a_department_is_audited_and_a_used_one_is_protected(admin_client, city):
    spare = DepartmentFactory(parent=city, name="撤销的部门")
    admin_client.post(f"/admin/kernel/department/{spare.pk}/delete/", {"post": "yes"})
    assert not Department.objects.filter(pk=spare.pk).exists()
    entry = AuditEntry.objects.get(action="kernel.department.delete")
    assert _summary(entry)["before"]["name"] == "撤销的部门"
    response = admin_client.post(f"/admin/kernel/department/{city.pk}/delete/", {"post": "yes"})
    assert Department.objects.filter(pk=city.pk).exists() and response.status_code in (200, 403)


def test_department_code_is_read_only_once_created(admin_client, city):
    dept = DepartmentFactory(parent=city, code="KEEP")
    admin_client.post(f"/admin/kernel/department/{dept.pk}/change/", {**_department_form(dept), "code": "CHANGED"})
    dept.refresh_from_db()
    assert dept.code == "KEEP"


def test_role_codes_cannot_be_added_deleted_or_renamed_but_names_can(admin_client):
    role = Role.objects.get(code=access.CITIZEN)
    assert admin_client.get("/admin/kernel/role/add/").status_code == 403
    assert admin_client.get(f"/admin/kernel/role/{role.pk}/delete/").status_code == 403
    admin_client.post(f"/admin/kernel/role/{role.pk}/change/",
                      {"name": "办事群众", "description": role.description, "code": "hacked"})
    role.refresh_from_db()
    assert role.name == "办事群众" and role.code == access.CITIZEN
    entry = AuditEntry.objects.get(action="kernel.role.update")
    assert _summary(entry) == {"before": {"name": "个人用户"}, "after": {"name": "办事群众"}, "note": "后台管理"}


def _user_form(user, **changes):
    data = {"username": user.username, "real_name": user.real_name, "phone": user.phone, "email": user.email,
            "department": user.department_id or "", "roles": [r.pk for r in user.roles.all()],
            "organization_name": user.organization_name, "uscc": user.uscc, "is_active": "on"}
    data.update(changes)
    return data


def test_user_change_page_shows_the_masked_id_and_never_the_digest(admin_client):
    user = UserFactory(citizen=True, id_number_digest="d" * 64, id_number_masked="610802********1234")
    text = admin_client.get(f"/admin/kernel/user/{user.pk}/change/").content.decode()
    assert "610802********1234" in text
    assert "d" * 64 not in text and "id_number_digest" not in text
    assert 'name="id_number_masked"' not in text  # shown, not editable


def test_changing_a_users_roles_and_phone_is_audited_with_the_phone_masked(admin_client, city):
    user = UserFactory(citizen=True, phone="13800138000")
    reviewer = Role.objects.get(code=access.DEPT_REVIEWER)
    response = admin_client.post(f"/admin/kernel/user/{user.pk}/change/",
                                 _user_form(user, roles=[reviewer.pk], department=city.pk, phone="13900139000"))
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="kernel.user.update")
    summary = _summary(entry)
    assert summary["before"]["roles"] == [access.CITIZEN] and summary["after"]["roles"] == [access.DEPT_REVIEWER]
    assert summary["after"]["phone"] == "139****9000"
    assert "13900139000" not in entry.summary and "password" not in entry.summary


def test_adding_a_user_is_audited_without_the_password(admin_client, city):
    clerk = Role.objects.get(code=access.WINDOW_CLERK)
    response = admin_client.post("/admin/kernel/user/add/", {
        "username": "newclerk", "real_name": "新窗口", "department": city.pk, "roles": [clerk.pk],
        "usable_password": "true", "password1": "Very-Secret-42", "password2": "Very-Secret-42"})
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="newclerk")
    assert user.check_password("Very-Secret-42")
    entry = AuditEntry.objects.get(action="kernel.user.create")
    assert _summary(entry)["after"]["roles"] == [access.WINDOW_CLERK]
    assert "Very-Secret-42" not in entry.summary and user.password not in entry.summary


def test_password_change_in_admin_is_audited_without_the_password(admin_client):
    user = UserFactory()
    response = admin_client.post(f"/admin/kernel/user/{user.pk}/password/", {
        "password1": "Another-Secret-77", "password2": "Another-Secret-77", "usable_password": "true"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="kernel.user.password_change")
    assert entry.object_id == str(user.pk) and "Another-Secret-77" not in entry.summary


def test_issuing_a_token_shows_it_once_and_stores_only_its_digest(admin_client):
    owner = UserFactory(username="system-a")
    response = admin_client.post("/admin/kernel/apitoken/add/", {"name": "不动产登记系统", "user": owner.pk})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw = response.context["raw_token"]
    assert raw.startswith("ys_") and len(raw) > 40
    assert raw in response.content.decode()
    token = ApiToken.objects.get(name="不动产登记系统")
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw.startswith(token.prefix)
    for url in ("/admin/kernel/apitoken/", f"/admin/kernel/apitoken/{token.pk}/change/"):
        text = admin_client.get(url).content.decode()
        assert raw not in text and token.digest not in text
    entry = AuditEntry.objects.get(action="kernel.api_token.issue")
    assert raw not in entry.summary and token.digest not in entry.summary
    assert raw not in str(admin_client.session.items()) and raw not in str(admin_client.cookies)


def test_a_token_with_a_past_expiry_is_refused_in_chinese(admin_client):
    response = admin_client.post("/admin/kernel/apitoken/add/", {
        "name": "过期", "user": UserFactory().pk, "expires_at_0": "2000-01-01", "expires_at_1": "00:00:00"})
    assert response.status_code == 200
    assert "过期时间必须晚于当前时间" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoke_action_revokes_and_audits_and_tokens_cannot_be_deleted(admin_client):
    from yingshang.kernel.services.org import do_issue_api_token

    token, _raw = do_issue_api_token(UserFactory(), "对接")
    response = admin_client.post("/admin/kernel/apitoken/", {"action": "revoke_tokens", "_selected_action": [token.pk]})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="kernel.api_token.revoke", object_id=str(token.pk)).count() == 1
    assert admin_client.get(f"/admin/kernel/apitoken/{token.pk}/delete/").status_code == 403


def test_tokens_are_managed_only_by_holders_of_manage_tokens(client, city):
    staff_supervisor = UserFactory(supervisor=True, is_staff=True)
    client.force_login(staff_supervisor)
    assert client.get("/admin/kernel/apitoken/").status_code == 403

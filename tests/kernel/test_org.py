"""Organisation services, API tokens and the departments command/API."""

import json
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories import UserFactory
from yingshang.kernel.errors import InvalidInput
from yingshang.kernel.models import AuditEntry, Department
from yingshang.kernel.services.org import (
    do_issue_api_token,
    do_revoke_api_token,
    do_upsert_department,
    do_upsert_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    root = do_upsert_department("610800", name="榆林市人民政府", kind="city", division_code="610800")
    dist = do_upsert_department("610802", parent=root, name="榆阳区人民政府", kind="district")
    hall = do_upsert_department("610802-HALL01", parent=dist, name="榆阳区政务服务大厅", kind="hall")
    return root, dist, hall


def test_department_paths_follow_the_hierarchy(city):
    root, dist, hall = city
    assert hall.path == "/610800/610802/610802-HALL01/"
    assert hall.depth == 3


def test_moving_a_department_moves_its_subtree(city):
    root, dist, hall = city
    other = do_upsert_department("610803", parent=root, name="横山区人民政府", kind="district")
    do_upsert_department("610802", parent=other, name="榆阳区人民政府", kind="district")
    assert Department.objects.get(code="610802-HALL01").path == "/610800/610803/610802/610802-HALL01/"


def test_a_department_cannot_become_its_own_ancestor(city):
    root, dist, hall = city
    with pytest.raises(InvalidInput) as exc:
        do_upsert_department("610802", parent=hall, name="榆阳区人民政府", kind="district")
    assert exc.value.code == "department.cycle"


def test_unknown_department_kind_is_refused():
    with pytest.raises(InvalidInput) as exc:
        do_upsert_department("X1", name="某部门", kind="galaxy")
    assert exc.value.code == "department.kind"


def test_department_changes_are_audited_once(city):
    count = AuditEntry.objects.filter(action="kernel.department.upsert").count()
    root, *_ = city
    do_upsert_department("610800", name="榆林市人民政府", kind="city", division_code="610800")  # no change
    assert AuditEntry.objects.filter(action="kernel.department.upsert").count() == count


def test_user_roles_are_set_exactly(city):
    user = do_upsert_user("u1", password="x-Secret-2026", role_codes=("window_clerk",), department=city[2])
    do_upsert_user("u1", role_codes=("dept_reviewer", "dept_head"), department=city[1])
    assert set(user.roles.values_list("code", flat=True)) == {"dept_reviewer", "dept_head"}


def test_unknown_role_is_refused():
    with pytest.raises(InvalidInput):
        do_upsert_user("u2", role_codes=("wizard",))


def test_passwords_are_hashed_with_argon2_in_production():
    from django.conf import settings

    from yingshang import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert settings.AUTH_USER_MODEL == "kernel.User"


def test_api_token_is_shown_once_and_stored_as_digest(client):
    user = UserFactory(supervisor=True)
    token, raw = do_issue_api_token(user, "监察系统对接")
    assert raw.startswith("ys_") and raw not in (token.digest, token.prefix)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["username"] == user.username
    assert "kernel.view_audit" in response.json()["permissions"]


def test_revoked_or_expired_tokens_are_refused(client):
    user = UserFactory()
    token, raw = do_issue_api_token(user, "t")
    do_revoke_api_token(token)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    token2, raw2 = do_issue_api_token(user, "t2", expires_at=timezone.now() + timedelta(days=1))
    type(token2).objects.filter(pk=token2.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw2}").status_code == 401


def test_token_with_past_expiry_cannot_be_issued():
    with pytest.raises(InvalidInput):
        do_issue_api_token(UserFactory(), "t", expires_at=timezone.now() - timedelta(days=1))


def test_departments_command_lists_the_tree(city, capsys):
    call_command("departments")
    out = capsys.readouterr().out
    assert "610802-HALL01" in out and "榆阳区政务服务大厅" in out
    call_command("departments", "--json")
    rows = json.loads(capsys.readouterr().out)
    assert rows[-1] == {"code": "610802-HALL01", "name": "榆阳区政务服务大厅", "parent": "610802", "kind": "hall",
                        "kind_name": "政务服务大厅", "active": True}


def test_departments_api_is_for_staff(city, client):
    client.force_login(UserFactory(citizen=True))
    assert client.get("/api/v1/departments").status_code == 403
    client.force_login(UserFactory(clerk=True))
    codes = [d["code"] for d in client.get("/api/v1/departments").json()]
    assert codes[:3] == ["610800", "610802", "610802-HALL01"]
    assert client.get("/api/v1/departments/NOPE").json()["code"] == "department.not_found"


@pytest.mark.embedded
def test_yingshang_command_runs_as_a_program(fresh_data_dir):
    env = {"YS_DATA_DIR": str(fresh_data_dir), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "yingshang", "departments", "--json"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []

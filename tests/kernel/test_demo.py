"""`yingshang demo`: a realistic city, a user for every role, idempotent."""

import json

import pytest
from django.core.management import call_command

from tests.conftest import run_command
from yingshang.kernel import access
from yingshang.kernel.models import AuditEntry, Department, User
from yingshang.kernel.rules.identifiers import validate
from yingshang.kernel.services.audit import verify

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(module_db):
    """The demo is seeded once for the module's tests (each runs in a savepoint and is rolled back)."""
    return run_command("demo")


def test_demo_city_has_districts_departments_and_halls(demo):
    kinds = {k: Department.objects.filter(kind=k).count() for k in ("city", "district", "department", "hall")}
    assert kinds["city"] == 1 and kinds["district"] >= 5 and kinds["department"] >= 20 and kinds["hall"] >= 3


def test_every_role_has_a_demo_user_whose_login_is_printed(demo):
    for role in access.ROLES:
        user = User.objects.filter(roles__code=role.code).first()
        assert user is not None, role.code
        assert user.username in demo
        assert user.check_password("Yingshang@2026")


def test_demo_identifiers_are_valid_and_id_numbers_are_not_stored_in_clear(demo):
    for dept in Department.objects.all():
        assert validate(dept.uscc).valid, dept.code
    citizen = User.objects.get(username="zhangwei")
    assert citizen.id_number_masked.count("*") == 8 and len(citizen.id_number_digest) == 64
    assert validate(User.objects.get(username="hengtai").uscc).valid


def test_demo_is_idempotent(demo, capsys):
    counts = (Department.objects.count(), User.objects.count(), AuditEntry.objects.count())
    call_command("demo")
    assert (Department.objects.count(), User.objects.count()) == counts[:2]
    assert verify().ok


def test_demo_json_lists_the_logins(capsys):
    call_command("demo", "--json")
    data = json.loads(capsys.readouterr().out)
    clerk = next(row for row in data["logins"] if row["username"] == "clerk")
    assert clerk["password"] == "Yingshang@2026" and "综合窗口" in clerk["roles"]

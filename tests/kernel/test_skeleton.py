import pytest

from tests.factories import UserFactory
from yingshang.kernel import access

pytestmark = pytest.mark.django_db


def test_roles_are_synced_after_migrate():
    from yingshang.kernel.models import Role

    assert set(Role.objects.values_list("code", flat=True)) == {r.code for r in access.ROLES}


def test_clerk_trait_gives_a_hall_clerk():
    clerk = UserFactory(clerk=True)
    assert access.has_role(clerk, access.WINDOW_CLERK)
    assert clerk.department.kind == "hall"

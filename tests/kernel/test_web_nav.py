"""Navigation is data filtered by the policy layer; domain apps append to it."""

import pytest
from django.test import RequestFactory

from tests.factories import DepartmentFactory, UserFactory
from yingshang.kernel import access, navigation
from yingshang.kernel.context_processors import shell

pytestmark = pytest.mark.django_db


KERNEL_KEYS = {"home", "inbox", "departments", "audit", "admin", "test-cases"}


def _keys(user, path="/"):
    """The kernel's own items (domain apps add theirs; their tests check those)."""
    return [item.key for item in navigation.visible_items(user, path) if item.key in KERNEL_KEYS]


@pytest.fixture
def extra_item():
    """A domain app's item, removed again so other tests see the kernel's list only."""
    access.register_permissions({"test.view_cases": {access.DEPT_REVIEWER}})
    navigation.register_nav_item("test-cases", "办件", "inbox", permission="test.view_cases", order=100)
    yield
    navigation.unregister_nav_item("test-cases")
    access.PERMISSIONS.pop("test.view_cases", None)


def test_visitor_sees_only_public_items():
    from django.contrib.auth.models import AnonymousUser

    assert _keys(AnonymousUser()) == ["home"]


def test_citizen_sees_home_and_messages_but_no_staff_pages():
    assert _keys(UserFactory(citizen=True)) == ["home", "inbox"]


def test_staff_see_the_organisation_and_supervisors_the_audit_trail():
    assert _keys(UserFactory(clerk=True)) == ["home", "inbox", "departments"]
    assert _keys(UserFactory(supervisor=True)) == ["home", "inbox", "departments", "audit"]


def test_admin_sees_every_kernel_item():
    assert _keys(UserFactory(admin=True)) == ["home", "inbox", "departments", "audit", "admin"]


def test_registered_item_appears_in_order_for_users_with_its_permission_only(extra_item):
    reviewer = UserFactory(reviewer=True)
    assert _keys(reviewer) == ["home", "test-cases", "inbox", "departments"]
    assert "test-cases" not in _keys(UserFactory(clerk=True))


def test_current_item_is_marked_for_its_pages_and_home_only_on_itself():
    user = UserFactory(supervisor=True)
    items = {item.key: item.current for item in navigation.visible_items(user, "/audit/") if item.key in KERNEL_KEYS}
    assert items == {"home": False, "inbox": False, "departments": False, "audit": True}
    assert next(i for i in navigation.visible_items(user, "/") if i.key == "home").current


def test_duplicate_or_invalid_registrations_are_refused(extra_item):
    with pytest.raises(ValueError, match="already registered"):
        navigation.register_nav_item("test-cases", "x", "home")
    with pytest.raises(ValueError, match="unknown roles"):
        navigation.register_nav_item("bad-role", "x", "home", roles=["wizard"])
    with pytest.raises(ValueError, match="audience"):
        navigation.register_nav_item("bad-audience", "x", "home", audience="everyone")
    with pytest.raises(ValueError, match="signed_in"):
        navigation.register_nav_item("public-with-perm", "x", "home", audience="public", permission="kernel.view_audit")


def test_layout_context_is_lazy_and_runs_no_query_until_used(rf: RequestFactory):
    from tests.helpers import assert_max_queries

    request = rf.get("/")
    request.user = UserFactory(clerk=True)
    with assert_max_queries(0):
        context = shell(request)
    DepartmentFactory(city=True)
    assert str(context["ys_city"]) == "榆林市"
    assert [item.key for item in context["ys_nav"] if item.key in KERNEL_KEYS] == ["home", "inbox", "departments"]
    assert context["ys_identity"].role == access.ROLE_NAMES[access.WINDOW_CLERK]


def test_nav_filtering_happens_in_python_not_in_the_template(client):
    client.force_login(UserFactory(citizen=True))
    text = client.get("/").content.decode()
    assert "/audit/" not in text and "/admin/" not in text and "/departments/" not in text

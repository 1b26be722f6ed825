"""The audit trail in the admin: read-only for everyone, verification on a button."""

import pytest

from tests.factories import UserFactory
from yingshang.kernel.models import AuditEntry
from yingshang.kernel.services.audit import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries():
    return [record("test.thing.done", object_type="test", object_id=str(i), after={"n": i}) for i in range(3)]


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(admin=True))
    return client


def test_audit_list_loads_with_filters_search_and_the_verify_button(admin_client, entries):
    response = admin_client.get("/admin/kernel/auditentry/", {"action": "test.thing.done", "q": "test"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "test.thing.done" in text
    assert "/admin/kernel/auditentry/verify/" in text


def test_superuser_cannot_add_change_or_delete_an_entry(admin_client, entries):
    entry = entries[0]
    assert admin_client.get("/admin/kernel/auditentry/add/").status_code == 403
    assert admin_client.get(f"/admin/kernel/auditentry/{entry.pk}/delete/").status_code == 403
    detail = admin_client.get(f"/admin/kernel/auditentry/{entry.pk}/change/")
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    admin_client.post(f"/admin/kernel/auditentry/{entry.pk}/change/", {"action": "edited"})
    entry.refresh_from_db()
    assert entry.action == "test.thing.done"
    response = admin_client.post("/admin/kernel/auditentry/", {"action": "delete_selected",
                                                                 "_selected_action": [entry.pk], "post": "yes"})
    assert AuditEntry.objects.filter(pk=entry.pk).exists() and response.status_code in (200, 302)


def test_verify_button_reports_an_intact_chain(admin_client, entries):
    response = admin_client.post("/admin/kernel/auditentry/verify/", follow=True)
    assert "审计链完整：已校验 3 条记录" in response.content.decode()


def test_verify_button_reports_the_first_edited_entry(admin_client, entries):
    AuditEntry.objects.filter(pk=entries[1].pk).update(summary='{"after":{"n":99}}')
    response = admin_client.post("/admin/kernel/auditentry/verify/", follow=True)
    text = response.content.decode()
    assert "审计链已被破坏" in text and f"第 {entries[1].seq} 条" in text


def test_verify_needs_post(admin_client, entries):
    assert admin_client.get("/admin/kernel/auditentry/verify/").status_code == 405


def test_audit_admin_follows_the_policy_layer(client, entries):
    client.force_login(UserFactory(clerk=True, is_staff=True))  # staff, but no kernel.view_audit
    assert client.get("/admin/kernel/auditentry/").status_code == 403
    assert client.post("/admin/kernel/auditentry/verify/").status_code == 403
    client.force_login(UserFactory(supervisor=True, is_staff=True))
    assert client.get("/admin/kernel/auditentry/").status_code == 200

"""The inbox, the organisation page and the audit trail page: who may see what, what a click changes."""

import pytest

from tests.factories import DepartmentFactory, UserFactory
from tests.helpers import assert_max_queries
from yingshang.kernel.models import AuditEntry, Message
from yingshang.kernel.services.audit import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen():
    DepartmentFactory(city=True)
    return UserFactory(citizen=True)


def _message(user, subject="通知", **extra):
    return Message.objects.create(channel="site", recipient=user, subject=subject, body="正文", **extra)


def test_inbox_requires_sign_in(client):
    response = client.get("/messages/")
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=/messages/")


def test_inbox_lists_own_site_messages_newest_first(client, citizen):
    _message(citizen, "第一条")
    _message(citizen, "第二条")
    _message(UserFactory(), "别人的")
    client.force_login(citizen)
    text = client.get("/messages/").content.decode()
    assert text.index("第二条") < text.index("第一条")
    assert "别人的" not in text
    assert "未读 2 条" in text


def test_inbox_pages_by_id_without_counting_everything(client, citizen):
    for i in range(45):
        _message(citizen, f"消息{i:02d}")
    client.force_login(citizen)
    first = client.get("/messages/")
    assert len(first.context["rows"]) == 20 and first.context["older"]
    second = client.get("/messages/", {"before": first.context["older"]})
    assert second.context["rows"][0].subject == "消息24"
    with assert_max_queries(10):
        client.get("/messages/", {"before": first.context["older"]})


def test_marking_a_message_read_is_audited_and_only_for_its_recipient(client, citizen):
    mine, theirs = _message(citizen), _message(UserFactory())
    client.force_login(citizen)
    assert client.post(f"/messages/{theirs.pk}/read/").status_code == 302
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.post(f"/messages/{mine.pk}/read/")
    mine.refresh_from_db()
    assert mine.read_at is not None
    entry = AuditEntry.objects.get(action="kernel.message.read")
    assert entry.actor_id == citizen.pk and entry.object_id == str(mine.pk)


def test_mark_read_over_htmx_returns_the_updated_row(client, citizen):
    message = _message(citizen)
    client.force_login(citizen)
    response = client.post(f"/messages/{message.pk}/read/", headers={"HX-Request": "true"})
    text = response.content.decode()
    assert response.status_code == 200
    assert text.strip().startswith(f'<tr id="message-{message.pk}"') and "已读" in text


def test_mark_read_refuses_get(client, citizen):
    client.force_login(citizen)
    assert client.get(f"/messages/{_message(citizen).pk}/read/").status_code == 405


def test_mark_all_read_marks_only_unread_site_messages_once(client, citizen):
    for _ in range(3):
        _message(citizen)
    client.force_login(citizen)
    response = client.post("/messages/read-all/", follow=True)
    assert "已将 3 条消息标记为已读" in response.content.decode()
    assert not Message.objects.filter(recipient=citizen, read_at__isnull=True).exists()
    assert AuditEntry.objects.filter(action="kernel.message.read").count() == 1
    client.post("/messages/read-all/")
    assert AuditEntry.objects.filter(action="kernel.message.read").count() == 1  # nothing changed, nothing recorded


def test_organisation_page_is_for_staff_only(client, citizen):
    client.force_login(citizen)
    response = client.get("/departments/")
    assert response.status_code == 403
    assert "您没有执行此操作的权限" in response.content.decode()


def test_organisation_page_lists_departments_as_a_tree(client):
    city = DepartmentFactory(city=True)
    hall = DepartmentFactory(parent=city, hall=True, name="市政务服务中心")
    client.force_login(UserFactory(clerk=True, department=hall))
    text = client.get("/departments/").content.decode()
    assert text.index("榆林市") < text.index("市政务服务中心")
    assert 'class="depth-1">市政务服务中心' in text


def test_audit_page_is_for_holders_of_view_audit_only(client, citizen):
    client.force_login(UserFactory(clerk=True))
    assert client.get("/audit/").status_code == 403


def test_audit_page_filters_and_pages_by_sequence(client, citizen):
    for i in range(60):
        record("test.alpha" if i % 2 else "test.beta", object_type="test", object_id=str(i))
    client.force_login(UserFactory(supervisor=True))
    first = client.get("/audit/", {"action": "test.alpha"})
    rows = first.context["rows"]
    assert len(rows) == 30 and all(r.action == "test.alpha" for r in rows)
    everything = client.get("/audit/")
    assert len(everything.context["rows"]) == 50 and everything.context["older"]
    older = client.get("/audit/?" + everything.context["older"])
    assert older.context["rows"][0].seq == everything.context["rows"][-1].seq - 1


def test_audit_page_returns_only_the_rows_to_htmx(client, citizen):
    record("test.alpha", object_type="test", object_id="1")
    client.force_login(UserFactory(supervisor=True))
    text = client.get("/audit/", headers={"HX-Request": "true"}).content.decode()
    assert text.strip().startswith('<div id="audit-rows"') and "<html" not in text


def test_audit_page_rejects_bad_filter_values_without_failing(client, citizen):
    client.force_login(UserFactory(supervisor=True))
    response = client.get("/audit/", {"date": "not-a-date", "before": "-3"})
    assert response.status_code == 200
    assert response.context["form"].errors

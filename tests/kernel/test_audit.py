"""The audit trail: appended in the caller's transaction, hash-chained, tampering detected."""

import json

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.factories import UserFactory
from yingshang.kernel.context import Actor, acting_as
from yingshang.kernel.models import AuditEntry, AuditHead
from yingshang.kernel.services.audit import record, verify

pytestmark = pytest.mark.django_db

CLERK = Actor(user_id=3, name="王芳", role="window_clerk", department_code="610800-HALL01", client_ip="10.1.2.3")


def _append(n: int) -> None:
    with acting_as(CLERK):
        for i in range(n):
            record("cases.case.accept", object_type="cases.case", object_id=i, before={"status": "submitted"},
                   after={"status": "accepted"})


def test_entry_records_who_what_and_from_where():
    _append(1)
    entry = AuditEntry.objects.get()
    assert (entry.actor_name, entry.actor_role, entry.department_code, entry.client_ip) == (
        "王芳", "window_clerk", "610800-HALL01", "10.1.2.3")
    assert json.loads(entry.summary) == {"before": {"status": "submitted"}, "after": {"status": "accepted"}}
    assert entry.seq == 1 and entry.prev_hash == "0" * 64


def test_entries_form_an_intact_chain():
    _append(5)
    result = verify()
    assert result.ok and result.checked == 5
    assert AuditHead.objects.get().seq == 5


def test_edited_entry_is_detected():
    _append(5)
    AuditEntry.objects.filter(seq=3).update(summary='{"after":{"status":"approved"},"before":null}')
    result = verify()
    assert not result.ok and result.broken_seq == 3


def test_deleted_entry_in_the_middle_is_detected():
    _append(5)
    AuditEntry.objects.filter(seq=2).delete()
    result = verify()
    assert not result.ok and result.broken_seq == 2


def test_deleted_last_entry_is_detected_through_the_head():
    _append(5)
    AuditEntry.objects.filter(seq=5).delete()
    result = verify()
    assert not result.ok


def test_entry_rolls_back_with_the_change():
    with pytest.raises(RuntimeError), transaction.atomic():
        _append(1)
        raise RuntimeError("the change failed")
    assert AuditEntry.objects.count() == 0
    _append(1)
    assert verify().ok


def test_entries_cannot_be_changed_or_deleted_through_the_model():
    _append(1)
    entry = AuditEntry.objects.get()
    entry.summary = "{}"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def test_audit_verify_command_exit_codes(capsys):
    _append(3)
    call_command("audit", "verify")
    assert "OK" in capsys.readouterr().out
    AuditEntry.objects.filter(seq=2).update(action="tampered")
    with pytest.raises(SystemExit) as exc:
        call_command("audit", "verify", "--json")
    assert exc.value.code == 1
    data = json.loads(capsys.readouterr().out)
    assert data == {"ok": False, "checked": 1, "broken_seq": 2, "reason": data["reason"]}


def test_audit_api_is_for_supervisors_only(client):
    _append(2)
    client.force_login(UserFactory(citizen=True))
    assert client.get("/api/v1/audit/entries").status_code == 403
    client.force_login(UserFactory(supervisor=True))
    response = client.get("/api/v1/audit/entries?after_seq=1")
    assert response.status_code == 200
    assert [e["seq"] for e in response.json()] == [2]
    assert client.post("/api/v1/audit/verify").json()["ok"] is True


def test_audit_api_requires_sign_in(client):
    response = client.get("/api/v1/audit/entries")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"

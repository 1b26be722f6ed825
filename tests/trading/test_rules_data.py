"""The procedure and threshold rows that migration 0002 seeds come back after a flush."""

import json

import pytest
from django.core.management import call_command

from yingshang.trading.models import MustTenderThreshold, Procedure
from yingshang.trading.rules import PROCEDURES, THRESHOLDS


@pytest.mark.django_db(transaction=True)
def test_a_flush_keeps_the_procedures_and_thresholds_of_the_rules():
    """`demo --reset` and transactional tests flush the database; the rules data must not vanish with it."""
    call_command("flush", "--no-input", verbosity=0)
    assert Procedure.objects.count() == len(PROCEDURES) and MustTenderThreshold.objects.count() == len(THRESHOLDS)


@pytest.mark.django_db
def test_a_procedure_edited_in_the_admin_is_audited_with_only_what_changed(client):
    from tests.factories import UserFactory
    from yingshang.kernel.models import AuditEntry

    client.force_login(UserFactory(admin=True))
    row = Procedure.objects.get(code="open_tender")
    url = f"/admin/trading/procedure/{row.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["min_bidders"] = row.min_bidders + 1
    assert client.post(url, data).status_code == 302
    entry = AuditEntry.objects.get(action="trading.procedure.update")
    assert json.loads(entry.summary)["after"] == {"min_bidders": str(row.min_bidders + 1)}
    assert client.post(url, data).status_code == 302  # saved again unchanged: no second entry
    assert AuditEntry.objects.filter(action="trading.procedure.update").count() == 1

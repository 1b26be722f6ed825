"""Credit at every step (§10): a bidder on a black list that bars bidding is refused, the hit is audited and
the applied measure reported back to the credit pillar; a watch-list hit is recorded but does not bar."""

import json

import pytest
from django.db import transaction

from tests.factories import LotFactory, TenderProjectFactory, UserFactory, _uscc
from tests.trading.credit_lists import bidding_blacklist, put_on
from yingshang.credit.models import Feedback
from yingshang.kernel.errors import Forbidden
from yingshang.kernel.kept import run_kept
from yingshang.kernel.models import AuditEntry
from yingshang.trading.services import credit_gate, lots

pytestmark = pytest.mark.django_db


def test_a_blacklisted_bidder_is_barred_and_the_measure_is_fed_back(town):
    c = bidding_blacklist()
    entry = put_on(c, c["black"], _uscc(7001))
    with pytest.raises(Forbidden) as exc, transaction.atomic():
        credit_gate.check(_uscc(7001), stage="bid", reference="lot:1/bid", department=town.zj)
    assert exc.value.code == "trading.credit_barred" and "限制参与招标投标" in exc.value.message
    assert not Feedback.objects.exists()  # rolled back with the refused step …
    run_kept(exc.value)  # … and kept by the edge
    feedback = Feedback.objects.get()
    assert (feedback.list_entry_id, feedback.measure_id, feedback.scenario, feedback.department_id) == (
        entry.pk, c["bar"].pk, "bidding", town.zj.pk)
    audit = AuditEntry.objects.get(action="trading.credit.check")
    assert json.loads(audit.summary)["after"]["barred"] is True


def test_a_watch_list_hit_is_recorded_but_does_not_bar(town):
    c = bidding_blacklist()
    put_on(c, c["watch"], _uscc(7002))
    result = credit_gate.check(_uscc(7002), stage="bid", reference="lot:1/bid", department=town.zj)
    assert not result.barred and result.hits and "重点关注" in result.hits[0]
    assert AuditEntry.objects.filter(action="trading.credit.check").count() == 1
    assert not Feedback.objects.exists()


def test_a_bidder_with_no_record_passes_without_an_entry(town):
    bidding_blacklist()
    result = credit_gate.check(_uscc(7003), stage="bid", reference="lot:1/bid", department=town.zj)
    assert (result.barred, result.hits) == (False, [])
    assert not AuditEntry.objects.filter(action="trading.credit.check").exists()


def test_a_barred_agency_cannot_bring_a_lot_in(town):
    c = bidding_blacklist()
    agency = UserFactory(agency=True)
    put_on(c, c["black"], agency.uscc, name="失信代理有限公司")
    project = TenderProjectFactory(tenderer_uscc=town.tenderer.uscc, agency_uscc=agency.uscc, regulator=town.zj)
    lot = LotFactory(project=project)
    with pytest.raises(Forbidden) as exc:
        lots.do_submit(agency, lot.pk, lot.row_version)
    assert exc.value.code == "trading.credit_barred" and "招标代理机构" in exc.value.message
    lot.refresh_from_db()
    assert lot.status == "draft"


def test_the_grade_is_empty_for_an_unknown_subject(town):
    assert credit_gate.grade(_uscc(7004)) == ""


def test_the_page_refuses_a_barred_agency_and_keeps_the_hit(town, client):
    c = bidding_blacklist()
    agency = UserFactory(agency=True)
    put_on(c, c["black"], agency.uscc, name="失信代理有限公司")
    lot = LotFactory(project=TenderProjectFactory(tenderer_uscc=town.tenderer.uscc, agency_uscc=agency.uscc,
                                                  regulator=town.zj))
    client.force_login(agency)
    response = client.post(f"/trading/lots/{lot.pk}/submit/", {"row_version": lot.row_version})
    assert response.status_code == 403
    lot.refresh_from_db()
    assert lot.status == "draft"
    assert Feedback.objects.get().reference == f"lot:{lot.pk}/registration"
    assert AuditEntry.objects.filter(action="trading.credit.check").count() == 1


def test_the_api_refuses_a_barred_agency_with_its_code_and_keeps_the_hit(town, client):
    c = bidding_blacklist()
    agency = UserFactory(agency=True)
    put_on(c, c["black"], agency.uscc, name="失信代理有限公司")
    lot = LotFactory(project=TenderProjectFactory(tenderer_uscc=town.tenderer.uscc, agency_uscc=agency.uscc,
                                                  regulator=town.zj))
    client.force_login(agency)
    response = client.post(f"/api/v1/trading/lots/{lot.pk}/submit", {"row_version": lot.row_version},
                           content_type="application/json")
    assert response.status_code == 403 and response.json()["code"] == "trading.credit_barred"
    assert response.json()["details"]["stage"] == "registration"
    assert Feedback.objects.count() == 1

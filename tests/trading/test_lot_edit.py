"""Editing a draft or returned lot (before resubmitting): the registration checks again, audited, refused
once submitted or accepted, and only by the project's own tenderer or agency."""

import json
from decimal import Decimal

import pytest

from tests.factories import LotFactory, TenderProjectFactory
from tests.trading.conftest import lot_data
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput
from yingshang.kernel.models import AuditEntry
from yingshang.trading.services import lots, projects

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned(town):
    return LotFactory(project=TenderProjectFactory(tenderer_uscc=town.tenderer.uscc, regulator=town.zj), returned=True)


def test_a_returned_lot_is_corrected_and_resubmitted(town, returned):
    lot = projects.do_update_lot(town.tenderer, returned.pk, returned.row_version,
                                 lot_data(name="施工一标段（修改）", ceiling_price="4700000"))
    assert (lot.name, lot.ceiling_price, lot.row_version) == ("施工一标段（修改）", Decimal("4700000"), 2)
    entry = AuditEntry.objects.get(action="trading.lot.update")
    summary = json.loads(entry.summary)
    assert summary["before"]["ceiling_price"] is None and summary["after"]["ceiling_price"] == "4700000.00"
    assert lots.do_submit(town.tenderer, lot.pk, lot.row_version).status == "registered"


def test_the_period_rules_apply_to_an_edit(town, returned):
    with pytest.raises(InvalidInput) as exc:
        projects.do_update_lot(town.tenderer, returned.pk, returned.row_version,
                               lot_data(bid_deadline="2026-05-20T09:30"))
    assert exc.value.code.startswith("trading.") and "20" in exc.value.message


def test_a_submitted_lot_cannot_be_edited(town):
    lot = LotFactory(project=TenderProjectFactory(tenderer_uscc=town.tenderer.uscc, regulator=town.zj), registered=True)
    with pytest.raises(Conflict) as exc:
        projects.do_update_lot(town.tenderer, lot.pk, lot.row_version, lot_data())
    assert exc.value.code == "trading.lot_not_editable"


def test_only_the_projects_own_tenderer_may_edit(town, returned):
    with pytest.raises(Forbidden):
        projects.do_update_lot(town.other_tenderer, returned.pk, returned.row_version, lot_data())


def test_a_stale_form_gets_a_conflict(town, returned):
    with pytest.raises(Conflict) as exc:
        projects.do_update_lot(town.tenderer, returned.pk, returned.row_version + 5, lot_data())
    assert exc.value.code == "trading.conflict"


def test_the_edit_page_and_the_api(client, town, returned):
    client.force_login(town.tenderer)
    page = client.get(f"/trading/lots/{returned.pk}/edit/")
    assert page.status_code == 200 and "材料不齐" in page.content.decode()
    assert "修改标段" in client.get(f"/trading/lots/{returned.pk}/").content.decode()
    form = {"row_version": returned.row_version, **{f"lot0-{k}": v for k, v in lot_data(name="页面修改").items()}}
    assert client.post(f"/trading/lots/{returned.pk}/edit/", form).status_code == 302
    bad = client.post(f"/trading/lots/{returned.pk}/edit/", {**form, "row_version": 2, "lot0-estimated_price": "-1"})
    assert bad.status_code == 200 and "估算价" in bad.content.decode()
    response = client.put(f"/api/v1/trading/lots/{returned.pk}", {**lot_data(name="接口修改"), "row_version": 2},
                          content_type="application/json")
    assert response.status_code == 200 and response.json()["name"] == "接口修改"
    again = client.put(f"/api/v1/trading/lots/{returned.pk}", {**lot_data(), "row_version": 2},
                       content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "trading.conflict"

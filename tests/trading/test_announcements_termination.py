"""Terminating a tender (REG Art. 31): the 终止公告 published, every downloader told, LOT_CLOSED fired;
only the lot's own tenderer or agency, only where the lot's life allows it; page and API."""

import pytest
from django.db import transaction

from tests.trading.factories_announcements import BidderFactory, announced_lot, on_sale_lot
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput
from yingshang.kernel.models import AuditEntry, Message
from yingshang.trading import hooks, rules
from yingshang.trading import rules_announcements as ra
from yingshang.trading.models import Announcement, Lot, TenderDocument
from yingshang.trading.services import downloads, termination

pytestmark = pytest.mark.django_db


def terminate(user, lot, reason="项目资金来源发生变化"):
    lot.refresh_from_db()
    with transaction.atomic():
        return termination.do_terminate(user, lot.pk, lot.row_version, reason=reason)


def test_termination_publishes_the_notice_tells_downloaders_and_fires_the_hook(town):
    lot = announced_lot(town.tenderer)
    bidder = BidderFactory()
    with transaction.atomic():
        downloads.do_download(bidder, TenderDocument.objects.get(lot=lot).pk)
    closed = []
    handler = hooks.LOT_CLOSED.register(lambda lot, reason: closed.append((lot.pk, reason)) or [])
    try:
        terminate(town.tenderer, lot)
    finally:
        hooks.LOT_CLOSED.unregister(handler)
    lot.refresh_from_db()
    assert lot.status == rules.TERMINATED and lot.next_check is None
    notice = Announcement.objects.get(kind=ra.TERMINATION)
    assert "项目资金来源发生变化" in notice.body and "第三十一条" in notice.body
    assert Message.objects.filter(recipient=bidder, subject__startswith="【终止招标】").exists()
    assert closed == [(lot.pk, "项目资金来源发生变化")]
    assert AuditEntry.objects.filter(action="trading.lot.terminate").exists()


def test_an_accepted_lot_ends_without_a_public_notice(town):
    lot = on_sale_lot(town.tenderer)
    terminate(town.tenderer, lot)
    assert Lot.objects.get(pk=lot.pk).status == rules.TERMINATED and not Announcement.objects.exists()


def test_termination_refusals(town):
    lot = announced_lot(town.tenderer)
    with pytest.raises(Forbidden):
        terminate(town.other_tenderer, lot)
    with pytest.raises(InvalidInput) as err:
        terminate(town.tenderer, lot, reason="")
    assert err.value.code == "trading.reason_required"
    terminate(town.tenderer, lot)
    with pytest.raises(Conflict) as err:
        terminate(town.tenderer, lot)
    assert err.value.code == "trading.transition_not_allowed"


def test_terminate_from_the_page_and_the_api(client, town):
    lot, other = announced_lot(town.tenderer), announced_lot(town.tenderer)
    client.force_login(town.tenderer)
    assert "终止招标" in client.get(f"/trading/lots/{lot.pk}/").content.decode()
    response = client.post(f"/trading/lots/{lot.pk}/tender/terminate/", {"row_version": lot.row_version,
                                                                         "reason": "规划调整"}, follow=True)
    assert "已终止招标" in response.content.decode() and Lot.objects.get(pk=lot.pk).status == rules.TERMINATED
    api = client.post(f"/api/v1/trading/lots/{other.pk}/terminate", {"row_version": other.row_version, "reason": "x"},
                      content_type="application/json")
    assert api.status_code == 200 and api.json()["status"] == rules.TERMINATED
    stale = client.post(f"/api/v1/trading/lots/{other.pk}/terminate", {"row_version": 1, "reason": "x"},
                        content_type="application/json")
    assert stale.status_code == 409

"""Free downloads by registered bidders during the sale period, each logged with the file's SHA-256;
the credit check at this first contact (a barred bidder is refused, the hit stays recorded); who may
see the downloaders."""

from datetime import date, datetime
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.utils import timezone

from tests.factories import UserFactory
from tests.trading.factories_announcements import PDF, BidderFactory, announced_lot
from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict, Forbidden, NotFound
from yingshang.kernel.models import AuditEntry
from yingshang.trading.models import DocumentDownload, TenderDocument
from yingshang.trading.services import credit_gate, downloads

pytestmark = pytest.mark.django_db


def fetch(user, document):
    with transaction.atomic():
        return downloads.do_download(user, document.pk)


def pin(monkeypatch, day: date, hour: int = 10):
    monkeypatch.setattr(clock, "today", lambda: day)
    monkeypatch.setattr(clock, "now", lambda: timezone.make_aware(datetime(day.year, day.month, day.day, hour)))


def test_a_bidder_downloads_free_and_the_download_is_logged_with_the_hash(town):
    lot = announced_lot(town.tenderer)
    bidder = BidderFactory()
    document = TenderDocument.objects.get(lot=lot)
    got, data = fetch(bidder, document)
    assert data == PDF and got == document
    row = DocumentDownload.objects.get()
    assert (row.uscc, row.organization_name, row.sha256, row.user) == (bidder.uscc, bidder.organization_name,
                                                                       document.sha256, bidder)
    assert row.downloaded_at == clock.now()
    entry = AuditEntry.objects.get(action="trading.document.download")
    assert document.sha256 in entry.summary


def test_downloads_follow_the_sale_period(town, monkeypatch):
    lot = announced_lot(town.tenderer)
    document = TenderDocument.objects.get(lot=lot)
    early, late = BidderFactory(), BidderFactory()
    pin(monkeypatch, date(2026, 4, 27))
    fetch(early, document)  # the last sale day
    pin(monkeypatch, date(2026, 4, 28))
    with pytest.raises(Conflict) as err:
        fetch(late, document)
    assert err.value.code == "trading.sale_ended"
    fetch(early, document)  # its own copy again, until the deadline
    pin(monkeypatch, date(2026, 5, 12), hour=10)
    with pytest.raises(Conflict) as err:
        fetch(early, document)
    assert err.value.code == "trading.after_deadline"


def test_who_may_not_download(town):
    lot = announced_lot(town.tenderer)
    document = TenderDocument.objects.get(lot=lot)
    with pytest.raises(Forbidden) as err:
        fetch(town.tenderer, document)
    assert err.value.code == "trading.forbidden"
    with pytest.raises(Forbidden) as err:
        fetch(UserFactory(role_codes=["bidder"]), document)
    assert err.value.code == "trading.no_organisation"
    with pytest.raises(NotFound):
        downloads.do_download(BidderFactory(), 99999)


def _barred(monkeypatch):
    measure = SimpleNamespace(blocking=True, measure_id=1, entry_id=1, content="限制参与招标投标", memorandum="联合惩戒备忘录")
    hit = SimpleNamespace(hit=True, measures=[measure], memberships=[SimpleNamespace(
        list_type_name="失信被执行人", department="市中级人民法院", document_no="（2026）陕08执1号")])
    monkeypatch.setattr(credit_gate.joint, "check", lambda uscc, scenario: hit)
    monkeypatch.setattr(credit_gate.joint, "do_record_feedback", lambda *a, **kw: None)


def test_a_barred_bidder_is_refused_with_the_reason_and_the_hit_stays_recorded(town, monkeypatch):
    lot = announced_lot(town.tenderer)
    document = TenderDocument.objects.get(lot=lot)
    _barred(monkeypatch)
    bidder = BidderFactory()
    with pytest.raises(Forbidden) as err:
        fetch(bidder, document)
    assert err.value.code == "trading.credit_barred" and "限制参与招标投标" in err.value.message
    # The edge's way: screen in its own transaction, so the hit commits before the refusal.
    with transaction.atomic():
        refusal = downloads.screen(bidder, lot)
    assert refusal.code == "trading.credit_barred"
    entry = AuditEntry.objects.get(action="trading.credit.check")
    assert f"lot:{lot.pk}/download" in entry.object_id and not DocumentDownload.objects.exists()


def test_the_downloaders_list_is_for_the_tenderer_and_the_centre_only(town):
    lot = announced_lot(town.tenderer)
    bidder = BidderFactory()
    fetch(bidder, TenderDocument.objects.get(lot=lot))
    assert [d.uscc for d in downloads.downloaders(town.tenderer, lot)] == [bidder.uscc]
    assert len(downloads.downloaders(town.staff, lot)) == 1
    for outsider in (bidder, town.other_tenderer, town.reviewer_zj):
        with pytest.raises(Forbidden) as err:
            downloads.downloaders(outsider, lot)
        assert err.value.code == "trading.downloaders_forbidden"
    assert [d.lot_id for d in downloads.my_downloads(bidder)] == [lot.pk]
    assert downloads.my_downloads(BidderFactory()) == []

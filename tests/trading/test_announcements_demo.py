"""The demo's §2 data: announced lots with documents, downloads, a clarification that moved a deadline,
a pending objection (that lot suspended); seeding twice adds nothing."""

import pytest

from tests.trading.factories_announcements import BidderFactory
from yingshang.kernel import clock
from yingshang.kernel.demo import DemoReport
from yingshang.trading import demo_announcements as demo
from yingshang.trading import rules
from yingshang.trading.models import Announcement, Clarification, DocumentDownload, DocumentObjection, Lot

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(monkeypatch, today):
    """The demo seeds a history with clock.as_of; let the pinned clock honour it."""
    pinned_now = clock.now()
    monkeypatch.setattr(clock, "today", lambda: clock._AS_OF.get() or today)
    monkeypatch.setattr(clock, "now", lambda: pinned_now.replace(
        year=clock.today().year, month=clock.today().month, day=clock.today().day))


def test_the_demo_gives_announced_lots_a_moved_deadline_and_a_pending_objection(client, town, history):
    BidderFactory(username="bidder")
    demo.seed_trading_announcements(DemoReport())
    demo.seed_trading_announcements(DemoReport())  # idempotent
    announced = Lot.objects.filter(status=rules.ANNOUNCED)
    assert announced.count() == len(demo.ANNOUNCED) and Announcement.objects.filter(kind="tender").count() == 3
    assert DocumentDownload.objects.count() == 7
    assert [c.moved for c in Clarification.objects.all()] == [True]
    objection = DocumentObjection.objects.get()
    assert objection.status == DocumentObjection.PENDING and objection.lot.suspended
    client.force_login(town.staff)
    assert objection.organization_name in client.get("/trading/objections/").content.decode()
    assert client.get("/trading/public/").content.decode().count("/trading/public/") >= 4

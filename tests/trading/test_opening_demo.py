"""The demo's lot opening today: announced with three sealed bids, idempotent, and its key files open the bids."""

from decimal import Decimal

import pytest
from django.utils import timezone

from yingshang.kernel import clock
from yingshang.kernel.demo import DemoReport
from yingshang.trading import demo_opening, rules
from yingshang.trading.models import Bid, Lot, OpeningPlan
from yingshang.trading.services import opening, opening_decrypt

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_lot_opening_today_whose_bids_open_with_the_key_files(town, opening_storage, settings, tmp_path,
                                                                                  monkeypatch):
    settings.DATA_DIR = tmp_path
    pinned = clock.today()
    monkeypatch.setattr(clock, "today", lambda: clock._AS_OF.get() or pinned)  # the demo seeds "as of" a past day
    report = DemoReport()
    demo_opening.seed_opening(report)
    demo_opening.seed_opening(DemoReport())  # idempotent
    lot = Lot.objects.get(project__approval_no=demo_opening.APPROVAL)
    assert lot.status == rules.ANNOUNCED and timezone.localtime(lot.bid_deadline).date() == pinned
    assert Bid.objects.filter(lot=lot).count() == 3 and OpeningPlan.objects.get(lot=lot).has_float_range
    assert any("今日开标" in line for line in report.lines)
    opening.do_open(town.staff, lot.pk)
    opening.do_sign_in(town.staff, lot.pk)
    opening.do_draw(town.staff, lot.pk)  # no bidder signed in
    bid = Bid.objects.filter(lot=lot, bidder__username="bidder").get()
    key = (tmp_path / "demo" / "opening-keys" / "bidder.key").read_text()
    assert opening_decrypt.do_decrypt(bid.bidder, lot.pk, key).price == Decimal("4580000.00")

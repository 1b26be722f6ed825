"""The sealed-bid demo: a lot taking bids with four sealed bids whose keys the opening's demo can use."""

import pytest
from django.conf import settings

from tests.trading.factories_bids import bid_data_dir  # noqa: F401
from yingshang.kernel.demo import DemoReport
from yingshang.trading import demo_bids as demo
from yingshang.trading import sealing
from yingshang.trading.models import Bid
from yingshang.trading.services import bid_files

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bid_data_dir")]


def test_the_demo_lot_has_four_sealed_bids_that_decrypt_with_the_kept_keys(town):
    demo.seed_bids(DemoReport())
    demo.seed_bids(DemoReport())  # idempotent
    rows = list(Bid.objects.select_related("lot").order_by("pk"))
    assert len(rows) == 4 and {b.lot.status for b in rows} == {"announced"}
    assert {b.bidder_name for b in rows} == {spec[3] for spec in demo.BIDDERS}
    prices = set()
    for bid in rows:
        key = sealing.decode_key(demo.demo_key_path(bid.pk).read_text())
        with bid_files.open_sealed(bid.sealed_path) as src:
            sheet, _name, _body = sealing.open_bid(key, src)
        prices.add(sheet["price"])
    assert prices == {sheet[0] for sheet in demo.BID_SHEETS}
    assert str(demo.demo_key_path(rows[0].pk)).startswith(str(settings.DATA_DIR))

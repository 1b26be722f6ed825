"""One bidder, one lot, many requests at once (PostgreSQL, real threads): submissions, replacements and
withdrawals are serialized by the lot lock — exactly one live bid remains and no update is lost."""

import io

import pytest
from django.db import transaction

from tests.helpers import race
from tests.trading.factories_bids import BidderFactory, bid_data_dir, open_lot, sealed  # noqa: F401
from yingshang.kernel.errors import Conflict
from yingshang.trading import rules
from yingshang.trading.models import Bid
from yingshang.trading.services import bid_files, bids

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("on_postgres", "bid_data_dir")]


def _submit(user, lot_id, data, **kwargs):
    def call():
        upload = bid_files.spool(io.BytesIO(data))
        with bid_files.cleanup(upload):
            return bids.do_submit(user, lot_id, upload, **kwargs)
    return call


def _first(user, lot):
    with transaction.atomic():
        return _submit(user, lot.pk, sealed().data)()


def _live(lot):
    return list(Bid.objects.filter(lot=lot).exclude(status__in=bids.GONE))


def test_simultaneous_first_submissions_leave_one_live_bid(town):
    bidder, lot = BidderFactory(), open_lot()
    results = race([_submit(bidder, lot.pk, sealed().data) for _ in range(4)])
    made = [r for r in results if isinstance(r, Bid)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(made) == 1 and len(refused) == 3 and {r.code for r in refused} == {"trading.bid_exists"}
    assert [b.pk for b in _live(lot)] == [made[0].pk]


def test_simultaneous_replacements_of_one_bid_lose_no_update(town):
    bidder, lot = BidderFactory(), open_lot()
    first = _first(bidder, lot)
    results = race([_submit(bidder, lot.pk, sealed().data, replaces=first.pk) for _ in range(3)])
    made = [r for r in results if isinstance(r, Bid)]
    assert len(made) == 1 and all(isinstance(r, Conflict) and r.code == "trading.bid_replaced"
                                  for r in results if not isinstance(r, Bid))
    assert [b.pk for b in _live(lot)] == [made[0].pk]
    assert Bid.objects.get(pk=first.pk).status == rules.BID_REPLACED


def test_a_replacement_and_a_withdrawal_at_once_end_consistent(town):
    bidder, lot = BidderFactory(), open_lot()
    first = _first(bidder, lot)
    results = race([_submit(bidder, lot.pk, sealed().data, replaces=first.pk),
                    lambda: bids.do_withdraw(bidder, first.pk, first.row_version)])
    replaced, withdrawn = results
    live = _live(lot)
    if isinstance(replaced, Bid):  # the replacement won: the withdrawal found the bid no longer live
        assert isinstance(withdrawn, Conflict) and withdrawn.code in ("trading.bid_conflict", "trading.bid_not_live")
        assert [b.pk for b in live] == [replaced.pk]
    else:  # the withdrawal won: the replacement found nothing to replace
        assert isinstance(replaced, Conflict) and replaced.code == "trading.bid_replaced"
        assert live == [] and Bid.objects.get(pk=first.pk).status == rules.BID_WITHDRAWN


def test_different_bidders_do_not_block_each_other_out(town):
    lot = open_lot()
    results = race([_submit(BidderFactory(), lot.pk, sealed().data) for _ in range(3)])
    assert all(isinstance(r, Bid) for r in results) and len(_live(lot)) == 3
    assert len({r.receipt_no for r in results}) == 3

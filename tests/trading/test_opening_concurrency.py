"""On PostgreSQL, real parallel transactions in the hall: two draws have one winner (trading.draw_done for the
other), a double-submitted key decrypts once, bidders decrypt in parallel, and the window's end does not lose a
decryption that was under way."""

import pytest
from django.db import transaction

from tests.helpers import race
from tests.trading.conftest_opening import FLOAT_PLAN, make_opening
from yingshang.kernel.models import AuditEntry
from yingshang.kernel.services.audit import verify
from yingshang.trading import rules
from yingshang.trading.models import Bid, Lot, OpeningPlan
from yingshang.trading.services import opening, opening_decrypt

pytestmark = pytest.mark.django_db(transaction=True)


def atomic(call, *args):
    with transaction.atomic():
        return call(*args)


def test_two_draws_at_once_have_one_winner(on_postgres, town, opening_storage):
    o = make_opening(town, plan=FLOAT_PLAN)
    atomic(opening.do_open, town.staff, o.lot.pk)  # no bidder signed in: the centre draws, here twice at once
    results = race([lambda: opening.do_draw(town.staff, o.lot.pk)] * 2)
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and errors[0].code == "trading.draw_done", results
    plan = OpeningPlan.objects.get(lot=o.lot)
    assert Lot.objects.get(pk=o.lot.pk).float_rate is not None and plan.drawn_at is not None
    assert AuditEntry.objects.filter(action="trading.openingplan.draw").count() == 1 and verify().ok


def test_a_key_sent_twice_at_once_decrypts_once(on_postgres, town, opening_storage):
    o = make_opening(town)
    atomic(opening.do_open, town.staff, o.lot.pk)
    results = race([lambda: opening_decrypt.do_decrypt(o.bidders[0], o.lot.pk, o.keys[0])] * 2)
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and errors[0].code == "trading.bid_already_decrypted", results
    assert AuditEntry.objects.filter(action="trading.bid.decrypt").count() == 1


def test_bidders_decrypt_in_parallel(on_postgres, town, opening_storage):
    o = make_opening(town, 4)
    atomic(opening.do_open, town.staff, o.lot.pk)
    results = race([lambda p=p, k=k: opening_decrypt.do_decrypt(p, o.lot.pk, k)
                    for p, k in zip(o.bidders, o.keys, strict=True)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert set(Bid.objects.filter(lot=o.lot).values_list("status", flat=True)) == {rules.BID_DECRYPTED}
    assert verify().ok


def test_closing_the_window_while_a_bid_decrypts_keeps_the_decryption(on_postgres, town, opening_storage,
                                                                     opening_clock):
    o = make_opening(town)
    atomic(opening.do_open, town.staff, o.lot.pk)
    atomic(opening_decrypt.do_decrypt, o.bidders[1], o.lot.pk, o.keys[1])
    atomic(opening_decrypt.do_decrypt, o.bidders[2], o.lot.pk, o.keys[2])
    results = race([lambda: opening_decrypt.do_decrypt(o.bidders[0], o.lot.pk, o.keys[0]),
                    lambda: opening_decrypt.do_close_window(town.staff, o.lot.pk)])
    bid = Bid.objects.get(pk=o.bids[0].pk)
    plan = OpeningPlan.objects.get(lot=o.lot)
    # Whichever came first, the decryption stands: a close before it is refused (a bid still sealed, window open),
    # a close after it succeeds (all decrypted).
    assert bid.status == rules.BID_DECRYPTED and results[0].pk == bid.pk
    if isinstance(results[1], Exception):
        assert results[1].code == "trading.decrypt_window_open" and plan.closed_at is None
    else:
        assert plan.closed_at is not None

def test_a_double_sign_in_records_one_attendance(on_postgres, town, opening_storage):
    o = make_opening(town)
    results = race([lambda: opening.do_sign_in(o.bidders[0], o.lot.pk)] * 2)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert results[0].pk == results[1].pk

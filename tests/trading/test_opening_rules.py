"""The opening's rules with the law's own numbers: three bids or no opening (TBL 28, REG 44), the opening at the
deadline (TBL 34), not-decrypted bids by fault (ETB 31), the ceiling (REG 51 (5)), the drawn ranges (seed 004)."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from yingshang.kernel.rules import draw
from yingshang.trading import rules
from yingshang.trading import rules_opening as ro

DEADLINE = datetime(2026, 5, 25, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.parametrize(("received", "minimum", "refused"), [(0, 3, True), (2, 3, True), (3, 3, False), (12, 3, False),
                                                              (1, 1, False), (0, 1, True)])
def test_fewer_than_three_bids_no_opening(received, minimum, refused):
    breach = ro.check_enough_bids(received, minimum)
    assert (breach is not None) == refused
    if breach:
        assert breach.code == "trading.too_few_bids" and "第四十四条" in breach.source and "第二十八条" in breach.source
        assert f"投标人少于{minimum}个" in breach.message


def test_the_opening_is_at_the_deadline_not_a_millisecond_before():
    assert ro.check_opening_time(DEADLINE - timedelta(milliseconds=1), DEADLINE).code == "trading.opening_too_early"
    assert ro.check_opening_time(DEADLINE, DEADLINE) is None
    assert "第三十四条" in ro.OPEN_AT_DEADLINE


def test_a_bid_not_decrypted_is_revoked_by_the_bidders_fault_and_withdrawn_otherwise():
    assert ro.undecrypted_outcome(ro.BIDDER_FAULT) == rules.BID_REVOKED
    assert ro.undecrypted_outcome(ro.OTHER_FAULT) == rules.BID_WITHDRAWN
    assert "第三十一条" in ro.DECRYPT_SOURCE


def test_the_decryption_window_defaults_to_thirty_minutes():
    assert ro.decrypt_until(DEADLINE, ro.DECRYPT_MINUTES) == DEADLINE + timedelta(minutes=30)


@pytest.mark.parametrize(("price", "ceiling", "over"), [("4800000.00", "4800000.00", False), ("4800000.01", "4800000.00", True),
                                                        ("4799999.99", "4800000.00", False), ("5000000", None, False)])
def test_a_price_above_the_ceiling_is_flagged(price, ceiling, over):
    assert ro.over_ceiling(Decimal(price), Decimal(ceiling) if ceiling else None) is over
    assert "第五十一条" in ro.CEILING_SOURCE


@pytest.mark.parametrize(("sheet", "price"), [({"price": "4500000"}, Decimal("4500000.00")),
                                              ({"price": "4,500,000.50"}, Decimal("4500000.50")),
                                              ({"price": 4500000}, Decimal("4500000.00")), ({"price": "abc"}, None),
                                              ({"price": True}, None), ({"price": "-1"}, None), ({}, None),
                                              ({"price": "NaN"}, None), ("not a dict", None)])
def test_the_price_is_read_from_the_sheet_or_marked_unreadable(sheet, price):
    assert ro.sheet_price(sheet) == price


@pytest.mark.parametrize(("low", "high", "step", "code"), [
    (None, None, None, None), ("3", "6", "0.01", None), ("3", None, None, "trading.float_incomplete"),
    ("6", "3", "0.01", "trading.float_invalid"), ("3", "101", "1", "trading.float_invalid"),
    ("3", "6", "0", "trading.float_step_invalid"), ("0", "100", "0.0001", "trading.float_step_invalid")])
def test_the_ranges_from_the_documents(low, high, step, code):
    values = [Decimal(v) if v is not None else None for v in (low, high, step)]
    breach = ro.check_range(*values, "下浮率", "float")
    assert (breach.code if breach else None) == code


def test_a_drawn_rate_is_one_of_the_published_values_and_the_same_for_the_same_seed():
    seed = "a" * 64
    value = draw.value_in_range(seed, Decimal("3"), Decimal("6"), Decimal("0.01"), ro.draw_context(7, "float_rate"))
    assert Decimal("3") <= value <= Decimal("6") and (value * 100) % 1 == 0
    assert value == draw.value_in_range(seed, Decimal("3"), Decimal("6"), Decimal("0.01"), "trading.lot:7/float_rate")

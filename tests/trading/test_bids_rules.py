"""The sealed-bid rules with the law's own numbers: the deadline to the millisecond (电子招标投标办法第二十七条,
招标投标法第二十八条), changes only before it (招标投标法第二十九条), the size limit."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from yingshang.trading import rules_bids

DEADLINE = datetime(2026, 5, 25, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
MS = timedelta(milliseconds=1)


def test_a_bid_one_millisecond_before_the_deadline_is_in_time():
    assert rules_bids.check_deadline(DEADLINE - MS, DEADLINE) is None


def test_a_bid_at_or_one_millisecond_after_the_deadline_is_late():
    for moment in (DEADLINE, DEADLINE + MS):
        breach = rules_bids.check_deadline(moment, DEADLINE)
        assert breach.code == "trading.bid_deadline_passed"
        assert "电子招标投标办法》第二十七条" in breach.source and "招标投标法》第二十八条" in breach.source


def test_replacing_or_withdrawing_only_before_the_deadline():
    assert rules_bids.check_change_before_deadline(DEADLINE - MS, DEADLINE) is None
    breach = rules_bids.check_change_before_deadline(DEADLINE, DEADLINE)
    assert breach.code == "trading.bid_deadline_passed" and "第二十九条" in breach.source


def test_the_size_limit_and_an_empty_file():
    limit = rules_bids.DEFAULT_MAX_BID_BYTES
    assert limit == 1 << 30
    assert rules_bids.check_size(limit, limit) is None
    assert rules_bids.check_size(limit + 1, limit).code == "trading.bid_too_large"
    assert "1024 MB" in rules_bids.check_size(limit + 1, limit).message
    assert rules_bids.check_size(0, limit).code == "trading.bid_file_required"

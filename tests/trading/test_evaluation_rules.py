"""The evaluation rules with the law's own numbers: weights (credit ≥ 10 %, seed 004; 87号令 Art. 55 price
weight), the benchmark and low-price-first formulas, credit points, majority, outliers, candidates."""

from datetime import date
from decimal import Decimal as D

import pytest

from yingshang.trading import rules_evaluation as er

COMPREHENSIVE = er.method_in_force(er.METHODS, er.COMPREHENSIVE, date(2026, 4, 20))
GP = er.method_in_force(er.METHODS, er.GP_LOW_PRICE, date(2026, 4, 20))
GP_2016 = er.method_in_force(er.METHODS, er.GP_LOW_PRICE, date(2016, 1, 1))
LOWEST = er.method_in_force(er.METHODS, er.LOWEST_PRICE, date(2026, 4, 20))


def w(t, c, p, r) -> er.Weights:
    return er.Weights(D(t), D(c), D(p), D(r))


def test_comprehensive_weights_sum_to_100_with_credit_at_least_10_percent():
    assert er.check_weights(COMPREHENSIVE, "works", w(40, 10, 40, 10)) is None
    low = er.check_weights(COMPREHENSIVE, "works", w(41, 10, 40, 9))
    assert low.code == "trading.credit_weight_too_low" and "10%" in low.message and "种子004" in low.source
    assert er.check_weights(COMPREHENSIVE, "works", w(40, 10, 40, 11)).code == "trading.weights_not_100"
    assert er.check_weights(COMPREHENSIVE, "works", w(-1, 11, 80, 10)).code == "trading.weight_negative"


def test_price_only_methods_put_every_point_on_price():
    assert er.check_weights(LOWEST, "works", w(0, 0, 100, 0)) is None
    assert er.check_weights(LOWEST, "works", w(20, 0, 80, 0)).code == "trading.weights_price_only"


@pytest.mark.parametrize(("lot_type", "price", "ok"), [("goods", 30, True), ("goods", 29, False), ("goods", 70, True),
                                                       ("services", 10, True), ("services", 9, False)])
def test_government_procurement_price_weight_floors_of_order_87(lot_type, price, ok):
    rest = 100 - price
    breach = er.check_weights(GP, lot_type, w(rest, 0, price, 0))
    assert (breach is None) is ok
    if not ok:
        assert breach.code == "trading.price_weight_out_of_range" and "第五十五条" in breach.source


@pytest.mark.parametrize(("lot_type", "price", "ok"), [("goods", 60, True), ("goods", 61, False),
                                                       ("services", 30, True), ("services", 31, False)])
def test_before_order_87_the_price_weight_had_ceilings_of_order_18(lot_type, price, ok):
    assert (er.check_weights(GP_2016, lot_type, w(100 - price, 0, price, 0)) is None) is ok


def test_government_procurement_scoring_is_not_for_works():
    assert er.check_weights(GP, "works", w(70, 0, 30, 0)).code == "trading.method_not_for_lot_type"


def test_scoring_items_add_up_to_their_part_weight():
    weights = w(40, 10, 40, 10)
    assert er.check_items(weights, [("technical", D(30)), ("technical", D(10)), ("commercial", D(10))]) is None
    short = er.check_items(weights, [("technical", D(30)), ("commercial", D(10))])
    assert short.code == "trading.items_not_weight" and "40" in short.message


def test_benchmark_is_the_mean_inside_the_ceiling_less_the_float_rate():
    prices = [D("4500000"), D("4600000"), D("4700000"), D("4800000"), D("5000000")]
    # mean of the four within the 480万 ceiling = 465万; × (1 − 5 %) = 441.75万
    assert er.benchmark_price(prices, D("5"), D("4800000")) == D("4417500.00")
    assert er.benchmark_price(prices[:2], None) == D("4550000.00")


def test_benchmark_score_loses_two_points_per_percent_above_and_one_below():
    bench = D("1000000")
    assert er.benchmark_score(D("1000000"), bench, D(40)) == D("40.00")
    assert er.benchmark_score(D("1030000"), bench, D(40)) == D("34.00")  # 3 % above: −6
    assert er.benchmark_score(D("970000"), bench, D(40)) == D("37.00")  # 3 % below: −3
    assert er.benchmark_score(D("1300000"), bench, D(40)) == D("0.00")  # never below zero


def test_low_price_first_score_of_order_87():
    # 评标基准价 = the lowest valid price 80万; a bid of 100万 with a price weight of 30 gets 80/100 × 30 = 24
    assert er.low_price_score(D("1000000"), D("800000"), D(30)) == D("24.00")
    assert er.low_price_score(D("800000"), D("800000"), D(30)) == D("30.00")
    lowest, scores = er.price_scores(GP, {1: D("800000"), 2: D("1000000")}, D(30), float_rate=None, ceiling=None)
    assert lowest == D("800000") and scores == {1: D("30.00"), 2: D("24.00")}


def test_credit_points_are_the_grades_share_of_the_credit_weight():
    assert [er.credit_score(g, D(10)) for g in ("A", "B", "C", "D", "")] == [D("10.00"), D("8.00"), D("6.00"),
                                                                             D("0.00"), D("6.00")]


def test_majority_of_all_members():
    assert er.is_majority(3, 5) and not er.is_majority(2, 5)
    assert er.cannot_reach_majority(3, 5) and not er.cannot_reach_majority(2, 5)


def test_failing_the_tender_needs_fewer_than_three_valid_bids():
    assert er.may_declare_failed(2) is None
    assert er.may_declare_failed(3).code == "trading.enough_valid_bids"


def test_outlier_beyond_20_percent_of_the_item_max_from_the_others_mean():
    others = [D(20), D(22), D(24)]  # mean 22; 20 % of 30 = 6
    assert not er.is_outlier(D(28), others, D(30), 20)
    assert er.is_outlier(D("28.01"), others, D(30), 20) and er.is_outlier(D(15), others, D(30), 20)
    assert not er.is_outlier(D(0), [], D(30), 20)


def test_at_most_three_candidates():
    assert er.check_candidates(3, 5) is None
    assert er.check_candidates(4, 5).code == "trading.candidates_too_many"
    assert er.check_candidates(0, 5).code == "trading.candidates_required"
    assert "第五十三条" in er.check_candidates(4, 5).source

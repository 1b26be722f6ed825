"""The pure rules of the expert database and draw, with the law's own numbers."""

from datetime import date

from yingshang.kernel.rules import draw as vdraw
from yingshang.trading import rules, specialty_data
from yingshang.trading import rules_experts as rx


def test_sanctions_suspend_for_six_or_twelve_months_and_removal_has_no_end():
    assert rx.sanction_end(rx.SUSPEND_6, date(2026, 4, 20)) == date(2026, 10, 19)
    assert rx.sanction_end(rx.SUSPEND_12, date(2026, 4, 20)) == date(2027, 4, 19)
    assert rx.sanction_end(rx.SUSPEND_6, date(2026, 8, 31)) == date(2027, 2, 27)  # no 2-31: ends the day before 2-28
    assert rx.sanction_end(rx.REMOVE, date(2026, 4, 20)) is None
    assert "第七十一条" in rx.SANCTION_SOURCE


def test_drawable_needs_active_verified_and_no_suspension_in_force():
    today = date(2026, 4, 20)
    assert rx.drawable(rx.ACTIVE, rx.VERIFIED, None, today)
    assert rx.drawable(rx.ACTIVE, rx.VERIFIED, date(2026, 4, 19), today)
    assert not rx.drawable(rx.ACTIVE, rx.VERIFIED, date(2026, 4, 20), today)  # the last day still bars
    assert not rx.drawable(rx.PAUSED, rx.VERIFIED, None, today)
    assert not rx.drawable(rx.ACTIVE, rx.FLAGGED, None, today)


def test_recent_work_is_three_years():
    assert rx.recent_cutoff(date(2026, 4, 20)) == date(2023, 4, 20)
    assert rx.recent_cutoff(date(2028, 2, 29)) == date(2025, 2, 28)
    assert "第四十六条" in rx.AVOIDANCE_SOURCE and "第十二条" in rx.AVOIDANCE_SOURCE


def test_the_draw_is_a_pure_function_of_seed_and_pools_and_verifies():
    seed = "ab" * 32
    pools = [{"specialty": "A0801", "count": 4, "substitutes": 2, "ids": list(range(1, 101))},
             {"specialty": "B02", "count": 1, "substitutes": 1, "ids": list(range(50, 61))}]
    picks = rx.run_draw(seed, 7, 1, pools)
    assert picks == rx.run_draw(seed, 7, 1, pools)
    assert [p.role for p in picks] == ["main"] * 4 + ["substitute"] * 2 + ["main", "substitute"]
    assert len({p.expert_id for p in picks}) == 8  # an expert of both pools is drawn once
    first = [p.expert_id for p in picks[:6]]
    assert first == vdraw.sample(seed, list(range(1, 101)), 6, rx.context(7, 1, "A0801"))
    published = [{**p, "size": len(p["ids"]), "digest": rx.pool_digest(p["ids"])} for p in pools]
    assert rx.verify_round(seed, vdraw.commitment(seed), 7, 1, published, picks).ok
    assert not rx.verify_round("cd" * 32, vdraw.commitment(seed), 7, 1, published, picks).ok
    forged = [{**published[0], "ids": published[0]["ids"][:-1]}, published[1]]
    assert "摘要" in rx.verify_round(seed, vdraw.commitment(seed), 7, 1, forged, picks).problems[0]


def test_pool_digest_is_sha256_of_the_comma_joined_ids():
    import hashlib

    assert rx.pool_digest([1, 2, 3]) == hashlib.sha256(b"1,2,3").hexdigest()


def test_committee_five_or_more_odd_experts_two_thirds():
    assert rules.check_committee(4, 1) is None
    assert rules.check_committee(3, 1).code == "trading.committee_too_small"
    assert rules.check_committee(4, 2).code == "trading.committee_even"
    assert rules.check_committee(3, 2).code == "trading.committee_experts_share"


def test_the_classification_is_a_tree_of_about_forty_codes():
    codes = [c for c, _ in specialty_data.SPECIALTIES]
    assert 35 <= len(codes) <= 50 and len(set(codes)) == len(codes)
    assert {"A0801", "B02"} <= set(codes)
    assert all(specialty_data.parent_code(c) in (None, *codes) for c in codes)
    assert specialty_data.parent_code("A0801") == "A08" and specialty_data.parent_code("A08") == "A"


def test_a_pool_is_stored_as_the_text_that_is_digested():
    import hashlib

    assert rx.pool_text([3, 10, 200]) == "3,10,200" and rx.pool_ids("3,10,200") == [3, 10, 200]
    assert rx.pool_ids("") == [] and rx.pool_digest("3,10,200") == hashlib.sha256(b"3,10,200").hexdigest()
    seed = "ef" * 32
    as_list = rx.run_draw(seed, 1, 1, [{"specialty": "A", "count": 2, "substitutes": 1, "ids": [3, 10, 200, 7]}])
    as_text = rx.run_draw(seed, 1, 1, [{"specialty": "A", "count": 2, "substitutes": 1, "ids": "3,10,200,7"}])
    assert as_list == as_text

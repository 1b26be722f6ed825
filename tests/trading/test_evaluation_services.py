"""The evaluation services: the plan, the start (committee, confirmations, credit read now), independent
scoring (final once submitted, corrections with reasons), outliers, disqualification by majority, failing the
tender, clarifications, and the report (≤ 3 candidates, signatures, dissent, Candidate rows, PDF)."""

import json
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.db import transaction

from tests.factories import UserFactory
from tests.trading.factories_evaluation import PLAN, BidFactory, evaluating_lot, member, opening_lot, score_all
from yingshang.kernel import access, clock
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from yingshang.kernel.models import AuditEntry
from yingshang.kernel.services.audit import verify
from yingshang.trading import hooks, rules
from yingshang.trading.models import Candidate, CommitteeMember, Lot
from yingshang.trading.services import (
    credit_gate,
    evaluation,
    evaluation_plans,
    evaluation_report,
)
from yingshang.trading.services import (
    evaluation_decisions as decisions,
)

pytestmark = pytest.mark.django_db


def act(call, *args, **kwargs):
    with transaction.atomic():
        return call(*args, **kwargs)


def actions():
    return list(AuditEntry.objects.values_list("action", flat=True))


# --- Plan ------------------------------------------------------------------------------------------------
def test_the_tenderer_sets_the_plan_and_it_is_audited(town):
    ev = opening_lot(town, plan=None)
    Lot.objects.filter(pk=ev.lot.pk).update(status=rules.ANNOUNCED)
    plan = act(evaluation_plans.do_set_plan, town.tenderer, ev.lot.pk, PLAN)
    assert plan.method.code == "comprehensive" and plan.credit_weight == D(10) and plan.items.count() == 3
    assert not plan.ranked and "trading.evaluationplan.set" in actions()


@pytest.mark.parametrize(("change", "code"), [
    ({"credit_weight": "5", "price_weight": "45"}, "trading.credit_weight_too_low"),
    ({"price_weight": "50"}, "trading.weights_not_100"),
    ({"items": [{"part": "technical", "name": "x", "max_points": "40"}]}, "trading.items_not_weight"),
    ({"method": "gp_low_price"}, "trading.method_wrong_regime"),
    ({"method": "nope"}, "trading.method_invalid"),
])
def test_a_bad_plan_is_refused_with_its_code(town, change, code):
    ev = opening_lot(town, plan=None)
    Lot.objects.filter(pk=ev.lot.pk).update(status=rules.ANNOUNCED)
    with pytest.raises(InvalidInput) as err:
        act(evaluation_plans.do_set_plan, town.tenderer, ev.lot.pk, {**PLAN, **change})
    assert err.value.code == code


def test_only_the_lots_tenderer_sets_the_plan_and_only_before_the_deadline(town, monkeypatch):
    ev = opening_lot(town, plan=None)
    Lot.objects.filter(pk=ev.lot.pk).update(status=rules.ANNOUNCED)
    with pytest.raises(Forbidden):
        act(evaluation_plans.do_set_plan, town.other_tenderer, ev.lot.pk, PLAN)
    with pytest.raises(Forbidden):
        act(evaluation_plans.do_set_plan, town.staff, ev.lot.pk, PLAN)
    monkeypatch.setattr(clock, "now", lambda: ev.lot.bid_deadline + timedelta(minutes=1))
    with pytest.raises(Conflict) as err:
        act(evaluation_plans.do_set_plan, town.tenderer, ev.lot.pk, PLAN)
    assert err.value.code == "trading.plan_fixed"


# --- Start -----------------------------------------------------------------------------------------------
def test_the_centre_starts_with_credit_read_now_and_price_points(town, monkeypatch):
    ev = opening_lot(town)
    monkeypatch.setattr(credit_gate, "grade", lambda uscc: "A" if uscc == ev.bids[0].bidder_uscc else "C")
    lot = act(evaluation.do_start, town.staff, ev.lot.pk, ev.lot.row_version)
    assert lot.status == rules.EVALUATING and lot.next_check is None
    first = ev.bids[0]
    first.refresh_from_db()
    assert (first.evaluation.credit_grade, first.evaluation.credit_score) == ("A", D("10.00"))
    assert ev.bids[1].evaluation.credit_score == D("6.00")
    # benchmark = mean(450, 460, 470, 480万) × 95 % = 441.75万; 450万 is 1.8676 % above: 40 − 3.74
    assert lot.evaluation_plan.benchmark == D("4417500.00") and first.evaluation.price_score == D("36.26")
    assert "trading.lot.evaluate" in actions() and verify().ok


@pytest.mark.parametrize(("setup", "code"), [
    (lambda ev: member(ev.lot), "trading.committee_even"),
    (lambda ev: CommitteeMember.objects.filter(pk=ev.members[0].pk).update(confirmed_at=None),
     "trading.committee_unconfirmed"),
    (lambda ev: ev.lot.evaluation_plan.delete(), "trading.plan_missing"),
    (lambda ev: ev.bids[0].__class__.objects.filter(lot=ev.lot).update(status=rules.BID_REVOKED),
     "trading.no_valid_bids"),
])
def test_the_start_is_refused_without_a_lawful_confirmed_committee_or_plan(town, setup, code):
    ev = opening_lot(town)
    setup(ev)
    with pytest.raises(Conflict) as err:
        act(evaluation.do_start, town.staff, ev.lot.pk, None)
    assert err.value.code == code


def test_the_start_is_the_centres_and_from_the_opening_only(town):
    ev = opening_lot(town)
    with pytest.raises(Forbidden):
        act(evaluation.do_start, ev.experts[0], ev.lot.pk, None)
    act(evaluation.do_start, town.staff, ev.lot.pk, None)
    with pytest.raises(Conflict) as err:
        act(evaluation.do_start, town.staff, ev.lot.pk, None)
    assert err.value.code == "trading.transition_not_allowed"


# --- Scoring ---------------------------------------------------------------------------------------------
def items(ev):
    return list(ev.lot.evaluation_plan.items.all())


def test_a_submitted_sheet_is_final_and_a_correction_needs_a_reason(town):
    ev = evaluating_lot(town)
    expert, bid = ev.experts[0], ev.bids[0]
    first = items(ev)
    act(evaluation.do_save_scores, expert, bid.pk, {str(first[0].pk): "20"})  # a draft, partial
    with pytest.raises(InvalidInput) as err:
        act(evaluation.do_save_scores, expert, bid.pk, {str(first[0].pk): "20"}, submit=True)
    assert err.value.code == "trading.scores_incomplete"
    sheet = act(evaluation.do_save_scores, expert, bid.pk, {str(i.pk): "8" for i in first}, submit=True)
    assert sheet.submitted_at
    with pytest.raises(Conflict) as err:
        act(evaluation.do_save_scores, expert, bid.pk, {str(first[0].pk): "9"})
    assert err.value.code == "trading.score_submitted"
    score = sheet.scores.get(item=first[0])
    with pytest.raises(InvalidInput):
        act(evaluation.do_correct_score, expert, score.pk, "9", "")
    act(evaluation.do_correct_score, expert, score.pk, "9", "计算错误")
    entry = json.loads(AuditEntry.objects.get(action="trading.score.correct").summary)
    assert entry == {"before": {"points": "8.00"}, "after": {"points": "9.00"}, "note": "计算错误"}


def test_scores_are_bounded_by_the_items_max(town):
    ev = evaluating_lot(town)
    with pytest.raises(InvalidInput) as err:
        act(evaluation.do_save_scores, ev.experts[0], ev.bids[0].pk, {str(items(ev)[1].pk): "10.5"})
    assert err.value.code.startswith("trading.item_")


def test_only_members_score_and_only_valid_bids(town):
    ev = evaluating_lot(town)
    outsider = UserFactory(role_codes=[access.EXPERT])
    with pytest.raises(NotFound):
        act(evaluation.do_save_scores, outsider, ev.bids[0].pk, {})
    ev.bids[0].__class__.objects.filter(pk=ev.bids[0].pk).update(status=rules.BID_REJECTED)
    with pytest.raises(Conflict) as err:
        act(evaluation.do_save_scores, ev.experts[0], ev.bids[0].pk, {})
    assert err.value.code == "trading.bid_not_valid"


def test_an_outlier_needs_a_reason_before_the_report(town):
    ev = evaluating_lot(town)
    odd = ev.members[0]
    high = items(ev)[0]  # 30 points; others give 24, the odd one 10: 14 > 6
    score_all(ev, {(odd.pk, b.pk, 0): D("10") for b in ev.bids})
    flagged = [s for s, _m in evaluation.outliers(ev.lot)]
    assert {s.sheet.member_id for s in flagged} == {odd.pk} and all(s.item_id == high.pk for s in flagged)
    candidates = [{"bid": ev.bids[0].pk, "strengths": "报价合理", "risks": "工期紧"}]
    with pytest.raises(Conflict) as err:
        act(evaluation_report.do_draft, odd.user, ev.lot.pk, "评审完毕", candidates)
    assert err.value.code == "trading.outliers_unexplained"
    with pytest.raises(NotFound):  # another member's score does not exist for them
        act(evaluation.do_explain_outlier, ev.members[1].user, flagged[0].pk, "x")
    with pytest.raises(Conflict) as err:  # a score within the threshold needs no reason
        act(evaluation.do_explain_outlier, ev.members[1].user, flagged[0].sheet.scores.model.objects.filter(
            sheet__member=ev.members[1]).first().pk, "x")
    assert err.value.code == "trading.not_outlier"
    for s in flagged:
        act(evaluation.do_explain_outlier, odd.user, s.pk, "该投标施工组织设计缺少冬季施工措施")
    assert act(evaluation_report.do_draft, odd.user, ev.lot.pk, "评审完毕", candidates).pk


def test_aggregation_is_the_mean_per_item_plus_computed_points(town):
    ev = evaluating_lot(town)
    score_all(ev, {(ev.members[0].pk, ev.bids[0].pk, 0): D("30")})  # 30 vs 24 ×4: mean 25.2
    top = next(t for t in evaluation.aggregate(ev.lot) if t.bid.pk == ev.bids[0].pk)
    assert top.technical == D("25.20") + D("8.00") and top.commercial == D("8.00")
    assert top.total == top.technical + top.commercial + top.price + top.credit


# --- Disqualification ------------------------------------------------------------------------------------
def test_a_disqualification_upheld_by_majority_rejects_the_bid_and_reprices(town):
    ev = evaluating_lot(town)
    bid = ev.bids[3]
    d = act(decisions.do_propose_disqualification, ev.experts[0], bid.pk, "above_ceiling", "报价超过最高投标限价")
    with pytest.raises(Conflict) as err:
        act(decisions.do_vote, ev.experts[0], d.pk, True)
    assert err.value.code == "trading.already_voted"
    act(decisions.do_vote, ev.experts[1], d.pk, True)
    d = act(decisions.do_vote, ev.experts[2], d.pk, True)
    bid.refresh_from_db()
    assert d.status == "upheld" and bid.status == rules.BID_REJECTED
    # benchmark now mean(450, 460, 470万) × 95 % = 437万
    assert Lot.objects.get(pk=ev.lot.pk).evaluation_plan.benchmark == D("4370000.00")
    assert {"trading.disqualification.propose", "trading.bid.reject"} <= set(actions())
    with pytest.raises(Conflict):
        act(decisions.do_vote, ev.experts[3], d.pk, True)


def test_a_disqualification_without_majority_is_dismissed(town):
    ev = evaluating_lot(town)
    d = act(decisions.do_propose_disqualification, ev.experts[0], ev.bids[0].pk, "below_cost", "低于成本")
    for user in ev.experts[1:4]:
        d = act(decisions.do_vote, user, d.pk, False)
    assert d.status == "dismissed" and ev.bids[0].__class__.objects.get(pk=ev.bids[0].pk).status == rules.BID_DECRYPTED


def test_a_ground_must_be_one_of_article_51(town):
    ev = evaluating_lot(town)
    with pytest.raises(InvalidInput) as err:
        act(decisions.do_propose_disqualification, ev.experts[0], ev.bids[0].pk, "ugly", "x")
    assert err.value.code == "trading.ground_invalid"


def test_fewer_than_three_valid_bids_lets_the_committee_fail_the_tender(town):
    ev = evaluating_lot(town)
    heard = []
    handler = hooks.LOT_CLOSED.register(lambda lot, reason: heard.append((lot.pk, reason)))
    try:
        with pytest.raises(Conflict) as err:
            act(decisions.do_declare_failed, ev.experts[0], ev.lot.pk, None, "缺乏竞争")
        assert err.value.code == "trading.enough_valid_bids"
        ev.bids[0].__class__.objects.filter(pk__in=[b.pk for b in ev.bids[:2]]).update(status=rules.BID_REJECTED)
        for user in ev.experts[:2]:
            lot = act(decisions.do_declare_failed, user, ev.lot.pk, None, "有效投标不足3个")
        assert lot.status == rules.EVALUATING and heard == []  # 2 of 5 is no majority
        with pytest.raises(Conflict) as err:
            act(decisions.do_declare_failed, ev.experts[0], ev.lot.pk, None, "有效投标不足3个")
        assert err.value.code == "trading.already_voted"
        lot = act(decisions.do_declare_failed, ev.experts[2], ev.lot.pk, None, "有效投标不足3个")
    finally:
        hooks.LOT_CLOSED.unregister(handler)
    assert lot.status == rules.FAILED and heard == [(lot.pk, "有效投标不足3个")]
    assert "trading.lot.fail" in actions() and actions().count("trading.lot.fail_vote") == 3


# --- Clarifications --------------------------------------------------------------------------------------
def test_a_clarification_is_answered_by_its_bidder_in_time_with_the_statement(town, monkeypatch):
    ev = evaluating_lot(town)
    bid = ev.bids[0]
    clar = act(decisions.do_ask, ev.experts[0], bid.pk, "请说明第3页报价计算")
    assert Lot.objects.get(pk=ev.lot.pk).next_check == clar.due_at
    other = BidFactory(lot=ev.lot).bidder
    with pytest.raises(NotFound):
        act(decisions.do_answer, other, clar.pk, "x", True)
    with pytest.raises(InvalidInput) as err:
        act(decisions.do_answer, bid.bidder, clar.pk, "计算无误", False)
    assert err.value.code == "trading.statement_required"
    answered = act(decisions.do_answer, bid.bidder, clar.pk, "计算无误，系笔误", True)
    assert answered.no_change_statement and Lot.objects.get(pk=ev.lot.pk).next_check is None
    with pytest.raises(Conflict):
        act(decisions.do_answer, bid.bidder, clar.pk, "again", True)
    late = act(decisions.do_ask, ev.experts[0], bid.pk, "再澄清")
    monkeypatch.setattr(clock, "now", lambda: late.due_at + timedelta(seconds=1))
    with pytest.raises(Conflict) as err:
        act(decisions.do_answer, bid.bidder, late.pk, "晚了", True)
    assert err.value.code == "trading.clarification_overdue"


# --- Report ----------------------------------------------------------------------------------------------
def test_the_report_signed_by_all_makes_candidates_and_a_pdf(town):
    ev = evaluating_lot(town)
    score_all(ev)
    assert not evaluation.report_done(ev.lot) and evaluation.report_date(ev.lot) is None
    picks = [{"bid": b.pk, "strengths": "业绩突出", "risks": "报价偏高"} for b in ev.bids[:3]]
    with pytest.raises(InvalidInput) as err:
        act(evaluation_report.do_draft, ev.experts[0], ev.lot.pk, "评审完毕",
            [*picks, {"bid": ev.bids[3].pk, "strengths": "a", "risks": "b"}])
    assert err.value.code == "trading.candidates_too_many"
    report = act(evaluation_report.do_draft, ev.experts[0], ev.lot.pk, "评审完毕", picks)
    assert [c.rank for c in report.candidates.all()] == [None, None, None]  # 评定分离: unranked
    with pytest.raises(Conflict):
        act(evaluation.do_save_scores, ev.experts[0], ev.bids[0].pk, {})
    for i, m in enumerate(ev.members):
        act(evaluation_report.do_sign, m.user, ev.lot.pk, "对第二名风险评价有不同意见" if i == 0 else "")
    with pytest.raises(Conflict):
        act(evaluation_report.do_sign, ev.experts[0], ev.lot.pk)
    report.refresh_from_db()
    assert report.status == "done" and len(report.sha256) == 64 and report.document.sha256 == report.sha256
    assert report.document.kind == "trading.evaluation_report"
    assert Candidate.objects.filter(lot=ev.lot).count() == 3
    assert evaluation.report_done(ev.lot) and evaluation.report_date(ev.lot) == clock.today()
    assert Lot.objects.get(pk=ev.lot.pk).status == rules.EVALUATING  # the award part publishes
    assert report.signatures.exclude(dissent="").count() == 1
    assert "trading.evaluationreport.finish" in actions() and verify().ok


def test_a_ranked_plan_ranks_the_candidates_by_total(town):
    ev = evaluating_lot(town, plan={**PLAN, "ranked": True})
    score_all(ev)
    picks = [{"bid": b.pk, "strengths": "s", "risks": "r"} for b in reversed(ev.bids[:3])]
    report = act(evaluation_report.do_draft, ev.experts[0], ev.lot.pk, "评审完毕", picks)
    ranked = list(report.candidates.order_by("rank"))
    assert [c.rank for c in ranked] == [1, 2, 3] and ranked[0].bid_id == ev.bids[0].pk  # lowest price best here


def test_the_report_waits_for_every_sheet_and_is_drafted_once(town):
    ev = evaluating_lot(town)
    score_all(ev, skip={(ev.members[4].pk, ev.bids[0].pk)})
    picks = [{"bid": ev.bids[0].pk, "strengths": "s", "risks": "r"}]
    with pytest.raises(Conflict) as err:
        act(evaluation_report.do_draft, ev.experts[0], ev.lot.pk, "x", picks)
    assert err.value.code == "trading.scores_pending"
    score_all(ev, skip={(m.pk, b.pk) for m in ev.members[:4] for b in ev.bids} |
              {(ev.members[4].pk, b.pk) for b in ev.bids[1:]})
    act(evaluation_report.do_draft, ev.experts[0], ev.lot.pk, "x", picks)
    with pytest.raises(Conflict) as err:
        act(evaluation_report.do_draft, ev.experts[1], ev.lot.pk, "x", picks)
    assert err.value.code == "trading.report_exists"


def test_a_tenderer_representative_member_scores_too(town):
    ev = evaluating_lot(town)
    rep = ev.members[-1]
    assert rep.role == rules.TENDERER_REP
    sheet = act(evaluation.do_save_scores, rep.user, ev.bids[0].pk, {str(i.pk): "5" for i in items(ev)}, submit=True)
    assert sheet.member == rep


def test_a_price_only_method_needs_no_sheets(town):
    plan = {"method": "reasonable_low", "price_weight": "100", "items": []}
    ev = evaluating_lot(town, plan=plan)
    with pytest.raises(Conflict) as err:
        act(evaluation.do_save_scores, ev.experts[0], ev.bids[0].pk, {})
    assert err.value.code == "trading.method_not_scored"
    totals = evaluation.aggregate(ev.lot)
    assert totals[0].bid.pk == ev.bids[0].pk and totals[0].credit == D("0.00")
    assert act(evaluation_report.do_draft, ev.experts[0], ev.lot.pk, "合理低价法评审",
               [{"bid": ev.bids[0].pk, "strengths": "s", "risks": "r"}]).pk


def test_member_helper_makes_unconfirmed_members(town):
    ev = opening_lot(town)
    extra = member(ev.lot, confirmed=False)
    assert extra.confirmed_at is None


def test_two_editors_of_one_plan_the_stale_one_is_refused(town):
    ev = opening_lot(town, plan=None)
    Lot.objects.filter(pk=ev.lot.pk).update(status=rules.ANNOUNCED)
    plan = act(evaluation_plans.do_set_plan, town.tenderer, ev.lot.pk, PLAN)
    act(evaluation_plans.do_set_plan, town.tenderer, ev.lot.pk, {**PLAN, "ranked": True}, plan.row_version)
    with pytest.raises(Conflict) as err:
        act(evaluation_plans.do_set_plan, town.tenderer, ev.lot.pk, PLAN, plan.row_version)
    assert err.value.code == "trading.conflict"

"""On PostgreSQL, members acting at once: the last two votes on a disqualification, the last two signatures
of the report, two proposals against one bid — each decided once, the audit chain intact."""

import pytest
from django.db import transaction

from tests.helpers import race
from tests.trading.factories_evaluation import evaluating_lot, score_all
from yingshang.kernel.models import AuditEntry, IssuedDocument
from yingshang.kernel.services.audit import verify
from yingshang.trading import rules
from yingshang.trading.models import Bid, Candidate, Disqualification, EvaluationReport
from yingshang.trading.services import evaluation_decisions as decisions
from yingshang.trading.services import evaluation_report

pytestmark = pytest.mark.django_db(transaction=True)


def act(call, *args):
    with transaction.atomic():
        return call(*args)


def test_two_deciding_votes_at_once_reject_the_bid_once(on_postgres, town):
    ev = evaluating_lot(town)
    d = act(decisions.do_propose_disqualification, ev.experts[0], ev.bids[3].pk, "above_ceiling", "超过最高投标限价")
    act(decisions.do_vote, ev.experts[1], d.pk, True)
    results = race([lambda: decisions.do_vote(ev.experts[2], d.pk, True),
                    lambda: decisions.do_vote(ev.experts[3], d.pk, True)])
    d.refresh_from_db()
    # the first of the two makes the majority; the second finds it decided
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and errors[0].code == "trading.disqualification_decided", results
    assert d.status == Disqualification.UPHELD and Bid.objects.get(pk=ev.bids[3].pk).status == rules.BID_REJECTED
    assert AuditEntry.objects.filter(action="trading.bid.reject").count() == 1 and verify().ok


def test_the_last_two_signatures_at_once_finish_the_report_once(on_postgres, town):
    ev = evaluating_lot(town)
    score_all(ev)
    act(evaluation_report.do_draft, ev.experts[0], ev.lot.pk, "评审完毕",
        [{"bid": b.pk, "strengths": "s", "risks": "r"} for b in ev.bids[:3]])
    for user in ev.experts[:3]:
        act(evaluation_report.do_sign, user, ev.lot.pk)
    results = race([lambda: evaluation_report.do_sign(ev.experts[3], ev.lot.pk),
                    lambda: evaluation_report.do_sign(ev.experts[4], ev.lot.pk)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert EvaluationReport.objects.get(lot=ev.lot).status == EvaluationReport.DONE
    assert Candidate.objects.filter(lot=ev.lot).count() == 3
    assert IssuedDocument.objects.filter(kind="trading.evaluation_report").count() == 1 and verify().ok


def test_two_proposals_against_one_bid_leave_one_open(on_postgres, town):
    ev = evaluating_lot(town)
    results = race([lambda: decisions.do_propose_disqualification(ev.experts[0], ev.bids[0].pk, "below_cost", "a"),
                    lambda: decisions.do_propose_disqualification(ev.experts[1], ev.bids[0].pk, "not_signed", "b")])
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and errors[0].code == "trading.disqualification_open", results
    assert Disqualification.objects.filter(bid=ev.bids[0]).count() == 1


def test_two_deciding_failure_votes_at_once_fail_the_tender_once(on_postgres, town):
    from yingshang.trading import hooks
    from yingshang.trading.models import Lot

    ev = evaluating_lot(town)
    Bid.objects.filter(pk__in=[b.pk for b in ev.bids[:2]]).update(status=rules.BID_REJECTED)
    for user in ev.experts[:2]:
        act(decisions.do_declare_failed, user, ev.lot.pk, None, "有效投标不足3个")
    heard = []
    handler = hooks.LOT_CLOSED.register(lambda lot, reason: heard.append(lot.pk))
    try:
        results = race([lambda: decisions.do_declare_failed(ev.experts[2], ev.lot.pk, None, "缺乏竞争"),
                        lambda: decisions.do_declare_failed(ev.experts[3], ev.lot.pk, None, "缺乏竞争")])
    finally:
        hooks.LOT_CLOSED.unregister(handler)
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and errors[0].code == "trading.not_evaluating", results
    assert Lot.objects.get(pk=ev.lot.pk).status == rules.FAILED and heard == [ev.lot.pk]
    assert AuditEntry.objects.filter(action="trading.lot.fail").count() == 1 and verify().ok

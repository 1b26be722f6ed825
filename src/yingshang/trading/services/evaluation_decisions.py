"""The committee's decisions during evaluation: disqualification (否决投标, REG Art. 51) proposed by a member
with its ground and decided by a majority of all members; declaring the tender failed when fewer than 3
valid bids remain (TBL Art. 42); clarification requests to bidders (REG Art. 52)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Min

from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict, InvalidInput, NotFound
from yingshang.kernel.services import workflow
from yingshang.kernel.services.audit import record
from yingshang.trading import hooks, rules
from yingshang.trading import rules_evaluation as er
from yingshang.trading.models import Bid, BidClarification, Disqualification, DisqualificationVote, FailureVote, Lot
from yingshang.trading.services import common, evaluation, lots

fields = common.fields


# --- Disqualification ------------------------------------------------------------------------------------
def do_propose_disqualification(user, bid_id, ground: str, note: str) -> Disqualification:
    bid, member, _plan = evaluation._bid_for_member(user, bid_id)
    if evaluation.report_exists(bid.lot):
        raise Conflict("trading.report_drafted", "评标报告已起草，不能再提议否决")
    ground = fields.choice(ground, "ground", "否决理由", er.GROUNDS)
    note = fields.text(note, "note", "否决说明", max_len=500)
    Bid.objects.select_for_update().filter(pk=bid.pk).first()  # one open proposal per bid, even when two propose
    if Disqualification.objects.filter(bid=bid, status=Disqualification.PROPOSED).exists():
        raise Conflict("trading.disqualification_open", "该投标已有待表决的否决提议，请先表决")
    disq = Disqualification.objects.create(bid=bid, ground=ground, note=note, proposed_by=member,
                                           proposed_at=clock.now())
    record("trading.disqualification.propose", disq, after={"bid": bid.pk, "ground": ground, "note": note,
                                                            "source": er.DISQUALIFY_SOURCE})
    return _vote(disq, member, True)


def do_vote(user, disqualification_id, agree: bool) -> Disqualification:
    disq = (Disqualification.objects.select_for_update(of=("self",)).select_related("bid__lot")
            .filter(pk=disqualification_id).first() if type(disqualification_id) is int else None)
    if disq is None:
        raise NotFound("trading.not_found", "否决提议不存在")
    member = evaluation.member_of(user, disq.bid.lot)
    evaluation.evaluating_lot(disq.bid.lot_id)
    if disq.status != Disqualification.PROPOSED:
        raise Conflict("trading.disqualification_decided", f"该否决提议已{disq.status_label}")
    if DisqualificationVote.objects.filter(disqualification=disq, member=member).exists():
        raise Conflict("trading.already_voted", "您已表决")
    return _vote(disq, member, bool(agree))


def _vote(disq: Disqualification, member, agree: bool) -> Disqualification:
    DisqualificationVote.objects.create(disqualification=disq, member=member, agree=agree, voted_at=clock.now())
    record("trading.disqualification.vote", disq, after={"member": member.pk, "agree": agree})
    members = disq.bid.lot.committee.count()
    votes = list(disq.votes.values_list("agree", flat=True))
    if er.is_majority(sum(votes), members):
        _reject(disq)
    elif er.cannot_reach_majority(len(votes) - sum(votes), members):
        disq.status, disq.decided_at = Disqualification.DISMISSED, clock.now()
        disq.save(update_fields=["status", "decided_at"])
        record("trading.disqualification.dismiss", disq, after={"votes": votes})
    return disq


def _reject(disq: Disqualification) -> None:
    disq.status, disq.decided_at = Disqualification.UPHELD, clock.now()
    disq.save(update_fields=["status", "decided_at"])
    bid = Bid.objects.select_for_update().get(pk=disq.bid_id)
    before = {"status": bid.status}
    bid.status = rules.BID_REJECTED
    bid.row_version += 1
    bid.save(update_fields=["status", "row_version"])
    record("trading.bid.reject", bid, before=before, after={"status": bid.status, "ground": disq.ground,
                                                            "source": er.DISQUALIFY_SOURCE})
    evaluation.recompute_prices(bid.lot, evaluation.plan_of(bid.lot))


def do_declare_failed(user, lot_id, row_version: int | None, reason: str) -> Lot:
    """With fewer than 3 valid bids left the committee may reject all: each member's vote is recorded, and
    when more than half of all members agree the tender fails (rules.FAIL); the other parts hear of it through
    `hooks.LOT_CLOSED` (bond refunds). The lot row is locked, so the deciding vote counts once."""
    lot = lots._lock(lot_id, row_version)
    member = evaluation.member_of(user, lot)
    if lot.status != rules.EVALUATING:
        raise Conflict("trading.not_evaluating", "该标段不在评标阶段")
    after = rules.LOT_FLOW.require(lot, rules.FAIL)
    if breach := er.may_declare_failed(evaluation.valid_bids(lot).count()):
        raise Conflict(breach.code, breach.message, details={"source": breach.source})
    reason = fields.text(reason, "reason", "否决全部投标的理由", max_len=500)
    if FailureVote.objects.filter(lot=lot, member=member).exists():
        raise Conflict("trading.already_voted", "您已表决")
    FailureVote.objects.create(lot=lot, member=member, reason=reason, voted_at=clock.now())
    record("trading.lot.fail_vote", lot, after={"member": member.pk, "reason": reason})
    votes = FailureVote.objects.filter(lot=lot).count()
    if not er.is_majority(votes, lot.committee.count()):
        return lot
    before = lots.snapshot(lot)
    lot.status, lot.next_check, lot.decision_note = after, None, reason
    workflow.finish(lot, rules.FAIL, before, snapshot=lots.snapshot, fields=["status", "next_check", "decision_note"],
                    note=reason, extra={"votes": votes, "source": f"{rules.TBL}第四十二条"})
    hooks.LOT_CLOSED.run(lot=lot, reason=reason)  # in this transaction: handlers' records commit with it
    return lot


# --- Clarifications --------------------------------------------------------------------------------------
def _next_check(lot: Lot) -> None:
    due = BidClarification.objects.filter(bid__lot=lot, answered_at__isnull=True, due_at__gt=clock.now()).aggregate(
        Min("due_at"))["due_at__min"]
    Lot.objects.filter(pk=lot.pk).update(next_check=due)


def do_ask(user, bid_id, question: str) -> BidClarification:
    """The committee asks a bidder in writing to clarify unclear content or obvious errors (REG Art. 52)."""
    bid, member, plan = evaluation._bid_for_member(user, bid_id)
    if evaluation.report_exists(bid.lot):
        raise Conflict("trading.report_drafted", "评标报告已起草，不能再发出澄清")
    question = fields.text(question, "question", "澄清事项", max_len=2000)
    now = clock.now()
    clar = BidClarification.objects.create(bid=bid, question=question, asked_by=member, asked_at=now,
                                        due_at=now + timedelta(hours=plan.clarification_hours))
    record("trading.clarification.ask", clar, after={"bid": bid.pk, "question": question,
                                                     "due_at": clar.due_at.isoformat()})
    _next_check(bid.lot)
    return clar


def clarifications_for_bidder(user):
    """The clarification requests on the user's own bids (by account or organisation), newest first."""
    common.check_perm(user, common.ANSWER_CLARIFICATION)
    from django.db.models import Q

    mine = Q(bid__bidder=user) | (Q(bid__bidder_uscc=user.uscc) if user.uscc else Q(pk__in=[]))
    return BidClarification.objects.filter(mine).select_related("bid__lot__project").order_by("-asked_at", "-pk")


def do_answer(user, clarification_id, answer: str, no_change_statement: bool) -> BidClarification:
    """The bidder answers in writing, within the time limit, stating that the answer does not change the
    price or the bid's substance (REG Art. 52)."""
    clar = (clarifications_for_bidder(user).select_for_update(of=("self",)).filter(pk=clarification_id).first()
            if type(clarification_id) is int else None)
    if clar is None:
        raise NotFound("trading.not_found", "澄清通知不存在")
    if clar.answered_at:
        raise Conflict("trading.clarification_answered", "该澄清已答复")
    if clock.now() > clar.due_at:
        raise Conflict("trading.clarification_overdue", "已超过澄清答复时限")
    if no_change_statement is not True:
        raise InvalidInput("trading.statement_required", "请确认：本澄清不超出投标文件范围，不改变投标报价和实质性内容",
                           details={"field": "no_change_statement", "source": er.CLARIFICATION_SOURCE})
    clar.answer = fields.text(answer, "answer", "澄清答复", max_len=4000)
    clar.no_change_statement, clar.answered_at, clar.answered_by = True, clock.now(), user
    clar.save(update_fields=["answer", "no_change_statement", "answered_at", "answered_by"])
    record("trading.clarification.answer", clar, after={"answer": clar.answer, "no_change_statement": True})
    _next_check(clar.bid.lot)
    return clar

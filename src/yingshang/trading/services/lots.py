"""The lot's entry registration (进场登记): submitted by the tenderer or its agency, accepted or
returned (with reasons) by the trading centre. Each action: lock → require → change → finish."""

from __future__ import annotations

from yingshang.kernel import clock
from yingshang.kernel.errors import Forbidden
from yingshang.kernel.services import workflow
from yingshang.trading import rules
from yingshang.trading.models import Lot
from yingshang.trading.services import common, credit_gate

MAX_NOTE = 500


def snapshot(lot: Lot) -> dict:
    return {"status": lot.status, "row_version": lot.row_version, "decision_note": lot.decision_note,
            "next_check": lot.next_check.isoformat() if lot.next_check else None}


def compute_next_check(lot: Lot):
    from yingshang.trading.services.sweep import next_check

    return next_check(lot, clock.now())


def _lock(lot_id, row_version) -> Lot:
    return workflow.lock(Lot.objects.select_related("project", "procedure"), lot_id, row_version, rules.LOT_FLOW)


def check_own(user, lot: Lot) -> None:
    uscc = user.uscc or ""
    if not uscc or uscc not in (lot.project.tenderer_uscc, lot.project.agency_uscc):
        raise Forbidden("trading.not_your_project", "只有该项目的招标人或其代理机构可以办理")


def _finish(lot: Lot, action: str, before: dict) -> Lot:
    lot.next_check = compute_next_check(lot)
    workflow.finish(lot, action, before, snapshot=snapshot, fields=[
        "status", "next_check", "submitted_at", "decided_at", "decision_note"])
    return lot


def do_submit(user, lot_id, row_version: int | None) -> Lot:
    """Submit (or resubmit after a return) the lot's entry registration."""
    common.check_perm(user, common.REGISTER)
    lot = _lock(lot_id, row_version)
    check_own(user, lot)
    after = rules.LOT_FLOW.require(lot, rules.SUBMIT)
    if lot.project.agency_uscc:  # an agency barred from agency work may not bring a project in (§10)
        credit_gate.check(lot.project.agency_uscc, stage="registration", reference=f"lot:{lot.pk}/registration",
                          department=lot.project.regulator, subject_label="招标代理机构")
    before = snapshot(lot)
    lot.status, lot.submitted_at = after, clock.now()
    return _finish(lot, rules.SUBMIT, before)


def do_withdraw(user, lot_id, row_version: int | None) -> Lot:
    common.check_perm(user, common.REGISTER)
    lot = _lock(lot_id, row_version)
    check_own(user, lot)
    after = rules.LOT_FLOW.require(lot, rules.WITHDRAW)
    before = snapshot(lot)
    lot.status = after
    return _finish(lot, rules.WITHDRAW, before)


def do_accept(user, lot_id, row_version: int | None, note: str = "") -> Lot:
    common.check_perm(user, common.REVIEW)
    lot = _lock(lot_id, row_version)
    after = rules.LOT_FLOW.require(lot, rules.ACCEPT)
    note = common.fields.text(note, "note", "审核意见", required=False, max_len=MAX_NOTE)
    before = snapshot(lot)
    lot.status, lot.decided_at, lot.decision_note = after, clock.now(), note
    return _finish(lot, rules.ACCEPT, before)


def do_return(user, lot_id, row_version: int | None, reason: str = "") -> Lot:
    common.check_perm(user, common.REVIEW)
    lot = _lock(lot_id, row_version)
    after = rules.LOT_FLOW.require(lot, rules.RETURN)
    reason = common.fields.text(reason, "reason", "退回理由", max_len=MAX_NOTE)
    before = snapshot(lot)
    lot.status, lot.decided_at, lot.decision_note = after, clock.now(), reason
    return _finish(lot, rules.RETURN, before)


ACTIONS = {rules.SUBMIT: do_submit, rules.WITHDRAW: do_withdraw}

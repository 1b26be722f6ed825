"""Bond refunds (保证金退还): scheduled within 5 days of the bidder's withdrawal (REG Art. 35), the contract
(Art. 57) or the lot's failure or termination; sent to the paying account through the bank adapter with
bank interest by day count; confirmed by the bank; the sweep marks overdue refunds and warns."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from yingshang.kernel import access, clock
from yingshang.kernel.models import User
from yingshang.kernel.rules.workflow import Workflow
from yingshang.kernel.services import workflow
from yingshang.kernel.services.audit import record
from yingshang.kernel.services.notifications import do_notify
from yingshang.trading import bank as banking
from yingshang.trading import hooks, rules, rules_bonds
from yingshang.trading.models import Bond, Lot, Refund
from yingshang.trading.models.bonds import REFUND_DUE, REFUND_ORDERED, REFUND_PAID, REFUND_STATES
from yingshang.trading.services import bond_rules, common

SEND, CONFIRM = "send", "confirm"
REFUND_FLOW = Workflow(prefix="trading", noun="保证金退付", states=REFUND_STATES,
                       actions={SEND: "发送退付指令", CONFIRM: "确认退付到账"},
                       transitions={(REFUND_DUE, SEND): REFUND_ORDERED, (REFUND_ORDERED, CONFIRM): REFUND_PAID},
                       not_found="trading.refund_not_found")
CLOSE_REASONS = {rules.FAILED: rules_bonds.LOT_FAILED, rules.TERMINATED: rules_bonds.LOT_TERMINATED,
                 "failed": rules_bonds.LOT_FAILED, "terminated": rules_bonds.LOT_TERMINATED}


def snapshot(refund: Refund) -> dict:
    return {"bond": refund.bond_id, "reason": refund.reason, "due_on": refund.due_on.isoformat(),
            "principal": str(refund.principal), "interest": str(refund.interest) if refund.interest is not None else None,
            "status": refund.status, "overdue": refund.overdue, "order_no": refund.order_no,
            "to_account": rules_bonds.mask_account(refund.to_account), "row_version": refund.row_version}


def do_schedule_refund(lot: Lot, uscc: str, reason: str, *, event_on=None) -> Refund | None:
    """Schedule the refund of the bidder's cash on the lot (the bid part calls it for a withdrawal before
    the deadline). Nothing to refund (no cash, a guarantee only): None. Scheduling twice: the first refund."""
    if reason not in rules_bonds.REFUND_REASONS:
        raise ValueError(reason)
    bond = Bond.objects.select_for_update(of=("self",)).filter(lot=lot, bidder_uscc=uscc).first()
    if bond is None:
        return None
    existing = Refund.objects.filter(bond=bond).first()
    if existing is not None:
        return existing
    payments = list(bond.payments.order_by("received_at", "pk"))
    if not payments:
        return None
    event_on = event_on or clock.today()
    refund = Refund.objects.create(
        bond=bond, reason=reason, event_on=event_on, due_on=rules_bonds.refund_due(event_on),
        principal=sum(p.amount for p in payments), to_account=payments[0].payer_account,  # back where it came from
        to_name=payments[0].payer_name, created_at=clock.now())
    record("trading.refund.create", refund, after=snapshot(refund),
                    note=rules_bonds.REFUND_SOURCES[reason])
    return refund


def _schedule_all(lot: Lot, reason: str, event_on) -> list[Refund]:
    usccs = Bond.objects.filter(lot=lot, payments__isnull=False).values_list("bidder_uscc", flat=True).distinct()
    made = [do_schedule_refund(lot, uscc, reason, event_on=event_on) for uscc in sorted(set(usccs))]
    return [r for r in made if r is not None]


def on_contract_signed(lot, signed_on=None, **kwargs) -> list[Refund]:
    """hooks.CONTRACT_SIGNED: every bidder's cash, the winner's too, within 5 days of signing (REG Art. 57)."""
    return _schedule_all(lot, rules_bonds.CONTRACT_SIGNED, signed_on or clock.today())


def on_lot_closed(lot, reason="", **kwargs) -> list[Refund]:
    """hooks.LOT_CLOSED: a failed or terminated lot refunds every bond within 5 days."""
    kind = CLOSE_REASONS.get(reason) or CLOSE_REASONS.get(lot.status, rules_bonds.LOT_TERMINATED)
    return _schedule_all(lot, kind, clock.today())


def on_bid_withdrawn(lot, uscc, **_ignored) -> list:
    """A bid withdrawn before the deadline: its cash is refunded within 5 days (实施条例第三十五条)."""
    refund = do_schedule_refund(lot, uscc, "withdrawal")
    return [refund] if refund else []


def on_bid_not_decrypted(bid, fault, **_ignored) -> list:
    """A bid not decrypted at the opening (电子招标投标办法 Art. 31): through no fault of the bidder it counts as
    withdrawn and the cash is refunded within 5 days; through the bidder's fault it counts as revoked after the
    deadline, and the bond may be kept as the documents say (实施条例第三十五条) — it stays with the centre."""
    from yingshang.trading import rules_opening

    if fault != rules_opening.OTHER_FAULT:
        return []
    refund = do_schedule_refund(bid.lot, bid.bidder_uscc, "withdrawal")
    return [refund] if refund else []


def register_hooks() -> None:
    hooks.CONTRACT_SIGNED.register(on_contract_signed)
    hooks.LOT_CLOSED.register(on_lot_closed)
    hooks.BID_WITHDRAWN.register(on_bid_withdrawn)
    hooks.BID_NOT_DECRYPTED.register(on_bid_not_decrypted)


def _local_day(moment):
    return timezone.localtime(moment).date()


def do_send(user, refund_id, row_version: int | None) -> Refund:
    """Send the refund order with the interest up to today (the refund day); `user` None is the system."""
    if user is not None:
        common.check_perm(user, common.BOND_MANAGE)
    refund = workflow.lock(Refund.objects.select_related("bond"), refund_id, row_version, REFUND_FLOW)
    after = REFUND_FLOW.require(refund, SEND)
    before = snapshot(refund)
    today = clock.today()
    payments = [(p.amount, _local_day(p.received_at)) for p in refund.bond.payments.all()]
    refund.interest = rules_bonds.interest(payments, today, bond_rules.rates())
    refund.interest_days = max([(today - day).days for _a, day in payments if day < today], default=0)
    receipt = banking.get_bank().refund_order(sub_account=refund.bond.sub_account_no, to_account=refund.to_account,
                                              to_name=refund.to_name, amount=refund.principal + refund.interest,
                                              reference=f"refund-{refund.pk}")
    refund.status, refund.order_no, refund.ordered_at = after, receipt.order_no, clock.now()
    workflow.finish(refund, SEND, before, snapshot=snapshot)
    if receipt.paid_at is not None:  # a bank that pays at once confirms in the same answer
        _confirm(refund, receipt.paid_at)
    return refund


def _confirm(refund: Refund, paid_at) -> Refund:
    after = REFUND_FLOW.require(refund, CONFIRM)
    before = snapshot(refund)
    refund.status, refund.paid_at = after, paid_at
    workflow.finish(refund, CONFIRM, before, snapshot=snapshot)
    return refund


def do_confirm(order_no: str, paid_at) -> Refund:
    """The bank's refund notification: the order was paid out."""
    found = Refund.objects.filter(order_no=order_no).values_list("pk", flat=True).first() if order_no else None
    refund = workflow.lock(Refund.objects.select_related("bond"), found or 0, None, REFUND_FLOW)
    if refund.status == REFUND_PAID:
        return refund  # the bank repeats itself
    return _confirm(refund, paid_at or clock.now())


def sweep(today=None) -> dict:
    """Refunds not paid by their due day become overdue; the centre and the bidder are warned once."""
    today = today or clock.today()
    ids = list(Refund.objects.filter(~Q(status=REFUND_PAID), overdue=False, due_on__lt=today).values_list("pk", flat=True))
    staff = list(User.objects.filter(is_active=True, roles__code=access.TRADING_STAFF).distinct())
    marked = 0
    for pk in ids:
        refund = workflow.lock(Refund.objects.select_related("bond", "bond__bidder", "bond__lot"), pk, None,
                               REFUND_FLOW)
        if refund.status == REFUND_PAID or refund.overdue:
            continue  # settled meanwhile
        before = snapshot(refund)
        refund.overdue, refund.warned_at = True, clock.now()
        workflow.finish(refund, "overdue", before, snapshot=snapshot, fields=["overdue", "warned_at"])
        bond = refund.bond
        text = (f"标段“{bond.lot.name}”{bond.bidder_name}的投标保证金 {refund.principal} 元应于 {refund.due_on:%Y-%m-%d} "
                f"前退还（{rules_bonds.REFUND_SOURCES[refund.reason]}），现已逾期，请尽快退付本金及利息。")
        do_notify(staff + ([bond.bidder] if bond.bidder else []), "投标保证金退付逾期", text,
                  channels=("site",), obj=refund)
        marked += 1
    open_count = Refund.objects.filter(~Q(status=REFUND_PAID)).count()
    return {"overdue": marked, "open": open_count, "date": today.isoformat()}


REFUND_VIEWS = {"due": "待退付", "overdue": "已逾期", "paid": "已退付"}


def refunds_for(user, view: str = "due"):
    """The centre's refunds: due (not paid, not overdue), overdue (not paid), paid."""
    common.check_perm(user, common.BOND_MANAGE)
    queryset = Refund.objects.select_related("bond", "bond__lot", "bond__lot__project")
    if view == "overdue":
        queryset = queryset.filter(~Q(status=REFUND_PAID), overdue=True)
    elif view == "paid":
        queryset = queryset.filter(status=REFUND_PAID)
    else:
        queryset = queryset.filter(~Q(status=REFUND_PAID), overdue=False)
    return queryset.order_by("due_on", "pk")

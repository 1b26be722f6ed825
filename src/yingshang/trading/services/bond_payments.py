"""The bank's payment notifications on the bonds' sub-accounts (到账通知): recorded once per notification id,
with the payer's account and name; money after the bid deadline is kept but does not count."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from yingshang.kernel import clock
from yingshang.kernel.errors import InvalidInput, NotFound
from yingshang.kernel.services.audit import record
from yingshang.trading import bank as banking
from yingshang.trading import rules_bonds
from yingshang.trading.models import Bond, BondPayment
from yingshang.trading.services import bonds


def do_record_payment(note: banking.Notification, bank_code: str) -> tuple[BondPayment, bool]:
    """Record a payment notification on a sub-account (idempotent by the bank's notification id); money
    after the bid deadline is recorded but does not count. Returns (payment, created)."""
    bond = (Bond.objects.select_related("lot").select_for_update(of=("self",))
            .filter(sub_account_no=note.sub_account, bank_code=bank_code).first() if note.sub_account else None)
    if bond is None:
        raise NotFound("trading.sub_account_unknown", "子账户不存在")
    existing = BondPayment.objects.filter(bank_code=bank_code, notification_id=note.id).first()
    if existing is not None:
        return existing, False
    if note.amount <= 0 or note.amount.as_tuple().exponent < -2 or note.at is None or not note.payer_account:
        raise InvalidInput("trading.bank_notification_invalid", "银行通知缺少金额、到账时间或付款账号")
    payment = BondPayment.objects.create(
        bond=bond, bank_code=bank_code, notification_id=note.id, amount=note.amount, payer_account=note.payer_account,
        payer_name=note.payer_name, payer_bank=note.payer_bank, received_at=note.at,
        counts=rules_bonds.counts(note.at, bond.lot.bid_deadline), recorded_at=clock.now())
    record("trading.bondpayment.create", payment, after={
        "bond": bond.pk, "amount": str(payment.amount), "payer_account": rules_bonds.mask_account(payment.payer_account),
        "received_at": payment.received_at.isoformat(), "counts": payment.counts})
    req = bonds.requirement(bond.lot)
    received = bond.payments.filter(counts=True).aggregate(s=Sum("amount"))["s"] or Decimal("0")
    if payment.counts and req and received >= rules_bonds.required_amount(req.amount, bond.percent):
        bonds.mark_secured(bond, "cash")
    return payment, True

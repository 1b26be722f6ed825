"""Refunds: scheduled by the contract and close hooks and the bid part's withdrawal, sent with interest
through the bank, confirmed, the sweep (command and task) marking overdue refunds and warning."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from tests.trading.factories_bonds import ISSUER, BondRequirementFactory, bidder, issued, payment
from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict, Forbidden
from yingshang.kernel.models import AuditEntry, Message
from yingshang.trading import bank as banking
from yingshang.trading import hooks
from yingshang.trading.models import Refund
from yingshang.trading.services import bond_payments, bond_refunds, bonds

pytestmark = pytest.mark.django_db


def paid_bidders(req, n=2, amount="50000"):
    users = [bidder(i) for i in range(1, n + 1)]
    for i, user in enumerate(users):
        bond = bonds.do_open_sub_account(user, req.lot_id)
        body, sig = payment(bond.sub_account_no, amount, id=f"N{i}", payer_account=f"622202020011223{i:04d}",
                            payer_name=user.organization_name)
        bond_payments.do_record_payment(banking.get_bank().parse(body, sig), banking.SimulatedBank.code)
    return users


def on_day(monkeypatch, day):
    monkeypatch.setattr(clock, "today", lambda: day)


def test_contract_signing_schedules_every_cash_refund_within_five_days(town):
    req = BondRequirementFactory()
    users = paid_bidders(req)
    guarantor = bidder(9)
    issued(req.lot, guarantor)
    bonds.do_submit_guarantee(guarantor, req.lot_id, kind="bank", issuer_code=ISSUER, guarantee_no="BH2026001")
    made = hooks.CONTRACT_SIGNED.run(lot=req.lot, signed_on=date(2026, 6, 10))
    assert len(made) == 2 and Refund.objects.count() == 2  # the guarantee has no cash to refund
    refund = Refund.objects.get(bond__bidder_uscc=users[0].uscc)
    assert refund.due_on == date(2026, 6, 15) and refund.reason == "contract_signed"
    assert refund.principal == Decimal("50000.00") and refund.to_account == "6222020200112230000"
    assert AuditEntry.objects.filter(action="trading.refund.create").count() == 2
    assert len(hooks.CONTRACT_SIGNED.run(lot=req.lot, signed_on=date(2026, 6, 12))) == 2  # the same refunds
    assert Refund.objects.count() == 2 and Refund.objects.first().due_on == date(2026, 6, 15)


def test_a_failed_lot_and_a_withdrawal_refund_within_five_days(town, monkeypatch):
    req = BondRequirementFactory()
    users = paid_bidders(req)
    refund = bonds_refund = bond_refunds.do_schedule_refund(req.lot, users[0].uscc, "withdrawal")
    assert refund.reason == "withdrawal" and refund.due_on == date(2026, 4, 25)
    assert bond_refunds.do_schedule_refund(req.lot, users[0].uscc, "withdrawal").pk == bonds_refund.pk
    assert bond_refunds.do_schedule_refund(req.lot, "91610800MA6YS9999X", "withdrawal") is None
    on_day(monkeypatch, date(2026, 5, 26))
    made = hooks.LOT_CLOSED.run(lot=req.lot, reason="failed")
    assert {r.reason for r in made} == {"withdrawal", "failed"}
    assert Refund.objects.get(bond__bidder_uscc=users[1].uscc).due_on == date(2026, 5, 31)


def test_sending_computes_interest_to_the_refund_day_and_the_simulated_bank_pays(town, monkeypatch):
    req = BondRequirementFactory()
    paid_bidders(req, n=1)
    (refund,) = hooks.CONTRACT_SIGNED.run(lot=req.lot, signed_on=date(2026, 6, 16))
    on_day(monkeypatch, date(2026, 6, 19))  # received 05-20: 30 days × 50 000 × 0.05 % / 360 = 2.08
    sent = bond_refunds.do_send(town.staff, refund.pk, refund.row_version)
    assert sent.status == "paid" and sent.interest == Decimal("2.08") and sent.interest_days == 30
    assert sent.order_no.startswith("R") and sent.paid_at is not None
    actions = set(AuditEntry.objects.filter(object_id=str(refund.pk)).values_list("action", flat=True))
    assert {"trading.refund.send", "trading.refund.confirm"} <= actions
    with pytest.raises(Conflict) as exc:
        bond_refunds.do_send(town.staff, refund.pk, None)
    assert exc.value.code == "trading.transition_not_allowed"


def test_a_bank_that_confirms_later_sends_a_refund_notification(town, monkeypatch):
    req = BondRequirementFactory()
    paid_bidders(req, n=1)
    (refund,) = hooks.CONTRACT_SIGNED.run(lot=req.lot, signed_on=date(2026, 6, 16))
    monkeypatch.setattr(banking.SimulatedBank, "refund_order",
                        lambda self, **kw: banking.RefundReceipt("ORD-1", None))
    assert bond_refunds.do_send(None, refund.pk, None).status == "ordered"
    assert bond_refunds.do_confirm("ORD-1", clock.now()).status == "paid"
    assert bond_refunds.do_confirm("ORD-1", clock.now()).status == "paid"  # repeated by the bank


def test_only_the_centre_sends_and_a_stale_version_conflicts(town):
    req = BondRequirementFactory()
    paid_bidders(req, n=1)
    (refund,) = hooks.CONTRACT_SIGNED.run(lot=req.lot, signed_on=date(2026, 6, 16))
    for outsider in (town.tenderer, bidder(1)):
        with pytest.raises(Forbidden):
            bond_refunds.do_send(outsider, refund.pk, None)
    with pytest.raises(Conflict) as exc:
        bond_refunds.do_send(town.staff, refund.pk, refund.row_version + 1)
    assert exc.value.code == "trading.conflict"


def test_the_sweep_marks_overdue_refunds_once_and_warns_the_centre_and_the_bidder(town, monkeypatch):
    req = BondRequirementFactory()
    users = paid_bidders(req)
    hooks.CONTRACT_SIGNED.run(lot=req.lot, signed_on=date(2026, 6, 10))
    paid = Refund.objects.get(bond__bidder_uscc=users[1].uscc)
    bond_refunds.do_send(town.staff, paid.pk, None)
    assert bond_refunds.sweep(date(2026, 6, 15))["overdue"] == 0  # the due day itself is in time
    report = bond_refunds.sweep(date(2026, 6, 16))
    assert report == {"overdue": 1, "open": 1, "date": "2026-06-16"}
    late = Refund.objects.get(bond__bidder_uscc=users[0].uscc)
    assert late.overdue and late.warned_at is not None
    told = set(Message.objects.filter(subject="投标保证金退付逾期").values_list("recipient__username", flat=True))
    assert told == {"trading", users[0].username}
    assert bond_refunds.sweep(date(2026, 6, 17))["overdue"] == 0
    assert [r.pk for r in bond_refunds.refunds_for(town.staff, "overdue")] == [late.pk]
    assert [r.pk for r in bond_refunds.refunds_for(town.staff, "paid")] == [paid.pk]
    assert list(bond_refunds.refunds_for(town.staff, "due")) == []
    with pytest.raises(Forbidden):
        bond_refunds.refunds_for(town.tenderer)


def test_the_sweep_command_and_the_task(town, capsys):
    req = BondRequirementFactory()
    paid_bidders(req, n=1)
    hooks.CONTRACT_SIGNED.run(lot=req.lot, signed_on=date(2026, 4, 1))
    call_command("trading", "bonds", "sweep", "--json")
    assert '"overdue": 1' in capsys.readouterr().out
    call_command("trading", "bonds", "sweep", "--date", "2026-04-21")
    assert "新标记逾期 0 笔，未退付 1 笔" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        call_command("trading", "bonds", "sweep", "--date", "x")
    assert exc.value.code == 2
    from yingshang.trading.tasks import sweep_bond_refunds

    assert sweep_bond_refunds.call_local()["open"] == 1


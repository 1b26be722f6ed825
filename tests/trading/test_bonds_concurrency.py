"""On PostgreSQL, where two actors collide: the bank repeating a notification at once, a bidder asking
twice for its sub-account, two staff sending one refund, two tenderer edits from one version."""

from datetime import date

import pytest
from django.db import transaction

from tests.factories import LotFactory, TenderProjectFactory
from tests.helpers import race
from tests.trading.factories_bonds import BondRequirementFactory, bidder, payment
from yingshang.kernel.services.audit import verify
from yingshang.trading import bank as banking
from yingshang.trading import hooks
from yingshang.trading.models import Bond, BondPayment, Refund
from yingshang.trading.services import bond_payments, bond_refunds, bonds

pytestmark = pytest.mark.django_db(transaction=True)


def setup(call):
    with transaction.atomic():
        return call()


def _record(body, sig):
    bank = banking.get_bank()
    return bond_payments.do_record_payment(bank.parse(body, sig), bank.code)


def test_one_notification_posted_twice_at_once_is_recorded_once(on_postgres, town):
    req = BondRequirementFactory()
    bond = setup(lambda: bonds.do_open_sub_account(bidder(1), req.lot_id))
    signed = payment(bond.sub_account_no, id="N1")
    results = race([lambda: _record(*signed), lambda: _record(*signed)])
    assert not any(isinstance(r, Exception) for r in results), results
    assert sorted(created for _p, created in results) == [False, True] and BondPayment.objects.count() == 1
    bond.refresh_from_db()
    assert bond.secured_at is not None and bond.row_version == 3  # opened, then secured once


def test_two_requests_for_a_sub_account_make_one_bond(on_postgres, town):
    req = BondRequirementFactory()
    user = bidder(1)
    results = race([lambda: bonds.do_open_sub_account(user, req.lot_id)] * 2)
    assert not any(isinstance(r, Exception) for r in results), results
    assert Bond.objects.count() == 1 and len({r.sub_account_no for r in results}) == 1


def test_two_staff_sending_one_refund_send_one_order(on_postgres, town):
    req = BondRequirementFactory()
    bond = setup(lambda: bonds.do_open_sub_account(bidder(1), req.lot_id))
    setup(lambda: _record(*payment(bond.sub_account_no, id="N1")))
    (refund,) = setup(lambda: hooks.CONTRACT_SIGNED.run(lot=req.lot, signed_on=date(2026, 6, 10)))
    results = race([lambda: bond_refunds.do_send(town.staff, refund.pk, refund.row_version)] * 2)
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and errors[0].code == "trading.conflict", results
    refund = Refund.objects.get()
    assert refund.status == "paid" and refund.row_version == 3
    assert verify().ok


def test_two_edits_of_the_requirement_from_one_version_have_one_winner(on_postgres, town):
    lot = LotFactory(accepted=True, project=TenderProjectFactory(tenderer_uscc=town.tenderer.uscc))
    setup(lambda: bonds.do_set_requirement(town.tenderer, lot.pk, None, amount="1000"))
    results = race([lambda: bonds.do_set_requirement(town.tenderer, lot.pk, 1, amount="2000"),
                    lambda: bonds.do_set_requirement(town.tenderer, lot.pk, 1, amount="3000")])
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and errors[0].code == "trading.conflict", results

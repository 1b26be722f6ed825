"""Factories and helpers of the bond tests: bidder accounts, an announced lot with its bond requirement,
bank notifications as the simulated bank signs them, guarantees in the simulated issuers' registry."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
from factory.django import DjangoModelFactory

from tests.factories import LotFactory, UserFactory, _uscc
from yingshang.kernel import access, clock
from yingshang.trading.bank import SimulatedBank
from yingshang.trading.models import BondRequirement, SimulatedGuarantee

TZ = ZoneInfo("Asia/Shanghai")
BEFORE_DEADLINE = datetime(2026, 5, 20, 10, 0, tzinfo=TZ)  # the lots' deadline is 2026-05-25 09:30
AFTER_DEADLINE = datetime(2026, 5, 25, 9, 31, tzinfo=TZ)
ISSUER = "91610800MA6YS0001X"  # the simulated bank-guarantee issuer's code


def bidder(n: int, **fields):
    """A bidder account acting for the company of USCC number n."""
    return UserFactory(username=f"bidder{n}", role_codes=[access.BIDDER], uscc=_uscc(n + 70_000),
                       organization_name=f"测试投标人{n}有限公司", **fields)


class BondRequirementFactory(DjangoModelFactory):
    """A 5万 bond on an announced 500万 works lot (cap 10万)."""

    class Meta:
        model = BondRequirement

    lot = factory.SubFactory(LotFactory, status="announced")
    amount = Decimal("50000.00")
    validity_days = 90
    cap = Decimal("100000.00")
    set_at = factory.LazyFunction(lambda: clock.now())


def payment(sub_account: str, amount="50000", *, id="N1", at=BEFORE_DEADLINE, payer_account="6222020200112233445",
            payer_name="测试投标人有限公司") -> tuple[bytes, str]:
    return SimulatedBank.notification(type="payment", id=id, sub_account=sub_account, amount=amount,
                                      payer_account=payer_account, payer_name=payer_name, payer_bank="工商银行榆林分行",
                                      at=at)


def issued(lot, bidder_user, *, no="BH2026001", amount="50000", valid_from=date(2026, 5, 1),
           valid_to=date(2026, 9, 30), **fields) -> SimulatedGuarantee:
    from yingshang.trading.services.bonds import lot_ref

    return SimulatedGuarantee.objects.create(**{
        "issuer_code": ISSUER, "issuer_name": "中国建设银行榆林分行", "kind": "bank", "guarantee_no": no,
        "applicant_uscc": bidder_user.uscc, "beneficiary_uscc": lot.project.tenderer_uscc, "lot_ref": lot_ref(lot),
        "amount": Decimal(amount), "valid_from": valid_from, "valid_to": valid_to, **fields})

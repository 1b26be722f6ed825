"""Evaluation fixtures: a lot in `opening` with decrypted bids, a confirmed committee of five with accounts
(four experts, one tenderer representative) and a plan; `evaluating_lot` starts it through the service."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from tests.factories import LotFactory, UserFactory, _uscc
from yingshang.kernel import access, clock
from yingshang.trading import rules
from yingshang.trading.models import Bid, CommitteeMember, Expert, Lot

PRICES = (Decimal("4500000.00"), Decimal("4600000.00"), Decimal("4700000.00"), Decimal("4800000.00"))
ITEMS = [{"part": "technical", "name": "施工组织设计", "max_points": "30"},
         {"part": "technical", "name": "项目管理机构", "max_points": "10"},
         {"part": "commercial", "name": "业绩", "max_points": "10"}]
PLAN = {"method": "comprehensive", "technical_weight": "40", "commercial_weight": "10", "price_weight": "40",
        "credit_weight": "10", "items": ITEMS}


class BidFactory(DjangoModelFactory):
    class Meta:
        model = Bid

    lot = factory.SubFactory(LotFactory)
    bidder = factory.SubFactory(UserFactory, role_codes=[access.BIDDER], uscc=factory.Sequence(lambda n: _uscc(n + 70_000)))
    bidder_uscc = factory.SelfAttribute("bidder.uscc")
    bidder_name = factory.Sequence(lambda n: f"测试建设{n}有限公司")
    status = rules.BID_DECRYPTED
    submitted_at = factory.LazyFunction(lambda: clock.now())
    price = Decimal("4600000.00")
    created_at = factory.LazyFunction(lambda: clock.now())


class ExpertFactory(DjangoModelFactory):
    class Meta:
        model = Expert

    name = factory.Sequence(lambda n: f"专家{n}")
    user = factory.SubFactory(UserFactory, role_codes=[access.EXPERT])
    employer_name = "测试设计院"
    employer_uscc = factory.Sequence(lambda n: _uscc(n + 80_000))
    region = "610802"
    created_at = factory.LazyFunction(lambda: clock.now())


def member(lot: Lot, *, role: str = rules.EXPERT, user=None, confirmed: bool = True) -> CommitteeMember:
    expert = ExpertFactory(user=user) if role == rules.EXPERT and user is not None else (
        ExpertFactory() if role == rules.EXPERT else None)
    account = expert.user if expert else (user or UserFactory(role_codes=[access.TENDERER]))
    return CommitteeMember.objects.create(lot=lot, role=role, expert=expert, user=account,
                                          name=expert.name if expert else account.real_name,
                                          confirmed_at=clock.now() if confirmed else None, created_at=clock.now())


@dataclass
class Evaluation:
    lot: Lot
    bids: list
    members: list

    @property
    def experts(self):
        return [m.user for m in self.members]


def opening_lot(town, *, prices=PRICES, plan=PLAN, committee: int = 5, lot_type: str = "works",
                procedure=None, float_rate=Decimal("5.000")) -> Evaluation:
    """A lot of `town.tenderer` at the opening, with its plan (set before the deadline) and committee."""
    from django.db import transaction

    from yingshang.trading.services import evaluation_plans

    lot = LotFactory(project__tenderer_uscc=town.tenderer.uscc, project__regulator=town.zj, accepted=True,
                     lot_type=lot_type, ceiling_price=Decimal("4800000.00"), float_rate=float_rate,
                     **({"procedure": procedure} if procedure else {}))
    if plan is not None:
        with transaction.atomic():
            evaluation_plans.do_set_plan(town.tenderer, lot.pk, plan)
    Lot.objects.filter(pk=lot.pk).update(status=rules.OPENING)  # the opening part moves it there
    lot.refresh_from_db()
    bids = [BidFactory(lot=lot, price=p) for p in prices]
    members = [member(lot) for _ in range(committee - 1)] + [member(lot, role=rules.TENDERER_REP)]
    return Evaluation(lot, bids, members)


def evaluating_lot(town, **kwargs) -> Evaluation:
    from django.db import transaction

    from yingshang.trading.services import evaluation

    ev = opening_lot(town, **kwargs)
    with transaction.atomic():
        evaluation.do_start(town.staff, ev.lot.pk, None)
    ev.lot.refresh_from_db()
    return ev


def score_all(ev: Evaluation, points=None, *, skip=()) -> None:
    """Every member submits every valid bid's sheet (points: item index → value, default 80 % of the max)."""
    from django.db import transaction

    from yingshang.trading.services import evaluation

    items = list(ev.lot.evaluation_plan.items.all())
    for m in ev.members:
        for bid in evaluation.valid_bids(ev.lot):
            if (m.pk, bid.pk) in skip:
                continue
            values = {str(i.pk): (points or {}).get((m.pk, bid.pk, n), (i.max_points * Decimal("0.8")).quantize(Decimal("0.01")))
                      for n, i in enumerate(items)}
            with transaction.atomic():
                evaluation.do_save_scores(m.user, bid.pk, values, submit=True)

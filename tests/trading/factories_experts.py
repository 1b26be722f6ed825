"""Factories of the expert database and draw: experts (verified, in the database, with specialties), bids."""

from __future__ import annotations

import random

import factory
from factory.django import DjangoModelFactory

from tests.factories import LotFactory, UserFactory, _uscc
from yingshang.kernel import clock
from yingshang.kernel.protect import id_digest, mask_resident_id
from yingshang.kernel.rules.identifiers import generate_resident_id
from yingshang.trading import rules
from yingshang.trading import rules_experts as rx
from yingshang.trading.models import Bid, Expert, Specialty
from yingshang.trading.services.experts import ensure_specialties


def resident_id(n: int) -> str:
    return generate_resident_id(random.Random(n), division_code="610802")


class ExpertFactory(DjangoModelFactory):
    """A verified expert in the database; `specialties=["A0801"]` (codes) sets the specialties."""

    class Meta:
        model = Expert
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"专家{n}")
    employer_name = factory.Sequence(lambda n: f"测试工程咨询{n}有限公司")
    employer_uscc = factory.Sequence(lambda n: _uscc(n + 200_000))
    region = "610881"
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    status = rx.ACTIVE
    verification = rx.VERIFIED
    id_digest = factory.Sequence(lambda n: id_digest(resident_id(n + 1_000_000)))  # apart from the tests' own numbers
    id_masked = factory.Sequence(lambda n: mask_resident_id(resident_id(n + 1_000_000)))
    created_at = factory.LazyFunction(lambda: clock.now())

    @factory.post_generation
    def specialties(self, create, extracted, **kwargs):
        ensure_specialties()
        self.specialties.set(Specialty.objects.filter(code__in=extracted or ["A0801"]))

    class Params:
        with_account = factory.Trait(user=factory.SubFactory(UserFactory, role_codes=["expert"]))


class BidFactory(DjangoModelFactory):
    class Meta:
        model = Bid

    lot = factory.SubFactory(LotFactory)
    bidder = factory.SubFactory(UserFactory, role_codes=["bidder"])
    bidder_uscc = factory.Sequence(lambda n: _uscc(n + 300_000))
    bidder_name = factory.Sequence(lambda n: f"投标人{n}建设有限公司")
    status = rules.BID_SUBMITTED
    submitted_at = factory.LazyFunction(lambda: clock.now())
    created_at = factory.LazyFunction(lambda: clock.now())


def announced_lot(**kwargs):
    return LotFactory(status=rules.ANNOUNCED, **kwargs)

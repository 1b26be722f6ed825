"""Factories of the award work: bids, candidates and bidders, and a lot in each stage of §8 built through
the services (so every stage passed the rules)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from factory.django import DjangoModelFactory

from tests.factories import LotFactory, TenderProjectFactory, UserFactory, _uscc
from yingshang.kernel import access, clock
from yingshang.trading.models import Bid, Candidate

PDF = b"%PDF-1.4\n% test contract\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name: str = "合同.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


class BidderFactory(UserFactory):
    role_codes = [access.BIDDER]
    uscc = factory.Sequence(lambda n: _uscc(n + 70_000))
    organization_name = factory.Sequence(lambda n: f"测试投标人{n}建设有限公司")


class BidFactory(DjangoModelFactory):
    class Meta:
        model = Bid

    lot = factory.SubFactory(LotFactory)
    bidder = factory.SubFactory(BidderFactory)
    bidder_uscc = factory.SelfAttribute("bidder.uscc")
    bidder_name = factory.SelfAttribute("bidder.organization_name")
    status = "decrypted"
    submitted_at = factory.LazyFunction(lambda: clock.now() - timedelta(days=10))
    price = Decimal("4500000.00")
    created_at = factory.LazyFunction(lambda: clock.now() - timedelta(days=10))


class CandidateFactory(DjangoModelFactory):
    class Meta:
        model = Candidate

    bid = factory.SubFactory(BidFactory)
    lot = factory.SelfAttribute("bid.lot")
    strengths = "业绩充分，方案可行"
    risks = "工期偏紧"
    created_at = factory.LazyFunction(lambda: clock.now())


def evaluated_lot(town, *, prices=("4500000.00", "4400000.00", "4600000.00"), extra_bids=1, report_days_ago=0, **lot):
    """A lot of town.tenderer in evaluation with len(prices) candidates and `extra_bids` other bids.
    Returns (lot, candidates, other bids)."""
    project = TenderProjectFactory(regulator=town.zj, tenderer_uscc=town.tenderer.uscc, tenderer_name="榆林城投",
                                   agency_uscc=town.agency.uscc, agency_name="正信招标代理")
    lot_row = LotFactory(project=project, status="evaluating", **lot)
    made = clock.now() - timedelta(days=report_days_ago)
    candidates = [CandidateFactory(bid=BidFactory(lot=lot_row, price=Decimal(p)), created_at=made) for p in prices]
    others = [BidFactory(lot=lot_row, price=Decimal("4900000.00")) for _ in range(extra_bids)]
    return lot_row, candidates, others


def members(n=5, votes=None):
    return [{"name": f"定标委员{i + 1}", "title": "副总经理", **({"vote": votes[i]} if votes else {})} for i in range(n)]


def publish(town, lot, *, ends_in=3, method="price"):
    from yingshang.trading.services import publicity

    with transaction.atomic():
        return publicity.do_publish(town.tenderer, lot.pk, None, ends_on=clock.today() + timedelta(days=ends_in),
                                    award_method=method)

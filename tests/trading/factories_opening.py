"""Factories for the opening: bidder accounts, a lot whose deadline has come, and sealed bids stored where the
opening reads them (services/opening_files.py), each with the key file its bidder keeps."""

from __future__ import annotations

import io
import os
from datetime import timedelta
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from tests.factories import LotFactory, TenderProjectFactory, UserFactory, _uscc
from yingshang.kernel import access, clock
from yingshang.trading import rules, sealing
from yingshang.trading.models import Bid
from yingshang.trading.services import opening_files


def bidder(n: int, **kwargs):
    return UserFactory(username=f"bidder{n}", real_name=f"代表{n}", role_codes=[access.BIDDER],
                       uscc=_uscc(n + 70_000), organization_name=f"第{n}建设工程有限公司", **kwargs)


def opening_lot(town=None, **kwargs):
    """An announced lot of the town's tenderer whose deadline passed a minute ago (ceiling 480万)."""
    project = TenderProjectFactory(tenderer_uscc=town.tenderer.uscc, regulator=town.zj) if town else \
        TenderProjectFactory()
    values = {"status": rules.ANNOUNCED, "ceiling_price": Decimal("4800000.00"),
              "bid_deadline": clock.now() - timedelta(minutes=1), "project": project, **kwargs}
    return LotFactory(**values)


class BidFactory(DjangoModelFactory):
    class Meta:
        model = Bid

    lot = factory.SubFactory(LotFactory)
    bidder = factory.SubFactory(UserFactory)
    bidder_uscc = factory.LazyAttribute(lambda o: o.bidder.uscc)
    bidder_name = factory.LazyAttribute(lambda o: o.bidder.organization_name or o.bidder.username)
    status = rules.BID_SUBMITTED
    submitted_at = factory.LazyFunction(lambda: clock.now() - timedelta(days=1))
    created_at = factory.LazyFunction(lambda: clock.now() - timedelta(days=1))


def sheet(price: str = "4500000.00", **extra) -> dict:
    return {"price": price, "duration_days": 300, "quality": "合格", "project_manager": "张工", **extra}


def sealed_bid(lot, user, *, price: str = "4500000.00", data: bytes | None = None, size: int = 4096):
    """A submitted bid sealed with a new key and stored; returns (bid, key file text)."""
    bid = BidFactory(lot=lot, bidder=user)
    key = sealing.new_key()
    out = io.BytesIO()
    sealing.seal_bid(key, sheet(price), "投标文件.pdf", io.BytesIO(data if data is not None else os.urandom(size)), out)
    out.seek(0)
    opening_files.store_sealed(bid, out)
    return bid, sealing.encode_key(key)

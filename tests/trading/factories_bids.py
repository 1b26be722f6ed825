"""Sealed-bid test data: bidder accounts, a lot open for bids, sealed files made with sealing.seal_bid."""

from __future__ import annotations

import io
from dataclasses import dataclass

import factory
import pytest

from tests.factories import LotFactory, TenderProjectFactory, UserFactory, _uscc
from yingshang.kernel import access
from yingshang.trading import sealing

PRICE_SHEET = {"price": "4567891.23", "duration": 287, "quality": "合格", "manager": "欧阳工"}
SECRET_TEXT = "绝密投标方案-XJ9Q-技术标正文"


class BidderFactory(UserFactory):
    """A bidder account acting for its company (USCC and name)."""

    role_codes = (access.BIDDER,)
    uscc = factory.Sequence(lambda n: _uscc(n + 70_000))
    organization_name = factory.Sequence(lambda n: f"测试投标人{n}建设有限公司")


def open_lot(regulator=None, **kwargs):
    """A lot in 招标中 (announced) with the factory deadline 2026-05-25 09:30 (the clock is 04-20 10:00)."""
    project = TenderProjectFactory(**({"regulator": regulator} if regulator else {}))
    return LotFactory(project=project, status="announced", **kwargs)


@dataclass
class Sealed:
    data: bytes
    key: bytes
    sha256: str
    plain: bytes


def sealed(sheet: dict | None = None, plain: bytes | None = None, name: str = "技术标.pdf") -> Sealed:
    key = sealing.new_key()
    plain = plain if plain is not None else f"%PDF-1.7 {SECRET_TEXT}".encode() * 50
    out = io.BytesIO()
    _size, digest = sealing.seal_bid(key, sheet or PRICE_SHEET, name, io.BytesIO(plain), out)
    return Sealed(out.getvalue(), key, digest, plain)


@pytest.fixture
def bid_data_dir(settings, tmp_path):
    """Each test its own DATA_DIR (bid files are named by lot id, which repeats between rolled-back tests)."""
    settings.DATA_DIR = tmp_path
    return tmp_path

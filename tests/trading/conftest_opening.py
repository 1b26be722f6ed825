"""Fixtures of the opening tests (imported by their modules): files in a fresh storage, a clock that moves, and a
lot with three sealed bids whose deadline has come."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from tests.trading.factories_opening import bidder, opening_lot, sealed_bid
from yingshang.kernel import clock


@pytest.fixture
def opening_storage(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


class MovingClock:
    def __init__(self, start):
        self.moment = start

    def now(self):
        return self.moment

    def advance(self, minutes: float) -> None:
        self.moment += timedelta(minutes=minutes)


@pytest.fixture
def opening_clock(monkeypatch) -> MovingClock:
    mover = MovingClock(clock.now())
    monkeypatch.setattr(clock, "now", mover.now)
    return mover


@dataclass
class Opening:
    lot: object
    bidders: list
    bids: list
    keys: list


def make_opening(town, n: int = 3, *, plan: dict | None = None, prices=None) -> Opening:
    from yingshang.trading.models import OpeningPlan

    lot = opening_lot(town)
    if plan is not None:
        OpeningPlan.objects.create(lot=lot, created_at=clock.now(), **plan)
    people = [bidder(i + 1) for i in range(n)]
    prices = prices or ["4500000.00", "4700000.00", "4900000.00", "4600000.00"][:n]
    made = [sealed_bid(lot, person, price=price) for person, price in zip(people, prices, strict=False)]
    return Opening(lot, people, [b for b, _ in made], [k for _, k in made])


FLOAT_PLAN = {"float_low": "3.000", "float_high": "6.000", "float_step": "0.010",
              "weight_low": "40.000", "weight_high": "60.000", "weight_step": "5.000"}

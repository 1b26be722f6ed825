"""Trading fixtures: a small city (住建局 and 交通局 as industry regulators, the trading centre), the
accounts concerned, and the platform clock pinned to 2026-04-20 (a Monday)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

import pytest
from django.utils import timezone

from tests.factories import DepartmentFactory, UserFactory
from yingshang.kernel import clock

TODAY = date(2026, 4, 20)


@dataclass
class Town:
    zj: object
    jt: object
    staff: object
    tenderer: object
    agency: object
    other_tenderer: object
    reviewer_zj: object
    reviewer_jt: object
    citizen: object


@pytest.fixture(autouse=True)
def today(monkeypatch):
    moment = timezone.make_aware(datetime.combine(TODAY, time(10, 0)))
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    monkeypatch.setattr(clock, "now", lambda: moment)
    return TODAY


@pytest.fixture
def town(db) -> Town:
    root = DepartmentFactory(city=True)
    zj = DepartmentFactory(code="610800-ZJ", name="榆林市住房和城乡建设局", short_name="市住建局", parent=root)
    jt = DepartmentFactory(code="610800-JT", name="榆林市交通运输局", short_name="市交通局", parent=root)
    centre = DepartmentFactory(code="610800-JYZX", name="榆林市公共资源交易中心", parent=root, kind="centre")
    return Town(
        zj=zj, jt=jt,
        staff=UserFactory(username="trading", trading_staff=True, department=centre),
        tenderer=UserFactory(username="tenderer", tenderer=True),
        agency=UserFactory(username="agency", agency=True),
        other_tenderer=UserFactory(username="tenderer2", tenderer=True),
        reviewer_zj=UserFactory(username="rev_zj", role_codes=["dept_reviewer"], department=zj),
        reviewer_jt=UserFactory(username="rev_jt", role_codes=["dept_reviewer"], department=jt),
        citizen=UserFactory(username="citizen", citizen=True),
    )


def lot_data(**overrides) -> dict:
    """A valid open-tender works lot: sale 2026-05-04 → 05-11, deadline 05-25 09:30 (21 days after issue)."""
    return {"name": "施工标段", "procedure": "open_tender", "lot_type": "works", "estimated_price": "5000000",
            "ceiling_price": "4800000", "qualification": "post", "sale_start": "2026-05-04", "sale_end": "2026-05-11",
            "bid_deadline": "2026-05-25T09:30", **overrides}


def project_data(town: Town, *, lots=None, **overrides) -> dict:
    return {"name": "高新区第二中学教学楼新建工程", "approval_no": "榆发改审批〔2026〕101号", "tenderer_name": "榆林城投",
            "tenderer_uscc": town.tenderer.uscc, "regulator": "610800-ZJ", "division_code": "610802",
            "funding_source": "state_owned", "lots": lots if lots is not None else [lot_data()], **overrides}


from tests.trading.conftest_opening import opening_clock, opening_storage  # noqa: E402, F401 - the opening's fixtures

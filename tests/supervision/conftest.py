"""Supervision fixtures: a small city with staff of every role concerned, published items, and cases
built straight as rows (hand-made figures for the formulas; the cases app's own tests cover how real
cases reach these states)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, time

import pytest
from django.utils import timezone

from tests.factories import DepartmentFactory, UserFactory, published_service_item
from yingshang.cases.models import Case
from yingshang.kernel import clock
from yingshang.supervision import rules
from yingshang.supervision.models import Rating, Rectification
from yingshang.supervision.services import rollup

_numbers = itertools.count(1)


@dataclass
class City:
    root: object
    scjg: object  # 市场监管局
    scjg_branch: object  # a unit under it (a dept head of scjg sees it; a reviewer of scjg does not)
    wj: object  # 卫健委
    hall: object
    supervisor: object
    leader: object
    head_scjg: object
    reviewer_scjg: object
    reviewer_wj: object
    clerk: object
    citizen: object
    other_citizen: object
    food: object  # published version of an item of scjg
    branch_item: object  # of scjg_branch
    health: object  # of wj


@pytest.fixture
def city(db) -> City:
    root = DepartmentFactory(city=True)
    scjg = DepartmentFactory(code="610800-SCJG", name="榆林市市场监督管理局", parent=root)
    branch = DepartmentFactory(code="610800-SCJG-01", name="榆林市市场监督管理局榆阳分局", parent=scjg)
    wj = DepartmentFactory(code="610800-WJ", name="榆林市卫生健康委员会", parent=root)
    hall = DepartmentFactory(code="610800-HALL01", name="榆林市市民大厦政务服务大厅", parent=root, hall=True)
    zwfw = DepartmentFactory(code="610800-ZWFW", name="榆林市政务服务中心", parent=root)
    return City(
        root=root, scjg=scjg, scjg_branch=branch, wj=wj, hall=hall,
        supervisor=UserFactory(username="supervisor", real_name="杨帆", role_codes=["supervisor"], department=zwfw),
        leader=UserFactory(username="leader", real_name="孙建国", role_codes=["leader"], department=root),
        head_scjg=UserFactory(username="head_scjg", real_name="陈静", role_codes=["dept_head", "dept_reviewer"],
                              department=scjg),
        reviewer_scjg=UserFactory(username="rev_scjg", real_name="刘洋", role_codes=["dept_reviewer"], department=scjg),
        reviewer_wj=UserFactory(username="rev_wj", real_name="郭敏", role_codes=["dept_reviewer"], department=wj),
        clerk=UserFactory(username="clerk", real_name="王芳", role_codes=["window_clerk"], department=hall),
        citizen=UserFactory(username="zhangwei", real_name="张伟", role_codes=["citizen"]),
        other_citizen=UserFactory(username="lina", real_name="李娜", role_codes=["citizen"]),
        food=published_service_item("610800-XK-0001", scjg, name="食品经营许可"),
        branch_item=published_service_item("610800-XK-0002", branch, name="小餐饮登记"),
        health=published_service_item("610800-XK-0003", wj, name="公共场所卫生许可"),
    )


def make_case(version, *, status: str = "concluded", accepted_on: date | None = date(2026, 3, 2),
              decided_on: date | None = None, deadline: date | None = None, on_time: bool | None = None,
              warning: str = "none", applicant=None, last4: str = "123X", case_no: str | None = None, **fields) -> Case:
    """A case row in the given state (no services: the figures are what the test says)."""
    number = case_no or f"SL2026{next(_numbers):06d}"
    moment = timezone.make_aware(datetime.combine(accepted_on or date(2026, 3, 2), time(9, 0)))
    return Case.objects.create(
        case_no=number, item=version.item, item_version=version, item_name=version.name, kind=version.kind,
        department=version.item.department, applicant=applicant, applicant_kind="person",
        applicant_name="张伟" if applicant else "榆林市恒泰能源科技有限公司", identifier_last4=last4,
        channel="online" if applicant else "window", status=status, created_at=moment, submitted_at=moment,
        received_on=accepted_on, accepted_at=moment if accepted_on else None, accepted_on=accepted_on,
        decided_on=decided_on, deadline=deadline, on_time=on_time, warning=warning, limit_days=5,
        limit_source="committed", clock_state="stopped" if decided_on else "running", **fields)


@pytest.fixture
def official_calendar(db):
    """The official schedules chinese-calendar knows (2004–2026)."""
    from yingshang.kernel.services.calendar import seed_from_chinese_calendar

    seed_from_chinese_calendar()


@pytest.fixture
def set_today(monkeypatch):
    """Pin the platform clock's today (and now, 10:00 that day) to a date."""

    def pin(day: date) -> date:
        moment = timezone.make_aware(datetime.combine(day, time(10, 0)))
        monkeypatch.setattr(clock, "today", lambda: day)
        monkeypatch.setattr(clock, "now", lambda: moment)
        return day

    return pin


@pytest.fixture
def sync_commit(monkeypatch):
    """Run on-commit callbacks at once (notifications queue their sending on commit)."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


# --- March 2026, hand-built (the report's figures are asserted from these rows) -------------------------
MARCH = rules.Period(date(2026, 3, 1), date(2026, 3, 31))
TODAY = date(2026, 4, 10)


def rating(case, score, on: date, rect_status: str | None = None, late=False):
    moment = timezone.make_aware(datetime.combine(on, time(15, 0)))
    r = Rating.objects.create(case=case, department=case.department, item=case.item, score=score, channel="online",
                              rated_at=moment, rated_on=on)
    if rect_status:
        Rectification.objects.create(rating=r, department=case.department, item=case.item, status=rect_status,
                                     opened_at=moment, opened_on=on, due_on=on, late=late)
    return r


@pytest.fixture
def march(city, official_calendar):
    """March 2026 for 市场监管局 (food) and 卫健委 (health); today is 2026-04-10."""
    f, h = city.food, city.health
    c1 = make_case(f, accepted_on=date(2026, 3, 2), decided_on=date(2026, 3, 6), on_time=True)  # 4 working days
    c2 = make_case(f, status="denied", accepted_on=date(2026, 3, 2), decided_on=date(2026, 3, 13), on_time=False,
                   warning="red")  # 9 working days, late
    c3 = make_case(f, status="issued", accepted_on=date(2026, 3, 9), decided_on=date(2026, 3, 10), on_time=True)  # 1
    # Accepted in February; Saturday 2026-02-28 was an adjusted working day: 02-27, 02-28, 03-02, 03-03 = 4.
    c4 = make_case(f, status="approved", accepted_on=date(2026, 2, 26), decided_on=date(2026, 3, 3), on_time=True)
    make_case(f, status="withdrawn", accepted_on=date(2026, 3, 20))  # accepted, never concluded
    make_case(f, status="in_review", accepted_on=date(2026, 3, 25), deadline=date(2026, 3, 31), warning="red")
    make_case(f, status="in_review", accepted_on=date(2026, 4, 3), deadline=date(2026, 4, 10), warning="yellow")
    make_case(f, status="in_review", accepted_on=date(2026, 2, 10), deadline=date(2026, 2, 20), warning="red")
    make_case(f, status="refused", accepted_on=None, decided_on=date(2026, 3, 4))  # never accepted: counts nowhere
    c11 = make_case(f, accepted_on=date(2026, 3, 23), decided_on=date(2026, 3, 30), on_time=True)  # 5
    c10 = make_case(h, accepted_on=date(2026, 3, 3), decided_on=date(2026, 3, 5), on_time=True)  # 2
    rating(c1, 5, date(2026, 3, 7))
    rating(c2, 1, date(2026, 3, 14), "open")
    rating(c3, 4, date(2026, 3, 11))
    rating(c4, 3, date(2026, 3, 4))
    rating(c11, 1, date(2026, 4, 2), "open")  # April: outside the period
    rating(c10, 2, date(2026, 3, 6), "closed")
    rollup.refresh(full=True, today=TODAY)
    return city

"""Credit fixtures: a small city with reporting departments and staff, a fixed 'today', file writers."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from tests.factories import DepartmentFactory, UserFactory
from yingshang.credit import sample
from yingshang.credit.choices import BatchSource
from yingshang.credit.models import ListType, Measure, Memorandum
from yingshang.credit.services import imports as batches
from yingshang.credit.services.joint import CACHE
from yingshang.kernel import clock
from yingshang.kernel.rules.identifiers import generate_resident_id, generate_uscc

TODAY = date(2026, 11, 20)  # a Friday; fixed so that lateness and publication are deterministic


@dataclass
class Credit:
    root: object
    scjg: object
    yj: object
    xyb: object
    hall: object
    officer: object
    reviewer: object  # 市场监管局 reporting officer
    reviewer_yj: object
    head_yj: object
    clerk: object
    citizen: object


@pytest.fixture
def today(monkeypatch):
    """Pin the platform clock: today 2026-11-20, now 10:00 local time that day."""
    state = {"today": TODAY}

    def set_today(day: date) -> date:
        state["today"] = day
        return day

    def today() -> date:
        return state["today"]

    def now() -> datetime:
        return timezone.make_aware(datetime.combine(state["today"], time(10)))

    monkeypatch.setattr(clock, "today", today)
    monkeypatch.setattr(clock, "now", now)
    return set_today


@pytest.fixture
def calendar(db):
    from yingshang.kernel.services.calendar import seed_from_chinese_calendar

    seed_from_chinese_calendar()


@pytest.fixture
def city(db, calendar, today) -> Credit:
    rng = random.Random(99)
    root = DepartmentFactory(city=True)

    def dept(code, name):
        return DepartmentFactory(code=code, name=name, parent=root, division_code="610800",
                                 uscc=generate_uscc(rng, division_code="610800", authority="1", category="1"))

    scjg, yj, xyb = dept("610800-SCJG", "榆林市市场监督管理局"), dept("610800-YJ", "榆林市应急管理局"), \
        dept("610800-XYB", "榆林市社会信用体系建设办公室")
    hall = DepartmentFactory(code="610800-HALL01", name="市民大厦政务服务大厅", parent=root, hall=True)
    CACHE.invalidate()
    return Credit(
        root=root, scjg=scjg, yj=yj, xyb=xyb, hall=hall,
        officer=UserFactory(username="credit", real_name="赵磊", role_codes=["credit_officer"], department=xyb),
        reviewer=UserFactory(username="rev_scjg", real_name="刘洋", role_codes=["dept_reviewer"], department=scjg),
        reviewer_yj=UserFactory(username="rev_yj", real_name="周敏", role_codes=["dept_reviewer"], department=yj),
        head_yj=UserFactory(username="head_yj", real_name="孙强", role_codes=["dept_head"], department=yj),
        clerk=UserFactory(username="clerk", real_name="王芳", role_codes=["window_clerk"], department=hall),
        citizen=UserFactory(username="citizen", real_name="张伟", role_codes=["citizen"]),
    )


def uscc(seed: int, division: str = "610802") -> str:
    return generate_uscc(random.Random(seed), division_code=division, authority="9", category="1")


def resident_id(seed: int) -> str:
    return generate_resident_id(random.Random(seed), division_code="610802", birth_date=date(1985, 6, 15))


def licence_rows(dept, n: int, *, seed: int = 1, decided: date = TODAY - timedelta(days=3), person_every: int = 0,
                 prefix: str = "许") -> list[dict]:
    rng = random.Random(seed)
    return [sample.license_row(rng, i, authority=dept.name, authority_uscc=dept.uscc, decided=decided,
                               person=bool(person_every) and i % person_every == 0, prefix=prefix) for i in range(n)]


def penalty_rows(dept, n: int, *, seed: int = 2, decided: date = TODAY - timedelta(days=3), severity: str = "一般",
                 person_every: int = 0) -> list[dict]:
    rng = random.Random(seed)
    return [sample.penalty_row(rng, i, authority=dept.name, authority_uscc=dept.uscc, decided=decided,
                               severity=severity, person=bool(person_every) and i % person_every == 0)
            for i in range(n)]


def run_file(path: Path, kind: str, dept, user=None, *, fail_after: int | None = None):
    """Create a batch for the file and run it as the job would (its own transaction)."""
    with transaction.atomic():
        batch = batches.do_create_batch(user, kind=kind, department=dept, source=BatchSource.COMMAND,
                                        file_name=path.name, path=path)
    return batches.run_batch(batch.pk, _fail_after_rows=fail_after)


def import_csv(tmp_path: Path, kind: str, dept, rows, *, encoding: str = "utf-8", name: str = "data.csv", **kw):
    path = sample.write_csv(tmp_path / name, kind, rows, encoding=encoding)
    return run_file(path, kind, dept, **kw)


def catalog(city: Credit) -> dict:
    """List types and memoranda: a black list blocking licensing, a red list with a green channel, a watch list."""
    debtor = ListType.objects.create(code="judgment_debtor", name="失信被执行人", list_kind="black",
                                     designating_authority="人民法院", designating_department=city.xyb,
                                     legal_basis="法释〔2017〕7号", default_validity_months=24)
    safety = ListType.objects.create(code="safety_serious", name="安全生产严重失信主体", list_kind="black",
                                     designating_authority="应急管理部门", designating_department=city.yj,
                                     legal_basis="应急管理部令第11号", default_validity_months=36)
    tax_a = ListType.objects.create(code="tax_grade_a", name="纳税信用A级纳税人", list_kind="red",
                                    designating_authority="税务机关", legal_basis="纳税信用管理办法", default_validity_months=12)
    watch = ListType.objects.create(code="watch_bidding", name="招标投标领域重点关注对象", list_kind="watch",
                                    designating_authority="信用办", designating_department=city.xyb,
                                    legal_basis="榆政函〔2018〕224号")
    m1 = Memorandum.objects.create(code="mou-debtor", title="失信被执行人联合惩戒备忘录", document_no="发改财金〔2016〕141号")
    m1.list_types.set([debtor, safety])
    block = Measure.objects.create(memorandum=m1, number=1, content="限制取得行政许可", effect="punishment", action="block",
                                   scenarios=["administrative_licensing"])
    warn = Measure.objects.create(memorandum=m1, number=2, content="融资授信审慎参考", effect="punishment", action="warn",
                                  scenarios=["lending"])
    m2 = Memorandum.objects.create(code="mou-tax-a", title="A级纳税人联合激励备忘录", document_no="发改财金〔2016〕1467号")
    m2.list_types.set([tax_a])
    green = Measure.objects.create(memorandum=m2, number=1, content="绿色通道优先办理", effect="reward",
                                   action="green_channel", scenarios=["administrative_licensing", "subsidies"])
    m3 = Memorandum.objects.create(code="mou-watch", title="重点关注对象审慎监管", document_no="榆政函〔2018〕224号")
    m3.list_types.set([watch])
    caution = Measure.objects.create(memorandum=m3, number=1, content="加强审查", effect="punishment", action="warn",
                                     scenarios=["bidding", "administrative_licensing"])
    CACHE.invalidate()
    return {"debtor": debtor, "safety": safety, "tax_a": tax_a, "watch": watch, "block": block, "warn": warn,
            "green": green, "caution": caution}

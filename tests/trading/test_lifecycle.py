"""End to end: one lot through every part's services (trading/demo_lifecycle.py) on a small test city."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from tests.factories import UserFactory, _uscc
from tests.trading.conftest import TODAY
from tests.trading.factories_experts import ExpertFactory
from yingshang.kernel import clock
from yingshang.kernel.models import AuditEntry
from yingshang.kernel.services.audit import verify
from yingshang.trading import demo_lifecycle as life
from yingshang.trading import rules, rules_bonds
from yingshang.trading import rules_announcements as ra
from yingshang.trading.models import Announcement, Archive, Bid, Complaint, Refund
from yingshang.trading.services import archive

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def moving_clock(monkeypatch, today):
    """The platform clock honours `clock.as_of` (the lifecycle acts in the past), at 10:00 of the day."""
    base = clock._AS_OF

    def _today():
        return base.get() or TODAY

    monkeypatch.setattr(clock, "today", _today)
    monkeypatch.setattr(clock, "now", lambda: timezone.make_aware(datetime.combine(_today(), time(10, 0))))


@pytest.fixture
def city(town, opening_storage):
    bidders = [UserFactory(username=f"lc_bidder{i}", role_codes=["bidder"], uscc=_uscc(i + 900_000),
                           organization_name=f"测试建设{i}有限公司") for i in range(1, 5)]
    experts = [ExpertFactory(with_account=True, specialties=["A0801"]) for _ in range(6)]
    town.tenderer.real_name, town.tenderer.organization_name = "韩雪", "榆林城投"
    town.tenderer.save(update_fields=["real_name", "organization_name"])
    return town, bidders, experts


def _actions(lot) -> set[str]:
    return set(AuditEntry.objects.filter(object_id=str(lot.pk), object_type="trading.lot").values_list("action", flat=True))


def _run(town, bidders, stage, **kwargs):
    return life.advance(stage, tenderer=town.tenderer, staff=town.staff, bidders=bidders, regulator=town.reviewer_zj,
                        approval_no=kwargs.pop("approval_no", "榆发改审批〔2026〕501号"), name="测试全流程工程",
                        deadline_day=kwargs.pop("deadline_day", TODAY - timedelta(days=30)), **kwargs)


def test_one_lot_through_its_whole_life_to_the_archive(city):
    town, bidders, _experts = city
    done = _run(town, bidders[:3], "archived")
    lot = done.lot
    assert lot.status == rules.ARCHIVED
    actions = _actions(lot)
    for action in ("trading.lot.submit", "trading.lot.accept", "trading.lot.announce", "trading.lot.open",
                   "trading.lot.evaluate", "trading.lot.publicize", "trading.lot.award", "trading.lot.sign_contract",
                   "trading.lot.archive", "trading.lot.sweep"):
        assert action in actions, (action, sorted(actions))
    kinds = set(Announcement.objects.filter(lot=lot).values_list("kind", flat=True))
    assert {ra.CANDIDATES, ra.RESULT} <= kinds and len(kinds) >= 3  # the tender, candidates and result
    bids = Bid.objects.filter(lot=lot)
    assert bids.count() == 3 and all(b.status == rules.BID_DECRYPTED and b.sheet_signed_at for b in bids)
    assert lot.float_rate is not None and lot.committee.count() == 5 and lot.candidates.count() == 3
    refunds = Refund.objects.filter(bond__lot=lot)
    assert refunds.count() == 2 and {r.reason for r in refunds} == {rules_bonds.CONTRACT_SIGNED}  # cash bonds only
    stored = Archive.objects.get(lot=lot)
    assert stored.manifest_sha256 == archive.manifest_hash(stored.manifest)
    assert {"中标通知书", "交易凭证"} <= {d["title"] for d in stored.manifest["documents"]}
    assert verify().ok  # the audit chain holds over every part's entries
    names = [name for _day, name in done.steps]
    assert names.index("evaluation plan") < names.index("sweep") < names.index("start evaluation")


def test_the_stages_on_the_way(city):
    town, bidders, _experts = city
    expected = {"announced": rules.ANNOUNCED, "opening": rules.OPENING, "evaluating": rules.EVALUATING,
                "publicity": rules.PUBLICITY, "complaint": rules.PUBLICITY}
    for n, (stage, status) in enumerate(expected.items()):
        done = _run(town, bidders[:3], stage, approval_no=f"榆发改审批〔2026〕{510 + n}号",
                    deadline_day=TODAY + timedelta(days=10) if stage == "announced" else TODAY - timedelta(days=n))
        assert done.lot.status == status, stage
        kinds = set(Announcement.objects.filter(lot=done.lot).values_list("kind", flat=True))
        assert (ra.CANDIDATES in kinds) == (stage in ("publicity", "complaint")), stage
        if stage != "announced":
            assert done.lot.opening.published_at and done.lot.float_rate is not None, stage
    complained = Complaint.objects.get()
    assert complained.status == "accepted" and complained.suspends_procedure and complained.lot.suspended


def test_a_lot_with_two_bids_fails_at_the_deadline_and_refunds_the_bonds(city):
    town, bidders, _experts = city
    done = _run(town, bidders, "failed")
    assert done.lot.status == rules.FAILED and "trading.lot.fail" in _actions(done.lot)
    refunds = Refund.objects.filter(bond__lot=done.lot)
    # The two bidders: one paid cash, the other gave an e-guarantee (nothing to refund).
    assert [r.reason for r in refunds] == [rules_bonds.LOT_FAILED]


def test_a_bid_withdrawn_before_the_deadline_schedules_its_bond_refund(city):
    town, bidders, _experts = city
    done = _run(town, bidders, "announced", deadline_day=TODAY + timedelta(days=10), withdraw=True)
    assert done.lot.status == rules.ANNOUNCED and done.withdrawn.status == rules.BID_WITHDRAWN
    refund = Refund.objects.get(bond__lot=done.lot)
    assert refund.reason == rules_bonds.WITHDRAWAL and refund.bond.bidder_uscc == bidders[-1].uscc


def test_the_seeder_is_idempotent(city, monkeypatch):
    from yingshang.kernel.demo import DemoReport
    from yingshang.trading.models import TenderProject

    town, bidders, _experts = city
    ExpertFactory.create_batch(30, specialties=["A0801"])  # the seeder's lots draw 4 experts each
    for user in bidders:  # the demo's bidder accounts
        user.username = {1: "bidder"}.get(bidders.index(user) + 1, f"bidder{bidders.index(user):03d}")
        user.save(update_fields=["username"])
    monkeypatch.setattr(life, "LOTS", life.LOTS[:2] + life.LOTS[-1:])  # announced, opening, failed: fast enough
    life.seed_lifecycle(DemoReport())
    first = (TenderProject.objects.count(), Bid.objects.count(), AuditEntry.objects.count())
    assert first[0] == 3
    life.seed_lifecycle(DemoReport())
    assert (TenderProject.objects.count(), Bid.objects.count(), AuditEntry.objects.count()) == first

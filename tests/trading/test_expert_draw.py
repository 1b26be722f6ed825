"""The expert draw: commit then reveal, avoidance in the pool, substitutes on decline and timeout, redraws,
the committee by 《招标投标法》第三十七条, verification from stored data, the seal on the names."""

from datetime import date, timedelta

import pytest
from django.db import transaction

from tests.factories import LotFactory, TenderProjectFactory, UserFactory
from tests.trading.factories_experts import BidFactory, ExpertFactory
from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput
from yingshang.kernel.models import AuditEntry, Message
from yingshang.kernel.rules import draw as vdraw
from yingshang.trading import rules
from yingshang.trading import rules_experts as rx
from yingshang.trading.models import CommitteeMember, ExpertRelation, Invitation
from yingshang.trading.services import expert_draws, invitations

pytestmark = pytest.mark.django_db
EVAL_DAY = "2026-04-27"


@pytest.fixture
def lot(town):
    project = TenderProjectFactory(tenderer_uscc=town.tenderer.uscc, agency_uscc=town.agency.uscc,
                                   regulator=town.zj, division_code="610802")
    return LotFactory(project=project, status=rules.ANNOUNCED)


def experts(n, specialty="A0801", **kw):
    return [ExpertFactory(specialties=[specialty], **kw) for _ in range(n)]


def prepare(user, lot, reqs=(("A0801", 3, 2),), **extra):
    data = {"requirements": [{"specialty": s, "count": c, "substitutes": k} for s, c, k in reqs],
            "evaluation_on": EVAL_DAY, **extra}
    with transaction.atomic():  # as the edge does: a refusal leaves nothing behind
        return expert_draws.do_prepare(user, lot.pk, data)


def test_prepare_publishes_the_commitment_and_pool_before_any_pick(town, lot):
    experts(6)
    d = prepare(town.staff, lot)
    r = d.rounds.get()
    assert r.commitment == vdraw.commitment(r.seed) and r.drawn_at is None
    summary = expert_draws.round_summary(r)
    assert summary["seed"] is None and summary["pools"][0]["size"] == 6
    assert not d.invitations.exists()
    entry = AuditEntry.objects.get(action="trading.expertdraw.prepare")
    assert r.commitment in entry.summary and r.seed not in entry.summary


def test_reveal_draws_main_and_substitutes_invites_the_main_and_verifies(town, lot):
    experts(8)
    d = prepare(town.staff, lot)
    d = expert_draws.do_reveal(town.staff, d.pk, d.row_version)
    rows = list(d.invitations.order_by("rank"))
    assert [i.role for i in rows] == ["main"] * 3 + ["substitute"] * 2
    assert [i.status for i in rows] == ["invited"] * 3 + ["waiting"] * 2
    assert all(len(i.reply_code) == 6 and i.reply_due == clock.now() + timedelta(minutes=30) for i in rows[:3])
    sms = Message.objects.filter(channel="sms", object_type="trading.invitation")
    assert sms.count() == 3 and lot.name not in sms.first().body and "评标日期2026-04-27" in sms.first().body
    assert expert_draws.verify(d.pk)["ok"] is True
    assert AuditEntry.objects.filter(action="trading.expertdraw.reveal").exists()


def test_a_tampered_pick_fails_verification(town, lot):
    experts(8)
    d = prepare(town.staff, lot)
    expert_draws.do_reveal(town.staff, d.pk, None)
    outsider = ExpertFactory()
    Invitation.objects.filter(draw=d, rank=1).update(expert=outsider)
    result = expert_draws.verify(d.pk)
    assert result["ok"] is False and "重新计算" in result["rounds"][0]["problems"][0]


def test_avoidance_keeps_out_bidders_tenderer_relations_sanctioned_busy_and_district(town, lot):
    ok = experts(3)
    bidder = BidFactory(lot=lot)
    BidFactory(lot=lot, status=rules.BID_WITHDRAWN, bidder_uscc="91610802MA70000001")  # withdrawn: no avoidance
    same_employer = ExpertFactory(employer_uscc=bidder.bidder_uscc)
    tenderer_staff = ExpertFactory(employer_uscc=town.tenderer.uscc)
    agency_staff = ExpertFactory(employer_uscc=town.agency.uscc)
    worked = ExpertFactory()
    ExpertRelation.objects.create(expert=worked, kind=rx.EMPLOYMENT, uscc=bidder.bidder_uscc, name="x",
                                  ended_on=date(2024, 1, 1), created_at=clock.now())
    long_ago = ExpertFactory()
    ExpertRelation.objects.create(expert=long_ago, kind=rx.EMPLOYMENT, uscc=bidder.bidder_uscc, name="x",
                                  ended_on=date(2023, 4, 19), created_at=clock.now())  # more than 3 years
    declared = ExpertFactory()
    ExpertRelation.objects.create(expert=declared, kind=rx.CONFLICT, uscc=town.tenderer.uscc, name="x",
                                  created_at=clock.now())
    suspended = ExpertFactory(suspended_until=date(2026, 4, 20))
    free_again = ExpertFactory(suspended_until=date(2026, 4, 19))
    removed, paused = ExpertFactory(status=rx.REMOVED), ExpertFactory(status=rx.PAUSED)
    flagged = ExpertFactory(verification=rx.FLAGGED)
    local = ExpertFactory(region="610802")
    other_spec = ExpertFactory(specialties=["B02"])
    busy = ExpertFactory()
    other = prepare(town.staff, LotFactory(status=rules.ANNOUNCED), reqs=(("A0801", 1, 0),))
    Invitation.objects.create(draw=other, round=other.rounds.get(), expert=busy, specialty="A0801", rank=1,
                              role="main", status=rx.CONFIRMED)
    d = prepare(town.staff, lot, reqs=(("A08", 3, 2),), avoid_district=True)
    pool = set(rx.pool_ids(d.rounds.get().pools[0]["ids"]))
    assert pool == {e.pk for e in ok} | {long_ago.pk, free_again.pk}
    excluded = {same_employer, tenderer_staff, agency_staff, worked, declared, suspended, removed, paused, flagged,
                local, other_spec, busy}
    assert not pool & {e.pk for e in excluded}


def test_an_expert_of_two_specialties_is_drawn_once(town, lot):
    both = experts(4, specialty="A0801")
    for e in both:
        e.specialties.add(*__import__("yingshang.trading.models", fromlist=["Specialty"]).Specialty.objects.filter(
            code="B02"))
    d = prepare(town.staff, lot, reqs=(("A0801", 2, 0), ("B02", 2, 0)))
    expert_draws.do_reveal(town.staff, d.pk, None)
    assert Invitation.objects.filter(draw=d).values("expert").distinct().count() == 4
    assert expert_draws.verify(d.pk)["ok"]


def test_refusals(town, lot):
    experts(2)
    with pytest.raises(Conflict) as small:
        prepare(town.staff, lot)
    assert small.value.code == "trading.pool_too_small"
    with pytest.raises(InvalidInput) as bad:
        prepare(town.staff, lot, reqs=(("Z99", 1, 0),))
    assert bad.value.code == "trading.specialty_invalid"
    with pytest.raises(InvalidInput) as bad:
        prepare(town.staff, lot, reqs=(("A0801", 0, 0),))
    assert bad.value.code == "trading.count_out_of_range"
    with pytest.raises(Forbidden):
        prepare(town.other_tenderer, lot, reqs=(("A0801", 1, 0),))
    with pytest.raises(Forbidden):
        prepare(town.citizen, lot, reqs=(("A0801", 1, 0),))
    draft = LotFactory(project=lot.project)
    with pytest.raises(Conflict) as state:
        prepare(town.staff, draft, reqs=(("A0801", 1, 0),))
    assert state.value.code == "trading.draw_not_allowed"
    prepare(town.agency, lot, reqs=(("A0801", 1, 0),))  # the lot's agency may run it
    with pytest.raises(Conflict) as twice:
        prepare(town.staff, lot, reqs=(("A0801", 1, 0),))
    assert twice.value.code == "trading.draw_exists"


def _drawn(town, lot, n=5, reqs=(("A0801", 3, 1),)):
    pool = experts(n, with_account=True)
    d = prepare(town.staff, lot, reqs=reqs)
    return expert_draws.do_reveal(town.staff, d.pk, None), pool


def test_confirm_makes_a_committee_member_and_decline_calls_the_substitute(town, lot):
    d, _ = _drawn(town, lot)
    first, second = d.invitations.filter(status=rx.INVITED).select_related("expert__user")[:2]
    invitations.do_reply(first.expert.user, first.pk, first.row_version, True)
    member = CommitteeMember.objects.get(lot=lot, expert=first.expert)
    assert member.role == "expert" and member.user == first.expert.user and member.confirmed_at
    invitations.do_reply(second.expert.user, second.pk, None, False, "出差")
    substitute = d.invitations.get(role="substitute")
    assert substitute.status == rx.INVITED and substitute.reply_code
    with pytest.raises(Conflict) as again:
        invitations.do_reply(first.expert.user, first.pk, None, False)
    assert again.value.code == "trading.invitation_closed"
    with pytest.raises(Exception) as other:
        invitations.do_reply(first.expert.user, substitute.pk, None, True)
    assert other.value.code == "trading.invitation_not_found"


def test_reply_by_code_and_timeout_sweep_then_redraw(town, lot, monkeypatch):
    d, _ = _drawn(town, lot, n=6, reqs=(("A0801", 3, 1),))
    one, two, three = d.invitations.filter(status=rx.INVITED).order_by("rank")
    invitations.do_reply_by_code(town.staff, d.pk, one.reply_code, True)
    invitations.do_reply_by_code(town.staff, d.pk, two.reply_code, False)  # the substitute is called
    with pytest.raises(Conflict) as redraw_early:
        expert_draws.do_redraw(town.staff, d.pk, None)
    assert redraw_early.value.code == "trading.redraw_not_needed"
    later = clock.now() + timedelta(minutes=31)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert invitations.do_sweep() == 2  # three and the substitute: no one left to call
    assert vacancies_of(d) == {"A0801": 2}
    d = expert_draws.do_redraw(town.staff, d.pk, None)
    r2 = d.rounds.get(seq=2)
    drawn_before = set(d.invitations.values_list("expert", flat=True))
    assert r2.pools[0]["count"] == 2 and not set(rx.pool_ids(r2.pools[0]["ids"])) & drawn_before
    d = expert_draws.do_reveal(town.staff, d.pk, None)
    assert d.invitations.filter(round=r2, status=rx.INVITED).count() == 2
    assert expert_draws.verify(d.pk)["ok"] and len(expert_draws.verify(d.pk)["rounds"]) == 2


def vacancies_of(d):
    return expert_draws.vacancies(d)


def test_complete_needs_every_place_and_a_lawful_committee(town, lot):
    d, _ = _drawn(town, lot, n=6, reqs=(("A0801", 4, 0),))
    with pytest.raises(Conflict) as early:
        expert_draws.do_complete(town.staff, d.pk, None)
    assert early.value.code == "trading.committee_incomplete"
    for i in d.invitations.filter(status=rx.INVITED).select_related("expert__user"):
        invitations.do_reply(i.expert.user, i.pk, None, True)
    with pytest.raises(Conflict) as small:
        expert_draws.do_complete(town.staff, d.pk, None)
    assert small.value.code == "trading.committee_too_small"
    with pytest.raises(Forbidden):
        invitations.do_add_representative(town.other_tenderer, d.pk, "李四")
    invitations.do_add_representative(town.tenderer, d.pk, "张三")
    d = expert_draws.do_complete(town.staff, d.pk, None)
    assert d.status == rx.DRAW_COMPLETED
    assert CommitteeMember.objects.filter(lot=lot).count() == 5


def test_names_are_sealed_until_evaluation_starts(town, lot):
    d, _ = _drawn(town, lot)
    invited = d.invitations.filter(status=rx.INVITED).select_related("expert__user").first()
    invitations.do_reply(invited.expert.user, invited.pk, None, True)
    officer = invitations.draw_view(town.staff, lot)
    assert officer.names_visible and len(officer.invitations) == 4
    for outsider in (town.tenderer, town.agency, town.reviewer_zj):
        view = invitations.draw_view(outsider, lot)
        assert not view.names_visible and view.invitations == [] and view.counts[rx.INVITED] == 2
        assert all(m.role == rules.TENDERER_REP for m in view.committee)
    assert [i.pk for i in invitations.my_invitations(invited.expert.user)] == [invited.pk]
    stranger = UserFactory(role_codes=["expert"])
    assert list(invitations.my_invitations(stranger)) == []
    lot.status = rules.EVALUATING
    lot.save()
    assert invitations.draw_view(town.tenderer, lot).names_visible


def test_overlapping_requests_and_two_specialties_of_one_subtree_count_once(town, lot):
    from yingshang.trading.models import Specialty

    both = ExpertFactory(specialties=["B0201", "B0202"])  # two specialties under B02
    only = ExpertFactory(specialties=["B02"])
    d = prepare(town.staff, lot, reqs=(("B02", 1, 0),))
    assert rx.pool_ids(d.rounds.get().pools[0]["ids"]) == [both.pk, only.pk]
    lot2 = LotFactory(project=lot.project, status=rules.ANNOUNCED)
    with pytest.raises(InvalidInput) as nested:
        prepare(town.staff, lot2, reqs=(("B", 1, 0), ("B0201", 1, 0)))
    assert nested.value.code == "trading.specialty_overlap" and "B0201" in nested.value.message
    assert Specialty.objects.filter(code__startswith="B02").count() == 3

"""On PostgreSQL: two draws for one lot have one winner; two declines racing for one substitute call it once.
And the `yingshang trading draw` command (verify, sweep)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.factories import LotFactory, TenderProjectFactory
from tests.helpers import race
from tests.trading.factories_experts import ExpertFactory
from yingshang.kernel import clock
from yingshang.trading import rules
from yingshang.trading import rules_experts as rx
from yingshang.trading.models import ExpertDraw, Invitation
from yingshang.trading.services import expert_draws, invitations
from yingshang.trading.services.experts import ensure_specialties

DATA = {"requirements": [{"specialty": "A0801", "count": 2, "substitutes": 1}], "evaluation_on": "2026-04-27"}


@pytest.fixture
def lot(town):
    ensure_specialties()  # a transactional test flushes the seeded rows
    return LotFactory(project=TenderProjectFactory(tenderer_uscc=town.tenderer.uscc, regulator=town.zj),
                      status=rules.ANNOUNCED)


@pytest.mark.django_db(transaction=True)
def test_two_draws_for_one_lot_have_one_winner(on_postgres, town, lot):
    ExpertFactory.create_batch(5)
    results = race([lambda: expert_draws.do_prepare(town.staff, lot.pk, DATA),
                    lambda: expert_draws.do_prepare(town.staff, lot.pk, DATA)])
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and errors[0].code == "trading.draw_exists", results
    assert ExpertDraw.objects.filter(lot=lot).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_declines_racing_for_one_substitute_call_it_once(on_postgres, town, lot):
    ExpertFactory.create_batch(3, with_account=True)
    with transaction.atomic():
        d = expert_draws.do_prepare(town.staff, lot.pk, DATA)
        expert_draws.do_reveal(town.staff, d.pk, None)
    a, b = Invitation.objects.filter(draw=d, status=rx.INVITED).select_related("expert__user")
    results = race([lambda: invitations.do_reply(a.expert.user, a.pk, None, False),
                    lambda: invitations.do_reply(b.expert.user, b.pk, None, False)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Invitation.objects.filter(draw=d, status=rx.INVITED).count() == 1
    assert Invitation.objects.filter(draw=d, status=rx.DECLINED).count() == 2


@pytest.mark.django_db
def test_the_command_verifies_and_sweeps(town, lot, monkeypatch):
    ExpertFactory.create_batch(4)
    d = expert_draws.do_prepare(town.staff, lot.pk, DATA)
    expert_draws.do_reveal(town.staff, d.pk, None)
    out = StringIO()
    call_command("trading", "draw", "verify", str(d.pk), stdout=out)
    assert "验证通过" in out.getvalue()
    Invitation.objects.filter(draw=d, rank=1).update(rank=9)
    with pytest.raises(SystemExit) as failed:
        call_command("trading", "draw", "verify", str(d.pk), stdout=StringIO())
    assert failed.value.code == 1
    with pytest.raises(SystemExit) as missing:
        call_command("trading", "draw", "verify", "999999", stdout=StringIO(), stderr=StringIO())
    assert missing.value.code == 2
    later = clock.now() + timedelta(minutes=31)
    monkeypatch.setattr(clock, "now", lambda: later)
    out = StringIO()
    call_command("trading", "draw", "sweep", "--json", stdout=out)
    assert '"timed_out": 2' in out.getvalue()
    assert Invitation.objects.filter(draw=d, status=rx.INVITED, role=rx.SUBSTITUTE).count() == 1


@pytest.mark.django_db
def test_the_demo_gives_the_expert_a_pending_invitation_and_a_completed_draw(town):
    from tests.factories import UserFactory
    from yingshang.kernel.demo import DemoReport
    from yingshang.trading import demo_experts
    from yingshang.trading.models import Expert, ExpertSanction

    account = UserFactory(username="expert", role_codes=["expert"], real_name="周强")
    demo_experts.seed_experts(DemoReport())
    demo_experts.seed_experts(DemoReport())  # idempotent
    assert Expert.objects.count() == demo_experts.N_EXPERTS + 1
    assert ExpertSanction.objects.count() == 13
    mine = Invitation.objects.get(expert__user=account, status=rx.INVITED)
    assert mine.reply_due > clock.now() + timedelta(hours=23)
    assert ExpertDraw.objects.filter(status=rx.DRAW_COMPLETED).count() == 1
    assert all(expert_draws.verify(d.pk)["ok"] for d in ExpertDraw.objects.all())

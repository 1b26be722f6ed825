"""On PostgreSQL, real parallel transactions where two users collide on one award file: two decisions,
an objection against the decision, two certificates, two regulators on one complaint."""

import pytest
from django.db import transaction

from tests.helpers import race
from tests.trading.factories_award import evaluated_lot, members, publish
from tests.trading.test_award_services import travel  # noqa: F401  (fixture)
from yingshang.kernel import clock
from yingshang.kernel.services.audit import verify
from yingshang.trading.models import AwardDecision, Certificate, Lot, ResultObjection
from yingshang.trading.services import award, complaints, contracts, publicity

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_decisions_from_one_version_have_one_winner(on_postgres, town, travel):  # noqa: F811
    lot, _, _ = evaluated_lot(town)
    publish(town, lot)
    travel(4)
    version = Lot.objects.get(pk=lot.pk).row_version
    results = race([lambda: award.do_award(town.tenderer, lot.pk, version, members=members(), reasons="一"),
                    lambda: award.do_award(town.tenderer, lot.pk, version, members=members(), reasons="二")])
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and errors[0].code == "trading.conflict", results
    assert AwardDecision.objects.count() == 1 and verify().ok


def test_an_objection_racing_the_decision_never_lets_both_through(on_postgres, town, travel):  # noqa: F811
    lot, _, others = evaluated_lot(town, report_days_ago=0)
    publish(town, lot, ends_in=3)
    travel(3)  # the last day of publicity: objections still allowed, the award not yet
    results = race([lambda: publicity.do_object(others[0].bidder, lot.pk, content="异议"),
                    lambda: award.do_award(town.tenderer, lot.pk, None, members=members(), reasons="x")])
    assert isinstance(results[1], Exception) and results[1].code == "trading.publicity_not_ended"
    travel(1)
    with transaction.atomic():
        pending = ResultObjection.objects.get()
    results = race([lambda: publicity.do_answer(town.tenderer, pending.pk, pending.row_version, answer="已核实"),
                    lambda: award.do_award(town.tenderer, lot.pk, None, members=members(), reasons="x")])
    lot.refresh_from_db()
    if isinstance(results[1], Exception):  # the award locked first and saw the objection pending
        assert results[1].code == "trading.objection_pending" and lot.status == "publicity"
    else:  # the answer committed first
        assert lot.status == "awarded"
    assert not lot.suspended and verify().ok


def test_two_certificates_at_once_make_one(on_postgres, town, travel):  # noqa: F811
    lot, _, _ = evaluated_lot(town)
    publish(town, lot)
    travel(4)
    with transaction.atomic():
        award.do_award(town.tenderer, lot.pk, None, members=members(), reasons="x")
    results = race([lambda: contracts.do_issue_certificate(town.staff, lot.pk),
                    lambda: contracts.do_issue_certificate(town.staff, lot.pk)])
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and errors[0].code == "trading.certificate_exists"
    assert Certificate.objects.count() == 1


def test_two_regulators_on_one_complaint(on_postgres, town):
    lot, _, others = evaluated_lot(town)
    publish(town, lot)
    with transaction.atomic():
        c = complaints.do_file(others[0].bidder, lot.pk, {"matter": "other", "known_on": str(clock.today()),
                                                          "facts": "x", "grounds": "y", "request": "z"})
    results = race([lambda: complaints.do_accept(town.reviewer_zj, c.pk, 1, suspend=True),
                    lambda: complaints.do_reject(town.reviewer_zj, c.pk, 1, reason="不属于受理范围")])
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and errors[0].code == "trading.conflict"
    c.refresh_from_db()
    lot.refresh_from_db()
    assert lot.suspended == (c.status == "accepted") and verify().ok

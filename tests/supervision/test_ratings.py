"""Rating rules: once per case, only its applicant, only when concluded; a bad rating opens a
rectification due in working days of the kernel calendar; rating without an account by case number
and ID last four."""

from datetime import date

import pytest
from django.db import transaction

from tests.supervision.conftest import make_case
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from yingshang.kernel.models import AuditEntry, Message
from yingshang.supervision.models import Rating, Rectification, SupervisionPolicy
from yingshang.supervision.services import ratings

pytestmark = pytest.mark.django_db


def rate(user, case, score, comment=""):
    with transaction.atomic():
        return ratings.do_rate(user, case.case_no, score, comment)


@pytest.mark.parametrize("status", ["concluded", "issued", "approved", "denied"])
def test_the_applicant_rates_a_concluded_case(city, status):
    case = make_case(city.food, status=status, decided_on=date(2026, 3, 5), applicant=city.citizen)
    rating = rate(city.citizen, case, 5, "一次办好")
    assert (rating.score, rating.comment, rating.channel) == (5, "一次办好", "online")
    assert rating.department == city.scjg and rating.item == city.food.item and rating.rated_by == city.citizen
    assert not Rectification.objects.exists()
    entry = AuditEntry.objects.get(action="supervision.rating.create")
    assert '"score":5' in entry.summary and "一次办好" not in entry.summary  # free text stays out of the trail


@pytest.mark.parametrize("status", ["submitted", "accepted", "in_review", "accepted_pending", "refused", "withdrawn",
                                    "stopped", "correction_requested"])
def test_a_case_that_is_not_concluded_cannot_be_rated(city, status):
    case = make_case(city.food, status=status, applicant=city.citizen)
    with pytest.raises(Conflict) as exc:
        rate(city.citizen, case, 4)
    assert exc.value.code == "supervision.not_concluded"
    assert not Rating.objects.exists()


def test_a_case_is_rated_once(city):
    case = make_case(city.food, decided_on=date(2026, 3, 5), applicant=city.citizen)
    rate(city.citizen, case, 4)
    with pytest.raises(Conflict) as exc:
        rate(city.citizen, case, 1)
    assert exc.value.code == "supervision.already_rated"
    assert Rating.objects.get().score == 4


def test_only_the_applicant_may_rate(city):
    case = make_case(city.food, decided_on=date(2026, 3, 5), applicant=city.citizen)
    with pytest.raises(Forbidden) as exc:
        rate(city.other_citizen, case, 1)
    assert exc.value.code == "supervision.not_applicant"
    window_case = make_case(city.food, decided_on=date(2026, 3, 5))  # no account: not rated from any account
    with pytest.raises(Forbidden):
        rate(city.citizen, window_case, 5)
    for staff in (city.supervisor, city.reviewer_scjg, city.clerk):
        with pytest.raises(Forbidden) as exc:
            rate(staff, case, 5)
        assert exc.value.code == "supervision.forbidden"
    assert not Rating.objects.exists()


def test_unknown_case_number(city):
    with pytest.raises(NotFound):
        ratings.do_rate(city.citizen, "SL2099999999", 5)


@pytest.mark.parametrize("score", [0, 6, -1, "five", None, 4.5, True])
def test_score_must_be_one_of_the_five_grades(city, score):
    case = make_case(city.food, decided_on=date(2026, 3, 5), applicant=city.citizen)
    with pytest.raises(InvalidInput) as exc:
        rate(city.citizen, case, score)
    assert exc.value.code == "supervision.invalid_score"


def test_comment_is_limited(city):
    case = make_case(city.food, decided_on=date(2026, 3, 5), applicant=city.citizen)
    with pytest.raises(InvalidInput) as exc:
        rate(city.citizen, case, 3, "长" * 501)
    assert exc.value.code == "supervision.text_too_long"


@pytest.mark.parametrize("score", [1, 2])
def test_a_bad_rating_opens_a_rectification_due_in_five_working_days(city, official_calendar, set_today, score,
                                                                        sync_commit):
    # Rated on Tuesday 2026-09-29: 9-30 is day 1, 10-01..10-07 are the National Day holidays, 10-08 day 2,
    # 10-09 day 3, Saturday 10-10 is an adjusted working day (4), Monday 10-12 day 5.
    set_today(date(2026, 9, 29))
    case = make_case(city.food, decided_on=date(2026, 9, 28), applicant=city.citizen)
    rating = rate(city.citizen, case, score, "补正要求前后不一致")
    rect = Rectification.objects.get()
    assert rect.rating == rating and rect.department == city.scjg and rect.status == "open"
    assert (rect.opened_on, rect.due_on, rect.due_provisional) == (date(2026, 9, 29), date(2026, 10, 12), False)
    assert rect.entries.count() == 1
    told = set(Message.objects.filter(channel="site", subject__startswith="差评整改").values_list("recipient__username",
                                                                                             flat=True))
    assert told == {"head_scjg", "rev_scjg"}  # the department's staff, not other departments'


def test_a_neutral_rating_opens_no_rectification(city):
    case = make_case(city.food, decided_on=date(2026, 3, 5), applicant=city.citizen)
    rate(city.citizen, case, 3)
    assert not Rectification.objects.exists()


def test_the_city_sets_the_rectification_days(city, official_calendar, set_today):
    SupervisionPolicy.objects.create(valid_from=date(2026, 1, 1), rectification_days=15, source="测试文件")
    SupervisionPolicy.objects.create(valid_from=date(2026, 12, 1), rectification_days=3, source="以后的文件")
    set_today(date(2026, 3, 2))  # Monday; 15 working days later is Monday 2026-03-23
    case = make_case(city.food, decided_on=date(2026, 3, 2), applicant=city.citizen)
    rate(city.citizen, case, 1)
    assert Rectification.objects.get().due_on == date(2026, 3, 23)


def test_window_applicant_rates_with_case_number_and_id_last_four(city):
    case = make_case(city.food, decided_on=date(2026, 3, 5), last4="123X")
    with pytest.raises(NotFound) as exc:
        ratings.do_rate_by_lookup(case.case_no, "1234", 5)
    assert exc.value.code == "supervision.lookup_failed"
    with transaction.atomic():
        rating = ratings.do_rate_by_lookup(case.case_no.lower(), "123x", 2, "等待太久")
    assert rating.channel == "lookup" and rating.rated_by is None
    assert Rectification.objects.filter(rating=rating).exists()
    with pytest.raises(Conflict):
        ratings.do_rate_by_lookup(case.case_no, "123X", 5)


def test_a_case_with_an_account_is_rated_from_the_account(city):
    case = make_case(city.food, decided_on=date(2026, 3, 5), applicant=city.citizen, last4="5678")
    with pytest.raises(Forbidden) as exc:
        ratings.do_rate_by_lookup(case.case_no, "5678", 5)
    assert exc.value.code == "supervision.sign_in_to_rate"


@pytest.mark.parametrize(("number", "last4"), [("", "123X"), ("SL1", ""), (None, None), (123, "123X")])
def test_lookup_with_bad_input_is_refused(city, number, last4):
    with pytest.raises((NotFound, InvalidInput)):
        ratings.do_rate_by_lookup(number, last4, 5)

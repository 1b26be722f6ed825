"""Rectification: the department answers within its scope, a supervisor closes or returns, stale and
disallowed actions are refused, the sweep marks overdue ones and tells the people concerned."""

from datetime import date

import pytest
from django.db import transaction

from tests.supervision.conftest import make_case
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from yingshang.kernel.models import AuditEntry, Message
from yingshang.supervision.models import Rectification
from yingshang.supervision.services import ratings, rectifications

pytestmark = pytest.mark.django_db


@pytest.fixture
def rect(city, official_calendar, set_today):
    set_today(date(2026, 3, 2))  # Monday: due Monday 2026-03-09
    case = make_case(city.food, decided_on=date(2026, 2, 27), applicant=city.citizen)
    with transaction.atomic():
        ratings.do_rate(city.citizen, case.case_no, 1, "超过承诺时限")
    return Rectification.objects.get()


def respond(user, rect, version=None, response="已回访核实", measures="加强时限提醒"):
    with transaction.atomic():
        return rectifications.do_respond(user, rect.pk, version or rect.row_version, response=response,
                                         measures=measures)


def test_the_department_answers_and_a_supervisor_closes(city, rect, set_today, sync_commit):
    assert rect.due_on == date(2026, 3, 9)
    set_today(date(2026, 3, 9))
    answered = respond(city.reviewer_scjg, rect)
    assert (answered.status, answered.late, answered.responded_by) == ("responded", False, city.reviewer_scjg)
    with transaction.atomic():
        closed = rectifications.do_close(city.supervisor, rect.pk, answered.row_version, note="同意")
    assert closed.status == "closed" and closed.closed_at is not None and closed.reviewed_by == city.supervisor
    assert [e.kind for e in closed.entries.order_by("id")] == ["open", "respond", "close"]
    actions = list(AuditEntry.objects.filter(action__startswith="supervision.rectification").values_list("action",
                                                                                                        flat=True))
    assert actions == ["supervision.rectification.open", "supervision.rectification.respond",
                       "supervision.rectification.close"]
    # The applicant hears how the rating was handled.
    assert Message.objects.filter(recipient=city.citizen, subject__startswith="您的评价已处理").exists()


def test_an_answer_after_the_due_day_is_late(city, rect, set_today):
    set_today(date(2026, 3, 10))
    assert respond(city.head_scjg, rect).late is True


def test_only_the_department_in_scope_answers(city, rect):
    for user in (city.reviewer_wj, city.supervisor, city.citizen, city.clerk):
        with pytest.raises(Forbidden):
            respond(user, rect)
    assert Rectification.objects.get().status == "open"


def test_a_department_head_answers_for_the_units_below(city, official_calendar, set_today):
    set_today(date(2026, 3, 2))
    case = make_case(city.branch_item, decided_on=date(2026, 2, 27), applicant=city.citizen)
    with transaction.atomic():
        ratings.do_rate(city.citizen, case.case_no, 2)
    rect = Rectification.objects.get()
    with pytest.raises(Forbidden):
        respond(city.reviewer_scjg, rect)  # a reviewer's scope is their own department only
    assert respond(city.head_scjg, rect).status == "responded"


def test_answer_needs_both_texts(city, rect):
    with pytest.raises(InvalidInput) as exc:
        respond(city.reviewer_scjg, rect, response="  ")
    assert exc.value.code == "supervision.response_required"


def test_a_stale_version_is_refused(city, rect):
    respond(city.reviewer_scjg, rect)
    with pytest.raises(Conflict) as exc:
        respond(city.head_scjg, rect, version=1)
    assert exc.value.code == "supervision.conflict"


def test_actions_the_state_does_not_allow_are_refused(city, rect):
    with pytest.raises(Conflict) as exc, transaction.atomic():
        rectifications.do_close(city.supervisor, rect.pk, None)
    assert exc.value.code == "supervision.transition_not_allowed"
    answered = respond(city.reviewer_scjg, rect)
    with pytest.raises(Conflict):
        respond(city.reviewer_scjg, answered)
    with pytest.raises(Forbidden), transaction.atomic():  # closing is the supervisor's
        rectifications.do_close(city.head_scjg, rect.pk, None)


def test_a_return_needs_a_reason_and_gives_a_new_due_day(city, rect, set_today, sync_commit):
    answered = respond(city.reviewer_scjg, rect)
    with pytest.raises(InvalidInput), transaction.atomic():
        rectifications.do_return(city.supervisor, rect.pk, answered.row_version, note="")
    set_today(date(2026, 3, 12))  # Thursday: 5 working days later is Thursday 2026-03-19
    with transaction.atomic():
        returned = rectifications.do_return(city.supervisor, rect.pk, answered.row_version, note="措施不具体")
    assert (returned.status, returned.due_on, returned.returns) == ("open", date(2026, 3, 19), 1)
    assert Message.objects.filter(recipient=city.reviewer_scjg, subject__startswith="差评整改被退回").exists()


def test_unknown_rectification(city):
    with pytest.raises(NotFound), transaction.atomic():
        rectifications.do_respond(city.reviewer_scjg, 987654, None, response="x", measures="y")


def test_the_sweep_marks_overdue_and_tells_department_and_supervisors(city, rect, sync_commit):
    assert rectifications.mark_overdue(date(2026, 3, 9)) == 0  # the due day itself is not overdue
    assert rectifications.mark_overdue(date(2026, 3, 10)) == 1
    overdue = Rectification.objects.get()
    assert (overdue.status, overdue.late) == ("overdue", True)
    assert rectifications.mark_overdue(date(2026, 3, 11)) == 0  # once
    assert Message.objects.filter(recipient=city.reviewer_scjg, subject="差评整改逾期").exists()
    assert Message.objects.filter(recipient=city.supervisor, subject="差评整改逾期汇总").exists()
    # A late answer is still an answer, and stays late.
    answered = respond(city.reviewer_scjg, overdue)
    assert (answered.status, answered.late) == ("responded", True)

"""Case list, search and the department inbox: keyset pages, filters, scoping, constant query counts."""

from datetime import date

import pytest
from django.db import transaction

from tests.cases.conftest import accepted_case, company, person, window_case
from tests.helpers import assert_max_queries
from yingshang.cases import queries
from yingshang.cases.models import Case
from yingshang.cases.services import review
from yingshang.kernel.errors import InvalidInput

pytestmark = pytest.mark.usefixtures("official_calendar")


def _all_pages(fetch, limit):
    out, cursor = [], None
    while True:
        rows, cursor = fetch(cursor, limit)
        out += rows
        if not cursor:
            return out


def test_case_list_pages_cover_every_case_once_newest_first(city, food):
    cases = [window_case(city, food) for _ in range(7)]
    rows = _all_pages(lambda c, n: queries.page(queries.case_list(city.clerk, queries.CaseFilters()), c, n), 3)
    assert [r.pk for r in rows] == sorted((c.pk for c in cases), reverse=True)


def test_list_query_count_does_not_grow_with_the_page(city, food):
    for _ in range(12):
        window_case(city, food)
    filters = queries.CaseFilters()
    queries.page(queries.case_list(city.reviewer_scjg, filters), None, 1)  # the user's roles are read once
    with assert_max_queries(1) as small:
        queries.page(queries.case_list(city.reviewer_scjg, filters), None, 2)
    with assert_max_queries(1) as large:
        queries.page(queries.case_list(city.reviewer_scjg, filters), None, 10)
    assert len(small.captured_queries) == len(large.captured_queries)


def test_inbox_query_count_does_not_grow_with_the_page(city, food):
    for _ in range(12):
        accepted_case(city, food)
    queries.inbox_page(queries.inbox(city.reviewer_scjg), None, 1)  # the user's roles are read once
    with assert_max_queries(1) as small:
        queries.inbox_page(queries.inbox(city.reviewer_scjg), None, 2)
    with assert_max_queries(1) as large:
        queries.inbox_page(queries.inbox(city.reviewer_scjg), None, 10)
    assert len(small.captured_queries) == len(large.captured_queries)


def test_inbox_is_most_urgent_first_and_pages_by_keyset(city, food, joint, set_today):
    set_today(date(2025, 9, 26))
    late = accepted_case(city, joint)  # 10 working days: Oct 16
    soon = [accepted_case(city, food) for _ in range(3)]  # 5 working days: Oct 10
    rows = _all_pages(lambda c, n: queries.inbox_page(queries.inbox(city.reviewer_scjg), c, n), 2)
    deadlines = [r.case.deadline for r in rows]
    assert deadlines == sorted(deadlines) and deadlines[0] == date(2025, 10, 10) and deadlines[-1] > deadlines[0]
    assert {r.case_id for r in rows} == {late.pk, *(c.pk for c in soon)}


def test_inbox_shows_only_the_users_departments(city, joint):
    case = accepted_case(city, joint)
    mine = list(queries.inbox(city.reviewer_wj))
    assert [s.name for s in mine] == ["卫生许可审查"] and mine[0].case_id == case.pk
    step = mine[0]
    with transaction.atomic():
        review.do_step_approve(city.reviewer_wj, step.pk, case.row_version)
    assert list(queries.inbox(city.reviewer_wj)) == []


def test_search_by_case_number_or_applicant_name_prefix(city, food):
    a = window_case(city, food, applicant=company("榆林市恒泰能源科技有限公司"))
    b = window_case(city, food, applicant=person("张伟"))
    window_case(city, food, applicant=company("神木市兴隆煤业有限公司"))

    def search(q):
        return [c.pk for c in queries.case_list(city.clerk, queries.CaseFilters(q=q))]

    assert search(a.case_no) == [a.pk]
    assert search(a.case_no.lower()) == [a.pk]
    assert set(search(a.case_no[:8])) >= {a.pk, b.pk}
    assert search("榆林市恒泰") == [a.pk]
    assert search("张") == [b.pk]
    assert search("恒泰%") == [] and search("*") == [] and search("[") == []  # no wildcards leak through


def test_filters_by_status_warning_department_item_and_dates(city, food, joint, set_today):
    set_today(date(2025, 9, 26))
    accepted = accepted_case(city, food)
    submitted = window_case(city, joint)

    def ids(**kw):
        return {c.pk for c in queries.case_list(city.supervisor, queries.CaseFilters(**kw))}

    assert ids(status="accepted") == {accepted.pk}
    assert ids(item=joint.item.code.lower()) == {submitted.pk}
    assert ids(department="610800-SCJG") == {accepted.pk, submitted.pk}
    assert ids(warning="none") == {accepted.pk, submitted.pk}
    assert ids(received_from=date(2025, 9, 27)) == set()
    assert ids(received_from=date(2025, 9, 26), received_to=date(2025, 9, 26)) == {accepted.pk, submitted.pk}
    with pytest.raises(InvalidInput):
        queries.case_list(city.supervisor, queries.CaseFilters(status="nonsense"))


def test_a_reviewer_sees_cases_of_the_department_or_its_steps(city, food, joint, commit_item):
    own = window_case(city, food)
    involved = accepted_case(city, joint)
    other = window_case(city, commit_item)  # owned by health only
    visible = {c.pk for c in queries.case_list(city.reviewer_sw, queries.CaseFilters())}
    assert visible == {involved.pk}
    assert {c.pk for c in queries.case_list(city.reviewer_scjg, queries.CaseFilters())} == {own.pk, involved.pk}
    assert other.pk in {c.pk for c in queries.case_list(city.clerk, queries.CaseFilters())}  # city scope


@pytest.mark.parametrize("cursor", ["", "!!!", "W10", "WyJ4Il0", "x" * 300, "WzEsMl0"])
def test_a_bad_cursor_is_a_clear_422(city, cursor):
    if not cursor:
        return
    with pytest.raises(InvalidInput) as caught:
        queries.page(Case.objects.all(), cursor, 5)
    assert caught.value.code == "case.bad_cursor" and caught.value.status == 422


def test_a_date_range_alone_pages_by_received_date_then_number(city, food, set_today):
    made = []
    for day in (date(2025, 9, 22), date(2025, 9, 24), date(2025, 9, 23), date(2025, 9, 24), date(2025, 9, 25)):
        set_today(day)
        made.append(window_case(city, food))
    filters = queries.CaseFilters(received_from=date(2025, 9, 23), received_to=date(2025, 9, 24))
    rows = _all_pages(lambda c, n: queries.page(queries.case_list(city.clerk, filters), c, n), 2)
    assert [r.pk for r in rows] == [made[3].pk, made[1].pk, made[2].pk]

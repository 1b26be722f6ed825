"""Notices are queued by the action and issued right after it commits; one left behind is re-issued."""

from datetime import timedelta

import pytest
from django.db import transaction

from tests.cases.conftest import pdf_text, window_case
from yingshang.cases.models import Case, NoticeRequest
from yingshang.cases.services import acceptance, notices

pytestmark = pytest.mark.usefixtures("official_calendar")


def test_a_notice_is_issued_after_the_action_commits_and_linked_to_its_event(city, food, files):
    case = window_case(city, food)
    with transaction.atomic():
        acceptance.do_accept(city.clerk, case.pk, case.row_version)
    request = NoticeRequest.objects.get(case=case)
    assert request.document is not None and request.number == f"{case.case_no}-SL"
    event = Case.objects.get(pk=case.pk).events.get(kind="accept")
    assert event.document == request.document
    text = pdf_text(request.document)
    assert case.case_no in text and "受理通知书" in text and "/cases/progress/?no=" in text


def test_a_failed_notice_stays_queued_and_the_sweep_issues_it(city, food, files, monkeypatch):
    case = window_case(city, food)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(notices, "do_issue_document", broken)
        with transaction.atomic():
            acceptance.do_accept(city.clerk, case.pk, case.row_version)
    request = NoticeRequest.objects.get(case=case)
    assert request.document is None and request.attempts == 1 and "disk full" in request.last_error
    assert Case.objects.get(pk=case.pk).status == "accepted"  # the decision stands without its paper
    assert notices.issue_pending(older_than=timedelta(0)) == 1
    request.refresh_from_db()
    assert request.document is not None
    assert Case.objects.get(pk=case.pk).events.get(kind="accept").document == request.document


def test_repeated_notices_of_one_kind_are_numbered(city, food, files):
    case = window_case(city, food)
    first = food.materials.order_by("sort_order").first()
    with transaction.atomic():
        acceptance.do_request_correction(city.clerk, case.pk, case.row_version, items=[(first.pk, "缺少签字")])
    case.refresh_from_db()
    with transaction.atomic():
        acceptance.do_supplement(city.clerk, case.pk, case.row_version, material_ids=[first.pk])
    case.refresh_from_db()
    with transaction.atomic():
        acceptance.do_request_correction(city.clerk, case.pk, case.row_version, items=[(None, "印章不清晰")])
    numbers = list(NoticeRequest.objects.filter(case=case).order_by("id").values_list("number", flat=True))
    assert numbers == [f"{case.case_no}-BZ", f"{case.case_no}-BZ2"]

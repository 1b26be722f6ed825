"""Read-only queries of the applicant's pages and API: "My cases" and one own case.

"My cases" is keyset-paginated on id (newest first; the applicant FK index narrows to the account)
and brings each case's latest public timeline entry in the same query (two correlated subqueries
on the `(case, at)` index), so a page is one query whatever its size (tested).
"""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from yingshang.cases.models import Case, CaseEvent, PreReview, SubmittedMaterial
from yingshang.cases.queries import page
from yingshang.kernel.errors import NotFound


def _latest_public(column: str) -> Subquery:
    events = CaseEvent.objects.filter(case=OuterRef("pk"), internal=False).order_by("-at", "-id")
    return Subquery(events.values(column)[:1])


def my_cases(user) -> QuerySet:
    """The applicant's own cases and drafts, newest first, with the latest public event."""
    return (Case.objects.filter(applicant_id=user.pk).select_related("department", "item")
            .annotate(last_event_text=_latest_public("text"), last_event_at=_latest_public("at"))
            .order_by("-id"))


def my_cases_page(user, cursor: str | None, limit: int) -> tuple[list[Case], str | None]:
    return page(my_cases(user), cursor, limit)


def own_case(user, *, case_no: str | None = None, case_id: int | None = None) -> Case:
    """One of the applicant's cases with its materials (and files), public events, commitments and pre-reviews."""
    cases = Case.objects.filter(applicant_id=user.pk)
    if case_no is not None:
        number = (case_no or "").strip().upper()[:24]
        cases = cases.filter(case_no=number) if number else cases.none()
    elif case_id is not None and 0 < case_id < 2**62:
        cases = cases.filter(pk=case_id)
    else:
        cases = cases.none()
    case = (cases.select_related("department", "item", "item_version")
            .prefetch_related(
                Prefetch("materials", queryset=SubmittedMaterial.objects.select_related("file", "material")),
                Prefetch("events", queryset=CaseEvent.objects.filter(internal=False).select_related("document")
                         .order_by("at", "id")),
                "commitments",
                Prefetch("prereviews", queryset=PreReview.objects.order_by("at", "id")),
            ).first())
    if case is None:
        raise NotFound("case.not_found", "申请不存在或不是您本人的申请")
    return case

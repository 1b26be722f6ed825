"""Read-only lists: ratings and rectifications for staff (keyset-paginated, scoped), one rectification
with its history, and an applicant's cases waiting for a rating."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet

from yingshang.cases import queries as case_queries
from yingshang.cases.models import Case
from yingshang.kernel import access
from yingshang.kernel.errors import InvalidInput, NotFound
from yingshang.supervision import rules
from yingshang.supervision.models import Rating, Rectification, RectificationEntry
from yingshang.supervision.services import common
from yingshang.supervision.stats import scoped_department


def _page(qs: QuerySet, cursor: str | None, limit: int) -> tuple[list, str | None]:
    if cursor:
        (last_id,) = case_queries.decode_cursor(cursor, (int,))
        qs = qs.filter(id__lt=last_id)
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (case_queries.encode_cursor([rows[-1].pk]) if more and rows else None)


# --- Ratings ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RatingFilters:
    score_max: int | None = None  # 2: bad ratings only
    department: str = ""
    rated_from: date | None = None
    rated_to: date | None = None


def ratings(user, filters: RatingFilters) -> QuerySet:
    common.check_any(user, common.VIEW, common.RECTIFY)
    qs = Rating.objects.filter(access.department_filter(user, "department"))
    if filters.score_max is not None:
        if not rules.valid_score(filters.score_max):
            raise InvalidInput("supervision.invalid_score", "评价等级须为 1 至 5", status=422)
        qs = qs.filter(score__lte=filters.score_max)
    department = scoped_department(user, filters.department)
    if department is not None:
        qs = qs.filter(department=department)
    if filters.rated_from:
        qs = qs.filter(rated_on__gte=filters.rated_from)
    if filters.rated_to:
        qs = qs.filter(rated_on__lte=filters.rated_to)
    return qs.select_related("case", "department", "rectification").order_by("-id")


def ratings_page(user, filters: RatingFilters, cursor: str | None, limit: int) -> tuple[list[Rating], str | None]:
    return _page(ratings(user, filters), cursor, limit)


# --- Rectifications ------------------------------------------------------------------------------
def rectifications(user, status: str = "", department: str = "") -> QuerySet:
    common.check_any(user, common.VIEW, common.RECTIFY, common.REVIEW)
    if status and status not in rules.RECTIFICATION_STATUS_LABELS:
        raise InvalidInput("supervision.bad_status", "状态无效，可选：" + "、".join(
            f"{k}（{v}）" for k, v in rules.RECTIFICATION_STATUS_LABELS.items()), status=422)
    qs = Rectification.objects.filter(access.department_filter(user, "department"))
    if status:
        qs = qs.filter(status=status)
    dept = scoped_department(user, department)
    if dept is not None:
        qs = qs.filter(department=dept)
    return qs.select_related("rating", "rating__case", "department").order_by("-id")


def rectifications_page(user, status: str, department: str, cursor: str | None,
                        limit: int) -> tuple[list[Rectification], str | None]:
    return _page(rectifications(user, status, department), cursor, limit)


def rectification(user, rect_id: int) -> Rectification:
    """One rectification with its history, if the user may see it (404 otherwise: no existence leak)."""
    found = None
    if type(rect_id) is int and 0 < rect_id < 2**62:
        found = (rectifications(user).filter(pk=rect_id)
                 .prefetch_related(Prefetch("entries", queryset=RectificationEntry.objects.order_by("at", "id")))
                 .first())
    if found is None:
        raise NotFound("supervision.rectification_not_found", "整改任务不存在，或不在您的查看范围内")
    return found


# --- The applicant's side --------------------------------------------------------------------------
def awaiting_rating(user, limit: int = 50) -> list[Case]:
    """The applicant's concluded cases not rated yet, newest first."""
    return list(Case.objects.filter(applicant_id=user.pk, status__in=rules.RATEABLE_STATUSES, rating__isnull=True)
                .select_related("department").order_by("-id")[:limit])


def my_ratings(user, limit: int = 50) -> list[Rating]:
    return list(Rating.objects.filter(case__applicant_id=user.pk).select_related("case", "rectification")
                .order_by("-id")[:limit])

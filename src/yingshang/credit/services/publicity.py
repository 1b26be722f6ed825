"""Public view (信用公示): licences and penalties within their publication period, published list entries.

Search by code is an exact lookup of the subject's identity key (a resident ID is digested first);
search by name finds at most MAX_SUBJECTS subjects whose name contains the words (a bigram index on
PostgreSQL) and then their records through the (subject, decision date) index. Pages are fetched
one row beyond the page size to tell whether there is a next page, so no count over millions.
Natural persons appear with the surname only and a masked ID number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from yingshang.credit.choices import EntryStatus, ListKind, RecordStatus
from yingshang.credit.identity import lookup_key
from yingshang.credit.models import LicenseRecord, ListEntry, PenaltyRecord, Subject
from yingshang.kernel import clock
from yingshang.kernel.errors import InvalidInput, NotFound
from yingshang.kernel.rules.identifiers import normalize

PAGE_SIZE = 20
MAX_PAGE = 50
MAX_SUBJECTS = 200
MIN_NAME_CHARS = 2
MODELS = {"license": LicenseRecord, "penalty": PenaltyRecord}
KIND_LABELS = {"license": "行政许可", "penalty": "行政处罚"}


def public_filter(kind: str, today: date) -> Q:
    """Published, not revoked or ended early, decided already, and within the publication period."""
    q = Q(published=True, record_status=RecordStatus.VALID, publication_ended_at__isnull=True, decision_date__lte=today)
    if kind == "penalty":
        return q & Q(publication_end__gte=today)
    return q & (Q(publication_end__isnull=True) | Q(publication_end__gte=today))


def is_public(record, kind: str, today: date | None = None) -> bool:
    today = today or clock.today()
    if not (record.published and record.record_status == RecordStatus.VALID and record.publication_ended_at is None
            and record.decision_date <= today):
        return False
    end = record.publication_end
    return end >= today if kind == "penalty" else end is None or end >= today


@dataclass
class Page:
    kind: str
    query: str
    page: int
    items: list
    has_next: bool


def _page_number(page) -> int:
    try:
        page = int(page or 1)
    except (TypeError, ValueError):
        raise InvalidInput("credit.page_invalid", "页码应为正整数", details={"field": "page"}) from None
    if not 1 <= page <= MAX_PAGE:
        raise InvalidInput("credit.page_invalid", f"页码应在1到{MAX_PAGE}之间", details={"field": "page"})
    return page


def subject_filter(query: str, field: str = "subject") -> Q | None:
    """A Q on `field` for a code or a name; None when the query is empty."""
    query = (query or "").strip()[:100]
    if not query:
        return None
    compact = normalize(query)
    if compact.isascii() and compact.isalnum() and len(compact) in (9, 15, 18):
        id_kind, key, _check = lookup_key(query)  # a code typed wrongly gets the validator's reason
        return Q(**{f"{field}__id_kind": id_kind, f"{field}__id_key": key})
    if len(query) < MIN_NAME_CHARS:
        raise InvalidInput("credit.query_too_short", f"请输入至少{MIN_NAME_CHARS}个字的名称，或完整的统一社会信用代码",
                           details={"field": "q"})
    # Two statements, not a subquery: with the ids as literals the planner walks the (subject, decision
    # date) index for just these subjects instead of scanning all records by date and probing each.
    ids = list(subjects_named(query).values_list("id", flat=True)[:MAX_SUBJECTS])
    return Q(**{f"{field}_id__in": ids})


def name_bigrams(text: str) -> list[str]:
    """The distinct two-character pieces of a name fragment, as the `ys_name_bigrams` index stores them
    (it splits on commas, so pieces holding one are left to the LIKE that confirms every candidate)."""
    return sorted({piece for i in range(len(text) - 1) if "," not in (piece := text[i:i + 2])})


def subjects_named(fragment: str):
    """Subjects whose name contains `fragment` (≥ 2 characters). On PostgreSQL the bigram GIN index
    (migrations credit 0005, 0009) finds the candidates and LIKE confirms them; elsewhere LIKE alone."""
    qs = Subject.objects.filter(name__contains=fragment)
    bigrams = name_bigrams(fragment)
    if connection.vendor == "postgresql" and bigrams:
        table = Subject._meta.db_table
        # Only the model's own table name is interpolated; the fragment is a parameter. The COLLATE is the
        # index's (credit 0009): without it the planner would not use the index.
        qs = qs.filter(RawSQL(f'(ys_name_bigrams("{table}"."name") COLLATE "C") @> %s::text[]', [bigrams],  # noqa: S611
                              output_field=BooleanField()))
    return qs


def search(kind: str, query: str = "", page=1, *, today: date | None = None) -> Page:
    if kind not in MODELS:
        raise InvalidInput("credit.kind_invalid", "类型应为 license（行政许可）或 penalty（行政处罚）", details={"field": "kind"})
    page = _page_number(page)
    today = today or clock.today()
    qs = MODELS[kind].objects.filter(public_filter(kind, today))
    by_subject = subject_filter(query)
    if by_subject is not None:
        qs = qs.filter(by_subject)
    start = (page - 1) * PAGE_SIZE
    rows = list(qs.select_related("subject").order_by("-decision_date", "-id")[start:start + PAGE_SIZE + 1])
    return Page(kind, (query or "").strip()[:100], page, mark_disputed(kind, rows[:PAGE_SIZE]), len(rows) > PAGE_SIZE)


def public_record(kind: str, pk: int, *, today: date | None = None):
    model = MODELS.get(kind)
    record = model.objects.select_related("subject").filter(pk=pk).first() if model else None
    if record is None or not is_public(record, kind, today):
        raise NotFound("credit.record_not_found", "该信息不存在或已不在公示期内")
    return mark_disputed(kind, [record])[0]


def public_entries(list_kind: str = "", query: str = "", page=1, *, today: date | None = None) -> Page:
    """Active entries of published list types (红名单、黑名单 and 重点关注名单 the city publishes)."""
    if list_kind and list_kind not in ListKind.values:
        raise InvalidInput("credit.list_kind_invalid", "名单类别应为 red、black 或 watch", details={"field": "list_kind"})
    page = _page_number(page)
    today = today or clock.today()
    qs = ListEntry.objects.filter(status=EntryStatus.ACTIVE, published=True, list_type__published=True,
                                  valid_from__lte=today).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    if list_kind:
        qs = qs.filter(list_kind=list_kind)
    by_subject = subject_filter(query)
    if by_subject is not None:
        qs = qs.filter(by_subject)
    start = (page - 1) * PAGE_SIZE
    rows = list(qs.select_related("subject", "list_type", "department").order_by("-valid_from", "-id")
                [start:start + PAGE_SIZE + 1])
    return Page(list_kind, (query or "").strip()[:100], page, mark_disputed("list_entry", rows[:PAGE_SIZE]),
                len(rows) > PAGE_SIZE)


def mark_disputed(kind: str, rows: list) -> list:
    """Set `disputed` on each row with an open objection (异议中), in one query: the public still sees the
    record while the source department checks it (a repaired or withdrawn one has left public view)."""
    from yingshang.credit.services.objections import disputed_ids

    ids = disputed_ids(kind, [r.pk for r in rows])
    for row in rows:
        row.disputed = row.pk in ids
    return rows

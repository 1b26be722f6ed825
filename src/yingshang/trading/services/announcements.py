"""Announcements (公告) and the announcement of a lot (发布招标公告: ACCEPTED → ANNOUNCED) with its documents.

`do_publish_announcement` is the one way any part publishes (the award work publishes 中标候选人公示 and
中标结果公告 through it). The public list pages by keyset on (published_at, id), optionally within one
facet, so each page is an index range scan however deep (see `trading/bench.py`).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from yingshang.kernel import clock
from yingshang.kernel.errors import Forbidden, InvalidInput, NotFound
from yingshang.kernel.services import uploads, workflow
from yingshang.kernel.services.audit import record
from yingshang.trading import rules
from yingshang.trading import rules_announcements as ra
from yingshang.trading.models import Announcement, Lot, TenderDocument
from yingshang.trading.services import common, lots, rulebook

MAX_TITLE, MAX_BODY, MAX_DOCUMENTS = 300, 20_000, 5
PAGE_SIZE = 20


def _lock_lot(lot_id, row_version) -> Lot:
    return workflow.lock(Lot.objects.select_related("project", "procedure"), lot_id, row_version, rules.LOT_FLOW)


def check_own(user, lot: Lot) -> None:
    common.check_perm(user, common.ANNOUNCE)
    if not common.is_own_lot(user, lot):
        raise Forbidden("trading.not_your_project", "只有该项目的招标人或其代理机构可以办理")


def snapshot(lot: Lot) -> dict:
    return lots.snapshot(lot) | {"bid_deadline": lot.bid_deadline.isoformat(), "sale_start": lot.sale_start.isoformat(),
                                 "sale_end": lot.sale_end.isoformat(), "suspended": lot.suspended,
                                 "suspension_reason": lot.suspension_reason}


def compute_next_check(lot: Lot):
    """The lot's next timed moment (its periods and every part's, objection answers included)."""
    return lots.compute_next_check(lot)


def objection_moments(lot: Lot, now: datetime, **_ignored) -> list[datetime]:
    """hooks.NEXT_MOMENTS: while announced, the day after each pending objection's answer is due (REG Art. 22)."""
    if lot.status != rules.ANNOUNCED:
        return []
    from yingshang.trading.models import DocumentObjection

    dues = DocumentObjection.objects.filter(lot=lot, status=DocumentObjection.PENDING).values_list("answer_due", flat=True)
    tz = timezone.get_current_timezone()
    return [datetime.combine(due + timedelta(days=1), time.min, tz) for due in dues]


# --- Publishing -------------------------------------------------------------------------------------
def do_publish_announcement(lot: Lot, kind: str, title: str, body: str, *, published_at: datetime,
                            ends_at: datetime | None = None, actor=None) -> Announcement:
    """Publish one announcement of the lot (the caller has authorised `actor` and holds the transaction).

    Refused: an unknown kind, an empty or overlong title/body, an end before the start, and any text
    holding a resident ID number (public pages carry no personal identifiers). Audited
    `trading.announcement.publish`.
    """
    kind = common.fields.choice(kind, "kind", "公告类型", ra.KINDS)
    title = common.fields.text(title, "title", "公告标题", max_len=MAX_TITLE)
    body = common.fields.text(body, "body", "公告正文", max_len=MAX_BODY)
    if ra.personal_ids_in(title) or ra.personal_ids_in(body):
        raise InvalidInput("trading.body_personal_id", "公告不得包含公民身份号码等个人信息，请删除后再发布",
                           details={"field": "body"})
    if ends_at is not None and ends_at <= published_at:
        raise InvalidInput("trading.ends_at_invalid", "公告截止时间须晚于发布时间", details={"field": "ends_at"})
    project = lot.project
    announcement = Announcement.objects.create(
        lot=lot, kind=kind, title=title, body=body, published_at=published_at, ends_at=ends_at, lot_type=lot.lot_type,
        procedure_code=lot.procedure.code, procedure_name=lot.procedure.name, division_code=project.division_code,
        tenderer_name=project.tenderer_name, published_by=actor if getattr(actor, "pk", None) else None)
    record("trading.announcement.publish", announcement, after={
        "lot": lot.pk, "kind": kind, "title": title, "published_at": published_at.isoformat(),
        "ends_at": ends_at.isoformat() if ends_at else None})
    return announcement


def add_document(user, lot: Lot, upload, *, title: str = "") -> TenderDocument:
    """Store one document file (kernel uploads: type by content, size limit, SHA-256) as the next version of
    its title; the previous version of that title stops being current."""
    checked = uploads.check_upload(upload, label=title or "招标文件")
    title = common.fields.text(title or checked.name, "document_title", "文件名称", max_len=150)
    stored = uploads.do_store(user, upload, checked=checked)
    previous = TenderDocument.objects.filter(lot=lot, title=title).order_by("-version").first()
    TenderDocument.objects.filter(lot=lot, title=title, current=True).update(current=False)
    document = TenderDocument.objects.create(
        lot=lot, file=stored, title=title, version=(previous.version + 1) if previous else 1, sha256=stored.sha256,
        size=stored.size, uploaded_by=user if getattr(user, "pk", None) else None, created_at=clock.now())
    record("trading.document.upload", document, after={"lot": lot.pk, "title": title, "version": document.version,
                                                       "sha256": stored.sha256, "size": stored.size})
    return document


def do_announce(user, lot_id, row_version: int | None, *, title: str, body: str, files, sale_end=None,
                bid_deadline=None) -> Lot:
    """Announce the lot: upload its documents, check the periods again from the real issue day, publish the
    招标公告 (资格预审公告 under prequalification) and move ACCEPTED → ANNOUNCED (TBL Art. 16, 24; REG Art. 15, 16).

    The sale end and the deadline may be re-planned here (the accepted plan may have aged); a period
    breach is refused with its article (`trading.deadline_too_soon`, `trading.sale_too_short` …).
    """
    common.check_perm(user, common.ANNOUNCE)
    lot = _lock_lot(lot_id, row_version)
    check_own(user, lot)
    after = rules.LOT_FLOW.require(lot, rules.ANNOUNCE)
    files = [f for f in (files or []) if f is not None]
    if not files:
        raise InvalidInput("trading.documents_required", "发布招标公告须同时上传招标文件", details={"field": "files"})
    if len(files) > MAX_DOCUMENTS:
        raise InvalidInput("trading.documents_too_many", f"一次最多上传 {MAX_DOCUMENTS} 个招标文件", details={"field": "files"})
    today = clock.today()
    before = snapshot(lot)
    sale_start = ra.issue_day(lot.sale_start, today)
    sale_end = common.fields.day(sale_end, "sale_end", "文件发售截止日") if sale_end else lot.sale_end
    deadline = common.moment(bid_deadline, "bid_deadline", "投标截止时间") if bid_deadline else lot.bid_deadline
    deadline = timezone.localtime(deadline)  # the period rules count local days
    limits = lot.procedure.limits()
    breaches = rules.check_periods(limits, sale_start, sale_end, deadline, rulebook.working_days)
    if breaches:
        first = breaches[0]
        raise InvalidInput(first.code, first.message, details={**first.as_dict(), "breaches": [b.as_dict() for b in breaches]})
    for upload in files:
        add_document(user, lot, upload)
    lot.status, lot.sale_start, lot.sale_end, lot.bid_deadline = after, sale_start, sale_end, deadline
    kind = ra.opening_kind(lot.qualification == rules.PREQUALIFICATION)
    do_publish_announcement(lot, kind, title, body, published_at=clock.now(), ends_at=deadline, actor=user)
    lot.next_check = compute_next_check(lot)
    workflow.finish(lot, rules.ANNOUNCE, before, snapshot=snapshot,
                    fields=["status", "sale_start", "sale_end", "bid_deadline", "next_check"])
    return lot


# --- The public list ----------------------------------------------------------------------------------
@dataclass
class PublicPage:
    items: list[Announcement]
    next_cursor: str | None


def encode_cursor(item: Announcement) -> str:
    micros = int((item.published_at - datetime(1970, 1, 1, tzinfo=UTC)) / timedelta(microseconds=1))
    return base64.urlsafe_b64encode(f"{micros}.{item.pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        micros, pk = (int(part) for part in text.split("."))
        if not 0 < pk < 2**62:
            raise ValueError
        return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=micros), pk
    except (ValueError, UnicodeDecodeError, OverflowError):
        raise InvalidInput("trading.cursor_invalid", "翻页参数无效，请从第一页重新浏览", details={"field": "cursor"}) from None


def bigrams(text: str) -> list[str]:
    return sorted({piece for i in range(len(text) - 1) if "," not in (piece := text[i:i + 2])})


def public_filter(*, kind: str = "", lot_type: str = "", procedure: str = "", district: str = "") -> Q:
    q = Q(published_at__lte=clock.now())
    if kind:
        q &= Q(kind=common.fields.choice(kind, "kind", "公告类型", ra.KINDS))
    if lot_type:
        q &= Q(lot_type=common.fields.choice(lot_type, "lot_type", "标段类型", rules.LOT_TYPES))
    if procedure:
        q &= Q(procedure_code=common.fields.text(procedure, "procedure", "交易方式", max_len=32))
    if district:
        q &= Q(division_code=common.fields.text(district, "district", "地区", max_len=6))
    return q


def _title_bigrams(keyword: str) -> Q:
    """On PostgreSQL the title-bigram GIN index (migration 0004_announcements) finds the candidates."""
    pieces = bigrams(keyword)
    if connection.vendor != "postgresql" or not pieces:
        return Q()
    table = Announcement._meta.db_table
    return Q(RawSQL(f'(ys_name_bigrams("{table}"."title") COLLATE "C") @> %s::text[]', [pieces],  # noqa: S611
                    output_field=BooleanField()))


KEYWORD_WINDOW = 2000  # newest rows scanned in order before the bigram index is asked


def public_list(*, cursor: str = "", limit: int = PAGE_SIZE, keyword: str = "", **filters) -> PublicPage:
    """A page of published announcements, newest first; `next_cursor` continues after its last row.

    A keyword is looked for first among the newest KEYWORD_WINDOW rows of the page (an ordered index
    scan: a common word fills the page there); only when they hold too few matches does the bigram
    index gather every candidate (then few: a rare word).
    """
    limit = max(1, min(int(limit), 100))
    qs = Announcement.objects.filter(public_filter(**filters))
    if cursor:
        at, pk = decode_cursor(cursor)
        # The redundant `<=` gives the index scan its start; the OR settles ties on the same instant.
        qs = qs.filter(published_at__lte=at).filter(Q(published_at__lt=at) | Q(pk__lt=pk))
    order = ("-published_at", "-id")
    keyword = (keyword or "").strip()[:50]
    rows = None
    if keyword:
        window = qs.order_by(*order).values("pk")[:KEYWORD_WINDOW]
        rows = list(Announcement.objects.filter(pk__in=window, title__contains=keyword).order_by(*order)
                    .defer("body")[:limit + 1])
        if len(rows) <= limit:
            qs, rows = qs.filter(_title_bigrams(keyword), title__contains=keyword), None
    if rows is None:
        rows = list(qs.order_by(*order).defer("body")[:limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return PublicPage(rows, encode_cursor(rows[-1]) if more and rows else None)


def public_detail(pk) -> Announcement:
    found = (Announcement.objects.filter(public_filter(), pk=pk).select_related("lot").first()
             if type(pk) is int and 0 < pk < 2**62 else None)
    if found is None:
        raise NotFound("trading.announcement_not_found", "公告不存在或尚未发布")
    return found


def public_documents(lot: Lot) -> list[TenderDocument]:
    """The current document versions (names, sizes and hashes are public; the files need a bidder account)."""
    return list(TenderDocument.objects.filter(lot=lot, current=True).order_by("title"))

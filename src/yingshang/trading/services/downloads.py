"""Tender document downloads (招标文件下载): free (seed 004) for registered bidders during the sale period,
each logged with the organisation, the moment and the file's SHA-256; the credit check of the scenario
招标投标 at this first contact (issue 12 §10). Bidders never see one another: the downloaders list is
for the lot's tenderer or agency and the trading centre only.
"""

from __future__ import annotations

from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict, Forbidden, NotFound
from yingshang.kernel.kept import run_kept
from yingshang.kernel.services import uploads
from yingshang.kernel.services.audit import record
from yingshang.trading import rules
from yingshang.trading import rules_announcements as ra
from yingshang.trading.models import DocumentDownload, Lot, TenderDocument
from yingshang.trading.services import common, credit_gate


def _bidder_uscc(user) -> str:
    common.check_perm(user, common.DOWNLOAD)
    uscc = getattr(user, "uscc", "") or ""
    if not uscc:
        raise Forbidden("trading.no_organisation", "您的账号没有登记投标单位的统一社会信用代码，请先完善单位信息")
    return uscc


def open_lot(pk) -> Lot:
    """A lot bidders may see: announced (or later), never one still in registration."""
    found = (Lot.objects.select_related("project", "project__regulator", "procedure")
             .exclude(status__in=(rules.DRAFT, rules.REGISTERED, rules.ACCEPTED, rules.RETURNED, rules.WITHDRAWN))
             .filter(pk=pk).first() if type(pk) is int and 0 < pk < 2**62 else None)
    if found is None:
        raise NotFound("trading.not_found", "标段不存在或尚未发布招标公告")
    return found


def has_downloaded(lot: Lot, uscc: str) -> bool:
    return bool(uscc) and DocumentDownload.objects.filter(lot=lot, uscc=uscc).exists()


def screen(user, lot: Lot) -> Forbidden | None:
    """The credit check before a download. Returns the refusal instead of raising it, so the edge can commit
    the recorded hit and the 反馈 to the credit pillar before it refuses (a raise would roll them back)."""
    uscc = _bidder_uscc(user)
    try:
        credit_gate.check(uscc, stage="registration", reference=f"lot:{lot.pk}/download",
                          department=lot.project.regulator)
    except Forbidden as refusal:
        run_kept(refusal)  # the hit and the 反馈 commit with the caller's transaction
        return refusal
    return None


def check_download(user, document_id) -> TenderDocument:
    uscc = _bidder_uscc(user)
    document = (TenderDocument.objects.select_related("lot", "lot__project", "lot__project__regulator", "file")
                .filter(pk=document_id).first() if type(document_id) is int and 0 < document_id < 2**62 else None)
    if document is None:
        raise NotFound("trading.document_not_found", "招标文件不存在")
    lot = document.lot
    if lot.status != rules.ANNOUNCED:
        raise Conflict("trading.lot_not_announced", "该标段不在招标文件发售阶段", details={"status": lot.status})
    breach = ra.check_download(clock.today(), lot.sale_start, lot.sale_end, downloaded_before=has_downloaded(lot, uscc))
    if breach:
        raise Conflict(breach.code, breach.message, details=breach.as_dict())
    if clock.now() >= lot.bid_deadline:
        raise Conflict("trading.after_deadline", "投标截止时间已过，不再提供招标文件下载")
    return document


def do_download(user, document_id, *, screened: bool = False) -> tuple[TenderDocument, bytes]:
    """The document's bytes (verified against the stored SHA-256) and a download log row, audited
    `trading.document.download`. `screened=True` when the edge has already run `screen` for this request."""
    document = check_download(user, document_id)
    if not screened:
        refusal = screen(user, document.lot)
        if refusal:
            raise refusal
    data = uploads.open_stored(document.file)
    row = DocumentDownload.objects.create(
        lot=document.lot, document=document, user=user, uscc=user.uscc,
        organization_name=(user.organization_name or user.real_name or user.username)[:200], sha256=document.sha256,
        downloaded_at=clock.now())
    record("trading.document.download", row, after={"lot": document.lot_id, "document": document.pk,
                                                    "version": document.version, "sha256": document.sha256,
                                                    "uscc": user.uscc})
    return document, data


def downloaders(user, lot: Lot) -> list[DocumentDownload]:
    """Every download of the lot, for its tenderer or agency and the centre (never the public or bidders)."""
    if not (common.is_own_lot(user, lot) or common.sees_all_lots(user)):
        raise Forbidden("trading.downloaders_forbidden", "只有招标人、招标代理机构和交易中心可以查看下载记录")
    return list(DocumentDownload.objects.filter(lot=lot).select_related("document").order_by("downloaded_at", "pk"))


def downloader_users(lot: Lot):
    """The accounts that downloaded the lot's documents (they are told of every clarification)."""
    from yingshang.kernel.models import User

    ids = DocumentDownload.objects.filter(lot=lot).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True))


def my_downloads(user) -> list[DocumentDownload]:
    """The latest download per document of the user's organisation."""
    uscc = _bidder_uscc(user)
    rows = (DocumentDownload.objects.filter(uscc=uscc).select_related("lot", "lot__project", "document")
            .order_by("-downloaded_at", "-pk")[:200])
    seen: dict[int, DocumentDownload] = {}
    for row in rows:
        seen.setdefault(row.document_id, row)
    return list(seen.values())

"""Sealed bids in the trading API: submit (multipart, streamed), the bidder's bids and receipts, withdraw,
and what each actor may see of a lot's bids. Registered on the trading router (imported by api.py)."""

from __future__ import annotations

from functools import wraps

from django.db import transaction
from django.http import HttpResponse, JsonResponse
from ninja import File, Form, Status, UploadedFile
from ninja.decorators import decorate_view

from yingshang.trading import queries, queries_bids
from yingshang.trading.api import ERRORS, router
from yingshang.trading.api_schemas import LotBidsOut, OpenLotOut, OptionalId, ReceiptOut, VersionIn
from yingshang.trading.services import bid_files, bids
from yingshang.trading.services.bid_receipt import receipt_pdf

BIG = {**ERRORS, 413: ERRORS[400]}


def _streamed(run):
    """Stream the sealed file to disk (hashing it) before authentication and CSRF read the body."""
    @wraps(run)
    def wrapper(request, *args, **kwargs):
        error = bid_files.guard_request(request)
        try:
            if error is not None:
                return JsonResponse(error.as_dict(), status=error.status, json_dumps_params={"ensure_ascii": False})
            return run(request, *args, **kwargs)
        finally:
            bid_files.discard_all(request)
    return wrapper


@router.post("/lots/{lot_id}/bids", response={201: ReceiptOut, **BIG}, summary="递交加密投标文件（投标人）",
             description="multipart/form-data：sealed 为投标人本地加密的 YSBID1 文件（浏览器 seal.js 或 "
                         "`yingshang bid seal`），平台只接收密文、不接收密钥；边接收边计算 SHA-256，"
                         "以服务器接收完成时间为递交时间，截止后拒收（trading.bid_deadline_passed）。"
                         "已有有效投标文件时须以 replaces 指明被替换的文件，否则 409 trading.bid_exists。")
@decorate_view(_streamed)
def submit_bid(request, lot_id: int, sealed: File[UploadedFile], replaces: Form[int | None] = None):
    upload = bid_files.uploaded(request)
    with bid_files.cleanup(upload), transaction.atomic():
        bid = bids.do_submit(request.user, lot_id, upload, replaces=replaces)
    return Status(201, bids.receipt(bid))


@router.get("/bids/mine", response={200: list[ReceiptOut], **ERRORS}, summary="本单位的投标文件及回执",
            description="含已替换、已撤回的历次递交；lot_id 可筛选标段。")
def my_bids(request, lot_id: OptionalId = None):
    rows = queries_bids.my_bids(request.user)
    if lot_id is not None:
        rows = rows.filter(lot_id=lot_id)
    return [bids.receipt(b) for b in rows[:200]]


@router.get("/bids/open-lots", response={200: list[OpenLotOut], **ERRORS}, summary="可投标的标段（投标人）")
def open_lots(request):
    return [{"id": lot.pk, "project_name": lot.project.name, "name": lot.name, "bid_deadline": lot.bid_deadline,
             "regulator_name": lot.project.regulator.name} for lot in queries_bids.open_lots(request.user)[:200]]


@router.get("/bids/{bid_id}/receipt", response={200: ReceiptOut, **ERRORS}, summary="投标文件回执")
def get_receipt(request, bid_id: int):
    return bids.receipt(bids.own_bid(request.user, bid_id))


@router.get("/bids/{bid_id}/receipt.pdf", response={200: None, **ERRORS}, summary="投标文件回执（PDF）")
def get_receipt_pdf(request, bid_id: int):
    bid = bids.own_bid(request.user, bid_id)
    response = HttpResponse(receipt_pdf(bid), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{bid.receipt_no}.pdf"'
    return response


@router.post("/bids/{bid_id}/withdraw", response={200: ReceiptOut, **ERRORS}, summary="撤回投标文件（截止前）",
             description="row_version 为调用方看到的版本；撤回后投标保证金按实施条例第三十五条5日内退还。")
def withdraw_bid(request, bid_id: int, body: VersionIn):
    with transaction.atomic():
        bid = bids.do_withdraw(request.user, bid_id, body.row_version)
    return bids.receipt(bid)


@router.get("/lots/{lot_id}/bids", response={200: LotBidsOut, **ERRORS}, summary="标段已收投标文件",
            description="交易中心：递交记录（投标人、时间、SHA-256，不含内容）；招标人、代理机构和监督部门：数量。")
def lot_bids(request, lot_id: int):
    seen = queries_bids.received(request.user, queries.lot(request.user, lot_id))
    return {"lot_id": lot_id, "count": seen.count,
            "records": None if seen.rows is None else [queries_bids.register_row(b) for b in seen.rows]}

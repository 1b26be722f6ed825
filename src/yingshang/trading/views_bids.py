"""Pages of sealed bids: the bidder's 我的投标 (lots open for bids, its bids with receipts), the bid form
(sealed in the browser by static/trading/js/seal.js, or a file sealed with `yingshang bid seal`), the
receipt (page and PDF), withdrawal, and a lot's received bids for the centre (who, when, hash) or the
tenderer (the count only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from yingshang.kernel import access
from yingshang.kernel.errors import Forbidden, NotFound, ServiceError
from yingshang.kernel.page_actions import run_form_action
from yingshang.kernel.services.validation import as_id
from yingshang.trading import queries, queries_bids, rules_bids
from yingshang.trading.services import bid_files, bids, common
from yingshang.trading.services.bid_receipt import receipt_pdf

PAGE_SIZE = 50


def _require(request, permission: str) -> None:
    if not access.has_perm(request.user, permission):
        raise PermissionDenied(_("您没有访问此页面的权限"))


def _page_errors(call):
    try:
        return call()
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    except NotFound as exc:
        raise Http404(exc.message) from None


@login_required
def mine(request):
    _require(request, common.BID)
    rows = _page_errors(lambda: list(queries_bids.my_bids(request.user)[:PAGE_SIZE]))
    lots = list(queries_bids.open_lots(request.user)[:PAGE_SIZE])
    live = {b.lot_id: b for b in rows if b.status not in bids.GONE}
    return render(request, "trading/bids_mine.html", {"rows": rows, "lots": [(lot, live.get(lot.pk)) for lot in lots]})


def _lot_for_bidder(request, lot_id: int):
    lot = queries_bids.open_lots(request.user).filter(pk=lot_id).first()
    if lot is None:
        raise Http404(_("该标段不存在或当前不接受投标"))
    return lot


def _form(request, lot_id: int, *, error: ServiceError | None = None, status: int = 200):
    lot = _page_errors(lambda: _lot_for_bidder(request, lot_id))
    live = queries_bids.my_bids(request.user).filter(lot=lot).exclude(status__in=bids.GONE).first()
    return render(request, "trading/bids_form.html", {
        "lot": lot, "live": live, "error": error, "max_mb": bid_files.max_bytes() >> 20,
        "source": rules_bids.UNSEALED_SOURCE}, status=status)


def _answer(request, lot_id: int, error: ServiceError | None, bid=None):
    """JSON for the sealing script (it navigates to `next`), a page for a plain form post."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    if error is not None:
        if wants_json:
            return JsonResponse(error.as_dict(), status=error.status, json_dumps_params={"ensure_ascii": False})
        return _form(request, lot_id, error=error, status=error.status)
    url = reverse("trading:bid-receipt", kwargs={"pk": bid.pk})
    messages.success(request, _("投标文件已递交，回执编号 %(no)s") % {"no": bid.receipt_no})
    return JsonResponse({"next": url, "receipt_no": bid.receipt_no}) if wants_json else redirect(url)


@csrf_exempt  # the body must be streamed by our handler before the CSRF check reads it; _submit checks CSRF
@never_cache
@login_required
def submit(request, lot_id: int):
    _require(request, common.BID)
    if request.method != "POST":
        return _form(request, lot_id)
    error = bid_files.guard_request(request)
    try:
        return _answer(request, lot_id, error) if error else _submit(request, lot_id)
    finally:
        bid_files.discard_all(request)


@csrf_protect
def _submit(request, lot_id: int):
    upload = bid_files.uploaded(request)
    replaces = as_id(request.POST.get("replaces")) if request.POST.get("replaces") else None
    try:
        with bid_files.cleanup(upload), transaction.atomic():
            bid = bids.do_submit(request.user, lot_id, upload, replaces=replaces)
    except Forbidden as exc:
        if exc.code != "trading.credit_barred":
            raise PermissionDenied(exc.message) from None
        return _answer(request, lot_id, exc)
    except NotFound as exc:
        raise Http404(exc.message) from None
    except ServiceError as exc:
        return _answer(request, lot_id, exc)
    return _answer(request, lot_id, None, bid)


@login_required
def receipt(request, pk: int):
    _require(request, common.BID)
    bid = _page_errors(lambda: bids.own_bid(request.user, pk))
    return render(request, "trading/bids_receipt.html", {"bid": bid, "receipt": bids.receipt(bid),
                                                         "can_withdraw": bid.status == "submitted"})


@login_required
def receipt_download(request, pk: int):
    _require(request, common.BID)
    bid = _page_errors(lambda: bids.own_bid(request.user, pk))
    response = HttpResponse(receipt_pdf(bid), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{bid.receipt_no}.pdf"'
    return response


@require_POST
@login_required
def withdraw(request, pk: int):
    _require(request, common.BID)
    version = as_id(request.POST.get("row_version"))
    run_form_action(request, lambda: bids.do_withdraw(request.user, pk, version), _("投标文件已撤回"))
    return redirect("trading:bid-receipt", pk=pk)


@login_required
def received(request, lot_id: int):
    _require(request, common.VIEW)
    lot = _page_errors(lambda: queries.lot(request.user, lot_id))
    seen = queries_bids.received(request.user, lot)
    return render(request, "trading/bids_received.html", {"lot": lot, "seen": seen,
                                                          "source": rules_bids.CONFIDENTIAL_SOURCE})


urlpatterns = [
    path("bids/", mine, name="bids-mine"),
    path("bids/lot/<int:lot_id>/", submit, name="bid-submit"),
    path("bids/lot/<int:lot_id>/received/", received, name="bids-received"),
    path("bids/<int:pk>/", receipt, name="bid-receipt"),
    path("bids/<int:pk>/receipt.pdf", receipt_download, name="bid-receipt-pdf"),
    path("bids/<int:pk>/withdraw/", withdraw, name="bid-withdraw"),
]

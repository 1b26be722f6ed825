"""Pages of issue 12 §2: the public announcement list and detail (no sign-in), the tenderer's announce,
clarification and objection-answer forms on the lot page, the bidder's 招标公告 / 我下载的招标文件 pages
with download and objection forms, and the centre's list of pending objections."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from yingshang.kernel import access, clock
from yingshang.kernel import demo_city as city
from yingshang.kernel.errors import Forbidden, InvalidInput, NotFound, ServiceError
from yingshang.kernel.page_actions import run_form_action
from yingshang.kernel.services import uploads
from yingshang.kernel.services.validation import as_id
from yingshang.trading import queries, rules
from yingshang.trading import rules_announcements as ra
from yingshang.trading.api_announcements import file_response
from yingshang.trading.models import DocumentObjection
from yingshang.trading.services import announcements, clarifications, common, downloads, rulebook, termination

DISTRICTS = {city.CITY[0]: city.CITY[2], **{code: short for code, _name, short in city.DISTRICTS}}


def _require(request, permission: str) -> None:
    if not access.has_perm(request.user, permission):
        raise PermissionDenied(_("您没有访问此页面的权限"))


# --- Public ------------------------------------------------------------------------------------------
def public_list(request):
    params = {k: request.GET.get(k, "").strip() for k in ("kind", "lot_type", "procedure", "district", "keyword")}
    error = None
    try:
        page = announcements.public_list(cursor=request.GET.get("cursor", "")[:64], **params)
    except InvalidInput as exc:
        error, page = exc.message, announcements.PublicPage([], None)
    query = urlencode({k: v for k, v in params.items() if v})
    return render(request, "trading/announcements_public.html", {
        "page": page, "params": params, "error": error, "kinds": ra.KINDS, "lot_types": rules.LOT_TYPES,
        "procedures": rulebook.procedures_in_force(clock.today()), "districts": DISTRICTS, "query": query})


def public_detail(request, pk: int):
    try:
        announcement = announcements.public_detail(pk)
    except NotFound as exc:
        raise Http404(exc.message) from None
    return render(request, "trading/announcements_public_detail.html", {
        "a": announcement, "lot": announcement.lot, "documents": announcements.public_documents(announcement.lot),
        "district": DISTRICTS.get(announcement.division_code, announcement.division_code)})


# --- On the lot page (tenderer, agency, centre) ------------------------------------------------------------
def lot_context(user, lot) -> dict:
    """What the lot page shows of §2: the announce form, documents, downloaders, clarifications, objections."""
    own = common.is_own_lot(user, lot) and access.has_perm(user, common.ANNOUNCE)
    sees = own or common.sees_all_lots(user)
    objections = clarifications.objections_for(user, lot) if sees else []
    today = clock.today()
    for o in objections:
        o.overdue = o.status == DocumentObjection.PENDING and ra.is_overdue(o.answer_due, today)
    return {"tender": {
        "can_announce": own and lot.status == rules.ACCEPTED,
        "can_clarify": own and lot.status == rules.ANNOUNCED and clock.now() < lot.bid_deadline,
        "can_terminate": own and rules.LOT_FLOW.allowed(lot.status, rules.TERMINATE),
        "own": own, "documents": list(lot.documents.order_by("title", "-version")),
        "downloads": downloads.downloaders(user, lot) if sees else [],
        "clarifications": list(lot.clarifications.select_related("document").order_by("issued_at", "pk")),
        "objections": objections, "announcements": list(lot.announcements.order_by("-published_at", "-pk")),
    }}


def _guarded(view):
    """Multipart forms: cap and parse the body before CSRF reads it (kernel uploads), then the CSRF check."""
    protected = csrf_protect(view)

    @csrf_exempt
    @login_required
    @require_POST
    def wrapper(request, *args, **kwargs):
        error = uploads.guard_request(request)
        if error is not None:
            from django.contrib import messages

            messages.error(request, error.message)
            return redirect("trading:lot", pk=kwargs["pk"])
        return protected(request, *args, **kwargs)
    return wrapper


def _checked_lot(request, pk):
    _require(request, common.VIEW)
    try:
        return queries.lot(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from None


@_guarded
def announce(request, pk: int):
    _checked_lot(request, pk)
    post = request.POST
    run_form_action(request, lambda: announcements.do_announce(
        request.user, pk, as_id(post.get("row_version")), title=post.get("title", ""), body=post.get("body", ""),
        files=request.FILES.getlist("files"), sale_end=post.get("sale_end") or None,
        bid_deadline=(post.get("bid_deadline") or "").replace(" ", "T") or None), _("招标公告已发布"))
    return redirect("trading:lot", pk=pk)


@_guarded
def clarify(request, pk: int):
    _checked_lot(request, pk)
    post = request.POST
    run_form_action(request, lambda: clarifications.do_clarify(
        request.user, pk, as_id(post.get("row_version")), text=post.get("text", ""),
        affects_preparation=post.get("affects_preparation") == "1", upload=request.FILES.get("file")),
        _("澄清/修改已发布，并已通知全部下载人"))
    return redirect("trading:lot", pk=pk)


@_guarded
def answer(request, pk: int, objection_id: int):
    _checked_lot(request, pk)
    post = request.POST
    run_form_action(request, lambda: clarifications.do_answer_objection(
        request.user, objection_id, as_id(post.get("row_version")), answer=post.get("answer", ""),
        publish=post.get("publish") == "1", changes_documents=post.get("changes_documents") == "1",
        clarification_text=post.get("clarification_text", ""),
        affects_preparation=post.get("affects_preparation") == "1", upload=request.FILES.get("file")), _("异议已答复"))
    return redirect("trading:lot", pk=pk)


@login_required
@require_POST
def terminate(request, pk: int):
    _checked_lot(request, pk)
    run_form_action(request, lambda: termination.do_terminate(
        request.user, pk, as_id(request.POST.get("row_version")), reason=request.POST.get("reason", "")),
        _("已终止招标并发布终止公告"))
    return redirect("trading:lot", pk=pk)


@login_required
def pending_objections(request):
    try:
        rows = list(clarifications.pending_objections(request.user)[:200])
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    today = clock.today()
    for o in rows:
        o.overdue = ra.is_overdue(o.answer_due, today)
    return render(request, "trading/announcements_objections.html", {"rows": rows})


# --- Bidders ----------------------------------------------------------------------------------------
@login_required
def bidder_home(request):
    _require(request, common.DOWNLOAD)
    page = announcements.public_list(kind=request.GET.get("kind", "") if request.GET.get("kind") in ra.KINDS else "")
    return render(request, "trading/announcements_bidder.html", {
        "page": page, "mine": downloads.my_downloads(request.user) if request.user.uscc else [],
        "no_uscc": not request.user.uscc})


@login_required
def bidder_lot(request, pk: int):
    _require(request, common.DOWNLOAD)
    try:
        lot = downloads.open_lot(pk)
    except NotFound as exc:
        raise Http404(exc.message) from None
    uscc = request.user.uscc or ""
    return render(request, "trading/announcements_bidder_lot.html", {
        "lot": lot, "documents": announcements.public_documents(lot),
        "downloaded": downloads.has_downloaded(lot, uscc),
        "clarifications": list(lot.clarifications.order_by("issued_at", "pk")),
        "objections": clarifications.objections_for(request.user, lot),
        "objection_last_day": rules.objection_last_day(timezone.localtime(lot.bid_deadline),
                                                       prequalification=lot.qualification == rules.PREQUALIFICATION)})


@login_required
@require_POST
def download(request, document_id: int):
    _require(request, common.DOWNLOAD)
    from django.contrib import messages
    from django.db import transaction

    from yingshang.trading.models import TenderDocument

    lot_id = TenderDocument.objects.filter(pk=document_id).values_list("lot_id", flat=True).first()
    try:
        document = downloads.check_download(request.user, document_id)
        with transaction.atomic():
            refusal = downloads.screen(request.user, document.lot)
        if refusal:
            raise refusal  # the hit and its 反馈 are committed; the refusal is shown
        with transaction.atomic():
            document, data = downloads.do_download(request.user, document_id, screened=True)
    except NotFound as exc:
        raise Http404(exc.message) from None
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("trading:bidder-lot", pk=lot_id) if lot_id else redirect("trading:bidder")
    return file_response(document, data)


@login_required
@require_POST
def file_objection(request, pk: int):
    _require(request, common.DOWNLOAD)
    run_form_action(request, lambda: clarifications.do_file_objection(request.user, pk, text=request.POST.get("text", "")),
                    _("异议已提交，招标人应在3日内答复"))
    return redirect("trading:bidder-lot", pk=pk)

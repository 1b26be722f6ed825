"""Pages of the opening hall (开标大厅): the index of openings, the hall with its live parts (HTMX polling every 2 s),
the actions (forms posting to one URL per action), the tenderer's plan, the draw's verification and the record."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingshang.kernel import access
from yingshang.kernel.errors import Forbidden, NotFound, ServiceError
from yingshang.kernel.page_actions import run_form_action
from yingshang.kernel.services.documents import read_document_file
from yingshang.kernel.services.validation import as_id
from yingshang.trading import queries_opening
from yingshang.trading import rules_opening as ro
from yingshang.trading.models import Bid
from yingshang.trading.services import common, opening, opening_decrypt, opening_sheet

MAX_KEY_FILE = 4096


def _hall(request, pk: int) -> opening.Hall:
    try:
        return opening.hall(request.user, pk)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    except NotFound as exc:
        raise Http404(exc.message) from None


@login_required
def index(request):
    if not access.has_perm(request.user, common.HALL):
        raise PermissionDenied(_("您没有访问此页面的权限"))
    rows = list(opening.lots_for_hall(request.user)[:100])
    return render(request, "trading/opening_index.html", {"rows": rows})


def _context(request, here: opening.Hall) -> dict:
    view = queries_opening.view(request.user, here)
    sealed = [b for b in Bid.objects.filter(lot=here.lot, status="submitted").order_by("submitted_at", "pk")]
    return {"v": view, "lot": here.lot, "role": here.role, "faults": ro.FAULTS, "sealed": sealed,
            "actions_key": hashlib.sha256(",".join(view["actions"]).encode()).hexdigest()[:16]}


@login_required
def hall(request, pk: int):
    here = _hall(request, pk)
    return render(request, "trading/opening_hall.html", _context(request, here))


@login_required
def live(request, pk: int):
    """The hall's live parts: `part=status` (always swapped) or `part=actions` (204 while the actions are the same,
    so a form being filled in is not wiped)."""
    here = _hall(request, pk)
    context = _context(request, here)
    if request.GET.get("part") == "actions":
        if request.GET.get("have") == context["actions_key"]:
            return HttpResponse(status=204)
        return render(request, "trading/_opening_actions.html", context)
    return render(request, "trading/_opening_status.html", context)


def _key_text(request):
    upload = request.FILES.get("key_file")
    if upload is not None:
        if upload.size > MAX_KEY_FILE:
            return ""
        return upload.read(MAX_KEY_FILE)
    return request.POST.get("key_text", "")


ACTIONS = {
    "sign_in": (lambda r, pk: opening.do_sign_in(r.user, pk), "已签到"),
    "open": (lambda r, pk: opening.do_open(r.user, pk), "已开标"),
    "set_drawer": (lambda r, pk: opening.do_set_drawer(r.user, pk, as_id(r.POST.get("bid"))), "已记录抽取代表"),
    "draw": (lambda r, pk: opening.do_draw(r.user, pk), "已完成随机抽取"),
    "decrypt": (lambda r, pk: opening_decrypt.decrypt_at_edge(r.user, pk, _key_text(r)), "解密成功"),
    "close": (lambda r, pk: opening_decrypt.do_close_window(r.user, pk), "解密已结束"),
    "decide": (lambda r, pk: opening_decrypt.do_decide_not_decrypted(
        r.user, pk, as_id(r.POST.get("bid")), r.POST.get("fault", ""), r.POST.get("reason", "")), "已认定"),
    "publish": (lambda r, pk: opening_sheet.do_publish_sheet(r.user, pk), "开标一览表已公布"),
    "sign": (lambda r, pk: opening_sheet.do_sign_line(r.user, pk), "已签字确认"),
    "object": (lambda r, pk: opening_sheet.do_raise_objection(r.user, pk, r.POST.get("content", "")), "异议已提出"),
    "answer": (lambda r, pk: opening_sheet.do_answer_objection(
        r.user, pk, as_id(r.POST.get("objection")), r.POST.get("answer", "")), "已答复"),
    "record": (lambda r, pk: opening_sheet.do_issue_record(r.user, pk), "开标记录已出具"),
}


@login_required
@require_POST
def act(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404(_("没有这个操作"))
    _hall(request, pk)
    call, success = ACTIONS[action]
    if action == "decrypt":  # its own transactions: a failed attempt is still counted
        try:
            call(request, pk)
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from None
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _(success))
        return redirect("trading:opening-hall", pk=pk)
    run_form_action(request, lambda: call(request, pk), _(success))
    return redirect("trading:opening-hall", pk=pk)


PLAN_FIELDS = ("float_low", "float_high", "float_step", "weight_low", "weight_high", "weight_step", "decrypt_minutes")


@login_required
def plan(request, pk: int):
    here = _hall(request, pk)
    if here.role != opening.TENDERER:
        raise PermissionDenied(_("只有该项目的招标人或其代理机构可以设置开标安排"))
    error, posted = None, {}
    if request.method == "POST":
        posted = {f: request.POST.get(f, "").strip() or None for f in PLAN_FIELDS}
        try:
            with transaction.atomic():
                opening.do_set_plan(request.user, pk, posted)
        except ServiceError as exc:
            error = exc.message
        else:
            return redirect("trading:opening-hall", pk=pk)
    elif here.plan:
        posted = {f: getattr(here.plan, f) for f in PLAN_FIELDS}
    return render(request, "trading/opening_plan.html", {"lot": here.lot, "posted": posted, "error": error,
                                                         "default_minutes": ro.DECRYPT_MINUTES})


@login_required
def draw_check(request, pk: int):
    here = _hall(request, pk)
    check = opening.verify_draw(here.plan) if here.plan else None
    return render(request, "trading/opening_draw.html", {"lot": here.lot, "check": check})


@login_required
def record(request, pk: int):
    here = _hall(request, pk)
    if here.plan is None or here.plan.record is None:
        raise Http404(_("开标记录尚未出具"))
    try:
        data = read_document_file(here.plan.record)
    except ServiceError as exc:
        raise Http404(exc.message) from None
    import io

    return FileResponse(io.BytesIO(data), content_type="application/pdf", as_attachment=False,
                        filename=f"opening-record-{here.lot.pk}.pdf")


urlpatterns = [
    path("opening/", index, name="opening"),
    path("opening/<int:pk>/", hall, name="opening-hall"),
    path("opening/<int:pk>/live/", live, name="opening-live"),
    path("opening/<int:pk>/plan/", plan, name="opening-plan"),
    path("opening/<int:pk>/draw/", draw_check, name="opening-draw"),
    path("opening/<int:pk>/record.pdf", record, name="opening-record"),
    path("opening/<int:pk>/do/<str:action>/", act, name="opening-act"),
]

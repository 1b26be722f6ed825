"""Pages for ratings (好差评) and their rectification (差评整改).

Applicants: their cases waiting for a rating and the rating form; without an account, rating by
case number plus the last four characters of the ID (failed attempts limited per address). Staff:
the ratings of their scope; rectifications, answered by the department and closed or returned by a
supervisor. Every form posts the `row_version` it was rendered with; the service decides.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yingshang.cases.models import Case
from yingshang.kernel import access, clock
from yingshang.kernel.errors import Forbidden, NotFound, ServiceError
from yingshang.kernel.middleware import client_ip
from yingshang.kernel.page_actions import run_form_action
from yingshang.kernel.services.validation import as_id
from yingshang.supervision import queries, rules
from yingshang.supervision.services import common, ratings, rectifications

PAGE_SIZE = 20
LOOKUP_FAILURES, LOOKUP_WINDOW = 10, 3600  # failed lookups per address per hour


def _require_any(request, *permissions: str) -> None:
    if not any(access.has_perm(request.user, p) for p in permissions):
        raise PermissionDenied(_("您没有访问此页面的权限"))


# --- Applicants ------------------------------------------------------------------------------------
@login_required
def my_ratings(request):
    _require_any(request, common.RATE)
    return render(request, "supervision/my_ratings.html", {
        "awaiting": queries.awaiting_rating(request.user), "done": queries.my_ratings(request.user)})


@login_required
def rate(request, case_no: str):
    _require_any(request, common.RATE)
    number = case_no.strip().upper()[:24]
    case = Case.objects.select_related("department").filter(case_no=number, applicant_id=request.user.pk).first()
    if case is None:
        raise Http404(_("没有找到您的这个办件"))
    error = None
    if request.method == "POST":
        try:
            with transaction.atomic():
                ratings.do_rate(request.user, number, request.POST.get("score", ""), request.POST.get("comment", ""))
        except ServiceError as exc:
            error = exc.message
        else:
            messages.success(request, _("感谢您的评价！"))
            return redirect("supervision:my-ratings")
    return render(request, "supervision/rate.html", {"case": case, "grades": rules.GRADES, "error": error,
                                                     "posted": request.POST, "lookup": False})


def evaluate(request):
    """No login: rate by case number and the last four characters of the applicant's ID."""
    context = {"grades": rules.GRADES, "posted": request.POST, "lookup": True, "error": None, "done": False}
    if request.method == "POST":
        key = f"supervision:lookup:{client_ip(request)}"
        misses = cache.get(key, 0)
        if misses >= LOOKUP_FAILURES:
            context["error"] = _("尝试次数过多，请一小时后再试，或拨打 12345 咨询。")
        else:
            try:
                with transaction.atomic():
                    ratings.do_rate_by_lookup(request.POST.get("case_no", ""), request.POST.get("last4", ""),
                                              request.POST.get("score", ""), request.POST.get("comment", ""))
            except NotFound as exc:
                cache.set(key, misses + 1, LOOKUP_WINDOW)
                context["error"] = exc.message
            except ServiceError as exc:
                context["error"] = exc.message
            else:
                context["done"] = True
    response = render(request, "supervision/rate.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


# --- Staff: ratings and rectifications -------------------------------------------------------------
def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def rating_list(request):
    _require_any(request, common.VIEW, common.RECTIFY)
    filters = queries.RatingFilters(score_max=rules.BAD_MAX if request.GET.get("bad") else None,
                                    department=request.GET.get("department", "")[:40],
                                    rated_from=_date(request.GET.get("from", "")[:10]),
                                    rated_to=_date(request.GET.get("to", "")[:10]))
    try:
        rows, next_cursor = queries.ratings_page(request.user, filters, request.GET.get("cursor") or None, PAGE_SIZE)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("supervision:ratings")
    query = request.GET.copy()
    query.pop("cursor", None)
    return render(request, "supervision/ratings.html", {"rows": rows, "next_cursor": next_cursor, "filters": filters,
                                                        "query": query.urlencode(), "bad": bool(request.GET.get("bad"))})


@login_required
def rectification_list(request):
    _require_any(request, common.VIEW, common.RECTIFY, common.REVIEW)
    status = request.GET.get("status", "")
    status = status if status in rules.RECTIFICATION_STATUS_LABELS else ""
    try:
        rows, next_cursor = queries.rectifications_page(request.user, status, request.GET.get("department", "")[:40],
                                                        request.GET.get("cursor") or None, PAGE_SIZE)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("supervision:rectifications")
    return render(request, "supervision/rectifications.html", {
        "rows": rows, "next_cursor": next_cursor, "status": status, "statuses": rules.RECTIFICATION_STATUS_LABELS,
        "today": clock.today()})


@login_required
def rectification_detail(request, pk: int):
    _require_any(request, common.VIEW, common.RECTIFY, common.REVIEW)
    try:
        rect = queries.rectification(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from None
    user = request.user
    return render(request, "supervision/rectification.html", {
        "rect": rect, "case": rect.rating.case, "entries": list(rect.entries.all()),
        "can_respond": access.has_perm(user, common.RECTIFY) and rect.status in rules.PENDING_RECTIFICATION,
        "can_review": access.has_perm(user, common.REVIEW) and rect.status == rules.RESPONDED,
        "today": clock.today()})


ACTIONS = {
    "respond": lambda user, pk, version, post: rectifications.do_respond(
        user, pk, version, response=post.get("response", ""), measures=post.get("measures", "")),
    "close": lambda user, pk, version, post: rectifications.do_close(user, pk, version, note=post.get("note", "")),
    "return": lambda user, pk, version, post: rectifications.do_return(user, pk, version, note=post.get("note", "")),
}
DONE = {"respond": gettext_lazy("整改情况已反馈，等待监察人员审核。"), "close": gettext_lazy("整改已审核办结。"),
        "return": gettext_lazy("已退回部门重新整改。")}


@login_required
@require_POST
def rectification_act(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404(_("没有这个操作"))
    run_form_action(request, lambda: ACTIONS[action](request.user, pk, as_id(request.POST.get("row_version")),
                                                      request.POST), DONE[action])
    return redirect("supervision:rectification", pk=pk)

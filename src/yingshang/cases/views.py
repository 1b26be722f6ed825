"""Pages: the window workspace, the department inbox, the case list and detail, public progress.

Every action form posts to `act` with the `row_version` it was rendered with; the service decides
(permission, state, concurrency) and the page shows its Chinese message when it refuses.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingshang.cases import queries, rules
from yingshang.cases.choices import ApplicantKind, MaterialStatus, StepStatus, SuspensionKind
from yingshang.cases.models import Case, PostVerification
from yingshang.cases.services import acceptance, applications, common
from yingshang.cases.view_actions import ACTIONS, form_int
from yingshang.catalog.models import ServiceItem
from yingshang.catalog.queries import in_force
from yingshang.kernel import access, clock
from yingshang.kernel.errors import ServiceError
from yingshang.kernel.services.calendar import add_working_days

PAGE_SIZE = 20
PROGRESS_FAILURES, PROGRESS_WINDOW = 10, 3600  # lookups per address per hour that may miss


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")[:45]


def _require(request, permission: str) -> None:
    access.check_perm(request.user, permission)  # PermissionDenied: the 403 page


# --- Window workspace ---------------------------------------------------------------------------
@login_required
def window(request):
    """Find an application by number, see the queue waiting for acceptance, start a window application."""
    _require(request, common.ACCEPT)
    number = request.GET.get("no", "").strip().upper()[:24]
    if number:
        if Case.objects.filter(case_no=number).exists():
            return redirect("cases:detail", case_no=number)
        messages.error(request, _("没有编号为“%(no)s”的办件。") % {"no": number})
    queue = queries.window_queue()
    today = clock.today()
    for case in queue:
        due = add_working_days(case.received_on, rules.CORRECTION_NOTICE_DAYS).date if case.received_on else None
        case.correction_due, case.correction_late = due, bool(due and today > due)
    items = in_force(today).order_by("item__code").only("item__code", "name", "item__department__name")[:1000]
    return render(request, "cases/window.html", {"queue": queue, "items": items, "no": number})


@login_required
def window_new(request):
    """A window application for an item: applicant and materials checklist; created submitted, numbered."""
    _require(request, common.ACCEPT)
    code = (request.GET.get("item") or request.POST.get("item") or "").strip().upper()[:64]
    item = ServiceItem.objects.select_related("department").filter(code=code).first() if code else None
    version = None
    if item is not None:
        from yingshang.catalog.services import version_in_force

        version = version_in_force(item, clock.today())
    if version is None:
        messages.error(request, _("请选择一个当前有效的事项。"))
        return redirect("cases:window")
    errors = None
    if request.method == "POST":
        data = applications.ApplicantData(
            kind=request.POST.get("applicant_kind", ""), name=request.POST.get("applicant_name", ""),
            identifier=request.POST.get("identifier", ""), identifier_kind=request.POST.get("identifier_kind", ""),
            phone=request.POST.get("phone", ""))
        statuses = {m.pk: MaterialStatus.PROVIDED if request.POST.get(f"m_{m.pk}") else MaterialStatus.MISSING
                    for m in version.materials.all()}
        try:
            with transaction.atomic():
                case = applications.do_create_application(request.user, item.code, applicant=data, materials=statuses)
        except ServiceError as exc:
            errors = exc.message
        else:
            messages.success(request, _("已收件，办件编号 %(no)s。请核验材料后作出受理决定。") % {"no": case.case_no})
            return redirect("cases:detail", case_no=case.case_no)
    return render(request, "cases/window_new.html", {
        "item": item, "version": version, "materials": version.materials.order_by("sort_order", "id"),
        "kinds": ApplicantKind.choices, "errors": errors, "posted": request.POST,
    })


# --- Department inbox and case list ----------------------------------------------------------------
@login_required
def inbox(request):
    _require(request, common.REVIEW)
    warning = request.GET.get("warning", "")
    warning = warning if warning in rules.WARNING_LABELS else ""
    try:
        rows, next_cursor = queries.inbox_page(queries.inbox(request.user, warning=warning),
                                               request.GET.get("cursor") or None, PAGE_SIZE)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("cases:inbox")
    return render(request, "cases/inbox.html", {"rows": rows, "next_cursor": next_cursor, "warning": warning,
                                                "warnings": rules.WARNING_LABELS, "today": clock.today()})


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def case_list(request):
    _require(request, common.VIEW)
    g = request.GET
    filters = queries.CaseFilters(
        status=g.get("status", "") if g.get("status", "") in rules.STATUSES else "",
        department=g.get("department", "")[:40], warning=g.get("warning", "") if g.get("warning") in rules.WARNING_LABELS else "",
        item=g.get("item", "")[:64], received_from=_date(g.get("from", "")), received_to=_date(g.get("to", "")),
        q=g.get("q", "")[:queries.MAX_QUERY_CHARS])
    try:
        rows, next_cursor = queries.page(queries.case_list(request.user, filters), g.get("cursor") or None, PAGE_SIZE)
    except ServiceError as exc:
        messages.error(request, exc.message)
        rows, next_cursor = [], None
    query = g.copy()
    query.pop("cursor", None)
    return render(request, "cases/list.html", {
        "rows": rows, "next_cursor": next_cursor, "filters": filters, "statuses": rules.STATUS_LABELS,
        "warnings": rules.WARNING_LABELS, "query": query.urlencode(),
        "departments": access.visible_departments(request.user).filter(kind="department").only("code", "name"),
    })


# --- One case ---------------------------------------------------------------------------------
def _detail_context(request, case: Case) -> dict:
    user = request.user
    steps = list(case.steps.all())
    commitments = list(case.commitments.all())
    open_commitment = next((c for c in commitments if c.kind == "pending_materials" and c.is_open), None)
    can = {a: rules.WORKFLOW.allowed(case.status, a) for a in rules.ACTIONS}
    is_owner = common.in_scope(user, case.department_id)
    my_steps = [s for s in steps if s.status == StepStatus.ACTIVE and access.has_perm(user, common.REVIEW)
                and common.in_scope(user, s.department_id)]
    stages: dict[int, list] = {}
    for step in steps:
        stages.setdefault(step.stage, []).append(step)
    return {
        "case": case, "steps": steps, "stages": sorted(stages.items()), "my_steps": my_steps,
        "commitments": commitments, "open_commitment": open_commitment, "events": list(case.events.all()),
        "documents": queries.documents(case), "can": can, "today": clock.today(),
        "materials": list(case.materials.all()), "material_statuses": MaterialStatus.choices,
        "suspension_kinds": SuspensionKind.choices, "extension_cap": rules.extension_cap(case.kind),
        "extension_note": rules.extension_approver_note(case.kind),
        "pending_extension": next((e for e in case.extensions.all() if e.status == "requested"), None),
        "open_suspension": next((s for s in case.suspensions.all() if s.to_date is None), None),
        "may": {
            "accept": access.has_perm(user, common.ACCEPT),
            "review": access.has_perm(user, common.REVIEW) and (is_owner or bool(my_steps)),
            "decide": access.has_perm(user, common.DECIDE) and is_owner,
            "extend": access.has_perm(user, common.REVIEW) and is_owner,
            "approve_extension": access.has_perm(user, common.APPROVE_EXTENSION) and is_owner,
            "stop": access.has_perm(user, common.STOP) and is_owner,
            "verify": access.has_perm(user, common.VERIFY) and is_owner,
        },
        "verification": PostVerification.objects.filter(case=case).first(),
        "limit_sources": rules.LIMIT_SOURCE_LABELS, "warning_labels": rules.WARNING_LABELS,
    }


@login_required
def detail(request, case_no: str):
    _require(request, common.VIEW)
    try:
        case = queries.case_detail(request.user, case_no)
    except ServiceError:
        raise Http404(_("办件不存在或您无权查看")) from None
    context = _detail_context(request, case)
    if context["may"]["accept"] and case.status == rules.SUBMITTED:
        try:
            context["hits"] = acceptance.run_checks(case, None)
        except ServiceError as exc:
            context["hits_error"] = exc.message
    return render(request, "cases/detail.html", context)


@login_required
@require_POST
def act(request, case_no: str, action: str):
    """Run one action from a form; PRG back to the case with the outcome as a message."""
    if action not in ACTIONS:
        raise Http404(_("未知的操作"))
    handler = ACTIONS[action]
    case = Case.objects.filter(case_no=case_no.strip().upper()[:24]).only("id", "case_no").first()
    if case is None or not common.can_view(request.user, case):
        raise Http404(_("办件不存在或您无权查看"))
    row_version = form_int(request.POST.get("row_version"))
    if action == "checks":
        return _checks(request, case)
    try:
        with transaction.atomic():
            message = handler(request.user, case, row_version, request.POST)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, message)
    return redirect(reverse("cases:detail", kwargs={"case_no": case.case_no}) + "#actions")


def _checks(request, case: Case):
    """HTMX: re-run the acceptance checks with the ID number typed from the applicant's card."""
    _require(request, common.ACCEPT)
    full = Case.objects.select_related("item", "item_version").get(pk=case.pk)
    context = {"case": full}
    try:
        context["hits"] = acceptance.run_checks(full, request.POST.get("id_number", "")[:40] or None)
    except ServiceError as exc:
        context["hits_error"] = exc.message
    return render(request, "cases/_checks.html", context)


# --- Public progress lookup -------------------------------------------------------------------
def progress(request):
    """No login: the case number plus the last four characters of the applicant's ID show the status
    and the public timeline. Misses are limited per address (the four characters are guessable)."""
    number = request.GET.get("no", "").strip().upper()[:24]
    last4 = request.GET.get("last4", "").strip().upper()[:4]
    context = {"no": number, "case": None}
    if number and last4:
        key = f"cases:progress:{_client_ip(request)}"
        misses = cache.get(key, 0)
        if misses >= PROGRESS_FAILURES:
            context["error"] = _("查询次数过多，请一小时后再试，或拨打 12345 咨询。")
        else:
            case = queries.public_progress(number, last4)
            if case is None:
                cache.set(key, misses + 1, PROGRESS_WINDOW)
                context["error"] = _("办件编号或证件号码后四位不正确。")
            else:
                context["case"] = case
                context["events"] = list(case.events.all())
    response = render(request, "cases/progress.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


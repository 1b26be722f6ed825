"""Applicants' pages: apply online (网上申报), My cases, the material library, and file downloads.

Pages that take uploads are CSRF-exempt on the outside and CSRF-protected inside: the upload guard
must run before anything reads the body (the CSRF check does), so that an oversized file is capped
while it arrives and a broken body gets a clear message instead of an error page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from yingshang.cases import queries, queries_applicant, rules
from yingshang.cases.models import Case
from yingshang.cases.services import applications, common, library, lifecycle, online
from yingshang.cases.view_actions import form_int
from yingshang.catalog.models import ServiceItem
from yingshang.catalog.queries import in_force
from yingshang.catalog.services import version_in_force
from yingshang.kernel import access, clock
from yingshang.kernel.errors import NotFound, ServiceError
from yingshang.kernel.services import uploads

PAGE_SIZE = 20


def _require_apply(request) -> None:
    access.check_perm(request.user, common.APPLY)


# --- Choosing an item ------------------------------------------------------------------------------
@login_required
def apply_index(request):
    _require_apply(request)
    q = request.GET.get("q", "").strip()[:50]
    versions = in_force(clock.today()).order_by("item__code").only(
        "name", "channels", "item__code", "item__department__name")[:2000]
    items = [v for v in versions if applications.ONLINE_CHANNELS & set(v.channels or [])
             and (not q or q in v.name or q.upper() in v.item.code)]
    drafts = (Case.objects.filter(applicant_id=request.user.pk, status__in=online.EDITABLE)
              .select_related("item").order_by("-id")[:20])
    return render(request, "cases/apply.html", {"items": items, "q": q, "drafts": drafts})


# --- The application form --------------------------------------------------------------------------
def _rows(user, version, case: Case | None) -> list[dict]:
    """One row per material: the catalog's requirements, what is provided, library and e-licence choices."""
    provided = {m.material_id: m for m in case.materials.all()} if case else {}
    stock = list(library.entries(user)[: library.MAX_ENTRIES])
    licences = library.holder_licences(user)
    rows = []
    for material in version.materials.order_by("sort_order", "id"):
        suggested = library.suggest(stock, material.name) if material.from_library else []
        rows.append({
            "material": material, "provided": provided.get(material.pk), "suggested": suggested,
            "others": [e for e in stock if e not in suggested] if material.from_library else [],
            "licences": [lic for lic in licences if library.licence_matches(lic, material.elicense_type)],
        })
    return rows


def _changes(request, version) -> online.Changes:
    post, files = request.POST, request.FILES
    changes = online.Changes(form={k: post.get(k, "") for k in online.FORM_FIELDS}, keep=post.get("keep") == "1")
    for material_id in version.materials.values_list("id", flat=True):
        if files.get(f"file_{material_id}"):
            changes.uploads[material_id] = files[f"file_{material_id}"]
        elif form_int(post.get(f"library_{material_id}")):
            changes.library[material_id] = form_int(post.get(f"library_{material_id}"))
        elif post.get(f"licence_{material_id}", "").strip():
            changes.licences[material_id] = post.get(f"licence_{material_id}", "").strip()[:64]
        elif post.get(f"clear_{material_id}"):
            changes.clear.append(material_id)
    return changes


def _save(request, item: ServiceItem, version, case: Case | None) -> Case:
    """Create the draft if needed, save form and materials, and submit when asked — one transaction."""
    user = request.user
    changes = _changes(request, version)
    with transaction.atomic():
        if case is None:
            case = applications.do_create_application(user, item.code, submit=False)
            row_version = case.row_version
        else:
            row_version = form_int(request.POST.get("row_version"))
        case = online.do_update(user, case.pk, row_version, changes)
        if request.POST.get("action") == "submit":
            if case.status == rules.DRAFT:
                case = applications.do_submit(user, case.pk, case.row_version)
            else:
                case = online.do_resubmit(user, case.pk, case.row_version, note=request.POST.get("note", ""))
    return case


@csrf_exempt
@never_cache
@login_required
def apply_form(request, item_code: str, case_id: int | None = None):
    error = uploads.guard_request(request) if request.method == "POST" else None
    if error is not None:
        return _form_page(request, item_code, case_id, error=error, posted=False)
    return _apply_form(request, item_code, case_id)


@csrf_protect
def _apply_form(request, item_code: str, case_id: int | None):
    if request.method != "POST":
        return _form_page(request, item_code, case_id)
    _require_apply(request)
    item, version, case = _load(request, item_code, case_id)
    try:
        case = _save(request, item, version, case)
    except ServiceError as exc:
        return _form_page(request, item_code, case_id, error=exc, posted=True)
    if case.status == rules.SUBMITTED:
        messages.success(request, _("申请已提交，办件编号 %(no)s。可在“我的办件”查看进度。") % {"no": case.case_no})
        return redirect("cases:mine-detail", case_no=case.case_no)
    messages.success(request, _("已保存。"))
    return redirect("cases:apply-draft", item_code=item.code, case_id=case.pk)


def _load(request, item_code: str, case_id: int | None):
    code = (item_code or "").strip().upper()[:64]
    item = ServiceItem.objects.select_related("department").filter(code=code).first()
    if item is None:
        raise Http404(_("没有这个事项"))
    case = None
    if case_id is not None:
        try:
            case = queries_applicant.own_case(request.user, case_id=case_id)
        except NotFound:
            raise Http404(_("申请不存在或不是您本人的申请")) from None
        if case.item_id != item.pk:
            raise Http404(_("申请不存在或不是您本人的申请"))
    version = case.item_version if case else version_in_force(item, clock.today())
    return item, version, case


def _form_page(request, item_code: str, case_id: int | None, *, error: ServiceError | None = None, posted: bool = False):
    _require_apply(request)
    item, version, case = _load(request, item_code, case_id)
    if case is not None and case.status not in online.EDITABLE:
        return redirect("cases:mine-detail", case_no=case.case_no) if case.case_no else redirect("cases:mine")
    if version is None:
        messages.error(request, _("该事项当前没有有效的办事指南版本，暂不能申报。"))
        return redirect("cases:apply")
    offered = bool(applications.ONLINE_CHANNELS & set(version.channels or []))
    user = request.user
    form = {k: request.POST.get(k, "") for k in online.FORM_FIELDS} if posted else (
        online.form_data(case) if case else {})
    context = {
        "item": item, "version": version, "case": case, "rows": _rows(user, version, case), "offered": offered,
        "form": form, "error": error, "fields": online.FORM_FIELDS, "max_mb": uploads.max_bytes() // (1024 * 1024),
        "is_enterprise": access.has_role(user, access.ENTERPRISE), "prereviews": list(case.prereviews.all()) if case else [],
        "drafts": [] if case else list(Case.objects.filter(applicant_id=user.pk, item=item, status=rules.DRAFT)
                                         .order_by("-id").values_list("pk", flat=True)[:5]),
    }
    status = getattr(error, "status", 200) if error else 200
    return render(request, "cases/apply_form.html", context, status=status)


# --- My cases ------------------------------------------------------------------------------------
@never_cache
@login_required
def mine(request):
    _require_apply(request)
    try:
        rows, next_cursor = queries_applicant.my_cases_page(request.user, request.GET.get("cursor") or None, PAGE_SIZE)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("cases:mine")
    return render(request, "cases/mine.html", {"rows": rows, "next_cursor": next_cursor, "editable": online.EDITABLE})


@never_cache
@login_required
def mine_detail(request, case_no: str):
    _require_apply(request)
    try:
        case = queries_applicant.own_case(request.user, case_no=case_no)
    except NotFound:
        raise Http404(_("办件不存在或不是您本人的申请")) from None
    materials = list(case.materials.all())
    return render(request, "cases/mine_detail.html", {
        "case": case, "materials": materials, "events": list(case.events.all()), "documents": queries.documents(case),
        "prereviews": list(case.prereviews.all()), "commitments": list(case.commitments.all()),
        "editable": case.status in online.EDITABLE, "can_withdraw": rules.WORKFLOW.allowed(case.status, rules.WITHDRAW),
    })


@login_required
@require_POST
def mine_withdraw(request, case_no: str):
    _require_apply(request)
    try:
        case = queries_applicant.own_case(request.user, case_no=case_no)
        with transaction.atomic():
            lifecycle.do_withdraw(request.user, case.pk, form_int(request.POST.get("row_version")),
                                  reason=request.POST.get("reason", ""))
    except NotFound:
        raise Http404(_("办件不存在或不是您本人的申请")) from None
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("申请已撤回。"))
    return redirect("cases:mine-detail", case_no=case.case_no)


# --- Material library ---------------------------------------------------------------------------
@csrf_exempt
@never_cache
@login_required
def library_page(request):
    error = uploads.guard_request(request, max_files=1) if request.method == "POST" else None
    return _library_page(request, error)


@csrf_protect
def _library_page(request, error):
    _require_apply(request)
    status = 200
    if request.method == "POST" and error is None:
        try:
            with transaction.atomic():
                library.do_add(request.user, request.FILES.get("file"), request.POST.get("material_name", ""))
        except ServiceError as exc:
            error = exc
        else:
            messages.success(request, _("已加入材料库。"))
            return redirect("cases:library")
    if error is not None:
        status = error.status
    entries = list(library.entries(request.user)[: library.MAX_ENTRIES])
    return render(request, "cases/library.html", {"entries": entries, "error": error,
                                                  "max_mb": uploads.max_bytes() // (1024 * 1024)}, status=status)


@login_required
@require_POST
def library_delete(request, entry_id: int):
    _require_apply(request)
    try:
        with transaction.atomic():
            library.do_delete_entry(request.user, entry_id)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已从材料库删除。已提交的申请仍保留该文件。"))
    return redirect("cases:library")


# --- Downloads ------------------------------------------------------------------------------------
@never_cache
@login_required
@require_GET
def file_download(request, file_id: int):
    """An uploaded material for its owner or staff who may view a case using it; never inline."""
    try:
        stored = library.check_download(request.user, file_id)
        data = uploads.open_stored(stored)
    except NotFound as exc:
        raise Http404(exc.message) from None
    except ServiceError as exc:
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type=stored.content_type)
    response["Content-Disposition"] = content_disposition_header(True, stored.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


"""Staff pages of the credit office and the reporting departments: imports with progress, the 重错
report, list management and the check. Every page asks `kernel.access` (through the services)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from yingshang.credit import forms, tasks
from yingshang.credit.choices import BatchSource, EntryStatus, ListKind
from yingshang.credit.models import ImportBatch, ListEntry
from yingshang.credit.services import common, lists, quality, subjects
from yingshang.credit.services import imports as batches
from yingshang.credit.services.joint import check
from yingshang.kernel import access
from yingshang.kernel.errors import ServiceError
from yingshang.kernel.jobs import enqueue_on_commit
from yingshang.kernel.models import AuditEntry

PAGE_SIZE = 50


def _collect_departments(user):
    return access.visible_departments(user).filter(is_active=True).order_by("path")


def _page(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page", 1)), 1000))
    except ValueError:
        return 1


@login_required
@require_GET
def home(request):
    access.check_perm(request.user, common.VIEW)
    batches = access.scope_by_department(ImportBatch.objects.select_related("department"), request.user)[:10]
    counts = dict(ListEntry.objects.filter(status=EntryStatus.ACTIVE).values_list("list_kind").annotate(n=Count("id")))
    return render(request, "credit/home.html", {
        "batches": batches, "counts": [(label, counts.get(value, 0)) for value, label in ListKind.choices],
        "can_collect": access.has_perm(request.user, common.COLLECT),
        "can_lists": access.has_perm(request.user, common.DESIGNATE),
    })


# --- imports ------------------------------------------------------------------------------------

@login_required
def imports(request):
    access.check_perm(request.user, common.COLLECT)
    departments = _collect_departments(request.user)
    form = forms.UploadForm(request.POST or None, request.FILES or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            with transaction.atomic():
                batch = batches.do_create_batch(request.user, kind=form.cleaned_data["kind"],
                                                department=form.cleaned_data["department"], source=BatchSource.UPLOAD,
                                                file_name=upload.name, upload=upload)
                enqueue_on_commit(tasks.run_import, batch.pk)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已提交导入批次 #{batch.pk}，正在后台导入")
            return redirect("credit:batch", pk=batch.pk)
    page = _page(request)
    qs = access.scope_by_department(ImportBatch.objects.select_related("department"), request.user)
    rows = list(qs[(page - 1) * PAGE_SIZE:page * PAGE_SIZE + 1])
    return render(request, "credit/imports.html", {"form": form, "batches": rows[:PAGE_SIZE], "page": page,
                                                   "has_next": len(rows) > PAGE_SIZE})


def _batch(request, pk: int) -> ImportBatch:
    try:
        return batches.get_batch(request.user, pk)
    except (ServiceError, PermissionDenied):  # another department's batch: as if it did not exist
        raise Http404("导入批次不存在") from None


@login_required
@require_GET
def batch_detail(request, pk: int):
    batch = _batch(request, pk)
    return render(request, "credit/batch.html", {"batch": batch, "issues": batch.issues.all()[:200],
                                                 "progress": batches.read_progress(batch)})


@login_required
@require_GET
def batch_progress(request, pk: int):
    batch = _batch(request, pk)
    return render(request, "credit/_batch_progress.html", {"batch": batch, "progress": batches.read_progress(batch)})


@login_required
@require_POST
def batch_rerun(request, pk: int):
    try:
        with transaction.atomic():
            batch = batches.do_rerun_batch(request.user, pk)
            enqueue_on_commit(tasks.run_import, batch.pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已重新提交导入")
    return redirect("credit:batch", pk=pk)


@login_required
@require_GET
def batch_corrections(request, pk: int):
    batch = _batch(request, pk)
    path = Path(settings.DATA_DIR) / batch.corrections_path if batch.corrections_path else None
    if path is None or not path.is_file():
        raise Http404("该批次没有纠错文件")
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"纠错文件-批次{batch.pk}.xlsx")


# --- 重错 report -----------------------------------------------------------------------------------

def _report_department(request):
    access.check_perm(request.user, common.VIEW)
    departments = _collect_departments(request.user)
    code = request.GET.get("department") or getattr(request.user.department, "code", "")
    department = departments.filter(code=code).first() or departments.first()
    return departments, department


@login_required
@require_GET
def duplicates(request):
    departments, department = _report_department(request)
    report = quality.build(department) if department else None
    return render(request, "credit/duplicates.html", {"departments": departments, "department": department,
                                                      "report": report})


@login_required
@require_GET
def duplicates_export(request):
    _departments, department = _report_department(request)
    if department is None:
        raise Http404("没有可查看的部门")
    data = quality.export_xlsx(quality.build(department))
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(f'重错清单-{department.code}.xlsx')}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


# --- lists ------------------------------------------------------------------------------------------

@login_required
@require_GET
def entries(request):
    access.check_perm(request.user, common.DESIGNATE)
    qs = lists.entries_for_user(request.user)
    status = request.GET.get("status", EntryStatus.ACTIVE)
    if status in EntryStatus.values:
        qs = qs.filter(status=status)
    list_kind = request.GET.get("list_kind", "")
    if list_kind in ListKind.values:
        qs = qs.filter(list_kind=list_kind)
    query = request.GET.get("q", "").strip()[:100]
    error = ""
    if query:
        from yingshang.credit.services.publicity import subject_filter

        try:
            qs = qs.filter(subject_filter(query))
        except ServiceError as exc:
            error = exc.message
    page = _page(request)
    rows = list(qs[(page - 1) * PAGE_SIZE:page * PAGE_SIZE + 1])
    return render(request, "credit/entries.html", {
        "entries": rows[:PAGE_SIZE], "has_next": len(rows) > PAGE_SIZE, "page": page, "status": status,
        "statuses": EntryStatus.choices, "list_kind": list_kind, "list_kinds": ListKind.choices, "q": query,
        "error": error})


@login_required
def designate(request):
    access.check_perm(request.user, common.DESIGNATE)
    types = lists.designatable_types(request.user)
    departments = access.visible_departments(request.user).filter(is_active=True).order_by("path")
    if access.has_perm(request.user, common.MANAGE_LISTS):
        from yingshang.kernel.models import Department

        departments = Department.objects.filter(is_active=True).order_by("path")
    form = forms.DesignateForm(request.POST or None, request.FILES or None, list_types=types, departments=departments)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                entry = lists.do_designate(
                    request.user, subject=lists.SubjectInput(data["code"], data["subject_name"]),
                    list_type=data["list_type"], department=data["department"], basis=data["basis"],
                    reason=data["reason"], document_name=data["document_name"], document_no=data["document_no"],
                    decided_on=data["decided_on"], valid_from=data["valid_from"], valid_until=data["valid_until"],
                    published=data["published"], attachment=data["attachment"])
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "已认定列入名单")
            return redirect("credit:entry", pk=entry.pk)
    return render(request, "credit/designate.html", {"form": form})


def _entry(request, pk: int) -> ListEntry:
    access.check_perm(request.user, common.DESIGNATE)
    entry = lists.entries_for_user(request.user).filter(pk=pk).first()
    if entry is None:
        raise Http404("名单记录不存在")
    return entry


@login_required
@require_GET
def entry_detail(request, pk: int):
    entry = _entry(request, pk)
    history = AuditEntry.objects.filter(object_type="credit.listentry", object_id=str(entry.pk)).order_by("seq")
    return render(request, "credit/entry.html", {"entry": entry, "history": history,
                                                 "remove_form": forms.RemoveForm() if entry.is_active else None})


@login_required
@require_POST
def entry_remove(request, pk: int):
    entry = _entry(request, pk)
    form = forms.RemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择移出原因并填写说明")
        return redirect("credit:entry", pk=entry.pk)
    try:
        with transaction.atomic():
            lists.do_remove(request.user, entry.pk, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"])
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已移出名单")
    return redirect("credit:entry", pk=entry.pk)


@login_required
@require_GET
def entry_attachment(request, pk: int):
    entry = _entry(request, pk)
    if not entry.attachment:
        raise Http404("没有附件")
    return FileResponse(entry.attachment.open("rb"), as_attachment=True,
                        filename=f"认定文书-{entry.pk}{Path(entry.attachment.name).suffix}")


# --- subjects and the check ------------------------------------------------------------------------

@login_required
def subject_detail(request, pk: int):
    access.check_perm(request.user, common.VIEW)
    try:
        subject = subjects.get(pk)
        reveal = request.method == "POST" and request.POST.get("reveal") == "1"
        with transaction.atomic():
            shown = subjects.view(request.user, subject, reveal=reveal)
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from None
        messages.error(request, exc.message)
        return redirect("credit:subject", pk=pk)
    return render(request, "credit/subject.html", {"subject": subject, "shown": shown,
                                                   "can_reveal": subjects.can_reveal(request.user) and subject.is_person,
                                                   **subjects.summary(subject)})


@login_required
def check_page(request):
    access.check_perm(request.user, common.CHECK)
    form = forms.CheckForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = check(form.cleaned_data["code"], form.cleaned_data["scenario"] or None)
        except ServiceError as exc:
            form.add_error("code", exc.message)
    return render(request, "credit/check.html", {"form": form, "result": result})

"""The web shell: sign-in, a home page per role, the inbox, and read-only pages over kernel data.

Pages show only what `yingshang.kernel.access` allowed. The data of each home page comes from a
small query function below, so its query count is tested (tests/kernel/test_web_home.py).
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from yingshang.kernel import access, navigation, portal
from yingshang.kernel.models import AuditEntry, AuditHead, CalendarYear, Department, Message, User
from yingshang.kernel.services import notifications

INBOX_PAGE_SIZE = 20
AUDIT_PAGE_SIZE = 50


# --- Sign-in --------------------------------------------------------------------------------
class LoginForm(AuthenticationForm):
    """Django's form with our Chinese labels and one message that does not reveal which part was wrong."""

    username = forms.CharField(label=_("用户名"), max_length=150,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    password = forms.CharField(label=_("密码"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    error_messages = {
        "invalid_login": _("用户名或密码不正确（区分大小写），请重新输入。"),
        "inactive": _("该账号已停用，请联系系统管理员。"),
    }


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        }


# --- Home: one template and one query function per role --------------------------------------
def _local_midnight() -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


def inbox_summary(user, limit: int = 5) -> dict:
    """The user's latest site messages and how many are unread (2 queries)."""
    site = Message.objects.filter(recipient=user, channel=Message.Channel.SITE)
    latest = list(site.only("id", "subject", "created_at", "read_at")[:limit])
    return {"inbox_latest": latest, "inbox_unread": site.filter(read_at__isnull=True).count()}


def department_workload(user, *, subtree: bool) -> dict:
    """The user's department and, for a head, the units below it and the staff in them (≤ 3 queries)."""
    dept = user.department
    if dept is None:
        return {"department": None}
    units = Department.objects.filter(path__startswith=dept.path, is_active=True) if subtree else \
        Department.objects.filter(pk=dept.pk)
    return {
        "department": dept,
        "unit_count": units.count(),
        "staff_count": User.objects.filter(department__in=units, is_active=True).count(),
    }


def supervision_overview() -> dict:
    """City-wide counts from kernel data: today's audit entries by action, departments by kind (3 queries)."""
    today = AuditEntry.objects.filter(created_at__gte=_local_midnight())
    by_kind = dict(Department.objects.filter(is_active=True).values_list("kind").annotate(n=Count("id")))
    return {
        "audit_today": today.count(),
        "audit_top_actions": list(today.values("action").annotate(n=Count("id")).order_by("-n", "action")[:5]),
        "departments_by_kind": [(label, by_kind.get(value, 0)) for value, label in Department.Kind.choices],
        "departments_total": sum(by_kind.values()),
    }


def system_status() -> dict:
    """What an administrator checks: calendar years with an official schedule, the audit chain head (4 queries)."""
    this_year = timezone.localdate().year
    official = set(CalendarYear.objects.values_list("year", flat=True))
    head = AuditHead.objects.filter(pk=1).values_list("seq", "hash").first()
    return {
        "calendar_years": [(y, y in official) for y in (this_year - 1, this_year, this_year + 1)],
        "official_years": sorted(official),
        "audit_head": {"seq": head[0], "hash": head[1]} if head else None,
        "user_count": User.objects.filter(is_active=True).count(),
        "failed_messages": Message.objects.filter(status=Message.Status.FAILED).count(),
    }


def _supervisor_home(user) -> dict:
    return {**inbox_summary(user), **supervision_overview(),
            "can_view_audit": access.has_perm(user, "kernel.view_audit")}


def _admin_url(name: str) -> str:
    """The admin page's URL, or "" while that model has no admin (it is registered by its own module)."""
    try:
        return reverse(f"admin:{name}")
    except NoReverseMatch:
        return ""


def _admin_home(user) -> dict:
    links = {key: _admin_url(name) for key, name in (
        ("calendar", "kernel_calendaryear_changelist"), ("audit", "kernel_auditentry_changelist"),
        ("users", "kernel_user_changelist"))}
    return {**system_status(), **supervision_overview(), "admin_links": links,
            "can_view_audit": access.has_perm(user, "kernel.view_audit")}


HOME_DATA = {
    access.DEPT_REVIEWER: lambda user: {**inbox_summary(user), **department_workload(user, subtree=False)},
    access.DEPT_HEAD: lambda user: {**inbox_summary(user), **department_workload(user, subtree=True)},
    access.WINDOW_CLERK: lambda user: {**inbox_summary(user), **department_workload(user, subtree=False)},
    access.SUPERVISOR: _supervisor_home,
    access.LEADER: _supervisor_home,
    access.ADMIN: _admin_home,
}


# Applicants get the public portal under their own panels; staff get their workbench.
PORTAL_ROLES = frozenset({access.CITIZEN, access.ENTERPRISE})


def home(request):
    """The public portal (门户) for visitors; for a signed-in user, the home of their primary role.

    The portal's sections (search, most used items, themes) come from the domain apps through
    `kernel.portal`; citizens and enterprises see them below their own messages and modules.
    """
    user = request.user
    modules = [item for item in navigation.visible_items(user) if item.key not in _NOT_MODULES]
    if not user.is_authenticated:
        public = [item for item in modules if item.audience in _PUBLIC_AUDIENCES]
        return render(request, "kernel/home/anonymous.html", {"public_modules": public, "portal": portal.sections(request)})
    role = access.primary_role(user)
    if not role:
        return render(request, "kernel/home/none.html")
    data = HOME_DATA.get(role, inbox_summary)(user)
    if role in PORTAL_ROLES:
        data["portal"] = portal.sections(request)
    return render(request, f"kernel/home/{role}.html", {"role": role, "modules": modules, **data})


# The kernel's own entries: the home page has panels for them, and the navigation bar links them.
_NOT_MODULES = frozenset({"home", "inbox", "departments", "audit", "admin"})
_PUBLIC_AUDIENCES = frozenset({navigation.PUBLIC, navigation.ANONYMOUS})


_VERIFY_CODE = re.compile(r"^[A-Za-z0-9-]{4,64}$")


@require_GET
def verify_lookup(request):
    """The landing page's form: a typed verification code goes to the document's public verify page."""
    code = re.sub(r"[\s\u3000]+", "", request.GET.get("code", "")).upper()
    if not _VERIFY_CODE.fullmatch(code):
        messages.error(request, gettext("核验码格式不正确：应为 4–64 位字母、数字或连字符。"))
        return redirect(reverse("home") + "#verify")
    return redirect("document-verify", code=code)


# --- Inbox ----------------------------------------------------------------------------------
def _site_messages(user):
    return Message.objects.filter(recipient=user, channel=Message.Channel.SITE)


@login_required
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    queryset = _site_messages(request.user)
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    before = request.GET.get("before", "")
    if before.isdigit():
        queryset = queryset.filter(id__lt=int(before))
    rows = list(queryset.order_by("-id")[: INBOX_PAGE_SIZE + 1])
    return render(request, "kernel/inbox.html", {
        "rows": rows[:INBOX_PAGE_SIZE],
        "older": rows[INBOX_PAGE_SIZE - 1].id if len(rows) > INBOX_PAGE_SIZE else None,
        "unread_only": unread_only,
        "unread_count": _site_messages(request.user).filter(read_at__isnull=True).count(),
    })


@login_required
@require_POST
def inbox_read(request, pk: int):
    with transaction.atomic():
        notifications.mark_read(request.user, [pk])
    if request.htmx:
        row = _site_messages(request.user).filter(pk=pk).first()
        return render(request, "kernel/_inbox_row.html", {"message": row}) if row else redirect("inbox")
    return redirect("inbox")


@login_required
@require_POST
def inbox_read_all(request):
    with transaction.atomic():
        count = notifications.mark_read(request.user)
    messages.success(request, gettext("已将 %(count)d 条消息标记为已读。") % {"count": count})
    return redirect("inbox")


# --- Read-only pages over kernel data ---------------------------------------------------------
@login_required
def departments(request):
    access.check_perm(request.user, "kernel.view_departments")
    rows = Department.objects.filter(is_active=True).order_by("path").only(
        "code", "name", "kind", "path", "address", "phone")
    return render(request, "kernel/departments.html", {"rows": rows})


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("动作"), required=False, max_length=64)
    object_type = forms.CharField(label=_("对象类型"), required=False, max_length=64)
    date = forms.DateField(label=_("日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


@login_required
def audit_log(request):
    """The newest audit entries, filtered, paged by sequence number (no COUNT over millions of rows)."""
    access.check_perm(request.user, "kernel.view_audit")
    form = AuditFilterForm(request.GET or None)
    queryset = AuditEntry.objects.order_by("-seq")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["action"]:
            queryset = queryset.filter(action__startswith=data["action"].strip())
        if data["object_type"]:
            queryset = queryset.filter(object_type=data["object_type"].strip())
        if data["date"]:
            start = timezone.make_aware(datetime.combine(data["date"], time.min))
            queryset = queryset.filter(created_at__gte=start, created_at__lt=start + timedelta(days=1))
        if data["before"]:
            queryset = queryset.filter(seq__lt=data["before"])
    rows = list(queryset[: AUDIT_PAGE_SIZE + 1])
    query = request.GET.copy()
    older = None
    if len(rows) > AUDIT_PAGE_SIZE:
        query["before"] = rows[AUDIT_PAGE_SIZE - 1].seq
        older = query.urlencode()
    context = {"form": form, "rows": rows[:AUDIT_PAGE_SIZE], "older": older}
    template = "kernel/_audit_rows.html" if request.htmx and not request.htmx.boosted else "kernel/audit_log.html"
    return render(request, template, context)

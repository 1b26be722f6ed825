"""The credit office dashboard (信用驾驶舱, issue 4 §11): collection by department and month, list sizes,
measures applied (feedback), objections and repairs, the quality ranking, score tiers. Read-only
GROUP BY queries; each figure is the same in the page, its chart and the API."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from yingshang.credit.choices import EntryStatus, FeedbackOutcome, ListKind
from yingshang.credit.models import Feedback, LicenseRecord, ListEntry, OtherRecord, PenaltyRecord, SubjectScore
from yingshang.credit.services import monitoring
from yingshang.kernel import access, clock
from yingshang.kernel.models import Department

VIEW_DASHBOARD = "credit.view_dashboard"  # the credit office dashboard: city-wide figures
PERMISSIONS = {VIEW_DASHBOARD: {access.CREDIT_OFFICER, access.LEADER, access.SUPERVISOR, access.ADMIN}}
MONTHS = 12
KINDS = (("license", "行政许可", LicenseRecord), ("penalty", "行政处罚", PenaltyRecord), ("other", "其他信用信息", OtherRecord))


@dataclass
class Dashboard:
    months: list[date]
    collected: dict[str, dict[str, int]]  # "YYYY-MM" -> kind -> count (first reported in the month)
    by_department: list[dict]  # department rows: code, name, kind counts, late, total over the period
    lists: list[dict]  # list type rows: code, name, kind, active
    list_kinds: dict[str, int]
    feedback: list[dict]  # department rows: applied, not_applied
    handling: dict[str, dict]  # objection / repair -> counts (when those models exist)
    quality: monitoring.QualityReport
    tiers: list[dict] = field(default_factory=list)

    def month_totals(self) -> list[tuple[str, int]]:
        return [(f"{m:%Y-%m}", sum(self.collected.get(f"{m:%Y-%m}", {}).values())) for m in self.months]

    def as_dict(self) -> dict:
        return {"months": [f"{m:%Y-%m}" for m in self.months], "collected": self.collected,
                "by_department": self.by_department, "lists": self.lists, "list_kinds": self.list_kinds,
                "feedback": self.feedback, "handling": self.handling, "quality": self.quality.as_dict(),
                "tiers": self.tiers}


def check_view(user) -> None:
    access.check_perm(user, VIEW_DASHBOARD)


def _months(today: date) -> list[date]:
    first = today.replace(day=1)
    out = []
    for i in range(MONTHS - 1, -1, -1):
        index = first.year * 12 + first.month - 1 - i
        out.append(date(index // 12, index % 12 + 1, 1))
    return out


def build(user, *, month: date | None = None) -> Dashboard:
    check_view(user)
    today = clock.today()
    months = _months(today)
    since, _until = monitoring._bounds(months[0], today)
    collected: dict[str, dict[str, int]] = defaultdict(dict)
    per_dept: dict[int, dict] = defaultdict(lambda: {"license": 0, "penalty": 0, "other": 0, "late": 0})
    for kind, _label, model in KINDS:
        rows = (model.objects.filter(submitted_at__gte=since).order_by()
                .annotate(m=TruncMonth("submitted_at")).values_list("department_id", "m")
                .annotate(n=Count("id"), late=Count("id", filter=Q(is_late=True))))
        for dept_id, m, n, late in rows:
            key = f"{m:%Y-%m}"
            collected[key][kind] = collected[key].get(kind, 0) + n
            per_dept[dept_id][kind] += n
            if kind != "other":
                per_dept[dept_id]["late"] += late
    names = dict(Department.objects.filter(pk__in=list(per_dept)).values_list("pk", "name"))
    codes = dict(Department.objects.filter(pk__in=list(per_dept)).values_list("pk", "code"))
    by_department = sorted(({"department": codes[d], "name": names[d], **v, "total": v["license"] + v["penalty"] + v["other"]}
                            for d, v in per_dept.items()), key=lambda r: (-r["total"], r["department"]))
    lists = [{"code": c, "name": n, "list_kind": k, "list_kind_label": str(ListKind(k).label), "active": a} for c, n, k, a in (
        ListEntry.objects.filter(status=EntryStatus.ACTIVE).order_by().values_list("list_type__code", "list_type__name",
                                                                                   "list_kind").annotate(a=Count("id")))]
    lists.sort(key=lambda r: (-r["active"], r["code"]))
    list_kinds = {k: sum(r["active"] for r in lists if r["list_kind"] == k) for k in ListKind.values}
    feedback = [{"department": c, "name": n, "applied": a, "not_applied": na} for c, n, a, na in (
        Feedback.objects.filter(recorded_at__gte=since).order_by().values_list("department__code", "department__name")
        .annotate(a=Count("id", filter=Q(outcome=FeedbackOutcome.APPLIED)),
                  na=Count("id", filter=Q(outcome=FeedbackOutcome.NOT_APPLIED))))]
    feedback.sort(key=lambda r: (-r["applied"], r["department"]))
    tiers = [{"audience": a, "tier": c, "name": n, "subjects": k} for a, c, n, k in (
        SubjectScore.objects.order_by().values_list("audience", "tier_code", "tier_name").annotate(k=Count("pk")))]
    quality = monitoring.build(month or monitoring.month_of(None))
    return Dashboard(months, dict(collected), by_department, lists, list_kinds, feedback, _handling(today), quality, tiers)


def _handling(today: date) -> dict[str, dict]:
    """Objections and repairs by status, and open ones past their deadline (the repair work's models)."""
    out = {}
    for key in ("Objection", "Repair"):
        try:
            model = apps.get_model("credit", key)
        except LookupError:
            continue
        counts = dict(model.objects.order_by().values_list("status").annotate(n=Count("pk")))
        overdue = model.objects.filter(status="open", deadline__lt=today).count()
        out[key.lower()] = {"by_status": counts, "total": sum(counts.values()), "open": counts.get("open", 0),
                            "overdue": overdue}
    return out

"""双公示 quality monitoring: late (迟报), missing (瞒报) and compliance (合规) per department and month.

Formulas and weights are in `credit.rules_quality`. Read-only: nothing here changes state except
`do_issue_report`, which issues the monthly ranking as a verifiable PDF (kernel documents).

Missing decisions come from the government-services module through its service
(`cases.services.published.licensing_decisions`). A decision counts as reported when a 行政许可
record of the same department (a) has the decision document's number as 决定文书号, or (b) carries
the case number in 决定文书号, 许可编号 or 备注, or (c) is for the same applicant (USCC, or the
resident ID's keyed digest) with the same decision date. A decision is missing only once its
reporting deadline (7 working days, the day after the decision counted first) has passed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone

from yingshang.credit import rules, rules_quality
from yingshang.credit.choices import BatchStatus, IdKind
from yingshang.credit.models import ImportBatch, LicenseRecord, PenaltyRecord
from yingshang.credit.services import common
from yingshang.kernel import access, clock
from yingshang.kernel.errors import InvalidInput
from yingshang.kernel.models import Department
from yingshang.kernel.services.calendar import add_working_days

MAX_MISSING_LISTED = 2000


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@dataclass
class MissingDecision:
    case_no: str
    item_name: str
    department_code: str
    applicant: str  # organisations' names; persons as surname + *
    identifier: str  # USCC or masked personal number
    decided_on: date
    due_on: date
    document_no: str


@dataclass
class DepartmentQuality:
    department_id: int
    code: str
    name: str
    reported: int = 0
    late: int = 0
    rows_submitted: int = 0
    rows_accepted: int = 0
    licensing_due: int = 0  # known licensing decisions whose deadline passed
    missing: int = 0
    licensing_pending: int = 0  # known, deadline not yet passed
    score: float = 0.0
    rank: int = 0

    @property
    def late_rate(self) -> float | None:
        return rules_quality.rate(self.late, self.reported)

    @property
    def missing_rate(self) -> float | None:
        return rules_quality.rate(self.missing, self.licensing_due)

    @property
    def compliance_rate(self) -> float | None:
        return rules_quality.rate(self.rows_accepted, self.rows_submitted)

    # Shown as percentages on pages and in exports.
    late_pct = property(lambda self: _pct(self.late_rate))
    missing_pct = property(lambda self: _pct(self.missing_rate))
    compliance_pct = property(lambda self: _pct(self.compliance_rate))

    def as_dict(self) -> dict:
        return {"rank": self.rank, "department": self.code, "department_name": self.name, "score": self.score,
                "reported": self.reported, "late": self.late, "late_rate": self.late_rate,
                "rows_submitted": self.rows_submitted, "rows_accepted": self.rows_accepted,
                "compliance_rate": self.compliance_rate, "licensing_due": self.licensing_due, "missing": self.missing,
                "missing_rate": self.missing_rate, "licensing_pending": self.licensing_pending}


@dataclass
class QualityReport:
    month: date
    start: date
    end: date
    as_of: date
    formula: rules_quality.QualityFormula
    rows: list[DepartmentQuality]
    missing: list[MissingDecision] = field(default_factory=list)
    missing_truncated: bool = False

    @property
    def label(self) -> str:
        return f"{self.month.year}年{self.month.month}月"

    def totals(self) -> DepartmentQuality:
        total = DepartmentQuality(0, "", "全市合计")
        for row in self.rows:
            for name in ("reported", "late", "rows_submitted", "rows_accepted", "licensing_due", "missing",
                         "licensing_pending"):
                setattr(total, name, getattr(total, name) + getattr(row, name))
        total.score = rules_quality.score(total.compliance_rate, total.late_rate, total.missing_rate, self.formula)
        return total

    def as_dict(self) -> dict:
        f = self.formula
        return {"month": f"{self.month:%Y-%m}", "start": self.start, "end": self.end, "as_of": self.as_of,
                "formula": {"code": f.code, "compliance_weight": f.compliance_weight,
                            "timeliness_weight": f.timeliness_weight, "completeness_weight": f.completeness_weight},
                "totals": self.totals().as_dict(), "departments": [r.as_dict() for r in self.rows],
                "missing": [m.__dict__ for m in self.missing], "missing_truncated": self.missing_truncated}


def check_view(user) -> None:
    access.check_perm(user, common.VIEW)


def month_of(text: str | None) -> date:
    """The month asked for ('YYYY-MM'; empty: the previous month, the one the city reports on)."""
    if not text:
        first = clock.today().replace(day=1)
        return (first - timedelta(days=1)).replace(day=1)
    try:
        return rules_quality.parse_month(text)
    except ValueError:
        raise InvalidInput("credit.month_invalid", "月份格式应为 YYYY-MM，如 2026-10", details={"field": "month"}) from None


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(start, time.min), tz),
            timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz))


def build(month: date, *, as_of: date | None = None, user=None) -> QualityReport:
    """The month's figures for every department with activity, ranked. With `user`, the list of
    missing decisions is limited to the departments the user may see (the ranking stays city-wide:
    the city publishes it to every department)."""
    start, end = rules_quality.month_bounds(month)
    as_of = as_of or clock.today()
    rows: dict[int, DepartmentQuality] = {}

    def row(dept_id: int) -> DepartmentQuality:
        if dept_id not in rows:
            rows[dept_id] = DepartmentQuality(dept_id, "", "")
        return rows[dept_id]

    since, until = _bounds(start, end)
    for model in (LicenseRecord, PenaltyRecord):
        for dept_id, n, late in (model.objects.filter(submitted_at__gte=since, submitted_at__lt=until).order_by()
                                 .values_list("department_id").annotate(n=Count("id"), late=Count("id", filter=Q(is_late=True)))):
            r = row(dept_id)
            r.reported, r.late = r.reported + n, r.late + late
    for dept_id, accepted, rejected in (ImportBatch.objects.filter(
            kind__in=("license", "penalty"), status=BatchStatus.SUCCEEDED, finished_at__gte=since, finished_at__lt=until)
            .order_by().values_list("department_id").annotate(a=Sum("accepted"), r=Sum("rejected"))):
        r = row(dept_id)
        r.rows_accepted += accepted or 0
        r.rows_submitted += (accepted or 0) + (rejected or 0)
    missing = _missing(start, end, as_of, row)
    names = {d.pk: d for d in Department.objects.filter(pk__in=list(rows)).only("pk", "code", "name")}
    for dept_id, r in rows.items():
        r.code, r.name = names[dept_id].code, names[dept_id].name
    formula = rules_quality.formula_for(start)
    ordered = list(rows.values())
    for r in ordered:
        r.score = rules_quality.score(r.compliance_rate, r.late_rate, r.missing_rate, formula)
    ordered.sort(key=lambda r: (-r.score, -(r.reported + r.licensing_due), r.code))
    for r, rank in zip(ordered, rules_quality.ranks([r.score for r in ordered]), strict=True):
        r.rank = rank
    if user is not None:
        visible = set(access.visible_departments(user).values_list("code", flat=True))
        missing = [m for m in missing if m.department_code in visible]
    return QualityReport(start, start, end, as_of, formula, ordered, missing[:MAX_MISSING_LISTED],
                         len(missing) > MAX_MISSING_LISTED)


def _missing(start: date, end: date, as_of: date, row) -> list[MissingDecision]:
    from yingshang.cases.services.published import licensing_decisions
    from yingshang.kernel.services.documents import mask_person_name

    decisions = list(licensing_decisions(None, start, end))
    if not decisions:
        return []
    dept_ids = {d.department_id for d in decisions}
    by_number: set[tuple[int, str]] = set()
    by_text: dict[int, list[str]] = defaultdict(list)
    by_subject: set[tuple[int, str, date]] = set()
    month_records = (LicenseRecord.objects.filter(department_id__in=dept_ids, decision_date__range=(start, end))
                     .values_list("department_id", "document_no", "license_no", "remarks", "subject__id_kind",
                                  "subject__id_key", "decision_date"))
    for dept_id, document_no, license_no, remarks, id_kind, key, decided in month_records.iterator(chunk_size=5000):
        by_number.add((dept_id, document_no))
        by_text[dept_id].append(f"{document_no}\n{license_no}\n{remarks}")
        by_subject.add((dept_id, f"{id_kind}:{key}", decided))
    wanted = {d.document_no for d in decisions if d.document_no} | {d.case_no for d in decisions if d.case_no}
    wanted_list = sorted(wanted)
    for i in range(0, len(wanted_list), 500):
        chunk = wanted_list[i:i + 500]
        for dept_id, document_no, license_no in (LicenseRecord.objects.filter(department_id__in=dept_ids)
                                                 .filter(Q(document_no__in=chunk) | Q(license_no__in=chunk))
                                                 .values_list("department_id", "document_no", "license_no")):
            by_number.add((dept_id, document_no))
            by_number.add((dept_id, license_no))
    texts = {dept_id: "\n".join(parts) for dept_id, parts in by_text.items()}  # one C-level substring search each
    due_cache: dict[date, date] = {}
    found: list[MissingDecision] = []
    for d in decisions:
        if d.decided_on not in due_cache:
            rule = rules.reporting_rule_for(d.decided_on)
            due_cache[d.decided_on] = add_working_days(d.decided_on, rule.working_days if rule else 7).date
        due = due_cache[d.decided_on]
        r = row(d.department_id)
        if as_of <= due:
            r.licensing_pending += 1
            continue
        r.licensing_due += 1
        key = f"{IdKind.RESIDENT_ID}:{d.identifier_digest}" if d.applicant_is_person else f"{IdKind.USCC}:{d.uscc}"
        reported = ((d.document_no and (d.department_id, d.document_no) in by_number)
                    or (d.case_no and ((d.department_id, d.case_no) in by_number
                                       or d.case_no in texts.get(d.department_id, "")))
                    or (d.department_id, key, d.decided_on) in by_subject)
        if not reported:
            r.missing += 1
            found.append(MissingDecision(
                d.case_no, d.item_name, d.department_code,
                mask_person_name(d.applicant_name) if d.applicant_is_person else d.applicant_name,
                d.identifier_masked if d.applicant_is_person else d.uscc, d.decided_on, due, d.document_no))
    return sorted(found, key=lambda m: (m.decided_on, m.case_no))

"""联合奖惩 check: a subject's list memberships and the measures that apply in a business scenario.

`check` runs one indexed query (active entries by the subject's identity key, joined to the subject
and the designating department); list types, memoranda and measures come from a per-process cache
that each process re-reads when they change (signals in this process; a cheap fingerprint query at
most every CREDIT_MEASURES_RECHECK_SECONDS for changes made by other processes).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from django.conf import settings
from django.db.models import Count, Max, Q

from yingshang.credit.choices import Action, EntryStatus, FeedbackOutcome, IdKind, Scenario
from yingshang.credit.identity import display_code, lookup_key
from yingshang.credit.models import Feedback, ListEntry, ListType, Measure, Memorandum, Subject
from yingshang.credit.services import common
from yingshang.kernel import access, clock
from yingshang.kernel.db import prepared_cursor
from yingshang.kernel.errors import InvalidInput, NotFound
from yingshang.kernel.hooks import CheckHit
from yingshang.kernel.models import Department
from yingshang.kernel.services.audit import record

# --- the per-process catalog of list types and measures -------------------------------------------


@dataclass(frozen=True)
class MeasureInfo:
    id: int
    memorandum_code: str
    memorandum_title: str
    memorandum_document_no: str
    number: int
    content: str
    effect: str
    action: str
    scenarios: frozenset[str]
    applying_departments: str

    @property
    def blocking(self) -> bool:
        return self.action == Action.BLOCK


@dataclass(frozen=True)
class ListTypeInfo:
    id: int
    code: str
    name: str
    list_kind: str
    designating_authority: str


@dataclass
class _Catalog:
    day: date  # memoranda come into and go out of force by date: a new day reloads
    list_types: dict[int, ListTypeInfo]
    measures: dict[int, tuple[MeasureInfo, ...]]  # by list type id


class MeasureCache:
    def __init__(self):
        self._lock = threading.Lock()
        self._catalog: _Catalog | None = None
        self._fingerprint: tuple | None = None
        self._checked = 0.0

    def invalidate(self) -> None:
        with self._lock:
            self._catalog, self._fingerprint = None, None

    def get(self, today: date) -> _Catalog:
        recheck = getattr(settings, "CREDIT_MEASURES_RECHECK_SECONDS", 10)
        catalog = self._catalog
        if catalog is not None and catalog.day == today and time.monotonic() - self._checked < recheck:
            return catalog
        with self._lock:
            fingerprint = _fingerprint()
            if self._catalog is None or self._catalog.day != today or fingerprint != self._fingerprint:
                self._catalog, self._fingerprint = _load(today), fingerprint
            self._checked = time.monotonic()
            return self._catalog


def _fingerprint() -> tuple:
    through = Memorandum.list_types.through.objects.aggregate(n=Count("id"), m=Max("id"))
    return (
        tuple(ListType.objects.aggregate(n=Count("id"), t=Max("updated_at")).values()),
        tuple(Memorandum.objects.aggregate(n=Count("id"), t=Max("updated_at")).values()),
        tuple(Measure.objects.aggregate(n=Count("id"), t=Max("updated_at")).values()),
        tuple(through.values()),
    )


def _load(today: date) -> _Catalog:
    types = {t.id: ListTypeInfo(t.id, t.code, t.name, t.list_kind, t.designating_authority)
             for t in ListType.objects.all()}
    in_force = Q(memorandum__is_active=True) & (Q(memorandum__effective_from__isnull=True) |
                                                Q(memorandum__effective_from__lte=today)) & (
        Q(memorandum__effective_to__isnull=True) | Q(memorandum__effective_to__gt=today))
    by_memo: dict[int, list[MeasureInfo]] = {}
    for m in Measure.objects.filter(in_force, is_active=True).select_related("memorandum").order_by("memorandum", "number"):
        by_memo.setdefault(m.memorandum_id, []).append(MeasureInfo(
            m.id, m.memorandum.code, m.memorandum.title, m.memorandum.document_no, m.number, m.content, m.effect,
            m.action, frozenset(m.scenarios or ()), m.applying_departments))
    measures: dict[int, list[MeasureInfo]] = {}
    for memo_id, type_id in Memorandum.list_types.through.objects.values_list("memorandum_id", "listtype_id"):
        measures.setdefault(type_id, []).extend(by_memo.get(memo_id, ()))
    return _Catalog(today, types, {k: tuple(v) for k, v in measures.items()})


CACHE = MeasureCache()

# --- the check --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Membership:
    entry_id: int
    list_type: str
    list_type_name: str
    list_kind: str
    department: str
    document_no: str
    valid_from: date
    valid_until: date | None


@dataclass(frozen=True)
class AppliedMeasure:
    measure_id: int
    entry_id: int
    memorandum: str
    memorandum_document_no: str
    content: str
    effect: str
    action: str
    blocking: bool


@dataclass
class CheckResult:
    identifier: str  # as it may be shown: resident IDs masked
    id_kind: str
    subject_id: int | None
    subject_name: str
    scenario: str | None
    memberships: list[Membership] = field(default_factory=list)
    measures: list[AppliedMeasure] = field(default_factory=list)

    @property
    def hit(self) -> bool:
        return bool(self.memberships)

    @property
    def blocking(self) -> bool:
        return any(m.blocking for m in self.measures)

    @property
    def exit_code(self) -> int:
        """`yingshang credit check`: 0 no hits, 3 hits without a blocking measure, 4 with one."""
        return 4 if self.blocking else 3 if self.hit else 0

    def as_dict(self) -> dict:
        return {"identifier": self.identifier, "id_kind": self.id_kind, "subject_name": self.subject_name,
                "scenario": self.scenario, "hit": self.hit, "blocking": self.blocking,
                "memberships": [m.__dict__.copy() for m in self.memberships],  # flat dataclasses: no deep copy
                "measures": [m.__dict__.copy() for m in self.measures]}


@lru_cache(maxsize=1)
def _MEMBERSHIP_SQL() -> str:
    """Active memberships of one identity key: one statement on the (subject_key, status) index.

    Plain SQL rather than the ORM: building the query costs more than running it (the check's
    p99 budget is 5 ms). Only model table names are interpolated.
    """
    e, s, d = ListEntry._meta.db_table, Subject._meta.db_table, Department._meta.db_table
    return (f"SELECT e.id, e.list_type_id, e.document_no, e.valid_from, e.valid_until, d.name, e.subject_id, s.name, "  # noqa: S608
            f"s.id_kind, s.kind FROM {e} e JOIN {s} s ON s.id = e.subject_id JOIN {d} d ON d.id = e.department_id "
            f"WHERE e.subject_key = %s AND e.status = %s AND e.valid_from <= %s "
            f"AND (e.valid_until IS NULL OR e.valid_until >= %s) ORDER BY e.id")


_SCENARIOS = frozenset(Scenario.values)  # Scenario.values builds a new list on every call


def check_scenario(scenario: str | None) -> str | None:
    if scenario in (None, ""):
        return None
    if scenario not in _SCENARIOS:
        raise InvalidInput("credit.scenario_invalid", "业务场景无效，可选：" + "、".join(
            f"{c.value}（{c.label}）" for c in Scenario), details={"field": "scenario"})
    return scenario


def check(subject_identifier: str, scenario: str | None = None, *, today: date | None = None) -> CheckResult:
    """List memberships of the subject with this USCC, organization code or resident ID, and the
    measures of the memoranda those lists trigger in `scenario` (all scenarios when None)."""
    scenario = check_scenario(scenario)
    today = today or clock.today()
    id_kind, key, checked = lookup_key(subject_identifier, today=today)
    with prepared_cursor() as cursor:  # planned once per connection: planning costs more than running
        cursor.execute(_MEMBERSHIP_SQL(), [key, EntryStatus.ACTIVE, today, today])
        rows = cursor.fetchall()
    rows = [r for r in rows if r[8] == id_kind]  # the key is unique per kind; guards a digest/USCC collision
    result = CheckResult(display_code(checked), id_kind, rows[0][6] if rows else None, "", scenario)
    if not rows:
        return result
    result.subject_name = _shown_name(rows[0][7], rows[0][9])
    catalog = CACHE.get(today)
    for entry_id, type_id, document_no, valid_from, valid_until, department, *_ in rows:
        info = catalog.list_types.get(type_id)
        if info is None:
            continue
        result.memberships.append(Membership(entry_id, info.code, info.name, info.list_kind, department, document_no,
                                             valid_from, valid_until))
        for m in catalog.measures.get(type_id, ()):
            if scenario is None or scenario in m.scenarios:
                result.measures.append(AppliedMeasure(m.id, entry_id, m.memorandum_title, m.memorandum_document_no,
                                                      m.content, m.effect, m.action, m.blocking))
    return result


def _shown_name(name: str, kind: str) -> str:
    from yingshang.kernel.services.documents import mask_person_name

    return mask_person_name(name) if kind == "natural_person" else name


# --- the acceptance hook --------------------------------------------------------------------------

LIST_KIND_LABELS = {"red": "守信红名单", "black": "失信黑名单", "watch": "重点关注名单"}


def acceptance_hits(identifier: str, name: str | None = None, item_code: str | None = None,
                    scenario: str | None = None, **_ignored) -> list[CheckHit]:
    """Registered on kernel.hooks.ACCEPTANCE_CHECKS: one CheckHit per list membership, blocking when a
    measure that applies in the scenario blocks (the clerk then needs a recorded decision)."""
    scenario = scenario if scenario in _SCENARIOS else Scenario.GOVERNMENT_SERVICE
    try:
        result = check(identifier, scenario)
    except InvalidInput as exc:
        return [CheckHit("credit", "credit.identifier_invalid", f"信用核查未能进行：{exc.message}")]
    hits = []
    for m in result.memberships:
        measures = [a for a in result.measures if a.entry_id == m.entry_id]
        blocking = any(a.blocking for a in measures)
        label = LIST_KIND_LABELS.get(m.list_kind, m.list_kind)
        text = f"{label}：{m.list_type_name}（认定文书号 {m.document_no}）"
        if measures:
            text += "。适用措施：" + "；".join(f"{a.content}（{a.memorandum}）" for a in measures)
        else:
            text += "。本场景无对应奖惩措施，请知悉"
        hits.append(CheckHit("credit", f"credit.{m.list_kind}_list", text, blocking=blocking, details={
            "entry_id": m.entry_id, "list_type": m.list_type, "list_kind": m.list_kind, "scenario": scenario,
            "measures": [{"id": a.measure_id, "action": a.action, "effect": a.effect} for a in measures],
        }))
    return hits


# --- feedback (反馈) -----------------------------------------------------------------------------


def do_record_feedback(user, *, identifier: str, measure_id: int, scenario: str, department=None,
                       outcome: str = FeedbackOutcome.APPLIED, reference: str = "", note: str = "",
                       entry_id: int | None = None) -> Feedback:
    """Record that a measure was applied (or not, with a reason) to a subject in one piece of business.

    `cases` calls this after acceptance; the API exposes it for other systems. The subject must be
    on a list that triggers the measure (the entry is found again, so a stale screen cannot record
    feedback for a membership that has ended).
    """
    if user is not None:
        access.check_perm(user, common.RECORD_FEEDBACK)
    scenario = check_scenario(scenario)
    if scenario is None:
        raise InvalidInput("credit.scenario_required", "请选择业务场景", details={"field": "scenario"})
    if outcome not in FeedbackOutcome.values:
        raise InvalidInput("credit.outcome_invalid", "实施情况应为 applied（已实施）或 not_applied（未实施）",
                           details={"field": "outcome"})
    reference = common.fields.text(reference, "reference", "业务编号", max_len=100, required=False)
    note = common.fields.text(note, "note", "说明", max_len=2000, required=outcome == FeedbackOutcome.NOT_APPLIED)
    department = department or getattr(user, "department", None)
    if department is None:
        raise InvalidInput("credit.department_required", "请指定实施部门", details={"field": "department"})
    result = check(identifier, scenario)
    applied = [a for a in result.measures if a.measure_id == measure_id and (entry_id is None or a.entry_id == entry_id)]
    if not applied:
        raise NotFound("credit.measure_not_applicable", "该主体当前不适用此项措施（可能已移出名单或措施不适用于该场景）",
                       details={"field": "measure_id"})
    subject = Subject.objects.get(pk=result.subject_id)
    feedback = Feedback.objects.create(
        subject=subject, list_entry_id=applied[0].entry_id, measure_id=measure_id, scenario=scenario,
        department=department, outcome=outcome, reference=reference, note=note,
        recorded_by=user if getattr(user, "pk", None) else None, recorded_at=clock.now())
    record("credit.feedback.record", feedback, after={
        "subject": subject.id_display, "measure": measure_id, "entry": applied[0].entry_id, "scenario": scenario,
        "department": department.code, "outcome": outcome, "reference": reference})
    return feedback


def subject_for(identifier: str) -> Subject:
    id_kind, key, _checked = lookup_key(identifier)
    subject = Subject.objects.filter(id_kind=id_kind, id_key=key).first()
    if subject is None:
        raise NotFound("credit.subject_not_found", "未找到该信用主体")
    return subject


__all__ = ["CACHE", "AppliedMeasure", "CheckResult", "IdKind", "Membership", "acceptance_hits", "check",
           "check_scenario", "do_record_feedback", "subject_for"]

"""Personal credit scores and enterprise grades: facts from the records, the scheme in force, the stored
result and its explanation (issue 4 §9). The evaluation itself is `credit.rules_scores` (pure).

The latest result per subject is kept in `SubjectScore`, a derived cache: it is recomputed when read
if it is stale (a signal on a record, list entry, commitment or scheme change set the flag), if a
record of the subject changed since (bulk imports write with SQL, not signals), or if time alone
changes it (`changes_on`: a record leaves its window, an entry expires, a clean year completes, a new
scheme comes into force); a periodic job does the same ahead of reads. Recomputing is not audited:
it changes no fact, and every input change is audited where it happens.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from yingshang.credit import rules_scores as rs
from yingshang.credit.choices import EntryStatus, RecordStatus, ScoreAudience, SubjectKind
from yingshang.credit.models import ListEntry, OtherRecord, PenaltyRecord, ScoringScheme, Subject, SubjectScore
from yingshang.kernel import clock
from yingshang.kernel.errors import InvalidInput, NotFound


@dataclass(frozen=True)
class ExplanationLine:
    rule: str
    rule_code: str
    record: str  # the record it comes from: "penalty:12", "list_entry:3", "other:7", "commitment:5", "clean:…"
    label: str
    points: float
    note: str = ""


@dataclass(frozen=True)
class Explanation:
    subject_id: int
    audience: str
    title: str  # 个人信用积分 or 企业信用等级
    scheme: str
    base: float
    score: float
    tier: str  # tier name (信用良好, A级 …)
    tier_code: str
    capped_by: str
    computed_at: object
    lines: tuple[ExplanationLine, ...]

    @property
    def grade(self) -> str:
        """The enterprise grade letter (A–D); '' for personal scores."""
        return self.tier_code if self.audience == ScoreAudience.ORGANIZATION else ""

    def as_dict(self) -> dict:
        data = asdict(self)
        data["grade"] = self.grade
        data["computed_at"] = self.computed_at.isoformat() if self.computed_at else None
        return data


def audience_for(subject: Subject) -> str:
    return ScoreAudience.PERSON if subject.kind == SubjectKind.NATURAL_PERSON else ScoreAudience.ORGANIZATION


def scheme_in_force(audience: str, day: date) -> ScoringScheme | None:
    return (ScoringScheme.objects.filter(audience=audience, is_active=True, effective_from__lte=day)
            .prefetch_related("tiers", "rules").order_by("-effective_from").first())


def _split(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in (text or "").replace("，", ",").split(",") if p.strip())


def to_rules(scheme: ScoringScheme) -> rs.Scheme:
    tiers = sorted(scheme.tiers.all(), key=lambda t: -t.min_score)
    rules = tuple(rs.Rule(
        r.code, r.name, r.source, float(r.points), float(r.max_points) if r.max_points is not None else None,
        r.window_months, r.priority, _split(r.severities), _split(r.penalty_categories), r.list_kind, r.list_type_code,
        r.record_kind, tuple(g.upper() for g in _split(r.grades)), r.tier_cap) for r in scheme.rules.all() if r.is_active)
    return rs.Scheme(scheme.code, scheme.name, float(scheme.base_score), float(scheme.min_score), float(scheme.max_score),
                     tuple(rs.Tier(t.code, t.name, float(t.min_score)) for t in tiers), rules)


def _commitment_model():
    # The commitments work (issue 4 §10) adds credit.Commitment; scores read kept commitments when it exists.
    try:
        return apps.get_model("credit", "Commitment")
    except LookupError:
        return None


def facts(subject: Subject) -> list[rs.Fact]:
    """What the scores count: penalties and other records not revoked nor ended by repair, list entries
    in force, commitments kept. Breached commitments count through their breach record (OtherRecord)."""
    live = Q(publication_ended_at__isnull=True) & ~Q(record_status=RecordStatus.REVOKED)
    found: list[rs.Fact] = []
    for r in PenaltyRecord.objects.filter(live, subject=subject).only(
            "pk", "document_no", "decision_date", "severity", "penalty_categories", "violation_type"):
        found.append(rs.Fact(rs.PENALTY, f"penalty:{r.pk}", f"行政处罚 {r.document_no}（{r.violation_type[:30]}）",
                             r.decision_date, severity=r.severity, categories=r.penalty_categories))
    for e in ListEntry.objects.filter(subject=subject, status=EntryStatus.ACTIVE).select_related("list_type"):
        found.append(rs.Fact(rs.LIST_ENTRY, f"list_entry:{e.pk}", f"{e.list_type.name}（认定文书号 {e.document_no}）",
                             e.valid_from, list_kind=e.list_kind, list_type=e.list_type.code, until=e.valid_until))
    for r in OtherRecord.objects.filter(live, subject=subject).only("pk", "kind", "title", "content", "document_no",
                                                                    "decision_date", "valid_to"):
        found.append(rs.Fact(rs.OTHER_RECORD, f"other:{r.pk}", f"{r.get_kind_display()} {r.title[:40]}（{r.document_no}）",
                             r.decision_date, kind=r.kind, text=f"{r.title} {r.content[:200]}", until=r.valid_to))
    model = _commitment_model()
    if model is not None:
        for c in model.objects.filter(subject=subject, status="fulfilled", fulfilled_at__isnull=False):
            found.append(rs.Fact(rs.COMMITMENT_KEPT, f"commitment:{c.pk}", f"{c.kind_label} {c.number}",
                                 timezone.localdate(c.fulfilled_at)))
    return found


def compute(subject: Subject, day: date | None = None) -> SubjectScore:
    """Evaluate now and store the result (the caller's transaction, or its own)."""
    day = day or clock.today()
    audience = audience_for(subject)
    scheme = scheme_in_force(audience, day)
    if scheme is None:
        from yingshang.credit.scoring_defaults import seed_default_schemes

        seed_default_schemes()
        scheme = scheme_in_force(audience, day)
        if scheme is None:
            raise NotFound("credit.scheme_missing", "没有在该日期生效的信用评价方案，请在后台配置")
    result = rs.evaluate(to_rules(scheme), facts(subject), day, known_since=timezone.localdate(subject.created_at))
    upcoming = (ScoringScheme.objects.filter(audience=audience, is_active=True, effective_from__gt=day)
                .order_by("effective_from").values_list("effective_from", flat=True).first())
    changes = min(d for d in (result.changes_on, upcoming) if d) if (result.changes_on or upcoming) else None
    values = {"audience": audience, "scheme": scheme, "score": result.score, "tier_code": result.tier.code,
              "tier_name": result.tier.name, "capped_by": result.capped_by, "lines": [asdict(x) for x in result.lines],
              "computed_at": clock.now(), "computed_on": day, "changes_on": changes, "stale": False}
    try:
        with transaction.atomic():
            row, _created = SubjectScore.objects.update_or_create(subject=subject, defaults=values)
    except IntegrityError:  # another reader stored it first: ours is as fresh
        SubjectScore.objects.filter(subject=subject).update(**values)
        row = SubjectScore.objects.get(subject=subject)
    row._base = float(scheme.base_score)
    row._scheme_name = scheme.name
    return row


def _changed_since(subject_id: int, moment) -> bool:
    if PenaltyRecord.objects.filter(subject_id=subject_id, updated_at__gte=moment).exists():
        return True
    if OtherRecord.objects.filter(subject_id=subject_id, updated_at__gte=moment).exists():
        return True
    model = _commitment_model()
    return model is not None and model.objects.filter(subject_id=subject_id, updated_at__gte=moment).exists()


def current(subject: Subject) -> SubjectScore:
    """The stored result, recomputed first when it may be out of date."""
    day = clock.today()
    row = SubjectScore.objects.select_related("scheme").filter(subject=subject).first()
    if (row is None or row.stale or row.scheme_id is None or (row.changes_on and row.changes_on <= day)
            or _changed_since(subject.pk, row.computed_at)):
        return compute(subject, day)
    return row


def grade_of(identifier: str) -> str:
    """The enterprise credit grade letter (A–D) of the organisation with this USCC, or "" when the platform
    holds no record of it (other pillars, e.g. trading's bond reduction and credit score, read it here)."""
    from yingshang.credit.services.subjects import find

    try:
        subject = find(identifier)
    except (NotFound, InvalidInput):
        return ""
    if audience_for(subject) != ScoreAudience.ORGANIZATION:
        return ""
    return current(subject).tier_code or ""


def explain(subject) -> Explanation:
    """The subject's score (natural persons) or grade (others), every point traced to its record."""
    if not isinstance(subject, Subject):
        subject = Subject.objects.filter(pk=subject).first()
        if subject is None:
            raise NotFound("credit.subject_not_found", "未找到该信用主体")
    row = current(subject)
    base = getattr(row, "_base", None)
    name = getattr(row, "_scheme_name", None)
    if base is None:
        base, name = float(row.scheme.base_score), row.scheme.name
    title = str(ScoreAudience(row.audience).label)
    lines = tuple(ExplanationLine(x["rule_name"], x["rule_code"], x["ref"], x["label"], x["points"], x.get("note", ""))
                  for x in row.lines)
    return Explanation(subject.pk, row.audience, title, name, base, float(row.score), row.tier_name, row.tier_code,
                       row.capped_by, row.computed_at, lines)


# --- keeping results fresh -------------------------------------------------------------------------

def mark_stale(subject_ids) -> int:
    ids = [i for i in set(subject_ids) if i]
    return SubjectScore.objects.filter(subject_id__in=ids, stale=False).update(stale=True) if ids else 0


def mark_all_stale() -> int:
    return SubjectScore.objects.filter(stale=False).update(stale=True)


def mark_recent_changes(since) -> int:
    """Subjects whose records changed since `since` (bulk imports bypass signals) become stale."""
    ids: set[int] = set()
    for model in (PenaltyRecord, OtherRecord):
        ids |= set(model.objects.filter(updated_at__gte=since).values_list("subject_id", flat=True).distinct())
    return mark_stale(ids)


def refresh_due(limit: int = 5000, *, missing: int = 0) -> int:
    """Recompute stale results and those whose `changes_on` has come, then up to `missing` subjects
    that have none yet. Each in its own short transaction; returns how many were computed."""
    day = clock.today()
    ids = list(SubjectScore.objects.filter(Q(stale=True) | Q(changes_on__lte=day))
               .order_by("subject_id").values_list("subject_id", flat=True)[:limit])
    if missing:
        ids += list(Subject.objects.filter(score__isnull=True).order_by("id").values_list("id", flat=True)[:missing])
    done = 0
    for subject in Subject.objects.filter(pk__in=ids).iterator(chunk_size=500):
        with transaction.atomic():
            compute(subject, day)
        done += 1
    return done

"""Credit report (信用报告): a PDF summary of one subject, issued through the kernel documents service
with a verification code and QR code checkable at /verify/<code>/.

Who gets which report:
- the subject itself (signed in as its citizen or enterprise account) and the credit office: the full
  report (every list membership in force, commitments, other credit records, objections and repairs);
- any signed-in user, for an organisation (not a natural person): the public report — only what the
  public pages show (licences and penalties in their publication period, published list entries).
Personal ID numbers are always masked; a person's name is shown in full only to the person and the office.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass

from django.db.models import Q

from yingshang.credit.choices import EntryStatus, SubjectKind
from yingshang.credit.models import LicenseRecord, ListEntry, OtherRecord, PenaltyRecord, Subject
from yingshang.credit.services import commitments, handling, publicity
from yingshang.kernel import access, clock
from yingshang.kernel.errors import Forbidden, ServiceError
from yingshang.kernel.services.documents import do_issue_document

logger = logging.getLogger("yingshang.credit")
DOCUMENT_KIND, DOCUMENT_LABEL = "credit_report", "信用报告"
PUBLIC_KIND, PUBLIC_LABEL = "credit_report_public", "信用报告（公示信息版）"
MAX_ROWS = 30  # per section; the report says when there are more
FULL, PUBLIC = "full", "public"


@dataclass(frozen=True)
class Grant:
    scope: str  # FULL | PUBLIC
    show_name: bool


def check_report(user, subject: Subject) -> Grant:
    """Which report this user may have for this subject (Forbidden when none)."""
    if access.has_perm(user, handling.REPORT_ANY):
        return Grant(FULL, True)
    own = handling.subject_of_user(user)
    if own is not None and own.pk == subject.pk:
        return Grant(FULL, True)
    if getattr(user, "is_authenticated", False) and subject.kind != SubjectKind.NATURAL_PERSON:
        return Grant(PUBLIC, True)
    raise Forbidden("credit.report_forbidden", "自然人的信用报告仅本人和信用工作人员可以出具")


def _more(rows: list, label: str) -> list[str]:
    if len(rows) > MAX_ROWS:
        return [*rows[:MAX_ROWS], f"（另有更多{label}未列出，请在平台查询）"]
    return rows or ["无"]


def _licences(subject, today) -> list[str]:
    qs = LicenseRecord.objects.filter(publicity.public_filter("license", today), subject=subject).order_by("-decision_date")
    return _more([f"{r.decision_date:%Y-%m-%d} {r.document_name}（{r.document_no}）：{r.content[:80]}；决定机关：{r.authority}"
                  for r in qs[:MAX_ROWS + 1]], "行政许可")


def _penalties(subject, today) -> list[str]:
    qs = PenaltyRecord.objects.filter(publicity.public_filter("penalty", today), subject=subject).order_by("-decision_date")
    return _more([f"{r.decision_date:%Y-%m-%d} {r.violation_type}（{r.document_no}）：{r.content[:80]}；决定机关：{r.authority}；"
                  f"公示截止日 {r.publication_end:%Y-%m-%d}" for r in qs[:MAX_ROWS + 1]], "行政处罚")


def _entries(subject, today, scope: str) -> list[str]:
    qs = ListEntry.objects.filter(subject=subject, status=EntryStatus.ACTIVE).select_related("list_type", "department")
    if scope == PUBLIC:
        qs = qs.filter(published=True, list_type__published=True, valid_from__lte=today).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    rows = [f"{e.get_list_kind_display()}：{e.list_type.name}；认定部门：{e.department.name}；文书号 {e.document_no}；"
            f"有效期 {e.valid_from:%Y-%m-%d} 至 {e.valid_until:%Y-%m-%d}" if e.valid_until else
            f"{e.get_list_kind_display()}：{e.list_type.name}；认定部门：{e.department.name}；文书号 {e.document_no}；"
            f"自 {e.valid_from:%Y-%m-%d} 起长期" for e in qs.order_by("-valid_from")[:MAX_ROWS + 1]]
    return _more(rows, "名单记录")


def _commitments(subject) -> list[str]:
    rows = []
    for c in commitments.for_subject(subject)[:MAX_ROWS + 1]:
        line = f"{c.signed_at:%Y-%m-%d} {c.kind_label}（{c.number}）：{c.text[:60]}；状态：{c.get_status_display()}"
        if c.breach_reason:
            line += f"；违诺情况：{c.breach_reason[:60]}"
        rows.append(line)
    return _more(rows, "信用承诺")


def _others(subject) -> list[str]:
    qs = OtherRecord.objects.filter(subject=subject, publication_ended_at__isnull=True).order_by("-decision_date")
    return _more([f"{r.decision_date:%Y-%m-%d} {r.get_kind_display()}：{r.title}；{r.content[:80]}；{r.authority}"
                  for r in qs[:MAX_ROWS + 1]], "其他信用信息")


def score_section(subject) -> list[str] | None:
    """The grade or score, when the scoring service is installed (None: omit the section)."""
    try:
        scores = importlib.import_module("yingshang.credit.services.scores")
    except ImportError:
        return None
    explain = getattr(scores, "explain", None)
    if explain is None:
        return None
    try:
        found = explain(subject)
    except ServiceError as exc:
        return [f"暂无评价结果：{exc.message}"]
    title, score, tier = getattr(found, "title", "信用评价"), getattr(found, "score", None), getattr(found, "tier", "")
    lines = [f"{title}：{score:g} 分，{tier}" if isinstance(score, int | float) else f"{title}：{tier}"]
    for line in list(getattr(found, "lines", ()))[:MAX_ROWS]:
        lines.append(f"{getattr(line, 'label', '')}：{getattr(line, 'points', 0):+g}")
    return lines


def build(subject: Subject, grant: Grant, today) -> tuple[list[str], list]:
    """(identity paragraphs, sections) of the report."""
    name = subject.name if grant.show_name else subject.display_name
    fields = [("主体名称", name), ("主体类型", subject.get_kind_display()),
              (subject.get_id_kind_display(), subject.id_display),  # personal numbers are stored masked for display
              ("报告日期", today.isoformat()),
              ("报告范围", "完整版（本人或信用工作人员）" if grant.scope == FULL else "公示信息版（仅含向社会公示的信息）")]
    sections = [("一、行政许可信息（公示期内）", _licences(subject, today)),
                ("二、行政处罚信息（公示期内）", _penalties(subject, today)),
                ("三、信用名单", _entries(subject, today, grant.scope))]
    if grant.scope == FULL:
        sections += [("四、信用承诺", _commitments(subject)), ("五、其他信用信息", _others(subject))]
        score = score_section(subject)
        if score is not None:
            sections.append(("六、信用评价", score))
    sections.append(("说明", ["本报告依据营商平台截至报告日期归集的信用信息生成。对信息有异议的，可通过平台提出异议申请。"
                            "扫描二维码或访问核验网址可核验本报告真伪。"]))
    return [f"{label}：{value}" for label, value in fields], sections


def do_issue(user, subject: Subject):
    """Issue the report (in the caller's transaction); returns the kernel IssuedDocument."""
    grant = check_report(user, subject)
    today = clock.today()
    body, sections = build(subject, grant, today)
    kind = DOCUMENT_KIND if grant.scope == FULL else PUBLIC_KIND
    return do_issue_document(kind, "信用报告", body=body, sections=sections, holder_name=subject.name,
                             holder_is_person=subject.kind == SubjectKind.NATURAL_PERSON, obj=subject)

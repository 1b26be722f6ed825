"""The 重错 report: identifier problems a reporting department must correct.

Three lists per department (the national credit centre feeds back the same kinds of problem):
- invalid codes: rows of the department's batches rejected for an identifier error and not yet
  corrected (no record with that document number has been stored since);
- one code with different names: subjects whose records (from any department) carry more than one
  name, where the department reported at least one of those records;
- one name with different codes: organisations' names that appear with more than one code, where
  the department reported one of them (natural persons are left out: people share names).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from io import BytesIO

from django.db.models import Exists, OuterRef

from yingshang.credit.choices import SubjectKind
from yingshang.credit.ingest.rows import is_identifier_issue
from yingshang.credit.models import ImportBatch, LicenseRecord, OtherRecord, PenaltyRecord, RowIssue, Subject
from yingshang.credit.services import common
from yingshang.kernel import access

RECORD_MODELS = (("license", LicenseRecord), ("penalty", PenaltyRecord), ("other", OtherRecord))
MAX_ROWS = 2000


@dataclass
class NameConflict:
    subject_id: int
    code: str
    names: dict[str, int]  # name → how many records carry it
    own: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, document no, name) of this department


@dataclass
class CodeConflict:
    name: str
    codes: list[str]
    own: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, document no, code)


@dataclass
class DuplicateReport:
    department: object
    invalid: list[RowIssue]
    names: list[NameConflict]
    codes: list[CodeConflict]

    @property
    def total(self) -> int:
        return len(self.invalid) + len(self.names) + len(self.codes)


def check_view(user, department) -> None:
    access.check_perm(user, common.VIEW)
    access.access_department(user, department)


def _unresolved_invalid(department) -> list[RowIssue]:
    issues = RowIssue.objects.filter(batch__department=department).select_related("batch").order_by("-batch_id", "row_no")
    stored = {kind: model.objects.filter(department=department, document_no=OuterRef("document_no"))
              for kind, model in RECORD_MODELS}
    found = []
    for issue in issues.annotate(**{f"in_{k}": Exists(q) for k, q in stored.items()}).iterator(chunk_size=500):
        if not is_identifier_issue(issue.code) or getattr(issue, f"in_{issue.batch.kind}"):
            continue
        found.append(issue)
        if len(found) >= MAX_ROWS:
            break
    return found


def _own_rows(department):
    for kind, model in RECORD_MODELS:
        for row in model.objects.filter(department=department).values_list(
                "subject_id", "document_no", "subject_name", "subject__id_display", "subject__kind").iterator(chunk_size=2000):
            yield kind, row


def build(department) -> DuplicateReport:
    own_by_subject: dict[int, list] = defaultdict(list)
    own_names: dict[str, list] = defaultdict(list)
    for kind, (subject_id, document_no, name, code, subject_kind) in _own_rows(department):
        own_by_subject[subject_id].append((kind, document_no, name))
        if subject_kind != SubjectKind.NATURAL_PERSON:
            own_names[name].append((kind, document_no, code))
    names: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    ids = list(own_by_subject)
    for start in range(0, len(ids), 1000):
        chunk = ids[start:start + 1000]
        for _kind, model in RECORD_MODELS:
            for subject_id, name in model.objects.filter(subject_id__in=chunk).values_list("subject_id", "subject_name"):
                names[subject_id][name] += 1
    codes = {s.pk: s.id_display for s in Subject.objects.filter(pk__in=[k for k, v in names.items() if len(v) > 1])}
    name_conflicts = [NameConflict(pk, codes.get(pk, ""), dict(v),
                                   [o for o in own_by_subject[pk] if len(v) > 1]) for pk, v in names.items() if len(v) > 1]
    code_conflicts = []
    own_list = list(own_names)
    for start in range(0, len(own_list), 500):
        chunk = own_list[start:start + 500]
        seen: dict[str, set[str]] = defaultdict(set)
        for _kind, model in RECORD_MODELS:
            for name, code in (model.objects.filter(subject_name__in=chunk)
                               .exclude(subject__kind=SubjectKind.NATURAL_PERSON)
                               .values_list("subject_name", "subject__id_display").distinct()):
                seen[name].add(code)
        code_conflicts += [CodeConflict(n, sorted(c), own_names[n]) for n, c in seen.items() if len(c) > 1]
    return DuplicateReport(department, _unresolved_invalid(department), name_conflicts[:MAX_ROWS], code_conflicts[:MAX_ROWS])


def export_xlsx(report: DuplicateReport) -> bytes:
    """The report as a workbook with one sheet per list (what the department hands to its data staff)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("代码错误")
    sheet.append(["批次", "信息类型", "原行号", "决定文书号", "相对人名称", "证照号码", "错误原因"])
    kinds = dict(ImportBatch._meta.get_field("kind").choices)
    for i in report.invalid:
        sheet.append([i.batch_id, str(kinds.get(i.batch.kind, i.batch.kind)), i.row_no, _safe(i.document_no),
                      _safe(i.subject_name), _safe(i.identifier), _safe(i.message)])
    sheet = book.create_sheet("一码多名")
    sheet.append(["统一社会信用代码", "出现的名称（条数）", "本部门信息类型", "本部门决定文书号", "本部门报送名称"])
    for c in report.names:
        seen = "；".join(f"{n}（{k}）" for n, k in c.names.items())
        for kind, document_no, name in c.own:
            sheet.append([c.code, _safe(seen), kind, _safe(document_no), _safe(name)])
    sheet = book.create_sheet("一名多码")
    sheet.append(["名称", "出现的代码", "本部门信息类型", "本部门决定文书号", "本部门报送代码"])
    for c in report.codes:
        for kind, document_no, code in c.own:
            sheet.append([_safe(c.name), "；".join(c.codes), kind, _safe(document_no), code])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _safe(text: str) -> str:
    text = text or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text

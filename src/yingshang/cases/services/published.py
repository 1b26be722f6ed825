"""Licensing decisions the platform made, as other domains may read them (the credit work's 瞒报 check).

A licensing decision is a case of an item whose version is of type 行政许可 that the owning department
approved (准予许可 after review, or 告知承诺 approval on the spot), whatever happened afterwards
(issued, concluded). Denials are left out: 双公示 publishes licences granted. Each decision is
returned as a small read-only record; personal numbers never leave this module, only their keyed
digest (to match a credit subject) and the masked form.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Subquery

from yingshang.cases import rules
from yingshang.cases.choices import ApplicantKind
from yingshang.cases.models import Case, CaseEvent, NoticeRequest

LICENCE_ITEM_TYPE = "administrative_license"
# Events that record a grant (review decision, or approval on a written commitment).
GRANT_EVENTS = (rules.DECIDE_APPROVE, rules.COMMITMENT_APPROVAL)
GRANTED_STATUSES = (rules.APPROVED, rules.ISSUED, rules.CONCLUDED)
# Notices whose number is the decision's document number, when the platform issued one. The approval
# notice and the licence itself are the issuance work's kinds; 告知承诺书 carries the approval for those.
DECISION_NOTICE_KINDS = ("case.approval", "case.licence", "case.notify_commit")


@dataclass(frozen=True)
class LicensingDecision:
    case_id: int
    case_no: str
    item_code: str
    item_name: str
    department_id: int
    department_code: str
    applicant_is_person: bool
    applicant_name: str
    uscc: str  # organisations' USCC (public registration data), "" for persons
    identifier_masked: str
    identifier_digest: str  # kernel.protect.id_digest of the identifier: the credit subject key for persons
    decided_on: date
    document_no: str  # the decision document's number when the platform issued one, else ""


def licensing_decisions(department_ids: Iterable[int] | None, start: date, end: date, *,
                        chunk_size: int = 2000) -> Iterator[LicensingDecision]:
    """Granted licensing decisions decided in [start, end] (both included), by the given owning
    departments (None: every department), ordered by decision date and case number."""
    granted = CaseEvent.objects.filter(case=OuterRef("pk"), kind__in=GRANT_EVENTS)
    document = (NoticeRequest.objects.filter(case=OuterRef("pk"), kind__in=DECISION_NOTICE_KINDS)
                .order_by("id").values("number")[:1])
    qs = Case.objects.filter(item_version__item_type=LICENCE_ITEM_TYPE, status__in=GRANTED_STATUSES,
                             decided_on__range=(start, end))
    if department_ids is not None:
        qs = qs.filter(department_id__in=list(department_ids))
    rows = (qs.filter(Exists(granted)).annotate(document_no=Subquery(document))
            .order_by("decided_on", "case_no")
            .values_list("pk", "case_no", "item__code", "item_name", "department_id", "department__code",
                         "applicant_kind", "applicant_name", "uscc", "identifier_masked", "identifier_digest",
                         "decided_on", "document_no"))
    for (pk, case_no, item_code, item_name, dept_id, dept_code, kind, name, uscc, masked, digest, decided,
         document_no) in rows.iterator(chunk_size=chunk_size):
        person = kind == ApplicantKind.PERSON
        yield LicensingDecision(pk, case_no or "", item_code, item_name, dept_id, dept_code, person, name,
                                "" if person else (uscc or ""), masked or "", digest or "", decided, document_no or "")

"""Subjects as staff see them: masked by default, the full personal number only on an audited reveal."""

from __future__ import annotations

from dataclasses import dataclass

from yingshang.credit import identity
from yingshang.credit.models import LicenseRecord, ListEntry, OtherRecord, PenaltyRecord, Subject
from yingshang.credit.services import common
from yingshang.kernel import access
from yingshang.kernel.errors import Conflict, NotFound
from yingshang.kernel.services.audit import record


@dataclass(frozen=True)
class SubjectView:
    id: int
    kind: str
    name: str
    id_kind: str
    identifier: str  # masked for persons unless revealed
    revealed: bool


def can_reveal(user) -> bool:
    return access.has_perm(user, common.VIEW_FULL_IDENTITY)


def view(user, subject: Subject, *, reveal: bool = False) -> SubjectView:
    """What `user` may see of a subject. `reveal=True` (authorised roles only) decrypts the number and
    records who saw it — personal information access is logged (个人信息保护法 Art. 51)."""
    access.check_perm(user, common.VIEW)
    name = subject.name if subject.kind != "natural_person" or can_reveal(user) else subject.display_name
    if not (reveal and subject.is_person):
        return SubjectView(subject.pk, subject.kind, name, subject.id_kind, subject.id_display, False)
    access.check_perm(user, common.VIEW_FULL_IDENTITY)
    number = identity.decrypt(subject.id_cipher) if subject.id_cipher else None
    if number is None:
        raise Conflict("credit.identity_unavailable", "该主体未保存完整证件号码（或密钥已更换），只能显示脱敏号码")
    record("credit.subject.reveal", subject, after={"subject": subject.id_display}, note="查看完整证件号码")
    return SubjectView(subject.pk, subject.kind, subject.name, subject.id_kind, number, True)


def find(code: str) -> Subject:
    id_kind, key, _check = identity.lookup_key(code)
    subject = Subject.objects.filter(id_kind=id_kind, id_key=key).first()
    if subject is None:
        raise NotFound("credit.subject_not_found", "未找到该信用主体")
    return subject


def get(pk: int) -> Subject:
    subject = Subject.objects.filter(pk=pk).first()
    if subject is None:
        raise NotFound("credit.subject_not_found", "未找到该信用主体")
    return subject


def summary(subject: Subject, limit: int = 50) -> dict:
    """A subject's records and list entries for the staff subject page."""
    return {
        "licenses": list(LicenseRecord.objects.filter(subject=subject).select_related("department")
                         .order_by("-decision_date")[:limit]),
        "penalties": list(PenaltyRecord.objects.filter(subject=subject).select_related("department")
                          .order_by("-decision_date")[:limit]),
        "others": list(OtherRecord.objects.filter(subject=subject).select_related("department")
                       .order_by("-decision_date")[:limit]),
        "entries": list(ListEntry.objects.filter(subject=subject).select_related("list_type", "department")
                        .order_by("-designated_at")[:limit]),
    }

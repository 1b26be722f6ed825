"""Records and accounts for the objection, repair, commitment and report tests (direct rows: fast)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.credit.conftest import resident_id, uscc
from tests.factories import UserFactory
from yingshang.credit import rules
from yingshang.credit.models import LicenseRecord, PenaltyRecord
from yingshang.credit.services.lists import SubjectInput, resolve_subject
from yingshang.kernel.protect import id_digest
from yingshang.kernel.rules.identifiers import mask_resident_id

_n = {"doc": 0}


def subject_for(code: str, name: str = "榆林市恒信商贸有限公司"):
    return resolve_subject(SubjectInput(code, name), today=date(2026, 11, 20))


def _base(dept, subject, decided: date) -> dict:
    _n["doc"] += 1
    now = timezone.make_aware(datetime.combine(decided, time(9)))
    return {"department": dept, "document_no": f"榆测〔2026〕{_n['doc']:05d}号", "subject": subject,
            "subject_name": subject.name, "subject_category": subject.kind,
            "uscc": subject.id_key if subject.id_kind == "uscc" else "",
            "decision_date": decided, "authority": dept.name, "source_unit": dept.name, "submitted_at": now, "updated_at": now}


def penalty(dept, subject, decided: date = date(2026, 6, 1), severity: str = "general", **fields) -> PenaltyRecord:
    pub = rules.penalty_publication(decided, severity, "")
    return PenaltyRecord.objects.create(
        **_base(dept, subject, decided), violation_type="未按规定公示年度报告", violation_facts="逾期未报送年度报告",
        legal_basis="企业信息公示暂行条例", penalty_categories="罚款", content="罚款5000元", fine_amount="0.5",
        severity=severity, publication_rule=pub.rule, published=pub.published, repair_from=pub.repair_from,
        publication_end=pub.end, **fields)


def licence(dept, subject, decided: date = date(2026, 6, 1), **fields) -> LicenseRecord:
    return LicenseRecord.objects.create(
        **_base(dept, subject, decided), document_name="食品经营许可决定书", license_category="ordinary",
        certificate_name="食品经营许可证", license_no="JY16108020001234", content="食品销售经营者（预包装食品销售）",
        valid_from=decided, valid_to=date(2031, 5, 31), **fields)


def enterprise_user(code: str, username: str = "hengxin"):
    return UserFactory(username=username, real_name="李娜", role_codes=["enterprise"], uscc=code,
                       organization_name="榆林市恒信商贸有限公司")


def citizen_user(number: str, username: str = "zhangsan"):
    return UserFactory(username=username, real_name="张三", role_codes=["citizen"], id_number_digest=id_digest(number),
                       id_number_masked=mask_resident_id(number))


def pdf_file(name: str = "缴款凭证.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% evidence\n", content_type="application/pdf")


__all__ = ["citizen_user", "enterprise_user", "licence", "pdf_file", "penalty", "resident_id", "subject_for", "uscc"]

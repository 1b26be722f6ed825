"""Demo objections, repairs and commitments (issue 4 §7, §10): enough for the pages to show something.

The demo enterprise `hengtai` gets a licence and a general penalty past its minimum publication period
(so its user can try an objection and a repair on /credit/me/) and a commitment; a few other demo
subjects get open objections (one overdue) filed at the window, a decided repair and commitments
(one broken). Idempotent: nothing is added when the demo penalty of hengtai already exists.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from yingshang.kernel.demo import DemoReport, seeder

DOC_PREFIX = "榆演异"


def _hengtai_records(user, dept, today):
    from yingshang.credit import rules
    from yingshang.credit.models import LicenseRecord, PenaltyRecord
    from yingshang.credit.services.lists import SubjectInput, resolve_subject

    subject = resolve_subject(SubjectInput(user.uscc, user.organization_name or "榆林市恒泰能源科技有限公司"), today=today)
    decided = today - timedelta(days=150)
    now = timezone.make_aware(datetime.combine(decided + timedelta(days=2), time(10)))
    base = {"department": dept, "subject": subject, "subject_name": subject.name, "subject_category": subject.kind,
            "uscc": subject.id_key, "decision_date": decided, "authority": dept.name, "authority_uscc": dept.uscc or "",
            "source_unit": dept.name, "source_unit_uscc": dept.uscc or "", "submitted_at": now, "updated_at": now}
    LicenseRecord.objects.create(**base, document_no=f"{DOC_PREFIX}许〔{decided.year}〕0001号",
                                 document_name="食品经营许可决定书", license_category="ordinary",
                                 certificate_name="食品经营许可证", license_no="JY16108020009999",
                                 content="预包装食品销售（含冷藏冷冻食品）", valid_from=decided,
                                 valid_to=decided + timedelta(days=5 * 365))
    pub = rules.penalty_publication(decided, "general", "")
    return subject, PenaltyRecord.objects.create(
        **base, document_no=f"{DOC_PREFIX}罚〔{decided.year}〕0001号", violation_type="未按规定公示年度报告",
        violation_facts="未在规定期限内公示上一年度年度报告", legal_basis="企业信息公示暂行条例第八条",
        penalty_categories="警告", content="警告", severity="general", publication_rule=pub.rule, published=pub.published,
        repair_from=pub.repair_from, publication_end=pub.end)


def _window_objections(clerk, officer, today) -> int:
    from yingshang.credit.models import Objection, PenaltyRecord, Repair
    from yingshang.credit.services import objections, repair
    from yingshang.credit.services.publicity import public_filter
    from yingshang.kernel.errors import ServiceError

    penalties = list(PenaltyRecord.objects.filter(public_filter("penalty", today), document_no__startswith="榆演罚")
                     .select_related("subject").order_by("id")[:40])
    filed = 0
    for record in penalties[:3]:
        try:
            with transaction.atomic():
                objections.do_file(clerk, target_kind="penalty", target_id=record.pk, on_behalf_of=record.subject,
                                   reason="当事人称处罚内容与决定书不一致，申请核实（演示数据）")
                filed += 1
        except ServiceError:
            continue
    first = Objection.objects.filter(status="open").order_by("id").first()
    if first is not None:  # one overdue, as a queue would show it
        Objection.objects.filter(pk=first.pk).update(filed_on=today - timedelta(days=40), deadline=today - timedelta(days=5))
    for record in penalties[3:]:
        try:
            with transaction.atomic():
                item = repair.do_file(clerk, target_kind="penalty", target_id=record.pk, on_behalf_of=record.subject,
                                      rectification="已缴纳罚款并完成整改（演示数据）", commitment_text="承诺今后守法经营",
                                      evidence=[_demo_evidence()])
                if not Repair.objects.filter(status="upheld").exists():
                    repair.do_decide(officer, item.pk, outcome="upheld", note="已纠正失信行为，准予修复（演示数据）")
                filed += 1
        except ServiceError:
            continue
        if Repair.objects.count() >= 2:
            break
    return filed


def _demo_evidence():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("整改报告.pdf", b"%PDF-1.4\n% demo evidence\n", content_type="application/pdf")


def _commitments(officer, hengtai_subject, departments) -> int:
    from yingshang.credit.models import Subject
    from yingshang.credit.services import commitments

    scjg, rs = departments.get("610800-SCJG"), departments.get("610800-RS") or departments.get("610800-SCJG")
    commitments.do_register(officer, code=hengtai_subject.id_key, subject_name=hengtai_subject.name, kind="industry",
                            text="承诺严格落实食品安全主体责任（演示数据）", department=scjg, reference="演示-恒泰-001")
    others = list(Subject.objects.filter(id_kind="uscc", kind="legal_person").exclude(pk=hengtai_subject.pk).order_by("id")[:3])
    for i, subject in enumerate(others):
        c = commitments.do_register(officer, code=subject.id_key, subject_name=subject.name, kind="industry",
                                    text="承诺按时足额支付农民工工资（演示数据）", department=rs,
                                    reference=f"演示-承诺-{i + 1:03d}")
        if i == 0:
            commitments.do_mark(officer, c.pk, outcome="breached", reason="经查拖欠农民工工资（演示数据）")
        elif i == 1:
            commitments.do_mark(officer, c.pk, outcome="fulfilled")
    return 1 + len(others)


@seeder("credit-objections", order=55)
def seed_objections(report: DemoReport) -> None:
    from yingshang.credit.models import PenaltyRecord
    from yingshang.kernel.context import Actor, acting_as
    from yingshang.kernel.models import Department, User

    users = {u.username: u for u in User.objects.filter(username__in=("hengtai", "clerk", "credit"))}
    departments = {d.code: d for d in Department.objects.filter(code__startswith="610800")}
    if len(users) < 3 or "610800-SCJG" not in departments:
        report.lines.append("信用异议与修复：缺少演示用户或部门，跳过")
        return
    if PenaltyRecord.objects.filter(document_no__startswith=f"{DOC_PREFIX}罚").exists():
        return
    today = timezone.localdate()
    officer, clerk = users["credit"], users["clerk"]
    with acting_as(Actor(user_id=officer.pk, name=officer.display_name, role="credit_officer",
                         department_code="610800-XYB")), transaction.atomic():
        subject, _penalty = _hengtai_records(users["hengtai"], departments["610800-SCJG"], today)
        filed = _window_objections(clerk, officer, today)
        promised = _commitments(officer, subject, departments)
    report.lines.append(f"信用异议与修复：窗口代办申请 {filed} 件，信用承诺 {promised} 条；"
                        f"企业用户 hengtai 可在“我的信用”提出异议、申请修复、下载信用报告")

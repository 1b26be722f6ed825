"""Demo credit data: list types, memoranda, ~1,000 enterprises and 500 persons with records, list entries.

Deterministic (random.Random with fixed seeds; dates relative to today) and idempotent: list types
and memoranda are upserted by code, records go through the real import pipeline (unique per
department and document number), entries are designated only where the subject is not yet listed.
Demo user `hengtai` is on the red list (A级纳税人), `bidder` on a watch list; some enterprises are on
black lists whose measures block administrative licensing, so window clerks see hits.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from yingshang.kernel.demo import DemoReport, seeder

DEMO_NOTE = "演示数据：文号与措施摘自公开备忘录，实际使用请以原文为准"

# (code, name, kind, domain, authority, designating department suffix, basis, validity months)
LIST_TYPES = (
    ("judgment_debtor", "失信被执行人", "black", "司法", "人民法院", "XYB",
     "最高人民法院关于公布失信被执行人名单信息的若干规定（法释〔2017〕7号）", 24),
    ("major_tax_violation", "重大税收违法失信主体", "black", "税务", "税务机关", "SW",
     "重大税收违法失信主体信息公布管理办法（国家税务总局令第54号）", 36),
    ("wage_arrears", "拖欠农民工工资失信联合惩戒对象", "black", "人力资源和社会保障", "人力资源社会保障部门", "RS",
     "拖欠农民工工资失信联合惩戒对象名单管理暂行办法（人力资源社会保障部令第45号）", 36),
    ("procurement_violation", "政府采购严重违法失信行为记录", "black", "政府采购", "财政部门", "CZ",
     "中华人民共和国政府采购法第七十七条；政府采购法实施条例", 36),
    ("safety_serious", "安全生产严重失信主体", "black", "安全生产", "应急管理部门", "YJ",
     "安全生产严重失信主体名单管理办法（应急管理部令第11号）", 36),
    ("tax_grade_a", "纳税信用A级纳税人", "red", "税务", "税务机关", "SW", "纳税信用管理办法（试行）", 12),
    ("honest_model", "诚信示范企业", "red", "综合", "市社会信用体系建设领导小组办公室", "XYB",
     "榆林市信用红黑名单及联合奖惩对象管理制度（榆政函〔2018〕224号）", 24),
    ("watch_finance", "涉金融领域重点关注对象", "watch", "金融", "市社会信用体系建设领导小组办公室", "XYB",
     "榆林市信用红黑名单及联合奖惩对象管理制度（榆政函〔2018〕224号）灰名单", 12),
    ("watch_bidding", "招标投标领域重点关注对象", "watch", "招标投标", "市公共资源交易监管部门", "XYB",
     "榆林市信用红黑名单及联合奖惩对象管理制度（榆政函〔2018〕224号）灰名单", 12),
)

ALL = ["administrative_licensing", "government_procurement", "bidding", "subsidies", "honours", "lending"]
# (code, title, document no, list type codes, [(effect, action, scenarios, content, applying departments)])
MEMORANDA = (
    ("mou-judgment-debtor", "关于对失信被执行人实施联合惩戒的合作备忘录", "发改财金〔2016〕141号", ["judgment_debtor"], [
        ("punishment", "block", ["administrative_licensing"], "从严审核行政许可审批项目，限制其取得相关许可", "各级行政审批部门"),
        ("punishment", "block", ["government_procurement", "bidding"], "限制参与政府采购活动和招标投标",
         "财政部门、公共资源交易中心"),
        ("punishment", "block", ["subsidies", "honours"], "限制获得政府补贴性资金和评先评优", "各相关部门"),
        ("punishment", "warn", ["lending"], "作为融资授信的审慎性参考", "金融机构"),
    ]),
    ("mou-tax-violation", "关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录", "发改财金〔2014〕3062号",
     ["major_tax_violation"], [
        ("punishment", "block", ["government_procurement", "subsidies"], "限制政府采购和获得政府补贴", "财政部门"),
        ("punishment", "warn", ["administrative_licensing", "bidding"], "在行政许可和招标投标中作为重要参考", "各级行政审批部门"),
    ]),
    ("mou-wage-arrears", "关于对严重拖欠农民工工资用人单位及其有关人员开展联合惩戒的备忘录", "发改财金〔2017〕2058号",
     ["wage_arrears"], [
        ("punishment", "block", ["government_procurement", "bidding"], "限制参与政府采购和工程建设项目招标投标",
         "财政部门、住建部门"),
        ("punishment", "warn", ["administrative_licensing"], "在行政许可中列为重点审查对象", "各级行政审批部门"),
    ]),
    ("mou-safety", "关于对安全生产领域失信生产经营单位及其有关人员开展联合惩戒的合作备忘录", "发改财金〔2016〕1001号",
     ["safety_serious"], [
        ("punishment", "block", ["administrative_licensing"], "限制新增项目审批、核准和相关行政许可",
         "各级行政审批部门、应急管理部门"),
        ("punishment", "block", ["bidding"], "限制参与工程建设项目招标投标", "公共资源交易中心"),
    ]),
    ("mou-procurement", "政府采购严重违法失信行为联合惩戒", "政府采购法第七十七条", ["procurement_violation"], [
        ("punishment", "block", ["government_procurement"], "一至三年内禁止参加政府采购活动", "财政部门"),
    ]),
    ("mou-tax-a", "关于对纳税信用A级纳税人实施联合激励措施的合作备忘录", "发改财金〔2016〕1467号", ["tax_grade_a"], [
        ("reward", "green_channel", ["administrative_licensing"], "行政审批开辟绿色通道，优先办理", "各级行政审批部门"),
        ("reward", "priority", ["subsidies", "honours", "lending"], "同等条件下优先安排补贴资金、评先评优和融资支持",
         "各相关部门、金融机构"),
    ]),
    ("mou-honest", "榆林市守信联合激励措施", "榆政函〔2018〕224号", ["honest_model"], [
        ("reward", "simplify", ["administrative_licensing"], "适用容缺受理、告知承诺等简化程序", "各级行政审批部门"),
        ("reward", "priority", ["government_procurement", "bidding", "honours"], "同等条件下优先考虑", "各相关部门"),
    ]),
    ("mou-watch", "重点关注对象审慎监管措施", "榆政函〔2018〕224号", ["watch_finance", "watch_bidding"], [
        ("punishment", "warn", ["administrative_licensing", "bidding", "lending"], "作为重点监管对象，加强审查与事中事后检查",
         "各相关部门"),
    ]),
)


def _seed_catalog(departments) -> dict:
    from yingshang.credit.models import ListType, Measure, Memorandum

    types = {}
    for order, (code, name, kind, domain, authority, dept, basis, months) in enumerate(LIST_TYPES):
        types[code], _ = ListType.objects.update_or_create(code=code, defaults={
            "name": name, "list_kind": kind, "domain": domain, "designating_authority": authority,
            "designating_department": departments.get(f"610800-{dept}"), "legal_basis": basis,
            "default_validity_months": months, "sort_order": order, "description": DEMO_NOTE})
    for code, title, document_no, type_codes, measures in MEMORANDA:
        memo, _ = Memorandum.objects.update_or_create(code=code, defaults={
            "title": title, "document_no": document_no, "notes": DEMO_NOTE, "is_active": True})
        memo.list_types.set([types[c] for c in type_codes])
        for number, (effect, action, scenarios, content, applying) in enumerate(measures, 1):
            Measure.objects.update_or_create(memorandum=memo, number=number, defaults={
                "effect": effect, "action": action, "scenarios": scenarios, "content": content,
                "applying_departments": applying})
    return types


def _seed_records(departments, today, rng) -> None:
    from yingshang.credit import sample
    from yingshang.credit.ingest.rows import late_for
    from yingshang.credit.models import LicenseRecord, PenaltyRecord
    from yingshang.credit.services.imports import import_rows

    if LicenseRecord.objects.filter(document_no__startswith="榆演许").exists():
        return  # records are already there (imports are idempotent anyway; this skips the work)
    reporters = [departments[c] for c in ("610800-SCJG", "610800-ZJ", "610800-STHJ", "610800-WJ", "610800-YJ")
                 if c in departments]
    enterprises = [sample.subject_fields(rng, i, person=False) for i in range(1000)]
    persons = [sample.subject_fields(rng, i, person=True) for i in range(500)]
    for d_index, dept in enumerate(reporters):
        licences, penalties = [], []
        for i in range(d_index, 3000, len(reporters)):
            who = enterprises[i % 1000] if i % 6 else persons[(i // 6) % 500]
            decided = today - timedelta(days=rng.randrange(1, 720))
            row = sample.license_row(rng, i, authority=dept.name, authority_uscc=dept.uscc, decided=decided,
                                     prefix="演许")
            licences.append({**row, **{k: v for k, v in who.items()}})
        for i in range(d_index, 800, len(reporters)):
            who = enterprises[(i * 7) % 1000] if i % 5 else persons[(i * 3) % 500]
            decided = today - timedelta(days=rng.randrange(1, 1000))
            severity = rng.choice(("一般", "一般", "严重", "轻微"))
            row = sample.penalty_row(rng, i, authority=dept.name, authority_uscc=dept.uscc, decided=decided,
                                     severity=severity, prefix="演罚")
            penalties.append({**row, **{k: v for k, v in who.items()}})
        for kind, rows in (("license", licences), ("penalty", penalties)):
            for start in range(0, len(rows), 5000):
                import_rows(None, kind=kind, department=dept, rows=rows[start:start + 5000])
    # Demo realism: most reports came within days of the decision, some late.
    for model in (LicenseRecord, PenaltyRecord):
        updates = []
        for record in model.objects.filter(document_no__startswith="榆演").only("pk", "decision_date"):
            delay = rng.choice((1, 2, 3, 5, 6, 8, 12))
            submitted = timezone.make_aware(datetime.combine(record.decision_date + timedelta(days=delay), time(10)))
            days, late, rule = late_for(record.decision_date, submitted.date())
            updates.append(model(pk=record.pk, submitted_at=submitted, late_days=days, is_late=late, late_rule=rule))
        model.objects.bulk_update(updates, ["submitted_at", "late_days", "is_late", "late_rule"], batch_size=1000)


def _seed_entries(types, departments, today, rng, officer) -> list[str]:
    from yingshang.credit.models import LicenseRecord, ListEntry, Subject
    from yingshang.credit.services.lists import SubjectInput, do_designate
    from yingshang.kernel.errors import Conflict
    from yingshang.kernel.models import User

    examples: list[str] = []
    users = {u.username: u for u in User.objects.filter(username__in=("hengtai", "bidder"))}
    demo_subjects = LicenseRecord.objects.filter(document_no__startswith="榆演许").values("subject_id")
    enterprises = list(Subject.objects.filter(id_kind="uscc", kind="legal_person", pk__in=demo_subjects)
                       .exclude(id_key__in=[u.uscc for u in users.values()]).order_by("id_key")[:400])
    plan = [("judgment_debtor", 25), ("safety_serious", 10), ("major_tax_violation", 8), ("wage_arrears", 8),
            ("procurement_violation", 5), ("tax_grade_a", 20), ("honest_model", 10), ("watch_finance", 10),
            ("watch_bidding", 8)]
    picks = rng.sample(enterprises, min(len(enterprises), sum(n for _c, n in plan)))
    wanted = [(users["hengtai"].uscc, users["hengtai"].organization_name, "tax_grade_a")] if "hengtai" in users else []
    if "bidder" in users:
        wanted.append((users["bidder"].uscc, users["bidder"].organization_name, "watch_bidding"))
    for code, n in plan:
        wanted += [(s.id_key, s.name, code) for s in picks[:n]]
        picks = picks[n:]
    for index, (uscc, name, code) in enumerate(wanted):
        list_type = types[code]
        dept = list_type.designating_department or departments["610800-XYB"]
        if ListEntry.objects.filter(subject__id_key=uscc, list_type=list_type, status="active").exists():
            continue
        decided = today - timedelta(days=rng.randrange(5, 300))
        try:
            with transaction.atomic():
                do_designate(officer, subject=SubjectInput(uscc, name), list_type=list_type, department=dept,
                             basis=list_type.legal_basis, reason="演示数据",
                             document_no=f"榆演认〔{decided.year}〕{index + 1:04d}号",
                             decided_on=decided)
        except Conflict:
            continue
    return examples


@seeder("credit", order=50)
def seed_credit(report: DemoReport) -> None:
    from yingshang.credit.models import LicenseRecord, ListEntry, PenaltyRecord, Subject
    from yingshang.kernel.context import Actor, acting_as
    from yingshang.kernel.models import Department, User

    departments = {d.code: d for d in Department.objects.all()}
    if "610800-XYB" not in departments:
        report.lines.append("社会信用：缺少市信用办，跳过")
        return
    today = timezone.localdate()
    officer = User.objects.filter(username="credit").first()
    with acting_as(Actor(user_id=officer.pk if officer else None, name="演示数据")), transaction.atomic():
        types = _seed_catalog(departments)
        _seed_records(departments, today, random.Random(20260401))
    if officer is not None:
        with acting_as(Actor(user_id=officer.pk, name=officer.display_name, role="credit_officer",
                             department_code="610800-XYB")):
            _seed_entries(types, departments, today, random.Random(20260402), officer)
    blocking = (ListEntry.objects.filter(status="active", list_type__code__in=("judgment_debtor", "safety_serious"))
                .select_related("subject", "list_type").order_by("id")[:3])
    examples = [f"{e.list_type.name}：{e.subject.name} {e.subject.id_key}" for e in blocking]
    report.lines.append(
        f"社会信用：主体 {Subject.objects.count()} 个，行政许可 {LicenseRecord.objects.count()} 条，"
        f"行政处罚 {PenaltyRecord.objects.count()} 条，在列名单 {ListEntry.objects.filter(status='active').count()} 条")
    for line in examples:
        report.lines.append(f"  核查示例（黑名单，受理时阻断）：{line}")


# Scores and grades for demo subjects (issue 4 §9): a seeder of its own, registered on import.
from yingshang.credit import demo_scores  # noqa: E402,F401


def _register_objections_demo() -> None:
    """Objections, repairs and commitments for the demo (issue 4 §7, §10): a seeder of its own."""
    from yingshang.credit import demo_objections  # noqa: F401


_register_objections_demo()

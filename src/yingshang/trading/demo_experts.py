"""The demo's expert database (issue 12 §6): 2,000 experts across the specialties (bulk), the sanctions of
seed 002 (2 suspended for 12 months, 8 for 6 months) and a few removed; the demo `expert` account is an
expert with a pending invitation; one lot with a completed draw (committee of 4 experts + 1 representative).

The `expert` account is the only expert of A14 矿山与煤炭工程, so a draw of one A14 expert picks it through
the ordinary verifiable draw (a pool of one). Idempotent: nothing is made twice.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from yingshang.kernel import clock
from yingshang.kernel.context import acting_as, actor_for
from yingshang.kernel.demo import seeder

N_EXPERTS = 2_000
ONLY_DEMO = "A14"  # the demo expert's own specialty
REGIONS = ("610802", "610803", "610881", "610822", "610824", "610825", "610826", "610827")
EMPLOYERS = ("榆林市建筑设计研究院有限公司", "陕西建工第十一建设集团有限公司", "榆林学院", "榆林市市政工程设计院",
             "陕西华信工程造价咨询有限公司", "榆林市第一医院", "中煤西安设计工程有限责任公司", "榆林市水利水电勘测设计院",
             "陕西信达会计师事务所榆林分所", "榆林市信息技术服务中心")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌海波宁鹏飞凯"
DRAW_APPROVALS = ("榆发改审批〔2026〕131号", "榆发改审批〔2026〕132号")


def _experts(rng: random.Random) -> int:
    from yingshang.kernel.protect import id_digest, mask_resident_id
    from yingshang.kernel.rules.identifiers import generate_resident_id, generate_uscc
    from yingshang.trading import rules_experts as rx
    from yingshang.trading.models import Expert, Specialty

    if Expert.objects.filter(user__isnull=True).count() >= N_EXPERTS:
        return 0
    now = clock.now()
    usccs = [generate_uscc(rng, division_code="610802", authority="9", category="1") for _ in EMPLOYERS]
    leaves = [pk for pk, code in Specialty.objects.values_list("pk", "code") if len(code) > 1 and code != ONLY_DEMO]
    rows = []
    for _ in range(N_EXPERTS):
        number = generate_resident_id(rng, division_code=rng.choice(REGIONS))
        k = rng.randrange(len(EMPLOYERS))
        rows.append(Expert(name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))),
                           id_digest=id_digest(number), id_masked=mask_resident_id(number),
                           phone=f"13{rng.randrange(3, 10)}{rng.randrange(10**8):08d}", employer_name=EMPLOYERS[k],
                           employer_uscc=usccs[k], region=number[:6], title=rng.choice(("高级工程师", "工程师",
                                                                                         "高级会计师", "教授")),
                           status=rx.ACTIVE, verification=rx.VERIFIED, verified_at=now, created_at=now, updated_at=now))
    made = Expert.objects.bulk_create(rows, batch_size=1_000, ignore_conflicts=True)
    ids = list(Expert.objects.filter(user__isnull=True).values_list("pk", flat=True))
    through = Expert.specialties.through
    through.objects.bulk_create([through(expert_id=e, specialty_id=s) for e in ids
                                 for s in rng.sample(leaves, rng.choice((1, 1, 2)))], ignore_conflicts=True)
    return len(made)


def _sanctions(staff, rng: random.Random) -> None:
    from yingshang.trading import rules_experts as rx
    from yingshang.trading.models import Expert, ExpertSanction
    from yingshang.trading.services import experts

    if ExpertSanction.objects.exists():
        return
    chosen = rng.sample(list(Expert.objects.filter(user__isnull=True).values_list("pk", flat=True)), 13)
    plan = [rx.SUSPEND_12] * 2 + [rx.SUSPEND_6] * 8 + [rx.REMOVE] * 3  # seed 002: 2 × 12 months, 8 × 6 months
    reasons = {rx.SUSPEND_12: "评标中未按招标文件规定的标准和方法评审", rx.SUSPEND_6: "无正当理由不参加已确认的评标",
               rx.REMOVE: "私下接触投标人并收受财物"}
    for n, (pk, kind) in enumerate(zip(chosen, plan, strict=True), 1):
        experts.do_sanction(staff, pk, {"kind": kind, "reason": reasons[kind], "document_no": f"榆交易罚〔2026〕{n}号",
                                        "starts_on": (clock.today() - timedelta(days=rng.randrange(90))).isoformat()})


def _demo_expert(user, rng: random.Random):
    from yingshang.kernel.protect import id_digest, mask_resident_id
    from yingshang.kernel.rules.identifiers import generate_resident_id, generate_uscc
    from yingshang.trading import rules_experts as rx
    from yingshang.trading.models import Expert, Specialty

    found = Expert.objects.filter(user=user).first()
    if found:  # made by the evaluation demo as a committee member: make it a full, drawable database entry
        Expert.objects.filter(pk=found.pk).update(status=rx.ACTIVE, active=True, verification=rx.VERIFIED,
                                                  verified_at=clock.now())
        found.specialties.add(*Specialty.objects.filter(code__in=("A0801", ONLY_DEMO)))
        return found
    number = generate_resident_id(rng, division_code="610802")
    now = clock.now()
    expert = Expert.objects.create(name=user.real_name or "周强", user=user, id_digest=id_digest(number),
                                   id_masked=mask_resident_id(number), phone="13909120000",
                                   employer_name="中煤西安设计工程有限责任公司",
                                   employer_uscc=generate_uscc(rng, "610800", "9", "1"),
                                   region="610881", title="正高级工程师", qualification="注册采矿工程师",
                                   status=rx.ACTIVE, verification=rx.VERIFIED, verified_at=now, created_at=now,
                                   updated_at=now, registered_by_self=True)
    expert.specialties.set(Specialty.objects.filter(code__in=("A0801", ONLY_DEMO)))
    return expert


def _announced_lot(tenderer, staff, approval: str, name: str):
    """A lot accepted by the centre and announced (the announcement part sets the state on merge; here directly)."""
    from yingshang.trading import rules
    from yingshang.trading.models import Lot, TenderProject
    from yingshang.trading.services import lots, projects

    project = TenderProject.objects.filter(approval_no=approval).first()
    if project is None:
        start = clock.today()
        deadline = datetime.combine(start + timedelta(days=21), time(9, 30))
        data = {"name": name, "approval_no": approval, "tenderer_name": tenderer.organization_name or "榆林城投",
                "tenderer_uscc": tenderer.uscc, "regulator": "610800-ZJ", "division_code": "610802",
                "funding_source": "state_owned", "lots": [{
                    "name": "施工标段", "procedure": "open_tender", "lot_type": "works", "estimated_price": "8600000",
                    "ceiling_price": "8200000", "qualification": "post", "sale_start": start.isoformat(),
                    "sale_end": (start + timedelta(days=7)).isoformat(),
                    "bid_deadline": deadline.isoformat(timespec="minutes")}]}
        with acting_as(actor_for(tenderer)):
            project = projects.do_create_project(tenderer, data, submit=True)
        with acting_as(actor_for(staff)):
            lots.do_accept(staff, project.lots.get().pk, None, "材料齐全，同意进场")
    lot = project.lots.get()
    if lot.status == rules.ACCEPTED:
        Lot.objects.filter(pk=lot.pk).update(status=rules.ANNOUNCED)
        lot.refresh_from_db()
    return lot


def seed_experts(report) -> None:
    from django.db import transaction

    from yingshang.kernel.models import Department, User
    from yingshang.trading.models import Expert, ExpertDraw, Invitation
    from yingshang.trading.services import expert_draws, invitations
    from yingshang.trading.services.experts import ensure_specialties

    rng = random.Random(20261208)
    staff = User.objects.filter(username="trading").first()
    tenderer = User.objects.filter(username="tenderer").first()
    account = User.objects.filter(username="expert").first()
    if not (staff and tenderer and account and Department.objects.filter(code="610800-ZJ").exists()):
        return
    with transaction.atomic(), acting_as(actor_for(staff)):
        ensure_specialties()
        made = _experts(rng)
        _sanctions(staff, rng)
        _demo_expert(account, rng)
    done = _announced_lot(tenderer, staff, DRAW_APPROVALS[0], "榆林市第三中学风雨操场建设工程")
    pending = _announced_lot(tenderer, staff, DRAW_APPROVALS[1], "榆神工业区煤矿塌陷区综合治理工程")
    day = clock.today() + timedelta(days=3)
    with transaction.atomic(), acting_as(actor_for(staff)):
        if not ExpertDraw.objects.filter(lot=done).exists():
            d = expert_draws.do_prepare(staff, done.pk, {"evaluation_on": day.isoformat(), "requirements": [
                {"specialty": "A0801", "count": 3, "substitutes": 2}, {"specialty": "C0201", "count": 1,
                                                                       "substitutes": 1}]})
            expert_draws.do_reveal(staff, d.pk, None)
            for i in Invitation.objects.filter(draw=d, status="invited"):
                invitations.do_reply_by_code(staff, d.pk, i.reply_code, True)
            with acting_as(actor_for(tenderer)):
                invitations.do_add_representative(tenderer, d.pk, "韩雪")
            expert_draws.do_complete(staff, d.pk, None)
        if not ExpertDraw.objects.filter(lot=pending).exists():
            d = expert_draws.do_prepare(staff, pending.pk, {
                "evaluation_on": (day + timedelta(days=1)).isoformat(), "reply_minutes": 24 * 60,
                "requirements": [{"specialty": ONLY_DEMO, "count": 1, "substitutes": 0}]})
            expert_draws.do_reveal(staff, d.pk, None)
    report.lines.append(f"评标专家库：专家 {Expert.objects.count()} 人（本次新增 {made} 人），"
                        f"专家抽取 {ExpertDraw.objects.count()} 次；expert 账号有一条待确认的抽取通知")


@seeder("trading-experts", order=410)
def seed_trading_experts(report) -> None:
    seed_experts(report)

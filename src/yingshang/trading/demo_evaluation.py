"""The demo's lot in evaluation (评标): the `expert` account sits on its committee with scores partly
entered (one bid submitted, one drafted), the other members have scored, and the `bidder` account has a
clarification request to answer. Built through the services where they exist; the opening itself belongs
to the opening part, so the lot is moved to `opening` with its prices and float rate directly."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from yingshang.kernel import access, clock
from yingshang.kernel import demo_city as city
from yingshang.kernel.context import acting_as, actor_for
from yingshang.kernel.demo import DemoReport, seeder

APPROVAL = "榆发改审批〔2026〕141号"
BIDDERS = (("bidder", None, "4380000"), ("bidder_demo2", "陕西华岳路桥建设有限公司", "4460000"),
           ("bidder_demo3", "榆林市鼎盛市政工程有限公司", "4520000"), ("bidder_demo4", "陕西长安建工集团有限公司", "4610000"))
EXPERTS = (("expert", None), ("expert_demo2", "李明"), ("expert_demo3", "王静"), ("expert_demo4", "赵刚"))
ITEMS = [{"part": "technical", "name": "施工组织设计", "max_points": "25"},
         {"part": "technical", "name": "质量安全保证措施", "max_points": "15"},
         {"part": "commercial", "name": "类似工程业绩", "max_points": "10"}]
PLAN = {"method": "comprehensive", "technical_weight": "40", "commercial_weight": "10", "price_weight": "40",
        "credit_weight": "10", "items": ITEMS}


def _account(username: str, name: str | None, role: str, rng):
    from yingshang.kernel.models import User
    from yingshang.kernel.rules.identifiers import generate_uscc
    from yingshang.kernel.services.org import do_upsert_user

    existing = User.objects.filter(username=username).first()
    if existing is not None and name is None:
        return existing  # a kernel demo account: keep its roles
    uscc = existing.uscc if existing and existing.uscc else generate_uscc(rng, division_code="610802", authority="9",
                                                                           category="1")
    extra = {"uscc": uscc, "organization_name": name} if role == access.BIDDER else {}
    return do_upsert_user(username, password=city.DEMO_PASSWORD, role_codes=(role,), real_name=name or username,
                          email=f"{username}@demo.yingshang.local", **extra)


@seeder("trading-evaluation", order=401)
def seed_evaluation(report: DemoReport) -> None:
    from django.db import transaction

    from yingshang.kernel.models import Department, User
    from yingshang.trading import rules
    from yingshang.trading.models import Bid, CommitteeMember, Expert, Lot, TenderProject
    from yingshang.trading.services import evaluation, evaluation_decisions, evaluation_plans, lots, projects

    tenderer, staff = User.objects.filter(username="tenderer").first(), User.objects.filter(username="trading").first()
    if TenderProject.objects.filter(approval_no=APPROVAL).exists() or not (tenderer and staff) or \
            not Department.objects.filter(code="610800-ZJ").exists():
        return
    rng = random.Random(20260413)
    today, now = clock.today(), clock.now()
    sale_start = today + timedelta(days=1)
    data = {"name": "榆林市榆阳区城区雨污分流改造工程", "approval_no": APPROVAL, "tenderer_name": tenderer.organization_name,
            "tenderer_uscc": tenderer.uscc, "regulator": "610800-ZJ", "division_code": "610802",
            "funding_source": "fiscal",
            "lots": [{"name": "施工一标段", "procedure": "open_tender", "lot_type": "works", "estimated_price": "4800000",
                      "ceiling_price": "4650000", "qualification": "post", "sale_start": sale_start.isoformat(),
                      "sale_end": (sale_start + timedelta(days=7)).isoformat(),
                      "bid_deadline": datetime.combine(sale_start + timedelta(days=21), time(9, 30)).isoformat(
                          timespec="minutes")}]}
    with transaction.atomic(), acting_as(actor_for(tenderer)):
        lot = projects.do_create_project(tenderer, data, submit=True).lots.get()
    with transaction.atomic(), acting_as(actor_for(staff)):
        lots.do_accept(staff, lot.pk, None, "材料齐全，同意进场")
    with transaction.atomic(), acting_as(actor_for(tenderer)):
        evaluation_plans.do_set_plan(tenderer, lot.pk, PLAN)
    # The opening part's work, done directly: opened this morning, float rate drawn, bids decrypted.
    Lot.objects.filter(pk=lot.pk).update(status=rules.OPENING, float_rate=Decimal("3.500"),
                                         bid_deadline=now - timedelta(hours=2))
    bids = []
    for username, name, price in BIDDERS:
        user = _account(username, name, access.BIDDER, rng)
        bids.append(Bid.objects.create(lot=lot, bidder=user, bidder_uscc=user.uscc or "", status=rules.BID_DECRYPTED,
                                       bidder_name=user.organization_name or name or username, price=Decimal(price),
                                       submitted_at=now - timedelta(days=1), created_at=now - timedelta(days=1)))
    members = []
    for username, name in EXPERTS:
        user = _account(username, name, access.EXPERT, rng)
        expert, _ = Expert.objects.get_or_create(user=user, defaults={
            "name": user.real_name, "employer_name": "榆林市建筑设计研究院", "region": "610802", "created_at": now,
            "employer_uscc": "", "active": True})
        members.append(CommitteeMember.objects.create(lot=lot, role=rules.EXPERT, expert=expert, user=user,
                                                      name=expert.name, confirmed_at=now, created_at=now))
    members.append(CommitteeMember.objects.create(lot=lot, role=rules.TENDERER_REP, user=tenderer,
                                                  name=tenderer.real_name, confirmed_at=now, created_at=now))
    with transaction.atomic(), acting_as(actor_for(staff)):
        evaluation.do_start(staff, lot.pk, None)
    items = list(lot.evaluation_plan.items.all())
    for m in members:
        for n, bid in enumerate(bids):
            mine = m.user.username == "expert"
            if mine and n > 1:
                continue  # the demo expert has two bids left to score
            points = {str(i.pk): str((i.max_points * Decimal(rng.randint(70, 90)) / 100).quantize(Decimal("0.5")))
                      for i in items}
            with transaction.atomic(), acting_as(actor_for(m.user)):
                evaluation.do_save_scores(m.user, bid.pk, points, submit=not (mine and n == 1))
    with transaction.atomic(), acting_as(actor_for(members[0].user)):
        evaluation_decisions.do_ask(members[0].user, bids[0].pk, "请说明投标报价中安全文明施工费的计取依据。")
    report.lines.append(f"公共资源交易：评标中的标段 1 个（{lot.project.name}），专家 expert 已评 1 家、暂存 1 家")

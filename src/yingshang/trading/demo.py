"""The demo city's trading centre (`yingshang demo`): a tenderer and an agency account, and projects
whose lots are in every state of entry registration, so that `trading` lands on a queue with work.

Built through the services (with the demo users as actors), so every lot passes the period rules;
idempotent: projects are recognised by their approval number and made only once.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from yingshang.kernel import access, clock
from yingshang.kernel import demo_city as city
from yingshang.kernel.context import acting_as, actor_for
from yingshang.kernel.demo import DemoReport, seeder
from yingshang.trading.demo_accounts import AGENCY, TENDERER, _user

# (approval no, project, regulator suffix, by agency?, lot name, type, procedure, estimated, days to sale, final action)
PROJECTS = (
    ("榆发改审批〔2026〕101号", "榆林市高新区第二中学教学楼新建工程", "ZJ", False, "施工标段", "works", "open_tender",
     "12000000", 3, "submit"),
    ("榆发改审批〔2026〕102号", "榆神工业区连接线道路养护工程", "JT", True, "养护一标段", "works", "open_tender",
     "6500000", 4, "submit"),
    ("榆发改审批〔2026〕103号", "城区供水管网改造工程监理服务", "SL", False, "监理服务", "services", "open_tender",
     "800000", 5, "submit"),
    ("榆发改审批〔2026〕104号", "榆林市第一医院医疗设备购置", "WJ", True, "医学影像设备包", "goods", "invited_tender",
     "3000000", 2, "accept"),
    ("榆发改审批〔2026〕105号", "榆阳区农村公路提升工程勘察设计", "JT", False, "勘察设计", "services", "open_tender",
     "1500000", 6, "return"),
    ("榆发改审批〔2026〕106号", "市民大厦智慧停车系统建设", "ZJ", True, "系统集成", "goods", "open_tender",
     "2400000", 8, None),
)


@seeder("trading", order=400)
def seed_trading(report: DemoReport) -> None:
    from django.db import transaction

    from yingshang.kernel.models import Department, User
    from yingshang.trading.models import TenderProject
    from yingshang.trading.services import lots, projects, rulebook

    rulebook.ensure_rules_data()  # `demo --reset` flushes the rows migration 0002 seeded
    rng = random.Random(20260412)  # deterministic demo data
    tenderer, agency = _user(TENDERER, rng), _user(AGENCY, rng)
    for spec, user in ((TENDERER, tenderer), (AGENCY, agency)):
        report.logins.append((user.username, city.DEMO_PASSWORD, access.ROLE_NAMES[spec[2]], spec[3]))
    staff = User.objects.filter(username="trading").first()
    departments = {d.code: d for d in Department.objects.filter(code__startswith="610800-")}
    today = clock.today()
    made = 0
    for approval, name, regulator, by_agency, lot_name, lot_type, procedure, price, lead, final in PROJECTS:
        if TenderProject.objects.filter(approval_no=approval).exists() or f"610800-{regulator}" not in departments:
            continue
        actor = agency if by_agency else tenderer
        sale_start = today + timedelta(days=lead)
        deadline = datetime.combine(sale_start + timedelta(days=21), time(9, 30))
        data = {"name": name, "approval_no": approval, "tenderer_name": TENDERER[3], "tenderer_uscc": tenderer.uscc,
                "agency_name": AGENCY[3] if by_agency else "", "agency_uscc": agency.uscc if by_agency else "",
                "regulator": f"610800-{regulator}", "division_code": "610802", "funding_source": "state_owned",
                "lots": [{"name": lot_name, "procedure": procedure, "lot_type": lot_type, "estimated_price": price,
                          "ceiling_price": str(int(price) * 95 // 100), "qualification": "post",
                          "sale_start": sale_start.isoformat(), "sale_end": (sale_start + timedelta(days=7)).isoformat(),
                          "bid_deadline": deadline.isoformat(timespec="minutes")}]}
        with transaction.atomic(), acting_as(actor_for(actor)):
            project = projects.do_create_project(actor, data, submit=final is not None)
        lot = project.lots.get()
        if staff and final in ("accept", "return"):
            with transaction.atomic(), acting_as(actor_for(staff)):
                if final == "accept":
                    lots.do_accept(staff, lot.pk, None, "材料齐全，同意进场")
                else:
                    lots.do_return(staff, lot.pk, None, "审批文号与立项批复不一致，请核对后重新提交")
        made += 1
    report.lines.append(f"公共资源交易：招标项目 {TenderProject.objects.count()} 个（本次新增 {made} 个）")


# Each part's demo registers its seeder on import (kept in its own module so that it stays readable).
from yingshang.trading import (  # noqa: E402, F401
    demo_announcements,
    demo_award,
    demo_bidders,
    demo_bids,
    demo_bonds,
    demo_evaluation,
    demo_experts,
    demo_lifecycle,
    demo_opening,
)

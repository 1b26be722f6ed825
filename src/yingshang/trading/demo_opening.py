"""The demo's lot "opening today" (`yingshang demo`): announced, deadline today 09:30, three sealed bids (one of the
`bidder` account), a float-rate range to draw from. The bidders' key files are written to
DATA_DIR/demo/opening-keys/<username>.key so that they can decrypt in the hall.

Made through the services where they exist (project, registration, acceptance, as of 25 days ago so the period
rules hold); the announcement belongs to the announcement part, so the lot is set to `announced` directly here.
Idempotent: recognised by its approval number.
"""

from __future__ import annotations

import io
import random
from datetime import datetime, time, timedelta

from yingshang.kernel import access, clock
from yingshang.kernel import demo_city as city
from yingshang.kernel.demo import DemoReport, seeder

APPROVAL = "榆发改审批〔2026〕190号"
BIDDERS = (("bidder", None), ("bidder2", "陕西华盛路桥工程有限公司"), ("bidder3", "榆林市恒通建筑安装有限公司"))
PRICES = ("4580000.00", "4630000.00", "4720000.00")


@seeder("trading-opening", order=401)
def seed_opening(report: DemoReport) -> None:
    from django.conf import settings
    from django.db import transaction

    from yingshang.kernel.context import acting_as, actor_for
    from yingshang.kernel.models import User
    from yingshang.kernel.rules.identifiers import generate_uscc
    from yingshang.kernel.services.org import do_upsert_user
    from yingshang.trading import rules, sealing
    from yingshang.trading.models import Bid, Lot, OpeningPlan, TenderProject
    from yingshang.trading.services import lots, opening_files, projects

    tenderer, staff = User.objects.filter(username="tenderer").first(), User.objects.filter(username="trading").first()
    if TenderProject.objects.filter(approval_no=APPROVAL).exists() or not (tenderer and staff):
        return
    rng = random.Random(20260190)
    people = []
    for username, organisation in BIDDERS:
        user = User.objects.filter(username=username).first()
        if organisation or user is None or not user.uscc:
            user = do_upsert_user(username, password=city.DEMO_PASSWORD, role_codes=(access.BIDDER,),
                                  real_name=f"{username}代表", uscc=generate_uscc(rng, division_code="610802",
                                                                                   authority="9", category="1"),
                                  organization_name=organisation or "陕西秦川建设工程有限公司")
            report.logins.append((username, city.DEMO_PASSWORD, access.ROLE_NAMES[access.BIDDER], user.organization_name))
        people.append(user)
    today = clock.today()
    start = today - timedelta(days=24)
    data = {"name": "榆林市城区雨污分流改造工程", "approval_no": APPROVAL, "tenderer_name": tenderer.organization_name,
            "tenderer_uscc": tenderer.uscc, "regulator": "610800-ZJ", "division_code": "610802",
            "funding_source": "fiscal",
            "lots": [{"name": "施工一标段（今日开标）", "procedure": "open_tender", "lot_type": "works",
                      "estimated_price": "5000000", "ceiling_price": "4800000", "qualification": "post",
                      "sale_start": start.isoformat(), "sale_end": (start + timedelta(days=7)).isoformat(),
                      "bid_deadline": datetime.combine(today, time(9, 30)).isoformat(timespec="minutes")}]}
    with clock.as_of(today - timedelta(days=25)), transaction.atomic():
        with acting_as(actor_for(tenderer)):
            project = projects.do_create_project(tenderer, data, submit=True)
        lot = project.lots.get()
        with acting_as(actor_for(staff)):
            lots.do_accept(staff, lot.pk, None, "材料齐全，同意进场")
    Lot.objects.filter(pk=lot.pk).update(status=rules.ANNOUNCED, next_check=lot.bid_deadline)  # announced elsewhere
    OpeningPlan.objects.create(lot=lot, float_low="3.000", float_high="6.000", float_step="0.010", weight_low="40.000",
                               weight_high="60.000", weight_step="5.000", created_at=clock.now())
    keys_dir = settings.DATA_DIR / "demo" / "opening-keys"
    keys_dir.mkdir(parents=True, exist_ok=True)
    for user, price in zip(people, PRICES, strict=True):
        bid = Bid.objects.create(lot=lot, bidder=user, bidder_uscc=user.uscc, bidder_name=user.organization_name,
                                 status=rules.BID_SUBMITTED, submitted_at=lot.bid_deadline - timedelta(days=1),
                                 created_at=lot.bid_deadline - timedelta(days=1))
        key, sealed = sealing.new_key(), io.BytesIO()
        body = f"{user.organization_name} 投标文件：技术标、商务标（演示）".encode() * 200
        sealing.seal_bid(key, {"price": price, "duration_days": 240, "quality": "合格", "project_manager": "演示项目经理"},
                         "投标文件.pdf", io.BytesIO(body), sealed)
        sealed.seek(0)
        opening_files.store_sealed(bid, sealed)
        (keys_dir / f"{user.username}.key").write_text(sealing.encode_key(key))
    report.lines.append(f"公共资源交易：今日开标的标段 1 个（{lot.name}），投标人密钥文件在 {keys_dir}")

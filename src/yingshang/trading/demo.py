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

TENDERER = ("tenderer", "韩雪", access.TENDERER, "榆林市城市建设投资开发集团有限公司")
AGENCY = ("agency", "冯涛", access.AGENCY, "陕西正信工程招标代理有限公司")
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


def _user(spec, rng):
    from yingshang.kernel.models import User
    from yingshang.kernel.rules.identifiers import generate_uscc
    from yingshang.kernel.services.org import do_upsert_user

    username, name, role, organisation = spec

    existing = User.objects.filter(username=username).first()
    uscc = existing.uscc if existing and existing.uscc else generate_uscc(rng, division_code="610802", authority="9",
                                                                           category="1")
    return do_upsert_user(username, password=city.DEMO_PASSWORD, role_codes=(role,), real_name=name,
                          email=f"{username}@demo.yingshang.local", uscc=uscc, organization_name=organisation)


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


# --- Sealed bids (issue 12 §4) ------------------------------------------------------------------------
# A lot taking bids with four sealed bids. The keys are written to DATA_DIR/demo-bid-keys/<bid id>.key so the
# opening's demo can decrypt them (a real bidder keeps its key; the platform never has it).
BID_APPROVAL = "榆发改审批〔2026〕107号"
BIDDERS = (("bidder", "吴昊", access.BIDDER, "陕西秦川建设工程有限公司"),
           ("bidder2", "郑伟", access.BIDDER, "榆林市鼎盛路桥工程有限公司"),
           ("bidder3", "王磊", access.BIDDER, "陕西华建建设集团有限公司"),
           ("bidder4", "刘洋", access.BIDDER, "延安宏远市政工程有限公司"))
BID_SHEETS = (("8650000.00", 360, "张国庆"), ("8712300.50", 330, "李明"), ("8499000.00", 365, "赵志刚"),
              ("8800000.00", 300, "孙海涛"))


def demo_key_path(bid_pk: int):
    from django.conf import settings

    return settings.DATA_DIR / "demo-bid-keys" / f"{bid_pk}.key"


def _open_lot(tenderer, staff):
    from django.db import transaction

    from yingshang.trading.models import Lot
    from yingshang.trading.services import lots, projects

    lot = Lot.objects.filter(project__approval_no=BID_APPROVAL).first()
    if lot is not None:
        return lot
    sale_start = clock.today() + timedelta(days=1)
    data = {"name": "榆林市城区雨污分流改造工程（一期）", "approval_no": BID_APPROVAL, "tenderer_name": TENDERER[3],
            "tenderer_uscc": tenderer.uscc, "regulator": "610800-ZJ", "division_code": "610802",
            "funding_source": "fiscal", "lots": [{
                "name": "施工一标段", "procedure": "open_tender", "lot_type": "works", "estimated_price": "9000000",
                "ceiling_price": "8900000", "qualification": "post", "sale_start": sale_start.isoformat(),
                "sale_end": (sale_start + timedelta(days=7)).isoformat(),
                "bid_deadline": datetime.combine(sale_start + timedelta(days=21), time(9, 30)).isoformat(
                    timespec="minutes")}]}
    with transaction.atomic(), acting_as(actor_for(tenderer)):
        lot = projects.do_create_project(tenderer, data, submit=True).lots.get()
    with transaction.atomic(), acting_as(actor_for(staff)):
        lot = lots.do_accept(staff, lot.pk, None, "材料齐全，同意进场")
        # The announcement part publishes lots through its own service; the demo opens this one directly.
        Lot.objects.filter(pk=lot.pk).update(status="announced", row_version=lot.row_version + 1)
    return Lot.objects.get(pk=lot.pk)


@seeder("trading-bids", order=410)
def seed_bids(report: DemoReport) -> None:
    import io

    from django.db import transaction

    from yingshang.kernel.errors import ServiceError
    from yingshang.kernel.models import User
    from yingshang.trading import sealing
    from yingshang.trading.models import Bid
    from yingshang.trading.services import bid_files, bids

    staff = User.objects.filter(username="trading").first()
    tenderer = User.objects.filter(username=TENDERER[0]).first()
    if staff is None or tenderer is None:
        return
    rng = random.Random(20260413)
    lot = _open_lot(tenderer, staff)
    if Bid.objects.filter(lot=lot).exists():
        report.lines.append(f"加密投标：标段“{lot}”已有投标文件 {Bid.objects.filter(lot=lot).count()} 份")
        return
    made = 0
    for spec, (price, days, manager) in zip(BIDDERS, BID_SHEETS, strict=True):
        user = _user(spec, rng)
        if spec[0] != "bidder":
            report.logins.append((user.username, city.DEMO_PASSWORD, access.ROLE_NAMES[spec[2]], spec[3]))
        key, sealed = sealing.new_key(), io.BytesIO()
        sheet = {"price": price, "duration": days, "quality": "合格", "manager": manager}
        body = f"%PDF-1.7 {spec[3]} 投标文件（演示）：施工组织设计、资格证明文件。".encode()
        sealing.seal_bid(key, sheet, f"{spec[3]}-投标文件.pdf", io.BytesIO(body), sealed)
        sealed.seek(0)
        upload = bid_files.spool(sealed)
        try:
            with bid_files.cleanup(upload), transaction.atomic(), acting_as(actor_for(user)):
                bid = bids.do_submit(user, lot.pk, upload)
        except ServiceError as exc:  # e.g. a demo company on the credit blacklist
            report.lines.append(f"加密投标：{spec[3]} 未能递交（{exc.message}）")
            continue
        path = demo_key_path(bid.pk)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sealing.encode_key(key), encoding="utf-8")
        made += 1
    report.lines.append(f"加密投标：标段“{lot}”收到加密投标文件 {made} 份（演示密钥在 DATA_DIR/demo-bid-keys/）")

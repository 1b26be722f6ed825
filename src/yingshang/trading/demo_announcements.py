"""The demo's announcements, downloads, a clarification that moved a deadline and a pending objection (issue 12 §2)."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from yingshang.kernel import access, clock
from yingshang.kernel import demo_city as city
from yingshang.kernel.context import acting_as, actor_for
from yingshang.kernel.demo import DemoReport, seeder
from yingshang.trading.demo_accounts import TENDERER, _user

BIDDERS = (("bidder2", "钱峰", access.BIDDER, "陕西华建路桥工程有限公司"),
           ("bidder3", "刘洋", access.BIDDER, "榆林市鼎盛建筑安装工程有限公司"))
# (approval no, project, regulator suffix, lot name, type, days the sale started ago, days from then to the deadline)
ANNOUNCED = (
    ("榆发改审批〔2026〕121号", "榆林市第三污水处理厂提标改造工程", "ZJ", "施工总承包", "works", 10, 22),
    ("榆发改审批〔2026〕122号", "G210榆林过境段路面大修工程", "JT", "路面一标段", "works", 2, 25),
    ("榆发改审批〔2026〕123号", "市档案馆数字化加工服务", "ZJ", "数字化服务", "services", 1, 21),
)
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def _announced_lot(spec, tenderer, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from yingshang.trading.services import announcements, lots, projects

    approval, name, regulator, lot_name, lot_type, ago, days = spec
    start = clock.today() - timedelta(days=ago)
    with clock.as_of(start):
        data = {"name": name, "approval_no": approval, "tenderer_name": TENDERER[3], "tenderer_uscc": tenderer.uscc,
                "regulator": f"610800-{regulator}", "division_code": "610802", "funding_source": "state_owned",
                "lots": [{"name": lot_name, "procedure": "open_tender", "lot_type": lot_type,
                          "estimated_price": "8800000" if lot_type == "works" else "1600000", "qualification": "post",
                          "sale_start": start.isoformat(), "sale_end": (start + timedelta(days=7)).isoformat(),
                          "bid_deadline": datetime.combine(start + timedelta(days=days), time(9, 30)).isoformat(
                              timespec="minutes")}]}
        with transaction.atomic(), acting_as(actor_for(tenderer)):
            lot = projects.do_create_project(tenderer, data, submit=True).lots.get()
        with transaction.atomic(), acting_as(actor_for(staff)):
            lot = lots.do_accept(staff, lot.pk, None, "材料齐全，同意进场")
        with transaction.atomic(), acting_as(actor_for(tenderer)):
            upload = SimpleUploadedFile(f"{lot_name}招标文件.pdf", DEMO_PDF, content_type="application/pdf")
            announcements.do_announce(tenderer, lot.pk, None, title=f"{name}{lot_name}招标公告", files=[upload],
                                      body=f"{name}已具备招标条件，现对{lot_name}进行公开招标。招标文件免费下载，"
                                           "请登录平台获取；投标文件以电子方式递交，不见面开标。")
    return lot


@seeder("trading-announcements", order=401)
def seed_trading_announcements(report: DemoReport) -> None:
    """Announced lots with documents, downloads by three bidders, a clarification that moved a deadline
    (issued 12 days before it) and a pending objection (that lot suspended)."""
    from django.db import transaction

    from yingshang.kernel.models import Department, User
    from yingshang.trading.models import Announcement, TenderDocument, TenderProject
    from yingshang.trading.services import clarifications, downloads

    rng = random.Random(20260413)
    tenderer = User.objects.filter(username="tenderer").first()
    staff = User.objects.filter(username="trading").first()
    main_bidder = User.objects.filter(username="bidder").first()
    if not (tenderer and staff) or Department.objects.filter(code__in=["610800-ZJ", "610800-JT"]).count() != 2:
        return
    bidders = [u for u in (main_bidder, *(_user(spec, rng) for spec in BIDDERS)) if u and u.uscc]
    for spec in BIDDERS:
        report.logins.append((spec[0], city.DEMO_PASSWORD, access.ROLE_NAMES[spec[2]], spec[3]))
    made = []
    for spec in ANNOUNCED:
        if not TenderProject.objects.filter(approval_no=spec[0]).exists():
            made.append((spec, _announced_lot(spec, tenderer, staff)))
    for spec, lot in made:
        document = TenderDocument.objects.get(lot=lot, current=True)
        with clock.as_of(lot.sale_start + timedelta(days=1)):
            for bidder in bidders[: 3 if spec is ANNOUNCED[0] else 2]:
                with transaction.atomic(), acting_as(actor_for(bidder)):
                    downloads.do_download(bidder, document.pk)
        if spec is ANNOUNCED[0]:  # 12 days before its deadline: a material change moves it (TBL Art. 23)
            with transaction.atomic(), acting_as(actor_for(tenderer)):
                clarifications.do_clarify(tenderer, lot.pk, None, text="第五章技术标准：出水水质由一级B提高至一级A，"
                                          "相应调整工程量清单。", affects_preparation=True)
        if spec is ANNOUNCED[1] and bidders:  # pending: the lot is suspended until answered
            with transaction.atomic(), acting_as(actor_for(bidders[0])):
                clarifications.do_file_objection(bidders[0], lot.pk, text="第三章投标人资格要求中“近三年完成两项同类工程”"
                                                 "的业绩要求与本标段规模不相适应，请予以修改。")
    report.lines.append(f"交易公告：{Announcement.objects.count()} 条（本次新增标段 {len(made)} 个）")

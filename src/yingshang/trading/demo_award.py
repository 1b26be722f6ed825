"""The demo's publicity, award, contract, archive and complaint (issue 12 §8–§9)."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from yingshang.kernel import access, clock
from yingshang.kernel import demo_city as city
from yingshang.kernel.context import acting_as, actor_for
from yingshang.kernel.demo import DemoReport, seeder
from yingshang.trading.demo_accounts import TENDERER, _user

# Four lots of the 卫健委's industry, each at a stage of §8–§9, so that `tenderer` has a lot to decide,
# `bidder` sees its results (a win, a candidacy, its complaint), `reviewer_wj` a complaint to handle and
# `trading` a contract to watch and an archive. The bidding and evaluation parts are built in parallel:
# until the merge the lots are put in evaluation directly and their bids and candidates created as rows.
BIDDERS = (("bidder_qc2", "周洁", access.BIDDER, "陕西华岳医疗器械有限公司"),
           ("bidder_qc3", "钱坤", access.BIDDER, "榆林市康宁医学装备有限公司"),
           ("bidder_qc4", "孙悦", access.BIDDER, "西安博远科技发展有限公司"))
# (approval no, project, lot, days ago the report came, final stage)
AWARD_LOTS = (("榆发改审批〔2026〕201号", "市中医医院病房楼改造工程", "施工标段", 1, "publicity"),
              ("榆发改审批〔2026〕202号", "市妇幼保健院信息化建设", "系统集成", 8, "awarded"),
              ("榆发改审批〔2026〕203号", "市疾控中心实验室设备购置", "检测设备包", 30, "archived"),
              ("榆发改审批〔2026〕204号", "市急救中心救护车购置", "车辆包", 3, "complaint"))
DEMO_PDF = b"%PDF-1.4\n% demo contract\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _at(day, user, call, *args, **kwargs):
    from django.db import transaction

    with clock.as_of(day), transaction.atomic(), acting_as(actor_for(user)):
        return call(*args, **kwargs)


def _evaluated_lot(approval, name, lot_name, report_day, tenderer, staff, bidders):
    """A lot registered through the services, then in evaluation with three candidates and one more bid."""
    from datetime import timezone as tz

    from yingshang.trading.models import Bid, Candidate, Lot
    from yingshang.trading.services import lots, projects

    start = report_day - timedelta(days=40)
    deadline = datetime.combine(start + timedelta(days=22), time(9, 30))
    data = {"name": name, "approval_no": approval, "tenderer_name": TENDERER[3], "tenderer_uscc": tenderer.uscc,
            "regulator": "610800-WJ", "division_code": "610802", "funding_source": "fiscal",
            "lots": [{"name": lot_name, "procedure": "open_tender", "lot_type": "goods", "estimated_price": "3600000",
                      "ceiling_price": "3500000", "qualification": "post", "sale_start": (start + timedelta(1)).isoformat(),
                      "sale_end": (start + timedelta(8)).isoformat(), "bid_deadline": deadline.isoformat(timespec="minutes")}]}
    project = _at(start, tenderer, projects.do_create_project, tenderer, data, submit=True)
    lot = project.lots.get()
    _at(start, staff, lots.do_accept, staff, lot.pk, None, "材料齐全，同意进场")
    Lot.objects.filter(pk=lot.pk).update(status="evaluating")  # until the bidding and evaluation parts merge
    moment = datetime.combine(report_day, time(16, 0)).replace(tzinfo=tz(timedelta(hours=8)))
    for i, (user, price) in enumerate(zip(bidders, ("3380000", "3290000", "3420000", "3460000"), strict=False)):
        bid = Bid.objects.create(lot=lot, bidder=user, bidder_uscc=user.uscc, bidder_name=user.organization_name,
                                 status="decrypted", submitted_at=moment - timedelta(days=10), price=price,
                                 created_at=moment - timedelta(days=10))
        if i < 3:
            Candidate.objects.create(lot=lot, bid=bid, strengths="资质齐全，业绩充分", risks="供货周期偏紧",
                                     created_at=moment)
    return Lot.objects.get(pk=lot.pk)


@seeder("trading-award", order=401)
def seed_trading_award(report: DemoReport) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yingshang.kernel.models import Department, User
    from yingshang.trading.models import TenderProject
    from yingshang.trading.services import archive, award, complaints, contracts, publicity

    staff, regulator = User.objects.filter(username="trading").first(), User.objects.filter(username="reviewer_wj").first()
    bidder = User.objects.filter(username="bidder").first()
    if not (staff and regulator and bidder and bidder.uscc and Department.objects.filter(code="610800-WJ").exists()):
        return
    rng = random.Random(20260413)
    tenderer = _user(TENDERER, rng)
    others = [_user(spec, rng) for spec in BIDDERS]
    for spec, user in zip(BIDDERS, others, strict=True):
        report.logins.append((user.username, city.DEMO_PASSWORD, access.ROLE_NAMES[spec[2]], spec[3]))
    today = clock.today()
    members = [{"name": n, "title": t} for n, t in (("刘建华", "董事长"), ("王立新", "总经理"), ("陈晓", "总工程师"),
                                                   ("赵敏", "财务总监"), ("孙磊", "纪检负责人"))]
    for approval, name, lot_name, ago, stage in AWARD_LOTS:
        if TenderProject.objects.filter(approval_no=approval).exists():
            continue
        report_day = today - timedelta(days=ago)
        # The demo bidder wins the awarded lot, is a candidate elsewhere, and complains in the last one.
        order = [bidder, *others] if stage == "awarded" else [*others[:1], bidder, *others[1:]]
        lot = _evaluated_lot(approval, name, lot_name, report_day, tenderer, staff, order)
        ends = report_day + timedelta(days=3)
        _at(report_day, tenderer, publicity.do_publish, tenderer, lot.pk, None, ends_on=ends, award_method="price")
        if stage == "complaint":
            objection = _at(report_day, bidder, publicity.do_object, bidder, lot.pk,
                            content="第一中标候选人的业绩证明材料与实际不符")
            _at(report_day + timedelta(days=1), tenderer, publicity.do_answer, tenderer, objection.pk, None,
                answer="经核查，该候选人业绩材料真实有效")
            filed = _at(report_day + timedelta(days=1), bidder, complaints.do_file, bidder, lot.pk, {
                "matter": "result", "known_on": (report_day + timedelta(days=1)).isoformat(),
                "facts": "第一中标候选人提交的类似项目业绩合同与项目所在地公示信息不一致",
                "grounds": "《招标投标法实施条例》第五十四条、第六十条",
                "request": "请求核查并取消其中标候选人资格"})
            _at(report_day + timedelta(days=2), regulator, complaints.do_accept, regulator, filed.pk, None,
                note="符合受理条件，予以受理", suspend=True)
        if stage in ("awarded", "archived"):
            _at(ends + timedelta(days=1), tenderer, award.do_award, tenderer, lot.pk, None, members=members,
                reasons="按招标文件载明的价格竞争定标法，候选人中投标报价最低者中标")
        if stage == "archived":
            signed = ends + timedelta(days=6)
            upload = SimpleUploadedFile("采购合同.pdf", DEMO_PDF, content_type="application/pdf")
            _at(signed, tenderer, contracts.do_sign, tenderer, lot.pk, None, signed_on=signed, upload=upload)
            _at(signed, staff, contracts.do_issue_certificate, staff, lot.pk)
            _at(signed + timedelta(days=1), staff, archive.do_archive, staff, lot.pk, None)
    report.lines.append("公共资源交易定标：公示中、已定标、已归档、投诉处理中的标段各 1 个")

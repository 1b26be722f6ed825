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
from yingshang.trading import demo_bidders  # noqa: F401  (registers the bidders' seeder)

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


# --- Bid bonds (appended by the bonds work) -------------------------------------------------------------
BIDDERS = (("bidder_a", "王磊", access.BIDDER, "陕西华泰建设工程有限公司"),
           ("bidder_b", "李娜", access.BIDDER, "榆林市恒通路桥有限公司"),
           ("bidder_c", "赵强", access.BIDDER, "陕西秦川建筑安装有限公司"))
# (approval no, project, lot, estimated price, days before today the sale started, contract signed days ago)
BOND_PROJECTS = (("榆发改审批〔2026〕107号", "榆林市体育中心改造工程", "施工标段", "8000000", 10, None),
                 ("榆发改审批〔2026〕108号", "榆横工业区污水处理厂配套管网工程", "管网施工标段", "6000000", 50, 12))
DEMO_ISSUER = ("91610800MA6YSB001K", "中国建设银行股份有限公司榆林分行")


@seeder("trading-bonds", order=410)
def seed_bonds(report: DemoReport) -> None:
    """Two lots with bonds: one announced (cash paid, a guarantee accepted, two bidders paying from one account),
    one contracted whose refunds fell due a week ago (one paid, one overdue: the centre's refunds page has work).
    The announcement and the contract belong to other parts of issue 12: until they are merged the demo moves
    the lot's status directly."""
    from django.db import transaction

    from yingshang.kernel.context import SYSTEM
    from yingshang.kernel.models import User
    from yingshang.trading import bank as banking
    from yingshang.trading import hooks, rules
    from yingshang.trading.models import Lot, Refund, SimulatedGuarantee, TenderProject
    from yingshang.trading.services import bond_payments, bond_refunds, bonds, lots, projects

    rng = random.Random(20260413)
    tenderer, bidders = _user(TENDERER, rng), [_user(spec, rng) for spec in BIDDERS]
    staff = User.objects.filter(username="trading").first()
    for spec, user in zip(BIDDERS, bidders, strict=True):
        report.logins.append((user.username, city.DEMO_PASSWORD, access.ROLE_NAMES[spec[2]], spec[3]))
    bank = banking.get_bank()
    today = clock.today()

    def pay(bond, n, amount, payer):
        body, signature = banking.SimulatedBank.notification(
            type="payment", id=f"DEMO-{bond.lot_id}-{n}", sub_account=bond.sub_account_no, amount=amount,
            payer_account=f"61050162{int(payer.uscc[8:16], 36) % 10**11:011d}",  # the payer's (demo) account
            payer_name=payer.organization_name, payer_bank="中国建设银行榆林分行", at=clock.now())
        bond_payments.do_record_payment(bank.parse(body, signature), bank.code)

    made = 0
    for approval, name, lot_name, price, started_ago, signed_ago in BOND_PROJECTS:
        if TenderProject.objects.filter(approval_no=approval).exists() or staff is None:
            continue
        start_day = today - timedelta(days=started_ago + 3)
        with clock.as_of(start_day), transaction.atomic():
            sale_start = start_day + timedelta(days=3)
            data = {"name": name, "approval_no": approval, "tenderer_name": TENDERER[3], "tenderer_uscc": tenderer.uscc,
                    "regulator": "610800-ZJ", "division_code": "610802", "funding_source": "state_owned",
                    "lots": [{"name": lot_name, "procedure": "open_tender", "lot_type": "works", "estimated_price": price,
                              "ceiling_price": str(int(price) * 95 // 100), "qualification": "post",
                              "sale_start": sale_start.isoformat(),
                              "sale_end": (sale_start + timedelta(days=7)).isoformat(),
                              "bid_deadline": datetime.combine(sale_start + timedelta(days=21), time(9, 30)).isoformat()}]}
            with acting_as(actor_for(tenderer)):
                lot = projects.do_create_project(tenderer, data, submit=True).lots.get()
            with acting_as(actor_for(staff)):
                lots.do_accept(staff, lot.pk, None, "材料齐全，同意进场")
            Lot.objects.filter(pk=lot.pk).update(status=rules.ANNOUNCED)  # the announcement part's action
            with acting_as(actor_for(tenderer)):
                bonds.do_set_requirement(tenderer, lot.pk, None, amount=str(int(price) * 2 // 100), validity_days=90)
        with clock.as_of(start_day + timedelta(days=8)), transaction.atomic():
            lot = Lot.objects.select_related("project").get(pk=lot.pk)
            a, b, c = bidders
            with acting_as(actor_for(a)):
                pay(bonds.do_open_sub_account(a, lot.pk), 1, str(int(price) * 2 // 100), a)
            with acting_as(actor_for(c)):  # paid from bidder A's account: the same-account screen finds it
                pay(bonds.do_open_sub_account(c, lot.pk), 2, str(int(price) * 2 // 100), a)
            SimulatedGuarantee.objects.get_or_create(issuer_code=DEMO_ISSUER[0], guarantee_no=f"JH-BH-{lot.pk:06d}", defaults={
                "issuer_name": DEMO_ISSUER[1], "kind": "bank", "applicant_uscc": b.uscc,
                "beneficiary_uscc": tenderer.uscc, "lot_ref": bonds.lot_ref(lot), "amount": int(price) * 2 // 100,
                "valid_from": clock.today(), "valid_to": lot.bid_deadline.date() + timedelta(days=120)})
            with acting_as(actor_for(b)):
                bonds.do_submit_guarantee(b, lot.pk, kind="bank", issuer_code=DEMO_ISSUER[0],
                                          guarantee_no=f"JH-BH-{lot.pk:06d}")
        if signed_ago is not None:
            signed_on = today - timedelta(days=signed_ago)
            with clock.as_of(signed_on), transaction.atomic(), acting_as(actor_for(staff)):
                Lot.objects.filter(pk=lot.pk).update(status=rules.CONTRACTED)  # the contract part's action
                refunds = hooks.CONTRACT_SIGNED.run(lot=Lot.objects.get(pk=lot.pk), signed_on=signed_on)
            with clock.as_of(signed_on + timedelta(days=2)), transaction.atomic(), acting_as(actor_for(staff)):
                bond_refunds.do_send(staff, refunds[0].pk, None)  # one paid in time; the other is left overdue
            with transaction.atomic(), acting_as(SYSTEM):
                bond_refunds.sweep()
        made += 1
    from yingshang.trading.models import Bond

    report.lines.append(f"投标保证金：{Bond.objects.filter(method='cash').count()} 笔现金、"
                        f"{Bond.objects.filter(method='guarantee').count()} 份电子保函，退付 {Refund.objects.count()} 笔"
                        f"（其中逾期 {Refund.objects.filter(overdue=True).count()} 笔；本次新增项目 {made} 个）")

# --- The award work (issue 12 §8–§9) --------------------------------------------------------------------
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

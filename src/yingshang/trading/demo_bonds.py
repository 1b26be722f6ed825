"""The demo's bid bonds and e-guarantees (issue 12 §3)."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from yingshang.kernel import access, clock
from yingshang.kernel import demo_city as city
from yingshang.kernel.context import acting_as, actor_for
from yingshang.kernel.demo import DemoReport, seeder
from yingshang.trading.demo_accounts import TENDERER, _user

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

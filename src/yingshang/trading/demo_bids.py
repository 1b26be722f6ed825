"""The demo's sealed bids (issue 12 §4); the keys are kept in the data directory for the opening."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from yingshang.kernel import access, clock
from yingshang.kernel import demo_city as city
from yingshang.kernel.context import acting_as, actor_for
from yingshang.kernel.demo import DemoReport, seeder
from yingshang.trading.demo_accounts import TENDERER, _user

# A lot taking bids with four sealed bids. The keys are written to DATA_DIR/demo-bid-keys/<bid id>.key so the
# opening's demo can decrypt them (a real bidder keeps its key; the platform never has it).
BID_APPROVAL = "榆发改审批〔2026〕301号"
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

"""The bond API (codes, the signed bank notifications, scoping, query counts) and pages (the bidder's
bond page with masked accounts and the guarantee form, the tenderer's form, the centre's pages)."""

from datetime import date

import pytest

from tests.factories import LotFactory, TenderProjectFactory
from tests.helpers import assert_max_queries
from tests.trading.factories_bonds import ISSUER, BondRequirementFactory, bidder, issued, payment
from yingshang.trading import hooks
from yingshang.trading.bank import SIGNATURE_HEADER
from yingshang.trading.models import BondPayment, Guarantee, Refund

pytestmark = pytest.mark.django_db
NOTIFY = "/api/v1/trading/bank/notifications"
HEADER = f"HTTP_{SIGNATURE_HEADER.upper().replace('-', '_')}"


def post(client, url, body=None, method="post"):
    return getattr(client, method)(url, body or {}, content_type="application/json")


def notify(client, body: bytes, signature: str):
    return client.post(NOTIFY, body, content_type="application/json", **{HEADER: signature})


def open_and_pay(client, req, user, *, id="N1", payer_account="6222020200112233445", amount="50000"):
    client.force_login(user)
    sub = post(client, f"/api/v1/trading/lots/{req.lot_id}/bonds/mine/sub-account").json()["sub_account_no"]
    response = notify(client, *payment(sub, amount, id=id, payer_account=payer_account))
    assert response.status_code == 200, response.json()
    return sub


def test_the_tenderer_sets_the_requirement_and_is_told_the_cap(client, town):
    lot = LotFactory(accepted=True, project=TenderProjectFactory(tenderer_uscc=town.tenderer.uscc))
    client.force_login(town.tenderer)
    url = f"/api/v1/trading/lots/{lot.pk}/bond-requirement"
    assert client.get(url).json()["code"] == "trading.bond_not_required"
    too_much = post(client, url, {"amount": "100000.01"}, "put")
    assert too_much.status_code == 400 and too_much.json()["code"] == "trading.bond_above_cap"
    assert too_much.json()["details"]["cap"] == "100000.00"
    made = post(client, url, {"amount": "50000", "validity_days": 120}, "put").json()
    assert made["amount"] == "50000.00" and made["validity_days"] == 120 and made["row_version"] == 1
    stale = post(client, url, {"amount": "40000", "row_version": 5}, "put")
    assert stale.status_code == 409 and stale.json()["code"] == "trading.conflict"
    client.force_login(town.other_tenderer)
    assert post(client, url, {"amount": "1"}, "put").status_code == 404  # not in its scope either


def test_a_bidder_pays_through_the_sub_account_and_the_bank_notification(client, town):
    req = BondRequirementFactory()
    user = bidder(1)
    sub = open_and_pay(client, req, user)
    mine = client.get(f"/api/v1/trading/lots/{req.lot_id}/bonds/mine").json()
    assert mine["secured"] and mine["method"] == "cash" and mine["sub_account_no"] == sub
    assert mine["payments"][0]["payer_account"] == "****3445" and mine["required_amount"] == "50000.00"
    again = notify(client, *payment(sub, id="N1"))
    assert again.json() == {"recorded": False, "kind": "payment"} and BondPayment.objects.count() == 1


def test_bank_notifications_with_a_bad_signature_or_body_are_refused_with_codes(client, town):
    req = BondRequirementFactory()
    sub = open_and_pay(client, req, bidder(1))
    body, _sig = payment(sub, id="N2")
    client.logout()  # the bank has no session: the signature is its credential
    bad = notify(client, body, "0" * 64)
    assert bad.status_code == 403 and bad.json()["code"] == "trading.bank_signature_invalid"
    assert notify(client, body, "").json()["code"] == "trading.bank_signature_invalid"
    unknown = notify(client, *payment("6217999999999999999", id="N3"))
    assert unknown.status_code == 404 and unknown.json()["code"] == "trading.sub_account_unknown"
    from yingshang.trading.bank import sign

    assert notify(client, b"[1]", sign(b"[1]")).json()["code"] == "trading.bank_notification_invalid"
    assert notify(client, body, _sig).status_code == 200


def test_a_refused_guarantee_returns_the_reason_and_the_attempt_is_kept(client, town):
    req = BondRequirementFactory()
    user = bidder(1)
    issued(req.lot, user, amount="10000")
    client.force_login(user)
    url = f"/api/v1/trading/lots/{req.lot_id}/bonds/mine/guarantee"
    body = {"kind": "bank", "issuer_code": ISSUER, "guarantee_no": "BH2026001"}
    refused = post(client, url, body)
    assert refused.status_code == 400 and refused.json()["code"] == "trading.guarantee_amount"
    assert Guarantee.objects.filter(accepted=False).count() == 1
    issued(req.lot, user, no="BH2026002")
    accepted = post(client, url, body | {"guarantee_no": "BH2026002"})
    assert accepted.status_code == 200 and accepted.json()["secured"] and accepted.json()["method"] == "guarantee"


def test_the_centre_lists_bonds_same_accounts_and_refunds(client, town):
    req = BondRequirementFactory()
    for i in range(1, 5):
        open_and_pay(client, req, bidder(i), id=f"N{i}", payer_account="6222000011112222" if i < 3 else f"62220000{i}")
    hooks.CONTRACT_SIGNED.run(lot=req.lot, signed_on=date(2026, 6, 10))
    client.force_login(town.staff)
    with assert_max_queries(12):
        rows = client.get(f"/api/v1/trading/lots/{req.lot_id}/bonds").json()
    assert len(rows) == 4 and all(r["secured"] for r in rows) and rows[0]["refund"]["due_on"] == "2026-06-15"
    groups = client.get(f"/api/v1/trading/lots/{req.lot_id}/bonds/same-account").json()
    assert len(groups) == 1 and groups[0]["account"] == "****2222" and len(groups[0]["bidders"]) == 2
    with assert_max_queries(8):
        due = client.get("/api/v1/trading/bonds/refunds?view=due").json()
    assert len(due) == 4 and due[0]["to_account"].startswith("****")
    sent = post(client, f"/api/v1/trading/bonds/refunds/{due[0]['id']}/send", {"row_version": due[0]["row_version"]})
    assert sent.status_code == 200 and sent.json()["status"] == "paid"
    again = post(client, f"/api/v1/trading/bonds/refunds/{due[0]['id']}/send", {"row_version": due[0]["row_version"]})
    assert again.status_code == 409
    assert client.get("/api/v1/trading/bonds/refunds?view=bogus").status_code == 422
    for outsider in (town.tenderer, bidder(1), town.reviewer_zj):
        client.force_login(outsider)
        assert client.get(f"/api/v1/trading/lots/{req.lot_id}/bonds/same-account").status_code in (403, 404)
        assert client.get("/api/v1/trading/bonds/refunds").status_code == 403


def test_the_rules_in_force_and_the_openapi_document(client, town):
    client.force_login(town.staff)
    rules_now = client.get("/api/v1/trading/bonds/rules").json()
    assert {c["lot_type"]: c["max_amount"] for c in rules_now["caps"]} == {
        "works": "800000.00", "goods": "800000.00", "services": None}
    assert [r["percent"] for r in rules_now["reductions"]][:2] == ["50.00", "80.00"]
    assert rules_now["deposit_rate"]["annual_percent"] == "0.0500"
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {NOTIFY, "/api/v1/trading/lots/{lot_id}/bonds/mine/guarantee"} <= set(paths)


# --- Pages ---------------------------------------------------------------------------------------------------
def test_the_bidders_bond_page_explains_the_amount_and_masks_accounts(client, town, monkeypatch):
    from yingshang.trading.services import credit_gate

    monkeypatch.setattr(credit_gate, "grade", lambda uscc: "B")
    req = BondRequirementFactory()
    user = bidder(1)
    client.force_login(user)
    assert req.lot.name in client.get("/trading/bonds/").content.decode()
    page = client.get(f"/trading/bonds/lots/{req.lot_id}/").content.decode()
    assert "40000.00 元" in page and "80.00%" in page and "申请保证金子账户" in page and "csrfmiddlewaretoken" in page
    opened = client.post(f"/trading/bonds/lots/{req.lot_id}/sub-account/", follow=True).content.decode()
    assert "已开立保证金子账户" in opened
    sub = user and req.lot.bonds.get().sub_account_no
    notify(client, *payment(sub, "40000"))
    page = client.get(f"/trading/bonds/lots/{req.lot_id}/").content.decode()
    assert sub in page and "****3445" in page and "6222020200112233445" not in page and "已完成保证" in page


def test_the_guarantee_form_shows_the_refusal_reason(client, town):
    req = BondRequirementFactory()
    user = bidder(1)
    client.force_login(user)
    issued(req.lot, user)
    page = client.post(f"/trading/bonds/lots/{req.lot_id}/guarantee/",
                       {"kind": "bank", "issuer_code": ISSUER, "guarantee_no": "NOPE"}, follow=True).content.decode()
    assert "未通过核验" in page and "查无此保函" in page
    missing = client.post(f"/trading/bonds/lots/{req.lot_id}/guarantee/", {"kind": "bank"}, follow=True)
    assert "请填写出具机构代码" in missing.content.decode()
    page = client.post(f"/trading/bonds/lots/{req.lot_id}/guarantee/",
                       {"kind": "bank", "issuer_code": ISSUER, "guarantee_no": "BH2026001"}, follow=True).content.decode()
    assert "核验通过" in page and "已接受" in page
    assert client.get("/trading/bonds/lots/999999/").status_code == 404
    client.force_login(town.tenderer)
    assert client.get(f"/trading/bonds/lots/{req.lot_id}/").status_code == 403


def test_the_requirement_form_shows_the_cap_and_errors(client, town):
    lot = LotFactory(accepted=True, project=TenderProjectFactory(tenderer_uscc=town.tenderer.uscc))
    client.force_login(town.tenderer)
    url = f"/trading/bonds/lots/{lot.pk}/requirement/"
    page = client.get(url).content.decode()
    assert "100000.00" in page and "第二十六条" in page
    assert f"/trading/bonds/lots/{lot.pk}/requirement/" in client.get(f"/trading/lots/{lot.pk}/").content.decode()
    error = client.post(url, {"amount": "200000", "validity_days": "90"}).content.decode()
    assert "不得超过估算价的2%" in error and 'value="200000"' in error
    done = client.post(url, {"amount": "60000", "validity_days": "90"}, follow=True).content.decode()
    assert "投标保证金已设置" in done and "60000.00 元" in done
    client.force_login(bidder(1))
    assert client.get(url).status_code == 403


def test_the_centre_pages_list_bonds_groups_and_refunds_in_few_queries(client, town):
    req = BondRequirementFactory()
    for i in range(1, 4):
        open_and_pay(client, req, bidder(i), id=f"N{i}", payer_account="6222000011112222")
    hooks.CONTRACT_SIGNED.run(lot=req.lot, signed_on=date(2026, 4, 10))
    client.force_login(town.staff)
    assert req.lot.name in client.get("/trading/bonds/centre/").content.decode()
    with assert_max_queries(16):
        page = client.get(f"/trading/bonds/centre/lots/{req.lot_id}/").content.decode()
    assert "测试投标人1有限公司" in page and "****2222" in page and "第四十条" in page
    assert "6222000011112222" not in page
    from yingshang.trading.services.bond_refunds import sweep

    sweep()
    with assert_max_queries(12):
        overdue = client.get("/trading/bonds/refunds/?view=overdue").content.decode()
    assert overdue.count("已逾期") >= 3 and "发送退付指令" in overdue
    refund = Refund.objects.first()
    done = client.post(f"/trading/bonds/refunds/{refund.pk}/send/", {"row_version": refund.row_version,
                                                                      "view": "overdue"}, follow=True)
    assert "已发送退付指令" in done.content.decode()
    assert "测试投标人" in client.get("/trading/bonds/refunds/?view=paid").content.decode()
    stale = client.post(f"/trading/bonds/refunds/{refund.pk}/send/", {"row_version": refund.row_version}, follow=True)
    assert "已被他人处理" in stale.content.decode() or "不能" in stale.content.decode()
    client.force_login(town.tenderer)
    assert client.get("/trading/bonds/refunds/").status_code == 403


def test_the_demo_seeds_bonds_guarantees_and_one_overdue_refund(client, town, monkeypatch):
    from datetime import datetime, time

    from django.utils import timezone

    from yingshang.kernel import clock
    from yingshang.kernel.demo import DemoReport

    pinned = clock.today()  # the demo seeds a history with clock.as_of: honour it around the pinned day
    monkeypatch.setattr(clock, "today", lambda: clock._AS_OF.get() or pinned)
    monkeypatch.setattr(clock, "now", lambda: timezone.make_aware(datetime.combine(clock.today(), time(10, 0))))
    from yingshang.trading import demo_bonds as demo
    from yingshang.trading.models import Bond, TenderProject

    demo.seed_bonds(DemoReport())
    demo.seed_bonds(DemoReport())  # idempotent
    assert TenderProject.objects.filter(approval_no__in=[p[0] for p in demo.BOND_PROJECTS]).count() == 2
    assert Bond.objects.filter(method="cash").count() == 4 and Bond.objects.filter(method="guarantee").count() == 2
    assert Refund.objects.filter(overdue=True, status="due").count() == 1 and Refund.objects.filter(status="paid").count() == 1
    client.force_login(town.staff)
    assert "/trading/bonds/refunds/" in client.get("/").content.decode()
    announced = TenderProject.objects.get(approval_no=demo.BOND_PROJECTS[0][0]).lots.get()
    assert len(client.get(f"/api/v1/trading/lots/{announced.pk}/bonds/same-account").json()) == 1


def test_a_refund_notification_confirms_a_pending_order(client, town, monkeypatch):
    from yingshang.trading import bank as banking

    req = BondRequirementFactory()
    open_and_pay(client, req, bidder(1))
    (refund,) = hooks.CONTRACT_SIGNED.run(lot=req.lot, signed_on=date(2026, 6, 10))
    monkeypatch.setattr(banking.SimulatedBank, "refund_order", lambda self, **kw: banking.RefundReceipt("ORD-9", None))
    client.force_login(town.staff)
    sent = post(client, f"/api/v1/trading/bonds/refunds/{refund.pk}/send", {"row_version": refund.row_version})
    assert sent.json()["status"] == "ordered" and sent.json()["order_no"] == "ORD-9"
    client.logout()
    unknown = notify(client, *banking.SimulatedBank.notification(type="refund", id="R0", order_no="ORD-0"))
    assert unknown.status_code == 404 and unknown.json()["code"] == "trading.refund_not_found"
    done = notify(client, *banking.SimulatedBank.notification(type="refund", id="R1", order_no="ORD-9",
                                                               at="2026-06-12T10:00:00+08:00"))
    assert done.json() == {"recorded": True, "kind": "refund"}
    refund.refresh_from_db()
    assert refund.status == "paid" and refund.paid_at.isoformat().startswith("2026-06-12T02:00")


def test_the_agency_of_the_project_may_set_the_requirement(client, town):
    lot = LotFactory(accepted=True, project=TenderProjectFactory(tenderer_uscc=town.tenderer.uscc,
                                                                 agency_uscc=town.agency.uscc))
    client.force_login(town.agency)
    made = post(client, f"/api/v1/trading/lots/{lot.pk}/bond-requirement", {"amount": "20000"}, "put")
    assert made.status_code == 200 and made.json()["cap"] == "100000.00"


def test_the_bidders_list_of_bonds_in_few_queries(client, town):
    reqs = [BondRequirementFactory() for _ in range(3)]
    LotFactory(status="announced")  # no bond required
    user = bidder(1)
    open_and_pay(client, reqs[0], user)
    with assert_max_queries(12):
        rows = client.get("/api/v1/trading/bonds/mine").json()
    assert len(rows) == 4 and sum(r["secured"] for r in rows) == 2  # paid, and the lot without a bond
    assert [r["required"] for r in rows].count(False) == 1
    client.force_login(town.tenderer)
    assert client.get("/api/v1/trading/bonds/mine").json()["code"] == "trading.forbidden"

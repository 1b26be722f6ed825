"""The expert and draw API (codes, the seal on names) and the pages (status 200, forms, errors shown)."""

import pytest

from tests.factories import LotFactory, TenderProjectFactory, UserFactory, _uscc
from tests.helpers import assert_max_queries
from tests.trading.factories_experts import ExpertFactory, resident_id
from yingshang.trading import rules
from yingshang.trading import rules_experts as rx
from yingshang.trading.models import Expert, Invitation

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


@pytest.fixture
def lot(town):
    project = TenderProjectFactory(tenderer_uscc=town.tenderer.uscc, regulator=town.zj)
    return LotFactory(project=project, status=rules.ANNOUNCED)


def expert_body(**kw):
    return {"name": "李明", "id_number": resident_id(11), "phone": "13800001234", "employer_name": "某设计院",
            "employer_uscc": _uscc(777), "region": "610802", "specialties": ["A0801"], **kw}


def test_register_list_and_sanction_through_the_api(client, town):
    client.force_login(town.staff)
    created = post(client, "/api/v1/trading/experts", expert_body())
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["id_masked"].count("*") == 8 and body["phone_masked"] == "138****1234"
    assert resident_id(11) not in created.content.decode()
    dup = post(client, "/api/v1/trading/experts", expert_body())
    assert dup.status_code == 409 and dup.json()["code"] == "trading.expert_duplicate"
    bad = post(client, "/api/v1/trading/experts", expert_body(id_number="123"))
    assert bad.status_code == 400 and bad.json()["code"] == "trading.id_number_invalid"
    ExpertFactory.create_batch(3)
    with assert_max_queries(7):
        listing = client.get("/api/v1/trading/experts?specialty=A08&limit=50").json()
    assert listing["total"] == 4
    s = post(client, f"/api/v1/trading/experts/{body['id']}/sanctions",
             {"kind": "suspend_12", "reason": "无正当理由拒不参加评标", "document_no": "榆交易〔2026〕3号"})
    assert s.status_code == 200 and s.json()["suspended_until"] == "2027-04-19"
    stale = post(client, f"/api/v1/trading/experts/{body['id']}/status", {"row_version": 1, "status": "paused",
                                                                          "note": "x"})
    assert stale.status_code == 409 and stale.json()["code"] == "trading.conflict"
    client.force_login(town.tenderer)
    assert client.get("/api/v1/trading/experts").status_code == 403
    assert client.get(f"/api/v1/trading/experts/{body['id']}").status_code == 404


def test_self_registration_and_specialties(client):
    account = UserFactory(role_codes=["expert"])
    client.force_login(account)
    assert client.get("/api/v1/trading/experts/me").json() is None
    assert post(client, "/api/v1/trading/experts/me", expert_body()).status_code == 201
    assert client.get("/api/v1/trading/experts/me").json()["name"] == "李明"
    codes = [s["code"] for s in client.get("/api/v1/trading/specialties").json()]
    assert "A0801" in codes and len(codes) >= 35


def test_draw_through_the_api_sealed_for_the_tenderer(client, town, lot):
    ExpertFactory.create_batch(6, with_account=True)
    client.force_login(town.staff)
    prepared = post(client, f"/api/v1/trading/lots/{lot.pk}/draw", {
        "requirements": [{"specialty": "A0801", "count": 3, "substitutes": 1}], "evaluation_on": "2026-04-27"})
    assert prepared.status_code == 201, prepared.json()
    d = prepared.json()
    assert d["rounds"][0]["seed"] is None and len(d["rounds"][0]["commitment"]) == 64
    again = post(client, f"/api/v1/trading/lots/{lot.pk}/draw", {
        "requirements": [{"specialty": "A0801", "count": 3}], "evaluation_on": "2026-04-27"})
    assert again.status_code == 409 and again.json()["code"] == "trading.draw_exists"
    drawn = post(client, f"/api/v1/trading/draws/{d['id']}/reveal", {"row_version": d["row_version"]}).json()
    assert drawn["rounds"][0]["seed"] and len(drawn["invitations"]) == 4
    assert client.get(f"/api/v1/trading/draws/{d['id']}/verify").json()["ok"] is True
    client.force_login(town.tenderer)
    sealed = client.get(f"/api/v1/trading/lots/{lot.pk}/draw").json()
    assert sealed["names_visible"] is False and sealed["invitations"] == [] and sealed["counts"]["invited"] == 3
    names = set(Expert.objects.values_list("name", flat=True))
    assert not any(n in client.get(f"/api/v1/trading/lots/{lot.pk}/draw").content.decode() for n in names)
    rep = post(client, f"/api/v1/trading/draws/{d['id']}/representatives", {"name": "招标人代表甲"})
    assert rep.status_code == 200
    reveal_by_other = post(client, f"/api/v1/trading/draws/{d['id']}/complete", {"row_version": 1})
    assert reveal_by_other.status_code == 409  # stale version
    invited = Invitation.objects.filter(status=rx.INVITED).select_related("expert__user").first()
    client.force_login(invited.expert.user)
    mine = client.get("/api/v1/trading/my/invitations").json()
    assert len(mine) == 1 and mine[0]["lot_name"] is None
    answered = post(client, f"/api/v1/trading/invitations/{invited.pk}/reply",
                    {"row_version": mine[0]["row_version"], "accept": True})
    assert answered.status_code == 200 and answered.json()["status"] == "confirmed"
    assert client.get("/api/v1/trading/my/committees").json()[0]["lot_name"] is None
    client.force_login(town.citizen)
    assert client.get(f"/api/v1/trading/lots/{lot.pk}/draw").status_code == 403


def test_pages_of_the_centre(client, town, lot):
    client.force_login(town.staff)
    ExpertFactory.create_batch(3)
    with assert_max_queries(12):
        page = client.get("/trading/experts/?specialty=A08")
    assert page.status_code == 200 and "table" in page.content.decode()
    assert client.get("/trading/experts/new/").status_code == 200
    form = {**expert_body(), "specialties": ["A0801"]}
    bad = client.post("/trading/experts/new/", {**form, "phone": "1"})
    assert bad.status_code == 200 and "手机号须为11位" in bad.content.decode()
    made = client.post("/trading/experts/new/", form)
    assert made.status_code == 302
    expert = Expert.objects.get(name="李明")
    detail = client.get(f"/trading/experts/{expert.pk}/").content.decode()
    assert expert.id_masked in detail and "13800001234" not in detail and "138****1234" in detail
    assert client.get(f"/trading/experts/{expert.pk}/edit/").status_code == 200
    response = client.post(f"/trading/experts/{expert.pk}/sanction/",
                           {"kind": "suspend_6", "reason": "迟到", "document_no": "榆交易〔2026〕5号"}, follow=True)
    assert "已保存" in response.content.decode()
    page = client.get(f"/trading/draws/lot/{lot.pk}/")
    assert page.status_code == 200 and "提交种子承诺" in page.content.decode()
    response = client.post(f"/trading/draws/lot/{lot.pk}/prepare/", {
        "req0-specialty": "A0801", "req0-count": "9", "evaluation_on": "2026-04-27"}, follow=True)
    assert "少于需要的 9 人" in response.content.decode()
    client.post(f"/trading/draws/lot/{lot.pk}/prepare/", {"req0-specialty": "A0801", "req0-count": "2",
                                                          "req0-substitutes": "0", "evaluation_on": "2026-04-27"})
    d = lot.expert_draw
    assert "种子承诺值" in client.get(f"/trading/draws/lot/{lot.pk}/").content.decode()
    client.post(f"/trading/draws/{d.pk}/reveal/", {"row_version": d.row_version})
    page = client.get(f"/trading/draws/lot/{lot.pk}/").content.decode()
    picked = Invitation.objects.filter(draw=d).select_related("expert").first().expert.name
    assert picked in page
    client.force_login(town.tenderer)
    sealed = client.get(f"/trading/draws/lot/{lot.pk}/").content.decode()
    assert picked not in sealed and "名单保密" in sealed and "增加招标人代表" in sealed


def test_the_experts_own_page_registers_and_replies(client, town, lot):
    account = UserFactory(role_codes=["expert"])
    client.force_login(account)
    page = client.get("/trading/me/expert/")
    assert page.status_code == 200 and "申请入库" in page.content.decode()
    response = client.post("/trading/me/expert/", {**expert_body(), "specialties": ["A0801"]})
    assert response.status_code == 302
    ExpertFactory.create_batch(2)
    from tests.trading.test_expert_draw import prepare
    from yingshang.trading.services import expert_draws

    d = prepare(town.staff, lot, reqs=(("A0801", 3, 0),))
    expert_draws.do_reveal(town.staff, d.pk, None)
    mine = Invitation.objects.get(expert__user=account)
    page = client.get("/trading/me/expert/").content.decode()
    assert "确认参加" in page and lot.name not in page
    response = client.post(f"/trading/invitations/{mine.pk}/reply/", {"row_version": mine.row_version, "accept": "0",
                                                                       "note": "出差"}, follow=True)
    assert "已回复不参加" in response.content.decode()
    assert client.get("/trading/experts/").status_code == 403


def test_an_expert_edits_their_own_profile_on_the_page(client):
    account = UserFactory(role_codes=["expert"])
    mine = ExpertFactory(user=account)
    client.force_login(account)
    assert client.get(f"/trading/experts/{mine.pk}/edit/").status_code == 200
    form = {"row_version": mine.row_version, "name": mine.name, "phone": "13700001111", "employer_name": "x",
            "employer_uscc": mine.employer_uscc, "region": "610881", "specialties": ["A0801", "B02"]}
    assert client.post(f"/trading/experts/{mine.pk}/edit/", form).status_code == 302
    mine.refresh_from_db()
    assert mine.phone == "13700001111" and mine.specialties.count() == 2
    other = ExpertFactory()
    assert client.get(f"/trading/experts/{other.pk}/edit/").status_code == 404
    assert client.get(f"/trading/experts/{mine.pk}/").status_code == 403  # the centre's detail page


def test_sms_replies_from_the_gateway_and_bidders_see_counts(client, town, lot):
    from tests.trading.factories_experts import BidFactory
    from yingshang.trading.services import expert_draws, invitations

    ExpertFactory.create_batch(4)
    bid = BidFactory(lot=lot)
    d = expert_draws.do_prepare(town.staff, lot.pk, {"requirements": [{"specialty": "A0801", "count": 2,
                                                                       "substitutes": 1}], "evaluation_on": "2026-04-27"})
    expert_draws.do_reveal(town.staff, d.pk, None)
    one = Invitation.objects.filter(draw=d, status=rx.INVITED).select_related("expert").first()
    assert invitations.parse_sms_reply("１　" + one.reply_code) == (True, one.reply_code)
    assert invitations.parse_sms_reply("参加") is None
    client.force_login(town.staff)
    wrong_phone = post(client, "/api/v1/trading/sms/replies", {"phone": "13000000000", "text": f"1 {one.reply_code}"})
    assert wrong_phone.status_code == 404 and wrong_phone.json()["code"] == "trading.reply_code_unknown"
    bad = post(client, "/api/v1/trading/sms/replies", {"phone": one.expert.phone, "text": "yes"})
    assert bad.status_code == 400 and bad.json()["code"] == "trading.sms_reply_invalid"
    ok = post(client, "/api/v1/trading/sms/replies", {"phone": one.expert.phone, "text": f"2 {one.reply_code}"})
    assert ok.status_code == 200 and ok.json()["status"] == "declined"
    client.force_login(bid.bidder)
    seen = client.get(f"/api/v1/trading/lots/{lot.pk}/draw").json()
    assert seen["names_visible"] is False and seen["invitations"] == [] and seen["counts"]["invited"] == 2
    client.force_login(UserFactory(role_codes=["bidder"]))
    assert client.get(f"/api/v1/trading/lots/{lot.pk}/draw").status_code in (403, 404)

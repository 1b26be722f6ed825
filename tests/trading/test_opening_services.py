"""The opening's services: sign-in, the opening at the deadline (or a failed lot with fewer than 3 bids), the draw
by the bidders' representative (once, verifiable), remote decryption with every refusal, the window's end and
ETB Art. 31 decisions, the reading-out, sign-off, objections, the record, and the audit of each step."""

import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from tests.trading.conftest_opening import FLOAT_PLAN, make_opening
from tests.trading.factories_opening import bidder, opening_lot
from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from yingshang.kernel.models import AuditEntry
from yingshang.kernel.rules import draw
from yingshang.kernel.services.audit import verify
from yingshang.trading import hooks, rules
from yingshang.trading.models import Bid, Lot, OpeningPlan
from yingshang.trading.services import opening, opening_decrypt, opening_files, opening_sheet
from yingshang.trading.services import sweep as lot_sweep

pytestmark = pytest.mark.django_db


@pytest.fixture
def fired():
    calls = []

    def on_closed(**kw):
        calls.append(("closed", kw))

    def on_opened(**kw):
        calls.append(("opened", kw))

    def on_not_decrypted(**kw):
        calls.append(("not_decrypted", kw))

    pairs = ((hooks.LOT_CLOSED, on_closed), (hooks.BIDS_OPENED, on_opened), (hooks.BID_NOT_DECRYPTED, on_not_decrypted))
    for hook, handler in pairs:
        hook.register(handler)
    yield calls
    for hook, handler in pairs:
        hook.unregister(handler)


def actions(prefix: str) -> list[str]:
    return list(AuditEntry.objects.filter(action__startswith=prefix).values_list("action", flat=True))


def test_with_two_bids_the_lot_fails_at_the_opening_and_says_why(town, opening_storage, fired):
    o = make_opening(town, 2)
    lot = opening.do_open(town.staff, o.lot.pk)
    assert lot.status == rules.FAILED
    plan = OpeningPlan.objects.get(lot=lot)
    assert "投标人少于3个" in plan.failed_reason and plan.commitment == ""
    assert fired == [("closed", {"lot": lot, "reason": plan.failed_reason})]
    assert "trading.lot.fail" in actions("trading.lot.")


def test_a_single_source_procedure_opens_with_one_bid(town, opening_storage):
    from yingshang.trading.models import Procedure

    o = make_opening(town, 1)
    Lot.objects.filter(pk=o.lot.pk).update(procedure=Procedure.objects.get(code="gp_single_source"))
    assert opening.do_open(town.staff, o.lot.pk).status == rules.OPENING


def test_the_opening_is_refused_before_the_deadline_and_to_anyone_but_the_centre(town, opening_storage):
    lot = opening_lot(town, bid_deadline=opening_lot(town).bid_deadline + timedelta(minutes=2))
    with pytest.raises(Conflict) as exc:
        opening.do_open(town.staff, lot.pk)
    assert exc.value.code == "trading.opening_too_early"
    with pytest.raises(Forbidden):
        opening.do_open(town.tenderer, lot.pk)


def test_three_bids_open_publish_the_commitment_and_start_no_window_before_the_draw(town, opening_storage):
    o = make_opening(town, plan=FLOAT_PLAN)
    lot = opening.do_open(town.staff, o.lot.pk)
    plan = OpeningPlan.objects.get(lot=lot)
    assert lot.status == rules.OPENING and plan.commitment == draw.commitment(plan.seed)
    assert plan.decrypt_from is None
    with pytest.raises(Conflict) as exc:
        opening_decrypt.do_decrypt(o.bidders[0], lot.pk, o.keys[0])
    assert exc.value.code == "trading.draw_pending"
    assert opening.verify_draw(plan)["seed"] == ""  # not revealed before the draw


def test_sign_in_once_per_account_and_only_for_parties(town, opening_storage):
    o = make_opening(town)
    first = opening.do_sign_in(o.bidders[1], o.lot.pk)
    assert opening.do_sign_in(o.bidders[1], o.lot.pk).pk == first.pk and first.bid == o.bids[1]
    assert opening.do_sign_in(town.tenderer, o.lot.pk).kind == "tenderer"
    assert opening.do_sign_in(town.staff, o.lot.pk).kind == "centre"
    with pytest.raises(NotFound):
        opening.do_sign_in(bidder(9), o.lot.pk)  # a bidder without a bid on this lot
    with pytest.raises(NotFound):
        opening.do_sign_in(town.other_tenderer, o.lot.pk)
    assert actions("trading.attendance.") == ["trading.attendance.sign_in"] * 3


def test_the_representative_draws_once_and_anyone_can_recompute_it(town, opening_storage):
    o = make_opening(town, plan=FLOAT_PLAN)
    opening.do_sign_in(o.bidders[2], o.lot.pk)  # the first signed in represents the bidders
    opening.do_sign_in(o.bidders[0], o.lot.pk)
    opening.do_open(town.staff, o.lot.pk)
    with pytest.raises(Forbidden) as exc:
        opening.do_draw(o.bidders[0], o.lot.pk)
    assert exc.value.code == "trading.not_drawer"
    with pytest.raises(Forbidden):
        opening.do_draw(town.staff, o.lot.pk)  # a bidder signed in: not the centre's draw
    plan = opening.do_draw(o.bidders[2], o.lot.pk)
    lot = Lot.objects.get(pk=o.lot.pk)
    assert Decimal("3") <= lot.float_rate <= Decimal("6") and plan.drawn_weight in {Decimal(x) for x in (40, 45, 50, 55, 60)}
    assert lot.float_rate == draw.value_in_range(plan.seed, Decimal("3"), Decimal("6"), Decimal("0.01"),
                                                 f"trading.lot:{lot.pk}/float_rate")
    check = opening.verify_draw(OpeningPlan.objects.select_related("lot").get(pk=plan.pk))
    assert check["ok"] is True and check["seed"] == plan.seed and len(check["inputs"]) == 2
    assert plan.decrypt_until - plan.decrypt_from == timedelta(minutes=30)
    with pytest.raises(Conflict) as exc:
        opening.do_draw(o.bidders[2], o.lot.pk)
    assert exc.value.code == "trading.draw_done"
    entry = AuditEntry.objects.get(action="trading.openingplan.draw")
    assert plan.seed in entry.summary and "由投标人代表" in entry.summary


def test_the_centre_records_the_elected_representative_who_then_draws(town, opening_storage):
    o = make_opening(town, plan=FLOAT_PLAN)
    opening.do_sign_in(o.bidders[0], o.lot.pk)
    opening.do_open(town.staff, o.lot.pk)
    opening.do_set_drawer(town.staff, o.lot.pk, o.bids[1].pk)
    with pytest.raises(Forbidden):
        opening.do_draw(o.bidders[0], o.lot.pk)  # the first signed in, but not the elected one
    with pytest.raises(InvalidInput):
        opening.do_set_drawer(town.staff, o.lot.pk, 10**9)
    assert opening.do_draw(o.bidders[1], o.lot.pk).drawn_by == o.bidders[1]
    with pytest.raises(Conflict) as exc:
        opening.do_set_drawer(town.staff, o.lot.pk, o.bids[0].pk)
    assert exc.value.code == "trading.draw_done"


def test_the_centre_draws_only_when_no_bidder_signed_in_and_says_so(town, opening_storage):
    o = make_opening(town, plan=FLOAT_PLAN)
    opening.do_open(town.staff, o.lot.pk)
    with pytest.raises(Forbidden):
        opening.do_draw(town.tenderer, o.lot.pk)
    assert opening.do_draw(town.staff, o.lot.pk).drawn_by == town.staff
    assert "投标人均未签到，由交易中心代为抽取" in AuditEntry.objects.get(action="trading.openingplan.draw").summary


def test_a_lot_without_ranges_has_no_draw_and_decrypts_at_once(town, opening_storage):
    o = make_opening(town)
    opening.do_open(town.staff, o.lot.pk)
    with pytest.raises(Conflict) as exc:
        opening.do_draw(town.staff, o.lot.pk)
    assert exc.value.code == "trading.no_draw"
    assert opening_decrypt.do_decrypt(o.bidders[0], o.lot.pk, o.keys[0]).status == rules.BID_DECRYPTED


def test_decryption_streams_the_bid_to_storage_and_reads_the_price_sheet(town, opening_storage):
    data = b"technical proposal " * 200_000  # 3.8 MB: several chunks
    o = make_opening(town, 3)
    from tests.trading.factories_opening import sealed_bid

    big, key = sealed_bid(o.lot, bidder(7), data=data, price="4,400,000")
    opening.do_open(town.staff, o.lot.pk)
    bid = opening_decrypt.do_decrypt(bidder(7), o.lot.pk, key)
    assert bid.status == rules.BID_DECRYPTED and bid.price == Decimal("4400000.00") and bid.plain_size == len(data)
    assert (opening_storage / bid.plain_file).read_bytes() == data and bid.plain_name == "投标文件.pdf"
    assert bid.price_sheet["project_manager"] == "张工"
    with pytest.raises(Conflict) as exc:
        opening_decrypt.do_decrypt(bidder(7), o.lot.pk, key)
    assert exc.value.code == "trading.bid_already_decrypted"
    assert "trading.bid.decrypt" in actions("trading.bid.")


def test_a_wrong_key_may_be_retried_and_a_bad_key_file_is_refused(town, opening_storage):
    o = make_opening(town)
    opening.do_open(town.staff, o.lot.pk)
    for key, code in ((o.keys[1], "trading.key_wrong"), ("not a key", "trading.key_invalid"),
                      ("", "trading.key_required"), (None, "trading.key_required")):
        with pytest.raises(InvalidInput) as exc:
            opening_decrypt.do_decrypt(o.bidders[0], o.lot.pk, key)
        assert exc.value.code == code
    assert Bid.objects.get(pk=o.bids[0].pk).status == rules.BID_SUBMITTED
    assert opening_decrypt.do_decrypt(o.bidders[0], o.lot.pk, o.keys[0].encode()).status == rules.BID_DECRYPTED


def test_a_corrupt_file_or_a_hash_that_does_not_match_is_refused_and_leaves_no_plaintext(town, opening_storage):
    o = make_opening(town)
    opening.do_open(town.staff, o.lot.pk)
    path = Path(settings.DATA_DIR) / Bid.objects.get(pk=o.bids[0].pk).sealed_path
    raw = bytearray(path.read_bytes())
    raw[-20] ^= 1
    path.write_bytes(bytes(raw))
    Bid.objects.filter(pk=o.bids[1].pk).update(sha256="0" * 64)  # what was recorded at submission differs
    for i in (0, 1):
        with pytest.raises(InvalidInput) as exc:
            opening_decrypt.do_decrypt(o.bidders[i], o.lot.pk, o.keys[i])
        assert exc.value.code == "trading.bid_corrupt"
        assert not (opening_storage / opening_files.plain_name(o.bids[i])).exists()
    (Path(settings.DATA_DIR) / Bid.objects.get(pk=o.bids[2].pk).sealed_path).unlink()
    with pytest.raises(InvalidInput) as exc:
        opening_decrypt.do_decrypt(o.bidders[2], o.lot.pk, o.keys[2])
    assert exc.value.code == "trading.bid_file_missing"


def test_only_the_bidder_decrypts_and_only_within_the_window(town, opening_storage, opening_clock):
    o = make_opening(town)
    with pytest.raises(Conflict) as exc:
        opening_decrypt.do_decrypt(o.bidders[0], o.lot.pk, o.keys[0])
    assert exc.value.code == "trading.not_opening"
    opening.do_open(town.staff, o.lot.pk)
    with pytest.raises(Forbidden):
        opening_decrypt.do_decrypt(town.staff, o.lot.pk, o.keys[0])
    opening_clock.advance(30)
    opening_decrypt.do_decrypt(o.bidders[0], o.lot.pk, o.keys[0])  # at the last moment
    opening_clock.advance(0.02)
    with pytest.raises(Conflict) as exc:
        opening_decrypt.do_decrypt(o.bidders[1], o.lot.pk, o.keys[1])
    assert exc.value.code == "trading.decrypt_window_closed"


def test_the_window_ends_and_the_centre_decides_whose_fault_each_sealed_bid_was(town, opening_storage, opening_clock, fired):
    o = make_opening(town, 4)
    opening.do_open(town.staff, o.lot.pk)
    opening_decrypt.do_decrypt(o.bidders[0], o.lot.pk, o.keys[0])
    opening_decrypt.do_decrypt(o.bidders[1], o.lot.pk, o.keys[1])
    with pytest.raises(Conflict) as exc:
        opening_decrypt.do_close_window(town.staff, o.lot.pk)
    assert exc.value.code == "trading.decrypt_window_open"
    with pytest.raises(Conflict) as exc:
        opening_sheet.do_publish_sheet(town.staff, o.lot.pk)
    assert exc.value.code == "trading.decrypt_window_open"
    opening_clock.advance(31)
    assert lot_sweep.sweep().acted == {o.lot.pk: ["closed"]}  # next_check was the window's end
    with pytest.raises(Conflict) as exc:
        opening_sheet.do_publish_sheet(town.staff, o.lot.pk)
    assert exc.value.code == "trading.undecided_bids"
    with pytest.raises(InvalidInput):
        opening_decrypt.do_decide_not_decrypted(town.staff, o.lot.pk, o.bids[2].pk, "bidder", "")
    revoked = opening_decrypt.do_decide_not_decrypted(town.staff, o.lot.pk, o.bids[2].pk, "bidder", "未在时限内提交密钥")
    withdrawn = opening_decrypt.do_decide_not_decrypted(town.staff, o.lot.pk, o.bids[3].pk, "other", "平台故障")
    assert (revoked.status, withdrawn.status) == (rules.BID_REVOKED, rules.BID_WITHDRAWN)
    with pytest.raises(Conflict):
        opening_decrypt.do_decide_not_decrypted(town.staff, o.lot.pk, o.bids[0].pk, "other", "已解密的不能认定")
    assert [c[1]["fault"] for c in fired if c[0] == "not_decrypted"] == ["bidder", "other"]
    opening_sheet.do_publish_sheet(town.staff, o.lot.pk)
    assert [c[0] for c in fired] == ["not_decrypted", "not_decrypted", "opened"]
    assert len(opening_sheet.lines(o.lot)) == 4  # the decided bids stay on the sheet with their status


def test_the_reading_out_flags_a_price_above_the_ceiling_and_each_bidder_signs_its_line(town, opening_storage, fired):
    o = make_opening(town, prices=["4500000.00", "4700000.00", "4900000.00"])
    opening.do_open(town.staff, o.lot.pk)
    with pytest.raises(Conflict):
        opening_sheet.do_publish_sheet(town.staff, o.lot.pk)
    for person, key in zip(o.bidders, o.keys, strict=True):
        opening_decrypt.do_decrypt(person, o.lot.pk, key)
    with pytest.raises(Conflict) as exc:
        opening_sheet.do_sign_line(o.bidders[0], o.lot.pk)
    assert exc.value.code == "trading.sheet_not_published"
    opening_sheet.do_publish_sheet(town.staff, o.lot.pk)  # all decrypted: no need to wait for the window
    assert fired == [("opened", {"lot": Lot.objects.get(pk=o.lot.pk)})]
    with pytest.raises(Conflict) as exc:
        opening_sheet.do_publish_sheet(town.staff, o.lot.pk)
    assert exc.value.code == "trading.sheet_published"
    signed = opening_sheet.do_sign_line(o.bidders[2], o.lot.pk)
    assert signed.sheet_signed_at is not None and signed.sheet_signed_by == o.bidders[2]
    with pytest.raises(Conflict):
        opening_sheet.do_sign_line(o.bidders[2], o.lot.pk)
    from yingshang.trading import queries_opening

    rows = queries_opening.view(town.staff, opening.hall(town.staff, o.lot.pk))["bids"]
    assert [r["over_ceiling"] for r in rows] == [False, False, True] and rows[2]["signed_at"] is not None


def test_objections_are_raised_by_bidders_and_answered_once_by_the_tenderer(town, opening_storage):
    o = make_opening(town)
    with pytest.raises(Conflict):
        opening_sheet.do_raise_objection(o.bidders[0], o.lot.pk, "尚未开标")
    opening.do_open(town.staff, o.lot.pk)
    raised = opening_sheet.do_raise_objection(o.bidders[0], o.lot.pk, "第2标段投标人签到时间有误")
    with pytest.raises(InvalidInput):
        opening_sheet.do_raise_objection(o.bidders[0], o.lot.pk, " ")
    with pytest.raises(Forbidden):
        opening_sheet.do_raise_objection(town.tenderer, o.lot.pk, "招标人不能提异议")
    with pytest.raises(Forbidden):
        opening_sheet.do_answer_objection(o.bidders[1], o.lot.pk, raised.pk, "投标人不能答复")
    answered = opening_sheet.do_answer_objection(town.tenderer, o.lot.pk, raised.pk, "经核实签到时间无误")
    assert answered.answered_at and answered.answered_by == town.tenderer
    with pytest.raises(Conflict):
        opening_sheet.do_answer_objection(town.tenderer, o.lot.pk, raised.pk, "再答复")
    with pytest.raises(NotFound):
        opening_sheet.do_answer_objection(town.tenderer, o.lot.pk, 10**9, "不存在")
    assert actions("trading.openingobjection.") == ["trading.openingobjection.raise", "trading.openingobjection.answer"]


def test_the_record_is_a_pdf_with_its_hash_and_issuing_again_revokes_the_first(town, opening_storage,
                                                                             django_capture_on_commit_callbacks):
    o = make_opening(town, plan=FLOAT_PLAN)
    opening.do_sign_in(o.bidders[0], o.lot.pk)
    opening.do_open(town.staff, o.lot.pk)
    with pytest.raises(Conflict):
        opening_sheet.do_issue_record(town.staff, o.lot.pk)
    opening.do_draw(o.bidders[0], o.lot.pk)
    for person, key in zip(o.bidders, o.keys, strict=True):
        opening_decrypt.do_decrypt(person, o.lot.pk, key)
    opening_sheet.do_publish_sheet(town.staff, o.lot.pk)
    with django_capture_on_commit_callbacks(execute=True):
        first = opening_sheet.do_issue_record(town.staff, o.lot.pk).record
    from yingshang.kernel.services.documents import read_document_file

    assert read_document_file(first).startswith(b"%PDF") and len(first.sha256) == 64
    second = opening_sheet.do_issue_record(town.staff, o.lot.pk).record
    first.refresh_from_db()
    assert second.pk != first.pk and first.revoked_at is not None
    with pytest.raises(Forbidden):
        opening_sheet.do_issue_record(town.tenderer, o.lot.pk)
    assert verify().ok


def test_the_record_lists_attendees_draw_sheet_and_objections(town, opening_storage):
    from pypdf import PdfReader  # noqa: F401 - the PDF itself uses CID fonts; the text is checked at its source

    o = make_opening(town, plan=FLOAT_PLAN)
    opening.do_sign_in(o.bidders[0], o.lot.pk)
    opening.do_open(town.staff, o.lot.pk)
    plan = opening.do_draw(o.bidders[0], o.lot.pk)
    opening_sheet.do_raise_objection(o.bidders[0], o.lot.pk, "解密时间过短")
    opening_decrypt.do_decrypt(o.bidders[0], o.lot.pk, o.keys[0])
    sections = dict(opening_sheet._record_sections(o.lot, OpeningPlan.objects.select_related("lot").get(pk=plan.pk)))
    text = "\n".join("\n".join(v) for v in sections.values())
    assert list(sections) == ["一、参加开标人员", "二、随机抽取", "三、投标文件及开标一览表", "四、开标异议及答复"]
    assert o.bidders[0].organization_name in text and plan.commitment in text and plan.seed in text
    assert "报价 4500000.00 元" in text and "解密时间过短" in text and "未答复" in text and "已递交" in text


def test_the_sweep_opens_lots_whose_deadline_came_and_leaves_others(town, opening_storage, opening_clock):
    o = make_opening(town)
    later = opening_lot(town, seq=50, bid_deadline=opening_clock.now() + timedelta(hours=1))
    Lot.objects.filter(pk__in=[o.lot.pk, later.pk]).update(next_check=o.lot.bid_deadline)
    assert lot_sweep.sweep().acted == {o.lot.pk: [rules.OPENING]}
    assert Lot.objects.get(pk=later.pk).status == rules.ANNOUNCED
    assert Lot.objects.get(pk=later.pk).next_check > opening_clock.now()  # recomputed from its own periods
    decrypt_until = OpeningPlan.objects.get(lot=o.lot).decrypt_until
    assert Lot.objects.get(pk=o.lot.pk).next_check == decrypt_until + timedelta(seconds=1)


def test_the_tenderer_sets_the_plan_before_the_opening_only(town, opening_storage):
    o = make_opening(town)
    plan = opening.do_set_plan(town.tenderer, o.lot.pk, {**FLOAT_PLAN, "decrypt_minutes": "45"})
    assert plan.float_step == Decimal("0.01") and plan.decrypt_minutes == 45
    for bad, code in (({"float_low": "3"}, "trading.float_incomplete"),
                      ({"float_low": "7", "float_high": "6", "float_step": "1"}, "trading.float_invalid"),
                      ({"float_low": "0", "float_high": "100", "float_step": "0.0001"}, "trading.float_step_invalid"),
                      ({"decrypt_minutes": "5"}, "trading.decrypt_minutes_out_of_range")):
        with pytest.raises(InvalidInput) as exc:
            opening.do_set_plan(town.tenderer, o.lot.pk, bad)
        assert exc.value.code == code, (bad, exc.value.code)
    with pytest.raises(NotFound):
        opening.do_set_plan(town.other_tenderer, o.lot.pk, FLOAT_PLAN)
    opening.do_open(town.staff, o.lot.pk)
    with pytest.raises(Conflict) as exc:
        opening.do_set_plan(town.tenderer, o.lot.pk, FLOAT_PLAN)
    assert exc.value.code == "trading.plan_locked"


def test_the_sweep_command_and_job_open_due_lots(town, opening_storage):
    from tests.conftest import run_command
    from yingshang.trading import tasks

    first, second = make_opening(town, 2), make_opening(town)
    Lot.objects.filter(pk__in=[first.lot.pk, second.lot.pk]).update(next_check=clock.now())
    out = json.loads(run_command("trading", "lots", "sweep", "--json"))
    assert out["acted"] == {str(first.lot.pk): ["failed"], str(second.lot.pk): ["opening"]}
    assert AuditEntry.objects.filter(action="trading.lot.fail").get().actor_name == "命令行"
    second_lot = Lot.objects.get(pk=second.lot.pk)
    assert second_lot.next_check == second_lot.opening.decrypt_until + timedelta(seconds=1)  # the window's end
    assert tasks.sweep_lots.call_local()["checked"] == 0  # nothing left to do


def test_a_failed_decryption_at_the_edge_is_counted_and_audited_then_raised(town, opening_storage):
    o = make_opening(town)
    opening.do_open(town.staff, o.lot.pk)
    for _ in range(2):
        with pytest.raises(InvalidInput):
            opening_decrypt.decrypt_at_edge(o.bidders[0], o.lot.pk, o.keys[1])
    with pytest.raises(InvalidInput):
        opening_decrypt.decrypt_at_edge(o.bidders[0], o.lot.pk, "")  # no key at all: not a decryption failure
    assert Bid.objects.get(pk=o.bids[0].pk).decrypt_failures == 2
    assert actions("trading.bid.decrypt_failed") == ["trading.bid.decrypt_failed"] * 2
    assert opening_decrypt.decrypt_at_edge(o.bidders[0], o.lot.pk, o.keys[0]).status == rules.BID_DECRYPTED

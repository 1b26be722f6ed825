"""Bond services: the tenderer's requirement (refused above the cap with the article), the bidder's
sub-account and grade reduction, bank payments (in time, late, twice), e-guarantees (accepted like cash,
refused with the reason), is_secured/status for the bid part, scoping and the same-account screen."""

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import LotFactory, TenderProjectFactory
from tests.trading.factories_bonds import (
    AFTER_DEADLINE,
    ISSUER,
    BondRequirementFactory,
    bidder,
    issued,
    payment,
)
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from yingshang.kernel.models import AuditEntry
from yingshang.trading import bank as banking
from yingshang.trading.models import Bond, Guarantee
from yingshang.trading.services import bond_payments, bonds, credit_gate

pytestmark = pytest.mark.django_db


@pytest.fixture
def grades(monkeypatch):
    table: dict[str, str] = {}
    monkeypatch.setattr(credit_gate, "grade", lambda uscc: table.get(uscc, ""))
    return table


def pay(sub_account, **kw):
    body, sig = payment(sub_account, **kw)
    return bond_payments.do_record_payment(banking.get_bank().parse(body, sig), banking.get_bank().code)


def own_lot(town, **kw):
    return LotFactory(project=TenderProjectFactory(tenderer_uscc=town.tenderer.uscc, regulator=town.zj), **kw)


# --- The requirement ---------------------------------------------------------------------------------------
def test_the_tenderer_sets_a_bond_up_to_two_percent_and_it_is_audited(town):
    lot = own_lot(town, accepted=True)
    req = bonds.do_set_requirement(town.tenderer, lot.pk, None, amount="100000", validity_days=90)
    assert req.amount == Decimal("100000.00") and req.cap == Decimal("100000.00") and "第二十六条" in req.source
    assert AuditEntry.objects.filter(action="trading.bondrequirement.set", object_id=str(req.pk)).exists()
    changed = bonds.do_set_requirement(town.tenderer, lot.pk, req.row_version, amount="80000")
    assert changed.amount == Decimal("80000.00") and changed.row_version == 2


def test_a_bond_above_two_percent_is_refused_with_the_article(town):
    lot = own_lot(town, accepted=True)
    with pytest.raises(InvalidInput) as exc:
        bonds.do_set_requirement(town.tenderer, lot.pk, None, amount="100000.01")
    assert exc.value.code == "trading.bond_above_cap" and "第二十六条" in exc.value.details["source"]
    assert exc.value.details["cap"] == "100000.00"


def test_works_bonds_stop_at_80_wan_even_below_two_percent(town):
    lot = own_lot(town, accepted=True, estimated_price=Decimal("50000000"))  # 2 % would be 100万
    bonds.do_set_requirement(town.tenderer, lot.pk, None, amount="800000")
    with pytest.raises(InvalidInput) as exc:
        bonds.do_set_requirement(town.tenderer, lot.pk, None, amount="800000.01")
    assert exc.value.code == "trading.bond_above_cap" and "80万元" in exc.value.message


def test_services_bonds_have_no_fixed_upper_amount(town):
    lot = own_lot(town, accepted=True, lot_type="services", estimated_price=Decimal("50000000"))
    assert bonds.do_set_requirement(town.tenderer, lot.pk, None, amount="1000000").amount == Decimal("1000000")


@pytest.mark.parametrize("amount,code", [("0", "trading.bond_amount_not_positive"), ("abc", "trading.amount_invalid"),
                                         ("1.001", "trading.amount_invalid")])
def test_bad_amounts_are_refused(town, amount, code):
    lot = own_lot(town, accepted=True)
    with pytest.raises(InvalidInput) as exc:
        bonds.do_set_requirement(town.tenderer, lot.pk, None, amount=amount)
    assert exc.value.code == code


def test_only_the_lots_tenderer_sets_it_before_the_deadline(town, monkeypatch):
    lot = own_lot(town, accepted=True)
    with pytest.raises(Forbidden) as exc:
        bonds.do_set_requirement(town.other_tenderer, lot.pk, None, amount="1000")
    assert exc.value.code == "trading.not_your_project"
    with pytest.raises(Forbidden):
        bonds.do_set_requirement(bidder(1), lot.pk, None, amount="1000")
    with pytest.raises(NotFound):
        bonds.do_set_requirement(town.tenderer, 999999, None, amount="1000")
    opening = own_lot(town, status="opening")
    with pytest.raises(Conflict) as exc:
        bonds.do_set_requirement(town.tenderer, opening.pk, None, amount="1000")
    assert exc.value.code == "trading.bond_not_settable"


def test_a_stale_version_is_a_conflict(town):
    lot = own_lot(town, accepted=True)
    bonds.do_set_requirement(town.tenderer, lot.pk, None, amount="1000")
    bonds.do_set_requirement(town.tenderer, lot.pk, 1, amount="2000")
    with pytest.raises(Conflict) as exc:
        bonds.do_set_requirement(town.tenderer, lot.pk, 1, amount="3000")
    assert exc.value.code == "trading.conflict" and exc.value.details["row_version"] == 2


# --- Sub-account, grade, payments --------------------------------------------------------------------------------
def test_the_bidder_gets_one_sub_account_and_its_grade_reduction_is_recorded(town, grades):
    req = BondRequirementFactory()
    user = bidder(1)
    grades[user.uscc] = "A"
    bond = bonds.do_open_sub_account(user, req.lot_id)
    assert bond.sub_account_no.startswith("6217") and len(bond.sub_account_no) == 19
    assert bond.grade == "A" and bond.percent == Decimal("50.00")
    grades[user.uscc] = "D"  # the grade read when the bond was made stays
    assert bonds.do_open_sub_account(user, req.lot_id).sub_account_no == bond.sub_account_no
    status = bonds.status(req.lot, user.uscc)
    assert status.required_amount == Decimal("25000.00") and status.grade == "A" and not status.secured
    assert AuditEntry.objects.filter(action="trading.bond.open_sub_account").count() == 1


@pytest.mark.parametrize("grade,required", [("A", "25000.00"), ("B", "40000.00"), ("C", "50000.00"),
                                            ("D", "50000.00"), ("", "50000.00")])
def test_the_required_amount_by_grade(town, grades, grade, required):
    req = BondRequirementFactory()
    user = bidder(2)
    grades[user.uscc] = grade
    assert bonds.status(req.lot, user.uscc).required_amount == Decimal(required)


def test_cash_in_time_secures_the_bond_and_late_money_does_not_count(town, grades):
    req = BondRequirementFactory()
    user = bidder(1)
    bond = bonds.do_open_sub_account(user, req.lot_id)
    pay(bond.sub_account_no, amount="30000", id="N1")
    assert not bonds.is_secured(req.lot, user.uscc)
    pay(bond.sub_account_no, amount="20000", id="N2", at=AFTER_DEADLINE)
    status = bonds.status(req.lot, user.uscc)
    assert not status.secured and status.received_in_time == Decimal("30000") and status.received_late == Decimal("20000")
    _payment, created = pay(bond.sub_account_no, amount="20000", id="N3")
    assert created and bonds.is_secured(req.lot, user.uscc)
    bond.refresh_from_db()
    assert bond.method == "cash" and bond.secured_at is not None


def test_a_notification_twice_is_recorded_once(town):
    req = BondRequirementFactory()
    bond = bonds.do_open_sub_account(bidder(1), req.lot_id)
    first, made = pay(bond.sub_account_no, id="N1")
    again, made_again = pay(bond.sub_account_no, id="N1")
    assert made and not made_again and first.pk == again.pk and bond.payments.count() == 1


def test_an_unknown_sub_account_or_a_bad_notification_is_refused(town):
    with pytest.raises(NotFound) as exc:
        pay("6217000000000000000")
    assert exc.value.code == "trading.sub_account_unknown"
    with pytest.raises(Forbidden) as exc:
        banking.get_bank().parse(b'{"type": "payment"}', "00" * 32)
    assert exc.value.code == "trading.bank_signature_invalid"
    body = b'{"type": "payment", "id": "x", "at": "2026-05-01T10:00"}'  # no time zone
    with pytest.raises(InvalidInput) as exc:
        banking.get_bank().parse(body, banking.sign(body))
    assert exc.value.code == "trading.bank_notification_invalid"


def test_no_requirement_means_secured_and_only_bidders_open_accounts(town):
    lot = LotFactory(status="announced")
    assert bonds.is_secured(lot, "91610800MA6YS0001X") and not bonds.status(lot, "x").required
    with pytest.raises(Conflict) as exc:
        bonds.do_open_sub_account(bidder(1), lot.pk)
    assert exc.value.code == "trading.bond_not_required"
    with pytest.raises(Forbidden):
        bonds.do_open_sub_account(town.tenderer, lot.pk)


def test_after_the_deadline_or_before_the_announcement_no_bond(town, monkeypatch):
    req = BondRequirementFactory()
    with pytest.raises(NotFound):
        bonds.do_open_sub_account(bidder(1), LotFactory(accepted=True).pk)
    from yingshang.kernel import clock

    monkeypatch.setattr(clock, "now", lambda: AFTER_DEADLINE)
    with pytest.raises(Conflict) as exc:
        bonds.do_open_sub_account(bidder(1), req.lot_id)
    assert exc.value.code == "trading.bond_deadline_passed"


# --- E-guarantees -----------------------------------------------------------------------------------------------
def test_a_valid_guarantee_is_accepted_like_cash(town, grades):
    req = BondRequirementFactory()
    user = bidder(1)
    issued(req.lot, user)
    g = bonds.do_submit_guarantee(user, req.lot_id, kind="bank", issuer_code=ISSUER, guarantee_no="BH2026001")
    assert g.accepted and g.issuer_name == "中国建设银行榆林分行"
    assert bonds.is_secured(req.lot, user.uscc) and Bond.objects.get().method == "guarantee"
    assert AuditEntry.objects.filter(action="trading.guarantee.verify").exists()
    with pytest.raises(Conflict):
        bonds.do_submit_guarantee(user, req.lot_id, kind="bank", issuer_code=ISSUER, guarantee_no="BH2026001")


def test_a_smaller_guarantee_is_enough_with_a_good_grade(town, grades):
    req = BondRequirementFactory()
    user = bidder(1)
    grades[user.uscc] = "A"
    issued(req.lot, user, amount="25000")
    assert bonds.do_submit_guarantee(user, req.lot_id, kind="insurance", issuer_code=ISSUER,
                                     guarantee_no="BH2026001").accepted


@pytest.mark.parametrize("change,code", [
    ({"amount": "49999.99"}, "trading.guarantee_amount"),
    ({"beneficiary_uscc": "91610800MA6YS9999X"}, "trading.guarantee_beneficiary"),
    ({"lot_ref": "YSJY-999999"}, "trading.guarantee_lot"),
    ({"applicant_uscc": "91610800MA6YS9999X"}, "trading.guarantee_applicant"),
    ({"valid_to": date(2026, 8, 22)}, "trading.guarantee_validity"),  # validity ends 05-25 + 90 = 08-23
    ({"valid_from": date(2026, 5, 26)}, "trading.guarantee_validity"),
    ({"revoked": True}, "trading.guarantee_revoked"),
    ({"basic_account_bank": False}, "trading.guarantee_not_basic_bank"),  # seed 004
])
def test_a_guarantee_that_does_not_cover_the_bond_is_refused_with_the_reason(town, change, code):
    req = BondRequirementFactory()
    user = bidder(1)
    issued(req.lot, user, **change)
    g = bonds.do_submit_guarantee(user, req.lot_id, kind="bank", issuer_code=ISSUER, guarantee_no="BH2026001")
    assert not g.accepted and g.refusal_code == code and g.refusal
    assert not bonds.is_secured(req.lot, user.uscc)


def test_guarantee_insurance_needs_no_basic_account_bank(town):
    req = BondRequirementFactory()
    user = bidder(1)
    issued(req.lot, user, kind="insurance", basic_account_bank=False)
    assert bonds.do_submit_guarantee(user, req.lot_id, kind="insurance", issuer_code=ISSUER,
                                     guarantee_no="BH2026001").accepted


def test_the_validity_ending_on_the_last_day_is_enough(town):
    req = BondRequirementFactory()
    user = bidder(1)
    issued(req.lot, user, valid_to=date(2026, 8, 23))
    assert bonds.do_submit_guarantee(user, req.lot_id, kind="bank", issuer_code=ISSUER, guarantee_no="BH2026001").accepted


def test_unknown_issuers_numbers_and_reused_guarantees_are_refused(town):
    req = BondRequirementFactory()
    one, two = bidder(1), bidder(2)
    issued(req.lot, one)
    unknown = bonds.do_submit_guarantee(one, req.lot_id, kind="bank", issuer_code="X1", guarantee_no="BH2026001")
    missing = bonds.do_submit_guarantee(one, req.lot_id, kind="bank", issuer_code=ISSUER, guarantee_no="NOPE")
    assert (unknown.refusal_code, missing.refusal_code) == ("trading.guarantee_issuer_unknown",
                                                            "trading.guarantee_not_found")
    assert bonds.do_submit_guarantee(one, req.lot_id, kind="bank", issuer_code=ISSUER, guarantee_no="BH2026001").accepted
    reused = bonds.do_submit_guarantee(two, req.lot_id, kind="bank", issuer_code=ISSUER, guarantee_no="BH2026001")
    assert reused.refusal_code == "trading.guarantee_used" and Guarantee.objects.filter(accepted=False).count() == 3
    with pytest.raises(InvalidInput) as exc:
        bonds.do_submit_guarantee(one, req.lot_id, kind="cash", issuer_code=ISSUER, guarantee_no="x")
    assert exc.value.code == "trading.kind_invalid"


# --- The centre ------------------------------------------------------------------------------------------------
def test_the_centre_lists_a_lots_bonds_and_the_same_account_groups(town, django_assert_max_num_queries):
    req = BondRequirementFactory()
    users = [bidder(i) for i in range(1, 5)]
    for i, user in enumerate(users):
        bond = bonds.do_open_sub_account(user, req.lot_id)
        pay(bond.sub_account_no, id=f"N{i}", payer_account="6222000011112222" if i < 2 else f"62220000333{i}",
            payer_name="同一付款人" if i < 2 else user.organization_name)
    with django_assert_max_num_queries(8):
        lot, rows = bonds.bonds_of_lot(town.staff, req.lot_id)
        assert [s.secured for _b, s in rows] == [True] * 4
    groups = bonds.same_account(town.staff, req.lot_id)
    assert len(groups) == 1 and groups[0]["account"] == "****2222"
    assert {b["uscc"] for b in groups[0]["bidders"]} == {users[0].uscc, users[1].uscc}
    assert "第四十条" in groups[0]["source"]
    for outsider in (town.tenderer, town.reviewer_zj, users[0]):
        with pytest.raises(Forbidden):
            bonds.same_account(outsider, req.lot_id)

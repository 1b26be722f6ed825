"""The bond rules with the law's own numbers: the 2 % cap (REG Art. 26) and the 80万 works/goods ceiling,
the credit-grade share, the deadline for money, the 5-day refund (REG Art. 35, 57), the interest by day
count at the demand-deposit rate (rate changes split the period), same-account groups (REG Art. 40)."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from yingshang.trading import rules_bonds as rb

D = Decimal
TZ = ZoneInfo("Asia/Shanghai")
WORKS_CAP = rb.in_force(rb.CAPS, date(2026, 4, 20), lot_type="works")
SERVICES_CAP = rb.in_force(rb.CAPS, date(2026, 4, 20), lot_type="services")


@pytest.mark.parametrize("estimate,cap", [("5000000", "100000.00"), ("40000000", "800000.00"),
                                          ("50000000", "800000.00"), ("1234567.89", "24691.35")])
def test_the_works_cap_is_two_percent_and_at_most_80_wan(estimate, cap):
    assert rb.bond_cap(D(estimate), WORKS_CAP) == D(cap)


def test_services_have_two_percent_only_and_no_row_means_no_cap():
    assert rb.bond_cap(D("50000000"), SERVICES_CAP) == D("1000000.00")
    assert rb.bond_cap(D("5000000"), None) is None and rb.check_bond_amount(D("1"), D("5000000"), None) is None


def test_the_cap_is_checked_to_the_cent_with_the_article():
    assert rb.check_bond_amount(D("100000.00"), D("5000000"), WORKS_CAP) is None
    breach = rb.check_bond_amount(D("100000.01"), D("5000000"), WORKS_CAP)
    assert breach.code == "trading.bond_above_cap" and "第二十六条" in breach.source and "2%" in breach.message
    fixed = rb.check_bond_amount(D("800000.01"), D("50000000"), WORKS_CAP)
    assert "80万元" in fixed.message and "第三十七条" in fixed.source
    assert rb.check_bond_amount(D("0"), D("5000000"), WORKS_CAP).code == "trading.bond_amount_not_positive"


def test_caps_before_the_regulation_are_not_in_force():
    assert rb.in_force(rb.CAPS, date(2012, 1, 31), lot_type="works") is None
    assert rb.in_force(rb.CAPS, date(2012, 2, 1), lot_type="works") is WORKS_CAP


@pytest.mark.parametrize("grade,amount", [("A", "25000.00"), ("B", "40000.00"), ("C", "50000.00"), ("D", "50000.00"),
                                          ("", "50000.00")])
def test_better_credit_pays_a_lower_share(grade, amount):
    row = rb.in_force(rb.REDUCTIONS, date(2026, 4, 20), grade=grade)
    assert rb.required_amount(D("50000"), row.percent) == D(amount)


def test_the_share_rounds_to_the_cent():
    assert rb.required_amount(D("33333.33"), D("50")) == D("16666.67")


def test_money_counts_up_to_the_deadline_itself():
    deadline = datetime(2026, 5, 25, 9, 30, tzinfo=TZ)
    assert rb.counts(deadline, deadline) and not rb.counts(deadline + timedelta(seconds=1), deadline)


def test_secured_by_cash_or_a_guarantee_of_at_least_the_amount():
    assert rb.is_secured(D("50000"), D("50000"), None)
    assert not rb.is_secured(D("49999.99"), D("50000"), None)
    assert rb.is_secured(D("0"), D("50000"), D("50000")) and not rb.is_secured(D("0"), D("50000"), D("49999"))


def test_refunds_are_due_five_days_after_the_event():
    assert rb.refund_due(date(2026, 6, 10)) == date(2026, 6, 15)
    assert rb.refund_due(date(2026, 6, 28)) == date(2026, 7, 3)


RATES = (rb.Rate(D("0.35"), date(2015, 10, 24), "PBOC"), rb.Rate(D("0.05"), date(2025, 5, 20), "banks"))


def test_interest_by_day_count_on_a_360_day_year():
    # 100 000 × 0.35 % × 36 / 360 = 35.00
    assert rb.interest([(D("100000"), date(2024, 3, 1))], date(2024, 4, 6), RATES) == D("35.00")
    # 50 000 × 0.05 % × 30 / 360 = 2.083… → 2.08
    assert rb.interest([(D("50000"), date(2026, 5, 20))], date(2026, 6, 19), RATES) == D("2.08")
    assert rb.interest([(D("50000"), date(2026, 5, 20))], date(2026, 5, 20), RATES) == D("0.00")


def test_a_rate_change_splits_the_period_and_payments_add_up():
    # 10 days at 0.35 % (9.722…) + 10 days at 0.05 % (1.388…) = 11.11
    assert rb.interest([(D("100000"), date(2025, 5, 10))], date(2025, 5, 30), RATES) == D("11.11")
    two = [(D("60000"), date(2024, 3, 1)), (D("40000"), date(2024, 3, 1))]
    assert rb.interest(two, date(2024, 4, 6), RATES) == D("35.00")


def test_same_account_groups_need_two_bidders():
    groups = rb.same_account_groups([("A1", "X"), ("A1", "Y"), ("A2", "Z"), ("A2", "Z"), ("", "W"), ("", "V")])
    assert groups == {"A1": ["X", "Y"]}


def test_account_numbers_show_the_last_four_digits():
    assert rb.mask_account("6222020200112233445") == "****3445" and rb.mask_account("") == ""


def test_guarantee_validity_must_cover_the_bid_validity_period():
    facts = rb.GuaranteeFacts(True, "bank", "建行", D("50000"), "T", "L", "B", date(2026, 5, 1), date(2026, 8, 23))
    kwargs = {"required": D("50000"), "tenderer_uscc": "T", "lot_ref": "L", "bidder_uscc": "B",
              "deadline_day": date(2026, 5, 25), "validity_days": 90}
    assert rb.validity_end(date(2026, 5, 25), 90) == date(2026, 8, 23)
    assert rb.check_guarantee(facts, **kwargs) is None
    assert rb.check_guarantee(facts, **(kwargs | {"validity_days": 91})).code == "trading.guarantee_validity"
    assert rb.check_guarantee(rb.GuaranteeFacts(False), **kwargs).code == "trading.guarantee_not_found"


# --- The rows as data ---------------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_the_bond_rules_are_seeded_and_come_back_after_a_flush():
    from django.core.management import call_command

    from yingshang.trading.models import BondCap, BondReduction, DepositRate

    counts = (len(rb.CAPS), len(rb.REDUCTIONS), len(rb.RATES))
    assert (BondCap.objects.count(), BondReduction.objects.count(), DepositRate.objects.count()) == counts
    call_command("flush", "--no-input", verbosity=0)
    assert (BondCap.objects.count(), BondReduction.objects.count(), DepositRate.objects.count()) == counts


@pytest.mark.django_db
def test_a_reduction_edited_in_the_admin_is_audited_and_applies_from_its_date(client):
    import json

    from tests.factories import UserFactory
    from yingshang.kernel.models import AuditEntry
    from yingshang.trading.models import BondReduction
    from yingshang.trading.services import bond_rules

    client.force_login(UserFactory(admin=True))
    assert client.get("/admin/trading/bondcap/").status_code == 200
    assert client.get("/admin/trading/depositrate/").status_code == 200
    row = BondReduction.objects.get(grade="A")
    url = f"/admin/trading/bondreduction/{row.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["percent"] = "60.00"
    assert client.post(url, data).status_code == 302
    entry = AuditEntry.objects.get(action="trading.bondreduction.update")
    assert json.loads(entry.summary)["after"] == {"percent": "60.00"}
    assert bond_rules.reduction("A", date(2026, 4, 20)).percent == D("60.00")
    BondReduction.objects.create(grade="A", percent=D("40"), effective_from=date(2026, 7, 1), source="新规")
    assert bond_rules.reduction("A", date(2026, 6, 30)).percent == D("60.00")
    assert bond_rules.reduction("A", date(2026, 7, 1)).percent == D("40.00")
    assert bond_rules.reduction("X", date(2026, 7, 1)).percent == D("100.00")  # unknown grade: the no-grade row

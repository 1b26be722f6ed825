"""The 7-working-day reporting rule across holidays, and publication periods by the rule in force on
the decision date (Order No. 58 before 2026-04-01, the 2025 measures from then on)."""

from datetime import date

import pytest

from tests.credit.conftest import import_csv, licence_rows, penalty_rows
from yingshang.credit import rules
from yingshang.credit.models import LicenseRecord, PenaltyRecord
from yingshang.credit.services import publicity

# --- late ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("reported", "days", "late"), [
    (date(2026, 10, 14), 7, False),  # Sep 30, Oct 8, 9, 10 (working Saturday), 12, 13, 14
    (date(2026, 10, 15), 8, True),
])
def test_late_counts_working_days_across_the_national_day_holiday(city, tmp_path, today, reported, days, late):
    today(reported)
    report = import_csv(tmp_path, "license", city.scjg, licence_rows(city.scjg, 1, decided=date(2026, 9, 29)))
    record = LicenseRecord.objects.get()
    assert (record.late_days, record.is_late, record.late_rule) == (days, late, "dual-publicity-7wd")
    assert report.batch.late == int(late)
    assert report.late_rows == ([(2, record.document_no, 8)] if late else [])


def test_lateness_belongs_to_the_first_report_not_to_corrections(city, tmp_path, today):
    today(date(2026, 10, 14))
    rows = licence_rows(city.scjg, 1, decided=date(2026, 9, 29))
    import_csv(tmp_path, "license", city.scjg, rows)
    today(date(2026, 11, 20))
    rows[0]["content"] = "更正"
    report = import_csv(tmp_path, "license", city.scjg, rows)
    assert report.batch.updated == 1 and report.batch.late == 0
    assert LicenseRecord.objects.get().is_late is False


def test_a_corrected_decision_date_recomputes_lateness_against_the_first_report(city, tmp_path, today):
    today(date(2026, 10, 14))
    rows = licence_rows(city.scjg, 1, decided=date(2026, 9, 29))
    import_csv(tmp_path, "license", city.scjg, rows)
    today(date(2026, 11, 20))
    rows[0]["decision_date"] = rows[0]["valid_from"] = "2026-09-28"  # one working day earlier: now 8 days
    import_csv(tmp_path, "license", city.scjg, rows)
    record = LicenseRecord.objects.get()
    assert (record.late_days, record.is_late) == (8, True)


def test_decisions_before_the_rule_have_no_late_flag(city, tmp_path):
    import_csv(tmp_path, "license", city.scjg, licence_rows(city.scjg, 1, decided=date(2014, 5, 5)))
    record = LicenseRecord.objects.get()
    assert (record.late_days, record.is_late, record.late_rule) == (None, False, "n/a")


def test_the_late_rule_compares_strictly_more_than_seven():
    rule = rules.reporting_rule_for(date(2026, 1, 1))
    assert rules.is_late(8, rule) and not rules.is_late(7, rule)
    assert rules.reporting_rule_for(date(2015, 6, 30)) is None


# --- publication periods ----------------------------------------------------------------------------

def test_months_end_on_the_corresponding_day_or_the_month_end():
    assert rules.add_months(date(2026, 4, 10), 12) == date(2027, 4, 10)
    assert rules.add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert rules.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert rules.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


@pytest.mark.parametrize(("decided", "severity", "domain", "expected"), [
    # Order No. 58: every penalty published, 3 months–3 years; the five domains at least 1 year.
    (date(2026, 3, 31), "minor", "other", ("ndrc-order-58", True, date(2026, 6, 30), date(2029, 3, 31))),
    (date(2026, 3, 31), "general", "food", ("ndrc-order-58", True, date(2027, 3, 31), date(2029, 3, 31))),
    # The 2025 measures, in force 2026-04-01: minor not published; general 3–12 months; serious 1–3 years.
    (date(2026, 4, 1), "minor", "food", ("ndrc-repair-2025", False, None, None)),
    (date(2026, 4, 1), "general", "food", ("ndrc-repair-2025", True, date(2026, 7, 1), date(2027, 4, 1))),
    (date(2026, 4, 1), "serious", "other", ("ndrc-repair-2025", True, date(2027, 4, 1), date(2029, 4, 1))),
    # Before Order No. 58: the 2019 notice (general 3–12 months, serious 6–36).
    (date(2023, 4, 30), "serious", "", ("ndrc-2019-527", True, date(2023, 10, 30), date(2026, 4, 30))),
    (date(2023, 5, 1), "serious", "", ("ndrc-order-58", True, date(2023, 8, 1), date(2026, 5, 1))),
])
def test_the_publication_rule_in_force_on_the_decision_date_applies(decided, severity, domain, expected):
    pub = rules.penalty_publication(decided, severity, domain)
    assert (pub.rule, pub.published, pub.repair_from, pub.end) == expected


def _penalty(city, tmp_path, decided, severity="一般", **changes):
    rows = penalty_rows(city.scjg, 1, decided=decided, severity=severity)
    rows[0].update(changes)
    import_csv(tmp_path, "penalty", city.scjg, rows)
    return PenaltyRecord.objects.get(document_no=rows[0]["document_no"])


def test_a_penalty_is_public_until_its_last_day_and_then_leaves_public_view(city, tmp_path, today):
    record = _penalty(city, tmp_path, date(2026, 4, 1))  # general: public through 2027-04-01
    assert publicity.search("penalty", "", 1, today=date(2027, 4, 1)).items == [record]
    assert publicity.search("penalty", "", 1, today=date(2027, 4, 2)).items == []


def test_a_minor_penalty_after_april_2026_is_never_public(city, tmp_path):
    record = _penalty(city, tmp_path, date(2026, 4, 2), severity="轻微")
    assert record.published is False and publicity.search("penalty").items == []


def test_a_penalty_ended_early_by_repair_leaves_public_view(city, tmp_path):
    from django.utils import timezone

    record = _penalty(city, tmp_path, date(2026, 6, 1))
    assert publicity.search("penalty").items == [record]
    PenaltyRecord.objects.filter(pk=record.pk).update(publication_ended_at=timezone.now(), publication_end_reason="信用修复")
    assert publicity.search("penalty").items == []


def test_a_revoked_decision_is_not_public(city, tmp_path):
    record = _penalty(city, tmp_path, date(2026, 6, 1), record_status="撤销")
    assert record.published is False and publicity.search("penalty").items == []


def test_a_licence_is_public_while_valid_and_open_ended_ones_stay(city, tmp_path, today):
    rows = licence_rows(city.scjg, 2, decided=date(2026, 1, 5))
    rows[0]["valid_to"] = "2026-12-31"
    rows[1]["valid_to"] = "长期"
    import_csv(tmp_path, "license", city.scjg, rows)
    assert len(publicity.search("license", "", 1, today=date(2026, 12, 31)).items) == 2
    later = publicity.search("license", "", 1, today=date(2027, 1, 1)).items
    assert [r.document_no for r in later] == [rows[1]["document_no"]]
    assert LicenseRecord.objects.get(document_no=rows[1]["document_no"]).publication_end is None


def test_corrected_severity_recomputes_the_period(city, tmp_path):
    record = _penalty(city, tmp_path, date(2026, 6, 1), severity="一般")
    assert record.publication_end == date(2027, 6, 1)
    record = _penalty(city, tmp_path, date(2026, 6, 1), severity="严重")
    assert record.publication_end == date(2029, 6, 1) and record.repair_from == date(2027, 6, 1)


def test_a_record_out_of_its_period_has_no_public_detail(city, tmp_path):
    from yingshang.kernel.errors import NotFound

    record = _penalty(city, tmp_path, date(2026, 6, 1))
    assert publicity.public_record("penalty", record.pk, today=date(2027, 6, 1)) == record
    with pytest.raises(NotFound):
        publicity.public_record("penalty", record.pk, today=date(2027, 6, 2))
    with pytest.raises(NotFound):
        publicity.public_record("bogus", record.pk)

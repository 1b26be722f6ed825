"""Validating whole rows: required fields, identifiers through the kernel, cross-field rules."""

from datetime import date, timedelta

import pytest

from tests.credit.conftest import TODAY, resident_id, uscc
from yingshang.credit.ingest.rows import HeaderProblem, RowChecker
from yingshang.credit.sample import cells, headers, license_row, penalty_row

AUTH = "91610800000000000X"


@pytest.fixture
def lic():
    import random

    from yingshang.kernel.rules.identifiers import generate_uscc

    authority = generate_uscc(random.Random(3), division_code="610800", authority="1", category="1")
    return lambda **kw: {**license_row(random.Random(4), 1, authority="市市场监管局", authority_uscc=authority,
                                       decided=TODAY - timedelta(days=2)), **kw}


def check(kind, row, today=TODAY):
    checker = RowChecker(kind, today)
    checker.bind_header(headers(kind))
    return checker.check(2, cells(kind, row))


def codes(issues):
    return {i.code for i in issues}


def test_a_valid_licence_row_is_staged_with_identity_and_derived_fields(db, calendar, lic):
    record, issues = check("license", lic())
    assert issues == []
    assert record["_identity"].id_kind == "uscc" and record["published"] is True
    assert record["late_rule"] == "dual-publicity-7wd" and record["is_late"] is False


def test_every_missing_required_column_is_reported_not_only_the_first(db, calendar, lic):
    _record, issues = check("license", lic(document_no="", content=" ", authority=""))
    assert {i.column for i in issues} >= {"行政许可决定文书号", "许可内容", "许可机关"}
    assert all(i.code == "required" and i.message.endswith("为必填项") for i in issues)


def test_a_uscc_with_a_wrong_check_character_is_rejected_with_the_kernel_reason(db, calendar, lic):
    good = uscc(5)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    _record, issues = check("license", lic(uscc=bad))
    assert codes(issues) == {"uscc.check_character"}
    assert issues[0].column == "行政相对人代码_1(统一社会信用代码)"


def test_no_uscc_placeholder_needs_a_valid_organization_code(db, calendar, lic):
    record, issues = check("license", lic(uscc="00000000000000000X", organization_code="60003734-1"))
    assert issues == [] and record["_identity"].id_kind == "organization_code" and record["uscc"] == ""
    _record, issues = check("license", lic(uscc="00000000000000000X", organization_code=""))
    assert codes(issues) == {"organization_code.required"}


def test_an_organization_code_that_disagrees_with_the_uscc_is_a_wrong_code(db, calendar, lic):
    _record, issues = check("license", lic(uscc="91110000600037341L", organization_code="600037342"))
    assert "organization_code.check_character" in codes(issues) or "identity.organization_code_mismatch" in codes(issues)
    record, issues = check("license", lic(uscc="91110000600037341L", organization_code="600037341"))
    assert issues == [] and record["organization_code"] == "600037341"


def test_a_natural_person_needs_a_valid_resident_id_and_only_its_digest_is_kept(db, calendar, lic):
    number = resident_id(1)
    row = lic(subject_category="自然人", uscc="", id_type="身份证", id_number=number, legal_rep="")
    record, issues = check("license", row)
    assert issues == []
    who = record["_identity"]
    assert who.id_kind == "resident_id" and who.key != number and number not in who.display and len(who.key) == 64
    assert "id_number" not in record  # the number itself never reaches the staged record
    _record, issues = check("license", {**row, "id_number": number[:-1] + ("0" if number[-1] != "0" else "1")})
    assert codes(issues) == {"resident_id.check_character"}
    _record, issues = check("license", {**row, "id_number": ""})
    assert codes(issues) == {"identity.id_number_required"}


def test_a_masked_id_number_from_a_corrections_file_is_refused(db, calendar, lic):
    row = lic(subject_category="自然人", uscc="", id_number="610802********1234")
    _record, issues = check("license", row)
    assert codes(issues) == {"identity.masked"}


def test_passports_are_identified_by_a_digest_of_type_and_number(db, calendar, lic):
    record, issues = check("license", lic(subject_category="自然人", uscc="", id_type="护照", id_number="E12345678"))
    assert issues == [] and record["_identity"].id_kind == "other_id" and "E12345678" not in record["_identity"].display


def test_legal_representative_id_is_validated_masked_and_digested(db, calendar, lic):
    number = resident_id(2)
    record, issues = check("license", lic(legal_rep_id_number=number))
    assert issues == [] and record["legal_rep_id_masked"] == number[:6] + "********" + number[14:]
    assert record["legal_rep_id_digest"] and number not in str(record)
    _record, issues = check("license", lic(legal_rep_id_number="123"))
    assert issues and issues[0].field == "legal_rep_id_number"


def test_a_legal_person_needs_its_legal_representative(db, calendar, lic):
    _record, issues = check("license", lic(legal_rep=""))
    assert [i.field for i in issues] == ["legal_rep"]


def test_decision_after_the_report_and_validity_ending_before_it_starts_are_rejected(db, calendar, lic):
    _record, issues = check("license", lic(decision_date=(TODAY + timedelta(days=1)).isoformat(),
                                           valid_to=(TODAY - timedelta(days=30)).isoformat()))
    assert codes(issues) == {"date_future", "date_order"}


def test_authority_and_source_codes_must_be_valid_usccs(db, calendar, lic):
    _record, issues = check("license", lic(authority_uscc="12345", source_unit_uscc="91110000600037341L"))
    assert [i.field for i in issues] == ["authority_uscc"] and issues[0].code == "uscc.length"


def test_a_fine_needs_its_amount_and_a_revocation_its_licence(db, calendar):
    row = penalty_row(__import__("random").Random(1), 1, authority="局", authority_uscc="91110000600037341L",
                      decided=TODAY - timedelta(days=1))
    _record, issues = check("penalty", {**row, "fine_amount": "", "penalty_categories": "罚款；吊销许可证件"})
    assert {i.field for i in issues} == {"fine_amount", "suspended_license"}


def test_from_april_2026_a_penalty_needs_its_severity(db, calendar):
    row = penalty_row(__import__("random").Random(1), 1, authority="局", authority_uscc="91110000600037341L",
                      decided=date(2026, 4, 1))
    _record, issues = check("penalty", {**row, "severity": ""})
    assert [i.field for i in issues] == ["severity"]
    earlier = {**row, "severity": "", "decision_date": "2026-03-31"}
    record, issues = check("penalty", earlier)
    assert issues == [] and record["publication_rule"] == "ndrc-order-58"


def test_a_header_missing_required_columns_names_them(db):
    checker = RowChecker("penalty", TODAY)
    with pytest.raises(HeaderProblem) as exc:
        checker.bind_header(["行政相对人名称", "处罚决定日期"])
    assert "行政处罚决定书文号" in exc.value.message


def test_header_aliases_and_full_width_brackets_are_accepted(db, calendar, lic):
    header = [h.replace("(", "（").replace(")", "）") for h in headers("license")]
    header[header.index("行政许可决定文书号")] = "决定文书号"
    checker = RowChecker("license", TODAY)
    checker.bind_header(header)
    record, issues = checker.check(2, cells("license", lic()))
    assert issues == [] and record["document_no"]

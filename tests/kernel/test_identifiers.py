"""Identifier rules (GB 32100-2015, GB 11714-1997, GB 11643-1999): examples from the sources, every error part."""

import random
from datetime import date

import pytest
from stdnum.cn import uscc as stdnum_uscc

from yingshang.kernel.rules import identifiers as ids

TODAY = date(2026, 11, 30)


def check(code: str) -> ids.IdCheck:
    return ids.validate(code, today=TODAY)


def error_codes(code: str) -> list[str]:
    return [e.code for e in check(code).errors]


# --- the sources' own numbers ------------------------------------------------------------------

def test_rules_md_uscc_example_is_valid_and_split_into_its_parts():
    result = check("91110000600037341L")
    assert (result.kind, result.valid, result.normalized, result.errors) == ("uscc", True, "91110000600037341L", ())
    assert result.details == {"authority": "9", "authority_name": "工商", "category": "1", "category_name": "企业",
                              "division_code": "110000", "division_name": "北京市", "organization_code": "600037341"}


def test_rules_md_organization_code_body_60003734_has_check_1():
    assert ids.organization_code_check_character("60003734") == "1"
    assert check("60003734-1").valid


@pytest.mark.parametrize(("code", "born", "sex"), [
    ("11010519491231002X", "1949-12-31", "female"),  # GB 11643-1999 example
    ("440524188001010014", "1880-01-01", "male"),  # GB 11643-1999 example, oldest accepted birth year
    ("360426199101010071", "1991-01-01", "male"),  # python-stdnum's example
])
def test_resident_id_examples_are_valid_with_birth_date_and_sex(code, born, sex):
    result = check(code)
    assert (result.kind, result.valid) == ("resident_id", True)
    assert result.details["birth_date"] == born
    assert result.details["sex"] == sex


def test_uscc_weights_are_powers_of_three_mod_31():
    assert ids._USCC_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@pytest.mark.parametrize("code", ["A1110000MA0010002E", "N2610802MA6CX00099", "Y1610800MA700123XH"])
def test_uscc_beginning_with_a_n_or_y_is_valid_although_stdnum_rejects_it(code):
    assert check(code).valid
    assert not stdnum_uscc.is_valid(code)
    assert stdnum_uscc.calc_check_digit(code[:17]) == code[17]  # same check character: stdnum's charset test is wrong


@pytest.mark.parametrize("code", ["51100000500000015P", "916108002129972284", "93610802MA70Q12311"])
def test_other_valid_usccs_including_all_digit_and_central_level(code):
    result = check(code)
    assert (result.kind, result.valid) == ("uscc", True), result.reason


def test_all_digit_uscc_whose_digits_also_pass_the_resident_id_check_is_still_a_uscc():
    code = "916108001105616778"
    assert ids.resident_id_check_character(code) == code[17]
    assert (check(code).kind, check(code).valid) == ("uscc", True)


# --- normalization -----------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [
    "９１１１００００６０００３７３４１Ｌ", "91110000600037341l", " 9111 0000-6000 3734 1L ", "9111\u200b0000600037341L",
    "911100006000３７３４１ｌ", "91110000·600037341L", "91110000－600037341L",
])
def test_full_width_spaces_separators_and_case_are_normalized(raw):
    result = check(raw)
    assert result.valid and result.normalized == "91110000600037341L"
    assert result.code == raw  # the input is reported as given


def test_resident_id_with_lower_case_x_is_normalized():
    assert check("11010519491231002x").normalized == "11010519491231002X"


# --- USCC error parts --------------------------------------------------------------------------

def test_uscc_with_wrong_check_character_is_rejected():
    assert error_codes("91110000600037341M") == ["uscc.check_character"]
    assert "第18位" in check("91110000600037341M").reason


@pytest.mark.parametrize("code", ["9111000060003734I L", "91110000600O37341L", "9111000060003734SL"])
def test_uscc_with_letters_outside_its_alphabet_is_rejected_naming_the_position(code):
    result = check(code)
    assert result.kind == "uscc" and "uscc.charset" in error_codes(code)
    assert "不是统一社会信用代码可用的字符" in result.reason


def test_uscc_charset_error_names_position_and_character():
    assert "第12位“O”" in check("91110000600O37341L").reason


def test_uscc_with_unknown_authority_is_rejected():
    code = "B1110000600037341" + ids.uscc_check_character("B1110000600037341")
    assert error_codes(code) == ["uscc.authority"]


def test_uscc_with_category_not_of_its_authority_is_rejected_listing_the_allowed_ones():
    code = "94110000600037341" + ids.uscc_check_character("94110000600037341")
    result = check(code)
    assert error_codes(code) == ["uscc.authority_category"]
    assert "1 企业、2 个体工商户、3 农民专业合作社" in result.reason


def test_uscc_with_division_code_not_in_gb2260_is_rejected():
    code = "91999999600037341" + ids.uscc_check_character("91999999600037341")
    assert error_codes(code) == ["uscc.division_code"]
    assert "999999" in check(code).reason


def test_uscc_with_historic_division_code_is_accepted():
    body = "91110103600037341"  # 崇文区, abolished 2010: lenient, any period of GB/T 2260 counts
    assert check(body + ids.uscc_check_character(body)).valid


def test_uscc_whose_embedded_organization_code_fails_gb11714_is_rejected_even_with_a_correct_check_character():
    body = "91110000600037342"
    code = body + ids.uscc_check_character(body)
    assert stdnum_uscc.is_valid(code)  # stdnum does not look inside
    assert error_codes(code) == ["uscc.organization_code_check"]


@pytest.mark.parametrize("code", ["9111000060003734L", "91110000600037341LL"])
def test_uscc_of_wrong_length_is_reported_as_a_length_error(code):
    result = check(code)
    assert (result.kind, error_codes(code)) == ("uscc", ["uscc.length"])


def test_all_errors_of_a_uscc_are_collected():
    codes = error_codes("04999999600037342L")
    assert codes == ["uscc.authority", "uscc.division_code", "uscc.organization_code_check", "uscc.check_character"]


def test_validate_uscc_forces_the_kind():
    assert ids.validate_uscc("600037341").errors[0].code == "uscc.length"


# --- organization codes ------------------------------------------------------------------------

def test_organization_code_check_10_is_x_and_11_is_0():
    bodies = {ids.organization_code_check_character(f"{n:08d}") for n in range(200)}
    assert "X" in bodies and "0" in bodies
    assert not ({"10", "11"} & bodies)


@pytest.mark.parametrize(("code", "expected"), [
    ("600037342", "organization_code.check_character"),
    ("6000373#1", "organization_code.charset"),
    ("60003734A", "organization_code.charset"),
    ("60003734", "organization_code.length"),
])
def test_bad_organization_code_is_rejected(code, expected):
    assert check(code).kind == "organization_code"
    assert expected in error_codes(code)


# --- resident IDs ------------------------------------------------------------------------------

def test_resident_id_with_wrong_check_character_is_rejected():
    assert error_codes("110105194912310021") == ["resident_id.check_character"]


def test_resident_id_with_impossible_birth_date_is_rejected():
    body = "61080219990230001"  # 30 February
    assert error_codes(body + ids.resident_id_check_character(body)) == ["resident_id.birth_date"]


def test_resident_id_born_in_the_future_is_rejected():
    body = "61080220270101001"
    assert error_codes(body + ids.resident_id_check_character(body)) == ["resident_id.birth_date_future"]
    assert ids.validate(body + ids.resident_id_check_character(body), today=date(2027, 1, 1)).valid


def test_resident_id_born_before_1880_is_rejected():
    body = "11010518791231002"
    assert error_codes(body + ids.resident_id_check_character(body)) == ["resident_id.birth_date_too_early"]


def test_resident_id_with_unknown_address_code_is_rejected():
    body = "99010519491231002"
    assert error_codes(body + ids.resident_id_check_character(body)) == ["resident_id.division_code"]


def test_resident_id_may_use_a_code_created_after_birth_but_not_one_abolished_before():
    assert check("610802199001011234"[:17] + ids.resident_id_check_character("61080219900101123")).valid  # 榆阳区 since 1999
    assert check("11010319500101001X").valid  # 崇文区 (abolished 2010), born 1950
    body = "11010320150101001"
    result = check(body + ids.resident_id_check_character(body))
    assert [e.code for e in result.errors] == ["resident_id.division_code"]
    assert "2010" in result.reason


def test_sex_comes_from_the_parity_of_the_sequence():
    assert check("610802200002290029").details["sex"] == "female"
    assert check("610802199901010013").details["sex"] == "male"


def test_legacy_15_digit_resident_id_is_upgraded_with_19_and_a_check_character():
    result = check("110105491231002")
    assert (result.kind, result.valid, result.normalized) == ("resident_id", True, "11010519491231002X")
    assert result.details["legacy"] is True
    assert ids.upgrade_legacy_resident_id("110105491231002") == "11010519491231002X"


def test_legacy_resident_id_with_bad_date_names_the_legacy_positions():
    result = check("110105491331002")
    assert error_codes("110105491331002") == ["resident_id.birth_date"]
    assert "第7–12位" in result.reason


@pytest.mark.parametrize(("code", "expected"), [
    ("1101051949123100X2", "uscc"),  # letter inside: a USCC by shape
    ("11010519491231002", "resident_id"),  # one digit short
    ("1101051949123100211", "resident_id"),
])
def test_near_miss_lengths_are_reported_against_the_likely_kind(code, expected):
    assert check(code).kind == expected
    assert error_codes(code)[0].endswith((".length", ".charset", ".check_character", ".authority", ".division_code"))


def test_resident_id_error_messages_do_not_repeat_the_birth_date():
    body = "61080220270101001"
    assert "20270101" not in check(body + ids.resident_id_check_character(body)).reason


# --- kind detection ----------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "kind"), [
    ("91110000600037341L", "uscc"), ("600037341", "organization_code"), ("11010519491231002X", "resident_id"),
    ("110105491231002", "resident_id"), ("12345", "unknown"), ("统一社会信用代码", "unknown"), ("", "unknown"),
])
def test_detect_kind(code, kind):
    assert ids.detect_kind(code) == kind


def test_empty_and_unrecognized_inputs_have_their_own_error_codes():
    assert error_codes("  ") == ["id.empty"]
    assert error_codes("12345") == ["id.unrecognized"]
    assert check("中文").normalized is None
    assert check("abc12").normalized == "ABC12"


def test_as_dict_has_the_contract_shape():
    data = check("91110000600037341M").as_dict()
    assert list(data) == ["code", "kind", "valid", "normalized", "errors"]
    assert data["errors"] == [{"code": "uscc.check_character", "message": data["errors"][0]["message"]}]


def test_non_string_input_is_a_programming_error():
    with pytest.raises(TypeError):
        ids.validate(91110000)


# --- masking -----------------------------------------------------------------------------------

def test_mask_resident_id_hides_birth_date_and_sequence():
    assert ids.mask_resident_id("610802199001011234") == "610802********1234"
    assert ids.mask_resident_id("110105491231002") == "110105******002"


def test_generic_mask_keeps_a_third_and_a_quarter():
    assert ids.mask("91110000600037341L") == "911100********341L"
    assert ids.mask("600037341") == "600****41"
    assert ids.mask("1234") == "****"


# --- generators --------------------------------------------------------------------------------

def test_generators_are_deterministic_for_a_seed():
    def make(seed):
        rng = random.Random(seed)
        return ids.generate_uscc(rng), ids.generate_resident_id(rng), ids.generate_organization_code(rng)

    assert make(7) == make(7)
    assert make(7) != make(8)


def test_generator_honours_the_requested_parts():
    rng = random.Random(1)
    code = ids.generate_uscc(rng, division_code="610802", authority="9", category="2")
    assert code.startswith("92610802") and check(code).valid
    rid = ids.generate_resident_id(rng, division_code="610802", birth_date=date(1990, 5, 17), sex="female")
    result = check(rid)
    assert result.valid and rid.startswith("61080219900517")
    assert result.details["sex"] == "female"


@pytest.mark.parametrize("kwargs", [{"authority": "B"}, {"authority": "9", "category": "9"}, {"division_code": "999999"}])
def test_generate_uscc_rejects_impossible_parts(kwargs):
    with pytest.raises(ValueError):
        ids.generate_uscc(random.Random(1), **kwargs)


def test_generate_resident_id_rejects_a_code_abolished_before_birth():
    with pytest.raises(ValueError):
        ids.generate_resident_id(random.Random(1), division_code="110103", birth_date=date(2015, 1, 1))

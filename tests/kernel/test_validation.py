"""Field checks: what each helper accepts, and the code and Chinese message of what it refuses."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from yingshang.kernel.errors import InvalidInput
from yingshang.kernel.services.validation import Validator, as_id

fields = Validator("trading")


def refused(call) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        call()
    return caught.value


# --- text ------------------------------------------------------------------------------------------
def test_text_is_stripped_and_none_counts_as_empty():
    assert fields.text("  公开招标  ", "title", "项目名称") == "公开招标"
    assert fields.text(None, "note", "备注", required=False) == ""


def test_missing_required_text_names_the_field_in_code_message_and_details():
    err = refused(lambda: fields.text("   ", "title", "项目名称"))
    assert (err.code, err.message, err.details) == ("trading.title_required", "请填写项目名称", {"field": "title"})


def test_text_longer_than_the_limit_is_refused_with_the_limit_in_the_message():
    assert fields.text("字" * 5, "title", "项目名称", max_len=5) == "字" * 5
    err = refused(lambda: fields.text("字" * 6, "title", "项目名称", max_len=5))
    assert (err.code, err.message) == ("trading.title_too_long", "项目名称不能超过 5 个字")


def test_the_validators_default_limit_applies_when_none_is_given():
    short = Validator("x", max_len=3)
    assert refused(lambda: short.text("abcd", "name", "名称")).code == "x.name_too_long"


def test_text_that_is_not_a_string_is_refused():
    err = refused(lambda: fields.text(["a"], "title", "项目名称"))
    assert (err.code, err.message) == ("trading.title_invalid", "项目名称须为文本")


def test_an_app_keeps_its_own_codes_and_messages_by_overriding_templates():
    cases_style = Validator("case", codes={"not_text": "invalid_text", "too_long": "text_too_long"})
    assert refused(lambda: cases_style.text(1, "reason", "理由")).code == "case.invalid_text"
    assert refused(lambda: cases_style.text("长" * 3, "reason", "理由", max_len=2)).code == "case.text_too_long"
    assert refused(lambda: cases_style.text("", "reason", "理由")).code == "case.reason_required"
    credit_style = Validator("credit", messages={"too_long": "{label}最多{max_len}个字符"})
    err = refused(lambda: credit_style.text("x" * 21, "contact_phone", "联系电话", max_len=20))
    assert (err.code, err.message) == ("credit.contact_phone_too_long", "联系电话最多20个字符")


def test_without_a_prefix_the_code_is_the_template_alone():
    shared = Validator("", codes={"required": "missing_{field}"})
    assert refused(lambda: shared.text("", "title", "标题")).code == "missing_title"


def test_an_override_of_an_unknown_problem_is_a_programming_error():
    with pytest.raises(ValueError, match="too_lnog"):
        Validator("x", codes={"too_lnog": "long"})


# --- choice ----------------------------------------------------------------------------------------
METHODS = {"open": "公开招标", "invited": "邀请招标"}


def test_a_choice_is_one_of_the_values_and_the_refusal_lists_the_labels():
    assert fields.choice(" open ", "method", "招标方式", METHODS) == "open"
    assert fields.choice("", "method", "招标方式", METHODS, required=False) == ""
    err = refused(lambda: fields.choice("auction", "method", "招标方式", METHODS))
    assert (err.code, err.message) == ("trading.method_invalid", "招标方式不是可选的值（可选：公开招标、邀请招标）")
    assert refused(lambda: fields.choice(None, "method", "招标方式", ["open"])).code == "trading.method_required"


# --- integer ---------------------------------------------------------------------------------------
def test_an_integer_may_come_as_digits_and_must_be_within_its_bounds():
    assert fields.integer(" 15 ", "days", "公告期", minimum=5) == 15
    assert fields.integer("-3", "delta", "调整") == -3
    assert fields.integer("", "days", "公告期", required=False) is None
    err = refused(lambda: fields.integer(3, "days", "公告期", minimum=5, maximum=30))
    assert (err.code, err.message) == ("trading.days_out_of_range", "公告期不能小于 5")
    assert refused(lambda: fields.integer(31, "days", "公告期", maximum=30)).message == "公告期不能大于 30"


@pytest.mark.parametrize("value", [True, 1.0, "1.5", "１２", "1e3", "--5", "9" * 30])
def test_what_is_not_a_whole_number_is_refused(value):
    assert refused(lambda: fields.integer(value, "days", "公告期")).code == "trading.days_invalid"


# --- amount ----------------------------------------------------------------------------------------
def test_an_amount_is_an_exact_decimal_with_at_most_the_allowed_places():
    assert fields.amount("1234.50", "budget", "预算金额") == Decimal("1234.50")
    assert fields.amount(12, "budget", "预算金额") == Decimal(12)
    assert fields.amount("0.001", "rate", "费率", places=3) == Decimal("0.001")
    err = refused(lambda: fields.amount("1.234", "budget", "预算金额"))
    assert (err.code, err.message) == ("trading.budget_invalid", "预算金额须为金额，最多 2 位小数")


@pytest.mark.parametrize("value", [1.5, True, "abc", "NaN", "Infinity", "1,000"])
def test_what_is_not_an_exact_amount_is_refused(value):
    assert refused(lambda: fields.amount(value, "budget", "预算金额")).code == "trading.budget_invalid"


def test_an_amount_is_not_negative_unless_allowed():
    assert refused(lambda: fields.amount("-1", "budget", "预算金额")).code == "trading.budget_out_of_range"
    assert fields.amount("-1", "delta", "差额", minimum=None) == Decimal(-1)


# --- day -------------------------------------------------------------------------------------------
def test_a_day_is_a_date_or_its_iso_text_within_its_bounds():
    assert fields.day("2026-03-01", "opens_on", "开标日期") == date(2026, 3, 1)
    assert fields.day(date(2026, 3, 1), "opens_on", "开标日期", earliest=date(2026, 3, 1)) == date(2026, 3, 1)
    assert fields.day(None, "opens_on", "开标日期", required=False) is None
    err = refused(lambda: fields.day("2026-02-28", "opens_on", "开标日期", earliest=date(2026, 3, 1)))
    assert (err.code, err.message) == ("trading.opens_on_out_of_range", "开标日期不能早于 2026-03-01")
    err = refused(lambda: fields.day("2026-04-01", "opens_on", "开标日期", latest=date(2026, 3, 31)))
    assert err.message == "开标日期不能晚于 2026-03-31"


@pytest.mark.parametrize("value", ["2026-02-30", "20260301", "2026-W09-7", "2026/03/01", datetime(2026, 3, 1), 20260301])
def test_what_is_not_a_plain_date_is_refused(value):
    err = refused(lambda: fields.day(value, "opens_on", "开标日期"))
    assert (err.code, err.message) == ("trading.opens_on_invalid", "开标日期须为日期，格式如 2026-03-01")


@pytest.mark.parametrize(("value", "expected"), [
    ("7", 7), (7, 7), ("0", None), ("-3", None), ("", None), (None, None), ("x", None), ("1.5", None),
    (str(2**62), None), (str(2**62 - 1), 2**62 - 1),
])
def test_an_id_from_a_form_is_a_positive_whole_number_or_none(value, expected):
    assert as_id(value) == expected

"""Parsing single cells: every field kind accepts what departments write and rejects the rest in Chinese."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from yingshang.credit.ingest import values as v


@pytest.mark.parametrize("raw", ["2026-03-01", "2026/3/1", "2026.03.01", "20260301", "2026年3月1日", "2026-03-01 00:00:00",
                                 date(2026, 3, 1), datetime(2026, 3, 1, 8, 30), "２０２６-０３-０１"])
def test_dates_in_the_forms_departments_write_are_read(raw):
    assert v.parse_date(raw) == date(2026, 3, 1)


@pytest.mark.parametrize(("raw", "code"), [("2026-02-30", "date_invalid"), ("01/03/2026", "date_format"),
                                           ("明天", "date_format"), ("1900-01-01", "date_out_of_range"),
                                           ("2026-13-01", "date_invalid")])
def test_impossible_or_malformed_dates_are_rejected_with_a_reason(raw, code):
    with pytest.raises(v.FieldError) as exc:
        v.parse_date(raw)
    assert exc.value.code == code and exc.value.message


@pytest.mark.parametrize("raw", ["长期", "永久", "2099-12-31", "9999-12-31"])
def test_open_ended_validity_is_none(raw):
    assert v.parse_open_date(raw) is None


@pytest.mark.parametrize(("raw", "expected"), [("1.5", Decimal("1.5")), ("1,234.5", Decimal("1234.5")), (2, Decimal(2)),
                                               (0.25, Decimal("0.25")), ("3万元", Decimal(3)), ("0", Decimal(0)),
                                               ("0.000001", Decimal("0.000001"))])
def test_amounts_in_wan_yuan_are_decimals(raw, expected):
    assert v.parse_amount(raw) == expected


@pytest.mark.parametrize(("raw", "code"), [("-1", "amount_negative"), ("abc", "amount_invalid"), ("NaN", "amount_invalid"),
                                           ("0.0000001", "amount_precision"), ("1e20", "amount_too_large"),
                                           ("Infinity", "amount_invalid"), (True, "amount_invalid")])
def test_bad_amounts_are_rejected(raw, code):
    with pytest.raises(v.FieldError) as exc:
        v.parse_amount(raw)
    assert exc.value.code == code


def test_enumerations_accept_labels_and_codes_and_list_the_choices_when_wrong():
    parse = v.enum({"普通": "ordinary", "特许": "franchise", "ordinary": "ordinary"}, "许可类别")
    assert parse("普通") == "ordinary" and parse("ORDINARY") == "ordinary"
    with pytest.raises(v.FieldError) as exc:
        parse("临时")
    assert "许可类别“临时”无效" in exc.value.message and "普通" in exc.value.message


def test_several_penalty_categories_are_normalised_and_unknown_ones_named():
    from yingshang.credit.ingest.columns import PENALTY_CATEGORIES

    parse = v.multi(PENALTY_CATEGORIES, "处罚类别", 200)
    assert parse("警告;罚款、没收违法所得") == "警告；罚款；没收违法所得"
    assert parse("暂扣或者吊销执照") == "吊销许可证件"
    with pytest.raises(v.FieldError) as exc:
        parse("警告；打板子")
    assert "打板子" in exc.value.message


def test_text_longer_than_the_field_is_rejected():
    with pytest.raises(v.FieldError) as exc:
        v.text(5)("一二三四五六")
    assert exc.value.code == "too_long"


def test_an_id_number_stored_by_excel_as_a_float_is_rejected_as_lost_precision():
    with pytest.raises(v.FieldError) as exc:
        v.code_text(40)(6.10802199e17)
    assert exc.value.code == "number_precision"
    assert v.code_text(20)(" 9161-0802 ma ") == "91610802MA"

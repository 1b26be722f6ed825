"""The shipped GB/T 2260 table (data/gb2260.tsv) and its lookups."""

import importlib.util
from pathlib import Path

import pytest
import stdnum

from yingshang.kernel.rules import divisions

ROOT = Path(__file__).resolve().parents[2]


def test_table_has_provinces_prefectures_and_counties_with_history():
    assert divisions.division_name("610000") == "陕西省"
    assert divisions.division_name("610800") == "榆林市"
    assert divisions.periods("610800") == (divisions.Period("榆林市", 1999, None),)
    assert divisions.periods("612700")[0].name == "榆林地区"
    assert len(divisions.current_codes("province")) == 34


def test_every_row_is_a_six_digit_code_with_a_name_and_ordered_years():
    for code in divisions._table():
        assert len(code) == 6 and code.isdigit()
        for period in divisions.periods(code):
            assert period.name
            assert period.start is None or period.end is None or period.start <= period.end


def test_years_are_inclusive_at_both_ends():
    assert divisions.in_force_in("110103", 2010)  # 崇文区 [-2010]
    assert not divisions.in_force_in("110103", 2011)
    assert divisions.in_force_in("610800", 1999) and not divisions.in_force_in("610800", 1998)


def test_a_code_counts_for_a_birth_year_unless_abolished_before_it():
    assert divisions.in_force_on_or_after("610802", 1950)  # created 1999, usable for people born earlier
    assert divisions.in_force_on_or_after("110103", 2010)
    assert not divisions.in_force_on_or_after("110103", 2011)
    assert not divisions.in_force_on_or_after("999999", 1990)


def test_renamed_code_has_the_name_of_the_year_asked():
    assert divisions.division_name("610202", 1990) == "城区"
    assert divisions.division_name("610202") == "王益区"


def test_full_name_skips_grouping_rows():
    assert divisions.full_name("610802") == "陕西省榆林市榆阳区"
    assert divisions.full_name("110101") == "北京市东城区"
    assert divisions.full_name("429004") == "湖北省仙桃市"
    assert divisions.full_name("000000") is None


def test_levels_follow_the_code_shape():
    assert [divisions.level(c) for c in ("610000", "610800", "610802")] == ["province", "prefecture", "county"]


def test_central_level_code_is_a_documented_supplement():
    assert divisions.exists("100000")
    assert "100000" not in divisions.current_codes()
    assert "100000" in divisions.TABLE_PATH.read_text(encoding="utf-8").split("code\tname")[0]  # named in the header


def test_shipped_table_is_what_the_script_builds_from_the_installed_stdnum():
    header = divisions.TABLE_PATH.read_text(encoding="utf-8").splitlines()[1]
    if f"python-stdnum {stdnum.__version__} " not in header:
        pytest.skip(f"python-stdnum {stdnum.__version__} is not the version the table was built from: {header}")
    spec = importlib.util.spec_from_file_location("build_gb2260", ROOT / "scripts" / "build_gb2260.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--check"]) == 0

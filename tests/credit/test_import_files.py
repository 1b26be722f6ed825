"""Reading uploads: CSV in UTF-8, UTF-8 with BOM, GBK and GB18030, xlsx (also with a title row),
unreadable files, and the corrections file for rejected rows."""

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from tests.credit.conftest import import_csv, licence_rows, resident_id, run_file
from yingshang.credit import sample
from yingshang.credit.models import LicenseRecord


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_each_chinese_encoding_is_read(city, tmp_path, encoding):
    rows = licence_rows(city.scjg, 5)
    rows[0]["subject_name"] = "榆林市镕鑫䶮商贸有限公司" if encoding == "gb18030" else rows[0]["subject_name"]
    report = import_csv(tmp_path, "license", city.scjg, rows, encoding=encoding)
    assert report.batch.status == "succeeded", report.batch.error_message
    assert report.batch.accepted == 5 and report.batch.rejected == 0
    assert LicenseRecord.objects.filter(subject_name=rows[0]["subject_name"]).exists()


def test_xlsx_with_a_title_row_above_the_header_is_read(city, tmp_path):
    path = sample.write_xlsx(tmp_path / "lic.xlsx", "license", licence_rows(city.scjg, 4), title="行政许可信息报送模板")
    report = run_file(path, "license", city.scjg)
    assert report.batch.status == "succeeded" and report.batch.accepted == 4
    # Row numbers are the spreadsheet's own: title 1, header 2, data from 3.
    path = sample.write_xlsx(tmp_path / "bad.xlsx", "license", [{**licence_rows(city.scjg, 1)[0], "content": ""}],
                             title="标题")
    report = run_file(path, "license", city.scjg)
    assert [(i.row, i.column) for i in report.issues] == [(3, "许可内容")]


def test_xlsx_cells_typed_as_dates_and_numbers_are_accepted(city, tmp_path):
    from datetime import date

    rows = licence_rows(city.scjg, 1)
    book = Workbook()
    sheet = book.active
    sheet.append(sample.headers("license"))
    values = sample.cells("license", rows[0])
    for key in ("decision_date", "valid_from", "valid_to"):
        values[[c.key for c in sample.COLUMNS["license"]].index(key)] = date.fromisoformat(rows[0][key])
    sheet.append(values)
    book.save(tmp_path / "typed.xlsx")
    report = run_file(tmp_path / "typed.xlsx", "license", city.scjg)
    assert report.batch.accepted == 1, [i.message for i in report.issues]


@pytest.mark.parametrize(("content", "code"), [
    (b"", "file.empty"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "file.xls"),
    (b"\x00\x01\x02\x03binary", "file.binary"),
    (b"PK\x03\x04not really a zip", "file.xlsx"),
    ("随便写的一行\n另一行\n".encode(), "file.header"),
])
def test_files_that_are_not_tables_fail_the_batch_with_a_reason_and_store_nothing(city, tmp_path, content, code):
    path = tmp_path / "upload.csv"
    path.write_bytes(content)
    report = run_file(path, "license", city.scjg)
    assert report.batch.status == "failed" and report.batch.error_code == code and report.exit_code == 3
    assert report.batch.error_message and LicenseRecord.objects.count() == 0


def test_a_header_without_required_columns_fails_as_unreadable(city, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("行政相对人名称,许可决定日期\n某公司,2026-01-01\n", encoding="utf-8")
    report = run_file(path, "license", city.scjg)
    assert report.batch.status == "failed" and "缺少必填列" in report.batch.error_message


def test_bytes_that_no_chinese_encoding_can_read_fail_with_the_row(city, tmp_path):
    good = sample.write_csv(tmp_path / "a.csv", "license", licence_rows(city.scjg, 3)).read_bytes()
    path = tmp_path / "broken.csv"
    path.write_bytes(good + "榆林".encode()[:2] + b"\xff\xfe,\n")  # invalid UTF-8 after a valid sample
    report = run_file(path, "license", city.scjg)
    assert report.batch.status == "failed" and report.batch.error_code == "file.encoding"
    assert LicenseRecord.objects.count() == 0


def test_rejected_rows_go_to_a_corrections_file_with_reasons_and_masked_ids(city, tmp_path, settings):
    rows = licence_rows(city.scjg, 4)
    number = resident_id(7)
    rows[1] = {**rows[1], "subject_category": "自然人", "uscc": "", "id_number": number, "content": ""}
    rows[2]["license_category"] = "临时"
    rows[3]["content"] = "=HYPERLINK(\"http://x\")"
    report = import_csv(tmp_path, "license", city.scjg, rows)
    assert report.batch.rejected == 2 and report.batch.corrections_path
    book = load_workbook(settings.DATA_DIR / report.batch.corrections_path, read_only=True)
    data = list(book.worksheets[0].iter_rows(values_only=True))
    assert data[0][0] == "原行号" and data[0][-1] == "错误原因"
    assert [r[0] for r in data[1:]] == [3, 4]
    assert "【许可内容】许可内容为必填项" in data[1][-1] and "许可类别“临时”无效" in data[2][-1]
    flat = " ".join(str(c) for row in data for c in row)
    assert number not in flat and number[:6] + "*" in flat
    assert report.exit_code == 1
    stored = LicenseRecord.objects.get(document_no=rows[3]["document_no"])
    assert stored.content.startswith("=HYPERLINK")  # stored as given; escaped only when written to a spreadsheet


def test_a_nul_character_in_a_cell_rejects_that_row_not_the_batch(city, tmp_path):
    rows = licence_rows(city.scjg, 300)
    rows[250]["content"] = "预包装\x00食品销售"  # past the first bytes that are sniffed for binary files
    report = import_csv(tmp_path, "license", city.scjg, rows)
    b = report.batch
    assert (b.status, b.accepted, b.rejected) == ("succeeded", 299, 1)
    [issue] = report.issues
    assert (issue.row, issue.field, issue.code) == (252, "content", "nul_character")
    assert "空字符" in issue.message
    assert b.corrections_path  # the row is in the corrections file, the NUL shown as a replacement mark


def test_control_characters_of_a_rejected_row_do_not_break_its_corrections_file(city, tmp_path, settings):
    rows = licence_rows(city.scjg, 3)
    rows[1].update(content="预包装\x0b食品销售", decision_date="2026-13-01")  # rejected for its date; a vertical tab
    b = import_csv(tmp_path, "license", city.scjg, rows).batch
    assert (b.status, b.accepted, b.rejected) == ("succeeded", 2, 1)
    sheet = load_workbook(Path(settings.DATA_DIR) / b.corrections_path).active
    assert "预包装\ufffd食品销售" in [c.value for c in list(sheet.iter_rows())[1]]

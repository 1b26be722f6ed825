"""Excel import/export: a round trip changes nothing; errors name sheet, row and column; all or nothing."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.catalog.conftest import create_and_publish, food_licence, restaurant_joint
from yingshang.catalog import excel
from yingshang.catalog.choices import Status
from yingshang.catalog.content import content_of
from yingshang.catalog.models import ServiceItem, ServiceItemVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(city):
    create_and_publish("610800-XK-0001", food_licence(), city["SCJG"])
    create_and_publish("610800-GG-0001", restaurant_joint(), city["SCJG"])
    return city


def exported() -> io.BytesIO:
    buf = io.BytesIO()
    excel.export_catalog(buf)
    buf.seek(0)
    return buf


def edit(buf: io.BytesIO, changes: dict[tuple[str, int, str], object]) -> io.BytesIO:
    """Set cells by (sheet, row, header) and return the new file."""
    wb = load_workbook(buf)
    for (sheet, row, header), value in changes.items():
        ws = wb[sheet]
        col = [c.value for c in ws[1]].index(header) + 1
        ws.cell(row=row, column=col, value=value)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def test_export_writes_one_sheet_per_kind_of_row(catalog):
    wb = load_workbook(exported())
    assert wb.sheetnames == ["事项", "联办部门", "申请材料", "收费", "办理环节", "填写说明"]
    items = list(wb["事项"].iter_rows(values_only=True))
    header = items[0]
    row = dict(zip(header, items[2], strict=False))
    assert row["事项编码"] == "610800-XK-0001" and row["事项类型"] == "行政许可" and row["办件类型"] == "承诺件"
    assert row["法定时限（工作日）"] == 10 and row["网上办"] == "是" and row["办理大厅编码"] == "610800-HALL01"
    assert wb["申请材料"].max_row == 1 + 4 + 2 and wb["办理环节"].max_row == 1 + 3 + 6


def test_round_trip_into_an_empty_catalog_recreates_the_same_content(catalog):
    buf = exported()
    before = {v.item.code: content_of(v).comparable() for v in ServiceItemVersion.objects.select_related("item")}
    ServiceItemVersion.objects.all().update(status=Status.DRAFT, valid_from=None)  # lift immutability to clear
    ServiceItemVersion.objects.all().delete()
    ServiceItem.objects.all().delete()
    report = excel.import_catalog(buf, publish=True)
    assert report.ok and report.as_dict()["created"] == 2 and report.as_dict()["published"] == 2
    after = {v.item.code: content_of(v).comparable() for v in ServiceItemVersion.objects.select_related("item")}
    assert after == before


def test_reimporting_the_same_file_changes_nothing(catalog):
    buf = exported()
    count = ServiceItemVersion.objects.count()
    for _ in range(2):
        buf.seek(0)
        report = excel.import_catalog(buf, publish=True)
        assert report.ok and report.as_dict()["unchanged"] == 2 and report.as_dict()["published"] == 0
    assert ServiceItemVersion.objects.count() == count


def test_a_changed_row_becomes_a_new_draft_and_publish_publishes_it(catalog):
    buf = edit(exported(), {("申请材料", 5, "可容缺"): "是", ("事项", 3, "修订说明"): "营业执照可容缺"})
    report = excel.import_catalog(buf)
    data = report.as_dict()
    assert report.ok and data["new_drafts"] == 1 and data["unchanged"] == 1
    draft = ServiceItemVersion.objects.get(status=Status.DRAFT)
    assert draft.number == 2 and draft.change_note == "营业执照可容缺"
    buf.seek(0)
    report = excel.import_catalog(buf, publish=True)
    assert report.as_dict()["unchanged"] == 2 and report.as_dict()["published"] == 1
    assert not ServiceItemVersion.objects.filter(status=Status.DRAFT).exists()


def test_every_error_is_reported_with_sheet_row_and_column_and_nothing_is_written(catalog):
    buf = edit(exported(), {
        ("事项", 3, "承诺时限（工作日）"): 12,  # over the statutory 10 days
        ("事项", 3, "网上办"): "也许",  # not 是/否
        ("申请材料", 2, "份数"): -1,
        ("办理环节", 2, "办理部门编码"): "610800-NOPE",
        ("收费", 2, "金额（元）"): "十元",
    })
    report = excel.import_catalog(buf, publish=True)
    assert not report.ok and report.items == []
    cells = {(e.sheet, e.row, e.column) for e in report.errors}
    assert ("事项", 3, "网上办") in cells and ("申请材料", 2, "份数") in cells and ("收费", 2, "金额（元）") in cells
    by_code = {e.code: e for e in report.errors}
    assert all(e.message for e in report.errors)
    assert "catalog.import.cell" in by_code
    assert ServiceItemVersion.objects.filter(status=Status.DRAFT).count() == 0


def test_rule_violations_point_at_the_offending_cell(catalog):
    buf = edit(exported(), {("事项", 3, "承诺时限（工作日）"): 12, ("办理环节", 3, "办理部门编码"): "610800-NOPE"})
    report = excel.import_catalog(buf)
    found = {(e.sheet, e.row, e.column, e.code) for e in report.errors}
    assert ("事项", 3, "承诺时限（工作日）", "catalog.committed_exceeds_statutory") in found
    assert any(e.sheet == "办理环节" and e.row == 3 and e.column == "办理部门编码" for e in report.errors)


def test_unknown_items_duplicates_missing_columns_and_sheets_are_reported(catalog):
    wb = load_workbook(exported())
    wb["申请材料"].append(["610800-XX-0009", "孤立的材料", "原件", 1, "是"])
    wb["事项"].append([c.value for c in wb["事项"][2]])  # a duplicate of row 2
    del wb["收费"]  # an optional sheet: no fees
    wb["办理环节"].delete_cols(2)  # drop the required 阶段 column
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    codes = {e.code for e in excel.import_catalog(buf).errors}
    assert {"catalog.import.unknown_item", "catalog.import.duplicate", "catalog.import.missing_column"} <= codes


def test_files_that_are_not_workbooks_are_refused(catalog):
    with pytest.raises(excel.WorkbookUnreadable):
        excel.import_catalog(io.BytesIO(b"not a zip"))


def test_an_existing_item_cannot_change_department_by_import(catalog):
    buf = edit(exported(), {("事项", 3, "实施部门编码"): "610800-WJ"})
    report = excel.import_catalog(buf)
    assert [e.code for e in report.errors] == ["catalog.identity_changed"]


# --- The command ---------------------------------------------------------------------------------
def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("catalog", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_command_export_and_import_contract(catalog, tmp_path):
    path = tmp_path / "catalog.xlsx"
    code, out, _ = run("export", str(path), "--json")
    assert code == 0 and json.loads(out)["items"] == 2 and path.exists()
    code, out, _ = run("import", str(path), "--json")
    data = json.loads(out)
    assert code == 0 and data["ok"] and data["unchanged"] == 2 and data["errors"] == []
    assert set(data) == {"ok", "dry_run", "created", "new_drafts", "updated_drafts", "unchanged", "published", "items", "errors"}


def test_command_exit_codes(catalog, tmp_path):
    path = tmp_path / "catalog.xlsx"
    run("export", str(path))
    path.write_bytes(edit(path.open("rb"), {("事项", 2, "承诺时限（工作日）"): 99}).getvalue())
    code, out, err = run("import", str(path))
    assert code == 1 and "工作表“事项”第 2 行" in err and "未导入任何数据" in err
    code, out, _ = run("import", str(path), "--json")
    assert code == 1 and json.loads(out)["errors"][0]["sheet"] == "事项"
    assert run("import", str(tmp_path / "missing.xlsx"))[0] == 3
    (tmp_path / "bad.xlsx").write_text("hello")
    assert run("import", str(tmp_path / "bad.xlsx"))[0] == 3
    assert run("import", str(path), "--valid-from", "2026-01-01")[0] == 2  # only with --publish
    assert run("export", str(path), "--date", "not-a-date")[0] == 2
    assert run("export", str(tmp_path / "no" / "such" / "dir.xlsx"))[0] == 1


def test_dry_run_reports_without_writing(catalog, tmp_path):
    path = tmp_path / "catalog.xlsx"
    run("export", str(path))
    path.write_bytes(edit(path.open("rb"), {("事项", 2, "咨询电话"): "0912-1111111"}).getvalue())
    code, out, _ = run("import", str(path), "--dry-run", "--json")
    assert code == 0 and json.loads(out)["new_drafts"] == 1
    assert not ServiceItemVersion.objects.filter(status=Status.DRAFT).exists()


@pytest.mark.embedded
def test_real_command_run(fresh_data_dir):
    """The installed `yingshang` executable on a fresh (migrated) SQLite database: demo, export, import."""
    tmp_path = fresh_data_dir
    env = {**os.environ, "YS_DATA_DIR": str(tmp_path), "YS_SECRET_KEY": "x" * 50, "DJANGO_SETTINGS_MODULE": "yingshang.settings"}
    env.pop("YS_DATABASE_URL", None)
    exe = str(Path(sys.executable).with_name("yingshang"))

    def yingshang(*args):
        return subprocess.run([exe, *args], capture_output=True, text=True, env=env, timeout=300, check=False)

    assert yingshang("demo").returncode == 0
    path = tmp_path / "c.xlsx"
    exported_run = yingshang("catalog", "export", str(path), "--json")
    assert exported_run.returncode == 0 and json.loads(exported_run.stdout)["items"] >= 50
    again = yingshang("catalog", "import", str(path), "--publish", "--json")
    assert again.returncode == 0 and json.loads(again.stdout)["published"] == 0
    assert yingshang("catalog", "import", str(tmp_path / "none.xlsx")).returncode == 3
    assert yingshang("catalog", "import").returncode == 2

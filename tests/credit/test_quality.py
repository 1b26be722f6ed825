"""The 重错 report: invalid codes until corrected, one code with several names, one name with several codes."""

import io

from openpyxl import load_workbook

from tests.credit.conftest import import_csv, licence_rows, penalty_rows, uscc
from yingshang.credit.services import quality


def test_an_invalid_code_stays_on_the_report_until_the_corrected_row_is_stored(city, tmp_path):
    rows = licence_rows(city.scjg, 3)
    good = rows[1]["uscc"]
    rows[1]["uscc"] = good[:-1] + ("0" if good[-1] != "0" else "1")
    rows[2]["content"] = ""  # not an identifier problem: not on the 重错 report
    import_csv(tmp_path, "license", city.scjg, rows)
    report = quality.build(city.scjg)
    assert [(i.document_no, i.code) for i in report.invalid] == [(rows[1]["document_no"], "uscc.check_character")]
    assert report.invalid[0].identifier == rows[1]["uscc"]
    assert quality.build(city.yj).invalid == []  # per department
    rows[1]["uscc"] = good
    import_csv(tmp_path, "license", city.scjg, rows)
    assert quality.build(city.scjg).invalid == []


def test_one_code_with_different_names_is_listed_for_each_department_involved(city, tmp_path):
    code = uscc(1)
    lic = licence_rows(city.scjg, 1)
    lic[0].update(uscc=code, subject_name="榆林市恒泰能源科技有限公司")
    pen = penalty_rows(city.yj, 1)
    pen[0].update(uscc=code, subject_name="榆林恒泰能源科技公司")
    import_csv(tmp_path, "license", city.scjg, lic, name="a.csv")
    import_csv(tmp_path, "penalty", city.yj, pen, name="b.csv")
    for dept, own_name in ((city.scjg, "榆林市恒泰能源科技有限公司"), (city.yj, "榆林恒泰能源科技公司")):
        report = quality.build(dept)
        assert [c.code for c in report.names] == [code]
        assert report.names[0].names == {"榆林市恒泰能源科技有限公司": 1, "榆林恒泰能源科技公司": 1}
        assert [name for _kind, _doc, name in report.names[0].own] == [own_name]


def test_one_name_with_different_codes_but_not_for_natural_persons(city, tmp_path):
    rows = licence_rows(city.scjg, 4, person_every=0)
    rows[0].update(subject_name="榆林市同名商贸有限公司", uscc=uscc(1))
    rows[1].update(subject_name="榆林市同名商贸有限公司", uscc=uscc(2))
    for row, seed in ((rows[2], 30), (rows[3], 31)):
        from tests.credit.conftest import resident_id

        row.update(subject_name="张伟", subject_category="自然人", uscc="", id_number=resident_id(seed))
    import_csv(tmp_path, "license", city.scjg, rows)
    report = quality.build(city.scjg)
    assert [(c.name, c.codes) for c in report.codes] == [("榆林市同名商贸有限公司", sorted([uscc(1), uscc(2)]))]
    data = quality.export_xlsx(report)
    book = load_workbook(io.BytesIO(data), read_only=True)
    assert [s.title for s in book.worksheets] == ["代码错误", "一码多名", "一名多码"]
    rows_out = list(book.worksheets[2].iter_rows(values_only=True))
    assert rows_out[0][0] == "名称" and len(rows_out) == 3

"""双公示 quality monitoring: late, missing and compliance per department and month, the ranking, and
its Excel/PDF/API/command outputs."""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.db import transaction
from openpyxl import load_workbook

from tests.credit.conftest import licence_rows, penalty_rows, resident_id
from yingshang.cases.services import published
from yingshang.credit import rules_quality
from yingshang.credit.services import imports, monitoring, monitoring_export
from yingshang.kernel.errors import InvalidInput
from yingshang.kernel.models import AuditEntry
from yingshang.kernel.protect import id_digest

NOV = date(2026, 11, 1)


def _import(user, kind, dept, rows):
    with transaction.atomic():
        return imports.import_rows(user, kind=kind, department=dept, rows=rows)


def _decision(dept, n, *, decided, uscc="", person_id="", document_no="", case_no=None):
    return published.LicensingDecision(
        case_id=n, case_no=case_no or f"SL2026{n:06d}", item_code="SCJG-FOOD-001", item_name="食品经营许可",
        department_id=dept.pk, department_code=dept.code, applicant_is_person=bool(person_id),
        applicant_name="张伟" if person_id else "榆林市某某有限公司", uscc=uscc,
        identifier_masked="610802********1234" if person_id else uscc,
        identifier_digest=id_digest(person_id) if person_id else id_digest(uscc), decided_on=decided,
        document_no=document_no)


@pytest.fixture
def decisions(monkeypatch):
    """The cases module's licensing decisions (its service is tested in tests/cases/test_published.py)."""
    found = []
    monkeypatch.setattr(published, "licensing_decisions", lambda ids, start, end, **kw: iter(
        d for d in found if start <= d.decided_on <= end and (ids is None or d.department_id in ids)))
    return found


def test_late_reports_and_rejected_rows_count_for_the_month_of_the_first_report(city):
    rows = licence_rows(city.scjg, 4, decided=date(2026, 10, 20))  # 23 working days before today: late
    rows += licence_rows(city.scjg, 4, seed=5, decided=date(2026, 11, 18), prefix="新")  # on time
    bad = licence_rows(city.scjg, 2, seed=7, prefix="错")
    for row in bad:
        row["uscc"] = "91610802XXXXXXXXX1"
    _import(city.reviewer, "license", city.scjg, rows + bad)
    _import(city.reviewer_yj, "penalty", city.yj, penalty_rows(city.yj, 3))
    report = monitoring.build(NOV)
    scjg, yj = (next(r for r in report.rows if r.code == code) for code in ("610800-SCJG", "610800-YJ"))
    assert (scjg.reported, scjg.late, scjg.rows_submitted, scjg.rows_accepted) == (8, 4, 10, 8)
    assert scjg.late_rate == 0.5 and scjg.compliance_rate == 0.8 and scjg.missing_rate is None
    assert scjg.score == rules_quality.score(0.8, 0.5, None, report.formula) == 77.0
    assert (yj.reported, yj.late, yj.score, yj.rank, scjg.rank) == (3, 0, 100.0, 1, 2)
    assert report.totals().reported == 11
    assert monitoring.build(date(2026, 10, 1)).rows == []  # first reported in November, not October


def test_missing_decisions_are_licences_granted_past_their_deadline_and_never_reported(city, decisions):
    person = resident_id(40)
    rows = licence_rows(city.scjg, 3, decided=date(2026, 11, 2))
    rows[2].update(subject_name="张伟", subject_category="自然人", uscc="", id_type="身份证", id_number=person,
                   remarks="办件编号 SL2026000777")
    _import(city.reviewer, "license", city.scjg, rows)
    decisions += [
        _decision(city.scjg, 1, decided=date(2026, 11, 2), document_no=rows[0]["document_no"]),  # by document number
        _decision(city.scjg, 2, decided=date(2026, 11, 2), uscc=rows[1]["uscc"]),  # same applicant, same date
        _decision(city.scjg, 777, decided=date(2026, 11, 3), person_id=resident_id(41)),  # case number in 备注
        _decision(city.scjg, 4, decided=date(2026, 11, 2), person_id=person),  # same person (digest), same date
        _decision(city.scjg, 5, decided=date(2026, 11, 4), uscc="91610802MA70000001"),  # missing
        _decision(city.scjg, 6, decided=date(2026, 11, 4), person_id=resident_id(42)),  # missing (a person)
        _decision(city.scjg, 7, decided=date(2026, 11, 18), uscc="91610802MA70000002"),  # not yet due
        _decision(city.yj, 8, decided=date(2026, 11, 2), uscc=rows[1]["uscc"]),  # another department: missing there
    ]
    report = monitoring.build(NOV)
    scjg, yj = (next(r for r in report.rows if r.code == code) for code in ("610800-SCJG", "610800-YJ"))
    assert (scjg.licensing_due, scjg.missing, scjg.licensing_pending) == (6, 2, 1)
    assert (yj.licensing_due, yj.missing) == (1, 1)
    assert [m.case_no for m in report.missing] == ["SL2026000008", "SL2026000005", "SL2026000006"]
    person_row = report.missing[2]
    assert person_row.applicant == "张*" and "*" in person_row.identifier and person_row.due_on == date(2026, 11, 13)
    # A reporting officer sees the city-wide ranking but only their own department's missing decisions.
    mine = monitoring.build(NOV, user=city.reviewer)
    assert len(mine.rows) == 2 and [m.department_code for m in mine.missing] == ["610800-SCJG", "610800-SCJG"]


def test_month_parsing_and_the_default_month(city):
    assert monitoring.month_of("2026-03") == date(2026, 3, 1)
    assert monitoring.month_of("") == date(2026, 10, 1)  # today is 2026-11-20: last month
    for bad in ("2026-13", "26-03", "2026/03", "abcdefg"):
        with pytest.raises(InvalidInput):
            monitoring.month_of(bad)
    assert rules_quality.ranks([90.0, 80.0, 80.0, 70.0]) == [1, 2, 2, 4]


def test_the_excel_has_the_ranking_the_missing_list_and_the_formula(city, decisions):
    _import(city.reviewer, "license", city.scjg, licence_rows(city.scjg, 2))
    decisions.append(_decision(city.scjg, 9, decided=date(2026, 11, 2), uscc="=HYPERLINK(1)"))
    book = load_workbook(io.BytesIO(monitoring_export.export_xlsx(monitoring.build(NOV))), read_only=True)
    assert [s.title for s in book.worksheets] == ["排名", "瞒报明细", "口径说明"]
    ranking = list(book.worksheets[0].iter_rows(values_only=True))
    assert ranking[1][0] == "排名" and ranking[2][1] == "610800-SCJG" and ranking[-1][2] == "全市合计"
    missing = list(book.worksheets[1].iter_rows(values_only=True))
    assert missing[1][0] == "SL2026000009"


def test_the_page_shows_the_ranking_and_issues_a_verifiable_pdf(city, client, django_capture_on_commit_callbacks):
    _import(city.reviewer, "license", city.scjg, licence_rows(city.scjg, 2))
    client.force_login(city.officer)
    page = client.get("/credit/quality/?month=2026-11")
    assert page.status_code == 200 and "榆林市市场监督管理局" in page.content.decode() and "<svg" in page.content.decode()
    assert client.get("/credit/quality/?month=2026-99").status_code == 200  # bad month: message, last month shown
    xlsx = client.get("/credit/quality/ranking.xlsx?month=2026-11")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    with django_capture_on_commit_callbacks(execute=True):
        issued = client.post("/credit/quality/ranking.pdf", {"month": "2026-11"})
    assert issued.status_code == 302 and issued["Location"].startswith("/documents/")
    pdf = client.get(issued["Location"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="credit.quality_report.issue").count() == 1
    client.force_login(city.citizen)
    assert client.get("/credit/quality/").status_code == 403


def test_the_api_returns_the_ranking_and_refuses_bad_months(city, client):
    _import(city.reviewer, "license", city.scjg, licence_rows(city.scjg, 2))
    client.force_login(city.reviewer)
    data = client.get("/api/v1/credit/quality?month=2026-11").json()
    assert data["month"] == "2026-11" and data["departments"][0]["department"] == "610800-SCJG"
    bad = client.get("/api/v1/credit/quality?month=2026-1x")
    assert bad.status_code == 400 and bad.json()["code"] == "credit.month_invalid"
    client.force_login(city.citizen)
    assert client.get("/api/v1/credit/quality").status_code == 403


def test_the_api_issues_the_monthly_report_as_a_verifiable_document(city, client, django_capture_on_commit_callbacks):
    _import(city.reviewer, "license", city.scjg, licence_rows(city.scjg, 2))
    client.force_login(city.officer)
    with django_capture_on_commit_callbacks(execute=True):
        issued = client.post("/api/v1/credit/quality/report?month=2026-11")
    assert issued.status_code == 201
    body = issued.json()
    assert body["number"] and body["verification_code"] and body["verification_code"] in body["verification_url"]
    client.force_login(city.citizen)
    assert client.post("/api/v1/credit/quality/report?month=2026-11").status_code == 403


def test_the_command_prints_json_and_writes_the_workbook_and_pdf(city, tmp_path, capsys, monkeypatch):
    _import(city.reviewer, "license", city.scjg, licence_rows(city.scjg, 2, decided=date(2026, 10, 1)))
    xlsx, pdf = tmp_path / "r.xlsx", tmp_path / "r.pdf"
    # The command's transaction commits for real; inside the test's transaction, store the file at once.
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
    call_command("credit", "quality-report", "--month", "2026-11", "--json", "--xlsx", str(xlsx), "--pdf", str(pdf))
    data = json.loads(capsys.readouterr().out)
    assert data["departments"][0]["late"] == 2 and data["document"]["verification_code"]
    assert xlsx.read_bytes()[:2] == b"PK" and pdf.read_bytes()[:4] == b"%PDF"
    with pytest.raises(SystemExit) as exit_info:
        call_command("credit", "quality-report", "--month", "2026-13")
    assert exit_info.value.code == 2

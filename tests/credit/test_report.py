"""Credit report (信用报告): a PDF with a verification code and QR code, full for the subject itself and the
credit office, public data only for anyone else asking about an organisation; persons' numbers masked."""

import io
from datetime import date

import pytest
from django.db import transaction
from pypdf import PdfReader

from tests.credit.conftest import catalog
from tests.credit.factories_objections import (
    citizen_user,
    enterprise_user,
    licence,
    penalty,
    resident_id,
    subject_for,
    uscc,
)
from tests.credit.test_lists import designate
from yingshang.credit.services import commitments, report
from yingshang.kernel.errors import Forbidden
from yingshang.kernel.services.documents import read_document_file


@pytest.fixture(autouse=True)
def files(monkeypatch):
    """Run on-commit callbacks at once, so the issued PDF is written inside the test's transaction."""
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


def text_of(data: bytes) -> str:
    return "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


@pytest.fixture
def firm(city):
    subject = subject_for(uscc(7))
    c = catalog(city)
    designate(city.officer, c["debtor"], uscc(7), name=subject.name)
    commitments.do_register(city.officer, code=uscc(7), subject_name=subject.name, kind="industry", text="承诺守法经营",
                            department=city.scjg)
    return {"subject": subject, "user": enterprise_user(uscc(7)), "penalty": penalty(city.scjg, subject, date(2026, 6, 1)),
            "licence": licence(city.scjg, subject)}


def test_the_enterprise_gets_its_full_report_with_a_verification_code(city, firm, client):
    doc = report.do_issue(firm["user"], firm["subject"])
    assert doc.kind == "credit_report" and doc.holder_name == firm["subject"].name and len(doc.verification_code) == 16
    text = text_of(read_document_file(doc))
    for expected in ("信用报告", firm["subject"].name, uscc(7), "食品经营许可决定书", "未按规定公示年度报告", "失信被执行人",
                     "信用承诺", "承诺守法经营", "核验码"):
        assert expected in text, expected
    page = client.get(f"/verify/{doc.verification_code}/")
    assert page.status_code == 200 and "信用报告" in page.content.decode()


def test_anyone_signed_in_gets_only_the_public_report_of_an_enterprise(city, firm):
    doc = report.do_issue(city.citizen, firm["subject"])
    assert doc.kind == "credit_report_public"
    text = text_of(read_document_file(doc))
    assert "未按规定公示年度报告" in text and "公示信息版" in text
    assert "承诺守法经营" not in text and "四、信用承诺" not in text


def test_a_persons_report_is_for_the_person_and_the_office_and_never_shows_the_number(city):
    number = resident_id(3)
    person = subject_for(number, "王小明")
    penalty(city.scjg, person, date(2026, 6, 1))
    with pytest.raises(Forbidden):
        report.do_issue(city.citizen, person)
    doc = report.do_issue(citizen_user(number), person)
    text = text_of(read_document_file(doc))
    assert number not in text and person.id_display in text and "王小明" in text
    assert report.do_issue(city.officer, person).kind == "credit_report"


def test_the_score_section_is_included_when_the_scoring_service_exists_and_omitted_otherwise(city, firm, monkeypatch):
    import importlib

    lines = report.score_section(firm["subject"])
    assert lines is None or lines  # present once the scores work is installed
    real = importlib.import_module

    def missing(name, *a, **kw):
        if name == "yingshang.credit.services.scores":
            raise ImportError(name)
        return real(name, *a, **kw)

    monkeypatch.setattr(importlib, "import_module", missing)
    assert report.score_section(firm["subject"]) is None
    _body, sections = report.build(firm["subject"], report.Grant(report.FULL, True), date(2026, 11, 20))
    assert all("信用评价" not in heading for heading, _ in sections)


def test_the_report_pages_and_api_return_a_pdf(city, firm, client):
    client.force_login(firm["user"])
    response = client.post("/credit/me/report/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    client.force_login(city.citizen)
    response = client.post("/credit/report/", {"code": uscc(7)})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    response = client.post("/credit/report/", {"code": "123"})
    assert response.status_code == 400 and "证件号码无效" in response.content.decode()
    api = client.post("/api/v1/credit/reports", {"code": uscc(7)}, content_type="application/json")
    assert api.status_code == 200 and api.content.startswith(b"%PDF")
    person = subject_for(resident_id(3), "王小明")
    api = client.post("/api/v1/credit/reports", {"code": resident_id(3)}, content_type="application/json")
    assert api.status_code == 403 and api.json()["code"] == "credit.report_forbidden" and person
    assert client.post("/api/v1/credit/reports", {}, content_type="application/json").status_code == 404


def test_an_officer_issues_a_report_from_the_subject_page(city, firm, client):
    client.force_login(city.officer)
    assert "出具信用报告" in client.get(f"/credit/subjects/{firm['subject'].pk}/").content.decode()
    response = client.post(f"/credit/subjects/{firm['subject'].pk}/report/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    person = subject_for(resident_id(3), "王小明")
    client.force_login(city.reviewer)
    assert client.post(f"/credit/subjects/{person.pk}/report/").status_code == 403
    assert client.post("/credit/subjects/999999/report/").status_code == 404

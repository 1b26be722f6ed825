"""Personal ID numbers never appear unmasked: public pages, API answers to unauthorised roles, logs,
exports (corrections file, 重错 report), stored problems and the audit trail."""

import json
import logging

import pytest
from openpyxl import load_workbook

from tests.credit.conftest import catalog, import_csv, licence_rows, penalty_rows, resident_id
from tests.credit.test_lists import designate
from yingshang.credit.models import LicenseRecord, PenaltyRecord, RowIssue, Subject
from yingshang.credit.services import quality
from yingshang.kernel.models import AuditEntry


@pytest.fixture
def people(city, tmp_path):
    """Licences and penalties of persons, one rejected row with a person's number, a listed person."""
    numbers = [resident_id(seed) for seed in range(20, 26)]
    rows = licence_rows(city.scjg, 4)
    for row, number in zip(rows, numbers, strict=False):
        row.update({"subject_category": "自然人", "uscc": "", "legal_rep": "", "id_type": "身份证", "id_number": number})
    rows[3]["content"] = ""  # rejected
    pens = penalty_rows(city.scjg, 1)
    pens[0].update({"subject_category": "自然人", "uscc": "", "legal_rep": "", "id_number": numbers[4]})
    lic = import_csv(tmp_path, "license", city.scjg, rows, name="lic.csv")
    pen = import_csv(tmp_path, "penalty", city.scjg, pens, name="pen.csv")
    designate(city.officer, catalog(city)["debtor"], numbers[5], name="王五")
    return {"numbers": numbers, "lic": lic, "pen": pen}


def assert_no_number(text: str, numbers) -> None:
    for number in numbers:
        assert number not in text


def test_public_pages_show_persons_masked(people, client):
    pages = [client.get("/credit/public/", {"kind": "license"}), client.get("/credit/public/", {"kind": "penalty"}),
             client.get("/credit/public/lists/")]
    pages.append(client.get(f"/credit/public/license/{LicenseRecord.objects.first().pk}/"))
    pages.append(client.get(f"/credit/public/penalty/{PenaltyRecord.objects.first().pk}/"))
    for page in pages:
        assert page.status_code == 200
        assert_no_number(page.content.decode(), people["numbers"])
    assert "********" in pages[0].content.decode()


def test_searching_by_a_full_number_finds_the_record_without_echoing_it(people, client):
    number = people["numbers"][0]
    page = client.get("/credit/public/", {"kind": "license", "q": number})
    text = page.content.decode()
    assert page.status_code == 200 and "********" in text
    # The search box echoes what the visitor typed (their own input); the results never show it.
    results = text[text.index('id="public-records"'):]
    assert number not in results


def test_api_answers_to_unauthorised_roles_are_masked(people, client, city):
    body = json.dumps(client.get("/api/v1/credit/public/records", {"kind": "license"}).json())
    body += json.dumps(client.get("/api/v1/credit/public/lists").json())
    client.force_login(city.clerk)
    body += json.dumps(client.post("/api/v1/credit/check", data={"code": people["numbers"][5]},
                                   content_type="application/json").json())
    client.force_login(city.reviewer)
    body += json.dumps(client.post("/api/v1/credit/subjects/lookup", data={"code": people["numbers"][0]},
                                   content_type="application/json").json())
    body += json.dumps(client.get(f"/api/v1/credit/imports/{people['lic'].batch.pk}").json())
    assert_no_number(body, people["numbers"])


def test_nothing_personal_is_stored_in_clear(people):
    text = json.dumps([list(Subject.objects.values_list("id_key", "id_display", "id_cipher", "name")),
                       list(RowIssue.objects.values_list("identifier", "message", "subject_name")),
                       list(AuditEntry.objects.values_list("summary", flat=True))], ensure_ascii=False)
    text += json.dumps(list(LicenseRecord.objects.values()), default=str, ensure_ascii=False)
    assert_no_number(text, people["numbers"])


def test_logs_never_carry_a_number(city, tmp_path, caplog):
    number = resident_id(40)
    rows = licence_rows(city.scjg, 2)
    rows[0].update({"subject_category": "自然人", "uscc": "", "id_number": number})
    rows[1].update({"subject_category": "自然人", "uscc": "", "id_number": number[:-1] + "0", "content": ""})
    with caplog.at_level(logging.DEBUG):
        import_csv(tmp_path, "license", city.scjg, rows)
        import_csv(tmp_path, "license", city.scjg, rows, fail_after=1)  # the failure is logged with its traceback
    assert caplog.records
    assert number not in caplog.text and number[:-1] + "0" not in caplog.text


def test_exports_are_masked(people, settings, city):
    book = load_workbook(settings.DATA_DIR / people["lic"].batch.corrections_path, read_only=True)
    text = " ".join(str(c) for row in book.worksheets[0].iter_rows(values_only=True) for c in row)
    assert_no_number(text, people["numbers"])
    data = quality.export_xlsx(quality.build(city.scjg))
    import io

    book = load_workbook(io.BytesIO(data), read_only=True)
    text = " ".join(str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row)
    assert_no_number(text, people["numbers"])

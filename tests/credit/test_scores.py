"""Scores and grades through the services: default tables, explanations traced to records, recomputation
when records, lists or the tables change, the API, the subject page and the periodic refresh."""

from datetime import date, timedelta

import pytest
from django.db import transaction

from tests.credit.conftest import TODAY, catalog, licence_rows, penalty_rows, resident_id
from yingshang.credit.models import ScoreRule, ScoringScheme, Subject, SubjectScore
from yingshang.credit.services import imports, lists, scores


def _import(user, kind, dept, rows):
    with transaction.atomic():
        return imports.import_rows(user, kind=kind, department=dept, rows=rows)


def other_row(dept, n, *, kind, name="张伟", person_id="", uscc="", title="志愿服务记录", decided=TODAY - timedelta(days=10)):
    subject = ({"subject_name": name, "subject_category": "自然人", "id_type": "身份证", "id_number": person_id}
               if person_id else {"subject_name": name, "subject_category": "法人及非法人组织", "uscc": uscc})
    return {**subject, "kind": kind, "title": title, "content": title, "document_no": f"榆其他〔2026〕{n:04d}号",
            "decision_date": decided.isoformat(), "authority": dept.name, "authority_uscc": dept.uscc,
            "source_unit": dept.name, "source_unit_uscc": dept.uscc}


def _person(city, *, seed=50):
    pid = resident_id(seed)
    _import(city.officer, "other", city.xyb, [other_row(city.xyb, seed, kind="志愿服务", person_id=pid)])
    from yingshang.credit.services.subjects import find

    return pid, find(pid)


def test_the_default_tables_are_seeded_with_the_six_personal_tiers_and_four_grades(db):
    person = ScoringScheme.objects.get(audience="person")
    assert [t.name for t in person.tiers.all()] == ["信用极好", "信用优秀", "信用良好", "轻微失信", "信用较差", "信用极差"]
    assert (person.max_score, person.tiers.get(code="excellent").min_score) == (200, 150)
    assert person.tiers.get(code="poor").min_score == 50
    assert [t.code for t in ScoringScheme.objects.get(audience="organization").tiers.all()] == ["A", "B", "C", "D"]


def test_a_persons_score_traces_each_point_to_its_record(city):
    pid, subject = _person(city)
    rows = penalty_rows(city.scjg, 2, severity="严重")
    for row in rows:
        row.update(subject_name="张伟", subject_category="自然人", uscc="", id_type="身份证", id_number=pid)
    rows[1]["severity"] = "一般"
    _import(city.reviewer, "penalty", city.scjg, rows)
    found = scores.explain(subject)
    assert found.title == "个人信用积分" and found.base == 120 and found.grade == ""
    by_rule = {line.rule_code: line for line in found.lines}
    assert by_rule["volunteering"].points == 2 and by_rule["volunteering"].record.startswith("other:")
    assert by_rule["penalty-serious"].points == -40 and by_rule["penalty-general"].points == -10
    assert by_rule["penalty-serious"].record.startswith("penalty:") and rows[0]["document_no"] in by_rule["penalty-serious"].label
    assert found.score == 72 and found.tier == "信用较差"
    assert found.as_dict()["lines"][0]["record"]


def test_an_enterprise_grade_follows_its_list_memberships(city):
    types = catalog(city)
    rows = licence_rows(city.scjg, 1)
    _import(city.reviewer, "license", city.scjg, rows)
    subject = Subject.objects.get(id_key=rows[0]["uscc"])
    assert (scores.explain(subject).tier_code, scores.explain(subject).score) == ("B", 85)
    with transaction.atomic():
        lists.do_designate(city.officer, subject=lists.SubjectInput(rows[0]["uscc"], rows[0]["subject_name"]),
                           list_type=types["tax_a"], department=city.xyb, basis="纳税信用管理办法", document_no="A-1",
                           decided_on=TODAY)
    assert SubjectScore.objects.get(subject=subject).stale  # the signal marked it
    assert scores.explain(subject).grade == "A"
    with transaction.atomic():
        lists.do_designate(city.officer, subject=lists.SubjectInput(rows[0]["uscc"], rows[0]["subject_name"]),
                           list_type=types["debtor"], department=city.xyb, basis="法释〔2017〕7号", document_no="B-1",
                           decided_on=TODAY)
    found = scores.explain(subject)
    assert found.grade == "D" and found.score == 55  # 85 + 10 − 40; the black list would cap it at D anyway


def test_a_bulk_import_for_the_subject_is_noticed_on_the_next_read(city):
    pid, subject = _person(city, seed=51)
    first = scores.explain(subject).score
    rows = penalty_rows(city.scjg, 1)
    rows[0].update(subject_name="张伟", subject_category="自然人", uscc="", id_type="身份证", id_number=pid)
    _import(city.reviewer, "penalty", city.scjg, rows)  # set-based SQL: no signal
    assert scores.explain(subject).score == first - 10


def test_editing_the_tables_marks_every_result_stale_and_applies_on_the_next_read(city):
    _pid, subject = _person(city, seed=52)
    assert scores.explain(subject).score == 122
    rule = ScoreRule.objects.get(scheme__audience="person", code="volunteering")
    rule.points = 4
    rule.save()
    assert SubjectScore.objects.get(subject=subject).stale
    assert scores.explain(subject).score == 124


def test_time_alone_changes_the_result_and_the_periodic_refresh_recomputes_it(city, today):
    _pid, subject = _person(city, seed=53)
    assert scores.current(subject).changes_on == date(2027, 11, 21)  # a first clean year completes
    today(date(2027, 11, 22))
    assert scores.refresh_due() == 1
    row = SubjectScore.objects.get(subject=subject)
    assert [line["rule_code"] for line in row.lines] == ["volunteering", "clean-record"]
    assert row.changes_on == date(2028, 11, 11)  # the volunteering record leaves its 24-month window
    today(date(2028, 11, 11))
    assert scores.refresh_due() == 1
    assert [line["rule_code"] for line in SubjectScore.objects.get(subject=subject).lines] == ["clean-record"]
    assert scores.refresh_due() == 0


def test_the_api_and_the_pages_show_the_explanation(city, client):
    pid, subject = _person(city, seed=54)
    client.force_login(city.officer)
    data = client.get(f"/api/v1/credit/subjects/{subject.pk}/score").json()
    assert data["tier"] == "信用良好" and data["lines"][0]["rule_code"] == "volunteering"
    assert client.post("/api/v1/credit/subjects/score", {"code": pid}, content_type="application/json").json()["score"] == 122
    assert client.get("/api/v1/credit/subjects/999999/score").status_code == 404
    page = client.get(f"/credit/subjects/{subject.pk}/").content.decode()
    assert f"/credit/subjects/{subject.pk}/score/" in page
    fragment = client.get(f"/credit/subjects/{subject.pk}/score/", HTTP_HX_REQUEST="true").content.decode()
    assert "志愿服务" in fragment and "<html" not in fragment
    assert pid not in client.get(f"/credit/subjects/{subject.pk}/score/").content.decode()
    client.force_login(city.citizen)
    assert client.get(f"/api/v1/credit/subjects/{subject.pk}/score").status_code == 403


@pytest.mark.django_db
def test_a_scheme_in_force_later_applies_from_its_date(city, today):
    _pid, subject = _person(city, seed=55)
    old = ScoringScheme.objects.get(audience="person")
    new = ScoringScheme.objects.create(audience="person", code="person-2027", name="个人信用积分（2027版）",
                                       effective_from=date(2027, 1, 1), base_score=100, max_score=200)
    for tier in old.tiers.all():
        new.tiers.create(code=tier.code, name=tier.name, min_score=tier.min_score)
    assert scores.explain(subject).base == 120 and scores.current(subject).changes_on == date(2027, 1, 1)
    today(date(2027, 1, 2))
    assert scores.explain(subject).scheme == "个人信用积分（2027版）" and scores.explain(subject).score == 100


def test_the_admin_edits_the_tables_with_an_audit_entry_and_shows_results_read_only(city, client):
    from tests.factories import UserFactory
    from yingshang.kernel.models import AuditEntry

    _pid, subject = _person(city, seed=56)
    scores.explain(subject)
    client.force_login(UserFactory(username="admin", admin=True))
    scheme = ScoringScheme.objects.get(audience="person")
    assert client.get("/admin/credit/scoringscheme/").status_code == 200
    page = client.get(f"/admin/credit/scoringscheme/{scheme.pk}/change/")
    assert page.status_code == 200 and "志愿服务" in page.content.decode()
    assert client.get("/admin/credit/subjectscore/").status_code == 200
    assert client.get("/admin/credit/subjectscore/add/").status_code == 403
    form = page.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update(name="个人信用积分（调整）", effective_from="2019-01-08")
    for inline in page.context["inline_admin_formsets"]:
        fs = inline.formset
        data.update({f"{fs.prefix}-TOTAL_FORMS": fs.total_form_count(), f"{fs.prefix}-INITIAL_FORMS": fs.initial_form_count(),
                     f"{fs.prefix}-MIN_NUM_FORMS": 0, f"{fs.prefix}-MAX_NUM_FORMS": 1000})
        for i, f in enumerate(fs.forms):
            for name, field in f.fields.items():
                value = f.initial.get(name, field.initial)
                if value is None or value is False:
                    continue
                data[f"{fs.prefix}-{i}-{name}"] = value.pk if hasattr(value, "pk") else value
            data[f"{fs.prefix}-{i}-scheme"] = scheme.pk
    response = client.post(f"/admin/credit/scoringscheme/{scheme.pk}/change/", data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert AuditEntry.objects.filter(action="credit.scoring_scheme.update").exists()
    assert SubjectScore.objects.get(subject=subject).stale

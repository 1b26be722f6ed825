"""The expert database: registration checked against identity and social security, the ID number kept as
digest and mask only, edits, status, relations and sanctions — audited, and who may do what."""

import pytest
from django.db import transaction

from tests.factories import UserFactory, _uscc
from tests.trading.factories_experts import ExpertFactory, resident_id
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from yingshang.kernel.models import AuditEntry
from yingshang.kernel.protect import id_digest
from yingshang.trading import rules_experts as rx
from yingshang.trading.models import Expert, Specialty
from yingshang.trading.services import experts
from yingshang.trading.verification import SimulatedVerifier

pytestmark = pytest.mark.django_db
ID = resident_id(1)


@pytest.fixture(autouse=True)
def clean_verifier(monkeypatch):
    monkeypatch.setattr(SimulatedVerifier, "identities", {})
    monkeypatch.setattr(SimulatedVerifier, "insured_with", {})
    experts.ensure_specialties()


def data(**overrides):
    return {"name": "周强", "id_number": ID, "phone": "13900001111", "employer_name": "榆林建工集团",
            "employer_uscc": "91610800MA70000017", "region": "610802", "title": "高级工程师",
            "qualification": "一级建造师", "specialties": ["A0801", "A0401"], **overrides}


def register(user, by_self=False, **overrides):
    with transaction.atomic():
        return experts.do_register(user, data(**overrides), by_self=by_self)


@pytest.fixture
def uscc():
    from tests.factories import _uscc
    from yingshang.kernel.rules.identifiers import validate_uscc

    value = _uscc(4242)
    assert validate_uscc(value).valid
    return value


def test_the_centre_registers_an_expert_with_digest_and_mask_only(town, uscc):
    expert = register(town.staff, employer_uscc=uscc)
    assert expert.id_digest == id_digest(ID) and expert.id_masked == ID[:6] + "********" + ID[-4:]
    assert expert.verification == rx.VERIFIED and expert.status == rx.ACTIVE
    assert sorted(expert.specialties.values_list("code", flat=True)) == ["A0401", "A0801"]
    row = Expert.objects.filter(pk=expert.pk).values().get()
    assert ID not in str(row)
    entry = AuditEntry.objects.get(action="trading.expert.register")
    assert ID not in entry.summary and "13900001111" not in entry.summary and "139****1111" in entry.summary


def test_identity_mismatch_refuses_and_social_security_mismatch_flags(town, uscc):
    SimulatedVerifier.identities[ID] = "周强强"
    with pytest.raises(Conflict) as refused:
        register(town.staff, employer_uscc=uscc)
    assert refused.value.code == "trading.expert_identity_mismatch" and not Expert.objects.exists()
    SimulatedVerifier.identities.clear()
    SimulatedVerifier.insured_with[ID] = "91610800MA70000025"
    expert = register(town.staff, employer_uscc=uscc)
    assert expert.verification == rx.FLAGGED and "社保" in expert.verification_note
    assert not rx.drawable(expert.status, expert.verification, None, expert.created_at.date())
    experts.do_clear_flag(town.staff, expert.pk, expert.row_version, "单位出具劳动合同，已人工核验")
    expert.refresh_from_db()
    assert expert.verification == rx.VERIFIED


@pytest.mark.parametrize(("field", "value", "code"), [
    ("id_number", "610802199001011235", "trading.id_number_invalid"),
    ("phone", "12345", "trading.phone_invalid"),
    ("employer_uscc", "91610800MA7000001X", "trading.employer_uscc_invalid"),
    ("region", "999999", "trading.region_invalid"),
    ("specialties", ["Z9"], "trading.specialties_invalid"),
    ("specialties", [], "trading.specialties_required"),
    ("name", "", "trading.name_required"),
])
def test_bad_input_is_refused_with_a_code(town, uscc, field, value, code):
    with pytest.raises(InvalidInput) as bad:
        register(town.staff, **{"employer_uscc": uscc, field: value})
    assert bad.value.code == code


def test_duplicates_and_permissions(town, uscc):
    register(town.staff, employer_uscc=uscc)
    with pytest.raises(Conflict) as dup:
        register(town.staff, employer_uscc=uscc)
    assert dup.value.code == "trading.expert_duplicate"
    with pytest.raises(Forbidden):
        register(town.tenderer, employer_uscc=uscc, id_number=resident_id(2))
    account = UserFactory(role_codes=["expert"])
    mine = register(account, by_self=True, employer_uscc=uscc, id_number=resident_id(3))
    assert mine.user == account and mine.registered_by_self
    with pytest.raises(Conflict):
        register(account, by_self=True, employer_uscc=uscc, id_number=resident_id(4))


def test_edit_by_the_expert_themself_and_not_by_others(town, uscc):
    account = UserFactory(role_codes=["expert"])
    mine = register(account, by_self=True, employer_uscc=uscc)
    with transaction.atomic():
        experts.do_update(account, mine.pk, mine.row_version, data(employer_uscc=uscc, title="正高级工程师",
                                                                   id_number=""))
    mine.refresh_from_db()
    assert mine.title == "正高级工程师" and mine.row_version == 2
    with pytest.raises(Conflict) as stale:
        experts.do_update(town.staff, mine.pk, 1, data(employer_uscc=uscc))
    assert stale.value.code == "trading.conflict"
    with pytest.raises(InvalidInput) as needed:  # a new employer is checked again: the number is asked for
        experts.do_update(account, mine.pk, None, data(employer_uscc=_uscc(4343), id_number=""))
    assert needed.value.code == "trading.id_number_required"
    with pytest.raises(InvalidInput) as other_person:
        experts.do_update(account, mine.pk, None, data(employer_uscc=_uscc(4343), id_number=resident_id(9)))
    assert other_person.value.code == "trading.id_number_mismatch"
    SimulatedVerifier.insured_with[ID] = uscc  # still insured with the old employer: flagged
    with transaction.atomic():
        experts.do_update(account, mine.pk, None, data(employer_uscc=_uscc(4343)))
    mine.refresh_from_db()
    assert mine.verification == rx.FLAGGED and mine.employer_uscc == _uscc(4343)
    other = UserFactory(role_codes=["expert"])
    with pytest.raises(Forbidden):
        experts.do_update(other, mine.pk, None, data(employer_uscc=uscc))
    with pytest.raises(NotFound):
        experts.expert(other, mine.pk)
    assert experts.expert(account, mine.pk) == mine


def test_sanctions_suspend_until_the_end_and_removal_takes_out(town):
    expert = ExpertFactory()
    sanction = experts.do_sanction(town.staff, expert.pk, {"kind": rx.SUSPEND_6, "reason": "评标打分明显畸高",
                                                           "document_no": "榆交易〔2026〕12号"})
    expert.refresh_from_db()
    assert str(sanction.ends_on) == "2026-10-19" and expert.suspended_until == sanction.ends_on
    experts.do_sanction(town.staff, expert.pk, {"kind": rx.REMOVE, "reason": "收受投标人财物",
                                                "document_no": "榆交易〔2026〕13号"})
    expert.refresh_from_db()
    assert expert.status == rx.REMOVED and not expert.active
    assert AuditEntry.objects.filter(action="trading.expert.sanction").count() == 2
    with pytest.raises(InvalidInput) as bad:
        experts.do_sanction(town.staff, expert.pk, {"kind": "jail", "reason": "x", "document_no": "x"})
    assert bad.value.code == "trading.kind_invalid"
    with pytest.raises(Forbidden):
        experts.do_sanction(town.tenderer, expert.pk, {"kind": rx.SUSPEND_6, "reason": "x", "document_no": "x"})


def test_status_relations_and_the_filtered_list(town, uscc):
    a = ExpertFactory(specialties=["A0801"], name="王工")
    b = ExpertFactory(specialties=["B02"], region="610802")
    experts.do_set_status(town.staff, b.pk, None, rx.PAUSED, "本人申请暂停")
    experts.do_add_relation(town.staff, a.pk, {"kind": rx.EMPLOYMENT, "uscc": uscc, "name": "某建设公司",
                                               "ended_on": "2025-01-01"})
    assert a.relations.get().uscc == uscc
    assert list(experts.experts_for(town.staff, specialty="A08")) == [a]
    assert list(experts.experts_for(town.staff, status=rx.PAUSED)) == [b]
    assert list(experts.experts_for(town.staff, q="王")) == [a]
    assert list(experts.experts_for(town.staff, region="610802")) == [b]
    with pytest.raises(Forbidden):
        experts.experts_for(town.tenderer)


def test_specialties_are_seeded_once_as_a_tree():
    assert experts.ensure_specialties() == 0
    assert Specialty.objects.get(code="A0801").parent.code == "A08"


def test_a_specialty_edited_in_the_admin_is_audited_and_experts_admin_hides_the_digest(client):
    client.force_login(UserFactory(admin=True))
    row = Specialty.objects.get(code="A0801")
    url = f"/admin/trading/specialty/{row.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["name"] = "房屋建筑施工"
    assert client.post(url, data).status_code == 302
    assert AuditEntry.objects.filter(action="trading.specialty.update").count() == 1
    expert = ExpertFactory()
    page = client.get(f"/admin/trading/expert/{expert.pk}/change/").content.decode()
    assert expert.id_masked in page and expert.id_digest not in page and expert.phone not in page

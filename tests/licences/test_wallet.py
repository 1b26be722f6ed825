"""The e-licence wallet: holders see their own licences only; revocation is audited and shown."""

from datetime import date, timedelta

import pytest
from django.db import transaction

from tests.factories import DepartmentFactory, UserFactory
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from yingshang.kernel.models import AuditEntry
from yingshang.kernel.protect import id_digest, mask_resident_id
from yingshang.licences import services as licence_services
from yingshang.licences.models import ELicense

PERSON_ID = "61080219900101123X"
USCC = "91610802MA70000000"


def person_user(**kw):
    return UserFactory(citizen=True, real_name="张伟", id_number_digest=id_digest(PERSON_ID),
                       id_number_masked=mask_resident_id(PERSON_ID), **kw)


def place(holder_key, *, number="SP2026000001", valid_until=None, issued_on=None, issuer=None, kind="person"):
    with transaction.atomic():
        return licence_services.do_place_licence(
            holder_key=holder_key, holder_kind=kind, holder_name="张伟", holder_id_masked=mask_resident_id(PERSON_ID),
            name="食品经营许可证", number=number, issuer=issuer, issued_on=issued_on or date.today(),
            valid_until=valid_until, source_type="cases.case", source_ref="SL2026000001")


@pytest.mark.django_db
def test_a_citizen_sees_the_valid_licences_of_their_identity_only():
    user = person_user()
    mine = place(id_digest(PERSON_ID), valid_until=date.today() + timedelta(days=365))
    place(id_digest(PERSON_ID), number="SP2026000002", issued_on=date(2020, 1, 1), valid_until=date(2021, 1, 1))  # expired
    place(id_digest("610802199001011234"), number="SP2026000003")  # someone else
    views = licence_services.holder_licences(user)
    assert [v.id for v in views] == [mine.pk]
    view = views[0]
    assert (view.name, view.number, view.holder_name) == ("食品经营许可证", "SP2026000001", "张伟")
    assert len(licence_services.holder_licences(user, include_invalid=True)) == 2
    assert licence_services.get_holder_licence(user, mine.pk).number == "SP2026000001"


@pytest.mark.django_db
def test_someone_elses_licence_is_not_found():
    other = place(id_digest("610802199001011234"))
    with pytest.raises(NotFound) as err:
        licence_services.get_holder_licence(person_user(), other.pk)
    assert err.value.code == "licence.not_found"
    with pytest.raises(NotFound):
        licence_services.get_holder_licence(person_user(username="u2"), "abc")


@pytest.mark.django_db
def test_an_enterprise_account_sees_the_licences_of_its_uscc():
    user = UserFactory(enterprise=True, uscc=USCC, organization_name="榆林市恒泰能源科技有限公司")
    lic = place(id_digest(USCC), kind="enterprise")
    assert [v.id for v in licence_services.holder_licences(user)] == [lic.pk]
    assert licence_services.holder_licences(UserFactory(enterprise=True)) == []  # no USCC registered


@pytest.mark.django_db
def test_placing_checks_validity_and_unique_number():
    with pytest.raises(InvalidInput):
        place(id_digest(PERSON_ID), valid_until=date.today() - timedelta(days=1), issued_on=date.today())
    place(id_digest(PERSON_ID))
    with pytest.raises(Conflict):
        place(id_digest(PERSON_ID))
    assert AuditEntry.objects.filter(action="licences.elicense.place").count() == 1


@pytest.mark.django_db
def test_revocation_needs_a_reason_and_the_issuing_departments_head():
    dept = DepartmentFactory(code="610800-SCJG", name="榆林市市场监督管理局")
    lic = place(id_digest(PERSON_ID), issuer=dept)
    with pytest.raises(Forbidden):
        licence_services.do_revoke_licence(person_user(), lic.pk, "x")
    other_head = UserFactory(head=True)
    with pytest.raises(Forbidden) as err:
        licence_services.do_revoke_licence(other_head, lic.pk, "违法取得")
    assert err.value.code == "licence.not_your_department"
    head = UserFactory(head=True, department=dept)
    with pytest.raises(InvalidInput):
        licence_services.do_revoke_licence(head, lic.pk, "  ")
    with transaction.atomic():
        licence_services.do_revoke_licence(head, lic.pk, "以欺骗手段取得")
    lic.refresh_from_db()
    assert lic.status == ELicense.Status.REVOKED and lic.revoke_reason == "以欺骗手段取得"
    assert AuditEntry.objects.filter(action="licences.elicense.revoke", object_id=str(lic.pk)).exists()
    with pytest.raises(Conflict):
        licence_services.do_revoke_licence(head, lic.pk, "again")
    assert licence_services.holder_licences(person_user()) == []

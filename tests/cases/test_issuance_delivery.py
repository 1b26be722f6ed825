"""Delivery (送达): pickup at any hall with the collector's ID checked (kept masked), or express; concludes the case."""

import pytest
from django.db import transaction

from tests.cases.conftest import PERSON_ID, person
from tests.cases.factories_issuance import approved_case, denied_case, issued_case
from tests.factories import UserFactory
from yingshang.cases.models import Delivery
from yingshang.cases.services import issuance
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput
from yingshang.kernel.models import AuditEntry

OTHER_ID = "610802198506150038"


def _pickup(user, case, name="张伟", id_number=PERSON_ID):
    with transaction.atomic():
        return issuance.do_deliver_pickup(user, case.pk, case.row_version, picked_up_by=name, id_number=id_number)


def _express(user, case, carrier="sf", tracking_no="SF1234567890123", **kw):
    fields = {"recipient": "张伟", "phone": "13800138000", "address": "榆林市榆阳区长城南路 1 号"} | kw
    with transaction.atomic():
        return issuance.do_deliver_express(user, case.pk, case.row_version, carrier=carrier, tracking_no=tracking_no, **fields)


@pytest.mark.django_db
def test_pickup_in_another_hall_concludes_the_case_and_keeps_the_id_masked(city, food, official_calendar):
    case = issued_case(city, food, applicant=person())
    delivery = _pickup(city.clerk2, case)
    case.refresh_from_db()
    assert case.status == "concluded" and case.closed_at is not None
    assert delivery.hall == city.hall2 and not delivery.by_agent
    assert delivery.picked_up_id_masked != PERSON_ID and delivery.picked_up_id_masked.endswith("123X")
    event = case.events.get(kind="deliver")
    assert city.hall2.name in event.text and "本人" in event.text and "张伟" not in event.text
    entries = AuditEntry.objects.filter(object_id=str(case.pk))
    assert entries.filter(action="cases.case.conclude").count() == 1
    assert not any(PERSON_ID in e.summary for e in AuditEntry.objects.all())


@pytest.mark.django_db
def test_someone_else_collecting_is_recorded_as_an_agent(city, food, official_calendar):
    case = issued_case(city, food, applicant=person())
    assert _pickup(city.clerk, case, name="李娜", id_number=OTHER_ID).by_agent


@pytest.mark.django_db
def test_pickup_needs_a_valid_id_and_a_clerk_of_a_hall(city, food, official_calendar):
    case = issued_case(city, food)
    with pytest.raises(InvalidInput) as err:
        _pickup(city.clerk, case, id_number="610802198506150037")
    assert err.value.code == "case.id_number_invalid"
    with pytest.raises(InvalidInput) as err:
        _pickup(city.clerk, case, id_number="")
    assert err.value.code == "case.id_number_required"
    with pytest.raises(Forbidden) as err:
        _pickup(UserFactory(role_codes=["window_clerk"]), case)
    assert err.value.code == "case.no_hall"
    with pytest.raises(Forbidden):
        _pickup(city.reviewer_scjg, case)


@pytest.mark.django_db
def test_a_case_is_delivered_only_once_it_is_issued(city, food, official_calendar):
    with pytest.raises(Conflict) as err:
        _pickup(city.clerk, approved_case(city, food))
    assert err.value.code == "case.not_issued"


@pytest.mark.django_db
def test_a_denied_case_is_concluded_by_delivering_the_denial_notice(city, food, official_calendar):
    case = denied_case(city, food)
    _pickup(city.clerk, case)
    case.refresh_from_db()
    assert case.status == "concluded" and "不予许可决定书" in case.events.get(kind="deliver").text


@pytest.mark.django_db
def test_express_delivery_records_carrier_and_tracking_number_and_concludes(city, food, official_calendar):
    case = issued_case(city, food)
    delivery = _express(city.reviewer_scjg, case, tracking_no="sf 1234-5678-90123")
    assert (delivery.carrier, delivery.tracking_no, delivery.method) == ("sf", "SF1234567890123", "express")
    case.refresh_from_db()
    assert case.status == "concluded"
    assert "SF1234567890123" in case.events.get(kind="deliver").text
    assert "长城南路" not in case.events.get(kind="deliver").text  # the address stays off the public timeline
    with pytest.raises(Conflict) as err:
        _express(city.clerk, issued_case(city, food))
    assert err.value.code == "case.tracking_used"


@pytest.mark.parametrize(("carrier", "number", "code"), [
    ("sf", "1234", "case.tracking_no_invalid"),
    ("ems", "EA123456789CN", "case.tracking_no_invalid"),  # S10 check digit is 5
    ("dhl", "SF1234567890123", "case.carrier_invalid"),
])
@pytest.mark.django_db
def test_tracking_numbers_are_checked_against_the_carriers_format(city, food, official_calendar, carrier, number, code):
    case = issued_case(city, food)
    with pytest.raises(InvalidInput) as err:
        _express(city.clerk, case, carrier=carrier, tracking_no=number)
    assert err.value.code == code
    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_express_needs_a_mobile_number_and_an_address(city, food, official_calendar):
    case = issued_case(city, food)
    with pytest.raises(InvalidInput) as err:
        _express(city.clerk, case, tracking_no="EA123456785CN", carrier="ems", phone="12")
    assert err.value.code == "case.phone_invalid"
    with pytest.raises(InvalidInput) as err:
        _express(city.clerk, case, tracking_no="EA123456785CN", carrier="ems", address=" ")
    assert err.value.code == "case.address_required"
    with pytest.raises(Forbidden):
        _express(city.reviewer_wj, case, tracking_no="EA123456785CN", carrier="ems")

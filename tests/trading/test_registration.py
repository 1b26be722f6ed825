"""Projects and entry registration through the services: validation with the law's numbers, the
must-tender note, the workflow (submit, accept, return, resubmit), conflicts, audit and scoping."""

import pytest
from django.db import transaction
from django.utils import timezone

from tests.factories import LotFactory, TenderProjectFactory
from tests.trading.conftest import lot_data, project_data
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from yingshang.kernel.models import AuditEntry
from yingshang.kernel.services.audit import verify
from yingshang.trading import queries, rules
from yingshang.trading.models import Lot
from yingshang.trading.services import lots, projects

pytestmark = pytest.mark.django_db


def create(user, data, submit=False):
    with transaction.atomic():
        return projects.do_create_project(user, data, submit=submit)


def test_a_tenderer_registers_a_project_with_two_lots(town):
    project = create(town.tenderer, project_data(town, lots=[lot_data(), lot_data(name="监理", lot_type="services",
                                                                                estimated_price="1200000",
                                                                                ceiling_price=None)]), submit=True)
    first, second = project.lots.order_by("seq")
    assert (first.seq, second.seq) == (1, 2)
    assert first.status == second.status == rules.REGISTERED and first.must_tender
    assert timezone.localtime(first.next_check).isoformat() == "2026-05-04T00:00:00+08:00"
    assert AuditEntry.objects.filter(action="trading.tenderproject.create").count() == 1
    assert AuditEntry.objects.filter(action="trading.lot.submit").count() == 2
    assert verify().ok


def test_a_lot_below_the_threshold_registers_with_a_note_not_a_refusal(town):
    project = create(town.tenderer, project_data(town, lots=[lot_data(estimated_price="3999999.99",
                                                                      ceiling_price=None)]), submit=True)
    lot = project.lots.get()
    assert lot.status == rules.REGISTERED and not lot.must_tender
    assert "不属于依法必须招标" in lot.must_tender_note and "平台不强制要求招标" in lot.must_tender_note


def test_procurement_lots_note_that_the_thresholds_do_not_apply(town):
    lot = create(town.tenderer, project_data(town, lots=[lot_data(procedure="gp_open_tender", lot_type="goods",
                                                                  sale_end="2026-05-11")])).lots.get()
    assert not lot.must_tender and "政府采购" in lot.must_tender_note


@pytest.mark.parametrize(("overrides", "code"), [
    ({"bid_deadline": "2026-05-23T09:30"}, "trading.deadline_too_soon"),  # 19 days after 05-04
    ({"sale_end": "2026-05-08"}, "trading.sale_too_short"),  # 4 days
    ({"ceiling_price": "5000000.01"}, "trading.ceiling_above_estimate"),
    ({"estimated_price": "12.345"}, "trading.estimated_price_invalid"),
    ({"estimated_price": "0"}, "trading.estimated_price_out_of_range"),
    ({"procedure": "auction"}, "trading.procedure_invalid"),
    ({"procedure": "invited_tender", "qualification": "pre"}, "trading.qualification_not_allowed"),
    ({"sale_start": "2026-04-19"}, "trading.sale_start_out_of_range"),  # before today
    ({"bid_deadline": "tomorrow"}, "trading.bid_deadline_invalid"),
    ({"lot_type": "land"}, "trading.lot_type_invalid"),
])
def test_bad_lots_are_refused_with_a_code_and_the_lot_named(town, overrides, code):
    with pytest.raises(InvalidInput) as exc:
        create(town.tenderer, project_data(town, lots=[lot_data(), lot_data(**overrides)]))
    assert exc.value.code == code and exc.value.details["lot"] == 1
    assert exc.value.message.startswith("第2个标段：")
    assert not Lot.objects.exists()


def test_twenty_days_to_the_deadline_are_accepted(town):
    assert create(town.tenderer, project_data(town, lots=[lot_data(bid_deadline="2026-05-24T09:30")])).lots.count() == 1


@pytest.mark.parametrize(("overrides", "code"), [
    ({"tenderer_uscc": "91110000600037341X"}, "trading.tenderer_uscc_invalid"),
    ({"regulator": "610800-NONE"}, "trading.regulator_invalid"),
    ({"division_code": "999999"}, "trading.division_code_invalid"),
    ({"funding_source": "gold"}, "trading.funding_source_invalid"),
    ({"agency_name": "某代理"}, "trading.agency_incomplete"),
    ({"lots": []}, "trading.lots_required"),
    ({"name": ""}, "trading.name_required"),
])
def test_bad_projects_are_refused_with_a_code(town, overrides, code):
    with pytest.raises(InvalidInput) as exc:
        create(town.tenderer, project_data(town, **overrides))
    assert exc.value.code == code


def test_only_the_tenderer_or_its_agency_registers_a_project(town):
    with pytest.raises(Forbidden) as exc:
        create(town.other_tenderer, project_data(town))
    assert exc.value.code == "trading.not_your_project"
    with pytest.raises(Forbidden):
        create(town.staff, project_data(town))
    data = project_data(town, agency_name="正信招标代理", agency_uscc=town.agency.uscc)
    assert create(town.agency, data, submit=True).lots.get().status == rules.REGISTERED


def test_the_centre_accepts_or_returns_and_a_returned_lot_is_resubmitted(town):
    first, second = create(town.tenderer, project_data(town, lots=[lot_data(), lot_data(name="二标段")]),
                           submit=True).lots.order_by("seq")
    with transaction.atomic():
        lots.do_accept(town.staff, first.pk, 2, "同意进场")
        lots.do_return(town.staff, second.pk, 2, "审批文号与批复不一致")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.decision_note) == (rules.ACCEPTED, "同意进场")
    assert second.status == rules.RETURNED and second.next_check is None
    with transaction.atomic():
        lots.do_submit(town.tenderer, second.pk, second.row_version)
    second.refresh_from_db()
    assert second.status == rules.REGISTERED and second.row_version == 4
    assert AuditEntry.objects.filter(action__startswith="trading.lot.").count() == 5


def test_a_return_needs_a_reason(town):
    lot = LotFactory(registered=True)
    with pytest.raises(InvalidInput) as exc:
        lots.do_return(town.staff, lot.pk, lot.row_version, "  ")
    assert exc.value.code == "trading.reason_required"


def test_a_stale_version_conflicts_and_a_wrong_state_names_what_is_possible(town):
    lot = LotFactory(registered=True)
    with transaction.atomic():
        lots.do_accept(town.staff, lot.pk, 1)
    with pytest.raises(Conflict) as stale:
        lots.do_return(town.staff, lot.pk, 1, "晚了")
    assert stale.value.code == "trading.conflict" and stale.value.details["row_version"] == 2
    with pytest.raises(Conflict) as wrong:
        lots.do_return(town.staff, lot.pk, 2, "晚了")
    assert wrong.value.code == "trading.transition_not_allowed" and "已进场" in wrong.value.message


def test_unknown_lots_are_not_found_and_others_may_not_act(town):
    with pytest.raises(NotFound):
        lots.do_accept(town.staff, 10**9, None)
    lot = LotFactory(registered=True)
    with pytest.raises(Forbidden):
        lots.do_accept(town.tenderer, lot.pk, None)
    with pytest.raises(Forbidden):
        lots.do_submit(town.other_tenderer, LotFactory().pk, None)


def test_each_sees_its_own_scope(town):
    mine = LotFactory(project=TenderProjectFactory(tenderer_uscc=town.tenderer.uscc, regulator=town.zj))
    agency_lot = LotFactory(project=TenderProjectFactory(agency_uscc=town.agency.uscc, regulator=town.jt))
    visible = {
        "staff": set(queries.lots_for(town.staff)), "tenderer": set(queries.lots_for(town.tenderer)),
        "agency": set(queries.lots_for(town.agency)), "zj": set(queries.lots_for(town.reviewer_zj)),
        "jt": set(queries.lots_for(town.reviewer_jt)), "other": set(queries.lots_for(town.other_tenderer)),
    }
    assert visible == {"staff": {mine, agency_lot}, "tenderer": {mine}, "agency": {agency_lot}, "zj": {mine},
                       "jt": {agency_lot}, "other": set()}
    with pytest.raises(Forbidden):
        queries.lots_for(town.citizen)
    with pytest.raises(NotFound):
        queries.lot(town.reviewer_jt, mine.pk)

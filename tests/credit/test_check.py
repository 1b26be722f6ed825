"""The joint reward/punishment check: memberships and measures by scenario, the acceptance hook,
feedback, the per-process cache, and the query count."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.credit.conftest import catalog, resident_id, uscc
from tests.credit.test_lists import designate
from tests.helpers import assert_max_queries
from yingshang.credit.models import Feedback, Measure
from yingshang.credit.services import joint as checks
from yingshang.kernel.errors import InvalidInput, NotFound
from yingshang.kernel.hooks import ACCEPTANCE_CHECKS, CheckHit
from yingshang.kernel.models import AuditEntry


@pytest.fixture
def listed(city):
    c = catalog(city)
    c["debtor_entry"] = designate(city.officer, c["debtor"], uscc(1), name="失信企业有限公司")
    c["red_entry"] = designate(city.officer, c["tax_a"], uscc(2), name="守信企业有限公司", department=city.xyb)
    c["watch_entry"] = designate(city.officer, c["watch"], uscc(3), name="关注企业有限公司")
    return c


def test_a_black_listed_subject_gets_the_blocking_measure_of_the_scenario(listed):
    result = checks.check(uscc(1), "administrative_licensing")
    assert result.hit and result.blocking and result.exit_code == 4
    assert [m.list_type for m in result.memberships] == ["judgment_debtor"]
    assert [(a.action, a.content) for a in result.measures] == [("block", "限制取得行政许可")]
    assert result.subject_name == "失信企业有限公司"


def test_measures_follow_the_scenario_and_all_apply_without_one(listed):
    assert [a.action for a in checks.check(uscc(1), "lending").measures] == ["warn"]
    assert checks.check(uscc(1), "lending").exit_code == 3
    assert checks.check(uscc(1), "honours").measures == []
    assert sorted(a.action for a in checks.check(uscc(1)).measures) == ["block", "warn"]


def test_a_red_listed_subject_gets_rewards_and_no_block(listed):
    result = checks.check(uscc(2), "administrative_licensing")
    assert result.hit and not result.blocking and result.exit_code == 3
    assert [(a.effect, a.action) for a in result.measures] == [("reward", "green_channel")]


def test_nobody_listed_means_no_hits(listed):
    result = checks.check(uscc(9), "administrative_licensing")
    assert (result.hit, result.blocking, result.exit_code, result.memberships) == (False, False, 0, [])


def test_removed_expired_and_future_entries_do_not_count(listed, city, today):
    from yingshang.credit.services.lists import do_remove

    do_remove(city.officer, listed["debtor_entry"].pk, reason="repair", note="已修复")
    assert not checks.check(uscc(1)).hit
    designate(city.officer, listed["debtor"], uscc(5), valid_from=date(2026, 12, 1))
    assert not checks.check(uscc(5)).hit
    today(date(2026, 12, 1))
    assert checks.check(uscc(5)).hit


def test_persons_are_checked_by_resident_id_and_shown_masked(listed, city):
    number = resident_id(4)
    designate(city.officer, listed["debtor"], number, name="张三")
    result = checks.check(number, "administrative_licensing")
    assert result.blocking and result.subject_name == "张*" and number not in result.identifier
    assert number not in str(result.as_dict())


def test_bad_codes_and_scenarios_are_invalid_input(listed):
    with pytest.raises(InvalidInput) as exc:
        checks.check("91610802ABCDEFGHIJ")
    assert exc.value.code == "credit.identifier_invalid"
    with pytest.raises(InvalidInput) as exc:
        checks.check(uscc(1), "picnic")
    assert exc.value.code == "credit.scenario_invalid"
    with pytest.raises(InvalidInput):
        checks.check("")


def test_a_warm_check_is_one_query(listed):
    checks.check(uscc(1), "administrative_licensing")
    with assert_max_queries(1):
        checks.check(uscc(1), "administrative_licensing")
    with assert_max_queries(1):
        checks.check(uscc(9), "administrative_licensing")


def test_a_changed_measure_is_seen_by_the_next_check(listed):
    assert checks.check(uscc(1), "administrative_licensing").blocking
    # Saved by another process: no signal here, only the row (with its new updated_at) changes.
    Measure.objects.filter(pk=listed["block"].pk).update(is_active=False, updated_at=timezone.now())
    checks.CACHE._checked = 0  # that process's change is noticed at the next recheck
    assert not checks.check(uscc(1), "administrative_licensing").blocking
    listed["block"].refresh_from_db()
    listed["block"].is_active = True
    listed["block"].save()  # in this process: the signal drops the cache at once
    assert checks.check(uscc(1), "administrative_licensing").blocking


def test_memoranda_out_of_force_do_not_apply(listed, today):
    memo = listed["block"].memorandum
    memo.effective_from = date(2027, 1, 1)
    memo.save()
    assert checks.check(uscc(1), "administrative_licensing").measures == []
    today(date(2027, 1, 1))
    assert checks.check(uscc(1), "administrative_licensing").blocking


def test_the_acceptance_hook_returns_check_hits_blocking_when_a_measure_blocks(listed):
    hits = ACCEPTANCE_CHECKS.run(identifier=uscc(1), name="失信企业有限公司", item_code="X", scenario="administrative_licensing")
    credit_hits = [h for h in hits if h.source == "credit"]
    assert len(credit_hits) == 1 and isinstance(credit_hits[0], CheckHit)
    hit = credit_hits[0]
    assert hit.blocking and hit.code == "credit.black_list" and "失信被执行人" in hit.message
    assert hit.details["measures"][0]["action"] == "block"
    red = checks.acceptance_hits(identifier=uscc(2), scenario="administrative_licensing")
    assert [(h.code, h.blocking) for h in red] == [("credit.red_list", False)]
    other = checks.acceptance_hits(identifier=uscc(1), scenario="government_service")
    assert [(h.code, h.blocking) for h in other] == [("credit.black_list", False)]
    assert checks.acceptance_hits(identifier=uscc(9), scenario="administrative_licensing") == []
    bad = checks.acceptance_hits(identifier="123", scenario="administrative_licensing")
    assert bad[0].code == "credit.identifier_invalid" and not bad[0].blocking


def test_feedback_records_a_measure_applied_and_is_audited(listed, city):
    fb = checks.do_record_feedback(city.clerk, identifier=uscc(1), measure_id=listed["block"].pk,
                                   scenario="administrative_licensing", reference="SL2026000001")
    assert fb.list_entry == listed["debtor_entry"] and fb.department == city.hall and fb.outcome == "applied"
    assert AuditEntry.objects.filter(action="credit.feedback.record", object_id=str(fb.pk)).exists()


def test_feedback_for_a_measure_that_does_not_apply_is_refused(listed, city):
    with pytest.raises(NotFound):
        checks.do_record_feedback(city.clerk, identifier=uscc(1), measure_id=listed["green"].pk,
                                  scenario="administrative_licensing")
    with pytest.raises(InvalidInput):
        checks.do_record_feedback(city.clerk, identifier=uscc(1), measure_id=listed["block"].pk,
                                  scenario="administrative_licensing", outcome="not_applied")
    with pytest.raises(PermissionDenied):
        checks.do_record_feedback(city.citizen, identifier=uscc(1), measure_id=listed["block"].pk,
                                  scenario="administrative_licensing")
    assert not Feedback.objects.exists()

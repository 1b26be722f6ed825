"""The status machine: every status × action is either allowed (to a given status) or refused.

The expected table is written out here independently of `rules.TRANSITIONS`, from the law:
行政许可法 Art. 32 (accept, correct once, refuse), Art. 38 (decide), Art. 42 (extend), Art. 45
(suspend); 容缺受理 and 告知承诺 per the glossary; withdrawal until a decision.
"""

import itertools

import pytest
from django.db import transaction

from tests.cases.conftest import all_provided, window_case
from tests.factories import UserFactory
from yingshang.cases import rules
from yingshang.cases.models import Case, CaseStep
from yingshang.cases.services import acceptance, applications, clock, lifecycle, review
from yingshang.kernel.errors import Conflict

R = ("accepted", "accepted_pending", "in_review")
EXPECTED = {
    ("draft", "submit"): "submitted",
    ("draft", "withdraw"): "withdrawn",
    ("submitted", "request_correction"): "correction_requested",
    ("submitted", "accept"): "accepted",
    ("submitted", "accept_with_pending"): "accepted_pending",
    ("submitted", "refuse"): "refused",
    ("submitted", "commitment_approval"): "approved",
    ("submitted", "withdraw"): "withdrawn",
    ("correction_requested", "supplement"): "submitted",
    ("correction_requested", "refuse"): "refused",
    ("correction_requested", "withdraw"): "withdrawn",
    ("accepted_pending", "supplement"): "accepted",
    ("in_review", "supplement"): "in_review",
    ("in_review", "step_return"): "in_review",
    ("accepted", "decide_approve"): "approved",
    ("in_review", "decide_approve"): "approved",
    ("approved", "issue"): "issued",
    ("approved", "conclude"): "concluded",
    ("issued", "conclude"): "concluded",
    ("denied", "conclude"): "concluded",
    **{(s, "step_approve"): "in_review" for s in R},
    **{(s, "step_deny"): "denied" for s in R},
    **{(s, "decide_deny"): "denied" for s in R},
    **{(s, a): s for s in R for a in ("suspend", "resume", "request_extension", "approve_extension", "reject_extension")},
    **{(s, "withdraw"): "withdrawn" for s in R},
    **{(s, "stop"): "stopped" for s in R},
}
ALL_PAIRS = list(itertools.product(rules.STATUSES, rules.ACTIONS))


def test_every_status_and_action_is_named():
    assert len(rules.STATUSES) == 13 and len(rules.ACTIONS) == 21
    assert set(rules.STATUS_LABELS) == set(rules.STATUSES)


@pytest.mark.parametrize(("status", "action"), ALL_PAIRS, ids=[f"{s}-{a}" for s, a in ALL_PAIRS])
def test_transition_is_allowed_exactly_as_the_table_says(status, action):
    expected = EXPECTED.get((status, action))
    assert rules.WORKFLOW.allowed(status, action) is (expected is not None)
    assert rules.WORKFLOW.target(status, action) == expected


def test_final_statuses_allow_nothing():
    for status in ("refused", "concluded", "withdrawn", "stopped"):
        assert rules.WORKFLOW.allowed_actions(status) == []
        assert "该办件已结束" in rules.WORKFLOW.refusal_message(status, "accept")


def test_refusal_message_names_the_state_and_what_is_possible():
    message = rules.WORKFLOW.refusal_message("submitted", "decide_approve")
    assert "待受理" in message and "作出准予许可决定" in message and "受理" in message


# --- The services enforce the table -------------------------------------------------------------
def _service_calls(user, case: Case, step: CaseStep):
    m = case.materials.first().material_id
    rv = case.row_version
    return {
        "submit": lambda: applications.do_submit(user, case.pk, rv),
        "request_correction": lambda: acceptance.do_request_correction(user, case.pk, rv, items=[(None, "缺少签字")]),
        "supplement": lambda: acceptance.do_supplement(user, case.pk, rv, material_ids=[m]),
        "accept": lambda: acceptance.do_accept(user, case.pk, rv),
        "accept_with_pending": lambda: acceptance.do_accept_with_pending(user, case.pk, rv, materials={}, supplement_days=5),
        "refuse": lambda: acceptance.do_refuse(user, case.pk, rv, reason="不属于本机关职权", legal_basis="第三十二条"),
        "commitment_approval": lambda: acceptance.do_commitment_approval(user, case.pk, rv),
        "step_approve": lambda: review.do_step_approve(user, step.pk, rv),
        "step_deny": lambda: review.do_step_deny(user, step.pk, rv, reason="不符合", legal_basis="第三十八条"),
        "step_return": lambda: review.do_step_return(user, step.pk, rv, reason="重新审查"),
        "decide_approve": lambda: review.do_decide(user, case.pk, rv, approve=True, legal_basis="食品安全法"),
        "decide_deny": lambda: review.do_decide(user, case.pk, rv, approve=False, reason="不符合", legal_basis="食品安全法"),
        "suspend": lambda: clock.do_suspend(user, case.pk, rv, kind="testing", reason="检验"),
        "resume": lambda: clock.do_resume(user, case.pk, rv),
        "request_extension": lambda: clock.do_request_extension(user, case.pk, rv, days=2, reason="情况复杂"),
        "approve_extension": lambda: clock.do_decide_extension(user, case.pk, rv, approve=True),
        "reject_extension": lambda: clock.do_decide_extension(user, case.pk, rv, approve=False, note="不同意"),
        "withdraw": lambda: lifecycle.do_withdraw(user, case.pk, rv),
        "stop": lambda: lifecycle.do_stop(user, case.pk, rv, reason="申请人已注销"),
    }


@pytest.mark.django_db
def test_services_refuse_every_action_the_table_does_not_allow(city, food, official_calendar):
    """Each not-allowed (status, action) pair is refused by its service with case.transition_not_allowed.

    (`issue` and `conclude` belong to the issuance work; only the table covers them here.)
    """
    everyone = UserFactory(role_codes=["window_clerk", "dept_reviewer", "dept_head"], department=city.scjg)
    case = window_case(city, food, materials=all_provided(food))
    step = CaseStep.objects.create(case=case, stage=2, name="审查", step_kind="review", department=city.scjg)
    refused = 0
    for status in rules.STATUSES:
        Case.objects.filter(pk=case.pk).update(status=status)
        case.refresh_from_db()
        for action, call in _service_calls(everyone, case, step).items():
            if rules.WORKFLOW.allowed(status, action):
                continue
            with pytest.raises(Conflict) as caught, transaction.atomic():
                call()
            assert caught.value.code == "case.transition_not_allowed", (status, action, caught.value.message)
            refused += 1
    calls = _service_calls(everyone, case, step)
    assert refused == sum(1 for s in rules.STATUSES for a in calls if not rules.WORKFLOW.allowed(s, a))

"""The catalog's rules, from the sources' own numbers (行政许可法 Art. 42; the seeds' 50 % compression)."""

from dataclasses import replace
from decimal import Decimal

import pytest

from yingshang.catalog import rules
from yingshang.catalog.rules import FeeFacts, MaterialFacts, StepFacts, VersionFacts

OWNER = "610800-SCJG"


def facts(**changes) -> VersionFacts:
    base = VersionFacts(
        name="食品经营许可", item_type="administrative_license", legal_basis="《中华人民共和国食品安全法》第三十五条",
        kind="committed", statutory_limit_days=10, committed_limit_days=5, owner=OWNER,
        steps=(StepFacts("受理", OWNER, 1, 0), StepFacts("审查", OWNER, 2, 3), StepFacts("决定", OWNER, 3, 2)),
        materials=(MaterialFacts("申请书", True, False), MaterialFacts("食品安全管理制度", True, True)),
        do_online=True, at_most_one_visit=True, visits_needed=1, channels=("window", "online"),
    )
    return replace(base, **changes)


def codes(f: VersionFacts) -> set[str]:
    return {p.code for p in rules.problems(f)}


def test_a_well_formed_item_has_no_problems():
    assert rules.problems(facts()) == []


def test_article_42_default_is_20_working_days_and_45_for_joint_handling():
    assert rules.default_statutory_limit("committed") == 20
    assert rules.default_statutory_limit("immediate") == 20
    assert rules.default_statutory_limit("joint") == 45
    assert rules.effective_statutory_limit(None, "committed") == 20
    assert rules.effective_statutory_limit(7, "joint") == 7


def test_committed_limit_over_statutory_is_rejected_with_both_numbers():
    problems = rules.problems(facts(committed_limit_days=12, statutory_limit_days=10,
                                    steps=(StepFacts("审查", OWNER, 1, 12),)))
    [problem] = [p for p in problems if p.code == "catalog.committed_exceeds_statutory"]
    assert problem.field == "committed_limit_days" and "12" in problem.message and "10" in problem.message


def test_committed_equal_to_statutory_is_allowed():
    assert "catalog.committed_exceeds_statutory" not in codes(facts(statutory_limit_days=5, committed_limit_days=5))


def test_without_a_statutory_limit_the_article_42_default_caps_the_commitment():
    assert "catalog.committed_exceeds_statutory" in codes(facts(statutory_limit_days=None, committed_limit_days=21,
                                                                steps=(StepFacts("审查", OWNER, 1, 21),)))
    assert "catalog.committed_exceeds_statutory" not in codes(facts(statutory_limit_days=None, committed_limit_days=20,
                                                                    steps=(StepFacts("审查", OWNER, 1, 20),)))


def test_compression_against_the_seed_target_of_half():
    assert rules.compression(20, 5, "committed") == 0.75
    assert rules.meets_compression_target(10, 5, "committed")
    assert not rules.meets_compression_target(10, 6, "committed")
    assert rules.compression(None, 9, "joint") == 0.8  # 45-day default of joint handling


@pytest.mark.parametrize(("limit", "ok"), [(0, True), (1, True), (2, False)])
def test_immediate_items_conclude_the_same_or_next_working_day(limit, ok):
    f = facts(kind="immediate", committed_limit_days=limit, steps=(StepFacts("受理并办结", OWNER, 1, limit),))
    assert ("catalog.immediate_limit" not in codes(f)) is ok


def test_committed_and_joint_items_need_at_least_one_day():
    f = facts(committed_limit_days=0, steps=(StepFacts("受理", OWNER, 1, 0),))
    assert "catalog.committed_limit_zero" in codes(f)


def test_joint_item_needs_two_departments_including_the_lead():
    alone = facts(kind="joint", departments=(OWNER,))
    assert "catalog.joint_needs_departments" in codes(alone)
    without_lead = facts(kind="joint", departments=("610800-WJ", "610800-SW"),
                         steps=(StepFacts("审查", "610800-WJ", 1, 1), StepFacts("登记", "610800-SW", 1, 1)))
    assert "catalog.joint_owner_missing" in codes(without_lead)


def test_a_joint_item_with_parallel_steps_of_each_department_is_valid():
    f = facts(kind="joint", statutory_limit_days=None, committed_limit_days=6, departments=(OWNER, "610800-WJ"),
              steps=(StepFacts("受理", OWNER, 1, 0), StepFacts("许可审查", OWNER, 2, 5), StepFacts("卫生审查", "610800-WJ", 2, 5),
                     StepFacts("出件", OWNER, 3, 1)))
    assert rules.problems(f) == []
    assert rules.stages_total_days(f.steps) == 6  # parallel steps count once, by the longest


def test_only_joint_items_involve_other_departments():
    assert "catalog.departments_not_joint" in codes(facts(departments=(OWNER, "610800-WJ")))


def test_every_joint_department_must_have_a_step():
    f = facts(kind="joint", committed_limit_days=6, departments=(OWNER, "610800-WJ"),
              steps=(StepFacts("受理", OWNER, 1, 0), StepFacts("审查", OWNER, 2, 5)))
    assert "catalog.joint_department_without_step" in codes(f)


def test_steps_must_fit_in_the_committed_limit_and_belong_to_item_departments():
    assert "catalog.steps_exceed_limit" in codes(facts(steps=(StepFacts("审查", OWNER, 1, 4), StepFacts("决定", OWNER, 2, 2))))
    assert "catalog.step_department" in codes(facts(steps=(StepFacts("审查", "610800-WJ", 1, 1),)))
    assert "catalog.steps_missing" in codes(facts(steps=()))


def test_parallel_steps_of_one_stage_are_in_different_departments():
    f = facts(steps=(StepFacts("审查一", OWNER, 1, 1), StepFacts("审查二", OWNER, 1, 1)))
    assert "catalog.parallel_same_department" in codes(f)


def test_zero_visit_means_no_visit_and_an_online_channel():
    assert "catalog.zero_visit_visits" in codes(facts(zero_visit=True, visits_needed=1))
    assert "catalog.no_visit_not_flagged" in codes(facts(visits_needed=0))
    offline = facts(zero_visit=True, visits_needed=0, do_online=False, channels=("window",), at_most_one_visit=False)
    assert "catalog.zero_visit_online" in codes(offline)
    assert rules.problems(facts(zero_visit=True, visits_needed=0)) == []


def test_at_most_one_visit_and_do_once_allow_one_visit():
    assert "catalog.one_visit_visits" in codes(facts(visits_needed=2))
    assert "catalog.do_once_visits" in codes(facts(do_once=True, at_most_one_visit=False, visits_needed=2))


def test_do_now_items_are_immediate_and_do_online_items_have_an_online_channel():
    assert "catalog.do_now_immediate" in codes(facts(do_now=True))
    assert "catalog.online_channel" in codes(facts(channels=("window",)))


def test_only_required_materials_may_be_pending_and_names_are_unique():
    f = facts(materials=(MaterialFacts("申请书", False, True), MaterialFacts("申请书", True, False)))
    assert {"catalog.pending_not_required", "catalog.material_repeated"} <= codes(f)


def test_fee_amounts_are_positive_or_absent():
    assert "catalog.fee_amount" in codes(facts(fees=(FeeFacts("工本费", Decimal("0")),)))
    assert rules.problems(facts(fees=(FeeFacts("工本费", None), FeeFacts("登记费", Decimal("80"))))) == []


def test_legal_basis_is_required_except_for_convenience_services():
    assert "catalog.legal_basis_missing" in codes(facts(legal_basis=" "))
    assert "catalog.legal_basis_missing" not in codes(facts(legal_basis="", item_type="convenience_service"))


def test_all_problems_are_reported_at_once():
    bad = facts(name="", committed_limit_days=30, visits_needed=3, zero_visit=True, steps=())
    assert len(rules.problems(bad)) >= 4


@pytest.mark.parametrize(("code", "ok"), [("610800-XK-0001", True), ("11610800MB1234567X", True), ("abc", False),
                                          ("610800 XK", False), ("-X12", False), ("A" * 65, False)])
def test_item_code_format(code, ok):
    assert rules.valid_item_code(code) is ok


@pytest.mark.parametrize(("division", "level"), [("610800", "city"), ("610802", "district"), ("610881", "district"),
                                                 ("610000", "province"), ("61080", None), ("", None)])
def test_level_of_a_gb2260_division_code(division, level):
    assert rules.level_of_division(division) == level

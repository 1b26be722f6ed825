"""Cases ready for issuance: approved (every review step approved, decided) or denied."""

from django.db import transaction

from tests.cases.conftest import accepted_case
from yingshang.cases.models import Case
from yingshang.cases.services import issuance, review

REVIEWERS = ("reviewer_scjg", "reviewer_wj", "reviewer_sw")


def approved_case(city, version, **kwargs) -> Case:
    case = accepted_case(city, version, **kwargs)
    for _ in range(10):  # stage by stage
        active = list(case.steps.filter(status="active").select_related("department"))
        if not active:
            break
        for step in active:
            user = next(getattr(city, r) for r in REVIEWERS if getattr(city, r).department_id == step.department_id)
            case.refresh_from_db()
            with transaction.atomic():
                review.do_step_approve(user, step.pk, case.row_version, reason="符合要求")
    case.refresh_from_db()
    with transaction.atomic():
        review.do_decide(city.reviewer_scjg, case.pk, case.row_version, approve=True,
                         legal_basis="《中华人民共和国食品安全法》第三十五条")
    case.refresh_from_db()
    return case


def denied_case(city, version, **kwargs) -> Case:
    case = accepted_case(city, version, **kwargs)
    with transaction.atomic():
        review.do_decide(city.reviewer_scjg, case.pk, case.row_version, approve=False, reason="经营场所不符合要求",
                         legal_basis="《中华人民共和国食品安全法》第三十五条")
    case.refresh_from_db()
    return case


def issued_case(city, version, **kwargs) -> Case:
    case = approved_case(city, version, **kwargs)
    with transaction.atomic():
        issuance.do_issue(city.reviewer_scjg, case.pk, case.row_version)
    case.refresh_from_db()
    return case

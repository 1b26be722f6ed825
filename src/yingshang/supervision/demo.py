"""The demo city's supervision data (`yingshang demo`): decided cases over the last two months, ratings
of the demo's concluded cases, bad ones with a rectification in every state, and the statistics.

The extra cases go through the cases app's services with backdated dates (as its own demo does), on
items whose review steps all belong to a department that has a demo reviewer, so that the report, the
charts and the ranking have several departments to show; one is the demo citizen's own online case,
left unrated for the "my ratings" page. Idempotent: extra cases carry the phone prefix below and are
made only once; a case already rated is never rated again. With no concluded case and no usable item
(the cases or catalog demo did not run) the seeder adds nothing.
"""

from __future__ import annotations

import logging
from datetime import date

from django.db import transaction
from django.utils import timezone

from yingshang.cases.models import Case
from yingshang.kernel import clock
from yingshang.kernel.demo import DemoReport, seeder
from yingshang.kernel.errors import ServiceError
from yingshang.kernel.services.calendar import add_working_days
from yingshang.supervision import rules
from yingshang.supervision.models import Rating
from yingshang.supervision.services import ratings, rectifications, rollup

logger = logging.getLogger("yingshang.supervision")
PHONE_PREFIX = "1379128"
DEMO_CASE_PREFIXES = ("1379128", "1379129")  # ours and the cases app's demo
# (working days ago accepted, working days to decide, approve?) for each extra case, oldest first.
SCHEDULE = ((42, 2, True), (40, 6, True), (37, 3, False), (35, 2, True), (33, 9, True), (30, 2, True), (28, 3, True),
            (26, 1, True), (24, 4, True), (21, 2, True), (19, 8, True), (17, 2, True), (15, 3, False), (13, 2, True),
            (11, 2, True), (9, 3, True), (7, 2, True), (5, 1, True), (4, 1, True), (3, 1, True))
SCORES = (2, 5, 4, 5, 1, 5, 5, 3, 4, 2, 5, 5, 4, 1, 5, 5, 2, 4, 5, 5)  # newest case first
COMMENTS = {5: "窗口人员耐心细致，一次办好", 4: "办理顺利，材料说明清楚", 3: "能办成，但等待时间较长",
            2: "补正要求前后不一致，多跑了一趟", 1: "超过承诺时限仍未通知，电话无人接听"}


def _day(today: date, working_days_ago: int) -> date:
    return add_working_days(today, -working_days_ago).date if working_days_ago else today


def _reviewers() -> dict[int, object]:
    from yingshang.kernel.models import User

    found: dict[int, object] = {}
    for user in (User.objects.filter(is_active=True, roles__code="dept_reviewer", department__isnull=False)
                 .select_related("department").order_by("username")):
        found.setdefault(user.department_id, user)
    return found


def _items(today: date, reviewers: dict[int, object]) -> list[str]:
    """Committed items in force whose review steps are all in the owner's department, one per department."""
    from yingshang.catalog.models import ServiceItem
    from yingshang.catalog.services import version_in_force

    chosen, seen = [], set()
    for item in ServiceItem.objects.filter(department_id__in=list(reviewers)).order_by("code"):
        version = version_in_force(item, today)
        if (version is None or item.department_id in seen or version.kind != "committed" or version.notify_and_commit
                or version.committed_limit_days < 2):
            continue
        departments = {s.department_id for s in version.steps.exclude(step_kind__in=("accept", "issue"))}
        if departments == {item.department_id}:
            chosen.append(item.code)
            seen.add(item.department_id)
    return chosen


def _decide(case: Case, day: date, approve: bool, reviewers: dict[int, object]) -> None:
    from yingshang.cases.services import review

    def version() -> int:
        return Case.objects.filter(pk=case.pk).values_list("row_version", flat=True).get()

    with clock.as_of(day):
        for _stage in range(5):  # approve stage by stage until no review step is active
            active = list(case.steps.filter(status="active").exclude(step_kind__in=("accept", "issue")))
            if not active:
                break
            for step in active:
                with transaction.atomic():
                    review.do_step_approve(reviewers[step.department_id], step.pk, version(), reason="材料齐全，符合法定条件")
        owner = reviewers[case.department_id]
        with transaction.atomic():
            review.do_decide(owner, case.pk, version(), approve=approve, legal_basis="依据该事项的设定依据",
                             reason="" if approve else "现场核查发现经营条件不符合要求")


def _extra_cases(today: date) -> int:
    from yingshang.cases.services import acceptance, applications
    from yingshang.kernel.models import User

    if Case.objects.filter(phone__startswith=PHONE_PREFIX).exists():
        return 0
    reviewers = _reviewers()
    codes = _items(today, reviewers)
    clerk = User.objects.filter(username="clerk", is_active=True).first()
    citizen = User.objects.filter(username="zhangwei", is_active=True).first()
    if not codes or clerk is None:
        return 0
    _backdate(codes, _day(today, SCHEDULE[0][0] + 5))
    made = 0
    for index, (ago, days, approve) in enumerate(SCHEDULE):
        code, accepted_on = codes[index % len(codes)], _day(today, ago)
        applicant = applications.ApplicantData("enterprise", f"榆林市演示{index + 1:02d}商贸有限公司",
                                               _uscc(index), phone=f"{PHONE_PREFIX}{index:04d}")
        try:
            with clock.as_of(accepted_on), transaction.atomic():
                case = applications.do_create_application(clerk, code, applicant=applicant, materials=_all(code, accepted_on))
                acceptance.do_accept(clerk, case.pk, case.row_version)
            _decide(case, min(add_working_days(accepted_on, days).date, today), approve, reviewers)
        except ServiceError as exc:  # an item the workflow refuses (e.g. materials rules): skip it, say why
            logger.warning("supervision demo: case on %s not made: %s", code, exc.message)
            continue
        made += 1
    if citizen is not None:
        made += _citizen_case(citizen, codes, today, reviewers)
    return made


def _citizen_case(citizen, codes: list[str], today: date, reviewers) -> int:
    """The demo citizen's own online application, decided, left for them to rate."""
    from yingshang.cases.services import acceptance, applications
    from yingshang.kernel.models import User

    clerk = User.objects.get(username="clerk")
    accepted_on = _day(today, 3)
    for code in codes:
        try:
            with clock.as_of(accepted_on), transaction.atomic():
                case = applications.do_create_application(citizen, code, materials=_all(code, accepted_on))
                Case.objects.filter(pk=case.pk).update(phone=f"{PHONE_PREFIX}9999")
                acceptance.do_accept(clerk, case.pk, None)
            _decide(case, _day(today, 1), True, reviewers)
        except ServiceError:
            continue  # not offered online: try the next item
        return 1
    return 0


def _all(code: str, day: date) -> dict[int, str]:
    from yingshang.catalog.models import ServiceItem
    from yingshang.catalog.services import version_in_force

    version = version_in_force(ServiceItem.objects.get(code=code), day)
    return {m.pk: "provided" for m in version.materials.all()}


def _uscc(index: int) -> str:
    import random

    from yingshang.kernel.rules.identifiers import generate_uscc

    return generate_uscc(random.Random(8800 + index), division_code="610802", authority="9", category="1")


def _backdate(codes, since: date) -> None:
    from yingshang.catalog.models import ServiceItemVersion

    ServiceItemVersion.objects.filter(item__code__in=codes, number=1, status="published", valid_from__gt=since).update(
        valid_from=since)


def _rate_all(today: date) -> tuple[int, list[Rating]]:
    """Rate every concluded demo case without a rating (not the citizen's own: theirs to rate)."""
    cases = (Case.objects.filter(status__in=rules.RATEABLE_STATUSES, rating__isnull=True, decided_on__isnull=False)
             .exclude(phone=f"{PHONE_PREFIX}9999").order_by("decided_on", "id"))
    cases = [c for c in cases.select_related("department") if (c.phone or "").startswith(DEMO_CASE_PREFIXES)]
    bad = []
    for index, case in enumerate(cases):
        score = SCORES[(len(cases) - 1 - index) % len(SCORES)]  # the newest gets a 差评 that stays open
        day = min(add_working_days(case.decided_on, 1).date, today)
        with clock.as_of(day), transaction.atomic():
            rating = ratings.record_rating(case, score, COMMENTS[score], Rating.Channel.LOOKUP, None)
        if rules.is_bad(score):
            bad.append(rating)
    return len(cases), bad


def _work_rectifications(bad: list[Rating], today: date) -> None:
    """Oldest bad rating: left to go overdue; then closed, responded, returned; the newest stays open."""
    from yingshang.kernel.models import User

    supervisor = User.objects.filter(username="supervisor", is_active=True).first()
    reviewers = _reviewers()
    plan = ["overdue", "closed", "responded", "returned", "closed"]
    for rating, state in zip(bad[:-1], plan, strict=False):
        rect = rating.rectification
        reviewer = reviewers.get(rect.department_id)
        if state == "overdue" or reviewer is None or supervisor is None:
            continue
        answer_day = min(add_working_days(rect.opened_on, 2).date, today)
        with clock.as_of(answer_day), transaction.atomic():
            rectifications.do_respond(reviewer, rect.pk, None, response="已电话回访申请人，情况属实",
                                      measures="统一补正告知口径，对窗口人员进行业务培训，并向申请人致歉")
        if state in ("closed", "returned"):
            with clock.as_of(min(add_working_days(answer_day, 1).date, today)), transaction.atomic():
                if state == "closed":
                    rectifications.do_close(supervisor, rect.pk, None, note="整改措施具体，同意办结")
                else:
                    rectifications.do_return(supervisor, rect.pk, None, note="未说明今后如何避免，请补充整改措施")
    rectifications.mark_overdue(today)


@seeder("supervision", order=60)
def seed_supervision(report: DemoReport, today: date | None = None) -> None:
    today = today or timezone.localdate()
    made = _extra_cases(today)
    rated, bad = _rate_all(today)
    _work_rectifications(bad, today)
    if not made and not rated and not Rating.objects.exists():
        report.lines.append("电子监察：没有已办结的演示办件，未生成评价")
        return
    refreshed = rollup.refresh(full=True, today=today)
    report.lines.append(f"电子监察：新增已办结演示办件 {made} 件、评价 {rated} 条（差评 {len(bad)} 条并派发整改）；"
                        f"统计 {refreshed.rows} 行；电子监察 /supervision/，评价办件 /supervision/rate/")

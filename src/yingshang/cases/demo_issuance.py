"""The demo city's issuance (`yingshang demo`): licences issued and delivered, e-licences in the demo
applicants' wallets (log in as `zhangwei` or `hengtai`: 我的证照).

Runs after the cases demo (order 50) and before the ratings demo (order 60, which rates concluded cases).
Idempotent: its own cases carry the phone prefix below; when one exists, nothing is added.
"""

from __future__ import annotations

import logging
import random
from datetime import date, timedelta

from django.db import transaction

from yingshang.cases import rules
from yingshang.cases.models import Case
from yingshang.cases.services import acceptance, applications, issuance, review
from yingshang.kernel import clock
from yingshang.kernel.context import acting_as, actor_for
from yingshang.kernel.demo import DemoReport, seeder
from yingshang.kernel.errors import ServiceError
from yingshang.kernel.services.calendar import add_working_days

logger = logging.getLogger("yingshang.cases")
PHONE_PREFIX = "1379127"
FOOD, HYGIENE = "610800-XK-0001", "610800-XK-0101"  # 食品经营许可证; 公共场所卫生许可证 (告知承诺)


def _act(day: date, func, user, *args, **kwargs):
    with acting_as(actor_for(user)), clock.as_of(day), transaction.atomic():
        return func(user, *args, **kwargs)


def _rv(case: Case) -> int:
    return Case.objects.filter(pk=case.pk).values_list("row_version", flat=True).get()


def _day(today: date, ago: int) -> date:
    return add_working_days(today, -ago).date if ago else today


class _Flow:
    def __init__(self, users: dict, today: date):
        self.u, self.today = users, today

    def online(self, applicant, code: str, day: date) -> Case:
        from yingshang.catalog.models import ServiceItem
        from yingshang.catalog.services import version_in_force

        version = version_in_force(ServiceItem.objects.get(code=code), day)
        materials = {m.pk: "provided" for m in version.materials.all()}
        case = _act(day, applications.do_create_application, applicant, code, materials=materials)
        Case.objects.filter(pk=case.pk).update(phone=f"{PHONE_PREFIX}{case.pk % 10000:04d}")
        return case

    def approve(self, case: Case, day: date) -> None:
        _act(day, acceptance.do_accept, self.u["clerk"], case.pk, _rv(case))
        for _stage in range(5):
            active = list(case.steps.filter(status="active"))
            if not active:
                break
            for step in active:
                _act(day, review.do_step_approve, self.u["reviewer_scjg"], step.pk, _rv(case), reason="材料齐全，符合法定条件")
        _act(day, review.do_decide, self.u["reviewer_scjg"], case.pk, _rv(case), approve=True,
             legal_basis="《中华人民共和国食品安全法》第三十五条")

    def issue(self, case: Case, day: date, user="reviewer_scjg") -> None:
        _act(day, issuance.do_issue, self.u[user], case.pk, _rv(case))

    def pickup(self, case: Case, day: date, name: str, id_number: str, clerk="clerk_yy") -> None:
        _act(day, issuance.do_deliver_pickup, self.u[clerk], case.pk, _rv(case), picked_up_by=name, id_number=id_number)

    def express(self, case: Case, day: date, tracking_no: str, recipient: str, address: str) -> None:
        _act(day, issuance.do_deliver_express, self.u["clerk"], case.pk, _rv(case), carrier="ems", tracking_no=tracking_no,
             recipient=recipient, phone="13791270001", address=address)


def _s10(serial: int) -> str:
    from yingshang.cases.rules_issuance import s10_check_digit

    body = f"{serial:08d}"
    return f"EA{body}{s10_check_digit(body)}CN"


@seeder("issuance", order=50)
def seed_issuance(report: DemoReport, today: date | None = None) -> None:
    from yingshang.kernel.models import User
    from yingshang.kernel.rules.identifiers import generate_resident_id

    if Case.objects.filter(phone__startswith=PHONE_PREFIX).exists():
        report.lines.append("统一出件：演示数据已存在，未重复生成")
        return
    users = {u.username: u for u in User.objects.select_related("department").filter(
        username__in=("clerk", "clerk_yy", "reviewer_scjg", "reviewer_wj", "zhangwei", "hengtai"), is_active=True)}
    if not {"clerk", "clerk_yy", "reviewer_scjg"} <= set(users):
        return
    today = today or clock.today()
    flow, made = _Flow(users, today), 0
    from yingshang.catalog.models import ServiceItemVersion

    ServiceItemVersion.objects.filter(item__code__in=(FOOD, HYGIENE), number=1, status="published",
                                      valid_from__gt=today - timedelta(days=90)).update(valid_from=today - timedelta(days=90))
    try:
        # Approved cases of the cases demo: issue them; the oldest is sent by express.
        approved = list(Case.objects.filter(status=rules.APPROVED, item__code=FOOD).order_by("id")[:2])
        for i, case in enumerate(approved):
            flow.issue(case, _day(today, 6))
            if i == 0:
                flow.express(case, _day(today, 5), _s10(20260001 + case.pk), case.applicant_name, "榆林市榆阳区长城南路 12 号")
            made += 1
        for who in ("zhangwei", "hengtai"):
            applicant = users.get(who)
            if applicant is None:
                continue
            # One concluded (picked up in the district hall) and one issued, waiting to be collected.
            first = flow.online(applicant, FOOD, _day(today, 12))
            flow.approve(first, _day(today, 10))
            flow.issue(first, _day(today, 9))
            collector = generate_resident_id(random.Random(first.pk), division_code="610802")  # an agent collects it
            flow.pickup(first, _day(today, 8), "王强", collector)
            second = flow.online(applicant, FOOD, _day(today, 5))
            flow.approve(second, _day(today, 3))
            flow.issue(second, _day(today, 2))
            made += 2
    except ServiceError as exc:  # the catalog demo did not run or an item changed: keep what was made
        logger.warning("issuance demo stopped: %s", exc.message)
    report.lines.append(f"统一出件：{made} 件出件（电子证照见 zhangwei / hengtai 的“我的证照” /licences/）")

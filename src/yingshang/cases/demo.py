"""The demo city's cases (`yingshang demo`): cases in every state on the catalog's demo items, made
through the services with backdated dates — some overdue, some suspended, some accepted with pending
materials, a joint item in parallel review, a notify-and-commit approval.

Idempotent: demo applicants carry the phone prefix below; when any case has it, nothing is added.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction

from yingshang.cases.models import Case
from yingshang.cases.services import acceptance, applications, lifecycle, review
from yingshang.cases.services import clock as case_clock
from yingshang.cases.services.sweep import run_sweep
from yingshang.kernel import clock
from yingshang.kernel.context import acting_as, actor_for
from yingshang.kernel.demo import DemoReport, seeder
from yingshang.kernel.rules.identifiers import generate_resident_id, generate_uscc
from yingshang.kernel.services.calendar import add_working_days

PHONE_PREFIX = "1379129"
COMPANIES = ("榆林市恒泰能源科技有限公司", "榆林市驼城餐饮管理有限公司", "神木市兴隆煤业有限公司", "榆林市塞上商贸有限公司",
             "榆林市金鼎建筑工程有限公司", "府谷县鑫源化工有限公司", "榆林市秦川文化传媒有限公司", "榆林市华宇物流有限公司")
PEOPLE = ("张伟", "李娜", "王芳", "刘洋", "陈静", "杨帆", "赵磊", "黄敏")
EXTRA_STAFF = (  # reviewers for the departments a joint demo item involves (the kernel seeds three)
    ("reviewer_ga", "马超", "610800-GA"), ("reviewer_sw", "何静", "610800-SW"), ("reviewer_zj", "罗斌", "610800-ZJ"),
    ("reviewer_yb", "宋雨", "610800-YB"), ("reviewer_rs", "唐磊", "610800-RS"),
)
FOOD, COMMIT_ITEM, RESTAURANT, PLANNING = "610800-XK-0001", "610800-XK-0101", "610800-GG-2002", "610802-XK-0002"


class _Demo:
    def __init__(self, report: DemoReport, today: date):
        from yingshang.kernel.demo_city import DEMO_PASSWORD
        from yingshang.kernel.models import Department, User
        from yingshang.kernel.services.org import do_upsert_user

        self.today, self.report, self.n = today, report, 0
        self.users = {u.username: u for u in User.objects.select_related("department").filter(username__in=(
            "clerk", "clerk_yy", "reviewer_scjg", "reviewer_zrzy", "reviewer_wj", "head_scjg", "zhangwei", "hengtai"))}
        departments = {d.code: d for d in Department.objects.filter(code__in=[s[2] for s in EXTRA_STAFF])}
        for username, name, dept in EXTRA_STAFF:
            if dept in departments:
                self.users[username] = do_upsert_user(username, password=DEMO_PASSWORD, role_codes=("dept_reviewer",),
                                                      department=departments[dept], real_name=name,
                                                      email=f"{username}@demo.yingshang.local")
                report.logins.append((username, DEMO_PASSWORD, "部门审批人员", departments[dept].name))

    def day(self, working_days_ago: int) -> date:
        return add_working_days(self.today, -working_days_ago).date if working_days_ago else self.today

    def applicant(self, person: bool = False) -> applications.ApplicantData:
        self.n += 1
        rng, phone = random.Random(self.n), f"{PHONE_PREFIX}{self.n:04d}"  # deterministic demo data
        if person:
            return applications.ApplicantData("person", PEOPLE[self.n % len(PEOPLE)],
                                              generate_resident_id(rng, division_code="610802"), phone=phone)
        return applications.ApplicantData("enterprise", COMPANIES[self.n % len(COMPANIES)],
                                          generate_uscc(rng, division_code="610802", authority="9", category="1"), phone=phone)

    def case(self, code: str, received: date, *, clerk="clerk", person=False, provided=True) -> Case | None:
        from yingshang.catalog.models import ServiceItem
        from yingshang.catalog.services import version_in_force

        item = ServiceItem.objects.filter(code=code).first()
        version = version_in_force(item, received) if item else None
        if version is None:
            return None
        materials = {m.pk: "provided" if provided else "missing" for m in version.materials.all()}
        return self.act(received, applications.do_create_application, self.users[clerk], code,
                        applicant=self.applicant(person), materials=materials)

    def act(self, day: date, func, user, *args, **kwargs):
        """Run a service as `user` (so the timeline and the audit trail name them) on a past day."""
        with acting_as(actor_for(user)), clock.as_of(day), transaction.atomic():
            return func(user, *args, **kwargs)

    def rv(self, case: Case) -> int:
        return Case.objects.filter(pk=case.pk).values_list("row_version", flat=True).get()

    def accept(self, case: Case, day: date, clerk="clerk") -> Case:
        self.act(day, acceptance.do_accept, self.users[clerk], case.pk, self.rv(case))
        return case

    def approve_steps(self, case: Case, day: date, *, only: tuple[str, ...] = ()) -> None:
        for step in case.steps.filter(status="active").select_related("department"):
            user = next((u for u in self.users.values() if u.department_id == step.department_id
                         and u.username.startswith("reviewer")), None)
            if user is not None and (not only or step.department.code in only):
                self.act(day, review.do_step_approve, user, step.pk, self.rv(case), reason="材料齐全，符合条件")


def _backdate_versions(codes, since: date) -> None:
    """Demo items are published today; the demo's history needs them in force some weeks earlier."""
    from yingshang.catalog.models import ServiceItemVersion

    ServiceItemVersion.objects.filter(item__code__in=codes, number=1, status="published", valid_from__gt=since).update(
        valid_from=since)


@seeder("cases", order=40)
def seed_cases(report: DemoReport, today: date | None = None) -> None:
    if Case.objects.filter(phone__startswith=PHONE_PREFIX).exists():
        report.lines.append("办件：演示办件已存在，未重复生成")
        return
    demo = _Demo(report, today or clock.today())
    _backdate_versions((FOOD, COMMIT_ITEM, RESTAURANT, PLANNING), demo.today - timedelta(days=90))
    reviewer, clerk = demo.users["reviewer_scjg"], demo.users["clerk"]

    # Waiting at the window: one received today, one 7 working days ago (Art. 32: counts as accepted on receipt).
    demo.case(FOOD, demo.today)
    demo.case(FOOD, demo.day(7), person=True)
    # Correction requested (one notice listing everything); refused with reasons.
    if c := demo.case(FOOD, demo.day(2), provided=False):
        items = [(m.material_id, "未提交，请补充原件") for m in c.materials.all()[:2]] + [(None, "申请书缺少法定代表人签字")]
        demo.act(demo.day(1), acceptance.do_request_correction, clerk, c.pk, demo.rv(c), items=items)
    if c := demo.case(FOOD, demo.day(3)):
        demo.act(demo.day(3), acceptance.do_refuse, clerk, c.pk, demo.rv(c),
                 reason="申请经营的场所位于居民住宅楼内，依法不属于可以许可的经营场所",
                 legal_basis="《食品经营许可和备案管理办法》第十二条")
    # Accepted today in a district hall (any-hall service); accepted with pending materials due in 3 working days.
    if c := demo.case(FOOD, demo.today, clerk="clerk_yy"):
        demo.accept(c, demo.today, clerk="clerk_yy")
    if c := demo.case(FOOD, demo.day(1)):
        pending = {m.material_id: "pending" for m in c.materials.filter(pending_allowed=True)}
        demo.act(demo.day(1), acceptance.do_accept_with_pending, clerk, c.pk, demo.rv(c), materials=pending,
                 supplement_days=3)
    # Overdue (red): accepted 5 working days ago on a 3-day item. Nearly due (yellow): 4 days into a 5-day item.
    if c := demo.case(FOOD, demo.day(5)):
        demo.accept(c, demo.day(5))
        demo.approve_steps(c, demo.day(4))
    if c := demo.case(COMMIT_ITEM, demo.day(4)):
        demo.accept(c, demo.day(4))
    # Suspended for testing (Art. 45); an extension requested and waiting for the head (head_scjg).
    if c := demo.case(FOOD, demo.day(2)):
        demo.accept(c, demo.day(2))
        demo.act(demo.day(1), case_clock.do_suspend, reviewer, c.pk, demo.rv(c), kind="testing",
                 reason="抽样送检，待第三方检验机构出具检验报告")
    if c := demo.case(FOOD, demo.day(2)):
        demo.accept(c, demo.day(2))
        demo.act(demo.day(1), case_clock.do_request_extension, reviewer, c.pk, demo.rv(c), days=3, reason="需现场核查经营场所")
    # A joint item in parallel review: the market regulator approved, police and tax still reviewing.
    if c := demo.case(RESTAURANT, demo.day(2)):
        demo.accept(c, demo.day(2))
        demo.approve_steps(c, demo.day(1), only=("610800-SCJG",))
    # Decided: approved and denied; withdrawn; approved on the applicant's commitment (告知承诺).
    if c := demo.case(FOOD, demo.day(10)):
        demo.accept(c, demo.day(10))
        demo.approve_steps(c, demo.day(9))
        demo.approve_steps(c, demo.day(8))
        demo.act(demo.day(8), review.do_decide, reviewer, c.pk, demo.rv(c), approve=True,
                 legal_basis="《中华人民共和国食品安全法》第三十五条")
    if c := demo.case(FOOD, demo.day(9)):
        demo.accept(c, demo.day(9))
        step = c.steps.get(status="active")
        demo.act(demo.day(8), review.do_step_deny, reviewer, step.pk, demo.rv(c),
                 reason="经营场所距离粪坑、污水池等污染源不足二十五米",
                 legal_basis="《中华人民共和国食品安全法》第三十三条第一款第（一）项")
    if c := demo.case(FOOD, demo.day(6)):
        demo.accept(c, demo.day(6))
        demo.act(demo.day(5), lifecycle.do_withdraw, clerk, c.pk, demo.rv(c), reason="申请人变更经营地址")
    if c := demo.case(COMMIT_ITEM, demo.day(3)):
        demo.act(demo.day(3), acceptance.do_commitment_approval, clerk, c.pk, demo.rv(c))
    # A 容缺 deadline missed: accepted 6 working days ago with 2 days to supplement — the sweep stops it.
    if c := demo.case(FOOD, demo.day(6)):
        pending = {m.material_id: "pending" for m in c.materials.filter(pending_allowed=True)}
        demo.act(demo.day(6), acceptance.do_accept_with_pending, clerk, c.pk, demo.rv(c), materials=pending,
                 supplement_days=2)
    run_sweep(demo.today)
    by_status: dict[str, int] = {}
    for status in Case.objects.filter(phone__startswith=PHONE_PREFIX).values_list("status", flat=True):
        by_status[status] = by_status.get(status, 0) + 1
    from yingshang.cases.rules import STATUS_LABELS, STATUSES

    report.lines.append(f"办件：{sum(by_status.values())} 件（" + "、".join(
        f"{STATUS_LABELS[s]} {by_status[s]}" for s in STATUSES if s in by_status) + "）"
                        + "；综合受理 /cases/window/，部门待办 /cases/inbox/")

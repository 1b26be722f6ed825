"""One lot through its whole life on the REAL services (issue 12 end to end), and the demo lots made with it.

`advance(stage, ...)` drives a new lot step by step with the real actors, each step acting in the past
(`clock.as_of`) as its actor (`acting_as(actor_for(user))`) in its own transaction:

  register and submit (tenderer) → accept (centre) → bond requirement, opening plan, evaluation plan (tenderer,
  before the deadline) → announce with the tender document (PDF) → bidders download → bonds (cash through the
  simulated bank's signed notification, one e-guarantee) → sealed bids (`sealing.seal_bid`, `bid_files.spool`,
  `bids.do_submit`) → the expert draw the day before the deadline (prepare, reveal, each expert replies, the
  tenderer's representative, complete) → at the deadline the sweep opens (`sweep.sweep_lot`) → sign-in, the
  representative's float-rate draw, each bidder decrypts with its own key, price sheet published, signed, the
  opening record → evaluation started, every member scores and submits, the report drafted with 3 candidates and
  signed by all → publicity → award → contract → transaction certificate → archive.

Stages where it stops (STAGES): announced, opening, evaluating, publicity, complaint (a bidder objects to the
result, the tenderer answers, the bidder complains, the regulator accepts and suspends), awarded, contracted,
archived, and failed (only two bids at the deadline: the sweep fails the lot, bonds refunded on LOT_CLOSED).

Time of day: `clock.as_of(day)` keeps the wall-clock time, so the deadline's time is never later than the
current time of day (09:30 or earlier): the opening on the deadline day always comes after the deadline.

The drawn experts of the demo database have no platform accounts (bulk data); a drawn expert without one gets
an expert account (username `pj<expert id>`) before replying, so that it can reply, score and sign itself.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from yingshang.kernel import access, clock
from yingshang.kernel import demo_city as city
from yingshang.kernel.context import acting_as, actor_for
from yingshang.kernel.demo import DemoReport, seeder

STAGES = ("announced", "opening", "evaluating", "publicity", "complaint", "awarded", "contracted", "archived",
          "failed")
_ORDER = ("announced", "opening", "evaluating", "publicity", "complaint", "awarded", "contracted", "archived")
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")
ITEMS = [{"part": "technical", "name": "施工组织设计", "max_points": "25"},
         {"part": "technical", "name": "质量安全保证措施", "max_points": "15"},
         {"part": "commercial", "name": "类似工程业绩", "max_points": "10"}]
EVALUATION_PLAN = {"method": "comprehensive", "technical_weight": "40", "commercial_weight": "10",
                   "price_weight": "40", "credit_weight": "10", "items": ITEMS}
OPENING_PLAN = {"float_low": "3.000", "float_high": "6.000", "float_step": "0.010", "decrypt_minutes": 60}
PRICES = ("4580000.00", "4635000.00", "4712000.00", "4760000.00", "4790000.00")
SHARES = (Decimal("0.92"), Decimal("0.86"), Decimal("0.80"), Decimal("0.76"), Decimal("0.72"))
AWARD_MEMBERS = [{"name": n, "title": t} for n, t in (("刘建华", "董事长"), ("王立新", "总经理"), ("陈晓", "总工程师"),
                                                    ("赵敏", "财务总监"), ("孙磊", "纪检负责人"))]
ISSUER = ("91610800MA6YSB001K", "中国建设银行股份有限公司榆林分行")
ESTIMATE = Decimal("5000000")


@dataclass
class Life:
    """One lot on its way, with who acts on it and what they hold (the bidders' keys stay with them)."""

    tenderer: object
    staff: object
    bidders: list
    regulator: object = None
    lot: object = None
    deadline: datetime | None = None
    keys: dict = field(default_factory=dict)  # bidder pk → key bytes
    bids: dict = field(default_factory=dict)  # bidder pk → Bid
    draw: object = None
    withdrawn: object = None
    steps: list = field(default_factory=list)

    @property
    def start(self) -> date:
        return self.deadline.date() - timedelta(days=21)


def _step(life: Life, day: date, user, name: str):
    """One step: on `day`, as `user` (None: the system, e.g. the sweep), in its own transaction."""
    from contextlib import contextmanager

    from django.db import transaction

    from yingshang.kernel.context import SYSTEM

    @contextmanager
    def ctx():
        with clock.as_of(day), transaction.atomic(), acting_as(SYSTEM if user is None else actor_for(user)):
            yield
        life.steps.append((day, name))

    return ctx()


def _refresh(life: Life):
    from yingshang.trading.models import Lot

    life.lot = Lot.objects.select_related("project").get(pk=life.lot.pk)
    return life.lot


def deadline_on(day: date) -> datetime:
    """The deadline on `day` at 09:30, or at the current time of day (to the minute) when that is earlier."""
    from django.utils import timezone

    now = timezone.localtime(clock.now()).time().replace(second=0, microsecond=0)
    return timezone.make_aware(datetime.combine(day, min(time(9, 30), now)))


# --- The steps ------------------------------------------------------------------------------------------
def register(life: Life, *, approval_no: str, name: str, lot_name: str = "施工标段", regulator: str = "610800-ZJ"):
    from django.utils import timezone

    from yingshang.trading.services import lots, projects

    s, tenderer = life.start, life.tenderer
    data = {"name": name, "approval_no": approval_no, "tenderer_name": tenderer.organization_name or "榆林城投",
            "tenderer_uscc": tenderer.uscc, "regulator": regulator, "division_code": "610802",
            "funding_source": "state_owned",
            "lots": [{"name": lot_name, "procedure": "open_tender", "lot_type": "works",
                      "estimated_price": str(ESTIMATE), "ceiling_price": "4800000", "qualification": "post",
                      "sale_start": s.isoformat(), "sale_end": (s + timedelta(days=7)).isoformat(),
                      "bid_deadline": timezone.localtime(life.deadline).strftime("%Y-%m-%dT%H:%M")}]}
    with _step(life, s, tenderer, "register"):
        life.lot = projects.do_create_project(tenderer, data, submit=True).lots.get()
    with _step(life, s, life.staff, "accept"):
        lots.do_accept(life.staff, life.lot.pk, None, "材料齐全，同意进场")


def prepare(life: Life):
    """The tenderer fixes, before the deadline, what the documents say: bond, opening plan, evaluation plan."""
    from yingshang.trading.services import bonds, evaluation_plans, opening

    s, t, lot_id = life.start, life.tenderer, life.lot.pk
    with _step(life, s, t, "bond requirement"):
        bonds.do_set_requirement(t, lot_id, None, amount=str(ESTIMATE / 100), validity_days=90)
    with _step(life, s, t, "opening plan"):
        opening.do_set_plan(t, lot_id, OPENING_PLAN)
    with _step(life, s, t, "evaluation plan"):
        evaluation_plans.do_set_plan(t, lot_id, EVALUATION_PLAN)


def announce(life: Life):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yingshang.trading.services import announcements

    project = life.lot.project
    with _step(life, life.start, life.tenderer, "announce"):
        upload = SimpleUploadedFile(f"{life.lot.name}招标文件.pdf", DEMO_PDF, content_type="application/pdf")
        announcements.do_announce(life.tenderer, life.lot.pk, None, title=f"{project.name}{life.lot.name}招标公告",
                                  files=[upload], body=f"{project.name}已具备招标条件，现对{life.lot.name}进行公开招标。"
                                  "招标文件请登录平台下载；投标文件以电子方式递交，不见面开标。")
    _refresh(life)


def download(life: Life):
    from yingshang.trading.models import TenderDocument
    from yingshang.trading.services import downloads

    document = TenderDocument.objects.get(lot=life.lot, current=True)
    for bidder in life.bidders:
        with _step(life, life.start + timedelta(days=1), bidder, "download"):
            downloads.do_download(bidder, document.pk)


def payer_account(user) -> str:
    import hashlib

    return "6105" + str(int(hashlib.sha256(user.uscc.encode()).hexdigest()[:12], 16))[:14].rjust(14, "0")


def secure_bonds(life: Life):
    """Cash through the simulated bank's signed notification; the second bidder with a bank e-guarantee."""
    from yingshang.trading import bank as banking
    from yingshang.trading.models import SimulatedGuarantee
    from yingshang.trading.services import bond_payments, bonds

    bank, day, amount = banking.get_bank(), life.start + timedelta(days=2), ESTIMATE / 100
    for n, bidder in enumerate(life.bidders):
        if n == 1:
            number = f"LC-BH-{life.lot.pk:06d}"
            SimulatedGuarantee.objects.get_or_create(issuer_code=ISSUER[0], guarantee_no=number, defaults={
                "issuer_name": ISSUER[1], "kind": "bank", "applicant_uscc": bidder.uscc,
                "beneficiary_uscc": life.tenderer.uscc, "lot_ref": bonds.lot_ref(life.lot), "amount": amount,
                "valid_from": day, "valid_to": life.deadline.date() + timedelta(days=120)})
            with _step(life, day, bidder, "guarantee"):
                bonds.do_submit_guarantee(bidder, life.lot.pk, kind="bank", issuer_code=ISSUER[0], guarantee_no=number)
            continue
        with _step(life, day, bidder, "sub-account"):
            bond = bonds.do_open_sub_account(bidder, life.lot.pk)
        with _step(life, day, bidder, "bank notification"):  # the bank posts it; the platform records it
            body, signature = banking.SimulatedBank.notification(
                type="payment", id=f"LC-{life.lot.pk}-{bidder.pk}", sub_account=bond.sub_account_no, amount=amount,
                payer_account=payer_account(bidder), payer_name=bidder.organization_name, payer_bank="中国建设银行榆林分行",
                at=clock.now())
            bond_payments.do_record_payment(bank.parse(body, signature), bank.code)


def submit_bids(life: Life, *, withdraw: bool = False):
    """Each bidder seals its bid with its own key and submits it; with `withdraw` the last one then withdraws."""
    from yingshang.trading import sealing
    from yingshang.trading.services import bid_files, bids

    day = life.start + timedelta(days=3)
    for n, bidder in enumerate(life.bidders):
        key, sealed = sealing.new_key(), io.BytesIO()
        sheet = {"price": PRICES[n % len(PRICES)], "duration": 300, "quality": "合格", "manager": f"项目经理{n + 1}"}
        body = f"%PDF-1.7 {bidder.organization_name} 投标文件（演示）：施工组织设计、资格证明文件。".encode()
        sealing.seal_bid(key, sheet, "投标文件.pdf", io.BytesIO(body), sealed)
        sealed.seek(0)
        upload = bid_files.spool(sealed)
        with bid_files.cleanup(upload), _step(life, day, bidder, "submit bid"):
            life.bids[bidder.pk] = bids.do_submit(bidder, life.lot.pk, upload)
        life.keys[bidder.pk] = key
    if withdraw:
        last = life.bidders[-1]
        with _step(life, day + timedelta(days=1), last, "withdraw bid"):
            life.withdrawn = bids.do_withdraw(last, life.bids[last.pk].pk, None)
        life.bidders = life.bidders[:-1]


def _expert_account(expert, password: str):
    """The platform account of a drawn expert (demo data have none): made once, linked to the expert."""
    from yingshang.kernel.models import Role, User
    from yingshang.trading.models import Expert

    if expert.user_id:
        return expert.user
    user = User.objects.filter(username=f"pj{expert.pk}").first()
    if user is None:
        user = User.objects.create(username=f"pj{expert.pk}", password=password, real_name=expert.name,
                                   email=f"pj{expert.pk}@demo.yingshang.local")
        user.roles.add(Role.objects.get(code=access.EXPERT))
    Expert.objects.filter(pk=expert.pk).update(user=user)
    expert.user = user
    return user


def draw_experts(life: Life, *, specialty: str = "A0801", experts: int = 4):
    """The day before the deadline: prepare (commitment), reveal, each invited expert confirms, the tenderer's
    representative (the tenderer's own account) and the committee completed."""
    from django.contrib.auth.hashers import make_password

    from yingshang.trading import rules_experts as rx
    from yingshang.trading.models import Invitation
    from yingshang.trading.services import expert_draws, invitations

    day, staff = life.deadline.date() - timedelta(days=1), life.staff
    with _step(life, day, staff, "draw prepare"):
        life.draw = expert_draws.do_prepare(staff, life.lot.pk, {"evaluation_on": life.deadline.date().isoformat(),
                                                                 "requirements": [{"specialty": specialty,
                                                                                   "count": experts,
                                                                                   "substitutes": 1}]})
    with _step(life, day, staff, "draw reveal"):
        expert_draws.do_reveal(staff, life.draw.pk, None)
    password = None
    for i in Invitation.objects.filter(draw=life.draw, status=rx.INVITED).select_related("expert__user"):
        if not i.expert.user_id:
            password = password or make_password(city.DEMO_PASSWORD)
        with _step(life, day, staff, "expert account"):
            user = _expert_account(i.expert, password)
        with _step(life, day, user, "expert reply"):
            invitations.do_reply(user, i.pk, None, True, "确认参加")
    with _step(life, day, life.tenderer, "tenderer representative"):
        invitations.do_add_representative(life.tenderer, life.draw.pk, life.tenderer.real_name or "招标人代表",
                                          life.tenderer.username)
    with _step(life, day, staff, "draw complete"):
        expert_draws.do_complete(staff, life.draw.pk, None)


def sign_in(life: Life):
    from yingshang.trading.services import opening

    day = life.deadline.date()
    for user in (life.staff, life.tenderer, *life.bidders):
        with _step(life, day, user, "sign in"):
            opening.do_sign_in(user, life.lot.pk)


def open_at_deadline(life: Life):
    """The sweep acts on this lot at the deadline (only this one: other demo lots keep their state)."""
    from yingshang.trading.services import sweep

    with _step(life, life.deadline.date(), None, "sweep"):
        sweep.sweep_lot(life.lot.pk, clock.now())
    return _refresh(life)


def hall(life: Life):
    """The representative draws the float rate, each bidder decrypts, the sheet is published and signed."""
    from yingshang.trading import sealing
    from yingshang.trading.models import OpeningPlan
    from yingshang.trading.services import opening, opening_decrypt, opening_sheet

    day = life.deadline.date()
    rep = opening.representative(OpeningPlan.objects.get(lot=life.lot))
    drawer = next(b for b in life.bidders if b.uscc == rep.bidder_uscc)
    with _step(life, day, drawer, "float-rate draw"):
        opening.do_draw(drawer, life.lot.pk)
    for bidder in life.bidders:
        with _step(life, day, bidder, "decrypt"):
            opening_decrypt.do_decrypt(bidder, life.lot.pk, sealing.encode_key(life.keys[bidder.pk]))
    with _step(life, day, life.staff, "publish sheet"):
        opening_sheet.do_publish_sheet(life.staff, life.lot.pk)
    for bidder in life.bidders:
        with _step(life, day, bidder, "sign sheet"):
            opening_sheet.do_sign_line(bidder, life.lot.pk)
    with _step(life, day, life.staff, "opening record"):
        opening_sheet.do_issue_record(life.staff, life.lot.pk)


def evaluate(life: Life, *, report: bool = True):
    from yingshang.trading.models import CommitteeMember
    from yingshang.trading.services import evaluation, evaluation_report

    day = life.deadline.date()
    with _step(life, day, life.staff, "start evaluation"):
        evaluation.do_start(life.staff, life.lot.pk, None)
    lot = _refresh(life)
    items = list(lot.evaluation_plan.items.all())
    members = [m.user for m in CommitteeMember.objects.filter(lot=lot).select_related("user").order_by("pk")]
    bids = list(evaluation.valid_bids(lot))
    for user in members:
        for n, bid in enumerate(bids):
            points = {str(i.pk): str((i.max_points * SHARES[n % len(SHARES)]).quantize(Decimal("0.01"))) for i in items}
            with _step(life, day, user, "score"):
                evaluation.do_save_scores(user, bid.pk, points, submit=True)
    if not report:
        return
    totals = evaluation.aggregate(lot)[:3]
    with _step(life, day, members[0], "draft report"):
        evaluation_report.do_draft(members[0], lot.pk, "评标委员会按招标文件规定的综合评估法评审，全部投标均通过初步评审。",
                                   [{"bid": t.bid.pk, "strengths": "资质齐全，施工组织设计合理，类似业绩充分",
                                     "risks": "工期安排偏紧，需加强进度管理"} for t in totals])
    for user in members:
        with _step(life, day, user, "sign report"):
            evaluation_report.do_sign(user, lot.pk)


def publicize(life: Life):
    from yingshang.trading.services import publicity

    day = life.deadline.date() + timedelta(days=1)
    with _step(life, day, life.tenderer, "publicity"):
        publicity.do_publish(life.tenderer, life.lot.pk, None, ends_on=day + timedelta(days=3), award_method="price")


def complain(life: Life):
    """A bidder that is not the lowest price objects to the result, the tenderer answers, the bidder complains to
    the regulator, which accepts and suspends the procedure (REG Art. 54, 60–62)."""
    from yingshang.trading.services import complaints, publicity

    x = life.deadline.date()
    bidder = life.bidders[-1]
    with _step(life, x + timedelta(days=2), bidder, "result objection"):
        objection = publicity.do_object(bidder, life.lot.pk, content="第一中标候选人的类似工程业绩证明材料与公示信息不一致")
    with _step(life, x + timedelta(days=3), life.tenderer, "objection answer"):
        publicity.do_answer(life.tenderer, objection.pk, None, answer="经核查，该候选人业绩材料真实有效，异议不成立")
    with _step(life, x + timedelta(days=3), bidder, "complaint"):
        filed = complaints.do_file(bidder, life.lot.pk, {
            "matter": "result", "known_on": (x + timedelta(days=3)).isoformat(),
            "facts": "第一中标候选人提交的类似工程业绩合同与项目所在地公示信息不一致，招标人答复未予核实",
            "grounds": "《招标投标法实施条例》第五十四条、第六十条", "request": "请求核查并取消其中标候选人资格"})
    with _step(life, x + timedelta(days=4), life.regulator, "complaint accepted"):
        complaints.do_accept(life.regulator, filed.pk, None, note="符合受理条件，予以受理；处理期间暂停招标投标活动",
                             suspend=True)


def award(life: Life):
    from yingshang.trading.services import award as awarding

    with _step(life, life.deadline.date() + timedelta(days=5), life.tenderer, "award"):
        awarding.do_award(life.tenderer, life.lot.pk, None, members=AWARD_MEMBERS,
                          reasons="按招标文件载明的价格竞争定标法，中标候选人中投标报价最低者中标")


def contract(life: Life):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yingshang.trading.services import contracts

    day = life.deadline.date() + timedelta(days=10)
    with _step(life, day, life.tenderer, "contract"):
        upload = SimpleUploadedFile("施工合同.pdf", DEMO_PDF, content_type="application/pdf")
        contracts.do_sign(life.tenderer, life.lot.pk, None, signed_on=day, upload=upload)


def archive(life: Life):
    from yingshang.trading.services import archive as archiving
    from yingshang.trading.services import contracts

    day = life.deadline.date() + timedelta(days=11)
    with _step(life, day, life.staff, "certificate"):
        contracts.do_issue_certificate(life.staff, life.lot.pk)
    with _step(life, day, life.staff, "archive"):
        archiving.do_archive(life.staff, life.lot.pk, None)


def advance(stage: str, *, tenderer, staff, bidders, approval_no: str, name: str, deadline_day: date,
            regulator=None, withdraw: bool = False, lot_name: str = "施工标段") -> Life:
    """A new lot driven to `stage` (STAGES) through the services; `deadline_day` places its history in time
    (registration and announcement 21 days before, the opening on it, publicity the day after, …).

    Bidders: at least 3 (only the first 2 bid when the stage is `failed`); with `withdraw` one more bidder
    submits and withdraws before the deadline (its bond refunded, BID_WITHDRAWN)."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")
    life = Life(tenderer=tenderer, staff=staff, bidders=list(bidders[:2] if stage == "failed" else bidders),
                regulator=regulator, deadline=deadline_on(deadline_day))
    register(life, approval_no=approval_no, name=name, lot_name=lot_name)
    prepare(life)
    announce(life)
    download(life)
    secure_bonds(life)
    submit_bids(life, withdraw=withdraw)
    if stage in ("announced", "failed"):
        if stage == "failed":
            open_at_deadline(life)
        return life
    reached = _ORDER.index(stage)
    draw_experts(life)
    sign_in(life)
    open_at_deadline(life)
    hall(life)
    if reached == _ORDER.index("opening"):
        return _done(life)
    evaluate(life, report=reached > _ORDER.index("evaluating"))
    if reached == _ORDER.index("evaluating"):
        return _done(life)
    publicize(life)
    if stage == "complaint":
        complain(life)
        return _done(life)
    if reached == _ORDER.index("publicity"):
        return _done(life)
    award(life)
    if reached >= _ORDER.index("contracted"):
        contract(life)
    if reached >= _ORDER.index("archived"):
        archive(life)
    return _done(life)


def _done(life: Life) -> Life:
    _refresh(life)
    return life


# --- The demo -------------------------------------------------------------------------------------------
# (approval no, project, stage, deadline days from today)
LOTS = (
    ("榆发改审批〔2026〕501号", "榆林市第七小学综合楼新建工程", "announced", 18),
    ("榆发改审批〔2026〕502号", "榆阳区长城路给排水改造工程", "opening", 0),
    ("榆发改审批〔2026〕503号", "榆林高新区人才公寓配套道路工程", "evaluating", -1),
    ("榆发改审批〔2026〕504号", "市儿童公园提升改造工程", "publicity", -2),
    ("榆发改审批〔2026〕505号", "榆林市第二体育馆维修加固工程", "complaint", -5),
    ("榆发改审批〔2026〕506号", "沙河公园景观绿化工程", "awarded", -8),
    ("榆发改审批〔2026〕507号", "榆林市老旧小区改造（三期）工程", "contracted", -15),
    ("榆发改审批〔2026〕508号", "横山区城区集中供热管网工程", "archived", -25),
    ("榆发改审批〔2026〕509号", "榆林市殡仪馆附属用房工程", "failed", -3),
)


def eligible_bidders(users, *, unlisted: bool = False) -> list:
    """Bidder accounts with a USCC and no credit measure barring bidding (they pass `credit_gate.check`);
    `unlisted`: only those on no credit list at all."""
    from yingshang.credit.services import joint
    from yingshang.kernel.errors import InvalidInput
    from yingshang.trading.services import credit_gate

    out = []
    for user in users:
        if not user.uscc:
            continue
        try:
            result = joint.check(user.uscc, credit_gate.SCENARIO)
        except InvalidInput:
            continue
        if not result.hit or not (unlisted or any(m.blocking for m in result.measures)):
            out.append(user)
    return out


def _regulator():
    from yingshang.kernel.models import User

    return (User.objects.filter(username="reviewer_zj").first()
            or User.objects.filter(roles__code=access.DEPT_REVIEWER, department__code="610800-ZJ").order_by("pk").first())


@seeder("trading-lifecycle", order=420)
def seed_lifecycle(report: DemoReport) -> None:
    """Nine lots, one per stage of the life, each made through every part's services (see the module doc)."""
    import time as timer

    from yingshang.kernel.models import Department, User
    from yingshang.trading.models import TenderProject

    started = timer.monotonic()
    tenderer, staff = User.objects.filter(username="tenderer").first(), User.objects.filter(username="trading").first()
    if not (tenderer and staff and Department.objects.filter(code="610800-ZJ").exists()):
        return
    regulator = _regulator()
    names = ["bidder", *(f"bidder{i:03d}" for i in range(1, 121))]
    found = {u.username: u for u in User.objects.filter(username__in=names, roles__code=access.BIDDER)}
    main = eligible_bidders([found["bidder"]] if "bidder" in found else [])
    others = eligible_bidders([found[n] for n in names[1:] if n in found], unlisted=True)
    need = 4 - len(main)  # four bidders a lot (the `failed` lot: the first two)
    if len(others) < need:
        return
    made, today = 0, clock.today()
    for n, (approval, name, stage, days) in enumerate(LOTS):
        if TenderProject.objects.filter(approval_no=approval).exists():
            continue
        if stage == "complaint" and regulator is None:
            continue
        # `bidder` bids on every lot (it sees each stage from its side), three others rotate through the pool.
        mine = main + [others[(need * n + k) % len(others)] for k in range(need)]
        done = advance(stage, tenderer=tenderer, staff=staff, bidders=mine, regulator=regulator, approval_no=approval,
                       name=name, deadline_day=today + timedelta(days=days), withdraw=stage == "announced")
        if stage == "announced":  # the bidders keep their keys; the demo leaves them where demo_bids does
            from yingshang.trading import sealing
            from yingshang.trading.demo_bids import demo_key_path

            for bidder in done.bidders:
                path = demo_key_path(done.bids[bidder.pk].pk)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(sealing.encode_key(done.keys[bidder.pk]), encoding="utf-8")
        made += 1
    report.lines.append(f"公共资源交易全流程：各阶段标段 {len(LOTS)} 个（本次新增 {made} 个，"
                        f"{timer.monotonic() - started:.1f} 秒），均经各环节服务办理")

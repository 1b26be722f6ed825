"""Invitations of drawn experts: SMS (and the site inbox), confirm or decline within the reply time, the next
substitute called on a decline or a timeout; confirmed experts and the tenderer's representatives become
the committee. And who may see what: the names stay sealed until the lot's evaluation starts."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from yingshang.kernel import access, clock
from yingshang.kernel.errors import Conflict, Forbidden, NotFound
from yingshang.kernel.jobs import enqueue_on_commit
from yingshang.kernel.models import Message, User
from yingshang.kernel.rules.workflow import Workflow
from yingshang.kernel.services import workflow
from yingshang.kernel.services.audit import record
from yingshang.kernel.services.notifications import do_notify, enqueue_messages
from yingshang.trading import rules
from yingshang.trading import rules_experts as rx
from yingshang.trading.models import CommitteeMember, ExpertDraw, Invitation, Lot
from yingshang.trading.services import common
from yingshang.trading.services.expert_draws import UNSEALED_LOT_STATES, check_may_run, vacancies

fields = common.fields
INVITATION_ROWS = Workflow(prefix="trading", noun="专家邀请", states=rx.INVITATION_STATES, actions={}, transitions={},
                           not_found="trading.invitation_not_found")
# The SMS (and voice-call script) template: no project name — the lot stays sealed until evaluation.
SMS_SUBJECT = "评标专家抽取通知"
SMS_TEXT = ("{name}专家：您已被随机抽取为评标专家（{specialty}），评标日期{day}。请于{due}前回复：参加回复“1 {code}”，"
            "不参加回复“2 {code}”，也可登录平台确认。项目信息在评标开始前保密，请勿向他人透露。")


def snapshot(i: Invitation) -> dict:
    return {"draw": i.draw_id, "expert": i.expert_id, "specialty": i.specialty, "role": i.role, "status": i.status,
            "row_version": i.row_version}


def _notify(i: Invitation) -> None:
    expert = i.expert
    text = SMS_TEXT.format(name=expert.name, specialty=i.specialty, day=f"{i.draw.evaluation_on:%Y-%m-%d}",
                           due=f"{timezone.localtime(i.reply_due):%H:%M}",
                           code=i.reply_code)
    if expert.user_id:
        do_notify([expert.user], SMS_SUBJECT, text, channels=("site",), obj=i)
    if expert.phone:  # the expert's registered mobile, not the account's: sent by the kernel's SMS job
        message = Message.objects.create(channel=Message.Channel.SMS, recipient=expert.user, address=expert.phone,
                                         subject=SMS_SUBJECT, body=text, object_type="trading.invitation",
                                         object_id=str(i.pk))
        enqueue_on_commit(enqueue_messages, [message.pk])


def _invite(i: Invitation, minutes: int) -> None:
    before = snapshot(i)
    now = clock.now()
    i.status, i.invited_at, i.reply_due = rx.INVITED, now, rx.reply_due(now, minutes)
    i.reply_code = f"{secrets.randbelow(10**6):06d}"
    workflow.finish(i, "invite", before, snapshot=snapshot)
    _notify(i)


def fill_vacancies(d: ExpertDraw) -> int:
    """Invite the next waiting experts (main first, then substitutes, in draw order) into open places."""
    invited = 0
    for specialty, open_places in vacancies(d).items():
        if open_places <= 0:
            continue
        nxt = (d.invitations.filter(specialty=specialty, status=rx.WAITING).select_related("expert__user", "draw")
               .order_by("round__seq", "rank")[:open_places])
        for i in nxt:
            _invite(i, d.reply_minutes)
            invited += 1
    return invited


def _lock_invitation(pk, row_version) -> Invitation:
    return workflow.lock(Invitation.objects.select_related("draw__lot", "expert__user"), pk, row_version,
                         INVITATION_ROWS)


def _answer(i: Invitation, accept: bool, note: str) -> Invitation:
    if i.status != rx.INVITED:
        raise Conflict("trading.invitation_closed", f"该邀请当前为“{i.status_label}”，不能再回复")
    if clock.now() > i.reply_due:
        raise Conflict("trading.invitation_expired", "已超过回复时限，该席位将由候补专家递补")
    workflow.lock(ExpertDraw, i.draw_id, None, INVITATION_ROWS)  # one reply at a time per draw: vacancies are counted
    before = snapshot(i)
    i.status, i.responded_at, i.note = (rx.CONFIRMED if accept else rx.DECLINED), clock.now(), note
    workflow.finish(i, "confirm" if accept else "decline", before, snapshot=snapshot, note=note)
    if accept:
        expert = i.expert
        CommitteeMember.objects.create(lot_id=i.draw.lot_id, role=rules.EXPERT, expert=expert, user=expert.user,
                                       name=expert.name, confirmed_at=i.responded_at, created_at=i.responded_at)
    else:
        fill_vacancies(i.draw)
    return i


def do_reply(user, invitation_id, row_version: int | None, accept: bool, note: str = "") -> Invitation:
    """The expert answers their own invitation on the page or the API."""
    common.check_perm(user, common.EXPERT_SELF)
    i = _lock_invitation(invitation_id, row_version)
    if i.expert.user_id != user.pk:
        raise NotFound("trading.invitation_not_found", "专家邀请不存在")
    note = fields.text(note, "note", "说明", required=False, max_len=300)
    return _answer(i, accept, note)


def do_reply_by_code(user, draw_id, code: str, accept: bool) -> Invitation:
    """The draw officer records an SMS or voice-call reply ("1 123456" / "2 123456") by its code."""
    common.check_perm(user, common.DRAW)
    code = fields.text(code, "code", "回复码", max_len=6)
    found = Invitation.objects.filter(draw_id=draw_id, reply_code=code, status=rx.INVITED).values_list("pk", flat=True)
    if not found:
        raise NotFound("trading.reply_code_unknown", "没有待回复的邀请使用该回复码")
    return _answer(_lock_invitation(found[0], None), accept, "短信或电话回复")


def do_sweep(now=None) -> int:
    """Invitations past their reply time become timed out and the next substitute is called (a periodic job
    or `yingshang trading draw sweep`). Returns how many timed out."""
    now = now or clock.now()
    count = 0
    for pk in Invitation.objects.filter(status=rx.INVITED, reply_due__lt=now).values_list("pk", flat=True):
        i = _lock_invitation(pk, None)
        if i.status != rx.INVITED:
            continue
        workflow.lock(ExpertDraw, i.draw_id, None, INVITATION_ROWS)
        before = snapshot(i)
        i.status, i.note = rx.TIMED_OUT, f"{i.reply_due:%H:%M}前未回复"
        workflow.finish(i, "time_out", before, snapshot=snapshot)
        fill_vacancies(i.draw)
        count += 1
    return count


def do_add_representative(user, draw_id, name: str, username: str = "") -> CommitteeMember:
    """The tenderer (or its agency) names a representative on the committee (《招标投标法》第三十七条)."""
    d = workflow.lock(ExpertDraw.objects.select_related("lot__project"), draw_id, None, INVITATION_ROWS)
    common.check_perm(user, common.DRAW_REQUEST)
    if not (user.uscc and user.uscc in (d.lot.project.tenderer_uscc, d.lot.project.agency_uscc)):
        raise Forbidden("trading.not_your_project", "只有该项目的招标人或其代理机构可以确定招标人代表")
    if d.status == rx.DRAW_COMPLETED:
        raise Conflict("trading.committee_closed", "评标委员会已确认组成，不能再增加成员")
    name = fields.text(name, "name", "招标人代表姓名", max_len=50)
    account = None
    if username:
        account = User.objects.filter(username=fields.text(username, "username", "账号", max_len=150)).first()
        if account is None:
            raise NotFound("trading.user_not_found", "账号不存在")
    now = clock.now()
    member = CommitteeMember.objects.create(lot=d.lot, role=rules.TENDERER_REP, user=account, name=name,
                                            confirmed_at=now, created_at=now)
    record("trading.committeemember.create", member, after={"lot": d.lot_id, "role": rules.TENDERER_REP, "name": name})
    return member


# --- Who sees what --------------------------------------------------------------------------------------
def names_visible(user, lot: Lot) -> bool:
    return access.has_perm(user, common.DRAW) or lot.status in UNSEALED_LOT_STATES


@dataclass
class DrawView:
    draw: ExpertDraw | None
    names_visible: bool
    counts: dict = field(default_factory=dict)  # status → number, for everyone
    invitations: list = field(default_factory=list)  # only when names are visible
    committee: list = field(default_factory=list)
    may_run: bool = False


def draw_view(user, lot: Lot) -> DrawView:
    """The lot's draw as this user may see it (the caller has checked the lot is in the user's scope)."""
    d = ExpertDraw.objects.filter(lot=lot).first()
    try:
        check_may_run(user, lot)
        may_run = True
    except Forbidden:
        may_run = False
    visible = names_visible(user, lot)
    view = DrawView(d, visible, may_run=may_run)
    if d is None:
        return view
    view.counts = dict(d.invitations.values_list("status").annotate(n=Count("pk")).order_by())
    members = CommitteeMember.objects.filter(lot=lot).order_by("role", "pk")
    if visible:
        view.invitations = list(d.invitations.select_related("expert", "round").order_by("round__seq", "specialty",
                                                                                          "rank"))
        view.committee = list(members)
    else:
        view.committee = [m for m in members if m.role == rules.TENDERER_REP]
    return view


def my_invitations(user):
    common.check_perm(user, common.EXPERT_SELF)
    return (Invitation.objects.filter(expert__user=user).exclude(status=rx.WAITING)
            .select_related("draw__lot__project").order_by("-invited_at", "-pk"))


def my_committees(user):
    common.check_perm(user, common.EXPERT_SELF)
    return CommitteeMember.objects.filter(expert__user=user).select_related("lot__project").order_by("-created_at")

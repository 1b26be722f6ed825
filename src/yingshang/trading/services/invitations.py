"""Invitations of drawn experts: SMS (and the site inbox), confirm or decline within the reply time, the next
substitute called on a decline or a timeout; confirmed experts and the tenderer's representatives become
the committee. And who may see what: the names stay sealed until the lot's evaluation starts."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F
from django.utils import timezone

from yingshang.kernel import access, clock
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from yingshang.kernel.jobs import enqueue_on_commit
from yingshang.kernel.models import Message, User
from yingshang.kernel.rules.workflow import Workflow
from yingshang.kernel.services import workflow
from yingshang.kernel.services.audit import record
from yingshang.kernel.services.notifications import enqueue_messages
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


def new_reply_code() -> str:
    """Six digits the expert sends back by SMS ("1 123456") or tells on the phone; made with each pick."""
    return f"{secrets.randbelow(10**6):06d}"


def snapshot(i: Invitation) -> dict:
    return {"draw": i.draw_id, "expert": i.expert_id, "specialty": i.specialty, "role": i.role, "status": i.status,
            "row_version": i.row_version}


def _messages(i: Invitation, now) -> list[Message]:
    """The invitation's site message (when the expert has an account) and SMS to the registered mobile."""
    expert = i.expert
    text = SMS_TEXT.format(name=expert.name, specialty=i.specialty, day=f"{i.draw.evaluation_on:%Y-%m-%d}",
                           due=f"{timezone.localtime(i.reply_due):%H:%M}", code=i.reply_code)
    common_fields = {"subject": SMS_SUBJECT, "body": text, "object_type": "trading.invitation", "object_id": str(i.pk)}
    rows = []
    if expert.user_id:
        rows.append(Message(channel=Message.Channel.SITE, recipient_id=expert.user_id, status=Message.Status.SENT,
                            sent_at=now, **common_fields))
    if expert.phone:  # the expert's registered mobile, not the account's: sent by the kernel's SMS job
        rows.append(Message(channel=Message.Channel.SMS, recipient_id=expert.user_id, address=expert.phone,
                            status=Message.Status.QUEUED, **common_fields))
    else:
        rows.append(Message(channel=Message.Channel.SMS, recipient_id=expert.user_id, status=Message.Status.SKIPPED,
                            error="专家未登记手机号", **common_fields))
    return rows


def _invite_all(rows: list[Invitation], minutes: int, *, audit: bool = True) -> dict:
    """Invite in one go (a reveal invites the whole main list): one UPDATE, the messages, one audit entry
    (or, with `audit=False`, what to record, for a caller that writes one entry for the whole action)."""
    if not rows:
        return {}
    now = clock.now()
    due = rx.reply_due(now, minutes)
    Invitation.objects.filter(pk__in=[i.pk for i in rows]).update(status=rx.INVITED, invited_at=now, reply_due=due,
                                                                  row_version=F("row_version") + 1)
    for i in rows:
        i.status, i.invited_at, i.reply_due, i.row_version = rx.INVITED, now, due, i.row_version + 1
    messages = [m for i in rows for m in _messages(i, now)]
    if connection.features.can_return_rows_from_bulk_insert:
        created = Message.objects.bulk_create(messages)
    else:
        created = [Message.objects.create(**{f.attname: getattr(m, f.attname) for f in Message._meta.concrete_fields
                                             if f.attname != "id"}) for m in messages]
    summary = {"invited": [[i.pk, i.expert_id, i.specialty, i.role] for i in rows],
               "reply_due": rows[0].reply_due.isoformat(), "messages": [m.pk for m in created]}
    if audit:
        record("trading.invitation.invite", rows[0].draw, after=summary)
    queued = [m.pk for m in created if m.status == Message.Status.QUEUED]
    if queued:
        enqueue_on_commit(_enqueue, queued)
    return summary


def _enqueue(message_ids: list[int]) -> None:
    from yingshang.trading.tasks import send_invitation_messages

    try:
        send_invitation_messages(message_ids)
    except Exception:  # queue down: the kernel's sweep re-enqueues queued messages
        enqueue_messages(message_ids)


def fill_vacancies(d: ExpertDraw, *, audit: bool = True) -> dict:
    """Invite the next waiting experts (main first, then substitutes, in draw order) into open places;
    returns what was recorded (see `_invite_all`)."""
    chosen: list[Invitation] = []
    open_places = {s: n for s, n in vacancies(d).items() if n > 0}
    if open_places:
        waiting = (d.invitations.filter(specialty__in=list(open_places), status=rx.WAITING)
                   .select_related("expert", "draw").order_by("round__seq", "rank"))
        for i in waiting:
            if open_places[i.specialty] > 0:
                open_places[i.specialty] -= 1
                chosen.append(i)
    return _invite_all(chosen, d.reply_minutes, audit=audit)


def _lock_invitation(pk, row_version) -> Invitation:
    """The invitation locked after its draw (always draw first, then invitation: one order, no deadlock;
    the draw's lock serialises the vacancy count of replies, sweeps and reveals)."""
    draw_id = Invitation.objects.filter(pk=pk).values_list("draw_id", flat=True).first() if type(pk) is int else None
    if draw_id is None:
        raise NotFound("trading.invitation_not_found", "专家邀请不存在")
    workflow.lock(ExpertDraw, draw_id, None, INVITATION_ROWS)
    return workflow.lock(Invitation.objects.select_related("draw__lot", "expert__user"), pk, row_version,
                         INVITATION_ROWS)


def _answer(i: Invitation, accept: bool, note: str) -> Invitation:
    if i.status != rx.INVITED:
        raise Conflict("trading.invitation_closed", f"该邀请当前为“{i.status_label}”，不能再回复")
    if clock.now() > i.reply_due:
        raise Conflict("trading.invitation_expired", "已超过回复时限，该席位将由候补专家递补")
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


def parse_sms_reply(text: str) -> tuple[bool, str] | None:
    """An SMS reply "1 123456" (attend) or "2 123456" (decline); full-width digits and spaces allowed."""
    import unicodedata

    parts = unicodedata.normalize("NFKC", text or "").split()
    if len(parts) != 2 or parts[0] not in ("1", "2") or not (len(parts[1]) == 6 and parts[1].isdigit()):
        return None
    return parts[0] == "1", parts[1]


def do_sms_reply(user, phone: str, text: str) -> Invitation:
    """An SMS reply delivered by the gateway (a centre system account): matched by code and the sender's
    registered mobile, so a code alone, forwarded or guessed, answers nothing."""
    from yingshang.kernel.services.sms import normalize_mobile

    common.check_perm(user, common.DRAW)
    parsed, mobile = parse_sms_reply(text), normalize_mobile(phone or "")
    if parsed is None or mobile is None:
        raise InvalidInput("trading.sms_reply_invalid", "短信回复格式应为“1 回复码”（参加）或“2 回复码”（不参加）",
                           details={"field": "text"})
    accept, code = parsed
    found = Invitation.objects.filter(reply_code=code, status=rx.INVITED, expert__phone=mobile).values_list(
        "pk", flat=True)
    if not found:
        raise NotFound("trading.reply_code_unknown", "没有待回复的邀请使用该回复码")
    return _answer(_lock_invitation(found[0], None), accept, "短信回复")


def do_sweep(now=None) -> int:
    """Invitations past their reply time become timed out and the next substitute is called (a periodic job
    or `yingshang trading draw sweep`). Returns how many timed out."""
    now = now or clock.now()
    count = 0
    for pk in Invitation.objects.filter(status=rx.INVITED, reply_due__lt=now).values_list("pk", flat=True):
        i = _lock_invitation(pk, None)
        if i.status != rx.INVITED:
            continue
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

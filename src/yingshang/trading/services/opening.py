"""The opening hall (开标大厅, 不见面开标): who may enter and as whom, the tenderer's opening plan, sign-in, the
opening at the deadline (or the lot fails with fewer than three bids), and the draw of the float rate and
weights by the bidders' representative (commit–reveal, kernel.rules.draw).

Lock order everywhere: lot → plan → bid. Decryption (services/opening_decrypt.py) locks its bid only, so
bidders decrypt in parallel.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from yingshang.kernel import access, clock
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from yingshang.kernel.rules import draw
from yingshang.kernel.services import workflow
from yingshang.kernel.services.audit import record
from yingshang.trading import hooks, rules
from yingshang.trading import rules_opening as ro
from yingshang.trading.models import Attendance, Bid, Lot, OpeningPlan
from yingshang.trading.services import common

CENTRE, TENDERER, BIDDER, OBSERVER = Attendance.CENTRE, Attendance.TENDERER, Attendance.BIDDER, Attendance.OBSERVER
LIVE_BIDS = (rules.BID_SUBMITTED, rules.BID_DECRYPTED, rules.BID_REVOKED, rules.BID_WITHDRAWN, rules.BID_REJECTED)
LOT_RELATED = ("project", "project__regulator", "procedure")


@dataclass
class Hall:
    lot: Lot
    plan: OpeningPlan | None
    role: str  # centre, tenderer, bidder, observer
    bid: Bid | None = None  # the bidder's own bid


def _find_bid(user, lot_id: int) -> Bid | None:
    uscc = getattr(user, "uscc", "") or ""
    if not uscc or not access.has_role(user, access.BIDDER):
        return None
    return Bid.objects.filter(lot_id=lot_id, bidder_uscc=uscc).order_by("-submitted_at", "-pk").first()


def hall(user, lot_id, *, lot: Lot | None = None) -> Hall:
    """Who the user is in this lot's hall; NotFound outside it (as for reading a lot), Forbidden without the role."""
    common.check_perm(user, common.HALL)
    if lot is None:
        usable = type(lot_id) is int and 0 < lot_id < 2**62
        lot = Lot.objects.select_related(*LOT_RELATED).filter(pk=lot_id).first() if usable else None
    if lot is None:
        raise NotFound("trading.not_found", "标段不存在或不在您的查看范围内")
    plan = OpeningPlan.objects.filter(lot=lot).select_related("record").first()
    if plan is not None:
        plan.lot = lot  # already loaded
    if access.has_role(user, access.TRADING_STAFF):
        return Hall(lot, plan, CENTRE)
    uscc = getattr(user, "uscc", "") or ""
    if uscc and uscc in (lot.project.tenderer_uscc, lot.project.agency_uscc) and \
            access.has_role(user, access.TENDERER, access.AGENCY):
        return Hall(lot, plan, TENDERER)
    bid = _find_bid(user, lot.pk)
    if bid is not None:
        return Hall(lot, plan, BIDDER, bid)
    if access.has_perm(user, common.VIEW) and Lot.objects.filter(common.lot_scope(user), pk=lot.pk).exists():
        return Hall(lot, plan, OBSERVER)
    raise NotFound("trading.not_found", "标段不存在或不在您的查看范围内")


def lots_for_hall(user):
    """Lots whose hall the user may enter and that are at or near their opening (the hall index)."""
    from django.db.models import Q

    common.check_perm(user, common.HALL)
    states = (rules.ANNOUNCED, rules.OPENING, rules.EVALUATING, rules.FAILED)
    queryset = Lot.objects.filter(status__in=states).select_related(*LOT_RELATED)
    if access.has_role(user, access.TRADING_STAFF):
        return queryset.order_by("bid_deadline", "pk")
    by_bid = Q(bids__bidder_uscc=user.uscc) if user.uscc and access.has_role(user, access.BIDDER) else Q(pk__in=[])
    scope = common.lot_scope(user) if access.has_perm(user, common.VIEW) else Q(pk__in=[])
    return queryset.filter(by_bid | scope).distinct().order_by("bid_deadline", "pk")


def plan_snapshot(plan: OpeningPlan) -> dict:
    def text(v):
        return None if v is None else str(v)

    return {"float": [text(plan.float_low), text(plan.float_high), text(plan.float_step)],
            "weight": [text(plan.weight_low), text(plan.weight_high), text(plan.weight_step)],
            "decrypt_minutes": plan.decrypt_minutes, "commitment": plan.commitment,
            "seed": plan.seed if plan.drawn_at else "", "drawn_weight": text(plan.drawn_weight),
            "opened_at": text(plan.opened_at), "decrypt_until": text(plan.decrypt_until),
            "closed_at": text(plan.closed_at), "published_at": text(plan.published_at),
            "failed_reason": plan.failed_reason, "row_version": plan.row_version}


def _plan_for_update(lot: Lot) -> OpeningPlan:
    plan = OpeningPlan.objects.select_for_update(of=("self",)).filter(lot=lot).first()
    if plan is None:
        plan = OpeningPlan.objects.create(lot=lot, created_at=clock.now())
    return plan


def _lock_lot(lot_id, row_version=None) -> Lot:
    return workflow.lock(Lot.objects.select_related(*LOT_RELATED), lot_id, row_version, rules.LOT_FLOW)


def _range(data: dict, prefix: str, label: str):
    values = [common.fields.amount(data.get(f"{prefix}_{part}"), f"{prefix}_{part}", f"{label}{name}", places=3,
                                   minimum=0, maximum=100, required=False)
              for part, name in (("low", "下限"), ("high", "上限"), ("step", "步长"))]
    breach = ro.check_range(*values, label, prefix)
    if breach:
        raise InvalidInput(breach.code, breach.message, details={"field": breach.field, "source": breach.source})
    return values


def do_set_plan(user, lot_id, data: dict) -> OpeningPlan:
    """The tenderer (or its agency) sets what the documents fix: the ranges drawn at the opening, the window."""
    common.check_perm(user, common.REGISTER)
    lot = _lock_lot(lot_id)
    if hall(user, lot.pk, lot=lot).role != TENDERER:
        raise Forbidden("trading.not_your_project", "只有该项目的招标人或其代理机构可以设置开标安排")
    if lot.status not in (rules.ACCEPTED, rules.ANNOUNCED):
        raise Conflict("trading.plan_locked", "开标后不能修改开标安排", details={"status": lot.status})
    plan = _plan_for_update(lot)
    before = plan_snapshot(plan)
    plan.float_low, plan.float_high, plan.float_step = _range(data, "float", "下浮率")
    plan.weight_low, plan.weight_high, plan.weight_step = _range(data, "weight", "控制价权重")
    plan.decrypt_minutes = common.fields.integer(
        data.get("decrypt_minutes", ro.DECRYPT_MINUTES), "decrypt_minutes", "解密时限（分钟）",
        minimum=ro.MIN_DECRYPT_MINUTES, maximum=ro.MAX_DECRYPT_MINUTES)
    workflow.finish(plan, "set", before, snapshot=plan_snapshot)
    return plan


def do_sign_in(user, lot_id) -> Attendance:
    """签到: once per account (a second sign-in returns the first); the lot must be announced or opening."""
    here = hall(user, lot_id)
    if here.lot.status not in (rules.ANNOUNCED, rules.OPENING):
        raise Conflict("trading.hall_closed", "开标已结束或尚未开始，不能签到", details={"status": here.lot.status})
    if here.role == BIDDER:
        common.check_perm(user, common.BID_AT_OPENING)
    existing = Attendance.objects.filter(lot=here.lot, user=user).first()
    if existing:
        return existing
    org = getattr(user, "organization_name", "") or ("榆林市公共资源交易中心" if here.role == CENTRE else "")
    if here.role == BIDDER:
        org = here.bid.bidder_name
    try:
        with transaction.atomic():  # a double click: the second insert loses to the unique constraint
            attendance = Attendance.objects.create(lot=here.lot, user=user, kind=here.role, bid=here.bid,
                                                   name=user.real_name or user.username, organisation=org[:200],
                                                   signed_in_at=clock.now())
    except IntegrityError:
        return Attendance.objects.get(lot=here.lot, user=user)
    record("trading.attendance.sign_in", attendance, after={"lot": here.lot.pk, "kind": here.role,
                                                             "bid": here.bid.pk if here.bid else None,
                                                             "organisation": attendance.organisation})
    return attendance


def do_open(user, lot_id, row_version: int | None = None) -> Lot:
    """开标 at the deadline: with fewer bids than the procedure's minimum the lot fails (LOT_CLOSED fires), else it
    goes to `opening`, the draw's commitment is published and (without a draw) the decryption window starts.
    `user=None` is the sweep acting on `next_check`."""
    if user is not None:
        common.check_perm(user, common.RUN_OPENING)
    lot = _lock_lot(lot_id, row_version)
    now = clock.now()
    early = ro.check_opening_time(now, lot.bid_deadline)
    if early:
        raise Conflict(early.code, early.message, details={"source": early.source})
    if lot.suspended:
        raise Conflict("trading.lot_suspended", f"标段已暂停：{lot.suspension_reason or '异议或投诉处理中'}，暂不能开标")
    received = Bid.objects.filter(lot=lot, status=rules.BID_SUBMITTED).count()
    plan = _plan_for_update(lot)
    before, plan_before = {"status": lot.status, "row_version": lot.row_version}, plan_snapshot(plan)
    short = ro.check_enough_bids(received, lot.procedure.min_bidders)
    plan.opened_at, plan.opened_by = now, user
    if short:
        lot.status = rules.LOT_FLOW.require(lot, rules.FAIL)
        plan.failed_reason = short.message[:300]
        lot.next_check = None
    else:
        lot.status = rules.LOT_FLOW.require(lot, rules.OPEN)
        plan.seed = draw.new_seed()
        plan.commitment = draw.commitment(plan.seed)
        if not plan.needs_draw:
            plan.decrypt_from, plan.decrypt_until = now, ro.decrypt_until(now, plan.decrypt_minutes)
        lot.next_check = plan.decrypt_until
    workflow.finish(plan, "open", plan_before, snapshot=plan_snapshot)
    workflow.finish(lot, rules.FAIL if short else rules.OPEN, before, fields=["status", "next_check"],
                    snapshot=lambda o: {"status": o.status, "row_version": o.row_version, "bids": received},
                    note=short.message if short else "")
    if short:
        hooks.LOT_CLOSED.run(lot=lot, reason=short.message)
    return lot


def representative(plan: OpeningPlan) -> Bid | None:
    """The bidders' representative who draws: the one the hall elected, else the first bidder signed in."""
    if plan.drawer_bid_id:
        return plan.drawer_bid
    first = Attendance.objects.filter(lot_id=plan.lot_id, kind=BIDDER).select_related("bid").first()
    return first.bid if first else None


def do_set_drawer(user, lot_id, bid_id) -> OpeningPlan:
    """The centre records the representative the bidders elected (推选) in the hall."""
    common.check_perm(user, common.RUN_OPENING)
    lot = _lock_lot(lot_id)
    plan = _plan_for_update(lot)
    if lot.status != rules.OPENING or plan.drawn_at:
        raise Conflict("trading.draw_done" if plan.drawn_at else "trading.not_opening", "现在不能指定抽取代表")
    bid = Bid.objects.filter(lot=lot, pk=bid_id if type(bid_id) is int else None, status=rules.BID_SUBMITTED).first()
    if bid is None:
        raise InvalidInput("trading.bid_invalid", "请选择本标段已递交投标文件的投标人", details={"field": "bid"})
    before = plan_snapshot(plan)
    plan.drawer_bid = bid
    workflow.finish(plan, "set_drawer", before, snapshot=plan_snapshot, extra={"drawer": bid.bidder_name})
    return plan


def do_draw(user, lot_id) -> OpeningPlan:
    """The draw, once per lot (`trading.draw_done` for a second; concurrent ones wait on the plan's row lock).
    By the bidders' representative; by the centre only when no bidder signed in (recorded)."""
    lot = _lock_lot(lot_id)
    here = hall(user, lot.pk, lot=lot)
    plan = _plan_for_update(lot)
    if plan.drawn_at:
        raise Conflict("trading.draw_done", "本标段已完成随机抽取，不能再次抽取", details={"drawn_at": plan.drawn_at.isoformat()})
    if lot.status != rules.OPENING or not plan.commitment:
        raise Conflict("trading.not_opening", "开标后方可抽取", details={"status": lot.status})
    if not plan.needs_draw:
        raise Conflict("trading.no_draw", "招标文件未设定抽取范围，本标段无需抽取")
    rep = representative(plan)
    if here.role == BIDDER and rep is not None and rep.pk == here.bid.pk:
        common.check_perm(user, common.BID_AT_OPENING)
        note = f"由投标人代表（{rep.bidder_name}）抽取"
    elif here.role == CENTRE and rep is None:
        note = "投标人均未签到，由交易中心代为抽取"
    else:
        who = f"投标人推选的代表（{rep.bidder_name}）" if rep else "投标人推选的代表"
        raise Forbidden("trading.not_drawer", f"随机抽取由{who}进行", details={"source": ro.DRAW_SOURCE})
    before, now = plan_snapshot(plan), clock.now()
    if plan.has_float_range:
        lot.float_rate = draw.value_in_range(plan.seed, plan.float_low, plan.float_high, plan.float_step,
                                             ro.draw_context(lot.pk, "float_rate"))
    if plan.has_weight_range:
        plan.drawn_weight = draw.value_in_range(plan.seed, plan.weight_low, plan.weight_high, plan.weight_step,
                                                ro.draw_context(lot.pk, "weight"))
    plan.drawn_at, plan.drawn_by = now, user
    plan.decrypt_from, plan.decrypt_until = now, ro.decrypt_until(now, plan.decrypt_minutes)
    lot.next_check = plan.decrypt_until
    lot.save(update_fields=["float_rate", "next_check", "updated_at"])
    workflow.finish(plan, "draw", before, snapshot=plan_snapshot, note=note,
                    extra={"float_rate": None if lot.float_rate is None else str(lot.float_rate)})
    return plan


def verify_draw(plan: OpeningPlan) -> dict:
    """Everything needed to recompute the draw; `ok` says whether the seed matches the published commitment and
    the stored results are what the seed gives."""
    out = {"commitment": plan.commitment, "seed": plan.seed if plan.drawn_at else "", "drawn": bool(plan.drawn_at),
           "inputs": [], "ok": None}
    if not plan.drawn_at:
        return out
    ok = draw.verify(plan.seed, plan.commitment)
    for what, low, high, step, stored in (("float_rate", plan.float_low, plan.float_high, plan.float_step,
                                           plan.lot.float_rate),
                                          ("weight", plan.weight_low, plan.weight_high, plan.weight_step,
                                           plan.drawn_weight)):
        if low is None:
            continue
        context = ro.draw_context(plan.lot_id, what)
        value = draw.value_in_range(plan.seed, low, high, step, context)
        ok = ok and stored is not None and value == stored
        out["inputs"].append({"what": what, "low": str(low), "high": str(high), "step": str(step), "context": context,
                              "recomputed": str(value), "stored": None if stored is None else str(stored)})
    out["ok"] = ok
    return out

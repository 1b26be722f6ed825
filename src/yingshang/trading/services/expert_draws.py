"""The expert draw of a lot (专家抽取, issue 12 §6): prepare (the seed's hash and the pools published), then
draw (the seed revealed, `rules_experts.run_draw` gives main list and substitutes); redraws only for declined
or silent experts once the substitutes are used up; the committee completed by the composition rule.

The pool is filtered in SQL (回避: 实施条例第四十六条, 七部委令第12号第十二条) and ordered by id; the pool ids,
their count and digest are stored with the round, so `verify` recomputes every round from stored data.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q

from yingshang.kernel import access, clock
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from yingshang.kernel.rules import draw as vdraw
from yingshang.kernel.rules.workflow import Workflow
from yingshang.kernel.services import workflow
from yingshang.kernel.services.audit import record
from yingshang.trading import rules
from yingshang.trading import rules_experts as rx
from yingshang.trading.models import (
    Bid,
    CommitteeMember,
    DrawRound,
    Expert,
    ExpertDraw,
    ExpertRelation,
    Invitation,
    Lot,
    Specialty,
)
from yingshang.trading.services import common

fields = common.fields
REVEAL, REDRAW, COMPLETE = "reveal", "redraw", "complete"
DRAW_FLOW = Workflow(prefix="trading", noun="专家抽取", states=rx.DRAW_STATES,
                     actions={REVEAL: "揭示种子并抽取", REDRAW: "补抽", COMPLETE: "确认评标委员会组成"},
                     transitions={(rx.DRAW_PREPARED, REVEAL): rx.DRAW_DRAWN, (rx.DRAW_DRAWN, REDRAW): rx.DRAW_PREPARED,
                                  (rx.DRAW_DRAWN, COMPLETE): rx.DRAW_COMPLETED},
                     not_found="trading.draw_not_found")
DRAWABLE_LOT_STATES = (rules.ANNOUNCED, rules.OPENING)  # drawn before the evaluation, never after it began
UNSEALED_LOT_STATES = (rules.EVALUATING, rules.PUBLICITY, rules.AWARDED, rules.CONTRACTED, rules.ARCHIVED)


def snapshot(d: ExpertDraw) -> dict:
    return {"lot": d.lot_id, "status": d.status, "requirements": d.requirements, "row_version": d.row_version,
            "evaluation_on": str(d.evaluation_on), "avoid_district": d.avoid_district}


def _owns(user, lot: Lot) -> bool:
    return bool(user.uscc) and user.uscc in (lot.project.tenderer_uscc, lot.project.agency_uscc)


def check_may_run(user, lot: Lot) -> None:
    """The centre's draw officer, or the lot's own tenderer or agency (the draw runs under the centre)."""
    if access.has_perm(user, common.DRAW):
        return
    common.check_perm(user, common.DRAW_REQUEST)
    if not _owns(user, lot):
        raise Forbidden("trading.not_your_project", "只有该项目的招标人或其代理机构可以申请专家抽取")


def _requirements(raw) -> list[dict]:
    if not isinstance(raw, list) or not raw:
        raise InvalidInput("trading.requirements_required", "请填写抽取需求（专业和人数）", details={"field": "requirements"})
    out, seen = [], set()
    active = set(Specialty.objects.filter(active=True).values_list("code", flat=True))
    for row in raw:
        row = row if isinstance(row, dict) else {}
        code = fields.text(row.get("specialty"), "specialty", "评标专业", max_len=12)
        if code not in active:
            raise InvalidInput("trading.specialty_invalid", f"评标专业 {code} 不存在或已停用", details={"field": "specialty"})
        if code in seen:
            raise InvalidInput("trading.specialty_repeated", f"评标专业 {code} 重复填写", details={"field": "specialty"})
        seen.add(code)
        count = fields.integer(row.get("count"), "count", "抽取人数", minimum=1, maximum=rx.MAX_PER_SPECIALTY)
        subs = fields.integer(row.get("substitutes", 2), "substitutes", "候补人数", minimum=0,
                              maximum=rx.MAX_PER_SPECIALTY)
        out.append({"specialty": code, "count": count, "substitutes": subs})
    codes = [r["specialty"] for r in out]
    nested = sorted({a for a in codes for b in codes if a != b and a.startswith(b)})
    if nested:  # an expert of the inner one would be in two pools, and the inner pool could run dry
        raise InvalidInput("trading.specialty_overlap", f"评标专业 {'、'.join(nested)} 已包含在同时申请的上级专业中，"
                           "请只保留其一", details={"field": "specialty"})
    if sum(r["count"] for r in out) > rx.MAX_TOTAL:
        raise InvalidInput("trading.requirements_too_many", f"一次抽取的专家不超过 {rx.MAX_TOTAL} 人",
                           details={"field": "requirements"})
    return out


def avoided_usccs(lot: Lot) -> set[str]:
    """The units an expert must not be tied to: every bidder of the lot (withdrawn bids aside), the tenderer, the agency."""
    bidders = Bid.objects.filter(lot=lot).exclude(status=rules.BID_WITHDRAWN).values_list("bidder_uscc", flat=True)
    return {u for u in (*bidders, lot.project.tenderer_uscc, lot.project.agency_uscc) if u}


def avoided_experts(d: ExpertDraw, avoid: set[str]) -> set[int]:
    """Experts tied to an avoided unit by a recent relation, or already invited or seated for the same
    evaluation day in another draw (two small indexed queries; the pool query then excludes them)."""
    cutoff = rx.recent_cutoff(clock.today())
    related = ExpertRelation.objects.filter(uscc__in=avoid).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=cutoff))
    busy = Invitation.objects.filter(status__in=(rx.INVITED, rx.CONFIRMED), draw__evaluation_on=d.evaluation_on)
    if d.pk:
        busy = busy.exclude(draw_id=d.pk)
    return set(related.values_list("expert_id", flat=True)) | set(busy.values_list("expert_id", flat=True))


def pools_for(d: ExpertDraw, lot: Lot, specialties: list[str], avoid: set[str], exclude: set[int]) -> dict:
    """Per requested specialty (its subtree), the drawable experts after avoidance, by ascending id — one SQL
    query over (expert, specialty) pairs for all the specialties of the round.

    `exclude` holds the experts avoided by relation or busy that day (`avoided_experts`) and, in a redraw,
    those already drawn."""
    today = clock.today()
    codes = dict(Specialty.objects.values_list("pk", "code"))
    wanted_by_id = {pk: [s for s in specialties if code.startswith(s)] for pk, code in codes.items()}
    wanted_by_id = {pk: found for pk, found in wanted_by_id.items() if found}
    pairs = (Expert.specialties.through.objects
             .filter(specialty_id__in=list(wanted_by_id), expert__status=rx.ACTIVE, expert__verification=rx.VERIFIED)
             .filter(Q(expert__suspended_until__isnull=True) | Q(expert__suspended_until__lt=today))
             .exclude(expert__employer_uscc__in=avoid))
    if d.avoid_district:
        pairs = pairs.exclude(expert__region=lot.project.division_code)
    pools: dict[str, list[int]] = {s: [] for s in specialties}
    rows = pairs.order_by("expert_id").values_list("expert_id", "specialty_id")
    if all(len(found) == 1 for found in wanted_by_id.values()):  # the usual case: disjoint subtrees
        append = {pk: pools[found[0]].append for pk, found in wanted_by_id.items()}
        for expert_id, specialty_id in rows:
            append[specialty_id](expert_id)
        # Rows come by expert id, so an expert of two specialties in one subtree is adjacent: dropped here.
        return {spec: [i for i in dict.fromkeys(ids) if i not in exclude] for spec, ids in pools.items()}
    for expert_id, specialty_id in rows:
        if expert_id in exclude:
            continue
        for spec in wanted_by_id[specialty_id]:
            pool = pools[spec]
            if not pool or pool[-1] != expert_id:  # two specialties of one subtree: once in its pool
                pool.append(expert_id)
    return pools


def _new_round(d: ExpertDraw, lot: Lot, user, wanted: list[dict], reason: str) -> DrawRound:
    avoid = avoided_usccs(lot)
    first = not d.rounds.exists()
    exclude = avoided_experts(d, avoid) | (set() if first else set(d.invitations.values_list("expert_id", flat=True)))
    pools = []
    found = pools_for(d, lot, [req["specialty"] for req in wanted], avoid, exclude)
    for req in wanted:
        ids = found[req["specialty"]]
        if len(ids) < req["count"]:
            raise Conflict("trading.pool_too_small", f"专业 {req['specialty']} 符合回避要求的在库专家仅 {len(ids)} 人，"
                           f"少于需要的 {req['count']} 人", details={"specialty": req["specialty"], "pool": len(ids)})
        text = rx.pool_text(ids)  # stored as text: what is digested, and cheap to store and read back
        pools.append({**req, "ids": text, "size": len(ids), "digest": rx.pool_digest(text)})
    seq = 1 if first else d.rounds.count() + 1
    seed = vdraw.new_seed()
    return DrawRound.objects.create(draw=d, seq=seq, reason=reason, seed=seed, commitment=vdraw.commitment(seed),
                                    pools=pools, prepared_by=user, prepared_at=clock.now())


def round_summary(r: DrawRound) -> dict:
    """What is published about a round (the seed only once revealed)."""
    return {"seq": r.seq, "reason": r.reason, "commitment": r.commitment, "seed": r.seed if r.revealed else None,
            "prepared_at": r.prepared_at, "drawn_at": r.drawn_at,
            "pools": [{k: p[k] for k in ("specialty", "count", "substitutes", "size", "digest")} for p in r.pools]}


def do_prepare(user, lot_id, data: dict) -> ExpertDraw:
    """Step 1: the draw's requirements, its pools and the commitment to a secret seed (published at once)."""
    lot = workflow.lock(Lot.objects.select_related("project"), lot_id, None, rules.LOT_FLOW)
    check_may_run(user, lot)
    if lot.status not in DRAWABLE_LOT_STATES:
        raise Conflict("trading.draw_not_allowed", f"标段当前状态为“{lot.status_label}”，只能在招标中或开标中抽取评标专家")
    if ExpertDraw.objects.filter(lot=lot).exists():
        raise Conflict("trading.draw_exists", "该标段已抽取过评标专家；拒绝或超时的专家由候补递补或补抽")
    wanted = _requirements(data.get("requirements"))
    evaluation_on = fields.day(data.get("evaluation_on"), "evaluation_on", "评标日期", earliest=clock.today())
    minutes = fields.integer(data.get("reply_minutes", rx.REPLY_MINUTES), "reply_minutes", "回复时限（分钟）",
                             minimum=5, maximum=24 * 60)
    try:
        with transaction.atomic():  # the unique lot is the last word when two requests race past the check
            d = ExpertDraw.objects.create(lot=lot, requirements=wanted, evaluation_on=evaluation_on,
                                          avoid_district=bool(data.get("avoid_district")), reply_minutes=minutes,
                                          requested_by=user, created_at=clock.now())
    except IntegrityError:
        raise Conflict("trading.draw_exists", "该标段已抽取过评标专家") from None
    r = _new_round(d, lot, user, wanted, "首次抽取")
    record("trading.expertdraw.prepare", d, after=snapshot(d) | {"round": round_summary(r)})
    return d


def _lock(draw_id, row_version) -> ExpertDraw:
    d = workflow.lock(ExpertDraw.objects.select_related("lot__project"), draw_id, row_version, DRAW_FLOW)
    return d


def do_reveal(user, draw_id, row_version: int | None) -> ExpertDraw:
    """Step 2: reveal the seed of the pending round, store the picks, invite the main experts."""
    from yingshang.trading.services import invitations

    d = _lock(draw_id, row_version)
    check_may_run(user, d.lot)
    after = DRAW_FLOW.require(d, REVEAL)
    r = d.rounds.filter(drawn_at__isnull=True).order_by("seq").first()
    before = snapshot(d)
    picks = rx.run_draw(r.seed, d.lot_id, r.seq, r.pools)
    Invitation.objects.bulk_create([Invitation(draw=d, round=r, expert_id=p.expert_id, specialty=p.specialty,
                                               rank=p.rank, role=p.role, reply_code=invitations.new_reply_code())
                                    for p in picks])
    r.drawn_at, r.drawn_by = clock.now(), user
    r.save(update_fields=["drawn_at", "drawn_by"])
    d.status = after
    invited = invitations.fill_vacancies(d, audit=False)  # recorded with the reveal: one entry for the action
    workflow.finish(d, REVEAL, before, snapshot=snapshot, fields=["status"], extra={
        "round": round_summary(r), "picks": [[p.specialty, p.expert_id, p.role] for p in picks], **invited})
    return d


def vacancies(d: ExpertDraw) -> dict[str, int]:
    """Per specialty: how many main places are neither confirmed nor awaiting an answer."""
    taken: dict[str, int] = {}
    for spec in d.invitations.filter(status__in=(rx.INVITED, rx.CONFIRMED)).values_list("specialty", flat=True):
        taken[spec] = taken.get(spec, 0) + 1
    return {r["specialty"]: r["count"] - taken.get(r["specialty"], 0) for r in d.requirements}


def do_redraw(user, draw_id, row_version: int | None) -> ExpertDraw:
    """Prepare a supplementary round (补抽, 实施条例第四十六条: replacements drawn the same way) for the places
    declined or not answered, allowed only once that specialty's substitutes are used up."""
    d = _lock(draw_id, row_version)
    check_may_run(user, d.lot)
    after = DRAW_FLOW.require(d, REDRAW)
    waiting = set(d.invitations.filter(status=rx.WAITING).values_list("specialty", flat=True))
    wanted = [{**req, "count": n} for req in d.requirements
              if (n := vacancies(d)[req["specialty"]]) > 0 and req["specialty"] not in waiting]
    if not wanted:
        raise Conflict("trading.redraw_not_needed", "没有需要补抽的专业：空缺先由候补专家递补")
    before = snapshot(d)
    r = _new_round(d, d.lot, user, wanted, "补抽：" + "、".join(f"{w['specialty']} {w['count']}人" for w in wanted))
    d.status = after
    workflow.finish(d, REDRAW, before, snapshot=snapshot, extra={"round": round_summary(r)})
    return d


def do_complete(user, draw_id, row_version: int | None) -> ExpertDraw:
    """Every place confirmed and the committee's composition lawful (《招标投标法》第三十七条)."""
    d = _lock(draw_id, row_version)
    check_may_run(user, d.lot)
    after = DRAW_FLOW.require(d, COMPLETE)
    confirmed = d.invitations.filter(status=rx.CONFIRMED).count()
    if any(n > 0 for n in vacancies(d).values()) or confirmed < sum(r["count"] for r in d.requirements):
        raise Conflict("trading.committee_incomplete", "仍有专家未确认参加，待确认或递补后再确认组成")
    reps = CommitteeMember.objects.filter(lot=d.lot, role=rules.TENDERER_REP).count()
    breach = rules.check_committee(confirmed, reps)
    if breach:
        raise Conflict(breach.code, breach.message, details={"source": breach.source})
    before = snapshot(d)
    d.status, d.completed_at = after, clock.now()
    workflow.finish(d, COMPLETE, before, snapshot=snapshot, extra={"experts": confirmed, "tenderer_reps": reps})
    return d


def verify(draw_id) -> dict:
    """Recompute every revealed round from its stored seed and pools; anyone signed in may ask."""
    d = ExpertDraw.objects.filter(pk=draw_id).first() if type(draw_id) is int else None
    if d is None:
        raise NotFound("trading.draw_not_found", "专家抽取不存在")
    out = []
    for r in d.rounds.order_by("seq"):
        if not r.revealed:
            out.append({"seq": r.seq, "revealed": False, "ok": None, "problems": []})
            continue
        picks = [rx.Pick(i.specialty, i.expert_id, i.rank, i.role) for i in r.picks.order_by("pk")]
        result = rx.verify_round(r.seed, r.commitment, d.lot_id, r.seq, r.pools, picks)
        out.append({"seq": r.seq, "revealed": True, "ok": result.ok, "problems": result.problems})
    return {"draw": d.pk, "lot": d.lot_id, "ok": all(x["ok"] is not False for x in out), "rounds": out}

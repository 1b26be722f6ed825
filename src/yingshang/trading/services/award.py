"""定标 under 评定分离 (seed 004): the tenderer's award committee decides among the candidates by the method
the documents state (票决, 抽签, 价格竞争, 集体议事), within 20 days of the report, after the publicity and
with no objection pending; the winner passes the credit check; the notice of award (a PDF) goes to the
winner and result notices to the others; the result is published. PUBLICITY → AWARDED."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict, InvalidInput
from yingshang.kernel.rules import draw
from yingshang.kernel.services import documents, notifications, workflow
from yingshang.kernel.services.audit import record
from yingshang.trading import rules, rules_award
from yingshang.trading.models import AwardCommitteeMember, AwardDecision, AwardDraw, Publicity, ResultObjection
from yingshang.trading.services import common, credit_gate, lots
from yingshang.trading.services.publicity import check_own, check_tenderer, lock_lot, refuse

MAX_MEMBERS = 25
NOTICE_KIND, CERTIFICATE_KIND = "trading_award_notice", "trading_certificate"


def _publicity(lot) -> Publicity:
    publicity = Publicity.objects.filter(lot=lot).first()
    if publicity is None:
        raise Conflict("trading.not_in_publicity", "该标段尚未公示中标候选人")
    return publicity


def do_commit_draw(user, lot_id) -> AwardDraw:
    """抽签: fix the seed now and publish its SHA-256 with the pool, before anyone decides (kernel draw)."""
    common.check_perm(user, common.AWARD)
    lot = lock_lot(lot_id, None)
    check_own(user, lot)
    rules.LOT_FLOW.require(lot, rules.AWARD)
    if _publicity(lot).award_method != rules_award.DRAW:
        raise Conflict("trading.award_method_mismatch", "招标文件载明的定标方法不是抽签定标")
    seed = draw.new_seed()
    pool = sorted(lot.candidates.values_list("pk", flat=True))
    try:
        with transaction.atomic():
            committed = AwardDraw.objects.create(lot=lot, commitment=draw.commitment(seed), seed=seed, pool=pool,
                                                 committed_at=clock.now())
    except IntegrityError:
        raise Conflict("trading.draw_committed", "该标段的抽签种子已承诺，不能重新生成") from None
    record("trading.award_draw.commit", committed, after={"lot": lot.pk, "commitment": committed.commitment,
                                                          "pool": pool})
    return committed


def _members(raw, candidates: dict[int, object], method: str) -> list[dict]:
    if not isinstance(raw, list | tuple) or len(raw) > MAX_MEMBERS:
        raise InvalidInput("trading.members_invalid", f"定标委员会成员须为列表，最多 {MAX_MEMBERS} 人",
                           details={"field": "members"})
    members = []
    for i, row in enumerate(raw):
        row = row if isinstance(row, dict) else {}
        name = common.fields.text(row.get("name"), "member_name", f"第{i + 1}位成员姓名", max_len=50)
        title = common.fields.text(row.get("title"), "member_title", "职务", max_len=100, required=False)
        vote = None
        if method == rules_award.VOTE:
            vote = row.get("vote")
            if type(vote) is str and vote.isdigit():
                vote = int(vote)
            if vote not in candidates:
                raise InvalidInput("trading.vote_invalid", f"{name}的投票须投给本标段的一名中标候选人",
                                   details={"field": "members"})
        members.append({"name": name, "title": title, "vote": vote})
    refuse(rules_award.check_award_committee(len(members)), InvalidInput)
    return members


def _winner(lot, method: str, members: list[dict], candidates: dict, winner_id) -> tuple[object, dict]:
    """The winning candidate by the method, and what makes the decision recomputable."""
    if method == rules_award.VOTE:
        won, breach = rules_award.vote_winner({str(i): m["vote"] for i, m in enumerate(members)}, len(members))
        refuse(breach)
        return candidates[won], {"votes": {m["name"]: m["vote"] for m in members}}
    if method == rules_award.PRICE:
        won, breach = rules_award.price_winner({pk: c.bid.price for pk, c in candidates.items()})
        refuse(breach)
        return candidates[won], {"prices": {pk: str(c.bid.price) for pk, c in candidates.items()}}
    if method == rules_award.DRAW:
        committed = AwardDraw.objects.select_for_update().filter(lot=lot).first()
        if committed is None:
            raise Conflict("trading.draw_not_committed", "抽签定标须先生成并公布随机种子承诺")
        if sorted(candidates) != committed.pool:
            raise Conflict("trading.draw_pool_changed", "候选人与承诺时公布的候选人池不一致")
        won = rules_award.draw_winner(committed.seed, committed.pool, lot.pk)
        committed.revealed_at = clock.now()
        committed.save(update_fields=["revealed_at"])
        return candidates[won], {"seed": committed.seed, "commitment": committed.commitment, "pool": committed.pool,
                                 "context": rules_award.draw_context(lot.pk)}
    chosen = winner_id if type(winner_id) is int else int(winner_id) if str(winner_id or "").isdigit() else None
    if chosen not in candidates:
        raise InvalidInput("trading.winner_invalid", "请从本标段的中标候选人中选定中标人", details={"field": "winner_id"})
    return candidates[chosen], {}


def _announce_result(lot, decision: AwardDecision, user) -> None:
    """The public 中标结果公告 (TBL Art. 45): the winner, its price and how it was decided."""
    from yingshang.trading import rules_announcements as ra
    from yingshang.trading.services import announcements

    method = rules_award.AWARD_METHODS.get(decision.method, decision.method)
    price = f"{decision.price:,.2f} 元" if decision.price is not None else "见中标通知书"
    body = (f"{lot.project.name}{lot.name}经招标人定标委员会按招标文件规定的{method}定标，确定中标人为"
            f"{decision.winner_name}，中标价 {price}。中标通知书已于 {decision.notice_on:%Y-%m-%d} 发出，"
            f"招标人与中标人应于 {decision.contract_due:%Y-%m-%d} 前订立书面合同。")
    announcements.do_publish_announcement(lot, ra.RESULT, f"{lot.project.name}{lot.name}中标结果公告", body,
                                          published_at=decision.published_at, actor=user)


def do_award(user, lot_id, row_version, *, members, reasons, winner_id=None) -> AwardDecision:
    common.check_perm(user, common.AWARD)
    lot = lock_lot(lot_id, row_version)
    check_tenderer(user, lot)
    after = rules.LOT_FLOW.require(lot, rules.AWARD)
    publicity = _publicity(lot)
    today = clock.today()
    pending = ResultObjection.objects.filter(lot=lot, status=ResultObjection.PENDING).count()
    refuse(rules_award.check_award_ready(today, publicity.ends_on, pending, lot.suspended))
    refuse(rules_award.check_award_deadline(publicity.report_on, today))
    method = publicity.award_method
    candidates = {c.pk: c for c in lot.candidates.select_related("bid__bidder")}
    rows = _members(members, candidates, method)
    text = common.fields.text(reasons, "reasons", "定标理由", max_len=4000)
    winner, proof = _winner(lot, method, rows, candidates, winner_id)
    bid = winner.bid
    credit_gate.check(bid.bidder_uscc, stage="award", reference=f"lot:{lot.pk}/award", department=lot.project.regulator,
                      subject_label="中标候选人")
    decision = AwardDecision.objects.create(
        lot=lot, method=method, winner=winner, winner_name=bid.bidder_name, winner_uscc=bid.bidder_uscc, price=bid.price,
        reasons=text, decided_on=today, decided_by=user, notice_on=today, contract_due=rules.contract_due(today),
        published_at=clock.now())
    AwardCommitteeMember.objects.bulk_create([AwardCommitteeMember(decision=decision, name=m["name"], title=m["title"],
                                                                   vote_id=m["vote"]) for m in rows])
    decision.notice = _notice(lot, decision)
    decision.save(update_fields=["notice"])
    _notify(lot, decision, candidates)
    _announce_result(lot, decision, user)
    before = lots.snapshot(lot)
    lot.status = after
    workflow.finish(lot, rules.AWARD, before, snapshot=lots.snapshot, fields=["status"], extra={"award": {
        "method": method, "winner": bid.bidder_name, "winner_uscc": bid.bidder_uscc, "price": str(bid.price),
        "members": [m["name"] for m in rows], "reasons": text, "notice": decision.notice.verification_code, **proof}})
    return decision


def _money(value) -> str:
    return "—" if value is None else f"{value:,.2f} 元"


def _notice(lot, decision: AwardDecision):
    project = lot.project
    return documents.do_issue_document(
        NOTICE_KIND, "中标通知书", salutation=f"{decision.winner_name}：", holder_name=decision.winner_name, obj=decision,
        body=[f"{project.name}（{lot.name}）经评标委员会评审推荐、招标人定标委员会按招标文件载明的"
              f"{decision.method_label}确定，你单位为中标人。",
              f"请自本通知书发出之日起30日内（{decision.contract_due:%Y年%m月%d日}前）与招标人订立书面合同"
              "（《招标投标法》第四十六条）。"],
        fields=[("招标人", project.tenderer_name), ("项目名称", project.name), ("标段", lot.name),
                ("中标人", decision.winner_name), ("统一社会信用代码", decision.winner_uscc),
                ("中标价", _money(decision.price)), ("定标方法", decision.method_label),
                ("定标日期", f"{decision.decided_on:%Y-%m-%d}")])


def _notify(lot, decision: AwardDecision, candidates: dict) -> None:
    """The notice to the winner; a result notice to every other bidder (TBL Art. 45)."""
    title = f"{lot.project.name}（{lot.name}）"
    winner_user = decision.winner.bid.bidder
    code = documents.format_code(decision.notice.verification_code)
    notifications.do_notify([winner_user], f"中标通知：{title}", f"你单位已被确定为中标人，中标通知书核验码 {code}。"
                            f"请于 {decision.contract_due:%Y-%m-%d} 前签订合同。", channels=("site",), obj=decision)
    others = [b.bidder for b in lot.bids.select_related("bidder").exclude(bidder_uscc=decision.winner_uscc)
              .exclude(status=rules.BID_WITHDRAWN)]
    notifications.do_notify(others, f"中标结果通知：{title}", f"本标段中标人为{decision.winner_name}。感谢参与投标。",
                            channels=("site",), obj=decision)

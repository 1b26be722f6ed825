"""After decryption: the reading-out of the price sheet (唱标, 开标一览表) and each bidder's sign-off, objections
raised at the opening and answered on the spot (REG Art. 44), and the opening record (开标记录) as a PDF."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict, Forbidden, NotFound
from yingshang.kernel.services import documents, workflow
from yingshang.kernel.services.audit import record
from yingshang.trading import hooks, rules
from yingshang.trading import rules_opening as ro
from yingshang.trading.models import Attendance, Bid, OpeningObjection, OpeningPlan
from yingshang.trading.services import common, opening

RECORD_KIND = "trading_opening_record"


def lines(lot) -> list[Bid]:
    """The bids of the price sheet in the order they were received (withdrawn-before-deadline ones left out)."""
    return list(Bid.objects.filter(lot=lot).exclude(status=rules.BID_WITHDRAWN, decrypted_at__isnull=True,
                                                    not_decrypted_reason="").order_by("submitted_at", "pk"))


def do_publish_sheet(user, lot_id) -> OpeningPlan:
    """唱标: once decryption is over and every sealed bid has been decided, publish names, prices and the other
    items of the sheet to everyone in the hall; fires BIDS_OPENED."""
    common.check_perm(user, common.RUN_OPENING)
    lot = opening._lock_lot(lot_id)
    plan = opening._plan_for_update(lot)
    if plan.published_at:
        raise Conflict("trading.sheet_published", "开标一览表已公布")
    if lot.status != rules.OPENING or not plan.decrypt_from:
        raise Conflict("trading.not_opening", "尚未开标")
    counts = Bid.objects.filter(lot=lot).aggregate(sealed=Count("pk", filter=Q(status=rules.BID_SUBMITTED)))
    if counts["sealed"] and not plan.closed_at:
        raise Conflict("trading.decrypt_window_open", "解密尚未结束，不能唱标", details=counts)
    if counts["sealed"]:
        raise Conflict("trading.undecided_bids", f"尚有{counts['sealed']}份未解密的投标文件未认定（撤销或撤回），请先认定",
                       details=counts)
    before = opening.plan_snapshot(plan)
    now = clock.now()
    if not plan.closed_at:
        plan.closed_at = now  # every bid decrypted: the window ends with the reading-out
    plan.published_at, plan.published_by = now, user
    lot.next_check = None
    lot.save(update_fields=["next_check", "updated_at"])
    workflow.finish(plan, "publish", before, snapshot=opening.plan_snapshot, extra={"sheet": [
        {"bid": b.pk, "bidder": b.bidder_name, "status": b.status, "price": None if b.price is None else str(b.price),
         "over_ceiling": ro.over_ceiling(b.price, lot.ceiling_price)} for b in lines(lot)]})
    hooks.BIDS_OPENED.run(lot=lot)
    return plan


def do_sign_line(user, lot_id) -> Bid:
    """签字确认: the bidder confirms its own line of the published sheet (once; the time is recorded)."""
    here = opening.hall(user, lot_id)
    if here.role != opening.BIDDER:
        raise Forbidden("trading.not_a_bidder", "只有投标人可以对本单位的开标一览表签字确认")
    common.check_perm(user, common.BID_AT_OPENING)
    if not (here.plan and here.plan.published_at):
        raise Conflict("trading.sheet_not_published", "开标一览表公布后方可签字确认")
    bid = Bid.objects.select_for_update(of=("self",)).get(pk=here.bid.pk)
    if bid.status != rules.BID_DECRYPTED:
        raise Conflict("trading.bid_not_decrypted", "未解密的投标文件没有开标一览表可确认")
    if bid.sheet_signed_at:
        raise Conflict("trading.sheet_signed", "已签字确认")
    bid.sheet_signed_at, bid.sheet_signed_by = clock.now(), user
    bid.save(update_fields=["sheet_signed_at", "sheet_signed_by"])
    record("trading.bid.sign_sheet", bid, after={"signed_at": bid.sheet_signed_at.isoformat(),
                                                 "price": None if bid.price is None else str(bid.price)})
    return bid


def do_raise_objection(user, lot_id, content) -> OpeningObjection:
    """A bidder's objection to the opening, raised in the hall while the lot is opening (REG Art. 44)."""
    here = opening.hall(user, lot_id)
    if here.role != opening.BIDDER:
        raise Forbidden("trading.not_a_bidder", "只有投标人可以对开标提出异议")
    common.check_perm(user, common.BID_AT_OPENING)
    if here.lot.status != rules.OPENING:
        raise Conflict("trading.not_opening", "对开标有异议的，应当在开标现场提出", details={"source": ro.OBJECTION_SOURCE})
    content = common.fields.text(content, "content", "异议内容", max_len=ro.MAX_OBJECTION)
    objection = OpeningObjection.objects.create(lot=here.lot, bid=here.bid, raised_by=user, content=content,
                                                raised_at=clock.now())
    record("trading.openingobjection.raise", objection, after={"lot": here.lot.pk, "bidder": here.bid.bidder_name,
                                                               "content": content})
    return objection


def do_answer_objection(user, lot_id, objection_id, answer) -> OpeningObjection:
    """The tenderer (or its agency) answers on the spot; answered once."""
    here = opening.hall(user, lot_id)
    if here.role != opening.TENDERER:
        raise Forbidden("trading.not_your_project", "开标异议由招标人（或其代理机构）当场答复")
    found = OpeningObjection.objects.filter(lot=here.lot, pk=objection_id).first() if type(objection_id) is int else None
    if found is None:
        raise NotFound("trading.objection_not_found", "开标异议不存在")
    objection = OpeningObjection.objects.select_for_update().get(pk=found.pk)
    if objection.answered_at:
        raise Conflict("trading.objection_answered", "该异议已答复")
    answer = common.fields.text(answer, "answer", "答复", max_len=ro.MAX_OBJECTION)
    objection.answer, objection.answered_by, objection.answered_at = answer, user, clock.now()
    objection.row_version += 1
    objection.save(update_fields=["answer", "answered_by", "answered_at", "row_version"])
    record("trading.openingobjection.answer", objection, before={"answered": False},
           after={"answered": True, "answer": answer})
    return objection


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else "—"


def _record_sections(lot, plan: OpeningPlan) -> list[tuple[str, list[str]]]:
    people = [f"{a.kind_label}：{a.organisation} {a.name}，签到 {_when(a.signed_in_at)}"
              for a in Attendance.objects.filter(lot=lot).order_by("signed_in_at", "pk")]
    check = opening.verify_draw(plan)
    drawn = [f"种子承诺值（开标时公布）：{plan.commitment}", f"随机种子（抽取后公布）：{check['seed'] or '—'}",
             f"抽取时间：{_when(plan.drawn_at)}；核验：{'一致' if check['ok'] else '—'}"]
    drawn += [f"{'下浮率' if i['what'] == 'float_rate' else '控制价权重'}：范围 {i['low']}%～{i['high']}%，步长 {i['step']}%，"
              f"结果 {i['stored']}%（上下文 {i['context']}）" for i in check["inputs"]]
    sheet = []
    for n, bid in enumerate(lines(lot), 1):
        s = bid.price_sheet or {}
        flag = "（高于最高投标限价）" if ro.over_ceiling(bid.price, lot.ceiling_price) else ""
        detail = (f"报价 {bid.price if bid.price is not None else '无法识别'} 元{flag}，工期 {s.get('duration_days', '—')}，"
                  f"质量 {s.get('quality', '—')}，项目负责人 {s.get('project_manager', '—')}，"
                  f"签字确认 {_when(bid.sheet_signed_at)}") if bid.status == rules.BID_DECRYPTED else \
            f"{bid.status_label}：{bid.not_decrypted_reason or '—'}"
        sheet.append(f"{n}. {bid.bidder_name}（递交 {_when(bid.submitted_at)}，解密 {_when(bid.decrypted_at)}）：{detail}")
    objections = [f"{o.bid.bidder_name} {_when(o.raised_at)} 提出：{o.content}；"
                  f"答复（{_when(o.answered_at)}）：{o.answer or '未答复'}"
                  for o in OpeningObjection.objects.filter(lot=lot).select_related("bid")]
    return [("一、参加开标人员", people or ["无"]), ("二、随机抽取", drawn if plan.needs_draw else ["招标文件未设定抽取范围"]),
            ("三、投标文件及开标一览表", sheet or ["无"]), ("四、开标异议及答复", objections or ["无"])]


def do_issue_record(user, lot_id) -> OpeningPlan:
    """开标记录 (TBL Art. 36) as a PDF registered with its SHA-256 (kernel documents); issuing again (after a later
    objection) revokes the previous record."""
    common.check_perm(user, common.RUN_OPENING)
    lot = opening._lock_lot(lot_id)
    plan = opening._plan_for_update(lot)
    if not plan.published_at:
        raise Conflict("trading.sheet_not_published", "唱标后方可出具开标记录")
    previous = plan.record
    before = opening.plan_snapshot(plan)
    fields = [("招标项目", lot.project.name), ("标段", lot.name), ("招标人", lot.project.tenderer_name),
              ("交易方式", lot.procedure.name), ("最高投标限价（元）", lot.ceiling_price or "—"),
              ("投标截止时间", _when(lot.bid_deadline)), ("开标时间", _when(plan.opened_at)),
              ("解密时间", f"{_when(plan.decrypt_from)} 至 {_when(plan.closed_at)}"), ("唱标时间", _when(plan.published_at))]
    plan.record = documents.do_issue_document(
        RECORD_KIND, "开标记录", fields=fields, sections=_record_sections(lot, plan), number=None,
        holder_name=lot.project.tenderer_name[:100], obj=plan,
        body=[f"依据{ro.RECORD_SOURCE}、{ro.OBJECTION_SOURCE}，本标段于{_when(plan.opened_at)}在电子交易平台不见面开标，记录如下。"])
    workflow.finish(plan, "record", before, snapshot=opening.plan_snapshot,
                    extra={"record_sha256": plan.record.sha256, "record_id": plan.record.pk})
    if previous is not None and previous.revoked_at is None:
        documents.do_revoke_document(previous, "已重新出具开标记录")
    return plan

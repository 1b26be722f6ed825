"""What the opening hall shows to whom (the page, its live fragment and the API read the same dict).

Scoping follows what the law makes public at the opening (ETB Art. 30): until the reading-out a bidder sees
the others only as "投标人 N" with their sign-in and decryption status; after it, every bidder's name and
price sheet. Nobody is ever shown another bid's file; the seed only after the draw.
"""

from __future__ import annotations

from yingshang.kernel import clock
from yingshang.trading import rules
from yingshang.trading import rules_opening as ro
from yingshang.trading.models import Attendance, OpeningObjection
from yingshang.trading.services import opening
from yingshang.trading.services.opening_sheet import lines


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def _sheet(bid) -> dict:
    sheet = bid.price_sheet if isinstance(bid.price_sheet, dict) else {}
    return {k: "" if sheet.get(k) is None else str(sheet.get(k)) for k in ro.SHEET_FIELDS if k != "price"}


def actions(here: opening.Hall, signed_in: bool) -> list[str]:
    """What this user can do in the hall now (the services decide again)."""
    lot, plan, role = here.lot, here.plan, here.role
    opened = lot.status == rules.OPENING and plan is not None and plan.opened_at
    decrypting = bool(opened and plan.decrypt_from and not plan.closed_at and clock.now() <= plan.decrypt_until)
    out = []
    if lot.status in (rules.ANNOUNCED, rules.OPENING) and not signed_in:
        out.append("sign_in")
    if role == opening.CENTRE:
        if lot.status == rules.ANNOUNCED and clock.now() >= lot.bid_deadline:
            out.append("open")
        if opened and plan.needs_draw and not plan.drawn_at:
            out.append("set_drawer")
        if opened and plan.decrypt_from and not plan.closed_at:
            out.append("close")
        if opened and plan.closed_at and not plan.published_at:
            out.append("decide")
        if opened and plan.decrypt_from and not plan.published_at:
            out.append("publish")
        if plan is not None and plan.published_at:
            out.append("record")
    if role == opening.BIDDER and opened:
        if plan.needs_draw and not plan.drawn_at:
            rep = opening.representative(plan)
            if rep is not None and rep.pk == here.bid.pk:
                out.append("draw")
        if decrypting and here.bid.status == rules.BID_SUBMITTED:
            out.append("decrypt")
        if plan.published_at and here.bid.status == rules.BID_DECRYPTED and not here.bid.sheet_signed_at:
            out.append("sign")
        out.append("object")
    if role == opening.CENTRE and opened and plan.needs_draw and not plan.drawn_at and \
            opening.representative(plan) is None:
        out.append("draw")
    if role == opening.TENDERER and opened:
        out.append("answer")
    return out


def view(user, here: opening.Hall) -> dict:
    lot, plan = here.lot, here.plan
    published = bool(plan and plan.published_at)
    attendance = list(Attendance.objects.filter(lot=lot).select_related("bid"))
    signed_bids = {a.bid_id for a in attendance if a.bid_id}
    rows = []
    for n, bid in enumerate(lines(lot), 1):
        mine = here.bid is not None and bid.pk == here.bid.pk
        named = published or mine or here.role != opening.BIDDER
        show_sheet = bid.status == rules.BID_DECRYPTED and (published or mine)
        rows.append({
            "id": bid.pk if named else None, "seq": n, "mine": mine,
            "bidder": bid.bidder_name if named else f"投标人 {n}",
            "status": bid.status, "status_label": bid.status_label,
            "signed_in": bid.pk in signed_bids, "decrypted": bid.decrypted_at is not None,
            "decrypted_at": bid.decrypted_at, "read_out": published and bid.status == rules.BID_DECRYPTED,
            "price": _money(bid.price) if show_sheet else None,
            "over_ceiling": show_sheet and ro.over_ceiling(bid.price, lot.ceiling_price),
            "sheet": _sheet(bid) if show_sheet else {},
            "signed_at": bid.sheet_signed_at if published else None,
            "not_decrypted_reason": bid.not_decrypted_reason if named else "",
            "decrypt_failures": bid.decrypt_failures if named else 0,
        })
    check = opening.verify_draw(plan) if plan else {"commitment": "", "seed": "", "drawn": False, "inputs": [],
                                                      "ok": None}
    rep = opening.representative(plan) if plan and plan.opened_at else None
    me = next((a for a in attendance if a.user_id == user.pk), None)
    return {
        "lot": {"id": lot.pk, "name": lot.name, "project_name": lot.project.name, "status": lot.status,
                "status_label": lot.status_label, "bid_deadline": lot.bid_deadline,
                "ceiling_price": _money(lot.ceiling_price),
                "float_rate": None if lot.float_rate is None or not check["drawn"] else str(lot.float_rate)},
        "role": here.role, "role_label": Attendance.KINDS.get(here.role, here.role), "now": clock.now(),
        "plan": None if plan is None else {
            "float_range": [str(v) for v in (plan.float_low, plan.float_high, plan.float_step)] if plan.has_float_range
            else None,
            "weight_range": [str(v) for v in (plan.weight_low, plan.weight_high, plan.weight_step)]
            if plan.has_weight_range else None,
            "decrypt_minutes": plan.decrypt_minutes, "opened_at": plan.opened_at, "failed_reason": plan.failed_reason,
            "decrypt_from": plan.decrypt_from, "decrypt_until": plan.decrypt_until, "closed_at": plan.closed_at,
            "published_at": plan.published_at, "drawn_at": plan.drawn_at,
            "drawn_weight": None if plan.drawn_weight is None else str(plan.drawn_weight),
            "representative": rep.bidder_name if rep else "", "needs_draw": plan.needs_draw,
            "record_id": plan.record_id, "record_sha256": plan.record.sha256 if plan.record_id else ""},
        "draw": check,
        "attendance": [{"kind": a.kind, "kind_label": a.kind_label,
                        "name": a.name if here.role != opening.BIDDER or a.kind != Attendance.BIDDER or published
                        or a.user_id == user.pk else "投标人代表",
                        "organisation": a.organisation if here.role != opening.BIDDER or a.kind != Attendance.BIDDER
                        or published or a.user_id == user.pk else "—",
                        "signed_in_at": a.signed_in_at} for a in attendance],
        "signed_in": me is not None,
        "bids": rows,
        "objections": [{"id": o.pk, "bidder": o.bid.bidder_name if published or here.role != opening.BIDDER
                        or o.bid_id == getattr(here.bid, "pk", None) else "投标人",
                        "content": o.content, "raised_at": o.raised_at, "answer": o.answer,
                        "answered_at": o.answered_at}
                       for o in OpeningObjection.objects.filter(lot=lot).select_related("bid")],
        "actions": actions(here, me is not None),
    }

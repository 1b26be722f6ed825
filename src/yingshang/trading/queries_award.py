"""Reading the award file of a lot (publicity, objections, draw, decision, contract, certificate, archive),
the bidder's results, and what the public sees: candidates' names and prices only, never an ID number."""

from __future__ import annotations

from django.db.models import Prefetch

from yingshang.kernel import access, clock
from yingshang.kernel.errors import NotFound
from yingshang.kernel.services import documents
from yingshang.trading import queries, rules, rules_award
from yingshang.trading.models import (
    Archive,
    AwardDecision,
    AwardDraw,
    Bid,
    Candidate,
    Certificate,
    Contract,
    Lot,
    Publicity,
    ResultObjection,
)
from yingshang.trading.services import common
from yingshang.trading.services.publicity import bidder_lots


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def lot_for(user, pk) -> Lot:
    """The lot within the user's scope: staff, tenderer, regulator by `queries.lot`; a bidder its bid's lots."""
    if access.has_perm(user, common.VIEW):
        return queries.lot(user, pk)
    if access.has_perm(user, common.OBJECT) and type(pk) is int:
        found = bidder_lots(user).filter(pk=pk).select_related(*queries.LOT_RELATED).first()
        if found is not None:
            return found
    raise NotFound("trading.not_found", "标段不存在或不在您的查看范围内")


def candidates(lot: Lot, *, notes: bool = True) -> list[dict]:
    """The candidates; the committee's strengths and risks only for the tenderer's side, the centre and the regulator."""
    return [{"id": c.pk, "bidder_name": c.bid.bidder_name, "price": _money(c.bid.price),
             "strengths": c.strengths if notes else "", "risks": c.risks if notes else ""}
            for c in lot.candidates.select_related("bid").order_by("pk")]


def _first(model, lot, *related):
    return model.objects.filter(lot=lot).select_related(*related).first()


def award_file(user, lot: Lot) -> dict:
    """Everything of §8 about the lot, as the API returns it and the page shows it."""
    publicity = _first(Publicity, lot)
    draw = _first(AwardDraw, lot)
    decision = _first(AwardDecision, lot, "notice")
    contract = _first(Contract, lot, "file")
    certificate = _first(Certificate, lot, "document")
    archive = _first(Archive, lot)
    objections = ResultObjection.objects.filter(lot=lot).order_by("pk")
    staff_side = access.has_perm(user, common.VIEW)
    if not staff_side:
        objections = objections.filter(bidder_uscc=user.uscc or "-")  # a bidder sees its own objections
    today = clock.today()
    return {
        "lot_id": lot.pk, "row_version": lot.row_version, "status": lot.status, "status_label": lot.status_label,
        "suspended": lot.suspended, "suspension_reason": lot.suspension_reason,
        "candidates": candidates(lot, notes=staff_side),
        "publicity": publicity and {
            "report_on": publicity.report_on, "starts_on": publicity.starts_on, "ends_on": publicity.ends_on,
            "award_method": publicity.award_method, "award_method_label": publicity.award_method_label,
            "award_due": rules_award.award_due(publicity.report_on), "published_at": publicity.published_at},
        "objections": [{"id": o.pk, "row_version": o.row_version, "bidder_name": o.bidder_name, "content": o.content,
                        "raised_on": o.raised_on, "answer_due": o.answer_due, "status": o.status,
                        "status_label": o.status_label, "answer": o.answer, "answered_at": o.answered_at,
                        "overdue": o.status == ResultObjection.PENDING and today > o.answer_due} for o in objections],
        "draw": draw and {"commitment": draw.commitment, "pool": draw.pool, "committed_at": draw.committed_at,
                          "seed": draw.seed if draw.revealed_at else None, "revealed_at": draw.revealed_at,
                          "context": rules_award.draw_context(lot.pk)},
        "decision": decision and {
            "method": decision.method, "method_label": decision.method_label, "winner_name": decision.winner_name,
            "winner_candidate_id": decision.winner_id, "price": _money(decision.price), "reasons": decision.reasons,
            "decided_on": decision.decided_on, "notice_on": decision.notice_on, "contract_due": decision.contract_due,
            "contract_overdue": lot.status == rules.AWARDED and today > decision.contract_due,
            "notice_code": decision.notice and documents.format_code(decision.notice.verification_code),
            "members": [{"name": m.name, "title": m.title, "vote": m.vote_id} for m in decision.members.all()]},
        "contract": contract and {"signed_on": contract.signed_on, "price": _money(contract.price),
                                  "file_name": contract.file.original_name, "sha256": contract.file.sha256},
        "certificate": certificate and {"verification_code": documents.format_code(certificate.document.verification_code),
                                        "verify_url": documents.verification_url(certificate.document.verification_code),
                                        "sha256": certificate.document.sha256, "issued_at": certificate.issued_at},
        "archive": archive and {"manifest_sha256": archive.manifest_sha256, "audit_seq": archive.audit_seq,
                                "archived_at": archive.archived_at, "documents": archive.manifest["documents"]},
    }


def _award(lot: Lot) -> AwardDecision | None:
    try:
        return lot.award
    except AwardDecision.DoesNotExist:
        return None


def my_results(user) -> list[dict]:
    """The bidder's bids with where each lot stands and whether it won."""
    common.check_perm(user, common.OBJECT)
    bids = (Bid.objects.filter(bidder_uscc=user.uscc or "-").exclude(status=rules.BID_WITHDRAWN)
            .select_related("lot", "lot__project", "lot__award", "lot__publicity").order_by("-submitted_at", "-pk"))
    candidate_bids = set(Candidate.objects.filter(bid__in=bids).values_list("bid_id", flat=True))
    rows = []
    for bid in bids:
        lot = bid.lot
        award = _award(lot)
        rows.append({"lot_id": lot.pk, "project_name": lot.project.name, "lot_name": lot.name, "status": lot.status,
                     "status_label": lot.status_label, "price": _money(bid.price),
                     "candidate": bid.pk in candidate_bids,
                     "in_publicity": lot.status == rules.PUBLICITY,
                     "result": "" if award is None else ("中标" if award.winner_uscc == bid.bidder_uscc else "未中标"),
                     "winner_name": award.winner_name if award else ""})
    return rows


# --- Public ----------------------------------------------------------------------------------------------
PUBLIC_STATES = (rules.PUBLICITY, rules.AWARDED, rules.CONTRACTED, rules.ARCHIVED)


def public_lots():
    return (Lot.objects.filter(status__in=PUBLIC_STATES, publicity__isnull=False)
            .select_related("project", "publicity", "award")
            .prefetch_related(Prefetch("candidates", queryset=Candidate.objects.select_related("bid").order_by("pk")))
            .order_by("-publicity__published_at", "-pk"))


def public_result(lot: Lot) -> dict:
    publicity = lot.publicity
    award = _award(lot)
    return {"lot_id": lot.pk, "project_name": lot.project.name, "lot_name": lot.name,
            "tenderer_name": lot.project.tenderer_name, "status": lot.status, "status_label": lot.status_label,
            "publicity_starts_on": publicity.starts_on, "publicity_ends_on": publicity.ends_on,
            "award_method_label": publicity.award_method_label,
            "candidates": [{"bidder_name": c.bid.bidder_name, "price": _money(c.bid.price)} for c in lot.candidates.all()],
            "winner_name": award.winner_name if award else None, "price": _money(award.price) if award else None,
            "decided_on": award.decided_on if award else None, "result_published_at": award.published_at if award else None}


def public_lot(pk) -> Lot:
    found = public_lots().filter(pk=pk).first() if type(pk) is int and 0 < pk < 2**62 else None
    if found is None:
        raise NotFound("trading.result_not_found", "公示信息不存在")
    return found

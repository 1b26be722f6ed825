"""Reading lots and projects within the user's scope, and the lot's computed timeline."""

from __future__ import annotations

from yingshang.kernel import access
from yingshang.kernel.errors import NotFound
from yingshang.trading import rules
from yingshang.trading.models import Lot, TenderProject
from yingshang.trading.services import common

LOT_RELATED = ("project", "project__regulator", "procedure")


def lots_for(user, status: str = ""):
    queryset = Lot.objects.filter(common.lot_scope(user)).select_related(*LOT_RELATED)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-submitted_at", "-created_at", "-pk")


def queue(user):
    """The centre's registration queue: submitted lots, oldest first."""
    common.check_perm(user, common.REVIEW)
    return lots_for(user, rules.REGISTERED).order_by("submitted_at", "pk")


def _valid_id(pk) -> bool:
    return type(pk) is int and 0 < pk < 2**62


def lot(user, pk) -> Lot:
    found = lots_for(user).filter(pk=pk).first() if _valid_id(pk) else None
    if found is None:
        raise NotFound("trading.not_found", "标段不存在或不在您的查看范围内")
    return found


def projects_for(user):
    return (TenderProject.objects.filter(common.project_scope(user)).select_related("regulator")
            .prefetch_related("lots__procedure").order_by("-created_at", "-pk"))


def project(user, pk) -> TenderProject:
    found = projects_for(user).filter(pk=pk).first() if _valid_id(pk) else None
    if found is None:
        raise NotFound("trading.project_not_found", "招标项目不存在或不在您的查看范围内")
    return found


def timeline(lot: Lot) -> list[rules.Period]:
    return rules.timeline(lot.procedure.limits(), lot.sale_start, lot.sale_end, lot.bid_deadline)


def allowed_actions(user, lot: Lot) -> list[str]:
    """The actions this user may take on the lot now (the service decides again on submit)."""
    allowed = rules.LOT_FLOW.allowed_actions(lot.status)
    mine = bool(user.uscc) and user.uscc in (lot.project.tenderer_uscc, lot.project.agency_uscc)
    can_register = access.has_perm(user, common.REGISTER) and mine
    can_review = access.has_perm(user, common.REVIEW)
    by_whom = {rules.SUBMIT: can_register, rules.WITHDRAW: can_register, rules.ACCEPT: can_review,
               rules.RETURN: can_review}
    return [a for a in allowed if by_whom.get(a)]


def can_edit(user, lot: Lot) -> bool:
    """Whether the edit link is offered (the service decides again)."""
    from yingshang.trading.services.projects import EDITABLE

    mine = bool(user.uscc) and user.uscc in (lot.project.tenderer_uscc, lot.project.agency_uscc)
    return lot.status in EDITABLE and mine and access.has_perm(user, common.REGISTER)

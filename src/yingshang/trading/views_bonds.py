"""Bond pages: the bidder's bonds and its bond page per lot (amount with the grade reduction explained,
sub-account, payments, e-guarantee form, refund), the tenderer's requirement form, and the centre's
bonds of a lot (with the same-account screen) and refunds (due, overdue, paid)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingshang.kernel import access, clock
from yingshang.kernel.errors import Forbidden, NotFound, ServiceError
from yingshang.kernel.page_actions import run_form_action
from yingshang.kernel.services.validation import as_id
from yingshang.trading import queries, rules_bonds
from yingshang.trading.models import Guarantee
from yingshang.trading.services import bond_refunds, bond_rules, bonds, common

PAGE_SIZE = 50


def _require(request, permission: str) -> None:
    if not access.has_perm(request.user, permission):
        raise PermissionDenied(_("您没有访问此页面的权限"))


def _or_404(call):
    try:
        return call()
    except NotFound as exc:
        raise Http404(exc.message) from None


@login_required
def my_bonds(request):
    _require(request, common.BOND_SECURE)
    rows = list(bonds.bidder_lots(request.user)[:PAGE_SIZE])
    return render(request, "trading/bonds_mine.html", {"rows": rows})


@login_required
def bond_page(request, pk: int):
    _require(request, common.BOND_SECURE)
    lot = _or_404(lambda: bonds.bidder_lot(request.user, pk))
    bond, status = bonds.my_bond(request.user, lot)
    refund = getattr(bond, "refund", None) if bond is not None and hasattr(bond, "refund") else None
    return render(request, "trading/bonds_bond.html", {
        "lot": lot, "bond": bond, "status": status, "refund": refund, "kinds": Guarantee.KINDS,
        "payments": [(p, rules_bonds.mask_account(p.payer_account)) for p in bond.payments.all()] if bond else [],
        "guarantees": list(bond.guarantees.all()) if bond else [],
        "open": lot.status in bonds.OPEN_FOR_BONDS and clock.now() < lot.bid_deadline,
        "requirement": lot.bond_requirement if status.required else None,
        "reduction_source": bond.reduction_source if bond else bond_rules.reduction(status.grade, clock.today()).source})


@login_required
@require_POST
def bond_open(request, pk: int):
    _require(request, common.BOND_SECURE)
    run_form_action(request, lambda: bonds.do_open_sub_account(request.user, pk), _("已开立保证金子账户"))
    return redirect("trading:bond", pk=pk)


@login_required
@require_POST
def bond_guarantee(request, pk: int):
    _require(request, common.BOND_SECURE)
    try:
        with transaction.atomic():
            g = bonds.do_submit_guarantee(request.user, pk, kind=request.POST.get("kind", ""),
                                          issuer_code=request.POST.get("issuer_code", ""),
                                          guarantee_no=request.POST.get("guarantee_no", ""))
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    except NotFound as exc:
        raise Http404(exc.message) from None
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:  # a refusal is kept (committed) and shown with its reason
        if g.accepted:
            messages.success(request, _("电子保函核验通过，已作为投标保证金"))
        else:
            messages.error(request, _("电子保函未通过核验：%(reason)s") % {"reason": g.refusal})
    return redirect("trading:bond", pk=pk)


@login_required
def requirement_form(request, pk: int):
    _require(request, common.BOND_SET)
    lot = _or_404(lambda: queries.lot(request.user, pk))
    req = bonds.requirement(lot)
    error = None
    if request.method == "POST":
        try:
            with transaction.atomic():
                bonds.do_set_requirement(request.user, pk, as_id(request.POST.get("row_version")),
                                         amount=request.POST.get("amount", ""),
                                         validity_days=request.POST.get("validity_days", ""))
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from None
        except ServiceError as exc:
            error = exc.message
        else:
            messages.success(request, _("投标保证金已设置"))
            return redirect("trading:bond-requirement", pk=pk)
    cap = bond_rules.cap(lot.lot_type, clock.today())
    return render(request, "trading/bonds_requirement.html", {
        "lot": lot, "req": req, "error": error, "posted": request.POST if request.method == "POST" else None,
        "cap": rules_bonds.bond_cap(lot.estimated_price, cap), "cap_rule": cap})


@login_required
def centre_lots(request):
    _require(request, common.BOND_MANAGE)
    rows = list(queries.lots_for(request.user).filter(bond_requirement__isnull=False)
                .select_related("bond_requirement").annotate(bond_count=Count("bonds"))[:PAGE_SIZE])
    return render(request, "trading/bonds_centre.html", {"rows": rows})


@login_required
def centre_lot(request, pk: int):
    _require(request, common.BOND_MANAGE)
    lot, rows = _or_404(lambda: bonds.bonds_of_lot(request.user, pk))
    return render(request, "trading/bonds_centre_lot.html", {
        "lot": lot, "rows": [(b, s, rules_bonds.mask_account(b.payments.all()[0].payer_account)
                              if b.payments.all() else "") for b, s in rows],
        "groups": bonds.same_account(request.user, pk)})


@login_required
def refunds(request):
    _require(request, common.BOND_MANAGE)
    view = request.GET.get("view", "due")
    view = view if view in bond_refunds.REFUND_VIEWS else "due"
    rows = list(bond_refunds.refunds_for(request.user, view)[:PAGE_SIZE])
    return render(request, "trading/bonds_refunds.html", {
        "rows": [(r, rules_bonds.mask_account(r.to_account)) for r in rows], "view": view,
        "views": bond_refunds.REFUND_VIEWS, "today": clock.today()})


@login_required
@require_POST
def refund_send(request, pk: int):
    _require(request, common.BOND_MANAGE)
    run_form_action(request, lambda: bond_refunds.do_send(request.user, pk, as_id(request.POST.get("row_version"))),
                    _("已发送退付指令"))
    view = request.POST.get("view", "due")
    return redirect(f"{reverse('trading:refunds')}?view={view if view in bond_refunds.REFUND_VIEWS else 'due'}")

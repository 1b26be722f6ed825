"""Bid bonds (投标保证金): the tenderer's requirement per lot, each bidder's bond (sub-account, bank
payments, e-guarantee), its status for the bid submission (`is_secured`, `status`), the centre's list of
a lot's bonds and the same-account screen. The bank's payment notifications are in services/bond_payments.py,
refunds in services/bond_refunds.py."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils import timezone

from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from yingshang.kernel.services.audit import record
from yingshang.trading import bank as banking
from yingshang.trading import issuers, rules, rules_bonds
from yingshang.trading.models import Bond, BondPayment, BondRequirement, Guarantee, Lot
from yingshang.trading.services import bond_rules, common, credit_gate

fields = common.fields
OPEN_FOR_BONDS = (rules.ANNOUNCED,)  # bidders secure bonds while the tender is announced, until the deadline
SETTABLE = (rules.DRAFT, rules.REGISTERED, rules.RETURNED, rules.ACCEPTED, rules.ANNOUNCED)


def lot_ref(lot: Lot) -> str:
    """The lot's reference as banks and issuers print it on sub-accounts and guarantees."""
    return f"YSJY-{lot.pk:06d}"


# --- The requirement (tenderer or agency) -----------------------------------------------------------------
def req_snapshot(req: BondRequirement) -> dict:
    return {"lot": req.lot_id, "amount": str(req.amount), "validity_days": req.validity_days,
            "cap": str(req.cap) if req.cap is not None else None, "row_version": req.row_version}


def do_set_requirement(user, lot_id, row_version: int | None, *, amount, validity_days=90) -> BondRequirement:
    """Set or change the lot's bond: at most the cap in force (REG Art. 26), before the bid deadline."""
    common.check_perm(user, common.BOND_SET)
    lot = Lot.objects.select_related("project").select_for_update(of=("self",)).filter(
        pk=lot_id if type(lot_id) is int else 0).first()
    if lot is None:
        raise NotFound("trading.not_found", "标段不存在")
    if not user.uscc or user.uscc not in (lot.project.tenderer_uscc, lot.project.agency_uscc):
        raise Forbidden("trading.not_your_project", "只有该项目的招标人或其代理机构可以设置投标保证金")
    if lot.status not in SETTABLE or clock.now() >= lot.bid_deadline:
        raise Conflict("trading.bond_not_settable", "投标截止后或标段已进入开标程序，不能再设置投标保证金")
    value = fields.amount(amount, "amount", "投标保证金", maximum=10**12)
    days = fields.integer(validity_days, "validity_days", "投标有效期", minimum=1, maximum=365)
    cap = bond_rules.cap(lot.lot_type, clock.today())
    breach = rules_bonds.check_bond_amount(value, lot.estimated_price, cap)
    if breach:
        raise InvalidInput(breach.code, breach.message, details={"field": breach.field, "source": breach.source,
                                                                 "cap": str(rules_bonds.bond_cap(lot.estimated_price, cap))})
    req = BondRequirement.objects.filter(lot=lot).first()
    if req is not None and row_version is not None and req.row_version != row_version:
        raise Conflict("trading.conflict", "该投标保证金要求已被他人修改，请刷新后重试",
                       details={"row_version": req.row_version, "yours": row_version})
    before = req_snapshot(req) if req else None
    req = req or BondRequirement(lot=lot, row_version=0)
    req.amount, req.validity_days, req.set_by, req.set_at = value, days, user if user.pk else None, clock.now()
    req.cap, req.source = rules_bonds.bond_cap(lot.estimated_price, cap), cap.source if cap else ""
    req.row_version += 1
    req.save()
    record("trading.bondrequirement.set", req, before=before, after=req_snapshot(req))
    return req


def requirement(lot: Lot) -> BondRequirement | None:
    return BondRequirement.objects.filter(lot=lot).first()


# --- The bidder -----------------------------------------------------------------------------------------------
def _bidder(user) -> str:
    common.check_perm(user, common.BOND_SECURE)
    if not user.uscc:
        raise Forbidden("trading.bidder_uscc_missing", "账号未登记投标人统一社会信用代码，无法办理保证金")
    return user.uscc


def bidder_lots(user):
    """Lots a bidder may see for its bond: those announced (open to all, TBL Art. 16) and its own bonds'."""
    uscc = _bidder(user)
    return (Lot.objects.filter(Q(status__in=OPEN_FOR_BONDS) | Q(bonds__bidder_uscc=uscc)).distinct()
            .select_related("project", "procedure", "bond_requirement").order_by("bid_deadline", "pk"))


def bidder_lot(user, lot_id) -> Lot:
    found = bidder_lots(user).filter(pk=lot_id).first() if type(lot_id) is int and 0 < lot_id < 2**62 else None
    if found is None:
        raise NotFound("trading.not_found", "标段不存在或未在招标中")
    return found


def _open_lot(user, lot_id) -> tuple[Lot, BondRequirement]:
    uscc = _bidder(user)
    lot = Lot.objects.select_related("project").select_for_update(of=("self",)).filter(
        pk=lot_id if type(lot_id) is int else 0).first()
    if lot is None or (lot.status not in OPEN_FOR_BONDS and not lot.bonds.filter(bidder_uscc=uscc).exists()):
        raise NotFound("trading.not_found", "标段不存在或未在招标中")
    if lot.status not in OPEN_FOR_BONDS or clock.now() >= lot.bid_deadline:
        raise Conflict("trading.bond_deadline_passed", "投标截止时间已过，不能再办理投标保证金", details={"lot": lot.pk})
    req = requirement(lot)
    if req is None:
        raise Conflict("trading.bond_not_required", "本标段不要求投标保证金")
    return lot, req


def _bond_for(user, lot: Lot) -> Bond:
    """The bidder's bond of the lot, made on first use with the credit grade read now (recorded)."""
    bond = Bond.objects.select_for_update(of=("self",)).filter(lot=lot, bidder_uscc=user.uscc).first()
    if bond is not None:
        return bond
    grade = credit_gate.grade(user.uscc)
    reduction = bond_rules.reduction(grade, clock.today())
    bond = Bond.objects.create(lot=lot, bidder=user, bidder_uscc=user.uscc, bidder_name=user.organization_name or
                               user.real_name or user.username, grade=grade, percent=reduction.percent,
                               reduction_source=reduction.source[:300], grade_read_at=clock.now(), created_at=clock.now())
    record("trading.bond.create", bond, after=bond_snapshot(bond))
    return bond


def bond_snapshot(bond: Bond) -> dict:
    return {"lot": bond.lot_id, "bidder_uscc": bond.bidder_uscc, "grade": bond.grade, "percent": str(bond.percent),
            "sub_account_no": bond.sub_account_no, "secured_at": bond.secured_at.isoformat() if bond.secured_at else None,
            "method": bond.method}


def do_open_sub_account(user, lot_id) -> Bond:
    """The bidder asks for its sub-account (子账户) for the lot; asking again returns the same one."""
    lot, _req = _open_lot(user, lot_id)
    bond = _bond_for(user, lot)
    if bond.sub_account_no:
        return bond
    bank = banking.get_bank()
    before = bond_snapshot(bond)
    bond.bank_code, bond.sub_account_no = bank.code, bank.open_sub_account(lot_ref(lot), bond.bidder_uscc,
                                                                          bond.bidder_name)
    bond.row_version += 1
    bond.save(update_fields=["bank_code", "sub_account_no", "row_version"])
    record("trading.bond.open_sub_account", bond, before=before, after=bond_snapshot(bond))
    return bond


def do_submit_guarantee(user, lot_id, *, kind, issuer_code, guarantee_no) -> Guarantee:
    """Verify the bidder's e-guarantee with its issuer and record the result: accepted when it covers the
    bond (it may not be refused then, seed 004), otherwise refused with the reason (`accepted` False)."""
    kind = fields.choice(kind, "kind", "保函类型", Guarantee.KINDS)
    issuer_code = fields.text(issuer_code, "issuer_code", "出具机构代码", max_len=40)
    guarantee_no = fields.text(guarantee_no, "guarantee_no", "保函编号", max_len=64)
    lot, req = _open_lot(user, lot_id)
    bond = _bond_for(user, lot)
    if bond.guarantees.filter(accepted=True).exists():
        raise Conflict("trading.guarantee_already_accepted", "本标段已接受您的电子保函，无需重复提交")
    required = rules_bonds.required_amount(req.amount, bond.percent)
    issuer = issuers.get_issuer()
    facts = rules_bonds.GuaranteeFacts(found=False)
    if not issuer.known(issuer_code):
        breach = rules_bonds.Breach("trading.guarantee_issuer_unknown", "出具机构代码未登记或无法在线核验，请核对",
                                    f"{rules.REG}第二十六条", "issuer_code")
    elif Guarantee.objects.filter(issuer_code=issuer_code, guarantee_no=guarantee_no, accepted=True).exists():
        breach = rules_bonds.Breach("trading.guarantee_used", "该保函已用于其他投标保证金", f"{rules.REG}第二十六条",
                                    "guarantee_no")
    else:
        facts = issuer.verify(issuer_code, guarantee_no)
        breach = rules_bonds.check_guarantee(facts, required=required, tenderer_uscc=lot.project.tenderer_uscc,
                                             lot_ref=lot_ref(lot), bidder_uscc=bond.bidder_uscc,
                                             deadline_day=_local_day(lot.bid_deadline), validity_days=req.validity_days)
    g = Guarantee.objects.create(bond=bond, kind=kind, issuer_code=issuer_code, issuer_name=facts.issuer_name[:200],
                                 guarantee_no=guarantee_no, amount=facts.amount if facts.found else None,
                                 valid_from=facts.valid_from, valid_to=facts.valid_to, accepted=breach is None,
                                 refusal_code=breach.code if breach else "", refusal=breach.message[:300] if breach else "",
                                 verified_at=clock.now())
    record("trading.guarantee.verify", g, after={"bond": bond.pk, "issuer_code": issuer_code, "guarantee_no": guarantee_no,
                                                 "accepted": g.accepted, "refusal_code": g.refusal_code})
    if g.accepted:
        mark_secured(bond, "guarantee")
    return g


def _local_day(moment):
    return timezone.localtime(moment).date()


def mark_secured(bond: Bond, method: str) -> None:
    if bond.secured_at:
        return
    before = bond_snapshot(bond)
    bond.secured_at, bond.method = clock.now(), method
    bond.row_version += 1
    bond.save(update_fields=["secured_at", "method", "row_version"])
    record("trading.bond.secure", bond, before=before, after=bond_snapshot(bond))


# --- Status for the bid submission and the pages ---------------------------------------------------------------
@dataclass(frozen=True)
class BondStatus:
    required: bool  # does the lot require a bond at all
    requirement: Decimal | None  # the lot's amount
    grade: str  # the grade used (recorded on the bond) or, before it exists, the grade now
    percent: Decimal
    required_amount: Decimal
    received_in_time: Decimal
    received_late: Decimal
    guarantee_amount: Decimal | None
    secured: bool
    method: str
    sub_account_no: str
    bond_id: int | None
    refund_status: str

    def as_dict(self) -> dict:
        money = {"requirement", "required_amount", "received_in_time", "received_late", "guarantee_amount", "percent"}
        return {k: (str(v) if k in money and v is not None else v) for k, v in vars(self).items()}


def _status_of(req: BondRequirement | None, bond: Bond | None, uscc: str, *, grade: str | None = None) -> BondStatus:
    zero = Decimal("0")
    if req is None:
        return BondStatus(False, None, "", Decimal("0"), zero, zero, zero, None, True, "", "", None, "")
    if bond is None:
        grade = grade if grade is not None else (credit_gate.grade(uscc) if uscc else "")
        percent = bond_rules.reduction(grade, clock.today()).percent
        required = rules_bonds.required_amount(req.amount, percent)
        return BondStatus(True, req.amount, grade, percent, required, zero, zero, None, False, "", "", None, "")
    payments = list(bond.payments.all())
    in_time = sum((p.amount for p in payments if p.counts), zero)
    late = sum((p.amount for p in payments if not p.counts), zero)
    accepted = [g.amount for g in bond.guarantees.all() if g.accepted and g.amount is not None]
    guarantee = max(accepted) if accepted else None
    required = rules_bonds.required_amount(req.amount, bond.percent)
    refund = getattr(bond, "refund", None) if hasattr(bond, "refund") else None
    return BondStatus(True, req.amount, bond.grade, bond.percent, required, in_time, late, guarantee,
                      rules_bonds.is_secured(in_time, required, guarantee), bond.method, bond.sub_account_no, bond.pk,
                      refund.status if refund else "")


def status(lot: Lot, uscc: str) -> BondStatus:
    """The bidder's bond on the lot now (for the bid submission to show or require)."""
    bond = Bond.objects.filter(lot=lot, bidder_uscc=uscc).prefetch_related("payments", "guarantees").select_related(
        "refund").first()
    return _status_of(requirement(lot), bond, uscc)


def is_secured(lot: Lot, uscc: str) -> bool:
    """Whether the bidder's bond is secured: cash in time ≥ its amount, or an accepted guarantee; True when
    the lot requires no bond."""
    return status(lot, uscc).secured


def _bond_rows():
    return (Bond.objects.select_related("refund")
            .prefetch_related(Prefetch("payments", queryset=BondPayment.objects.order_by("received_at", "pk")),
                              Prefetch("guarantees", queryset=Guarantee.objects.order_by("verified_at", "pk"))))


def my_bond(user, lot: Lot) -> tuple[Bond | None, BondStatus]:
    uscc = _bidder(user)
    bond = _bond_rows().filter(lot=lot, bidder_uscc=uscc).first()
    return bond, _status_of(getattr(lot, "bond_requirement", None) if _has_req(lot) else None, bond, uscc)


def my_bonds(user, limit: int = 50) -> list[tuple[Lot, Bond | None, BondStatus]]:
    """The bidder's lots (announced, or with its bond) with its bond on each; the grade read once."""
    uscc = _bidder(user)
    lots = list(bidder_lots(user)[:limit])
    found = {b.lot_id: b for b in _bond_rows().filter(bidder_uscc=uscc, lot__in=lots)}
    grade = credit_gate.grade(uscc) if len(found) < len(lots) else ""
    rows = []
    for lot in lots:
        req, bond = (lot.bond_requirement if _has_req(lot) else None), found.get(lot.pk)
        rows.append((lot, bond, _status_of(req, bond, uscc, grade=grade)))
    return rows


def _has_req(lot: Lot) -> bool:
    try:
        lot.bond_requirement  # noqa: B018 - loaded by select_related or one query
    except BondRequirement.DoesNotExist:
        return False
    return True


def lot_for_centre(user, lot_id) -> Lot:
    common.check_perm(user, common.BOND_MANAGE)
    found = (Lot.objects.filter(common.lot_scope(user)).select_related("project", "bond_requirement")
             .filter(pk=lot_id).first() if type(lot_id) is int and 0 < lot_id < 2**62 else None)
    if found is None:
        raise NotFound("trading.not_found", "标段不存在或不在您的查看范围内")
    return found


def bonds_of_lot(user, lot_id) -> tuple[Lot, list[tuple[Bond, BondStatus]]]:
    """The centre's list of a lot's bonds with their status (fixed number of queries)."""
    lot = lot_for_centre(user, lot_id)
    req = lot.bond_requirement if _has_req(lot) else None
    rows = list(_bond_rows().filter(lot=lot).order_by("created_at", "pk"))
    return lot, [(b, _status_of(req, b, b.bidder_uscc)) for b in rows]


def same_account(user, lot_id) -> list[dict]:
    """REG Art. 40 (四): groups of the lot's bidders whose cash bonds came from one payer account."""
    lot = lot_for_centre(user, lot_id)
    rows = list(BondPayment.objects.filter(bond__lot=lot).values_list("payer_account", "bond__bidder_uscc",
                                                                      "bond__bidder_name", "payer_name"))
    names = {uscc: name for _a, uscc, name, _p in rows}
    payers: dict[str, set[str]] = {}
    for account, _u, _n, payer in rows:
        payers.setdefault(account, set()).add(payer)
    groups = rules_bonds.same_account_groups([(a, u) for a, u, _n, _p in rows])
    return [{"account": rules_bonds.mask_account(account), "payer_names": sorted(payers[account]),
             "bidders": [{"uscc": u, "name": names[u]} for u in bidders],
             "source": f"{rules.REG}第四十条（四）"} for account, bidders in groups.items()]

"""The bond rules as stored data: the cap, the credit-grade reductions and the deposit rate in force on a
day (the pure functions in `trading.rules_bonds` get them as arguments), and their seeding."""

from __future__ import annotations

from datetime import date

from django.db import connection

from yingshang.trading import rules_bonds
from yingshang.trading.models import BondCap, BondReduction, DepositRate


def cap(lot_type: str, on: date) -> rules_bonds.Cap | None:
    return rules_bonds.in_force([r.as_rule() for r in BondCap.objects.filter(lot_type=lot_type)], on,
                                lot_type=lot_type)


def reduction(grade: str, on: date) -> rules_bonds.Reduction:
    """The row for the grade, else the one for "no grade"; without either, the full amount (no reduction)."""
    rows = [r.as_rule() for r in BondReduction.objects.filter(grade__in=[grade, ""])]
    return (rules_bonds.in_force(rows, on, grade=grade) or rules_bonds.in_force(rows, on, grade="")
            or rules_bonds.Reduction(grade, rules_bonds.Decimal("100"), on, "未设置信用减免规则，按全额缴纳"))


def rates() -> list[rules_bonds.Rate]:
    return [r.as_rule() for r in DepositRate.objects.order_by("effective_from")]


def in_force(on: date) -> dict:
    """Every bond rule in force on `on`, for the pages and GET /trading/bonds/rules."""
    caps = [rules_bonds.in_force([r.as_rule() for r in BondCap.objects.all()], on, lot_type=t)
            for t in BondCap.objects.values_list("lot_type", flat=True).distinct()]
    reductions = [rules_bonds.in_force([r.as_rule() for r in BondReduction.objects.all()], on, grade=g)
                  for g in BondReduction.objects.values_list("grade", flat=True).distinct()]
    rate = rules_bonds.in_force(rates(), on)
    return {"caps": sorted([c for c in caps if c], key=lambda c: c.lot_type),
            "reductions": sorted([r for r in reductions if r], key=lambda r: (r.grade == "", r.grade)),
            "deposit_rate": rate}


def ensure_bond_rules() -> int:
    """Create the cap, reduction and deposit-rate rows of rules_bonds that are missing (rows edited in the
    admin are left alone). Skipped while the tables do not exist (migrations before the bonds one)."""
    if BondCap._meta.db_table not in connection.introspection.table_names():
        return 0
    created = 0
    for c in rules_bonds.CAPS:
        created += BondCap.objects.get_or_create(lot_type=c.lot_type, effective_from=c.effective_from, defaults={
            "rate": c.rate, "max_amount": c.max_amount, "effective_to": c.effective_to, "source": c.source})[1]
    for r in rules_bonds.REDUCTIONS:
        created += BondReduction.objects.get_or_create(grade=r.grade, effective_from=r.effective_from, defaults={
            "percent": r.percent, "effective_to": r.effective_to, "source": r.source})[1]
    for d in rules_bonds.RATES:
        created += DepositRate.objects.get_or_create(effective_from=d.effective_from, defaults={
            "annual_percent": d.annual_percent, "source": d.source})[1]
    return created

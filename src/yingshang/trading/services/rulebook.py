"""The rules as stored data: procedure versions and must-tender thresholds in force, and the kernel
calendar for working-day periods (the pure functions in `trading.rules` get them as arguments)."""

from __future__ import annotations

from datetime import date

from yingshang.kernel.services.calendar import add_working_days
from yingshang.trading import rules
from yingshang.trading.models import MustTenderThreshold, Procedure


def working_days(start: date, n: int) -> date:
    return add_working_days(start, n).date


def procedures_in_force(on: date) -> list[Procedure]:
    """One row per procedure code: the version in force on `on`."""
    rows = Procedure.objects.filter(effective_from__lte=on).exclude(effective_to__lte=on).order_by(
        "sort_order", "code", "-effective_from")
    seen: dict[str, Procedure] = {}
    for row in rows:
        seen.setdefault(row.code, row)
    return list(seen.values())


def procedure_in_force(code: str, on: date) -> Procedure | None:
    if not isinstance(code, str) or not code:
        return None
    return (Procedure.objects.filter(code=code, effective_from__lte=on).exclude(effective_to__lte=on)
            .order_by("-effective_from").first())


def thresholds() -> list[rules.Threshold]:
    return [row.as_rule() for row in MustTenderThreshold.objects.all()]


def must_tender(lot_type: str, estimated_price, on: date) -> rules.MustTender:
    return rules.must_tender(lot_type, estimated_price, on, thresholds())


def ensure_rules_data(procedure_model=Procedure, threshold_model=MustTenderThreshold, method_model=None) -> int:
    """Create the procedure and threshold rows of `rules.py` that are missing (by code or type and
    effective date); rows edited in the admin are left alone. Used by migration 0002 and the demo
    (after `demo --reset` flushed the tables). Returns how many rows were created."""
    created = 0
    for order, p in enumerate(rules.PROCEDURES):
        _row, made = procedure_model.objects.get_or_create(code=p.code, effective_from=p.effective_from, defaults={
            "name": p.name, "regime": p.regime, "effective_to": p.effective_to,
            "min_document_days": p.min_document_days, "document_day_kind": p.document_day_kind,
            "min_sale_days": p.min_sale_days, "sale_day_kind": p.sale_day_kind,
            "prequalification_allowed": p.prequalification_allowed, "min_bidders": p.min_bidders,
            "source": p.source, "sort_order": order})
        created += made
    for t in rules.THRESHOLDS:
        _row, made = threshold_model.objects.get_or_create(lot_type=t.lot_type, effective_from=t.effective_from,
                                                           defaults={"amount": t.amount, "effective_to": t.effective_to,
                                                                     "source": t.source})
        created += made
    if procedure_model is Procedure:  # not from migration 0002 (historical models; the bond tables come later)
        from yingshang.trading.services.bond_rules import ensure_bond_rules

        created += ensure_bond_rules()
    if method_model is not None or procedure_model is Procedure:  # migration 0002 predates the methods table
        created += ensure_method_data(method_model)
    return created


def ensure_method_data(method_model=None) -> int:
    """The evaluation methods of `rules_evaluation.METHODS` that are missing (by code and effective date)."""
    from django.db import connection

    from yingshang.trading import rules_evaluation as er
    from yingshang.trading.models import EvaluationMethod

    model = method_model or EvaluationMethod
    if model._meta.db_table not in connection.introspection.table_names():
        return 0  # migrated back below the evaluation migration
    created = 0
    for order, m in enumerate(er.METHODS):
        _row, made = model.objects.get_or_create(code=m.code, effective_from=m.effective_from, defaults={
            "name": m.name, "regime": m.regime, "effective_to": m.effective_to, "price_formula": m.price_formula,
            "scored": m.scored, "min_credit_weight": m.min_credit_weight,
            "price_weight_range": {k: list(v) for k, v in m.price_weight_range.items()},
            "credit_shares": dict(m.credit_shares), "outlier_share": m.outlier_share,
            "deviation_above": m.deviation_above, "deviation_below": m.deviation_below, "source": m.source,
            "sort_order": order})
        created += made
    return created


def method_in_force(code, on: date):
    from yingshang.trading.models import EvaluationMethod

    if not isinstance(code, str) or not code:
        return None
    return (EvaluationMethod.objects.filter(code=code, effective_from__lte=on).exclude(effective_to__lte=on)
            .order_by("-effective_from").first())


def methods_in_force(on: date) -> list:
    from yingshang.trading.models import EvaluationMethod

    seen: dict = {}
    for row in EvaluationMethod.objects.filter(effective_from__lte=on).exclude(effective_to__lte=on).order_by(
            "sort_order", "code", "-effective_from"):
        seen.setdefault(row.code, row)
    return list(seen.values())

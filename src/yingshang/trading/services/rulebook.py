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

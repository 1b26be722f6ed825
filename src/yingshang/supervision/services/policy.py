"""The policy in force on a day: the city's latest `SupervisionPolicy` row from before it, else the defaults."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from yingshang.supervision import rules
from yingshang.supervision.models import SupervisionPolicy


@dataclass(frozen=True)
class Policy:
    rectification_days: int = rules.DEFAULT_RECTIFICATION_DAYS
    weights: dict[str, int] = field(default_factory=lambda: dict(rules.DEFAULT_WEIGHTS))
    valid_from: date | None = None  # None: the platform defaults (no city row yet)
    source: str = "平台默认值（见 docs/rules.md）：城市尚未设定"


def policy_for(day: date) -> Policy:
    row = SupervisionPolicy.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
    if row is None:
        return Policy()
    return Policy(rectification_days=row.rectification_days, weights=row.weights, valid_from=row.valid_from,
                  source=row.source)

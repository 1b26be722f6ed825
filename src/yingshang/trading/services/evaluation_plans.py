"""The lot's evaluation plan (评标办法及评分标准): method, weights and scoring items, set by the tenderer or its
agency before the bid deadline (the documents fix them, TBL Art. 19, 40; EVAL12 Art. 17) and validated
against the method in force."""

from __future__ import annotations

from decimal import Decimal

from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict, InvalidInput
from yingshang.kernel.services.audit import record
from yingshang.trading import rules
from yingshang.trading import rules_evaluation as er
from yingshang.trading.models import EvaluationPlan, Lot, ScoringItem
from yingshang.trading.services import common, lots, rulebook

MAX_ITEMS = 30
# Before the deadline the plan is still the documents' to change; from the opening on it binds the committee.
EDITABLE_STATES = (rules.DRAFT, rules.REGISTERED, rules.RETURNED, rules.ACCEPTED, rules.ANNOUNCED)
fields = common.fields


def snapshot(plan: EvaluationPlan) -> dict:
    return {"method": plan.method.code, "weights": [str(w) for w in (plan.technical_weight, plan.commercial_weight,
                                                                      plan.price_weight, plan.credit_weight)],
            "ranked": plan.ranked, "clarification_hours": plan.clarification_hours,
            "items": [{"part": i.part, "name": i.name, "max_points": str(i.max_points)} for i in plan.items.all()]}


def _breach(breach: rules.Breach) -> InvalidInput:
    return InvalidInput(breach.code, breach.message, details={"field": breach.field, "source": breach.source})


def check_plan(lot: Lot, data: dict) -> dict:
    """Validate the plan's fields; returns the values and the items (part, name, max points)."""
    method = rulebook.method_in_force(data.get("method"), clock.today())
    if method is None:
        raise InvalidInput("trading.method_invalid", "评标办法不存在或未施行", details={"field": "method"})
    if method.regime != lot.procedure.regime:
        raise InvalidInput("trading.method_wrong_regime", f"{method.name}不适用于{lot.procedure.name}",
                           details={"field": "method", "source": method.source})

    def weight(key: str, label: str) -> Decimal:
        return fields.amount(data.get(key, "0") or "0", key, label, minimum=0, maximum=100)

    w = er.Weights(weight("technical_weight", "技术权重"), weight("commercial_weight", "商务权重"),
                   weight("price_weight", "价格权重"), weight("credit_weight", "信用权重"))
    rule = method.as_rule()
    if breach := er.check_weights(rule, lot.lot_type, w):
        raise _breach(breach)
    raw = data.get("items") or []
    if not isinstance(raw, list) or len(raw) > MAX_ITEMS:
        raise InvalidInput("trading.items_invalid", f"评分项最多{MAX_ITEMS}项", details={"field": "items"})
    items = []
    for row in raw:
        row = row if isinstance(row, dict) else {}
        items.append((fields.choice(row.get("part"), "item_part", "评分项类别", er.PARTS),
                      fields.text(row.get("name"), "item_name", "评分项名称", max_len=100),
                      fields.amount(row.get("max_points"), "item_points", "评分项分值", minimum=0, maximum=100)))
    if breach := er.check_items(w, [(part, points) for part, _n, points in items]):
        raise _breach(breach)
    hours = fields.integer(data.get("clarification_hours", 24), "clarification_hours", "澄清答复时限", minimum=1,
                           maximum=168)
    return {"method": method, "weights": w, "ranked": bool(data.get("ranked")), "clarification_hours": hours,
            "items": items}


def do_set_plan(user, lot_id: int, data: dict, row_version: int | None = None) -> EvaluationPlan:
    """Create or replace the plan of one of the user's lots while its bids are still being prepared;
    `row_version` is the plan's as the caller saw it (None: no check)."""
    common.check_perm(user, common.REGISTER)
    lot = lots._lock(lot_id, None)  # the lot's row lock serialises two editors of one plan
    lots.check_own(user, lot)
    if lot.status not in EDITABLE_STATES or lot.bid_deadline <= clock.now():
        raise Conflict("trading.plan_fixed", "投标截止后评标办法不得更改（以招标文件为准）",
                       details={"status": lot.status})
    values = check_plan(lot, data)
    plan = EvaluationPlan.objects.filter(lot=lot).first()
    if plan and row_version is not None and plan.row_version != row_version:
        raise Conflict("trading.conflict", "评标办法已被他人修改，请刷新后重试", details={"row_version": plan.row_version})
    before = snapshot(plan) if plan else None
    w = values["weights"]
    plan = plan or EvaluationPlan(lot=lot)
    plan.method, plan.ranked, plan.clarification_hours = values["method"], values["ranked"], values["clarification_hours"]
    plan.technical_weight, plan.commercial_weight, plan.price_weight, plan.credit_weight = (
        w.technical, w.commercial, w.price, w.credit)
    plan.set_by, plan.set_at = user, clock.now()
    if plan.pk:
        plan.row_version += 1
    plan.save()
    plan.items.all().delete()
    ScoringItem.objects.bulk_create([ScoringItem(plan=plan, part=part, seq=i, name=name, max_points=points)
                                     for i, (part, name, points) in enumerate(values["items"], 1)])
    record("trading.evaluationplan.set", plan, before=before, after=snapshot(plan))
    return plan

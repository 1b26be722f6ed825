"""Credit at every step (联合惩戒, issue 12 §10): the credit pillar's check in the scenario 招标投标 at entry
registration, bid submission and award, and the bidder's grade for bond reduction and the credit score.

Trading talks to credit through its services only. A blocking measure (a blacklisted bidder barred from
bidding, seed 002) refuses the step; every hit, blocking or not, is recorded with the business it was
found in, and an applied measure is reported back to the credit pillar as 反馈.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yingshang.credit.services import joint, scores
from yingshang.kernel.errors import Forbidden, InvalidInput, NotFound
from yingshang.kernel.services.audit import record

SCENARIO = "bidding"  # credit.choices.Scenario.BIDDING
STAGES = {"registration": "进场登记", "bid": "投标", "award": "定标"}


@dataclass(frozen=True)
class GateResult:
    uscc: str
    stage: str
    hits: list[str] = field(default_factory=list)  # what was found, in Chinese
    barred: bool = False


def check(uscc: str, *, stage: str, reference: str, department, subject_label: str = "投标人") -> GateResult:
    """Check one subject; raise Forbidden `trading.credit_barred` when a measure in force bars it.

    `reference` names the business (e.g. "lot:12/bid"), `department` is the authority applying the measure
    (the project's industry regulator). Hits are audited as `trading.credit.check`; applied measures are
    reported back through `credit.services.joint.do_record_feedback`.
    """
    try:
        result = joint.check(uscc, SCENARIO)
    except InvalidInput:
        return GateResult(uscc, stage)  # identifiers are validated where they are entered
    if not result.hit:
        return GateResult(uscc, stage)
    hits = [f"{m.list_type_name}（{m.department}，认定文书号 {m.document_no}）" for m in result.memberships]
    blocking = [m for m in result.measures if m.blocking]
    gate = GateResult(uscc, stage, hits, bool(blocking))

    def keep_record() -> None:
        record("trading.credit.check", object_type="trading.credit_check", object_id=reference, after={
            "uscc": uscc, "stage": stage, "reference": reference, "hits": hits, "barred": gate.barred,
            "measures": [m.measure_id for m in result.measures]})
        for measure in blocking:
            try:
                joint.do_record_feedback(None, identifier=uscc, measure_id=measure.measure_id, scenario=SCENARIO,
                                         department=department, reference=reference[:100], entry_id=measure.entry_id,
                                         note=f"{STAGES.get(stage, stage)}环节自动核查，依联合惩戒措施限制")
            except NotFound:
                continue  # the membership ended between the check and the feedback

    if not blocking:
        keep_record()  # commits with the step it was found in
        return gate
    # The refused step rolls back; the hit and the applied measure are kept by the edge (kernel.kept).
    raise Forbidden("trading.credit_barred", f"{subject_label}被列入失信联合惩戒对象名单，依法限制参与招标投标：" +
                    "；".join(f"{m.content}（{m.memorandum}）" for m in blocking),
                    details={"stage": stage, "hits": hits}).keep(keep_record)


def grade(uscc: str) -> str:
    """The subject's enterprise credit grade (A–D) now, or "" when the credit pillar has none."""
    return scores.grade_of(uscc)

"""Online pre-review (网上预审): a window clerk looks at a submitted online application before the
applicant comes (or the case is accepted) and either passes it or returns one complete list of
corrections.

Returning is the correction request of 行政许可法 Art. 32 ¶1 (4) — 一次性告知, within 5 working days
of receipt, with its written notice — so it is `acceptance.do_request_correction` (the transition
table's `request_correction`), recorded as a pre-review too. Passing changes no status: it records
the clerk's opinion (one per correction round; a second pass is 409) and tells the applicant.
"""

from __future__ import annotations

from yingshang.cases import rules
from yingshang.cases.models import Case, PreReview
from yingshang.cases.services import acceptance, common
from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict


def _check(user, case_id: int, row_version: int | None) -> Case:
    common.check_perm(user, common.ACCEPT)
    case = common.lock(case_id, row_version)
    if not rules.prereview_allowed(case.status, case.channel):
        raise Conflict("case.prereview_not_allowed",
                       f"只有待受理的网上申请可以预审；该办件为{case.get_channel_display()}，状态为“{case.status_label}”",
                       details={"status": case.status, "channel": case.channel})
    return case


def do_pass(user, case_id: int, row_version: int | None, *, note: str = "") -> Case:
    case = _check(user, case_id, row_version)
    if PreReview.objects.filter(case=case, round=case.corrections, outcome=PreReview.PASSED).exists():
        raise Conflict("case.prereview_done", "该申请已预审通过，请直接办理受理")
    note = common.fields.text(note, "note", "预审意见", required=False, max_len=500)
    before = common.snapshot(case)
    PreReview.objects.create(case=case, round=case.corrections, outcome=PreReview.PASSED, note=note, clerk=user,
                             clerk_name=user.display_name[:100], at=clock.now())
    common.event(case, "prereview_pass", "网上预审通过" + (f"：{note}" if note else "") + "，等待受理")
    common.finish(case, "prereview_pass", before, fields=[], extra={"prereview": PreReview.PASSED})
    return case


def do_return(user, case_id: int, row_version: int | None, *, items: list[tuple[int | None, str]]) -> Case:
    """Return with every problem listed once: (material id, problem) per material, (None, note) general."""
    _check(user, case_id, row_version)
    case = acceptance.do_request_correction(user, case_id, row_version, items=items)
    names = {m.material_id: m.name for m in case.materials.all()}
    listed = [{"material_id": mid, "name": names.get(mid, ""), "problem": problem.strip()} for mid, problem in items]
    PreReview.objects.create(case=case, round=case.corrections, outcome=PreReview.RETURNED, items=listed, clerk=user,
                             clerk_name=user.display_name[:100], at=clock.now())
    return case


def latest(case: Case) -> PreReview | None:
    return PreReview.objects.filter(case=case).order_by("-at", "-id").first()

"""The periodic sweep (run by the job in cases/tasks.py; callable directly): warnings, missed 容缺
supplement deadlines, deadlines that were provisional until the year's schedule was published, and
notices left queued by a crash between an action and its notice.

Warnings are two set-based UPDATEs over the partial index on `next_check`: only cases whose warning
changes today are touched (ProZorro's `next_check` idea). The departments concerned — the owning one
and those with an active step in a changed case — get one message each per sweep, not one per case.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date

from django.db import transaction
from django.db.models import Count, F

from yingshang.cases import rules
from yingshang.cases.choices import ClockState, CommitmentKind
from yingshang.cases.models import Case, CaseStep, Commitment
from yingshang.cases.services import clock as case_clock
from yingshang.cases.services import common, lifecycle, notices
from yingshang.kernel import access, clock
from yingshang.kernel.context import SYSTEM, acting_as
from yingshang.kernel.models import Department, User
from yingshang.kernel.services.audit import record
from yingshang.kernel.services.calendar import is_official_year
from yingshang.kernel.services.notifications import do_notify
from yingshang.kernel.services.pdf import chinese_date

logger = logging.getLogger("yingshang.cases")
BATCH = 500
CHANNELS = ("site", "email")


@dataclass
class SweepReport:
    yellow: int = 0
    red: int = 0
    departments_notified: int = 0
    stopped: int = 0
    recomputed: int = 0
    notices_issued: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def update_warnings(today: date, stamp) -> tuple[int, int]:
    """Two UPDATEs: red where overdue, then yellow where the share is used (both only where next_check is due)."""
    due = Case.objects.filter(next_check__lte=today)
    red = due.filter(red_on__lte=today).update(warning=rules.RED, next_check=None, warning_changed_at=stamp)
    yellow = due.filter(yellow_on__lte=today).update(warning=rules.YELLOW, next_check=F("red_on"),
                                                     warning_changed_at=stamp)
    # A next_check that is due but matched neither (a stale value) is set right, so it is not selected again.
    due.update(next_check=F("yellow_on"))
    return yellow, red


def notify_departments(stamp) -> int:
    """One message per department concerned by the cases whose warning changed at `stamp`."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {rules.YELLOW: 0, rules.RED: 0})
    for row in Case.objects.filter(warning_changed_at=stamp).values("department_id", "warning").annotate(n=Count("id")):
        counts[row["department_id"]][row["warning"]] += row["n"]
    stepped = (CaseStep.objects.filter(case__warning_changed_at=stamp, status="active")
               .exclude(department_id=F("case__department_id"))
               .values("department_id", "case__warning").annotate(n=Count("case_id", distinct=True)))
    for row in stepped:
        counts[row["department_id"]][row["case__warning"]] += row["n"]
    if not counts:
        return 0
    names = dict(Department.objects.filter(pk__in=counts).values_list("id", "name"))
    recipients: dict[int, list[User]] = defaultdict(list)
    staff = (User.objects.filter(department_id__in=counts, is_active=True,
                                 roles__code__in=[access.DEPT_REVIEWER, access.DEPT_HEAD]).distinct())
    for user in staff:
        recipients[user.department_id].append(user)
    sent = 0
    for department_id, by_level in sorted(counts.items()):
        users = recipients.get(department_id)
        if not users:
            continue
        parts = [f"{n} 件{rules.WARNING_LABELS[level]}" for level, n in by_level.items() if n]
        body = (f"{names.get(department_id, '')}：办件时限预警有新变化，{'、'.join(parts)}。"
                "请登录平台在“部门待办”中按预警筛选处理；超期办件将计入电子监察。")
        do_notify(users, "办件时限预警", body, channels=CHANNELS)
        sent += 1
    return sent


def stop_missed_supplements(today: date, limit: int = 1000) -> int:
    """Stop each case whose 容缺 supplement deadline passed with materials still missing, and escalate."""
    rows = list(Commitment.objects.filter(
        kind=CommitmentKind.PENDING_MATERIALS, fulfilled_at__isnull=True, breached_at__isnull=True,
        supplement_deadline__lt=today, case__status__in=rules.UNDER_REVIEW,
    ).order_by("supplement_deadline", "id").values_list("id", "case_id")[:limit])
    stopped = 0
    for commitment_id, case_id in rows:
        try:
            with transaction.atomic():
                stopped += _stop_one(commitment_id, case_id, today)
        except Exception:  # one bad case must not keep the others from being stopped
            logger.exception("could not stop case %s for a missed supplement deadline", case_id)
    return stopped


def _stop_one(commitment_id: int, case_id: int, today: date) -> int:
    case = common.lock(case_id, None)
    commitment = Commitment.objects.filter(pk=commitment_id, fulfilled_at__isnull=True, breached_at__isnull=True).first()
    if commitment is None or case.status not in rules.UNDER_REVIEW:
        return 0  # supplemented or closed meanwhile
    missing = list(case.materials.filter(commitment=commitment).exclude(status="provided").values_list("name", flat=True))
    reason = f"逾期未补齐容缺材料（{'、'.join(missing)}，补齐期限为{chinese_date(commitment.supplement_deadline)}）"
    commitment.breached_at, commitment.breach_reason = clock.now(), reason[:300]
    commitment.save(update_fields=["breached_at", "breach_reason"])
    common.commitment_event(commitment, "breached")
    lifecycle.stop_case(case, reason, common.snapshot(case))
    _escalate(case, reason)
    return 1


def _escalate(case: Case, reason: str) -> None:
    """Tell the owning department's heads, the clerk who accepted, and the applicant's account."""
    heads = list(User.objects.filter(department_id=case.department_id, is_active=True,
                                     roles__code=access.DEPT_HEAD).distinct())
    staff = heads + ([case.clerk] if case.clerk_id and case.clerk.is_active else [])
    if staff:
        do_notify(staff, f"容缺受理办件已终止：{case.case_no}",
                  f"{case.item_name}（{case.applicant_name}）{reason}，已按承诺终止办理，并记录申请人违诺。", obj=case,
                  channels=CHANNELS)
    if case.applicant_id:
        do_notify([case.applicant], f"您的办件已终止办理：{case.case_no}",
                  f"您申请的{case.item_name}{reason}，已终止办理。如需继续办理，请重新申请。", obj=case)


def recompute_provisional(today: date, limit: int = 5000) -> int:
    """Once a year's official schedule is in, recompute the deadlines that were provisional for it."""
    years = [d.year for d in Case.objects.filter(deadline_provisional=True).dates("deadline", "year")]
    now_official = [y for y in years if is_official_year(y)]
    if not now_official:
        return 0
    ids = list(Case.objects.filter(deadline_provisional=True, deadline__year__in=now_official,
                                   clock_state__in=(ClockState.RUNNING, ClockState.SUSPENDED))
               .order_by("id").values_list("id", flat=True)[:limit])
    done = 0
    for start in range(0, len(ids), BATCH):
        with transaction.atomic():
            for case in Case.objects.select_for_update().filter(pk__in=ids[start:start + BATCH]):
                old = case.deadline
                case_clock.recompute(case, today)
                case.save(update_fields=case_clock.CLOCK_FIELDS)
                common.sync_step_deadlines(case)
                if case.deadline != old:
                    common.event(case, "deadline_recomputed", f"{case.deadline.year}年节假日安排公布，办结期限更正为"
                                 f"{chinese_date(case.deadline)}")
                record("cases.case.recompute_deadline", case, before={"deadline": old, "provisional": True},
                       after={"deadline": case.deadline, "provisional": case.deadline_provisional})
                done += 1
    return done


def run_sweep(today: date | None = None) -> SweepReport:
    """The whole sweep; each part commits on its own so a failure in one does not undo the others."""
    today = today or clock.today()
    report = SweepReport()
    with acting_as(SYSTEM):
        report.recomputed = recompute_provisional(today)
        with transaction.atomic():
            stamp = clock.now()
            report.yellow, report.red = update_warnings(today, stamp)
            if report.yellow or report.red:
                report.departments_notified = notify_departments(stamp)
                record("cases.sweep.warnings", object_type="cases.sweep", object_id=today.isoformat(),
                       after={"yellow": report.yellow, "red": report.red,
                              "departments_notified": report.departments_notified})
        report.stopped = stop_missed_supplements(today)
        report.notices_issued = notices.issue_pending()
    return report

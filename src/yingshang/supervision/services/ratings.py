"""Rating a concluded case (好差评): once, by its applicant; a bad rating opens a rectification.

Two ways in: the applicant's account (`do_rate`), or — for window applicants without an account —
the case number plus the last four characters of the applicant's ID (`do_rate_by_lookup`; the caller
limits failed attempts per address, as the cases app does for its progress lookup).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from yingshang.cases import queries as case_queries
from yingshang.cases import rules as case_rules
from yingshang.cases.models import Case
from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from yingshang.kernel.services.audit import record
from yingshang.supervision import rules
from yingshang.supervision.models import Rating
from yingshang.supervision.services import common, rectifications


def clean_score(score) -> int:
    if isinstance(score, str) and score.strip().isdigit():
        score = int(score.strip())
    if not rules.valid_score(score):
        raise InvalidInput("supervision.invalid_score",
                           "评价等级须为 1 至 5 的整数：5 非常满意、4 满意、3 基本满意、2 不满意、1 非常不满意",
                           details={"field": "score"})
    return score


def check_rateable(case: Case) -> None:
    """The case is 办结 (rules.RATEABLE_STATUSES) and not rated yet."""
    if case.status not in rules.RATEABLE_STATUSES:
        label = case_rules.STATUS_LABELS.get(case.status, case.status)
        raise Conflict("supervision.not_concluded", f"办件当前状态为“{label}”，办结后才能评价",
                       details={"status": case.status})
    if Rating.objects.filter(case_id=case.pk).exists():
        raise Conflict("supervision.already_rated", "该办件已经评价过，每个办件只能评价一次")


def _find(case_no: str) -> Case:
    number = (case_no or "").strip().upper()[:24] if isinstance(case_no, str) else ""
    case = Case.objects.select_related("department").filter(case_no=number).first() if number else None
    if case is None:
        raise NotFound("supervision.case_not_found", f"没有编号为“{number}”的办件")
    return case


def do_rate(user, case_no: str, score, comment: str = "") -> Rating:
    """The signed-in applicant rates their own concluded case."""
    common.check_perm(user, common.RATE)
    case = _find(case_no)
    if case.applicant_id is None or case.applicant_id != user.pk:
        raise Forbidden("supervision.not_applicant", "只有该办件的申请人可以评价")
    return record_rating(case, score, comment, Rating.Channel.ONLINE, user)


def do_rate_by_lookup(case_no: str, last4: str, score, comment: str = "") -> Rating:
    """Rating without an account: the case number and the last four characters of the applicant's ID
    must both match. A case applied for from an account is rated from that account."""
    if not isinstance(case_no, str) or not isinstance(last4, str):
        raise InvalidInput("supervision.invalid_lookup", "请填写办件编号和证件号码后四位")
    case = case_queries.public_progress(case_no, last4)
    if case is None:
        raise NotFound("supervision.lookup_failed", "办件编号或证件号码后四位不正确")
    if case.applicant_id is not None:
        raise Forbidden("supervision.sign_in_to_rate", "该办件由申请人账号网上申报，请登录该账号后评价")
    return record_rating(case, score, comment, Rating.Channel.LOOKUP, None)


def record_rating(case: Case, score, comment: str, channel: str, user) -> Rating:
    """Validate and store the rating (and the rectification of a bad one). The caller has established
    who is rating (do_rate, do_rate_by_lookup, the demo)."""
    score = clean_score(score)
    comment = common.fields.text(comment, "comment", "评价内容", required=False, max_len=rules.COMMENT_MAX)
    check_rateable(case)
    rating = Rating(case=case, department_id=case.department_id, item_id=case.item_id, score=score,
                    comment=comment, channel=channel, rated_by=user, rated_at=clock.now(), rated_on=clock.today())
    try:
        with transaction.atomic():  # a savepoint: the unique case constraint decides a race
            rating.save()
    except IntegrityError:
        raise Conflict("supervision.already_rated", "该办件已经评价过，每个办件只能评价一次") from None
    # The comment is the applicant's free text: only its length goes into the audit trail.
    record("supervision.rating.create", rating, after={
        "case_no": case.case_no, "score": score, "grade": rules.grade_label(score), "channel": channel,
        "comment_chars": len(comment)})
    if rules.is_bad(score):
        rectifications.open_for(rating, case)
    return rating

"""What the supervision services share: permissions (registered in apps.py) and small helpers."""

from __future__ import annotations

from yingshang.kernel import access
from yingshang.kernel.errors import Forbidden
from yingshang.kernel.services.validation import Validator

VIEW = "supervision.view"  # statistics, drill-down, ranking, export, ratings of the scope
RECTIFY = "supervision.rectify"  # answer the department's rectifications
REVIEW = "supervision.review"  # close or return rectifications
REFRESH = "supervision.refresh"  # refresh the statistics now
RATE = "supervision.rate"  # applicants rate their own concluded cases

PERMISSIONS = {
    VIEW: {access.SUPERVISOR, access.LEADER, access.DEPT_HEAD},
    RECTIFY: {access.DEPT_HEAD, access.DEPT_REVIEWER},
    REVIEW: {access.SUPERVISOR},
    REFRESH: {access.SUPERVISOR, access.ADMIN},
    RATE: {access.CITIZEN, access.ENTERPRISE},
}
PERMISSION_LABELS = {VIEW: "查看电子监察", RECTIFY: "差评整改", REVIEW: "审核差评整改", REFRESH: "刷新统计",
                     RATE: "评价办件"}
# The codes supervision's API has always returned for text (as cases'): supervision.invalid_text,
# supervision.<field>_required, supervision.text_too_long.
fields = Validator("supervision", codes={"not_text": "invalid_text", "too_long": "text_too_long"})


def check_perm(user, permission: str) -> None:
    if not access.has_perm(user, permission):
        raise Forbidden("supervision.forbidden", f"您没有“{PERMISSION_LABELS[permission]}”的权限")


def check_any(user, *permissions: str) -> None:
    if not any(access.has_perm(user, p) for p in permissions):
        raise Forbidden("supervision.forbidden", "您没有查看电子监察信息的权限")

"""Permissions of the credit domain and small helpers shared by its services."""

from __future__ import annotations

from django.utils import timezone

from yingshang.kernel import access

COLLECT = "credit.collect"  # report records for one's department (credit office: for all)
VIEW = "credit.view"  # staff pages of collected data, batches and the 重错 report
MANAGE_LISTS = "credit.manage_lists"  # designate and remove on any list; edit list types and memoranda
DESIGNATE = "credit.designate"  # designate and remove on the list types of one's own department
VIEW_FULL_IDENTITY = "credit.view_full_identity"  # reveal a personal ID number in full (audited)
CHECK = "credit.check"  # run the joint reward/punishment check
RECORD_FEEDBACK = "credit.record_feedback"  # record that a measure was applied

PERMISSIONS = {
    COLLECT: {access.DEPT_REVIEWER, access.DEPT_HEAD, access.CREDIT_OFFICER, access.ADMIN},
    VIEW: {access.DEPT_REVIEWER, access.DEPT_HEAD, access.CREDIT_OFFICER, access.SUPERVISOR, access.LEADER, access.ADMIN},
    MANAGE_LISTS: {access.CREDIT_OFFICER, access.ADMIN},
    DESIGNATE: {access.DEPT_HEAD, access.CREDIT_OFFICER, access.ADMIN},
    VIEW_FULL_IDENTITY: {access.CREDIT_OFFICER, access.ADMIN},
    CHECK: {access.WINDOW_CLERK, access.DEPT_REVIEWER, access.DEPT_HEAD, access.CREDIT_OFFICER, access.TRADING_STAFF,
            access.SUPERVISOR, access.ADMIN},
    RECORD_FEEDBACK: {access.WINDOW_CLERK, access.DEPT_REVIEWER, access.DEPT_HEAD, access.CREDIT_OFFICER,
                      access.TRADING_STAFF, access.ADMIN},
}


def text(value, field: str, label: str, *, max_len: int, required: bool = False) -> str:
    from yingshang.kernel.errors import InvalidInput

    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(f"credit.{field}_invalid", f"{label}须为文本", details={"field": field})
    value = value.strip()
    if required and not value:
        raise InvalidInput(f"credit.{field}_required", f"请填写{label}", details={"field": field})
    if len(value) > max_len:
        raise InvalidInput(f"credit.{field}_too_long", f"{label}最多{max_len}个字符", details={"field": field})
    return value


def today():
    """The local date: one place for every credit service to ask (tests set it)."""
    return timezone.localdate()


def now():
    return timezone.now()

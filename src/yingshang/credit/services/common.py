"""Permissions of the credit domain and small helpers shared by its services."""

from __future__ import annotations

from yingshang.kernel import access
from yingshang.kernel.services.validation import Validator

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
# Credit's text codes are per field: credit.<field>_invalid, credit.<field>_required, credit.<field>_too_long.
fields = Validator("credit", messages={"too_long": "{label}最多{max_len}个字符"})

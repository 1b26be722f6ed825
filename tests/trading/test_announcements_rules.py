"""The pure rules of §2 with the law's own numbers: issue day, download window, deadline moves, the
objection window and answer due, the announced lot's next check, personal IDs in public text."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from yingshang.trading import rules
from yingshang.trading import rules_announcements as ra

TZ = ZoneInfo("Asia/Shanghai")
DEADLINE = datetime(2026, 5, 25, 9, 30, tzinfo=TZ)


def test_documents_issued_late_count_the_twenty_days_from_the_real_issue():
    assert ra.issue_day(date(2026, 5, 4), date(2026, 4, 20)) == date(2026, 5, 4)
    assert ra.issue_day(date(2026, 4, 10), date(2026, 4, 20)) == date(2026, 4, 20)
    limits = rules.PROCEDURES[0]  # 公开招标: 20 days (TBL Art. 24), sale 5 days (REG Art. 16)
    late = rules.check_periods(limits, date(2026, 5, 6), date(2026, 5, 11), DEADLINE)
    assert [b.code for b in late] == ["trading.deadline_too_soon"] and "20日" in late[0].message
    assert rules.check_periods(limits, date(2026, 5, 5), date(2026, 5, 11), DEADLINE) == []


def test_downloads_open_on_the_sale_days_and_stay_open_for_earlier_downloaders():
    start, end = date(2026, 5, 4), date(2026, 5, 11)
    assert ra.check_download(date(2026, 5, 3), start, end, downloaded_before=False).code == "trading.sale_not_started"
    assert ra.check_download(date(2026, 5, 4), start, end, downloaded_before=False) is None
    assert ra.check_download(date(2026, 5, 11), start, end, downloaded_before=False) is None
    late = ra.check_download(date(2026, 5, 12), start, end, downloaded_before=False)
    assert late.code == "trading.sale_ended" and "第十六条" in late.source
    assert ra.check_download(date(2026, 5, 12), start, end, downloaded_before=True) is None


def test_a_material_clarification_fifteen_days_before_keeps_the_deadline_fourteen_moves_it():
    kept, breach = rules.deadline_after_clarification(DEADLINE, date(2026, 5, 10))
    assert kept == DEADLINE and breach is None
    moved, breach = rules.deadline_after_clarification(DEADLINE, date(2026, 5, 11))
    assert moved == datetime(2026, 5, 26, 9, 30, tzinfo=TZ) and breach.code == "trading.deadline_moved"
    assert "第二十三条" in breach.source
    pre, _ = rules.deadline_after_clarification(DEADLINE, date(2026, 5, 23), prequalification=True)
    assert pre == datetime(2026, 5, 26, 9, 30, tzinfo=TZ)  # 3 days before a prequalification deadline
    same, none = rules.deadline_after_clarification(DEADLINE, date(2026, 5, 20), affects_preparation=False)
    assert same == DEADLINE and none is None


def test_clarifications_stop_at_the_deadline():
    assert ra.check_before_deadline(DEADLINE.replace(minute=29), DEADLINE, "澄清") is None
    assert ra.check_before_deadline(DEADLINE, DEADLINE, "澄清").code == "trading.after_deadline"


def test_objections_ten_days_before_the_deadline_two_for_prequalification_answered_in_three():
    assert rules.objection_last_day(DEADLINE) == date(2026, 5, 15)
    assert rules.check_objection(date(2026, 5, 15), DEADLINE) is None
    assert rules.check_objection(date(2026, 5, 16), DEADLINE).code == "trading.objection_too_late"
    assert rules.check_objection(date(2026, 5, 23), DEADLINE, prequalification=True) is None
    assert rules.check_objection(date(2026, 5, 24), DEADLINE, prequalification=True) is not None
    assert rules.objection_answer_due(date(2026, 4, 20)) == date(2026, 4, 23)
    assert not ra.is_overdue(date(2026, 4, 23), date(2026, 4, 23)) and ra.is_overdue(date(2026, 4, 23), date(2026, 4, 24))


def test_resident_id_numbers_are_found_only_with_a_valid_check_character():
    assert ra.personal_ids_in("联系人身份证 11010519491231002X 电话 0912-3456789") == ["11010519491231002X"]
    assert ra.personal_ids_in("项目编号 110105194912310021") == []  # wrong check character: not an ID
    assert ra.personal_ids_in("统一社会信用代码 91610802MA70XQ8K1B") == []


def test_every_kind_has_a_label_and_a_source():
    assert set(ra.KINDS) == set(ra.KIND_SOURCES)
    assert ra.opening_kind(True) == ra.PREQUALIFICATION and ra.opening_kind(False) == ra.TENDER

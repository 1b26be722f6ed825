"""The score evaluation (credit.rules_scores), pure: first matching rule, windows, caps, clean record,
tier caps and the tax-grade reading."""

from datetime import date

from yingshang.credit import rules_scores as rs

TIERS = (rs.Tier("excellent", "信用极好", 150), rs.Tier("good", "信用良好", 110), rs.Tier("minor", "轻微失信", 80),
         rs.Tier("poor", "信用较差", 50), rs.Tier("very_poor", "信用极差", 0))
RULES = (
    rs.Rule("serious", "严重", rs.PENALTY, -40, window_months=36, priority=10, severity=("serious",)),
    rs.Rule("heavy", "较重", rs.PENALTY, -20, window_months=24, priority=20, severity=("general",),
            categories=("吊销许可证件", "责令停产停业")),
    rs.Rule("general", "一般", rs.PENALTY, -10, window_months=12, priority=30, severity=("general",)),
    rs.Rule("black", "黑名单", rs.LIST_ENTRY, -60, list_kind="black", tier_cap="very_poor"),
    rs.Rule("volunteer", "志愿服务", rs.OTHER_RECORD, 2, max_points=5, window_months=24, kind="volunteering"),
    rs.Rule("clean", "长期无失信记录", rs.CLEAN_RECORD, 5, max_points=30, window_months=12),
)
SCHEME = rs.Scheme("p", "个人", 120, 0, 200, TIERS, RULES)
TODAY = date(2026, 11, 20)


def penalty(n, on, severity="general", categories="警告；罚款"):
    return rs.Fact(rs.PENALTY, f"penalty:{n}", f"处罚{n}", on, severity=severity, categories=categories)


def test_each_penalty_counts_once_by_its_first_matching_rule():
    facts = [penalty(1, date(2026, 6, 1), "serious"), penalty(2, date(2026, 6, 2), "general", "罚款；吊销许可证件"),
             penalty(3, date(2026, 6, 3)), penalty(4, date(2026, 6, 4), "")]  # no severity stated: general
    result = rs.evaluate(SCHEME, facts, TODAY)
    assert [(line.rule_code, line.ref, line.points) for line in result.lines] == [
        ("serious", "penalty:1", -40), ("heavy", "penalty:2", -20), ("general", "penalty:3", -10),
        ("general", "penalty:4", -10)]
    assert result.score == 40 and result.tier.name == "信用极差"


def test_a_minor_penalty_matches_no_rule_and_a_record_leaves_its_window():
    facts = [penalty(1, date(2026, 6, 1), "minor"), penalty(2, date(2025, 11, 19)), penalty(3, date(2025, 11, 21))]
    result = rs.evaluate(SCHEME, facts, TODAY)
    # 2025-11-19 + 12 months ends 2026-11-19 (民法典 Arts. 201–202): no longer counted on 2026-11-20.
    assert [line.ref for line in result.lines] == ["penalty:3"]
    assert result.changes_on == date(2026, 11, 22)  # the day after penalty 3's window ends


def test_a_rule_total_is_capped_and_the_explanation_says_so():
    facts = [rs.Fact(rs.OTHER_RECORD, f"other:{i}", "志愿服务", date(2026, 1, i + 1), kind="volunteering")
             for i in range(4)]
    result = rs.evaluate(SCHEME, facts, TODAY, known_since=TODAY)
    assert [line.points for line in result.lines] == [2, 2, 1, 0]
    assert result.lines[-1].note == "已达该项上限" and result.score == 125


def test_clean_record_counts_full_years_since_the_last_negative_record():
    facts = [penalty(1, date(2023, 11, 10))]  # outside its window, but still the last negative record
    result = rs.evaluate(SCHEME, facts, TODAY, known_since=date(2015, 1, 1))
    clean = [line for line in result.lines if line.rule_code == "clean"]
    assert clean[0].points == 15 and clean[0].ref == "clean:2023-11-10"  # three full years
    assert result.changes_on == date(2027, 11, 11)
    assert rs.evaluate(SCHEME, [], TODAY, known_since=date(2000, 1, 1)).score == 150  # capped at 30


def test_a_black_list_caps_the_tier_whatever_the_score():
    entry = rs.Fact(rs.LIST_ENTRY, "list_entry:1", "失信被执行人", date(2026, 1, 1), list_kind="black",
                    until=date(2027, 1, 1))
    volunteer = [rs.Fact(rs.OTHER_RECORD, f"other:{i}", "志愿", date(2026, 1, 1), kind="volunteering") for i in range(2)]
    result = rs.evaluate(SCHEME, [entry, *volunteer], TODAY, known_since=date(2000, 1, 1))
    assert result.score == 64 and result.tier.code == "very_poor" and result.capped_by == "黑名单"
    assert rs.evaluate(SCHEME, [entry], date(2027, 1, 2)).tier.code == "good"  # entry no longer in force


def test_the_tax_credit_grade_is_read_from_the_text():
    assert rs.tax_grade("2025年度纳税信用A级") == "A"
    assert rs.tax_grade("纳税信用等级：D 级") == "D"
    assert rs.tax_grade("M级纳税人") == "M"
    assert rs.tax_grade("纳税信用评价") == ""

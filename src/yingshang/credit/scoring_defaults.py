"""Default scoring tables (data), loaded once into the admin-maintained tables by `seed_default_schemes`
(after every migrate, only when no scheme of that audience exists). The city edits them in the admin;
nothing else in the code reads these values.

Personal: 《榆林市个人信用管理暂行办法》(榆政发〔2019〕1号, seed 000): 200 points, six tiers, 信用极好
≥ 150, 信用极差 < 50; the four inner bounds, the base score and every point value are our city's
choice (RULES.md: "inner tier bounds are a city's choice: keep them configurable").
Enterprise: A/B/C/D grades (分级分类监管); indicators, points and bounds are the city's choice.
"""

from __future__ import annotations

from datetime import date

EFFECTIVE_FROM = date(2019, 1, 8)  # 榆政发〔2019〕1号 issued 2019-01-08 (seed 000)
HEAVY_CATEGORIES = "吊销许可证件,责令停产停业,责令关闭,限制从业,降低资质等级,限制开展生产经营活动,行政拘留"

PERSON = {
    "code": "person-2019", "name": "个人信用积分（桃花分）", "effective_from": EFFECTIVE_FROM, "base_score": 120,
    "min_score": 0, "max_score": 200,
    "source": "榆林市个人信用管理暂行办法（榆政发〔2019〕1号）：满分200分，分信用极好、信用优秀、信用良好、轻微失信、"
              "信用较差、信用极差六档，150分以上为信用极好，50分以下为信用极差；中间档分界与分值为本市约定",
    "tiers": [("excellent", "信用极好", 150), ("very_good", "信用优秀", 130), ("good", "信用良好", 110),
              ("minor_default", "轻微失信", 80), ("poor", "信用较差", 50), ("very_poor", "信用极差", 0)],
    # (code, name, source, points, max, window months, priority, conditions, tier cap)
    "rules": [
        ("penalty-serious", "行政处罚（严重失信）", "penalty", -40, None, 36, 10, {"severities": "serious"}, ""),
        ("penalty-heavy", "行政处罚（较重）", "penalty", -20, None, 24, 20,
         {"severities": "general", "penalty_categories": HEAVY_CATEGORIES}, ""),
        ("penalty-general", "行政处罚（一般）", "penalty", -10, None, 12, 30, {"severities": "general"}, ""),
        ("black-list", "列入失信黑名单", "list_entry", -60, None, None, 10, {"list_kind": "black"}, "very_poor"),
        ("watch-list", "列入重点关注名单", "list_entry", -20, None, None, 20, {"list_kind": "watch"}, ""),
        ("red-list", "列入守信红名单", "list_entry", 20, 20, None, 30, {"list_kind": "red"}, ""),
        ("judgment-debtor", "失信被执行人记录", "other_record", -40, None, 24, 10, {"record_kind": "judgment_debtor"}, ""),
        ("commitment-breach", "信用承诺失信", "other_record", -15, None, 24, 20, {"record_kind": "commitment_breach"}, ""),
        ("volunteering", "志愿服务", "other_record", 2, 20, 24, 30, {"record_kind": "volunteering"}, ""),
        ("blood-donation", "无偿献血", "other_record", 5, 20, 24, 30, {"record_kind": "blood_donation"}, ""),
        ("charity", "慈善捐赠", "other_record", 3, 15, 24, 30, {"record_kind": "charity"}, ""),
        ("honour", "表彰奖励", "other_record", 5, 15, 36, 30, {"record_kind": "honour"}, ""),
        ("commitment-kept", "信用承诺履约", "commitment_kept", 2, 10, 24, 10, {}, ""),
        ("clean-record", "长期无失信记录", "clean_record", 5, 30, 12, 10, {}, ""),
    ],
}

ORGANIZATION = {
    "code": "organization-2019", "name": "企业信用等级", "effective_from": EFFECTIVE_FROM, "base_score": 85,
    "min_score": 0, "max_score": 100,
    "source": "企业信用分级分类（A/B/C/D）：指标、分值与等级分界为本市约定（可在后台调整）",
    "tiers": [("A", "A级", 90), ("B", "B级", 75), ("C", "C级", 60), ("D", "D级", 0)],
    "rules": [
        ("penalty-serious", "行政处罚（严重失信）", "penalty", -25, None, 36, 10, {"severities": "serious"}, "C"),
        ("penalty-heavy", "行政处罚（较重）", "penalty", -10, None, 24, 20,
         {"severities": "general", "penalty_categories": HEAVY_CATEGORIES}, ""),
        ("penalty-general", "行政处罚（一般）", "penalty", -5, None, 12, 30, {"severities": "general"}, ""),
        ("black-list", "列入失信黑名单", "list_entry", -40, None, None, 10, {"list_kind": "black"}, "D"),
        ("watch-list", "列入重点关注名单", "list_entry", -15, None, None, 20, {"list_kind": "watch"}, "C"),
        ("red-list", "列入守信红名单", "list_entry", 10, 10, None, 30, {"list_kind": "red"}, ""),
        ("judgment-debtor", "失信被执行人记录", "other_record", -40, None, 24, 10, {"record_kind": "judgment_debtor"}, "D"),
        ("tax-d", "纳税信用D级", "other_record", -20, None, 12, 20, {"record_kind": "tax_credit_grade", "grades": "D"}, "D"),
        ("tax-c", "纳税信用C级", "other_record", -10, None, 12, 20, {"record_kind": "tax_credit_grade", "grades": "C"}, ""),
        ("tax-a", "纳税信用A级", "other_record", 5, 5, 12, 20, {"record_kind": "tax_credit_grade", "grades": "A"}, ""),
        ("commitment-breach", "信用承诺失信", "other_record", -10, None, 24, 30, {"record_kind": "commitment_breach"}, ""),
        ("honour", "表彰奖励", "other_record", 3, 9, 36, 30, {"record_kind": "honour"}, ""),
        ("commitment-kept", "信用承诺履约", "commitment_kept", 1, 5, 24, 10, {}, ""),
        ("clean-record", "长期无失信记录", "clean_record", 2, 10, 12, 10, {}, ""),
    ],
}

DEFAULTS = {"person": PERSON, "organization": ORGANIZATION}


def seed_default_schemes(using: str = "default") -> int:
    """Create the default schemes that are missing (one per audience); returns how many were created."""
    from django.db import transaction

    from yingshang.credit.models import ScoreRule, ScoreTier, ScoringScheme

    created = 0
    with transaction.atomic(using=using):
        for audience, data in DEFAULTS.items():
            if ScoringScheme.objects.using(using).filter(audience=audience).exists():
                continue
            scheme = ScoringScheme.objects.using(using).create(
                audience=audience, code=data["code"], name=data["name"], effective_from=data["effective_from"],
                base_score=data["base_score"], min_score=data["min_score"], max_score=data["max_score"],
                source=data["source"])
            ScoreTier.objects.using(using).bulk_create(
                ScoreTier(scheme=scheme, code=c, name=n, min_score=m) for c, n, m in data["tiers"])
            ScoreRule.objects.using(using).bulk_create(
                ScoreRule(scheme=scheme, code=c, name=n, source=s, points=p, max_points=mx, window_months=w, priority=pr,
                          tier_cap=cap, **cond) for c, n, s, p, mx, w, pr, cond, cap in data["rules"])
            created += 1
    return created


def seed_after_migrate(sender, using="default", **kwargs) -> None:
    from django.db import connections

    # Migrated backwards past 0003 (or a partial plan): nothing to seed into.
    if "credit_scoringscheme" in connections[using].introspection.table_names():
        seed_default_schemes(using)

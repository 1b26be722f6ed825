"""Bulk data for the cases benchmark: a city with departments, published items and staff, and up to a
million cases written with bulk_create in batches (about a year of a busy city's applications).

The newest `open_count` cases are under review with a running clock and an active step (what the
inbox and the warning sweep work on); older ones are decided, refused or withdrawn.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from yingshang.cases import rules
from yingshang.cases.models import Case, CaseStep
from yingshang.catalog import services as catalog
from yingshang.catalog.content import MaterialRow, StepRow, VersionContent
from yingshang.kernel.db import db_datetime
from yingshang.kernel.models import Department, Role, User
from yingshang.kernel.services.calendar import add_working_days

BATCH = 5000
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志强文博思远子涵浩然雨轩"
TOWNS = ("榆林市", "榆阳区", "神木市", "府谷县", "横山区", "靖边县", "定边县")
TRADES = ("恒泰", "兴隆", "鑫源", "华宇", "长城", "塞上", "驼城", "金鼎", "秦川", "瑞丰", "宏达", "信达", "天元", "沙漠绿洲")
BUSINESS = ("能源科技", "煤业", "餐饮管理", "建筑工程", "商贸", "物流", "农业开发", "文化传媒", "医药", "化工")


@dataclass
class BenchCity:
    hall: Department
    departments: list[Department]
    versions: list  # published ServiceItemVersion, one per department
    clerk: User
    reviewers: dict[int, User]  # department id -> reviewer
    names: list[str] = field(default_factory=list)
    owner: dict[int, int] = field(default_factory=dict)  # version id -> owning department id


def _content(index: int, dept_code: str) -> VersionContent:
    fields = {"name": f"基准测试许可事项{index:02d}", "item_type": "administrative_license", "kind": "committed",
              "legal_basis": "《中华人民共和国行政许可法》", "statutory_limit_days": 20, "committed_limit_days": 5 + index % 6,
              "channels": ["window", "online"]}
    return VersionContent(
        fields=fields, materials=[MaterialRow("申请书"), MaterialRow("营业执照", form="copy"),
                                  MaterialRow("场所证明", pending_allowed=True)],
        steps=[StepRow("受理", dept_code, 1, "accept", 0), StepRow("审查", dept_code, 2, "review", 2),
               StepRow("决定", dept_code, 3, "decide", 2)])


def build_city(departments: int = 20) -> BenchCity:
    """Departments, a hall, one published item per department, a clerk and one reviewer each."""
    with transaction.atomic():
        root, _ = Department.objects.get_or_create(code="610800", defaults={"name": "榆林市", "kind": "city",
                                                                            "division_code": "610800"})
        hall, _ = Department.objects.get_or_create(code="610800-BHALL", defaults={
            "name": "基准测试政务服务大厅", "kind": "hall", "parent": root, "division_code": "610800"})
        depts, versions, reviewers = [], [], {}
        reviewer_role = Role.objects.get(code="dept_reviewer")
        for i in range(departments):
            dept, _ = Department.objects.get_or_create(code=f"610800-B{i:02d}", defaults={
                "name": f"基准测试部门{i:02d}", "kind": "department", "parent": root, "division_code": "610800"})
            depts.append(dept)
            draft = catalog.do_create_item(f"BENCH-{i:03d}", "city", dept, _content(i, dept.code))
            version = catalog.do_publish(draft)
            versions.append(version)
            user = User.objects.create(username=f"bench_reviewer_{i}", real_name=f"审查员{i}", department=dept)
            user.roles.add(reviewer_role)
            reviewers[dept.pk] = user
        clerk = User.objects.create(username="bench_clerk", real_name="窗口人员", department=hall)
        clerk.roles.add(Role.objects.get(code="window_clerk"))
    from yingshang.catalog.models import ServiceItemVersion

    ServiceItemVersion.objects.filter(pk__in=[v.pk for v in versions]).update(valid_from=date(2020, 1, 1))
    owner = {v.pk: d.pk for v, d in zip(versions, depts, strict=True)}
    return BenchCity(hall, depts, versions, clerk, reviewers, owner=owner)


def applicant_name(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.6:
        return f"{rng.choice(TOWNS)}{rng.choice(TRADES)}{rng.choice(BUSINESS)}有限公司", "enterprise"
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2))), "person"


def _template(model) -> dict:
    """Every concrete column of the model with its default (the bulk rows override what they set)."""
    return {f.attname: f.get_default() for f in model._meta.concrete_fields if not f.primary_key}


def _insert(model, rows: list[dict]) -> None:
    """One multi-row INSERT per batch through the DB-API (the ORM's per-field preparation is what costs
    most at a million rows). Datetimes go in as the ORM writes them (`kernel.db.db_datetime`)."""
    if not rows:
        return
    columns = list(rows[0])
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "  # noqa: S608
           f"VALUES ({', '.join(['%s'] * len(columns))})")

    def value(v):
        if isinstance(v, dict | list):
            return json.dumps(v)
        if isinstance(v, datetime):
            return db_datetime(v)
        return v

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: an order of magnitude faster than INSERTs
            copy_sql = f"COPY {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row([value(row[c]) for c in columns])
            return
        cursor.executemany(sql, [[value(row[c]) for c in columns] for row in rows])


def generate(city: BenchCity, total: int, open_count: int, today: date, seed: int = 2026) -> int:
    """Write `total` cases (the newest `open_count` under review) in batches; return how many.

    Open cases were received over the last 30 days with the warning as of yesterday's sweep, so the
    sweep run "today" finds the cases whose warning changes today.
    """
    rng = random.Random(seed)
    tz = timezone.get_current_timezone()
    closed = max(total - open_count, 0)
    first_day, open_from = today - timedelta(days=365), today - timedelta(days=30)
    case_row, step_row = _template(Case), _template(CaseStep)
    next_id = (Case.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    written = 0
    while written < total:
        cases, steps = [], []
        for i in range(written, min(written + BATCH, total)):
            is_open = i >= closed
            if is_open:
                received = open_from + timedelta(days=((i - closed) * 30) // max(open_count, 1))
            else:
                received = first_day + timedelta(days=(i * 335) // max(closed, 1))
            version = city.versions[i % len(city.versions)]
            name, kind = applicant_name(rng)
            if len(city.names) < 500 and rng.random() < 0.01:
                city.names.append(name)
            moment = datetime.combine(received, time(9 + i % 8, i % 60), tzinfo=tz)
            limit = version.committed_limit_days
            deadline = add_working_days(received, limit).date
            yellow = add_working_days(received, rules.yellow_threshold(limit)).date
            red = rules.red_from(deadline)
            row = dict(case_row)
            row.update(
                id=next_id + i, case_no=f"BN{received.year}{i:08d}", item_id=version.item_id, item_version_id=version.pk,
                item_name=version.name, kind="committed", department_id=city.owner[version.pk], applicant_kind=kind,
                applicant_name=name, identifier_kind="uscc" if kind == "enterprise" else "resident_id",
                identifier_digest=f"{i:064x}", identifier_masked="****", identifier_last4=f"{i % 10000:04d}",
                channel="window" if i % 3 else "online", hall_id=city.hall.pk, clerk_id=city.clerk.pk,
                created_at=moment, updated_at=moment, submitted_at=moment, received_on=received, accepted_at=moment,
                accepted_on=received, limit_days=limit, limit_source="committed", row_version=3, deadline=deadline,
                yellow_on=yellow, red_on=red,
            )
            if is_open:
                level = rules.warning_level(today - timedelta(days=1), yellow, red)
                row.update(status=rules.IN_REVIEW, clock_state="running", current_stage=2, warning=level,
                           next_check=rules.next_check(level, yellow, red))
                step = dict(step_row)
                step.update(case_id=row["id"], stage=2, name="审查", step_kind="review", department_id=row["department_id"],
                            status="active", activated_at=moment, case_deadline=deadline)
                steps.append(step)
            else:
                roll = rng.random()
                row.update(status=(rules.APPROVED if roll < 0.85 else rules.DENIED if roll < 0.9
                                   else rules.REFUSED if roll < 0.95 else rules.WITHDRAWN),
                           clock_state="stopped", decided_on=min(deadline, received + timedelta(days=5)),
                           on_time=rng.random() < 0.97, decided_at=moment)
            cases.append(row)
        with transaction.atomic():
            _insert(Case, cases)
            _insert(CaseStep, steps)
        written += len(cases)
    with connection.cursor() as cursor:  # explicit ids: move PostgreSQL's sequences past them
        for sql in connection.ops.sequence_reset_sql(no_style(), [Case, CaseStep]):
            cursor.execute(sql)
        # Fresh statistics, as autovacuum would gather after a bulk load, so the planner sees the data.
        for model in (Case, CaseStep):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return written

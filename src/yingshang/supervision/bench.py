"""E-supervision: a year's aggregates by department and by item over 1,000,000 cases (goal ≤ 1 s).

The data is generated here with bulk_create straight into the cases tables (quick: 20,000 cases):
the year ending yesterday, 40 departments, 400 items of skewed popularity (a few items carry most
cases, as in a real hall), committed limits of 1–20 working days, deadlines from the kernel calendar,
about 4 % concluded late, 1.5 % withdrawn or stopped, the last weeks still open (some in yellow or red),
40 % of concluded cases rated (5: 70 %, 4: 18 %, 3: 7 %, 2: 3 %, 1: 2 %) and every bad rating with a
rectification. When the scratch database already holds cases (another benchmark made them), only the
difference to the target is generated.

Measured: building the rollup from scratch (the nightly job), the incremental refresh (the job every
ten minutes), the year's report by department plus by item as the page and the API compute it
(median/p95 over several runs: the goal), a drill-down page, and as the baseline the same year
aggregated straight from the cases table — what every request would cost without the rollup.
"""

from __future__ import annotations

import random
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime

from django.db import connection, transaction
from django.utils import timezone

from yingshang.kernel.bench import Context, Result, benchmark, measure_each
from yingshang.kernel.db import db_datetime

GOAL_MS = 1000.0
DEPARTMENTS, ITEMS = 40, 400
CHUNK = 20_000
PREFIX = "BS"


def _setup(rng: random.Random):
    """The bench city: a root, 40 departments, a hall, 400 published items (bulk, no services: speed)."""
    from yingshang.catalog.models import ServiceItem, ServiceItemVersion
    from yingshang.kernel.models import Department

    root, _ = Department.objects.get_or_create(code="BENCH", defaults={"name": "基准测试市", "kind": "city"})
    depts = []
    for i in range(DEPARTMENTS):
        dept, _ = Department.objects.get_or_create(code=f"BENCH-D{i:02d}", defaults={
            "name": f"基准测试市第{i + 1}局", "kind": "department", "parent": root})
        depts.append(dept)
    hall, _ = Department.objects.get_or_create(code="BENCH-HALL", defaults={
        "name": "基准测试政务服务大厅", "kind": "hall", "parent": root})
    existing = {i.code: i for i in ServiceItem.objects.filter(code__startswith="BENCH-I")}
    new = [ServiceItem(code=f"BENCH-I{i:03d}", level="city", department=depts[i % DEPARTMENTS])
           for i in range(ITEMS) if f"BENCH-I{i:03d}" not in existing]
    ServiceItem.objects.bulk_create(new)
    items = list(ServiceItem.objects.filter(code__startswith="BENCH-I").order_by("code"))
    have = set(ServiceItemVersion.objects.filter(item__in=items).values_list("item_id", flat=True))
    ServiceItemVersion.objects.bulk_create([
        ServiceItemVersion(item=item, number=1, status="published", valid_from=date(2020, 1, 1),
                           name=f"基准事项{item.code[-3:]}", item_type="administrative_license",
                           kind="committed", statutory_limit_days=20, committed_limit_days=rng.randint(1, 20))
        for item in items if item.pk not in have])
    versions = {v.item_id: v for v in ServiceItemVersion.objects.filter(item__in=items)}
    return items, versions, hall


def _working_days(first: date, last: date) -> list[date]:
    from yingshang.kernel.services.calendar import is_working_day

    days, day = [], first
    while day <= last:
        if is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def generate(n: int, today: date, seed: int = 20261122) -> int:
    """Top the cases table up to n cases over the year ending yesterday; returns how many were made."""
    from yingshang.cases.models import Case

    missing = n - Case.objects.count()
    if missing <= 0:
        return 0
    rng = random.Random(seed + missing)
    items, versions, hall = _setup(rng)
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(items))]  # Zipf-like popularity
    days = _working_days(today - timedelta(days=365), today - timedelta(days=1))
    start_no = Case.objects.filter(case_no__startswith=PREFIX).count()
    made = 0
    while made < missing:
        size = min(CHUNK, missing - made)
        chosen = rng.choices(items, weights=weights, k=size)
        with transaction.atomic():
            Case.objects.bulk_create(
                [_case(rng, item, versions[item.pk], hall, rng.choice(days), today, start_no + made + k)
                 for k, item in enumerate(chosen)], batch_size=2000)
        made += size
    return made


def _case(rng, item, version, hall, accepted_on: date, today: date, number: int):
    from yingshang.cases.models import Case
    from yingshang.kernel.services.calendar import add_working_days

    limit = version.committed_limit_days
    deadline = add_working_days(accepted_on, limit).date
    yellow_on = add_working_days(accepted_on, max(1, round(limit * 0.8))).date
    moment = timezone.make_aware(datetime.combine(accepted_on, dtime(9, rng.randrange(60))))
    roll = rng.random()
    late = roll < 0.04
    used = limit + rng.randint(1, 5) if late else rng.randint(0, limit)
    decided = add_working_days(accepted_on, used).date
    fields = {"status": "concluded", "clock_state": "stopped", "decided_on": decided, "on_time": decided <= deadline,
              "warning": "red" if decided > deadline else "none"}
    if decided >= today:  # not decided yet: still under review, its warning as the sweep would set it
        warning = "red" if today > deadline else "yellow" if today >= yellow_on else "none"
        fields = {"status": rng.choice(("accepted", "in_review", "in_review", "accepted_pending")),
                  "clock_state": "running", "decided_on": None, "on_time": None, "warning": warning}
    elif roll > 0.985:
        fields = {"status": rng.choice(("withdrawn", "stopped")), "clock_state": "stopped", "decided_on": None,
                  "on_time": None, "warning": "none"}
    elif roll > 0.90:
        fields["status"] = rng.choice(("approved", "issued", "issued", "denied"))
    person = rng.random() < 0.55
    return Case(
        case_no=f"{PREFIX}{number:010d}", item=item, item_version=version, item_name=version.name, kind="committed",
        department_id=item.department_id, applicant_kind="person" if person else "enterprise",
        applicant_name=("张" if person else "榆林市基准") + f"{number % 9973}" + ("" if person else "有限公司"),
        identifier_last4=f"{number % 10000:04d}", channel=rng.choice(("online", "window")), hall=hall,
        created_at=moment, submitted_at=moment, received_on=accepted_on, accepted_at=moment, accepted_on=accepted_on,
        decided_at=None, limit_days=limit, limit_source="committed", deadline=deadline, yellow_on=yellow_on,
        red_on=deadline + timedelta(days=1), **fields)


def rate(today: date) -> tuple[int, int]:
    """Rate 40 % of the concluded cases not rated yet (5: 70 %, 4: 18 %, 3: 7 %, 2: 3 %, 1: 2 %, spread by id)
    and open a rectification for each bad rating, set-based (INSERT … SELECT works alike on both backends)."""
    from yingshang.cases.models import Case
    from yingshang.supervision import rules
    from yingshang.supervision.models import Rating, Rectification

    quote = connection.ops.quote_name
    case_t, rating_t, rect_t = (quote(m._meta.db_table) for m in (Case, Rating, Rectification))
    statuses = ", ".join(["%s"] * len(rules.CONCLUDED_STATUSES))
    moment = timezone.make_aware(datetime.combine(today, dtime(12, 0)))
    score = ("CASE WHEN c.id %% 100 < 70 THEN 5 WHEN c.id %% 100 < 88 THEN 4 WHEN c.id %% 100 < 95 THEN 3 "
             "WHEN c.id %% 100 < 98 THEN 2 ELSE 1 END")
    # Only fixed table and column names are interpolated; values are parameters ("%%" is the modulo operator).
    rating_sql = (
        f"INSERT INTO {rating_t} (case_id, department_id, item_id, score, comment, channel, rated_at, rated_on) "  # noqa: S608
        f"SELECT c.id, c.department_id, c.item_id, {score}, '', 'online', %s, c.decided_on FROM {case_t} c "
        f"WHERE c.status IN ({statuses}) AND c.decided_on IS NOT NULL AND (c.id / 7) %% 5 < 2 "
        f"AND NOT EXISTS (SELECT 1 FROM {rating_t} r WHERE r.case_id = c.id)")
    rect_sql = (
        f"INSERT INTO {rect_t} (rating_id, department_id, item_id, status, row_version, opened_at, opened_on, due_on, "  # noqa: S608
        "due_provisional, late, returns, response, measures, review_note) "
        f"SELECT r.id, r.department_id, r.item_id, CASE WHEN r.id %% 10 < 7 THEN 'closed' WHEN r.id %% 10 < 8 THEN 'responded' "
        "WHEN r.id %% 10 < 9 THEN 'open' ELSE 'overdue' END, 1, r.rated_at, r.rated_on, r.rated_on, 1 = 0, "
        f"r.id %% 10 = 9, 0, '', '', '' FROM {rating_t} r "
        f"WHERE r.score <= %s AND NOT EXISTS (SELECT 1 FROM {rect_t} x WHERE x.rating_id = r.id)")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(rating_sql, [db_datetime(moment), *sorted(rules.CONCLUDED_STATUSES)])
        rated = cursor.rowcount
        cursor.execute(rect_sql, [rules.BAD_MAX])
        return rated, cursor.rowcount


def _analyze() -> None:
    """Fresh planner statistics after a bulk load (autovacuum would do it a little later)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@benchmark("电子监察：全年统计（按部门 + 按事项）", order=300)
def year_aggregates(ctx: Context) -> list[Result]:
    from yingshang.kernel.models import User
    from yingshang.supervision import drill, rules, stats
    from yingshang.supervision.services import rollup

    n = ctx.size(1_000_000, 20_000)
    today = timezone.localdate()
    t0 = time.perf_counter()
    made = generate(n, today)
    rated, rectifications = rate(today)
    generated = time.perf_counter() - t0
    _analyze()
    results = [Result(name="电子监察：生成办件（bulk_create，含评价与整改）", n=made, total_seconds=generated,
                      per_second=made / generated if made and generated else None,
                      note=f"办件表共 {n:,} 件，本次生成 {made:,} 件；新增评价 {rated:,} 条、差评整改 {rectifications:,} 件")]

    t0 = time.perf_counter()
    full = rollup.refresh(full=True, today=today)
    build = time.perf_counter() - t0
    _analyze()
    results.append(Result(name="电子监察：全量重建每日统计（夜间任务）", n=full.rows, total_seconds=build,
                          per_second=full.rows / build if build else None,
                          note=f"{n:,} 件办件汇总为 {full.rows:,} 行（日 × 部门 × 事项）"))
    results.append(measure_each("电子监察：增量刷新最近 62 天（每 10 分钟任务）",
                                lambda: rollup.refresh(today=today), 3,
                                note="重算窗口内的受理、办结与评价；旧数据由夜间全量重建校正"))

    supervisor = User.objects.filter(roles__code="supervisor").first() or _bench_supervisor()
    period = rules.Period(today - timedelta(days=365), today)

    def both():
        stats.reports(supervisor, period, today=today)  # by department and by item, as the export does

    both()  # warm the connection and the calendar index
    t0 = time.perf_counter()
    rollup.collect(period.start, period.end)
    baseline = time.perf_counter() - t0
    result = measure_each("电子监察：一年统计 按部门 + 按事项（页面与接口的计算）", both, ctx.size(9, 5),
                          goal="≤ 1 s（100 万件办件的一年统计）",
                          baseline=f"不用汇总表、每次直接从办件表汇总同一年：{baseline * 1000:,.0f} ms")
    result.met = result.p95_ms is not None and result.p95_ms <= GOAL_MS
    result.ratio = baseline * 1000 / result.median_ms if result.median_ms else None
    result.note = f"{n:,} 件办件，{DEPARTMENTS} 个部门 × {ITEMS} 个事项；每次运行两份报表"
    results.append(result)

    dept_code = "BENCH-D00"
    filters = drill.Filters(metric="concluded", period=period, department_code=dept_code)
    results.append(measure_each("电子监察：钻取办件列表首页（某部门一年的办结件）",
                                lambda: drill.page(supervisor, filters, None, 20), ctx.size(20, 10)))
    return results


def _bench_supervisor():
    from yingshang.kernel.models import Department, Role, User

    user = User.objects.create(username="bench-supervisor", real_name="基准监察员",
                               department=Department.objects.get(code="BENCH"))
    user.roles.add(Role.objects.get(code="supervisor"))
    return user

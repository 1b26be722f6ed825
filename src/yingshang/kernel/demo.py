"""The demo city: a registry of seeders (each app adds its own in `<app>/demo.py`) and the kernel's seeder.

Seeders are idempotent: running `yingshang demo` twice leaves one demo city, not two.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from yingshang.kernel import demo_city as city


@dataclass
class DemoReport:
    logins: list[tuple[str, str, str, str]] = field(default_factory=list)  # username, password, role, department
    lines: list[str] = field(default_factory=list)


SEEDERS: list[tuple[int, str, Callable[[DemoReport], None]]] = []


def seeder(name: str, order: int = 100):
    def register(func):
        SEEDERS.append((order, name, func))
        return func

    return register


@seeder("calendar", order=1)
def seed_calendar(report: DemoReport) -> None:
    from yingshang.kernel.services.calendar import seed_from_chinese_calendar

    seeded = seed_from_chinese_calendar()
    report.lines.append(f"工作日历：官方年度 {len(seeded.created) + len(seeded.skipped)} 个（本次新增 {len(seeded.created)} 个）")


@seeder("organisation", order=10)
def seed_organisation(report: DemoReport) -> None:
    from yingshang.kernel.models import Department
    from yingshang.kernel.services.org import do_upsert_department as upsert

    code, name, short, kind, division = city.CITY
    root = upsert(code, name=name, short_name=short, kind=kind, division_code=division)
    by_code = {code: root}
    for div, name, short in city.DISTRICTS:
        by_code[div] = upsert(div, parent=root, name=name, short_name=short, kind="district", division_code=div)
    for order, (suffix, name, short) in enumerate(city.CITY_DEPARTMENTS):
        by_code[f"610800-{suffix}"] = upsert(f"610800-{suffix}", parent=root, name=name, short_name=short,
                                             kind="department", division_code="610800", sort_order=order)
    for suffix, name, short, kind, parent in city.CENTRES:
        parent_dept = by_code[f"610800-{parent}"] if parent else root
        by_code[f"610800-{suffix}"] = upsert(f"610800-{suffix}", parent=parent_dept, name=name, short_name=short,
                                             kind=kind, division_code="610800")
    for div, suffix, name, short in city.DISTRICT_DEPARTMENTS:
        by_code[f"{div}-{suffix}"] = upsert(f"{div}-{suffix}", parent=by_code[div], name=name, short_name=short,
                                            kind="department", division_code=div)
    for code, name, parent, address in city.HALLS:
        by_code[code] = upsert(code, parent=by_code[parent], name=name, short_name=name[:20], kind="hall",
                               division_code=code[:6], address=address, phone="0912-12345")
    _give_usccs(by_code)
    total = Department.objects.count()
    report.lines.append(f"组织机构：{total} 个（1 市、{len(city.DISTRICTS)} 区县、大厅 {len(city.HALLS)} 个）")


def _give_usccs(by_code) -> None:
    """Government agencies get valid generated codes (authority 1 机构编制, category 1 机关)."""
    from yingshang.kernel.rules.identifiers import generate_uscc

    rng = random.Random(20261122)  # deterministic demo data
    for _code, dept in sorted(by_code.items()):
        if not dept.uscc:
            dept.uscc = generate_uscc(rng, division_code=dept.division_code or "610800", authority="1", category="1")
            dept.save(update_fields=["uscc"])


@seeder("users", order=20)
def seed_users(report: DemoReport) -> None:
    from yingshang.kernel.access import ROLE_NAMES
    from yingshang.kernel.models import Department
    from yingshang.kernel.protect import id_digest
    from yingshang.kernel.rules.identifiers import generate_resident_id, generate_uscc, mask_resident_id
    from yingshang.kernel.services.org import do_upsert_user

    rng = random.Random(2026)  # deterministic demo data
    departments = {d.code: d for d in Department.objects.all()}
    for index, (username, name, roles, dept_code, identity) in enumerate(city.USERS):
        fields = {"real_name": name, "email": f"{username}@demo.yingshang.local",
                  "phone": f"1379120{index:04d}", "is_staff": "admin" in roles, "is_superuser": "admin" in roles}
        if identity in ("person", "enterprise"):
            id_number = generate_resident_id(rng, division_code="610802")
            fields |= {"id_number_digest": id_digest(id_number), "id_number_masked": mask_resident_id(id_number)}
        if identity == "enterprise":
            fields |= {"uscc": generate_uscc(rng, division_code="610802", authority="9", category="1"),
                       "organization_name": city.ENTERPRISE_NAMES[username]}
        dept = departments.get(dept_code) if dept_code else None
        do_upsert_user(username, password=city.DEMO_PASSWORD, role_codes=roles, department=dept, **fields)
        report.logins.append((username, city.DEMO_PASSWORD, "、".join(ROLE_NAMES[r] for r in roles),
                              dept.name if dept else (fields.get("organization_name") or "—")))

"""The demo city's bidders (投标人): 300 enterprise accounts, some of them on a black list whose memorandum
bars bidding (from the credit demo), so that a barred bidder meets the credit gate in the demo.

Accounts are made in bulk with one password hash (hashing 300 passwords would take a minute); idempotent by
username. The enterprises are the credit demo's legal persons, so their grades and list entries are real.
"""

from __future__ import annotations

from yingshang.kernel import access
from yingshang.kernel import demo_city as city
from yingshang.kernel.demo import DemoReport, seeder

COUNT = 300
BARRED_AT_LEAST = 12


@seeder("trading-bidders", order=405)
def seed_bidders(report: DemoReport) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from yingshang.credit.models import ListEntry, Subject
    from yingshang.kernel.models import Role, User

    existing = set(User.objects.filter(username__startswith="bidder").values_list("username", flat=True))
    barred = list(ListEntry.objects.filter(status="active", list_kind="black", subject__kind="legal_person",
                                           subject__id_kind="uscc")
                  .values_list("subject__id_key", "subject__name").order_by("subject__id_key").distinct()[:40])
    taken = {u for u, _n in barred}
    others = list(Subject.objects.filter(kind="legal_person", id_kind="uscc").exclude(id_key__in=taken)
                  .order_by("id_key").values_list("id_key", "name")[:COUNT])
    chosen = (barred[:BARRED_AT_LEAST] + others)[:COUNT - 1]  # the named `bidder` account is the 300th
    password = make_password(city.DEMO_PASSWORD)
    role = Role.objects.get(code=access.BIDDER)
    new = [User(username=f"bidder{i:03d}", password=password, real_name="投标联系人", uscc=uscc,
                organization_name=name[:100], email=f"bidder{i:03d}@demo.yingshang.local")
           for i, (uscc, name) in enumerate(chosen, 1) if f"bidder{i:03d}" not in existing]
    with transaction.atomic():
        made = User.objects.bulk_create(new, batch_size=500)
        through = User.roles.through
        through.objects.bulk_create([through(user_id=u.pk, role_id=role.pk) for u in made], batch_size=1000,
                                    ignore_conflicts=True)
    total = User.objects.filter(roles=role).count()
    listed = min(len(barred), BARRED_AT_LEAST)
    report.lines.append(f"公共资源交易：投标人账号 {total} 个（其中列入失信名单、限制投标的 {listed} 个；"
                        f"用户名 bidder001–bidder{len(chosen):03d}，密码同演示密码）")

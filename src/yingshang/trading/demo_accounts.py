"""The demo's trading accounts (tenderer, agency) and how every trading demo module makes an account."""

from __future__ import annotations

from yingshang.kernel import access
from yingshang.kernel import demo_city as city

TENDERER = ("tenderer", "韩雪", access.TENDERER, "榆林市城市建设投资开发集团有限公司")
AGENCY = ("agency", "冯涛", access.AGENCY, "陕西正信工程招标代理有限公司")


def _user(spec, rng):
    from yingshang.kernel.models import User
    from yingshang.kernel.rules.identifiers import generate_uscc
    from yingshang.kernel.services.org import do_upsert_user

    username, name, role, organisation = spec

    existing = User.objects.filter(username=username).first()
    uscc = existing.uscc if existing and existing.uscc else generate_uscc(rng, division_code="610802", authority="9",
                                                                           category="1")
    return do_upsert_user(username, password=city.DEMO_PASSWORD, role_codes=(role,), real_name=name,
                          email=f"{username}@demo.yingshang.local", uscc=uscc, organization_name=organisation)

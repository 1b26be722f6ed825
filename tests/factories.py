"""factory_boy factories for kernel objects; traits give the common shapes (a hall, a clerk, ...)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
from factory.django import DjangoModelFactory

from yingshang.kernel import access, clock
from yingshang.kernel.models import Department, Role, User
from yingshang.trading.models import Lot, Procedure, TenderProject


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n:04d}")
    name = factory.Sequence(lambda n: f"测试部门{n}")
    kind = Department.Kind.DEPARTMENT
    division_code = "610800"

    class Params:
        city = factory.Trait(kind=Department.Kind.CITY, code="610800", name="榆林市", parent=None)
        district = factory.Trait(kind=Department.Kind.DISTRICT, division_code="610802")
        hall = factory.Trait(kind=Department.Kind.HALL, name=factory.Sequence(lambda n: f"政务服务大厅{n}"))


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.django.Password("pass-1234-word")
    is_active = True

    role_codes = ()

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        codes = kwargs.pop("role_codes", ())
        user = super()._create(model_class, *args, **kwargs)
        if codes:
            user.roles.add(*Role.objects.filter(code__in=codes))
        return user

    class Params:
        citizen = factory.Trait(role_codes=[access.CITIZEN])
        enterprise = factory.Trait(role_codes=[access.ENTERPRISE])
        clerk = factory.Trait(role_codes=[access.WINDOW_CLERK], department=factory.SubFactory(DepartmentFactory, hall=True))
        reviewer = factory.Trait(role_codes=[access.DEPT_REVIEWER], department=factory.SubFactory(DepartmentFactory))
        head = factory.Trait(role_codes=[access.DEPT_HEAD], department=factory.SubFactory(DepartmentFactory))
        supervisor = factory.Trait(role_codes=[access.SUPERVISOR], department=factory.SubFactory(DepartmentFactory))
        admin = factory.Trait(role_codes=[access.ADMIN], is_staff=True, is_superuser=True)
        trading_staff = factory.Trait(role_codes=[access.TRADING_STAFF])
        tenderer = factory.Trait(role_codes=[access.TENDERER], uscc=factory.Sequence(lambda n: _uscc(n)),
                                 organization_name=factory.Sequence(lambda n: f"测试招标人{n}有限公司"))
        agency = factory.Trait(role_codes=[access.AGENCY], uscc=factory.Sequence(lambda n: _uscc(n + 50_000)),
                               organization_name=factory.Sequence(lambda n: f"测试招标代理{n}有限公司"))


def _uscc(n: int) -> str:
    """A valid USCC (GB 32100), the same for the same n."""
    import random

    from yingshang.kernel.rules.identifiers import generate_uscc

    return generate_uscc(random.Random(n), division_code="610802", authority="9", category="1")


# --- Catalog (appended by the catalog work) ---------------------------------------------------------
def published_service_item(code: str = "610800-XK-9001", owner: Department | None = None, *, name: str = "测试许可事项",
                           kind: str = "committed", statutory: int | None = 20, committed: int = 5, **fields):
    """A published catalog item with one material and accept → review → decide steps, in force from today.

    Built through the catalog's services, so it passes every catalog rule. Returns the published version.
    """
    from django.db import transaction

    from yingshang.catalog import services
    from yingshang.catalog.content import MaterialRow, StepRow, VersionContent

    owner = owner or DepartmentFactory(code="610800-TEST", name="测试局", division_code="610800")
    steps = ([StepRow("受理并办结", owner.code, 1, "decide", committed)] if kind == "immediate" else
             [StepRow("受理", owner.code, 1, "accept", 0), StepRow("审查", owner.code, 2, "review", max(committed - 1, 0)),
              StepRow("决定", owner.code, 3, "decide", min(committed, 1))])
    content = VersionContent(
        fields={"name": name, "item_type": "administrative_license", "legal_basis": "《测试条例》第一条", "kind": kind,
                "statutory_limit_days": statutory, "committed_limit_days": committed, "at_most_one_visit": True,
                "visits_needed": 1, **fields},
        materials=[MaterialRow("申请书"), MaterialRow("营业执照", form="copy", pending_allowed=True, elicense_type="营业执照")],
        steps=steps,
    )
    with transaction.atomic():
        return services.do_publish(services.do_create_item(code, "city", owner, content))


# --- Trading (appended by the trading work) ---------------------------------------------------------
_DEADLINE = datetime(2026, 5, 25, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


class TenderProjectFactory(DjangoModelFactory):
    """A project of a tenderer (give `tenderer_uscc` of a tenderer account to make it that account's)."""

    class Meta:
        model = TenderProject

    name = factory.Sequence(lambda n: f"测试招标项目{n}")
    approval_no = factory.Sequence(lambda n: f"榆发改审批〔2026〕{n}号")
    tenderer_name = "测试招标人有限公司"
    tenderer_uscc = factory.Sequence(lambda n: _uscc(n + 90_000))
    regulator = factory.SubFactory(DepartmentFactory)
    division_code = "610802"
    funding_source = "state_owned"
    created_at = factory.LazyFunction(lambda: clock.now())


class LotFactory(DjangoModelFactory):
    """An open-tender works lot of 500万 selling from 2026-05-04 to 05-11, deadline 05-25 09:30; traits
    give its state (registered, accepted, returned) and below_threshold (a 300万 works lot)."""

    class Meta:
        model = Lot

    project = factory.SubFactory(TenderProjectFactory)
    seq = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"第{n + 1}标段")
    procedure = factory.LazyFunction(lambda: Procedure.objects.get(code="open_tender"))
    lot_type = "works"
    estimated_price = Decimal("5000000.00")
    qualification = "post"
    sale_start = date(2026, 5, 4)
    sale_end = date(2026, 5, 11)
    bid_deadline = _DEADLINE
    must_tender = True
    must_tender_note = "属于依法必须招标的项目。"
    status = "draft"
    created_at = factory.LazyFunction(lambda: clock.now())

    class Params:
        registered = factory.Trait(status="registered", submitted_at=factory.SelfAttribute("created_at"))
        accepted = factory.Trait(status="accepted", submitted_at=factory.SelfAttribute("created_at"),
                                 decided_at=factory.SelfAttribute("created_at"))
        returned = factory.Trait(status="returned", decision_note="材料不齐")
        below_threshold = factory.Trait(estimated_price=Decimal("3000000.00"), must_tender=False,
                                        must_tender_note="不强制招标。")

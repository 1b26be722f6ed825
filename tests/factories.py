"""factory_boy factories for kernel objects; traits give the common shapes (a hall, a clerk, ...)."""

import factory
from factory.django import DjangoModelFactory

from yingshang.kernel import access
from yingshang.kernel.models import Department, Role, User


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

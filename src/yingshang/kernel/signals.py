"""Keeps the Role table in step with access.ROLES after every migrate."""

from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate)
def sync_roles(sender, app_config=None, using="default", **kwargs):
    if app_config is None or app_config.label != "kernel":
        return
    from yingshang.kernel.access import ROLES
    from yingshang.kernel.models import Role

    for order, role in enumerate(ROLES):
        # Scope and staff flag are policy and follow the code; names and descriptions may be edited in admin.
        Role.objects.using(using).update_or_create(
            code=role.code,
            defaults={"scope": role.scope, "is_staff_role": role.is_staff_role, "sort_order": order},
            create_defaults={"name": role.name, "scope": role.scope, "is_staff_role": role.is_staff_role,
                             "description": role.description, "sort_order": order},
        )


@receiver(post_migrate)
def seed_calendar(sender, app_config=None, using="default", **kwargs):
    """Load the official holiday schedules after migrate, so deadlines are right from the first day."""
    from django.conf import settings

    if app_config is None or app_config.label != "kernel" or using != "default":
        return
    if not settings.CALENDAR_SEED_ON_MIGRATE:
        return
    from yingshang.kernel.services.calendar import seed_from_chinese_calendar

    seed_from_chinese_calendar()

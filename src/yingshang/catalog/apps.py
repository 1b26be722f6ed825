from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "yingshang.catalog"
    label = "catalog"
    verbose_name = "政务服务事项"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed

        from yingshang.catalog import portal
        from yingshang.catalog.models import ServiceItemVersion
        from yingshang.catalog.models.content import ensure_draft
        from yingshang.kernel import access, navigation

        access.register_permissions({"catalog.manage": {access.ADMIN}})
        navigation.register_nav_item("guide", _("办事指南"), "catalog:guide", audience=navigation.PUBLIC, order=110,
                                     replace=True, description=_("申请材料、办理时限、收费标准和办理流程，一查即知"))
        portal.register()

        def halls_changed(sender, instance, action, reverse, **kwargs):
            # The halls of a published version are content too: refuse changes as for its other rows.
            if action in ("pre_add", "pre_remove", "pre_clear") and not reverse:
                ensure_draft(instance.pk)

        m2m_changed.connect(halls_changed, sender=ServiceItemVersion.halls.through, weak=False,
                            dispatch_uid="catalog.halls_draft_only")

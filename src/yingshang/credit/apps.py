from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "yingshang.credit"
    label = "credit"
    verbose_name = "社会信用"

    def ready(self) -> None:
        from yingshang.credit import signals, tasks  # noqa: F401  (jobs are registered on import)
        from yingshang.credit.models import ListType, Measure, Memorandum
        from yingshang.credit.services import common
        from yingshang.credit.services.joint import acceptance_hits
        from yingshang.kernel import access, hooks, navigation

        access.register_permissions(common.PERMISSIONS)
        # Window acceptance (app cases) shows the credit check without importing this app.
        hooks.ACCEPTANCE_CHECKS.register(acceptance_hits)
        navigation.register_nav_item("credit-public", _("信用公示"), "credit:public", audience=navigation.PUBLIC,
                                     order=300, replace=True)
        navigation.register_nav_item("credit-office", _("信用归集"), "credit:home", permission=common.VIEW,
                                     order=310, replace=True)
        navigation.register_nav_item("credit-lists", _("信用名单"), "credit:lists", permission=common.DESIGNATE,
                                     order=320, replace=True)
        navigation.register_nav_item("credit-check", _("信用核查"), "credit:check", permission=common.CHECK,
                                     order=330, replace=True)
        for model in (ListType, Memorandum, Measure):
            post_save.connect(signals.catalog_changed, sender=model, dispatch_uid=f"credit.cache.save.{model.__name__}")
            post_delete.connect(signals.catalog_changed, sender=model, dispatch_uid=f"credit.cache.del.{model.__name__}")
        m2m_changed.connect(signals.catalog_changed, sender=Memorandum.list_types.through,
                            dispatch_uid="credit.cache.m2m")
        post_migrate.connect(signals.create_search_index, sender=self, dispatch_uid="credit.search_index")

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
                                     order=300, replace=True,
                                     description=_("查询行政许可、行政处罚信息和守信激励、失信惩戒名单"))
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
        self._ready_objections_commitments()
        self._ready_monitoring_scores()

    def _ready_monitoring_scores(self) -> None:
        """Quality monitoring, scores and the dashboard (issue 4 §3, §9, §11)."""
        from yingshang.credit import scoring_defaults, signals_scores
        from yingshang.credit.services import dashboard
        from yingshang.credit.services.monitoring_export import DOCUMENT_KIND, DOCUMENT_LABEL
        from yingshang.kernel import access, navigation
        from yingshang.kernel.services.documents import register_document_kind

        access.register_permissions(dashboard.PERMISSIONS)
        register_document_kind(DOCUMENT_KIND, DOCUMENT_LABEL)
        signals_scores.connect()
        post_migrate.connect(scoring_defaults.seed_after_migrate, sender=self, dispatch_uid="credit.scoring_defaults")
        navigation.register_nav_item("credit-dashboard", _("信用驾驶舱"), "credit:dashboard",
                                     permission=dashboard.VIEW_DASHBOARD, order=305, replace=True)
        navigation.register_nav_item("credit-quality", _("双公示质量"), "credit:quality", permission="credit.view",
                                     order=312, replace=True)

    def _ready_objections_commitments(self) -> None:
        """Objection and repair, commitments, the credit report (issue 4 §7, §8, §10)."""
        from yingshang.credit.services import commitments, common, handling, report
        from yingshang.kernel import access, hooks, navigation
        from yingshang.kernel.services.documents import register_document_kind

        access.register_permissions(handling.PERMISSIONS)
        hooks.COMMITMENT_EVENTS.register(commitments.on_commitment_event)
        register_document_kind(report.DOCUMENT_KIND, report.DOCUMENT_LABEL)
        register_document_kind(report.PUBLIC_KIND, report.PUBLIC_LABEL)
        navigation.register_nav_item("credit-me", _("我的信用"), "credit:me", roles=[access.CITIZEN, access.ENTERPRISE],
                                     order=340, replace=True)
        navigation.register_nav_item("credit-objections", _("异议处理"), "credit:handling-objections",
                                     permission=handling.HANDLE_OBJECTION, order=350, replace=True)
        navigation.register_nav_item("credit-repairs", _("信用修复"), "credit:handling-repairs",
                                     permission=common.DESIGNATE, order=355, replace=True)
        navigation.register_nav_item("credit-commitments", _("信用承诺"), "credit:commitments",
                                     permission=handling.MANAGE_COMMITMENTS, order=360, replace=True)

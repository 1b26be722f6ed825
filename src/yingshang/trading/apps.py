from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TradingConfig(AppConfig):
    name = "yingshang.trading"
    label = "trading"
    verbose_name = "公共资源交易"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from yingshang.kernel import access, navigation

        post_migrate.connect(_ensure_rules_data, sender=self)
        from yingshang.trading.services import common

        access.register_permissions(common.PERMISSIONS)
        navigation.register_nav_item("trading-queue", _("进场登记审核"), "trading:queue", permission=common.REVIEW,
                                     order=400, replace=True)
        navigation.register_nav_item("trading-lots", _("交易项目"), "trading:lots", permission=common.VIEW, order=401,
                                     replace=True)
        navigation.register_nav_item("trading-register", _("登记招标项目"), "trading:new-project",
                                     permission=common.REGISTER, order=402, replace=True)
        _ready_evaluation()


def _ensure_rules_data(sender, using="default", **kwargs) -> None:
    """The procedure and threshold rows of rules.py after every migrate and flush (`demo --reset`, transactional
    tests): a flush empties the tables that migration 0002 filled."""
    from django.db import connections

    from yingshang.trading.models import MustTenderThreshold, Procedure
    from yingshang.trading.services.rulebook import ensure_rules_data

    tables = connections[using].introspection.table_names()
    if using == "default" and {Procedure._meta.db_table, MustTenderThreshold._meta.db_table} <= set(tables):
        ensure_rules_data()  # not after `migrate trading zero`


def _ready_evaluation() -> None:
    """Evaluation (评标): the report's document kind and the committee's, centre's and bidders' pages."""
    from yingshang.kernel import navigation
    from yingshang.kernel.services.documents import register_document_kind
    from yingshang.trading.services import common, evaluation_report

    register_document_kind(evaluation_report.DOCUMENT_KIND, "评标报告")
    navigation.register_nav_item("trading-evaluations", _("评标"), "trading:evaluations",
                                 permission=common.EVALUATE, order=403, replace=True)
    navigation.register_nav_item("trading-evaluations-centre", _("评标组织"), "trading:evaluations",
                                 permission=common.MANAGE_EVALUATION, order=404, replace=True)
    navigation.register_nav_item("trading-clarifications", _("评标澄清"), "trading:clarifications",
                                 permission=common.ANSWER_CLARIFICATION, order=405, replace=True)

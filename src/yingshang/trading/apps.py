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
        _ready_opening()


def _ensure_rules_data(sender, using="default", **kwargs) -> None:
    """The procedure and threshold rows of rules.py after every migrate and flush (`demo --reset`, transactional
    tests): a flush empties the tables that migration 0002 filled."""
    from django.db import connections

    from yingshang.trading.models import MustTenderThreshold, Procedure
    from yingshang.trading.services.rulebook import ensure_rules_data

    tables = connections[using].introspection.table_names()
    if using == "default" and {Procedure._meta.db_table, MustTenderThreshold._meta.db_table} <= set(tables):
        ensure_rules_data()  # not after `migrate trading zero`


def _ready_opening() -> None:
    """The opening's navigation entry and document kind (appended by the opening work; called from ready())."""
    from yingshang.kernel import navigation
    from yingshang.kernel.services.documents import register_document_kind
    from yingshang.trading.services import common

    navigation.register_nav_item("trading-opening", _("开标大厅"), "trading:opening", permission=common.HALL,
                                 order=403, replace=True)
    register_document_kind("trading_opening_record", "开标记录")

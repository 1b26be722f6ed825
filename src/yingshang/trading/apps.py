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
        _ready_experts(self)


def _ensure_rules_data(sender, using="default", **kwargs) -> None:
    """The procedure and threshold rows of rules.py after every migrate and flush (`demo --reset`, transactional
    tests): a flush empties the tables that migration 0002 filled."""
    from django.db import connections

    from yingshang.trading.models import MustTenderThreshold, Procedure
    from yingshang.trading.services.rulebook import ensure_rules_data

    tables = connections[using].introspection.table_names()
    if using == "default" and {Procedure._meta.db_table, MustTenderThreshold._meta.db_table} <= set(tables):
        ensure_rules_data()  # not after `migrate trading zero`


def _ready_experts(config) -> None:
    """Expert database and draw (issue 12 §6): the seeded specialties after migrate/flush, the nav items."""
    from yingshang.kernel import navigation
    from yingshang.trading.services import common

    post_migrate.connect(_ensure_specialties, sender=config)
    navigation.register_nav_item("trading-experts", _("评标专家库"), "trading:experts", permission=common.EXPERTS,
                                 order=403, replace=True)
    navigation.register_nav_item("trading-my-expert", _("我的评标"), "trading:my-expert", permission=common.EXPERT_SELF,
                                 order=404, replace=True)


def _ensure_specialties(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from yingshang.trading.models import Specialty
    from yingshang.trading.services.experts import ensure_specialties

    if using == "default" and Specialty._meta.db_table in connections[using].introspection.table_names():
        ensure_specialties()

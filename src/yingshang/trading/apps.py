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
        # Issue 12 §2: public announcements, the bidder's documents, the centre's pending objections.
        navigation.register_nav_item("trading-public", _("交易公告"), "trading:public", audience=navigation.PUBLIC,
                                     order=403, replace=True, description=_("招标公告、澄清修改、中标公示，无需登录"))
        navigation.register_nav_item("trading-bidder", _("招标公告 / 我下载的招标文件"), "trading:bidder",
                                     permission=common.DOWNLOAD, order=404, replace=True)
        navigation.register_nav_item("trading-objections", _("招标文件异议"), "trading:objections",
                                     permission=common.REVIEW, order=405, replace=True)


def _ensure_rules_data(sender, using="default", **kwargs) -> None:
    """The procedure and threshold rows of rules.py after every migrate and flush (`demo --reset`, transactional
    tests): a flush empties the tables that migration 0002 filled."""
    from django.db import connections

    from yingshang.trading.models import MustTenderThreshold, Procedure
    from yingshang.trading.services.rulebook import ensure_rules_data

    tables = connections[using].introspection.table_names()
    if using == "default" and {Procedure._meta.db_table, MustTenderThreshold._meta.db_table} <= set(tables):
        ensure_rules_data()  # not after `migrate trading zero`
